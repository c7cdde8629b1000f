namespace Drift.Statistics;

/// <summary>
/// Count, mean, sum of squared deviations, minimum and maximum of a sample: a mergeable state
/// (Chan, Golub &amp; LeVeque 1979), so that statistics of paths [a, b) and [b, c) combine into those of
/// [a, c) to rounding, whatever machine computed each part.
/// </summary>
public readonly record struct Moments(long Count, double Mean, double SumSquaredDeviations, double Min, double Max)
{
    /// <summary>The empty sample.</summary>
    public static Moments Empty => new(0, 0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity);

    /// <summary>Unbiased sample variance Σ(x − x̄)²/(n − 1); NaN for fewer than two values.</summary>
    public double Variance => Count > 1 ? SumSquaredDeviations / (Count - 1) : double.NaN;

    /// <summary>Standard deviation √Variance.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Standard error of the mean √(Variance / n).</summary>
    public double StandardError => Math.Sqrt(Variance / Count);

    /// <summary>
    /// Moments of a sample by two passes (mean, then squared deviations). A sum of finite values that overflows (values
    /// near ±1.8e308) is redone as Σ xᵢ/n, so the mean of finite values is finite; Σ(x − x̄)² may still be +∞ there.
    /// </summary>
    public static Moments Of(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return Empty;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double mean = sum / values.Length;
        if (double.IsInfinity(mean) && double.IsFinite(min) && double.IsFinite(max))
        {
            double scale = 1.0 / values.Length;
            mean = 0;
            foreach (double v in values) mean += v * scale;
        }
        double ss = 0;
        foreach (double v in values)
        {
            double e = v - mean;
            ss += e * e;
        }
        return new Moments(values.Length, mean, ss, min, max);
    }

    /// <summary>The moments of the union of two samples (Chan et al.'s pairwise update).</summary>
    public Moments Merge(in Moments other)
    {
        if (other.Count == 0) return this;
        if (Count == 0) return other;
        long n = Count + other.Count;
        double delta = other.Mean - Mean;
        double mean = Mean + delta * ((double)other.Count / n);
        double ss = SumSquaredDeviations + other.SumSquaredDeviations + delta * delta * ((double)Count * other.Count / n);
        return new Moments(n, mean, ss, Math.Min(Min, other.Min), Math.Max(Max, other.Max));
    }
}

namespace Drift.Random.Resampling;

/// <summary>
/// Log-domain weight arithmetic of a particle system (sequential Monte Carlo, Feynman–Kac steering): log Σ eᵛ,
/// normalisation to weights with the effective sample size, and the ancestry copy after <see cref="Resampler.Resample"/>.
/// </summary>
public static class ParticleLogWeights
{
    /// <summary>log Σᵢ e^{vᵢ}, computed with the largest vᵢ subtracted; −∞ when every vᵢ is −∞ (or there are none).</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double e in values) max = Math.Max(max, e);
        if (!double.IsFinite(max)) return max;
        double s = 0;
        foreach (double e in values) s += Math.Exp(e - max);
        return max + Math.Log(s);
    }

    /// <summary>
    /// Writes the normalised weights Wᵢ = e^{ℓᵢ − max ℓ} / Σⱼ e^{ℓⱼ − max ℓ} and returns the effective sample size
    /// ESS = 1/Σ Wᵢ² (between 1 and N); returns NaN (weights then undefined) when the weights collapsed — every ℓᵢ is −∞,
    /// some ℓᵢ is +∞ or NaN.
    /// </summary>
    /// <param name="logWeights">The log-weights ℓ.</param>
    /// <param name="weights">Receives W (same length).</param>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Normalise(ReadOnlySpan<double> logWeights, Span<double> weights)
    {
        if (weights.Length != logWeights.Length)
            throw new ArgumentException($"weights has length {weights.Length} but logWeights has {logWeights.Length}.", nameof(weights));
        double max = double.NegativeInfinity;
        foreach (double v in logWeights) max = Math.Max(max, v);
        if (!double.IsFinite(max)) return double.NaN;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < logWeights.Length; i++)
        {
            double w = Math.Exp(logWeights[i] - max);
            if (double.IsNaN(w)) return double.NaN;
            weights[i] = w;
            sum += w;
        }
        for (int i = 0; i < logWeights.Length; i++)
        {
            weights[i] /= sum;
            sum2 += weights[i] * weights[i];
        }
        return 1 / sum2;
    }

    /// <summary>Replaces row i of <paramref name="values"/> (rows of <paramref name="width"/>) by row ancestors[i], using <paramref name="scratch"/> (at least as long) for the copy.</summary>
    /// <exception cref="ArgumentException">A buffer is shorter than ancestors.Length · width.</exception>
    public static void Gather(Span<double> values, Span<double> scratch, ReadOnlySpan<int> ancestors, int width)
    {
        int n = ancestors.Length;
        if (values.Length < n * width || scratch.Length < n * width)
            throw new ArgumentException($"values ({values.Length}) and scratch ({scratch.Length}) must hold {n} rows of {width}.", nameof(values));
        values[..(n * width)].CopyTo(scratch);
        for (int i = 0; i < n; i++) scratch.Slice(ancestors[i] * width, width).CopyTo(values.Slice(i * width, width));
    }
}

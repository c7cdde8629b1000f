namespace Drift.Sampling.Targets;

/// <summary>
/// The Gaussian N(μ, diag(σ²)): log π(x) = −½ Σᵢ ((xᵢ − μᵢ)/σᵢ)², ∂ log π/∂xᵢ = −(xᵢ − μᵢ)/σᵢ² (normalising constant dropped).
/// </summary>
public readonly struct DiagonalGaussian : ILogDensity
{
    private readonly double[] _mean, _precision;

    /// <summary>A Gaussian with the given means and standard deviations.</summary>
    /// <exception cref="ArgumentException">When the lengths differ, are zero, or a σ is not finite and positive.</exception>
    public DiagonalGaussian(double[] mean, double[] standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Length == 0 || mean.Length != standardDeviation.Length)
            throw new ArgumentException($"mean has {mean.Length} entries and standardDeviation {standardDeviation.Length}; they must agree and be non-empty.", nameof(standardDeviation));
        _mean = (double[])mean.Clone();
        _precision = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            double s = standardDeviation[i];
            if (!(s > 0) || !double.IsFinite(s)) throw new ArgumentException($"standardDeviation[{i}] = {s} must be finite and positive.", nameof(standardDeviation));
            _precision[i] = 1 / (s * s);
        }
    }

    /// <summary>The standard Gaussian N(0, I) in <paramref name="dimension"/> dimensions.</summary>
    public static DiagonalGaussian Standard(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        return new DiagonalGaussian(new double[dimension], Enumerable.Repeat(1.0, dimension).ToArray());
    }

    /// <summary>
    /// A centred Gaussian whose standard deviations run geometrically from 1 to √κ, so the covariance has condition
    /// number <paramref name="conditionNumber"/>.
    /// </summary>
    public static DiagonalGaussian IllConditioned(int dimension, double conditionNumber)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        if (!(conditionNumber >= 1)) throw new ArgumentOutOfRangeException(nameof(conditionNumber), conditionNumber, "must be at least 1.");
        var sd = new double[dimension];
        for (int i = 0; i < dimension; i++) sd[i] = Math.Pow(conditionNumber, 0.5 * i / (dimension - 1));
        return new DiagonalGaussian(new double[dimension], sd);
    }

    /// <inheritdoc/>
    public int Dimension => _mean?.Length ?? 0;

    /// <summary>The means μ.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The variance σᵢ² of component <paramref name="i"/>.</summary>
    public double Variance(int i) => 1 / _precision[i];

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length;
        logDensity.Clear();
        for (int i = 0; i < _mean.Length; i++)
        {
            double m = _mean[i], p = _precision[i];
            var xi = x.Slice(i * n, n);
            var gi = gradient.Slice(i * n, n);
            for (int c = 0; c < n; c++)
            {
                double r = xi[c] - m;
                gi[c] = -p * r;
                logDensity[c] -= 0.5 * p * r * r;
            }
        }
    }
}

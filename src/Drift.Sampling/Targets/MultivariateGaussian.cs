using Drift.Sampling.Numerics;

namespace Drift.Sampling.Targets;

/// <summary>
/// The Gaussian N(μ, Σ) with a dense covariance: log π(x) = −½ (x − μ)ᵀ Σ⁻¹ (x − μ), ∇ log π(x) = −Σ⁻¹ (x − μ)
/// (normalising constant dropped). The precision Σ⁻¹ is formed once from the Cholesky factor of Σ.
/// </summary>
public readonly struct MultivariateGaussian : ILogDensity
{
    private readonly double[] _mean, _precision;

    /// <summary>A Gaussian with mean <paramref name="mean"/> and row-major covariance <paramref name="covariance"/> (d×d).</summary>
    /// <exception cref="ArgumentException">When the sizes disagree or Σ is not symmetric positive definite.</exception>
    public MultivariateGaussian(double[] mean, double[] covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        int d = mean.Length;
        if (d == 0 || covariance.Length != d * d) throw new ArgumentException($"covariance has {covariance.Length} entries; a mean of length {d} needs {d * d}.", nameof(covariance));
        _mean = (double[])mean.Clone();
        _precision = SmallDense.InverseSpd(covariance, d, nameof(covariance));
    }

    /// <summary>
    /// A centred Gaussian with unit variances and every correlation equal to <paramref name="rho"/>
    /// (positive definite for −1/(d − 1) &lt; ρ &lt; 1).
    /// </summary>
    public static MultivariateGaussian Equicorrelated(int dimension, double rho)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var cov = new double[dimension * dimension];
        for (int i = 0; i < dimension; i++)
            for (int j = 0; j < dimension; j++) cov[i * dimension + j] = i == j ? 1 : rho;
        return new MultivariateGaussian(new double[dimension], cov);
    }

    /// <inheritdoc/>
    public int Dimension => _mean?.Length ?? 0;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length, d = _mean.Length;
        if (n == 1)
        {
            // One chain (the per-chain samplers): row-major dot products, r = x − μ, g = −P r, log π = ½ r·g.
            Span<double> r = d <= 512 ? stackalloc double[d] : new double[d];
            for (int j = 0; j < d; j++) r[j] = x[j] - _mean[j];
            double lp = 0;
            for (int i = 0; i < d; i++)
            {
                var row = _precision.AsSpan(i * d, d);
                double s = 0;
                for (int j = 0; j < d; j++) s += row[j] * r[j];
                gradient[i] = -s;
                lp -= 0.5 * r[i] * s;
            }
            logDensity[0] = lp;
            return;
        }
        gradient[..(d * n)].Clear();
        for (int j = 0; j < d; j++)
        {
            double m = _mean[j];
            var xj = x.Slice(j * n, n);
            for (int i = 0; i < d; i++)
            {
                double p = _precision[i * d + j];
                if (p == 0) continue;
                var gi = gradient.Slice(i * n, n);
                for (int c = 0; c < n; c++) gi[c] -= p * (xj[c] - m);
            }
        }
        logDensity.Clear();
        for (int i = 0; i < d; i++)
        {
            double m = _mean[i];
            var xi = x.Slice(i * n, n);
            var gi = gradient.Slice(i * n, n);
            for (int c = 0; c < n; c++) logDensity[c] += 0.5 * (xi[c] - m) * gi[c];
        }
    }
}

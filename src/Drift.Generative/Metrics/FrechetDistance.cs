using Drift.Numerics;

namespace Drift.Generative.Metrics;

/// <summary>
/// The Fréchet distance between Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂) — the squared 2-Wasserstein distance between them
/// (Dowson &amp; Landau 1982), and the FID of Heusel et al. (2017) when the moments are those of network features:
/// FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^{½}).
/// </summary>
/// <remarks>
/// The trace of the matrix square root is computed by the symmetric route: with S = Σ₁^{½} (eigendecomposition of Σ₁,
/// negative eigenvalues from rounding clamped to 0), Σ₁Σ₂ = S·(SΣ₂S)·S⁻¹ is similar to the symmetric positive
/// semi-definite M = SΣ₂S, so tr((Σ₁Σ₂)^{½}) = Σₖ √max(λₖ(M), 0). This needs no non-symmetric square root (scipy's
/// <c>sqrtm</c> used by FID code) and is exact for singular covariances (fewer samples than dimensions). Both
/// decompositions use <see cref="SymmetricEigen"/> (Jacobi), meant for d ≲ 200. FD is ≥ 0 up to rounding and 0 only
/// for equal Gaussians; it is reported as computed (a tiny negative value is rounding, not clamped).
/// </remarks>
public static class FrechetDistance
{
    /// <summary>FD between N(μ₁, Σ₁) and N(μ₂, Σ₂), the covariances row-major d×d and symmetric.</summary>
    /// <exception cref="ArgumentException">Lengths disagree with d, or a value is not finite.</exception>
    public static double Between(ReadOnlySpan<double> mean1, ReadOnlySpan<double> covariance1, ReadOnlySpan<double> mean2,
        ReadOnlySpan<double> covariance2, int dimension)
    {
        int d = dimension;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (mean1.Length != d || mean2.Length != d)
            throw new ArgumentException($"the means have {mean1.Length} and {mean2.Length} entries; both must have d = {d}.", nameof(mean1));
        if (covariance1.Length != d * d || covariance2.Length != d * d)
            throw new ArgumentException($"the covariances have {covariance1.Length} and {covariance2.Length} entries; both must have d² = {d * d}.", nameof(covariance1));
        double meanTerm = 0;
        for (int i = 0; i < d; i++)
        {
            double delta = mean1[i] - mean2[i];
            if (!double.IsFinite(delta)) throw new ArgumentException($"mean coordinate {i} is not finite ({mean1[i]}, {mean2[i]}).", nameof(mean1));
            meanTerm += delta * delta;
        }
        var (values, vectors) = SymmetricEigen.Decompose(covariance1, d);
        // S = U diag(√λ) Uᵀ.
        var root = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += vectors[i * d + k] * Math.Sqrt(Math.Max(values[k], 0)) * vectors[j * d + k];
                root[i * d + j] = s;
            }
        var product = new double[d * d];
        var m = new double[d * d];
        Gemm.Multiply(false, false, d, d, d, 1.0, root, d, covariance2, d, 0.0, product, d);
        Gemm.Multiply(false, false, d, d, d, 1.0, product, d, root, d, 0.0, m, d);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) m[i * d + j] = m[j * d + i] = 0.5 * (m[i * d + j] + m[j * d + i]);
        double traceRoot = 0;
        foreach (double lambda in SymmetricEigen.Decompose(m, d).Values) traceRoot += Math.Sqrt(Math.Max(lambda, 0));
        double trace = 0;
        for (int i = 0; i < d; i++) trace += covariance1[i * d + i] + covariance2[i * d + i];
        return meanTerm + trace - 2 * traceRoot;
    }

    /// <summary>
    /// FD between the Gaussians fitted to two sample sets (rows × d, row-major): sample means and unbiased sample
    /// covariances (divisor n − 1), as FID is computed.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows in a set, or lengths that are not rows × d.</exception>
    public static double FromSamples(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int dimension)
    {
        var (ma, ca) = Moments(a, dimension, nameof(a));
        var (mb, cb) = Moments(b, dimension, nameof(b));
        return Between(ma, ca, mb, cb, dimension);
    }

    /// <summary>The sample mean and unbiased covariance (row-major d×d) of rows × d values.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 rows, or a length that is not a multiple of d.</exception>
    public static (double[] Mean, double[] Covariance) Moments(ReadOnlySpan<double> x, int dimension, string name = "x")
    {
        int d = dimension;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (x.Length % d != 0 || x.Length / d < 2)
            throw new ArgumentException($"{name} has {x.Length} values: need at least 2 rows of d = {d}.", name);
        int n = x.Length / d;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < d; j++) mean[j] += x[r * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        var cov = new double[d * d];
        var centred = new double[d];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < d; j++) centred[j] = x[r * d + j] - mean[j];
            for (int i = 0; i < d; i++)
            {
                double ci = centred[i];
                for (int j = i; j < d; j++) cov[i * d + j] += ci * centred[j];
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) cov[j * d + i] = cov[i * d + j] /= n - 1;
        return (mean, cov);
    }
}

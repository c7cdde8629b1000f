using Drift.Numerics;

namespace Drift.Generative.Oracles;

/// <summary>
/// Closed forms for the targets of Feynman–Kac correctors built from Gaussian mixtures: the noised law p_t of a
/// mixture as a mixture, and the normalised product of two mixtures, which is again a mixture.
/// </summary>
/// <remarks>
/// Product: N(x; a, A)·N(x; b, B) = N(a; b, A + B)·N(x; c, C) with C = A(A + B)⁻¹B and
/// c = B(A + B)⁻¹a + A(A + B)⁻¹b, so (Σ_j π_j N(a_j, A_j))(Σ_k ρ_k N(b_k, B_k)) = Z·Σ_{jk} w_{jk} N(c_{jk}, C_{jk}) with
/// w_{jk} ∝ π_j ρ_k N(a_j; b_k, A_j + B_k) and Z = ∫p·q = Σ_{jk} π_j ρ_k N(a_j; b_k, A_j + B_k).
/// (A + B)⁻¹ is taken through the eigendecomposition of A + B, which must be positive definite.
/// </remarks>
public static class GaussianMixtureProduct
{
    /// <summary>The law of α x₀ + σ ε for x₀ ~ <paramref name="mixture"/>: Σ_k π_k N(α μ_k, α²Σ_k + σ²I).</summary>
    /// <exception cref="ArgumentException">α or σ is negative or not finite.</exception>
    public static GaussianMixture Noised(GaussianMixture mixture, double alpha, double sigma)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        mixture.CheckScales(alpha, sigma);
        int d = mixture.Dimension, k = mixture.ComponentCount;
        var means = new double[k][];
        var covs = new double[k][];
        for (int c = 0; c < k; c++)
        {
            means[c] = mixture.ComponentMean(c).ToArray().Select(v => alpha * v).ToArray();
            var cov = mixture.ComponentCovariance(c).ToArray();
            for (int i = 0; i < cov.Length; i++) cov[i] *= alpha * alpha;
            for (int i = 0; i < d; i++) cov[i * d + i] += sigma * sigma;
            covs[c] = cov;
        }
        return new GaussianMixture(mixture.Weights, means, covs);
    }

    /// <summary>The normalised product p·q/Z of two mixtures of the same dimension, and log Z = log ∫p·q.</summary>
    /// <exception cref="ArgumentException">Dimensions differ or some A_j + B_k is not positive definite.</exception>
    public static (GaussianMixture Product, double LogNormalizer) Multiply(GaussianMixture p, GaussianMixture q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        int d = p.Dimension;
        if (q.Dimension != d) throw new ArgumentException($"dimensions differ: {d} and {q.Dimension}.", nameof(q));
        int count = p.ComponentCount * q.ComponentCount;
        var logW = new double[count];
        var means = new double[count][];
        var covs = new double[count][];
        for (int j = 0; j < p.ComponentCount; j++)
            for (int k = 0; k < q.ComponentCount; k++)
            {
                int c = j * q.ComponentCount + k;
                var a = p.ComponentMean(j).ToArray();
                var b = q.ComponentMean(k).ToArray();
                var ca = p.ComponentCovariance(j).ToArray();
                var cb = q.ComponentCovariance(k).ToArray();
                var sum = new double[d * d];
                for (int i = 0; i < sum.Length; i++) sum[i] = ca[i] + cb[i];
                var (values, u) = SymmetricEigen.Decompose(sum, d);
                var inv = new double[d * d];
                double logDet = 0;
                for (int l = 0; l < d; l++)
                {
                    if (!(values[l] > 0)) throw new ArgumentException($"A_{j} + B_{k} is not positive definite.", nameof(q));
                    logDet += Math.Log(values[l]);
                    for (int r = 0; r < d; r++)
                        for (int s = 0; s < d; s++) inv[r * d + s] += u[r * d + l] * u[s * d + l] / values[l];
                }
                var diff = new double[d];
                for (int i = 0; i < d; i++) diff[i] = a[i] - b[i];
                double quad = 0;
                for (int r = 0; r < d; r++)
                    for (int s = 0; s < d; s++) quad += diff[r] * inv[r * d + s] * diff[s];
                logW[c] = Math.Log(p.Weights[j]) + Math.Log(q.Weights[k]) - 0.5 * quad - 0.5 * logDet - 0.5 * d * Math.Log(2 * Math.PI);
                // C = A S⁻¹ B, c = B S⁻¹ a + A S⁻¹ b.
                var aInv = Multiply(ca, inv, d);
                var bInv = Multiply(cb, inv, d);
                var cov = Multiply(aInv, cb, d);
                for (int r = 0; r < d; r++)
                    for (int s = 0; s < r; s++) cov[r * d + s] = cov[s * d + r] = 0.5 * (cov[r * d + s] + cov[s * d + r]);
                var mean = new double[d];
                for (int r = 0; r < d; r++)
                    for (int s = 0; s < d; s++) mean[r] += bInv[r * d + s] * a[s] + aInv[r * d + s] * b[s];
                means[c] = mean;
                covs[c] = cov;
            }
        double max = logW.Max(), total = logW.Sum(l => Math.Exp(l - max));
        return (new GaussianMixture(logW.Select(l => Math.Exp(l - max)).ToArray(), means, covs), max + Math.Log(total));
    }

    /// <summary>
    /// The posterior of x ~ <paramref name="mixture"/> given y = x[known] + s·ε (ε standard normal): again a mixture,
    /// computed by conditioning the joint mixture of (x, y) (covariance [[C, C_{·K}], [C_{K·}, C_{KK} + s²I]]) on y;
    /// and log p(y) = log Σ_k π_k N(y; μ_{k,K}, C_{k,KK} + s²I).
    /// </summary>
    /// <exception cref="ArgumentException">Indices repeat or are out of range, counts differ, or s is not positive and finite.</exception>
    public static (GaussianMixture Posterior, double LogEvidence) ObserveCoordinates(GaussianMixture mixture, IReadOnlyList<int> known,
        IReadOnlyList<double> values, double noise)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(values);
        int d = mixture.Dimension, m = known.Count, e = d + m;
        if (m == 0 || known.Distinct().Count() != m || known.Any(i => i < 0 || i >= d))
            throw new ArgumentException($"known indices must be distinct, in [0, {d}) and at least one.", nameof(known));
        if (values.Count != m) throw new ArgumentException($"{m} indices but {values.Count} values.", nameof(values));
        if (!(noise > 0) || !double.IsFinite(noise)) throw new ArgumentException($"the observation noise must be positive and finite, got {noise}.", nameof(noise));
        int k = mixture.ComponentCount;
        var means = new double[k][];
        var covs = new double[k][];
        var marginalMeans = new double[k][];
        var marginalCovs = new double[k][];
        for (int c = 0; c < k; c++)
        {
            var mu = mixture.ComponentMean(c);
            var cov = mixture.ComponentCovariance(c);
            int Index(int i) => i < d ? i : known[i - d];
            var jm = new double[e];
            var jc = new double[e * e];
            for (int i = 0; i < e; i++)
            {
                jm[i] = mu[Index(i)];
                for (int j = 0; j < e; j++) jc[i * e + j] = cov[Index(i) * d + Index(j)] + (i >= d && i == j ? noise * noise : 0);
            }
            means[c] = jm;
            covs[c] = jc;
            marginalMeans[c] = jm[d..];
            var mc = new double[m * m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) mc[i * m + j] = jc[(d + i) * e + d + j];
            marginalCovs[c] = mc;
        }
        var joint = new GaussianMixture(mixture.Weights, means, covs);
        var posterior = joint.Condition(Enumerable.Range(d, m).ToArray(), values);
        var marginal = new GaussianMixture(mixture.Weights, marginalMeans, marginalCovs);
        return (posterior, marginal.LogDensity(1, 0, values.ToArray()));
    }

    private static double[] Multiply(double[] x, double[] y, int d)
    {
        var z = new double[d * d];
        for (int r = 0; r < d; r++)
            for (int l = 0; l < d; l++)
            {
                double v = x[r * d + l];
                for (int s = 0; s < d; s++) z[r * d + s] += v * y[l * d + s];
            }
        return z;
    }
}

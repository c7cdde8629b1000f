using Drift.Numerics;
using Drift.Generative.Oracles;

namespace Drift.Generative.Steering;

/// <summary>
/// The exact target of steering a Gaussian mixture with a Gaussian reward: for p = Σ_k π_k N(μ_k, Σ_k)
/// and exp(λ r(x)) = exp(−‖x − a‖²/(2τ)) with τ = s²/λ,
/// p(x)·exp(λ r(x))/Z = Σ_k π'_k N(μ'_k, Σ'_k), where
/// π'_k ∝ π_k N(a; μ_k, Σ_k + τI), μ'_k = μ_k + Σ_k(Σ_k + τI)⁻¹(a − μ_k),
/// Σ'_k = Σ_k − Σ_k(Σ_k + τI)⁻¹Σ_k = (Σ_k⁻¹ + I/τ)⁻¹, and
/// Z = ∫p·exp(λr) = (2πτ)^{d/2}·Σ_k π_k N(a; μ_k, Σ_k + τI).
/// </summary>
/// <remarks>
/// Derivation: N(x; μ, Σ)·N(x; a, τI) = N(a; μ, Σ + τI)·N(x; μ', Σ') (product of Gaussian densities), and
/// exp(−‖x − a‖²/2τ) = (2πτ)^{d/2} N(x; a, τI). Equivalently, the tilted mixture is the posterior of x₀ ~ p
/// given the noisy observation a = x₀ + √τ·ε, which is how it is computed here: π'_k are the mixture's
/// responsibilities at a under (α, σ) = (1, √τ), and Σ_k + τI is diagonalised through Σ_k = U Λ Uᵀ.
/// </remarks>
public static class GaussianTilt
{
    /// <summary>The tilted mixture p·exp(λ r)/Z for the Gaussian reward r of <paramref name="reward"/> and temperature λ.</summary>
    /// <exception cref="ArgumentException">Dimensions disagree or λ is not positive and finite.</exception>
    public static GaussianMixture Apply(GaussianMixture mixture, GaussianReward reward, double lambda)
    {
        double tau = Variance(mixture, reward, lambda);
        int d = mixture.Dimension, k = mixture.ComponentCount;
        var a = reward.Center.ToArray();
        var weights = new double[k];
        mixture.Responsibilities(1, Math.Sqrt(tau), a, weights);
        var means = new double[k][];
        var covs = new double[k][];
        for (int c = 0; c < k; c++)
        {
            var mu = mixture.ComponentMean(c);
            var (values, u) = SymmetricEigen.Decompose(mixture.ComponentCovariance(c), d);
            // Σ(Σ + τI)⁻¹ = U diag(λ/(λ+τ)) Uᵀ;  Σ' = U diag(λτ/(λ+τ)) Uᵀ.
            var shrink = values.Select(v => Math.Max(v, 0) / (Math.Max(v, 0) + tau)).ToArray();
            var post = values.Select(v => Math.Max(v, 0) * tau / (Math.Max(v, 0) + tau)).ToArray();
            var diff = new double[d];
            for (int j = 0; j < d; j++)
            {
                double z = 0;
                for (int i = 0; i < d; i++) z += u[i * d + j] * (a[i] - mu[i]);
                diff[j] = shrink[j] * z;
            }
            var m = new double[d];
            var cv = new double[d * d];
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += u[i * d + j] * diff[j];
                m[i] = mu[i] + s;
                for (int l = 0; l <= i; l++)
                {
                    double v = 0;
                    for (int j = 0; j < d; j++) v += u[i * d + j] * post[j] * u[l * d + j];
                    cv[i * d + l] = cv[l * d + i] = v;
                }
            }
            means[c] = m;
            covs[c] = cv;
        }
        return new GaussianMixture(weights, means, covs);
    }

    /// <summary>log Z = log ∫p(x)·exp(λ r(x)) dx = (d/2)·log(2πτ) + log Σ_k π_k N(a; μ_k, Σ_k + τI).</summary>
    public static double LogNormalizer(GaussianMixture mixture, GaussianReward reward, double lambda)
    {
        double tau = Variance(mixture, reward, lambda);
        return 0.5 * mixture.Dimension * Math.Log(2 * Math.PI * tau) + mixture.LogDensity(1, Math.Sqrt(tau), reward.Center.ToArray());
    }

    private static double Variance(GaussianMixture mixture, GaussianReward reward, double lambda)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentNullException.ThrowIfNull(reward);
        if (reward.Dimension != mixture.Dimension)
            throw new ArgumentException($"the reward has dimension {reward.Dimension}, the mixture {mixture.Dimension}.", nameof(reward));
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentException($"lambda must be positive and finite, got {lambda}.", nameof(lambda));
        return reward.Width * reward.Width / lambda;
    }
}

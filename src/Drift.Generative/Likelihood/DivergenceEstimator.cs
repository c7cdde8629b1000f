namespace Drift.Generative.Likelihood;

/// <summary>How the likelihood computation obtains ∇·s(x, t) = tr ∇s.</summary>
public enum DivergenceEstimator
{
    /// <summary>Exact: the model's own divergence when it implements <see cref="Models.IScoreDivergence"/> (exact mixtures in closed form; trained Drift networks by d reverse passes, exact to rounding), else central differences along each of the d axes (2d evaluations; O(δ²) error).</summary>
    Exact,
    /// <summary>Hutchinson with Rademacher probes v ∈ {±1}^d: tr A ≈ (1/P)Σ vᵀAv, variance 2(‖A‖_F² − Σ A_ii²)/P for symmetric A.</summary>
    HutchinsonRademacher,
    /// <summary>Hutchinson with Gaussian probes v ~ N(0, I): variance 2‖A‖_F²/P for symmetric A.</summary>
    HutchinsonGaussian,
}

namespace Drift.Sampling.Smc;

/// <summary>The Metropolis–Hastings kernel that moves the particles of tempered SMC at each temperature.</summary>
public enum SmcKernel
{
    /// <summary>Random-walk Metropolis, y = x + h L z with L Lᵀ the weighted particle covariance (start h = 2.38/√d).</summary>
    RandomWalk,
    /// <summary>MALA preconditioned by the particle covariance Σ = L Lᵀ: y = x + ½h² Σ ∇log π_β(x) + h L z (start h = 1.65/d^{1/6}).</summary>
    Mala,
}

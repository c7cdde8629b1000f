namespace Drift.Models.Finance;

/// <summary>
/// The Heston (1993) stochastic-volatility model under the pricing measure:
/// dS = r S dt + √v S dW₁, dv = κ(θ − v) dt + ξ √v dW₂, d⟨W₁, W₂⟩ = ρ dt.
/// </summary>
/// <param name="Spot">S₀ &gt; 0.</param>
/// <param name="Variance">v₀ ≥ 0, the initial variance.</param>
/// <param name="Rate">Risk-free rate r.</param>
/// <param name="Kappa">Mean-reversion speed κ &gt; 0.</param>
/// <param name="Theta">Long-run variance θ &gt; 0.</param>
/// <param name="Xi">Volatility of variance ξ &gt; 0.</param>
/// <param name="Rho">Correlation ρ ∈ [−1, 1].</param>
public sealed record HestonParameters(double Spot, double Variance, double Rate, double Kappa, double Theta, double Xi, double Rho)
{
    /// <summary>A standard test case: S₀ = 100, v₀ = θ = 0.04, r = 0.03, κ = 1.5, ξ = 0.5, ρ = −0.7.</summary>
    public static HestonParameters Example { get; } = new(100, 0.04, 0.03, 1.5, 0.04, 0.5, -0.7);

    /// <summary>Throws when a parameter is out of range.</summary>
    /// <exception cref="ArgumentException">The offending parameter and value.</exception>
    public void Validate()
    {
        if (!(Spot > 0) || !double.IsFinite(Spot)) throw new ArgumentException($"Heston spot must be positive, got {Spot}.", nameof(Spot));
        if (!(Variance >= 0) || !double.IsFinite(Variance)) throw new ArgumentException($"Heston initial variance must be non-negative, got {Variance}.", nameof(Variance));
        if (!double.IsFinite(Rate)) throw new ArgumentException($"Heston rate must be finite, got {Rate}.", nameof(Rate));
        if (!(Kappa > 0) || !double.IsFinite(Kappa)) throw new ArgumentException($"Heston kappa must be positive, got {Kappa}.", nameof(Kappa));
        if (!(Theta > 0) || !double.IsFinite(Theta)) throw new ArgumentException($"Heston theta must be positive, got {Theta}.", nameof(Theta));
        if (!(Xi > 0) || !double.IsFinite(Xi)) throw new ArgumentException($"Heston xi must be positive, got {Xi}.", nameof(Xi));
        if (!(Rho >= -1 && Rho <= 1)) throw new ArgumentException($"Heston rho must lie in [-1, 1], got {Rho}.", nameof(Rho));
    }
}

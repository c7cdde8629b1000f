namespace Drift.Generative.Schedules;

/// <summary>
/// The sub-VP schedule (Song et al. 2021): dx = −½β x dt + √(β(1 − e^{−2∫β})) dW with linear β, whose
/// marginals are α_t = e^{−½∫₀ᵗβ} (as VP) and σ_t = 1 − α_t²; f = −β/2, g² = β(1 − α⁴).
/// </summary>
public sealed class SubVpSchedule : NoiseSchedule
{
    private readonly VpLinearSchedule _vp;

    /// <summary>Creates the schedule (defaults β₀ = 0.1, β₁ = 20).</summary>
    public SubVpSchedule(double betaMin = 0.1, double betaMax = 20) => _vp = new VpLinearSchedule(betaMin, betaMax);

    /// <inheritdoc/>
    public override string Name => "subvp";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 1;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => _vp.LogAlpha(t);
    /// <inheritdoc/>
    public override double Sigma(double t) => -ExpM1(2 * LogAlpha(t));
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda)
    {
        // α/(1 − α²) = e^λ  ⇒  α = 2e^λ / (1 + √(1 + 4e^{2λ})).
        double logAlpha = lambda > 0
            ? Math.Log(2) - Math.Log(Math.Exp(-lambda) + Math.Sqrt(Math.Exp(-2 * lambda) + 4))
            : Math.Log(2) + lambda - Math.Log(1 + Math.Sqrt(1 + 4 * Math.Exp(2 * lambda)));
        return QuadraticRoot(0.25 * (_vp.BetaMax - _vp.BetaMin), 0.5 * _vp.BetaMin, -logAlpha);
    }
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => _vp.DriftCoefficient(t);
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => _vp.DiffusionSquared(t) * -ExpM1(4 * LogAlpha(t));
}

namespace Drift.Generative.Schedules;

/// <summary>
/// The variance-preserving schedule with linear β (Ho et al. 2020; Song et al. 2021):
/// β(t) = β₀ + (β₁ − β₀)t on t ∈ [0, 1], log α_t = −¼(β₁ − β₀)t² − ½β₀t, σ_t = √(1 − α_t²),
/// f = −β/2, g² = β.
/// </summary>
public sealed class VpLinearSchedule : NoiseSchedule
{
    /// <summary>Creates the schedule (defaults β₀ = 0.1, β₁ = 20).</summary>
    /// <exception cref="ArgumentException">β₀ ≤ 0 or β₁ &lt; β₀.</exception>
    public VpLinearSchedule(double betaMin = 0.1, double betaMax = 20)
    {
        if (!(betaMin > 0) || !(betaMax >= betaMin) || !double.IsFinite(betaMax))
            throw new ArgumentException($"need 0 < betaMin ≤ betaMax, got {betaMin}, {betaMax}.", nameof(betaMax));
        BetaMin = betaMin;
        BetaMax = betaMax;
    }

    /// <summary>β₀.</summary>
    public double BetaMin { get; }
    /// <summary>β₁.</summary>
    public double BetaMax { get; }

    /// <inheritdoc/>
    public override string Name => "vp";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 1;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => -0.25 * (BetaMax - BetaMin) * t * t - 0.5 * BetaMin * t;
    /// <inheritdoc/>
    public override double Sigma(double t) => VpSigma(LogAlpha(t));
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda)
        => QuadraticRoot(0.25 * (BetaMax - BetaMin), 0.5 * BetaMin, -VpLogAlphaOfLogSnr(lambda));
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => -0.5 * (BetaMin + (BetaMax - BetaMin) * t);
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => BetaMin + (BetaMax - BetaMin) * t;
}

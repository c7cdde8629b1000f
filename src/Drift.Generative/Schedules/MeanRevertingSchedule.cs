namespace Drift.Generative.Schedules;

/// <summary>
/// The mean-reverting schedule of IR-SDE (Luo et al. 2023): dx = θ_t(μ − x)dt + σ_t dW with
/// σ_t² = 2λ²θ_t, here with linear θ_t = θ₀ + (θ₁ − θ₀)t on [0, 1]. In the deviation y = x − μ it is
/// the linear SDE dy = −θ_t y dt + σ_t dW with marginals y_t = α_t y₀ + s_t ε, α_t = e^{−θ̄_t},
/// θ̄_t = ∫₀ᵗθ, s_t = λ√(1 − α_t²): f = −θ_t, g² = 2λ²θ_t, and x_T → N(μ, λ²I).
/// </summary>
/// <remarks>
/// Every quantity of this class (α, σ, f, g, logSNR) describes the deviation from the mean μ; the
/// mean itself belongs to the problem (a degraded observation), and is supplied to
/// <see cref="Samplers.MeanRevertingSampler"/> and to the oracle model.
/// </remarks>
public sealed class MeanRevertingSchedule : NoiseSchedule
{
    /// <summary>Creates the schedule (defaults θ₀ = 0.1, θ₁ = 10, stationary deviation λ = 1).</summary>
    /// <exception cref="ArgumentException">A parameter is not positive, or θ₁ &lt; θ₀.</exception>
    public MeanRevertingSchedule(double thetaMin = 0.1, double thetaMax = 10, double stationaryStd = 1)
    {
        if (!(thetaMin > 0) || !(thetaMax >= thetaMin) || !double.IsFinite(thetaMax))
            throw new ArgumentException($"need 0 < thetaMin ≤ thetaMax, got {thetaMin}, {thetaMax}.", nameof(thetaMax));
        if (!(stationaryStd > 0) || !double.IsFinite(stationaryStd))
            throw new ArgumentException($"stationaryStd must be positive, got {stationaryStd}.", nameof(stationaryStd));
        ThetaMin = thetaMin;
        ThetaMax = thetaMax;
        StationaryStd = stationaryStd;
    }

    /// <summary>θ₀.</summary>
    public double ThetaMin { get; }
    /// <summary>θ₁.</summary>
    public double ThetaMax { get; }
    /// <summary>λ: the standard deviation of the stationary law N(μ, λ²I).</summary>
    public double StationaryStd { get; }

    /// <summary>θ_t.</summary>
    public double Theta(double t) => ThetaMin + (ThetaMax - ThetaMin) * t;

    /// <inheritdoc/>
    public override string Name => "mr";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 1;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => -(ThetaMin * t + 0.5 * (ThetaMax - ThetaMin) * t * t);
    /// <inheritdoc/>
    public override double Sigma(double t) => StationaryStd * VpSigma(LogAlpha(t));
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda)
        => QuadraticRoot(0.5 * (ThetaMax - ThetaMin), ThetaMin, -VpLogAlphaOfLogSnr(lambda + Math.Log(StationaryStd)));
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => -Theta(t);
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => 2 * StationaryStd * StationaryStd * Theta(t);
}

namespace Drift.Generative.Schedules;

/// <summary>
/// The rectified-flow / linear-interpolant schedule (Liu et al. 2022; Lipman et al. 2022): α_t = 1 − t,
/// σ_t = t on t ∈ [0, 0.999] (α &gt; 0 keeps λ finite); λ = log((1 − t)/t), t(λ) = 1/(1 + e^λ),
/// f = −1/(1 − t), g² = 2t/(1 − t). Its probability-flow ODE is the straight-path velocity field.
/// </summary>
public sealed class RectifiedFlowSchedule : NoiseSchedule
{
    /// <inheritdoc/>
    public override string Name => "rf";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 0.999;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => Math.Log(1 - t);
    /// <inheritdoc/>
    public override double Sigma(double t) => t;
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda) => lambda > 0 ? Math.Exp(-lambda) / (1 + Math.Exp(-lambda)) : 1 / (1 + Math.Exp(lambda));
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => -1 / (1 - t);
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => 2 * t / (1 - t);
}

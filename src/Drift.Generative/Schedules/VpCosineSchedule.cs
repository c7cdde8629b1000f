namespace Drift.Generative.Schedules;

/// <summary>
/// The cosine variance-preserving schedule (Nichol &amp; Dhariwal 2021, continuous form of Lu et al. 2022):
/// α_t = cos(π/2·(t + s)/(1 + s)) / cos(π/2·s/(1 + s)) with s = 0.008, σ_t = √(1 − α_t²), on
/// t ∈ [0, 0.9946] (α stays positive); f = −π/(2(1 + s))·tan(π/2·(t + s)/(1 + s)), g² = −2f.
/// </summary>
public sealed class VpCosineSchedule : NoiseSchedule
{
    private const double S = 0.008;
    private static readonly double LogCos0 = Math.Log(Math.Cos(Math.PI / 2 * S / (1 + S)));

    /// <inheritdoc/>
    public override string Name => "vp-cosine";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 0.9946;
    /// <inheritdoc/>
    public override double DefaultEndTime => 1e-3;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => Math.Log(Math.Cos(Math.PI / 2 * (t + S) / (1 + S))) - LogCos0;
    /// <inheritdoc/>
    public override double Sigma(double t) => VpSigma(LogAlpha(t));
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda)
    {
        double logAlpha = VpLogAlphaOfLogSnr(lambda);
        return 2 * (1 + S) / Math.PI * Math.Acos(Math.Exp(logAlpha + LogCos0)) - S;
    }
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => -Math.PI / (2 * (1 + S)) * Math.Tan(Math.PI / 2 * (t + S) / (1 + S));
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => -2 * DriftCoefficient(t);
}

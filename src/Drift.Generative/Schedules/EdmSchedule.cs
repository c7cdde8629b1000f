namespace Drift.Generative.Schedules;

/// <summary>
/// The EDM schedule (Karras et al. 2022): α = 1, σ_t = t on t ∈ [0, σ_max]; f = 0, g² = 2t,
/// λ = −log t. Sampling ends at σ_min = 0.002 by default; t = 0 is clean data.
/// </summary>
public sealed class EdmSchedule : NoiseSchedule
{
    /// <summary>Creates the schedule (defaults σ_min = 0.002, σ_max = 80).</summary>
    /// <exception cref="ArgumentException">Not 0 &lt; σ_min &lt; σ_max.</exception>
    public EdmSchedule(double sigmaMin = 0.002, double sigmaMax = 80)
    {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !double.IsFinite(sigmaMax))
            throw new ArgumentException($"need 0 < sigmaMin < sigmaMax, got {sigmaMin}, {sigmaMax}.", nameof(sigmaMax));
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <summary>Default final noise level.</summary>
    public double SigmaMin { get; }
    /// <summary>Largest noise level (the prior's).</summary>
    public double SigmaMax { get; }

    /// <inheritdoc/>
    public override string Name => "edm";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => SigmaMax;
    /// <inheritdoc/>
    public override double DefaultEndTime => SigmaMin;
    /// <inheritdoc/>
    public override double? ZeroNoiseTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => 0;
    /// <inheritdoc/>
    public override double Sigma(double t) => t;
    /// <inheritdoc/>
    public override double LogSnr(double t) => -Math.Log(t);
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda) => Math.Exp(-lambda);
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => 0;
    /// <inheritdoc/>
    public override double DiffusionSquared(double t) => 2 * t;
}

namespace Drift.Generative.Schedules;

/// <summary>
/// The variance-exploding schedule (Song &amp; Ermon; Song et al. 2021): α = 1,
/// σ_t = σ_min(σ_max/σ_min)^t on t ∈ [0, 1]; f = 0, g² = 2σ_t²·log(σ_max/σ_min).
/// σ never reaches 0, so λ = −log σ is finite on the whole domain.
/// </summary>
public sealed class VeSchedule : NoiseSchedule
{
    private readonly double _logRatio;

    /// <summary>Creates the schedule (defaults σ_min = 0.01, σ_max = 50).</summary>
    /// <exception cref="ArgumentException">Not 0 &lt; σ_min &lt; σ_max.</exception>
    public VeSchedule(double sigmaMin = 0.01, double sigmaMax = 50)
    {
        if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin) || !double.IsFinite(sigmaMax))
            throw new ArgumentException($"need 0 < sigmaMin < sigmaMax, got {sigmaMin}, {sigmaMax}.", nameof(sigmaMax));
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
        _logRatio = Math.Log(sigmaMax / sigmaMin);
    }

    /// <summary>σ at t = 0.</summary>
    public double SigmaMin { get; }
    /// <summary>σ at t = 1.</summary>
    public double SigmaMax { get; }

    /// <inheritdoc/>
    public override string Name => "ve";
    /// <inheritdoc/>
    public override double MinTime => 0;
    /// <inheritdoc/>
    public override double MaxTime => 1;
    /// <inheritdoc/>
    public override double DefaultEndTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => 0;
    /// <inheritdoc/>
    public override double Sigma(double t) => SigmaMin * Math.Exp(t * _logRatio);
    /// <inheritdoc/>
    public override double LogSnr(double t) => -(Math.Log(SigmaMin) + t * _logRatio);
    /// <inheritdoc/>
    public override double TimeOfLogSnr(double lambda) => (-lambda - Math.Log(SigmaMin)) / _logRatio;
    /// <inheritdoc/>
    public override double DriftCoefficient(double t) => 0;
    /// <inheritdoc/>
    public override double DiffusionSquared(double t)
    {
        double s = Sigma(t);
        return 2 * s * s * _logRatio;
    }
}

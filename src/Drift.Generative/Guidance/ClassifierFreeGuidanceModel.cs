using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Schedules;

namespace Drift.Generative.Guidance;

/// <summary>
/// Classifier-free guidance (Ho &amp; Salimans 2022): the model whose score is
/// s_w = (1 + w)·s(x | c) − w·s(x), a conditional and an unconditional model combined with guidance
/// scale w ≥ 0. Every parameterisation is affine in the score with coefficients that do not depend on
/// it (P = a(t)x + b(t)s), so the same combination (1 + w)P_c − wP_u is taken in the conditional
/// model's parameterisation.
/// </summary>
/// <remarks>
/// <para>w = 0 is the conditional model exactly. For w &gt; 0 the guided score at time t is the score of
/// p_t(x|c)^{1+w} p_t(x)^{−w}, which is in general <i>not</i> the noised version of the tilted target
/// p₀(x|c)^{1+w}p₀(x)^{−w}: samplers then do not sample the tilted target. They do when both laws are
/// Gaussian with the same covariance (the tilt is then N(μ_c + w(μ_c − μ_u), Σ) at every t).</para>
/// <para>Holds one scratch row set, so an instance serves one thread at a time.</para>
/// </remarks>
public sealed class ClassifierFreeGuidanceModel : IDiffusionModel
{
    private readonly IDiffusionModel _conditional;
    private readonly IDiffusionModel _unconditional;
    private double[] _buffer = [];

    /// <summary>Combines a conditional and an unconditional model of the same dimension and schedule.</summary>
    /// <exception cref="ArgumentException">Dimensions or schedules differ, or w is negative or not finite.</exception>
    public ClassifierFreeGuidanceModel(IDiffusionModel conditional, IDiffusionModel unconditional, double guidanceScale)
    {
        ArgumentNullException.ThrowIfNull(conditional);
        ArgumentNullException.ThrowIfNull(unconditional);
        if (conditional.Dimension != unconditional.Dimension)
            throw new ArgumentException($"dimensions differ: conditional {conditional.Dimension}, unconditional {unconditional.Dimension}.", nameof(unconditional));
        if (conditional.Schedule.Name != unconditional.Schedule.Name)
            throw new ArgumentException($"schedules differ: conditional {conditional.Schedule.Name}, unconditional {unconditional.Schedule.Name}.", nameof(unconditional));
        if (!(guidanceScale >= 0) || !double.IsFinite(guidanceScale))
            throw new ArgumentOutOfRangeException(nameof(guidanceScale), guidanceScale, "the guidance scale must be finite and ≥ 0.");
        _conditional = conditional;
        _unconditional = unconditional;
        GuidanceScale = guidanceScale;
    }

    /// <summary>
    /// Guidance towards class <paramref name="classComponents"/> of a labelled mixture: the conditional is
    /// the mixture restricted to those components (weights renormalised, <see cref="GaussianMixture.Select"/>),
    /// the unconditional the whole mixture; both exact.
    /// </summary>
    public static ClassifierFreeGuidanceModel ForClass(GaussianMixture mixture, IReadOnlyList<int> classComponents, NoiseSchedule schedule,
        double guidanceScale, Prediction prediction = Prediction.Data)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        return new(mixture.Select(classComponents).AsModel(schedule, prediction), mixture.AsModel(schedule, prediction), guidanceScale);
    }

    /// <summary>The guidance scale w (0: conditional sampling).</summary>
    public double GuidanceScale { get; }

    /// <inheritdoc/>
    public int Dimension => _conditional.Dimension;

    /// <inheritdoc/>
    public NoiseSchedule Schedule => _conditional.Schedule;

    /// <inheritdoc/>
    public Prediction Prediction => _conditional.Prediction;

    /// <summary>Writes (1 + w)·P_c − w·P_u in the conditional model's parameterisation P.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples)
    {
        int n = samples * Dimension;
        _conditional.Evaluate(t, x, output, samples);
        double w = GuidanceScale;
        if (w == 0) return;
        if (_buffer.Length < n) _buffer = new double[n];
        var u = _buffer.AsSpan(0, n);
        _unconditional.Evaluate(t, x, u, samples);
        PredictionConverter.Convert(Schedule, t, x[..n], u, _unconditional.Prediction, Prediction);
        for (int i = 0; i < n; i++) output[i] = (1 + w) * output[i] - w * u[i];
    }
}

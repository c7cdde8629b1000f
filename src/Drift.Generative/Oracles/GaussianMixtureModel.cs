using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Oracles;

/// <summary>
/// The exact (Bayes-optimal) diffusion model of a <see cref="GaussianMixture"/> under a schedule: the
/// score of p_t = Σ π_k N(α_tμ_k, α_t²Σ_k + σ_t²I), converted to the requested parameterisation.
/// With a center μ (mean-reverting schedules) x_t = μ + α_t(x₀ − μ) + σ_tε and the mixture is shifted.
/// </summary>
/// <remarks>Holds scratch space: one instance serves one thread at a time. Never allocates per call.</remarks>
public sealed class GaussianMixtureModel : IDiffusionModel, IScoreDivergence
{
    private readonly GaussianMixture _deviation; // law of x₀ − center
    private readonly GaussianMixture.MixtureScratch _scratch;
    private readonly double[] _center;
    private readonly bool _hasCenter;
    private double[] _shifted = [];

    internal GaussianMixtureModel(GaussianMixture mixture, NoiseSchedule schedule, Prediction prediction, IReadOnlyList<double>? center)
    {
        ArgumentNullException.ThrowIfNull(mixture);
        ArgumentNullException.ThrowIfNull(schedule);
        Mixture = mixture;
        Schedule = schedule;
        Prediction = prediction;
        _center = center is null ? new double[mixture.Dimension] : center.ToArray();
        if (_center.Length != mixture.Dimension) throw new ArgumentException($"center needs {mixture.Dimension} values.", nameof(center));
        _deviation = center is null ? mixture : mixture.Translate(_center.Select(v => -v).ToArray());
        _scratch = new GaussianMixture.MixtureScratch(mixture);
        _hasCenter = _center.Any(v => v != 0);
    }

    /// <summary>The clean-data mixture p₀.</summary>
    public GaussianMixture Mixture { get; }

    /// <summary>The reversion mean μ (zeros unless given).</summary>
    public IReadOnlyList<double> Center => _center;

    /// <inheritdoc/>
    public int Dimension => Mixture.Dimension;
    /// <inheritdoc/>
    public NoiseSchedule Schedule { get; }
    /// <inheritdoc/>
    public Prediction Prediction { get; }

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples)
    {
        double a = Schedule.Alpha(t), s = Schedule.Sigma(t);
        var dev = Deviation(x, samples);
        _deviation.Evaluate(a, s, dev, output, samples, default, default, _scratch);
        // output = score of the deviation; convert to the requested parameterisation of the deviation.
        int n = samples * Dimension;
        PredictionConverter.Convert(a, s, Schedule.AlphaDerivative(t), Prediction == Prediction.Velocity ? Schedule.SigmaDerivative(t) : 0,
            dev, output[..n], Prediction.Score, Prediction);
        if (Prediction == Prediction.Data && _hasCenter)
            for (int i = 0; i < n; i++) output[i] += _center[i % Dimension];
    }

    /// <inheritdoc/>
    public void ScoreDivergence(double t, ReadOnlySpan<double> x, Span<double> divergence, int samples)
        => _deviation.Evaluate(Schedule.Alpha(t), Schedule.Sigma(t), Deviation(x, samples), default, samples, default, divergence, _scratch);

    /// <summary>log p_t(x) per sample (exact).</summary>
    public void LogDensity(double t, ReadOnlySpan<double> x, Span<double> logDensity, int samples)
        => _deviation.Evaluate(Schedule.Alpha(t), Schedule.Sigma(t), Deviation(x, samples), default, samples, logDensity, default, _scratch);

    /// <summary>Exact samples of p_t (see <see cref="GaussianMixture.Sample"/>), including the center.</summary>
    public void Sample(double t, ulong seed, long firstSample, Span<double> destination, int samples)
    {
        _deviation.Sample(Schedule.Alpha(t), Schedule.Sigma(t), seed, firstSample, destination, samples);
        int n = samples * Dimension;
        for (int i = 0; i < n; i++) destination[i] += _center[i % Dimension];
    }

    private ReadOnlySpan<double> Deviation(ReadOnlySpan<double> x, int samples)
    {
        int n = samples * Dimension;
        if (x.Length < n) throw new ArgumentException($"x needs {n} values.", nameof(x));
        if (!_hasCenter) return x[..n];
        if (_shifted.Length < n) _shifted = new double[n];
        for (int i = 0; i < n; i++) _shifted[i] = x[i] - _center[i % Dimension];
        return _shifted.AsSpan(0, n);
    }
}

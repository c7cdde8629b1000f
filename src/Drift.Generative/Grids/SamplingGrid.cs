using Drift.Generative.Schedules;

namespace Drift.Generative.Grids;

/// <summary>
/// A validated sampling grid T = t₀ &gt; t₁ &gt; … &gt; t_N for a schedule, with α, σ and λ precomputed:
/// strictly decreasing (no duplicate steps), inside the schedule's domain, α &gt; 0 everywhere.
/// </summary>
/// <remarks>
/// <para><b>Final-step policy.</b> Only the last time may have σ = 0 (then λ_N = +∞ and no logarithm of 0
/// is ever taken): every sampler takes that step as the exact first-order limit x ← α_N·x̂₀(x, t_{N−1})
/// (a denoising step, one evaluation, no noise). Multistep samplers additionally use order
/// min(order, steps left) at the end when the grid has fewer than 15 steps (Lu et al.'s
/// "lower_order_final"), and warm up with orders 1, 2, … at the start.</para>
/// </remarks>
public sealed class SamplingGrid
{
    private readonly double[] _t, _alpha, _sigma, _lambda;

    /// <summary>Builds a grid from explicit times (must be strictly decreasing).</summary>
    /// <exception cref="ArgumentException">Fewer than two times, a time outside the domain or not finite, not strictly decreasing, α = 0, or σ = 0 before the last time.</exception>
    public SamplingGrid(NoiseSchedule schedule, IReadOnlyList<double> times)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count < 2) throw new ArgumentException($"a grid needs at least two times, got {times.Count}.", nameof(times));
        Schedule = schedule;
        int n = times.Count;
        _t = times.ToArray();
        _alpha = new double[n];
        _sigma = new double[n];
        _lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            double t = _t[i];
            if (!double.IsFinite(t) || t < schedule.MinTime || t > schedule.MaxTime)
                throw new ArgumentException($"time {i} = {t} lies outside [{schedule.MinTime}, {schedule.MaxTime}] of schedule {schedule.Name}.", nameof(times));
            if (i > 0 && !(t < _t[i - 1]))
                throw new ArgumentException($"times must be strictly decreasing: t[{i - 1}] = {_t[i - 1]}, t[{i}] = {t}.", nameof(times));
            _alpha[i] = schedule.Alpha(t);
            _sigma[i] = schedule.Sigma(t);
            if (!(_alpha[i] > 0)) throw new ArgumentException($"α = 0 at time {t}: logSNR is −∞ there.", nameof(times));
            if (_sigma[i] == 0 && i < n - 1) throw new ArgumentException($"σ = 0 at time {t} before the end of the grid.", nameof(times));
            _lambda[i] = _sigma[i] == 0 ? double.PositiveInfinity : schedule.LogSnr(t);
            if (i > 0 && !(_lambda[i] > _lambda[i - 1]))
                throw new ArgumentException($"logSNR must increase along the grid: λ[{i - 1}] = {_lambda[i - 1]}, λ[{i}] = {_lambda[i]}.", nameof(times));
        }
    }

    /// <summary>
    /// Builds an N-step grid of the given spacing from <paramref name="start"/> to <paramref name="end"/>
    /// (defaults: the schedule's). With <paramref name="denoiseToZero"/> the grid has N − 1 spaced steps
    /// followed by a final step to the schedule's zero-noise time.
    /// </summary>
    /// <exception cref="ArgumentException">Bad step count, times, ρ, or a zero-noise step on a schedule without one.</exception>
    public static SamplingGrid Create(NoiseSchedule schedule, int steps, GridSpacing spacing,
        double? start = null, double? end = null, double rho = 7, bool denoiseToZero = false)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, denoiseToZero ? 2 : 1);
        double t0 = start ?? schedule.DefaultStartTime, t1 = end ?? schedule.DefaultEndTime;
        schedule.CheckTime(t0, nameof(start));
        schedule.CheckTime(t1, nameof(end));
        if (!(t0 > t1)) throw new ArgumentException($"start {t0} must exceed end {t1}.", nameof(start));
        if (!(rho > 0) || !double.IsFinite(rho)) throw new ArgumentException($"rho must be positive, got {rho}.", nameof(rho));
        if (denoiseToZero && schedule.ZeroNoiseTime is null)
            throw new ArgumentException($"schedule {schedule.Name} never reaches σ = 0; a denoising final step is not available.", nameof(denoiseToZero));
        if (schedule.Sigma(t1) == 0 && spacing is GridSpacing.LogSnr or GridSpacing.Karras)
            throw new ArgumentException($"σ = 0 at the end time {t1}: {spacing} spacing needs σ > 0 there (use denoiseToZero for a final step to σ = 0).", nameof(end));
        int n = denoiseToZero ? steps - 1 : steps;
        var times = new double[denoiseToZero ? n + 2 : n + 1];
        double l0 = schedule.LogSnr(t0), l1 = schedule.LogSnr(t1);
        for (int i = 0; i <= n; i++)
        {
            double f = (double)i / n;
            times[i] = i == 0 ? t0 : i == n ? t1 : spacing switch
            {
                GridSpacing.UniformTime => t0 + f * (t1 - t0),
                GridSpacing.LogSnr => schedule.TimeOfLogSnr(l0 + f * (l1 - l0)),
                GridSpacing.TimeQuadratic => Square(Math.Sqrt(t0) + f * (Math.Sqrt(t1) - Math.Sqrt(t0))),
                GridSpacing.Karras => schedule.TimeOfLogSnr(-rho * Math.Log(Math.Exp(-l0 / rho) + f * (Math.Exp(-l1 / rho) - Math.Exp(-l0 / rho)))),
                _ => throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "unknown spacing."),
            };
        }
        if (denoiseToZero) times[^1] = schedule.ZeroNoiseTime!.Value;
        return new SamplingGrid(schedule, times);
    }

    private static double Square(double v) => v * v;

    /// <summary>The schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>Number of steps N (times − 1).</summary>
    public int Steps => _t.Length - 1;

    /// <summary>The times t₀ &gt; … &gt; t_N.</summary>
    public ReadOnlySpan<double> Times => _t;

    /// <summary>Time t_i.</summary>
    public double Time(int i) => _t[i];
    /// <summary>α at t_i.</summary>
    public double Alpha(int i) => _alpha[i];
    /// <summary>σ at t_i.</summary>
    public double Sigma(int i) => _sigma[i];
    /// <summary>λ at t_i (+∞ only at a final σ = 0).</summary>
    public double LogSnr(int i) => _lambda[i];

    /// <summary>Whether the last step goes to σ = 0 (taken as a denoising step by every sampler).</summary>
    public bool EndsAtZeroNoise => _sigma[^1] == 0;
}

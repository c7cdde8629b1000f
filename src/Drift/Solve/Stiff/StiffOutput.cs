using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// What a stiff loop records: states at the requested save times (the loop fills those inside a step by its dense
/// output), every accepted step when asked, the step records, and the final <see cref="OdeSolution"/>.
/// </summary>
internal sealed class StiffOutput(int dimension, AdaptiveOptions options)
{
    private readonly IReadOnlyList<double>? _times = options.SaveTimes;
    private readonly bool _steps = options.SaveSteps;
    private readonly SaveBuffer _buffer = new(dimension, (options.SaveTimes?.Count ?? 0) > 0 || options.SaveSteps ? (options.SaveTimes?.Count ?? 0) + (options.SaveSteps ? 64 : 0) : 1);
    private int _next;

    /// <summary>Every attempted step, or null unless <see cref="AdaptiveOptions.RecordSteps"/>.</summary>
    public List<StepRecord>? Records { get; } = options.RecordSteps ? [] : null;

    /// <summary>
    /// Evaluates f0 = f(t0, y) (one evaluation) and saves the initial state at t0 (for each save time equal to t0, and
    /// as the first step point); returns the failed solution when f0 is not finite, else null.
    /// </summary>
    public OdeSolution? Start<TDrift>(ref TDrift f, double t0, ReadOnlySpan<double> y, Span<double> f0) where TDrift : struct, IDrift
    {
        f.Evaluate(t0, y, f0, 1);
        int bad = StiffCommon.FirstNonFinite(f0);
        if (bad >= 0) return Finish(t0, y, SolveStatus.NonFinite, StiffCommon.Text($"f(t0 = {t0}, x0) component {bad} is {f0[bad]}."), 1, 0, 0, 0, 0);
        while (_times is not null && _next < _times.Count && _times[_next] == t0) { _buffer.Add(t0, y); _next++; }
        if (_steps) _buffer.Add(t0, y);
        return null;
    }

    /// <summary>
    /// The next save time ts ≤ <paramref name="tNew"/> not yet written, stored with <paramref name="yNew"/>: the caller
    /// overwrites <paramref name="destination"/> by its interpolant when ts &lt; tNew. False when none is left.
    /// </summary>
    public bool Next(double tNew, ReadOnlySpan<double> yNew, out double ts, out Span<double> destination)
    {
        if (_times is null || _next >= _times.Count || !(_times[_next] <= tNew))
        {
            ts = double.NaN;
            destination = default;
            return false;
        }
        ts = _times[_next++];
        destination = _buffer.Add(ts, yNew);
        return true;
    }

    /// <summary>Fills the save times not yet written with <paramref name="y"/>: a terminated path holds its state.</summary>
    public void Hold(ReadOnlySpan<double> y)
    {
        while (_times is not null && _next < _times.Count) _buffer.Add(_times[_next++], y);
    }

    /// <summary>Records the accepted step point (tNew, yNew) when every step is saved.</summary>
    public void Step(double tNew, ReadOnlySpan<double> yNew)
    {
        if (_steps && _buffer.LastTime != tNew) _buffer.Add(tNew, yNew);
    }

    /// <summary>The result; on success with nothing else saved, the final state is the one saved point.</summary>
    public OdeSolution Finish(double t, ReadOnlySpan<double> y, SolveStatus status, string message, long evaluations, long accepted, long rejected, long jacobians, long factorizations)
    {
        if (status == SolveStatus.Success && (_times?.Count ?? 0) == 0 && !_steps) _buffer.Add(t, y);
        var statistics = new OdeStatistics(evaluations, accepted, rejected, double.NaN, Records?.ToArray()) { JacobianEvaluations = jacobians, Factorizations = factorizations };
        return new OdeSolution(dimension, _buffer.Times, _buffer.States, _buffer.Count, t, y.ToArray(), status, message, statistics);
    }
}

using Drift.Solve.Events;

namespace Drift.Solve.Adaptive;

/// <summary>One adaptively integrated trajectory: saved states, final state, status and statistics.</summary>
public sealed class OdeSolution
{
    private readonly double[] _times;
    private readonly double[] _states;
    private readonly double[] _final;

    internal OdeSolution(int dimension, double[] times, double[] states, int count, double finalTime, double[] finalState,
        SolveStatus status, string message, OdeStatistics statistics)
    {
        Dimension = dimension;
        _times = times;
        _states = states;
        Count = count;
        FinalTime = finalTime;
        _final = finalState;
        Status = status;
        Message = message;
        Statistics = statistics;
    }

    /// <summary>State dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of saved points.</summary>
    public int Count { get; }

    /// <summary>Why the solve stopped.</summary>
    public SolveStatus Status { get; }

    /// <summary>Empty on success; otherwise the cause, with the time and the offending value.</summary>
    public string Message { get; }

    /// <summary>Time reached: t1 on success, otherwise the end of the last accepted step.</summary>
    public double FinalTime { get; }

    /// <summary>The state at <see cref="FinalTime"/> (length d).</summary>
    public ReadOnlySpan<double> FinalState => _final;

    /// <summary>Function evaluations, accepted and rejected steps, stiffness, per-step records.</summary>
    public OdeStatistics Statistics { get; }

    /// <summary>The continuous events located on this trajectory, in time order (path index 0); empty without events.</summary>
    public IReadOnlyList<EventRecord> Events { get; internal set; } = [];

    /// <summary>Saved times, in order.</summary>
    public ReadOnlySpan<double> Times => _times.AsSpan(0, Count);

    /// <summary>The k-th saved state (length d).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not in [0, Count).</exception>
    public ReadOnlySpan<double> State(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Count);
        return _states.AsSpan(k * Dimension, Dimension);
    }
}

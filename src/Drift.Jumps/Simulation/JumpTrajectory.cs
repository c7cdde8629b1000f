using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// One run of a network recorded at every event: the initial counts x(0), the event times 0 &lt; τ₁ ≤ τ₂ ≤ … ≤ T and
/// the reaction that fired at each, on the window [0, <see cref="EndTime"/>]. The path is piecewise constant and
/// right-continuous: x(t) = x(0) + Σ_{τₖ ≤ t} ν_{jₖ}. Made by <see cref="JumpSimulator.Trajectory"/> or built from
/// observed data with the constructor (the input of <see cref="Inference.RateInference.FromTrajectories"/>).
/// </summary>
public sealed class JumpTrajectory
{
    private readonly long[] _initial;
    private readonly double[] _times;
    private readonly int[] _reactions;

    /// <summary>A fully observed trajectory of <paramref name="network"/>.</summary>
    /// <param name="network">The network whose reactions the indices name.</param>
    /// <param name="initialCounts">x(0), one count per species.</param>
    /// <param name="eventTimes">Non-decreasing event times in [0, <paramref name="endTime"/>].</param>
    /// <param name="reactions">The reaction fired at each event (index into <see cref="ReactionNetwork.Reactions"/>).</param>
    /// <param name="endTime">End T of the observation window (the path is observed on [0, T]).</param>
    /// <exception cref="ArgumentException">Lengths differ, a time is out of order or outside [0, T], an index is out of range, or a firing makes a count negative.</exception>
    public JumpTrajectory(ReactionNetwork network, IReadOnlyList<long> initialCounts, IReadOnlyList<double> eventTimes, IReadOnlyList<int> reactions, double endTime)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(initialCounts);
        ArgumentNullException.ThrowIfNull(eventTimes);
        ArgumentNullException.ThrowIfNull(reactions);
        if (!(endTime > 0) || double.IsInfinity(endTime)) throw new ArgumentException($"the end time must be positive and finite, got {endTime}.", nameof(endTime));
        if (initialCounts.Count != network.SpeciesCount) throw new ArgumentException($"expected {network.SpeciesCount} initial counts, got {initialCounts.Count}.", nameof(initialCounts));
        if (eventTimes.Count != reactions.Count) throw new ArgumentException($"{eventTimes.Count} event times but {reactions.Count} reactions.", nameof(reactions));
        var x = initialCounts.ToArray();
        for (int i = 0; i < x.Length; i++)
            if (x[i] < 0) throw new ArgumentException($"the initial count of {network.Species[i]} is negative ({x[i]}).", nameof(initialCounts));
        double previous = 0;
        for (int k = 0; k < eventTimes.Count; k++)
        {
            double t = eventTimes[k];
            if (!(t >= previous && t <= endTime)) throw new ArgumentException($"event {k} at time {t} is out of order or outside [0, {endTime}].", nameof(eventTimes));
            previous = t;
            int j = reactions[k];
            if ((uint)j >= (uint)network.ReactionCount) throw new ArgumentException($"event {k} names reaction {j}; the network has {network.ReactionCount}.", nameof(reactions));
            for (int i = 0; i < x.Length; i++)
                if ((x[i] += network.NetChange(j, i)) < 0)
                    throw new ArgumentException($"event {k} (reaction on line {network.Reactions[j].Line}) at time {t} makes {network.Species[i]} negative.", nameof(reactions));
        }
        Network = network;
        _initial = [.. initialCounts];
        _times = [.. eventTimes];
        _reactions = [.. reactions];
        EndTime = endTime;
    }

    internal JumpTrajectory(ReactionNetwork network, long[] initial, double[] times, int[] reactions, double endTime, bool stopped)
    {
        Network = network;
        _initial = initial;
        _times = times;
        _reactions = reactions;
        EndTime = endTime;
        Stopped = stopped;
    }

    /// <summary>The network.</summary>
    public ReactionNetwork Network { get; }

    /// <summary>x(0).</summary>
    public IReadOnlyList<long> InitialCounts => _initial;

    /// <summary>Event times τₖ, non-decreasing.</summary>
    public IReadOnlyList<double> EventTimes => _times;

    /// <summary>The reaction fired at each event.</summary>
    public IReadOnlyList<int> Reactions => _reactions;

    /// <summary>Number of events.</summary>
    public int EventCount => _times.Length;

    /// <summary>End T of the window: the path is known on [0, T] (the run was simulated to T, or stopped at <see cref="JumpOptions.MaxEventsPerRun"/>, then T is the last event's time).</summary>
    public double EndTime { get; }

    /// <summary>Whether the run hit the event limit before t1 (then <see cref="EndTime"/> is the time of its last event).</summary>
    public bool Stopped { get; }

    /// <summary>x(t) = x(0) + Σ_{τₖ ≤ t} ν_{jₖ} (right-continuous).</summary>
    /// <exception cref="ArgumentException">t is outside [0, T].</exception>
    public long[] StateAt(double t)
    {
        if (!(t >= 0 && t <= EndTime)) throw new ArgumentException($"t must lie in [0, {EndTime}], got {t}.", nameof(t));
        var x = _initial.ToArray();
        for (int k = 0; k < _times.Length && _times[k] <= t; k++) Apply(_reactions[k], x);
        return x;
    }

    /// <summary>Calls <paramref name="visit"/>(x, start, end) for each constant piece [start, end) of the path, in order; x is the state on that piece (do not keep it).</summary>
    public void ForEachPiece(Action<long[], double, double> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var x = _initial.ToArray();
        double start = 0;
        for (int k = 0; k < _times.Length; k++)
        {
            if (_times[k] > start) visit(x, start, _times[k]);
            start = _times[k];
            Apply(_reactions[k], x);
        }
        if (EndTime > start) visit(x, start, EndTime);
    }

    private void Apply(int j, long[] x)
    {
        for (int i = 0; i < x.Length; i++) x[i] += Network.NetChange(j, i);
    }
}

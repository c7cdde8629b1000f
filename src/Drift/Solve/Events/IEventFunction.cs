namespace Drift.Solve.Events;

/// <summary>
/// The event functions g(t, x) ∈ ℝ^K of continuous events: event i occurs where component gᵢ(t, x(t)) crosses zero.
/// Implement on a struct and pass it by type (<see cref="ContinuousEvents.Create{TFunction}(TFunction, EventDirection, EventAffect)"/>), so a solver loop
/// evaluates it without a virtual or delegate call.
/// </summary>
/// <remarks>
/// One path at a time: <c>x</c> is one path's state (length d). g should be continuous in t along a trajectory;
/// a crossing is a change of sign between two points where g is evaluated (the ends of a step and the root finder's trials),
/// so an even number of crossings inside one step goes unseen, as in every event-locating solver (keep steps short
/// where g oscillates). NaN in g is never taken for a crossing.
/// </remarks>
public interface IEventFunction
{
    /// <summary>Number K of event components (at least 1).</summary>
    int Count { get; }

    /// <summary>Writes g(t, x) (K values) for one path's state x (d values).</summary>
    void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g);
}

/// <summary>No continuous event (K = 0): the event function of a solve that has discrete callbacks only.</summary>
public readonly struct NoEventFunction : IEventFunction
{
    /// <inheritdoc/>
    public int Count => 0;

    /// <inheritdoc/>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g)
    {
    }
}

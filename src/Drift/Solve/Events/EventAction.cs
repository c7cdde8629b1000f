namespace Drift.Solve.Events;

/// <summary>What a path does after an event or a callback has run its affect.</summary>
public enum EventAction
{
    /// <summary>Go on integrating from the (possibly modified) state at the event time.</summary>
    Continue,
    /// <summary>Stop the path at the event time. Its status stays <see cref="SolveStatus.Success"/>; its state is held from then on (save times after the stop report the stopped state).</summary>
    Terminate,
}

/// <summary>
/// The affect of an event or callback: may change one path's state <paramref name="x"/> (d values) in place at time
/// <paramref name="t"/> — a velocity flip at an impact, a dose at a given time — and says whether the path goes on.
/// </summary>
/// <param name="index">The event component i that crossed zero, or for a discrete callback the index of its time.</param>
/// <param name="t">The event or callback time.</param>
/// <param name="x">The path's state at t, to modify in place; it must stay finite.</param>
/// <returns><see cref="EventAction.Continue"/> or <see cref="EventAction.Terminate"/>.</returns>
public delegate EventAction EventAffect(int index, double t, Span<double> x);

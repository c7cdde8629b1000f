namespace Drift.Solve.Events;

/// <summary>
/// The callback times still ahead of a path (or of a chunk of paths on a fixed grid): what the next stop is, and which
/// callbacks are due once a step ends on it.
/// </summary>
internal sealed class CallbackSchedule(DiscreteCallbacks callbacks)
{
    private int _next;

    /// <summary>The next callback time not yet run, or +∞.</summary>
    public double Next => _next < callbacks.Times.Count ? callbacks.Times[_next] : double.PositiveInfinity;

    /// <summary>Starts over from the first callback time (a new path or chunk).</summary>
    public void Reset() => _next = 0;

    /// <summary>
    /// The next callback due at or before <paramref name="t"/> (to within <paramref name="slack"/>), advancing past it:
    /// its index in <see cref="DiscreteCallbacks.Times"/>, or −1 when none is due.
    /// </summary>
    public int TakeDue(double t, double slack = 0)
    {
        if (_next >= callbacks.Times.Count || callbacks.Times[_next] > t + slack) return -1;
        return _next++;
    }

    /// <summary>Runs every callback due at or before t on one path's state x; stops at the first that terminates.</summary>
    public EventAction Run(double t, Span<double> x)
    {
        for (int index = TakeDue(t); index >= 0; index = TakeDue(t))
            if (Apply(index, x) == EventAction.Terminate)
            {
                _next = callbacks.Times.Count;
                return EventAction.Terminate;
            }
        return EventAction.Continue;
    }

    /// <summary>Runs callback <paramref name="index"/> on one path's state (a state it leaves non-finite fails the path as any NaN does).</summary>
    public EventAction Apply(int index, Span<double> x) => callbacks.Affect(index, callbacks.Times[index], x);
}

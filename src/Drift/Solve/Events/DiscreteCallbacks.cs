namespace Drift.Solve.Events;

/// <summary>
/// Discrete callbacks: an affect run on every path at given times t₁ &lt; t₂ &lt; … (a dose, a rebalancing, a reset).
/// Steps land on the times — adaptive loops shorten the step that would pass one, fixed grids get them as grid
/// points — so each runs at exactly its time, after the step that ends there, with the state at that time; the
/// affect's index is the time's position in <see cref="Times"/>. Save times equal to a callback time record the state
/// after it (with <c>SaveAt.EveryStep</c> under an adaptive controller, the step's point is saved before it). A callback
/// time equal to t0 runs before the first step, after the initial state is saved.
/// Set on <c>SolveOptions.Callbacks</c> (or <see cref="Adaptive.AdaptiveOptions.Callbacks"/>).
/// </summary>
public sealed class DiscreteCallbacks
{
    /// <summary>Callbacks at the given times.</summary>
    /// <param name="times">Finite times, which must lie in [t0, t1] of the solve; sorted and deduplicated here.</param>
    /// <param name="affect">Run at each time on each path; may modify the state and stop the path.</param>
    /// <exception cref="ArgumentException">No times, or a time that is not finite.</exception>
    public DiscreteCallbacks(double[] times, EventAffect affect)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(affect);
        if (times.Length == 0) throw new ArgumentException("callback times are empty; give at least one time.", nameof(times));
        foreach (double t in times)
            if (!double.IsFinite(t)) throw new ArgumentException($"callback time {t} is not finite.", nameof(times));
        var sorted = (double[])times.Clone();
        Array.Sort(sorted);
        Times = sorted.Distinct().ToArray();
        Affect = affect;
    }

    /// <summary>The callback times, increasing.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>The affect; its index argument is the position of the time in <see cref="Times"/>.</summary>
    public EventAffect Affect { get; }

    /// <summary>Throws unless every time lies in [t0, t1].</summary>
    internal void Validate(double t0, double t1, string parameter)
    {
        foreach (double t in Times)
            if (t < t0 || t > t1) throw new ArgumentException($"callback time {t} lies outside [t0, t1] = [{t0}, {t1}].", parameter);
    }
}

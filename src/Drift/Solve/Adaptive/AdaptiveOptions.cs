using Drift.Solve.Events;

namespace Drift.Solve.Adaptive;

/// <summary>What an adaptive ODE solve controls, saves and records.</summary>
public sealed record AdaptiveOptions
{
    /// <summary>Step-size control and tolerances.</summary>
    public PidController Controller { get; init; } = new();

    /// <summary>
    /// Times in [t0, t1], non-decreasing, at which to save the state. Between step ends the state
    /// comes from the method's dense output (no step is shortened to hit a save time); a save time
    /// that coincides with a step end gets the step's state exactly. Null: none.
    /// </summary>
    public IReadOnlyList<double>? SaveTimes { get; init; }

    /// <summary>Save t0 and the state after every accepted step. When neither this nor <see cref="SaveTimes"/> is set, only the final state is saved.</summary>
    public bool SaveSteps { get; init; }

    /// <summary>Record every attempted step's size, error norm and stiffness estimate in <see cref="OdeStatistics.Steps"/> (costs one stiffness estimate per accepted step).</summary>
    public bool RecordSteps { get; init; }

    /// <summary>Run Hairer's stiffness test (every 1000 accepted steps, then every step while suspicious; default true).</summary>
    public bool DetectStiffness { get; init; } = true;

    /// <summary>
    /// For in-place stiffness switching (<see cref="Stiff.AutoSwitch{TExplicit, TStiff}"/>): test every accepted step (not every
    /// 1000th) and end the solve, with <see cref="SolveStatus.Success"/> and <see cref="OdeSolution.FinalTime"/> before t1, at
    /// the end of the step on which Hairer's test declares the problem stiff.
    /// </summary>
    internal bool StopWhenStiff { get; init; }

    /// <summary>
    /// Continuous events g(t, x) = 0, located on the method's dense output after each accepted step
    /// (<see cref="ContinuousEvents"/>), or null: none, and the loop is the one without events.
    /// </summary>
    public ContinuousEvents? Events { get; init; }

    /// <summary>Callbacks at given times, on which steps land (<see cref="DiscreteCallbacks"/>), or null.</summary>
    public DiscreteCallbacks? Callbacks { get; init; }

    /// <summary>Worker threads for <see cref="AdaptiveOde.SolveBatch{TDrift, TMethod}"/> (0 = all cores). Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Stops the solve early. A trajectory checks it before every attempted step and stops with
    /// <see cref="SolveStatus.Cancelled"/>, keeping what it saved so far; a batch then starts no further path
    /// (every path not finished has status <see cref="SolveStatus.Cancelled"/>).
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Receives (paths done, paths total): <see cref="AdaptiveOde.SolveBatch{TDrift, TMethod}"/> reports as paths finish
    /// (about every 1 % of the paths, and always the last); <see cref="AdaptiveOde.Solve{TDrift, TMethod}"/> reports (1, 1) at the end.
    /// Reports may come from worker threads.
    /// </summary>
    public IProgress<SolveProgress>? Progress { get; init; }
}

using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;
using Drift.Statistics;

namespace Drift;

/// <summary>
/// What <see cref="DiffEq"/>'s one solve returns, whatever the problem, solver or controller: the save times,
/// statistics over paths at each (moments, quantiles), every path's states when kept (always for one path),
/// one status, the failed paths with their causes, and the work done.
/// </summary>
public sealed class Solution
{
    internal Solution(EnsembleSolution ensemble, SolveStatistics statistics, IReadOnlyList<PathStepRecord> steps, double stiffnessDetectedAt, string? message = null)
    {
        Ensemble = ensemble;
        Statistics = statistics;
        Steps = steps;
        StiffnessDetectedAt = stiffnessDetectedAt;
        Status = ensemble.Status switch
        {
            SolveStatus.Diverged when ensemble.Divergences.Count > 0 => ensemble.Divergences[0].Cause,
            SolveStatus.Diverged => SolveStatus.NonFinite,
            var s => s,
        };
        Message = message ?? Status switch
        {
            SolveStatus.Success => "",
            SolveStatus.Cancelled => $"cancelled after {ensemble.PathCount} paths",
            _ => ensemble.DivergedPaths == 1 ? ensemble.Divergences[0].ToString()
                : $"{ensemble.DivergedPaths} paths failed; the first: {ensemble.Divergences[0]}",
        };
    }

    /// <summary>The statistics layer underneath: moments, sketches and per-path states at the save times (shards merge with <see cref="EnsembleSolution.Merge"/>).</summary>
    public EnsembleSolution Ensemble { get; }

    /// <summary>
    /// Why the solve stopped: <see cref="SolveStatus.Success"/>, <see cref="SolveStatus.Cancelled"/>, or the cause of
    /// the lowest-indexed failed path (<see cref="SolveStatus.MaxSteps"/>, <see cref="SolveStatus.StepTooSmall"/>,
    /// <see cref="SolveStatus.NonFinite"/>, <see cref="SolveStatus.NotConverged"/> for a singular iteration matrix or a
    /// Newton failure of a stiff solver); every failed path is in <see cref="Failures"/> with its own cause.
    /// </summary>
    public SolveStatus Status { get; }

    /// <summary>Empty on success; otherwise which path, when and why.</summary>
    public string Message { get; }

    /// <summary>The save times.</summary>
    public IReadOnlyList<double> Times => Ensemble.Times;

    /// <summary>State dimension d.</summary>
    public int Dimension => Ensemble.Dimension;

    /// <summary>Index of the first path.</summary>
    public long FirstPath => Ensemble.FirstPath;

    /// <summary>Paths solved (fewer than asked only after cancellation).</summary>
    public long Paths => Ensemble.PathCount;

    /// <summary>Accepted and rejected steps, evaluations and the step range, summed over paths.</summary>
    public SolveStatistics Statistics { get; }

    /// <summary>The failed paths (the first 100 by index), each with time, component and cause; excluded from every statistic.</summary>
    public IReadOnlyList<Divergence> Failures => Ensemble.Divergences;

    /// <summary>Number of failed paths.</summary>
    public long FailedPaths => Ensemble.DivergedPaths;

    /// <summary>Every attempted step of the paths asked for by <see cref="SolveOptions.RecordStepsOfPaths"/> (adaptive solves), by path then time.</summary>
    public IReadOnlyList<PathStepRecord> Steps { get; }

    /// <summary>
    /// The continuous events located on every path (<see cref="SolveOptions.Events"/>), ordered by path then time, each
    /// with its global path index, time, component and whether the path stopped there; empty without events.
    /// </summary>
    public IReadOnlyList<EventRecord> Events { get; internal init; } = [];

    /// <summary>
    /// A single-path adaptive ODE solve (embedded pair or stiff method, <see cref="SolveOptions.Paths"/> = 1): the path's
    /// own result as its loop returned it — the time t_stop and state x(t_stop) where it stopped (t1 on success; the
    /// last accepted step's end when it failed, where <see cref="State(int)"/> is NaN), its message and counters, and
    /// its saved states. Null for every other solve (fixed steps, SDEs, ensembles).
    /// </summary>
    public OdeSolution? Trajectory { get; internal init; }

    /// <summary>Adaptive ODEs: the earliest time at which Hairer's test declared a path stiff, or NaN.</summary>
    public double StiffnessDetectedAt { get; }

    /// <summary>Moments of a component over the finite paths at a save.</summary>
    public Moments Moments(int save, int component) => Ensemble.Moments(save, component);

    /// <summary>Moments of a component at the final save.</summary>
    public Moments Final(int component) => Ensemble.Final(component);

    /// <summary>The q-quantile of a component at a save (relative error ≤ 0.2 %).</summary>
    public double Quantile(int save, int component, double q) => Ensemble.Quantile(save, component, q);

    /// <summary>The state of one path (global index) at a save, component by component; NaN after the path failed.</summary>
    /// <exception cref="InvalidOperationException">Paths were not kept (set <see cref="SolveOptions.KeepPaths"/>).</exception>
    public double[] State(int save, long path)
    {
        var x = new double[Dimension];
        for (int i = 0; i < x.Length; i++) x[i] = Ensemble.Path(save, i, path);
        return x;
    }

    /// <summary>The state of the first path at a save (the trajectory of a single-path solve).</summary>
    public double[] State(int save) => State(save, FirstPath);

    /// <summary>The first path's state at the final save.</summary>
    public double[] FinalState => State(Times.Count - 1);

    /// <summary>Component <paramref name="component"/> of every path at a save.</summary>
    public ReadOnlySpan<double> PathsAt(int save, int component) => Ensemble.PathsAt(save, component);
}

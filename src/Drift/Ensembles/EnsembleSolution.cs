using Drift.Solve;
using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// The outcome of an ensemble solve: save times, per-component statistics at each save time,
/// optional per-path states, divergences and solver counters.
/// </summary>
public sealed class EnsembleSolution
{
    private const int MaxListedDivergences = 100;

    internal EnsembleSolution(double[] times, int dimension, long firstPath, long paths, Moments[] moments, QuantileSketch[]? sketches,
        double[]? pathValues, SolveStatus status, List<Divergence> divergences, long divergedPaths, SolveCounters counters)
    {
        Times = times;
        Dimension = dimension;
        FirstPath = firstPath;
        PathCount = paths;
        _moments = moments;
        _sketches = sketches;
        _paths = pathValues;
        Status = status;
        divergences.Sort((a, b) => a.Path.CompareTo(b.Path));
        Divergences = divergences.Take(MaxListedDivergences).ToArray();
        DivergedPaths = divergedPaths;
        Counters = counters;
    }

    /// <summary>
    /// One deterministic trajectory (an adaptive or stiff ODE solve) as a one-path solution, so that the
    /// writers and plots of ensembles serve it too: every save point is a "path" value, moments are of one value.
    /// A trajectory that stopped early counts as one diverged path (its saved points before the stop are kept).
    /// </summary>
    public static EnsembleSolution FromTrajectory(Solve.Adaptive.OdeSolution trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        int d = trajectory.Dimension, n = trajectory.Count;
        var times = trajectory.Times.ToArray();
        var values = new double[n * d];
        var moments = new Moments[n * d];
        for (int k = 0; k < n; k++)
        {
            var x = trajectory.State(k);
            for (int i = 0; i < d; i++)
            {
                values[k * d + i] = x[i];
                moments[k * d + i] = Statistics.Moments.Of([x[i]]);
            }
        }
        bool ok = trajectory.Status == Solve.SolveStatus.Success;
        var stats = trajectory.Statistics;
        return new EnsembleSolution(times, d, 0, 1, moments, null, values, ok ? SolveStatus.Success : SolveStatus.Diverged, [],
            ok ? 0 : 1, new SolveCounters(stats.AcceptedSteps, stats.FunctionEvaluations, 0));
    }

    /// <summary>This solution with other counters (a merge of shards whose per-path counters differ, e.g. events of jump runs).</summary>
    internal EnsembleSolution WithCounters(SolveCounters counters) =>
        new(Times, Dimension, FirstPath, PathCount, _moments, _sketches, _paths, Status, [.. Divergences], DivergedPaths, counters) { State = State };

    private readonly Moments[] _moments;
    private readonly QuantileSketch[]? _sketches;
    private readonly double[]? _paths;

    /// <summary>The saved times.</summary>
    public double[] Times { get; }

    /// <summary>State dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Index of the first simulated path.</summary>
    public long FirstPath { get; }

    /// <summary>Number of simulated paths.</summary>
    public long PathCount { get; }

    /// <summary>Why the solve stopped.</summary>
    public SolveStatus Status { get; }

    /// <summary>The first (by path index) of the paths that diverged, at most 100.</summary>
    public IReadOnlyList<Divergence> Divergences { get; }

    /// <summary>Number of paths that diverged (excluded from every statistic).</summary>
    public long DivergedPaths { get; }

    /// <summary>Steps and function evaluations.</summary>
    public SolveCounters Counters { get; }

    /// <summary>
    /// The mergeable statistics of a shard (<see cref="EnsembleOptions.Shard"/>): write them with
    /// <see cref="EnsembleState.Write"/> and combine shards with <see cref="EnsembleState.Merge"/>. Null when no shard
    /// was asked for or the solve was cancelled.
    /// </summary>
    public EnsembleState? State { get; internal set; }

    /// <summary>Whether per-path states were kept.</summary>
    public bool HasPaths => _paths is not null;

    /// <summary>Whether quantile sketches were kept (<see cref="EnsembleOptions.TrackQuantiles"/>).</summary>
    public bool HasQuantileSketches => _sketches is not null;

    /// <summary>Moments of component <paramref name="component"/> over the finite paths at save <paramref name="save"/>.</summary>
    public Moments Moments(int save, int component) => _moments[Index(save, component)];

    /// <summary>Moments of a component at the final save time.</summary>
    public Moments Final(int component) => Moments(Times.Length - 1, component);

    /// <summary>
    /// The q-quantile of a component at a save time (relative error ≤ 0.2 %); for a single kept path without sketches,
    /// its value (exact), or NaN once it diverged.
    /// </summary>
    /// <exception cref="InvalidOperationException">Quantiles were not tracked.</exception>
    public double Quantile(int save, int component, double q)
    {
        if (_sketches is not null) return _sketches[Index(save, component)].Quantile(q);
        if (_paths is null || PathCount != 1) throw new InvalidOperationException("quantiles were not tracked: set EnsembleOptions.TrackQuantiles.");
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile probability must lie in [0, 1].");
        return Path(save, component, FirstPath);
    }

    /// <summary>The state of one path (global index) at a save time; NaN after the path diverged.</summary>
    /// <exception cref="InvalidOperationException">Paths were not kept.</exception>
    public double Path(int save, int component, long path)
    {
        var values = _paths ?? throw new InvalidOperationException("per-path states were not kept: set EnsembleOptions.KeepPaths.");
        if (path < FirstPath || path >= FirstPath + PathCount)
            throw new ArgumentOutOfRangeException(nameof(path), path, $"paths {FirstPath}..{FirstPath + PathCount - 1} were simulated.");
        return values[(long)Index(save, component) * PathCount + (path - FirstPath)];
    }

    /// <summary>Component <paramref name="component"/> of every path at a save time.</summary>
    public ReadOnlySpan<double> PathsAt(int save, int component)
    {
        var values = _paths ?? throw new InvalidOperationException("per-path states were not kept: set EnsembleOptions.KeepPaths.");
        return values.AsSpan((int)((long)Index(save, component) * PathCount), (int)PathCount);
    }

    private int Index(int save, int component)
    {
        if ((uint)save >= (uint)Times.Length) throw new ArgumentOutOfRangeException(nameof(save), save, $"there are {Times.Length} save times.");
        if ((uint)component >= (uint)Dimension) throw new ArgumentOutOfRangeException(nameof(component), component, $"the state has {Dimension} components.");
        return save * Dimension + component;
    }

    /// <summary>
    /// Combines the solutions of two shards of one run (adjacent path ranges, same problem, grid and
    /// seed) into the solution of the union: moments merge to rounding, quantile sketches exactly.
    /// </summary>
    /// <exception cref="ArgumentException">The shards are not adjacent or were saved at different times.</exception>
    public static EnsembleSolution Merge(EnsembleSolution first, EnsembleSolution second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.FirstPath + first.PathCount != second.FirstPath)
            throw new ArgumentException($"shards must be adjacent: the first covers paths up to {first.FirstPath + first.PathCount}, the second starts at {second.FirstPath}.", nameof(second));
        if (first.Dimension != second.Dimension || !first.Times.AsSpan().SequenceEqual(second.Times))
            throw new ArgumentException("shards must come from the same problem and save times.", nameof(second));
        var moments = new Moments[first._moments.Length];
        for (int i = 0; i < moments.Length; i++) moments[i] = first._moments[i].Merge(second._moments[i]);
        QuantileSketch[]? sketches = null;
        if (first._sketches is not null && second._sketches is not null)
        {
            sketches = new QuantileSketch[first._sketches.Length];
            for (int i = 0; i < sketches.Length; i++)
            {
                sketches[i] = new QuantileSketch();
                sketches[i].Merge(first._sketches[i]);
                sketches[i].Merge(second._sketches[i]);
            }
        }
        double[]? paths = null;
        long total = first.PathCount + second.PathCount;
        if (first._paths is not null && second._paths is not null)
        {
            paths = new double[moments.Length * total];
            for (int row = 0; row < moments.Length; row++)
            {
                first._paths.AsSpan((int)(row * first.PathCount), (int)first.PathCount).CopyTo(paths.AsSpan((int)(row * total)));
                second._paths.AsSpan((int)(row * second.PathCount), (int)second.PathCount).CopyTo(paths.AsSpan((int)(row * total + first.PathCount)));
            }
        }
        var status = first.Status == SolveStatus.Cancelled || second.Status == SolveStatus.Cancelled ? SolveStatus.Cancelled
            : first.Status == SolveStatus.Diverged || second.Status == SolveStatus.Diverged ? SolveStatus.Diverged : SolveStatus.Success;
        return new EnsembleSolution(first.Times, first.Dimension, first.FirstPath, total, moments, sketches, paths, status,
            [.. first.Divergences, .. second.Divergences], first.DivergedPaths + second.DivergedPaths, first.Counters);
    }
}

/// <summary>Work done per path by a solve.</summary>
/// <param name="Steps">Steps taken per path.</param>
/// <param name="DriftEvaluations">Drift (or ODE right-hand side) evaluations per path.</param>
/// <param name="DiffusionEvaluations">Diffusion evaluations per path.</param>
public readonly record struct SolveCounters(long Steps, long DriftEvaluations, long DiffusionEvaluations);

using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;
using Drift.Solve.Stiff;

namespace Drift;

/// <summary>
/// <see cref="DiffEq"/>'s adaptive ODE branch: each path runs <see cref="AdaptiveOde"/>'s loop (or a stiff method's) with its own steps,
/// and the states at the save times are reduced into the same statistics (moments per block of 256 paths, folded
/// in path order; quantile sketches) as every other solve, so the result does not depend on threads.
/// </summary>
internal static class AdaptiveOdeSolve
{
    public static Solution Run<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, SolveOptions options, PidController controller)
        where TDrift : struct, IDrift
        where TMethod : struct, IEmbeddedMethod
    {
        var (paths, adaptiveOptions) = Prepare(options, controller);
        OdeSolution[] results;
        if (paths == 1 && problem.PathInitialStates is null)
            results = [AdaptiveOde.Solve(problem, method, adaptiveOptions)];
        else
        {
            var batch = AdaptiveOde.SolveBatch(Shifted(problem, options.FirstPath), method, paths, adaptiveOptions);
            results = new OdeSolution[paths];
            for (int p = 0; p < paths; p++) results[p] = batch[p];
        }
        return Reduce(problem, results, options);
    }

    /// <summary>The same for a stiff method (<see cref="IStiffMethod"/>): each path is one <see cref="IStiffMethod.Solve{TDrift}"/>, paths in parallel on <see cref="SolveOptions.Threads"/> workers.</summary>
    public static Solution RunStiff<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, SolveOptions options, PidController controller)
        where TDrift : struct, IDrift
        where TMethod : struct, IStiffMethod
    {
        var (paths, adaptiveOptions) = Prepare(options, controller);
        OdeSolution[] results;
        if (paths == 1 && problem.PathInitialStates is null)
            results = [method.Solve(problem, adaptiveOptions)];
        else
        {
            var shifted = Shifted(problem, options.FirstPath);
            int d = problem.Dimension;
            var x0 = new double[d * paths];
            if (shifted.PathInitialStates is { } init) init(0, paths, x0);
            else
                for (int i = 0; i < d; i++) x0.AsSpan(i * paths, paths).Fill(problem.InitialState[i]);
            for (int j = 0; j < x0.Length; j++)
                if (!double.IsFinite(x0[j]))
                    throw new ArgumentException($"initial state of path {options.FirstPath + j % paths}, component {j / paths}, is {x0[j]}; it must be finite.", nameof(problem));
            results = new OdeSolution[paths];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads };
            OdeSolution SolvePath(int p)
            {
                var state = new double[d];
                for (int i = 0; i < d; i++) state[i] = x0[i * paths + p];
                return method.Solve(new OdeProblem<TDrift>(problem.Drift, state, problem.T0, problem.T1) { JacobianSparsity = problem.JacobianSparsity }, adaptiveOptions);
            }
            results[0] = SolvePath(0); // on the caller's thread, so invalid settings surface as the method's ArgumentException
            Parallel.For(1, paths, parallel, p => results[p] = SolvePath(p));
        }
        return Reduce(problem, results, options);
    }

    private static (int Paths, AdaptiveOptions Options) Prepare(SolveOptions options, PidController controller)
    {
        if (options.Paths > int.MaxValue) throw new ArgumentException($"adaptive ODE solves take at most {int.MaxValue} paths, got {options.Paths}.", nameof(options));
        if (options.FirstPath < 0 || options.FirstPath % 256 != 0)
            throw new ArgumentException($"the first path index must be a non-negative multiple of 256, got {options.FirstPath}.", nameof(options));
        int paths = (int)options.Paths;
        int every = options.Save.EveryKSteps;
        if (every > 0 && paths > 1)
            throw new ArgumentException("SaveAt.EveryStep with an adaptive controller needs a single path (each path has its own steps); save at given times (SaveAt.Times) for ensembles.", nameof(options));
        var adaptiveOptions = new AdaptiveOptions
        {
            Controller = controller, SaveTimes = options.Save.RequestedTimes, SaveSteps = every > 0, RecordSteps = options.RecordStepsOfPaths > 0,
            DetectStiffness = options.DetectStiffness, Threads = options.Threads, Events = options.Events, Callbacks = options.Callbacks,
            CancellationToken = options.CancellationToken, Progress = options.Progress,
        };
        return (paths, adaptiveOptions);
    }

    /// <summary>The problem with its per-path initial states renumbered so that path 0 of the batch is global path <paramref name="firstPath"/>.</summary>
    private static OdeProblem<TDrift> Shifted<TDrift>(OdeProblem<TDrift> problem, long firstPath) where TDrift : struct, IDrift
    {
        if (problem.PathInitialStates is not { } init || firstPath == 0) return problem;
        return new OdeProblem<TDrift>(problem.Drift, problem.InitialState, problem.T0, problem.T1)
        {
            PathInitialStates = (first, n, x) => init(first + firstPath, n, x),
            JacobianSparsity = problem.JacobianSparsity,
        };
    }

    private static Solution Reduce<TDrift>(OdeProblem<TDrift> problem, OdeSolution[] results, SolveOptions options)
        where TDrift : struct, IDrift
    {
        int d = problem.Dimension, paths = results.Length, every = options.Save.EveryKSteps;
        // Which saved points each path reports, as indices into its own saved list (or −1: its final state).
        double[] times;
        int[] picks;
        if (options.Save.RequestedTimes is { } requested)
        {
            times = requested;
            picks = Enumerable.Range(0, requested.Length).ToArray();
        }
        else if (every > 0)
        {
            var only = results[0];
            var chosen = new List<int>();
            for (int k = 0; k < only.Count; k += every) chosen.Add(k);
            if (chosen[^1] != only.Count - 1) chosen.Add(only.Count - 1);
            picks = [.. chosen];
            times = picks.Select(k => only.Times[k]).ToArray();
        }
        else
        {
            times = [problem.T1];
            picks = [-1];
        }

        var ensembleOptions = new EnsembleOptions
        {
            Paths = paths, FirstPath = options.FirstPath, ChunkSize = options.EffectiveChunkSize, Steps = 1,
            KeepPaths = options.KeepPaths || paths == 1, TrackQuantiles = options.SketchQuantiles,
        };
        ensembleOptions.Validate();
        var accumulator = new EnsembleAccumulator(d, times.Length, ensembleOptions);
        var sketches = accumulator.CreateSketches();
        // After cancellation only the whole chunks before the first cancelled path count, as in every ensemble.
        int firstCancelled = Array.FindIndex(results, r => r.Status == SolveStatus.Cancelled);
        bool cancelled = firstCancelled >= 0;
        long chunks = accumulator.ChunkCount;
        var failed = new bool[ensembleOptions.ChunkSize];
        var failures = new List<Divergence>();
        var steps = new List<PathStepRecord>();
        var events = new List<EventRecord>();
        long accepted = 0, rejected = 0, evaluations = 0, jacobians = 0, factorizations = 0;
        double smallest = double.PositiveInfinity, largest = 0, stiff = double.NaN;
        for (long c = 0; c < chunks; c++)
        {
            var chunk = accumulator.BeginChunk(c);
            if (cancelled && chunk.Offset + chunk.Paths > firstCancelled) break;
            int n = chunk.Paths, failedHere = 0;
            failures.Clear();
            var x = new double[d * n];
            for (int p = 0; p < n; p++)
            {
                var r = results[chunk.Offset + p];
                long path = options.FirstPath + chunk.Offset + p;
                failed[p] = r.Status != SolveStatus.Success;
                if (failed[p])
                {
                    failedHere++;
                    failures.Add(new Divergence(path, r.FinalTime, -1, double.NaN, r.Status));
                }
                accepted += r.Statistics.AcceptedSteps;
                rejected += r.Statistics.RejectedSteps;
                evaluations += r.Statistics.FunctionEvaluations;
                jacobians += r.Statistics.JacobianEvaluations;
                factorizations += r.Statistics.Factorizations;
                if (!double.IsNaN(r.Statistics.StiffnessDetectedAt) && !(r.Statistics.StiffnessDetectedAt >= stiff)) stiff = r.Statistics.StiffnessDetectedAt;
                if (r.Statistics.Steps is { } records)
                    foreach (var s in records)
                    {
                        if (!s.Accepted) continue;
                        smallest = Math.Min(smallest, s.Size);
                        largest = Math.Max(largest, s.Size);
                    }
                foreach (var e in r.Events) events.Add(e with { Path = path });
                if (r.Statistics.Steps is { } kept && path - options.FirstPath < options.RecordStepsOfPaths)
                    foreach (var s in kept) steps.Add(new PathStepRecord(path, s));
            }
            for (int save = 0; save < times.Length; save++)
            {
                for (int p = 0; p < n; p++)
                {
                    var r = results[chunk.Offset + p];
                    int k = picks[save];
                    var state = failed[p] ? default : k < 0 ? r.FinalState : r.State(k);
                    for (int i = 0; i < d; i++) x[i * n + p] = failed[p] ? 0.0 : state[i];
                }
                accumulator.Record(chunk, save, x, failed, sketches);
            }
            accumulator.Submit(chunk, failures, failedHere);
        }
        bool recorded = options.RecordStepsOfPaths > 0;
        var counters = new SolveCounters(accepted / paths, evaluations / paths, 0);
        var ensemble = accumulator.Finish(times, cancelled, counters);
        string? message = null;
        if (!cancelled && ensemble.DivergedPaths > 0)
        {
            var first = results.First(r => r.Status != SolveStatus.Success);
            long index = options.FirstPath + Array.IndexOf(results, first);
            message = $"path {index}: {first.Message}" + (ensemble.DivergedPaths > 1 ? $" ({ensemble.DivergedPaths} paths failed)" : "");
        }
        var statistics = new SolveStatistics(accepted, rejected, evaluations, 0, recorded ? smallest : double.NaN, recorded ? largest : double.NaN)
        {
            JacobianEvaluations = jacobians, Factorizations = factorizations,
        };
        return new Solution(ensemble, statistics, steps, stiff, message) { Trajectory = paths == 1 ? results[0] : null, Events = events };
    }
}

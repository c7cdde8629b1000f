using Drift.Ensembles;
using Drift.Jumps.Networks;
using Drift.Models.Text;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;
using Drift.Statistics;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Ensembles of a reaction network: <c>Simulate(network, method, t1, options)</c>. Runs are spread over cores in
/// chunks; run r draws only from Philox stream r of the seed, and statistics are folded in run order, so a seed gives
/// the same bits on any thread count, and shards merge (<see cref="JumpSolution.Merge"/>).
/// </summary>
public static class JumpSimulator
{
    /// <summary>Simulates <see cref="JumpOptions.Runs"/> runs of <paramref name="network"/> on [0, <paramref name="t1"/>].</summary>
    /// <exception cref="ArgumentException">Bad t1, save times or options; a time-dependent propensity with a method other than Extrande, CLE or ODE; <see cref="JumpOptions.Trajectories"/> with an approximate method.</exception>
    /// <exception cref="InvalidOperationException">An explicit propensity became negative, NaN or infinite, or fired without its reactants.</exception>
    public static JumpSolution Simulate(ReactionNetwork network, JumpMethod method, double t1, JumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new JumpOptions();
        if (!(t1 > 0) || double.IsInfinity(t1)) throw new ArgumentException($"t1 must be positive and finite, got {t1}.", nameof(t1));
        double[] saves = SaveTimes(options.SaveTimes, t1);
        if (!(options.TauEpsilon > 0 && options.TauEpsilon < 1)) throw new ArgumentException($"the tau-leaping epsilon must lie in (0, 1), got {options.TauEpsilon}.", nameof(options));
        if (options.MaxEventsPerRun < 1) throw new ArgumentException($"the event limit must be positive, got {options.MaxEventsPerRun}.", nameof(options));
        CheckWindow(options);
        if (options.Trajectories is not null && !IsExact(method))
            throw new ArgumentException($"trajectories at every event need an exact method (direct, sorting, nrm, rssa, rssa-cr, extrande), got {method}.", nameof(options));
        var ensemble = new EnsembleOptions
        {
            Paths = options.Runs, FirstPath = options.FirstRun, Seed = options.Seed, Threads = options.Threads, ChunkSize = options.ChunkSize,
            KeepPaths = options.KeepPaths, TrackQuantiles = options.TrackQuantiles, Progress = options.Progress, CancellationToken = options.CancellationToken,
            Shard = options.Shard,
        };
        if (options.Shard is not null && method == JumpMethod.RateEquation)
            throw new ArgumentException("the rate equation (ode) is one deterministic solve: there are no runs to shard.", nameof(options));
        ensemble = ensemble.ResolveShard();
        ensemble.Validate();
        var solution = method switch
        {
            JumpMethod.Direct or JumpMethod.SortingDirect or JumpMethod.NextReaction or JumpMethod.Rejection or JumpMethod.RejectionComposition or JumpMethod.TauLeap or JumpMethod.Extrande => Discrete(network, method, saves, options, ensemble),
            JumpMethod.ChemicalLangevin => Langevin(network, t1, saves, options, ensemble),
            JumpMethod.RateEquation => RateEquation(network, t1, saves),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown jump method."),
        };
        if (solution.Statistics.State is { } state)
            solution.State = new JumpState(method, [.. network.Species], state, solution.Histograms, solution.Events);
        return solution;
    }

    /// <summary>
    /// Run <paramref name="run"/> of the ensemble <c>Simulate(network, method, t1, options)</c> recorded at every event
    /// on [0, <paramref name="t1"/>]: the same draws, so its state at each save time equals that run's state in the
    /// ensemble bit for bit. Exact methods only (direct, sorting direct, next reaction, RSSA, Extrande); options supply
    /// <see cref="JumpOptions.Seed"/> and <see cref="JumpOptions.MaxEventsPerRun"/> (a run that reaches the limit ends at
    /// its last event with <see cref="JumpTrajectory.Stopped"/> set).
    /// </summary>
    /// <exception cref="ArgumentException">Bad t1 or run, or an approximate method.</exception>
    public static JumpTrajectory Trajectory(ReactionNetwork network, JumpMethod method, double t1, JumpOptions? options = null, long run = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new JumpOptions();
        if (!(t1 > 0) || double.IsInfinity(t1)) throw new ArgumentException($"t1 must be positive and finite, got {t1}.", nameof(t1));
        if (run < 0) throw new ArgumentException($"the run index must be non-negative, got {run}.", nameof(run));
        if (options.MaxEventsPerRun < 1) throw new ArgumentException($"the event limit must be positive, got {options.MaxEventsPerRun}.", nameof(options));
        CheckWindow(options);
        if (!IsExact(method))
            throw new ArgumentException($"trajectories at every event need an exact method (direct, sorting, nrm, rssa, rssa-cr, extrande), got {method}.", nameof(method));
        var table = new PropensityTable(network);
        var simulator = CreateSimulator(table, method, options);
        var recorder = new EventRecorder(simulator);
        long[] initial = [.. network.InitialCounts];
        double[] x = [.. initial.Select(c => (double)c)];
        var outcome = simulator.Run(run, x, [t1], new double[network.SpeciesCount], options.MaxEventsPerRun);
        return recorder.Trajectory(network, initial, outcome, t1);
    }

    /// <summary>Collects a simulator's events of one run and turns them into its <see cref="JumpTrajectory"/>.</summary>
    private sealed class EventRecorder
    {
        private readonly List<double> _times = [];
        private readonly List<int> _reactions = [];

        public EventRecorder(RunSimulator simulator) => simulator.EventSink = (t, j) =>
        {
            _times.Add(t);
            _reactions.Add(j);
        };

        /// <summary>The run's path on [0, t1], or up to its last event when the event limit stopped it; clears the record.</summary>
        public JumpTrajectory Trajectory(ReactionNetwork network, long[] initial, RunOutcome outcome, double t1)
        {
            double end = outcome.Stopped ? (_times.Count > 0 ? _times[^1] : 0) : t1;
            if (outcome.Stopped && end == 0) end = double.Epsilon;
            var path = new JumpTrajectory(network, initial, [.. _times], [.. _reactions], end, outcome.Stopped);
            _times.Clear();
            _reactions.Clear();
            return path;
        }
    }

    private static void CheckWindow(JumpOptions options)
    {
        if (options.ExtrandeWindow is { } w && !(w > 0 && double.IsFinite(w)))
            throw new ArgumentException($"ExtrandeWindow must be positive and finite (or null for the automatic window), got {w}.", nameof(options));
    }

    private static bool IsExact(JumpMethod method) =>
        method is JumpMethod.Direct or JumpMethod.SortingDirect or JumpMethod.NextReaction or JumpMethod.Rejection or JumpMethod.RejectionComposition or JumpMethod.Extrande;

    /// <summary>The run simulator of a discrete method; refuses time-dependent propensities for every method but Extrande.</summary>
    private static RunSimulator CreateSimulator(PropensityTable table, JumpMethod method, JumpOptions options)
    {
        if (method != JumpMethod.Extrande && table.TimeDependent.Length > 0)
            throw new ArgumentException($"the propensity of the reaction on line {table.Line(table.TimeDependent[0])} depends on time t; simulate it exactly with the extrande method (JumpMethod.Extrande, --method extrande), or approximately with cle or ode, not {method}.", nameof(method));
        return method switch
        {
            JumpMethod.Direct => new DirectSimulator(table, options.Seed, sorting: false),
            JumpMethod.SortingDirect => new DirectSimulator(table, options.Seed, sorting: true),
            JumpMethod.NextReaction => new NextReactionSimulator(table, options.Seed),
            JumpMethod.Rejection => new RejectionSimulator(table, options.Seed),
            JumpMethod.RejectionComposition => new RejectionSimulator(table, options.Seed, compositionRejection: true),
            JumpMethod.Extrande => new ExtrandeSimulator(table, options.Seed, options.ExtrandeWindow),
            _ => new TauLeapSimulator(table, options.Seed, options.TauEpsilon),
        };
    }

    private static double[] SaveTimes(IReadOnlyList<double>? requested, double t1)
    {
        if (requested is null) return [t1];
        if (requested.Count == 0) throw new ArgumentException("save times are empty; pass null for t1 only.", nameof(requested));
        foreach (double t in requested)
            if (!(t >= 0 && t <= t1)) throw new ArgumentException($"save time {t} lies outside [0, {t1}].", nameof(requested));
        return [.. requested.Distinct().Order()];
    }

    private sealed class Worker(RunSimulator simulator, int saves, int d, int chunk, bool histograms, bool trajectories)
    {
        public RunSimulator Simulator { get; } = simulator;
        public EventRecorder? Recorder { get; } = trajectories ? new EventRecorder(simulator) : null;
        public double[] Output { get; } = new double[saves * d];
        public double[][] Rows { get; } = [.. Enumerable.Range(0, saves).Select(_ => new double[d * chunk])];
        public bool[] Diverged { get; } = new bool[chunk];
        public double[] X { get; } = new double[d];
        public CountHistogram[]? Histograms { get; } = histograms ? [.. Enumerable.Range(0, saves * d).Select(_ => new CountHistogram())] : null;
        public QuantileSketch[]? Sketches { get; set; }
        public long Events { get; set; }
    }

    private static JumpSolution Discrete(ReactionNetwork network, JumpMethod method, double[] saves, JumpOptions options, EnsembleOptions ensemble)
    {
        var table = new PropensityTable(network);
        _ = CreateSimulator(table, method, options); // refuses unsupported networks before any thread starts
        int d = network.SpeciesCount, saveCount = saves.Length;
        long[] initial = [.. network.InitialCounts];
        double[] x0 = [.. initial.Select(c => (double)c)];
        var accumulator = new EnsembleAccumulator(d, saveCount, ensemble);
        long chunks = accumulator.ChunkCount;
        var histograms = options.TrackHistograms ? Enumerable.Range(0, saveCount * d).Select(_ => new CountHistogram()).ToArray() : null;
        long events = 0;
        bool cancelled = false;
        var gate = new object();
        ChunkScheduler.Run(options.Threads, chunks,
            () =>
            {
                var simulator = CreateSimulator(table, method, options);
                return new Worker(simulator, saveCount, d, options.ChunkSize, histograms is not null, options.Trajectories is not null) { Sketches = accumulator.CreateSketches() };
            },
            (worker, c) =>
            {
                if (options.CancellationToken.IsCancellationRequested)
                {
                    Volatile.Write(ref cancelled, true);
                    return false;
                }
                var chunk = accumulator.BeginChunk(c);
                int n = chunk.Paths;
                var divergences = new List<Divergence>();
                for (int p = 0; p < n; p++)
                {
                    long run = ensemble.FirstPath + chunk.Offset + p;
                    x0.CopyTo(worker.X, 0);
                    var outcome = worker.Simulator.Run(run, worker.X, saves, worker.Output, options.MaxEventsPerRun);
                    if (worker.Recorder is { } recorder) options.Trajectories!(run, recorder.Trajectory(network, initial, outcome, saves[^1]));
                    worker.Events += outcome.Events;
                    worker.Diverged[p] = outcome.Stopped;
                    if (outcome.Stopped) divergences.Add(new Divergence(run, outcome.StopTime, 0, double.NaN, SolveStatus.MaxSteps));
                    for (int s = 0; s < saveCount; s++)
                        for (int i = 0; i < d; i++)
                        {
                            double v = worker.Output[s * d + i];
                            worker.Rows[s][i * n + p] = v;
                            if (!outcome.Stopped) worker.Histograms?[s * d + i].Add((long)v);
                        }
                }
                for (int s = 0; s < saveCount; s++) accumulator.Record(chunk, s, worker.Rows[s], worker.Diverged, worker.Sketches);
                accumulator.Submit(chunk, divergences, divergences.Count);
                return true;
            },
            worker =>
            {
                lock (gate)
                {
                    events += worker.Events;
                    if (histograms is not null)
                        for (int k = 0; k < histograms.Length; k++) histograms[k].Merge(worker.Histograms![k]);
                }
            });
        // A shard's events per run differ from its neighbours', so its state records none (JumpState.Merge restores the run's).
        var counters = ensemble.Shard is null ? new SolveCounters(events / Math.Max(1, options.Runs), 0, 0) : default;
        var statistics = accumulator.Finish(saves, cancelled, counters);
        return new JumpSolution(method, [.. network.Species], statistics, cancelled ? null : histograms, events);
    }

    private static JumpSolution Langevin(ReactionNetwork network, double t1, double[] saves, JumpOptions options, EnsembleOptions ensemble)
    {
        var model = ContinuousModels.ChemicalLangevin(network);
        var problem = model.Problem(t1);
        double dt = options.Dt ?? t1 / 1000;
        if (!(dt > 0) || double.IsInfinity(dt)) throw new ArgumentException($"the CLE step must be positive and finite, got {dt}.", nameof(options));
        var solution = Ensemble.Solve(problem, new EulerMaruyama(), ensemble with { Dt = dt, Save = SaveAt.Times(saves) });
        long steps = solution.Counters.Steps * solution.PathCount;
        return new JumpSolution(JumpMethod.ChemicalLangevin, [.. network.Species], solution, null, steps);
    }

    private static JumpSolution RateEquation(ReactionNetwork network, double t1, double[] saves)
    {
        var model = ContinuousModels.RateEquation(network);
        var ode = new OdeProblem<TextSde>(model.Compile(), [.. model.InitialState], 0, t1);
        var solution = AdaptiveOde.Solve(ode, new Tsitouras5(), new AdaptiveOptions
        {
            SaveTimes = saves,
            Controller = new PidController { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-10 },
        });
        if (solution.Status != SolveStatus.Success) throw new InvalidOperationException($"the rate equation solve failed: {solution.Message}");
        int d = network.SpeciesCount;
        var moments = new Moments[saves.Length * d];
        var sketches = new QuantileSketch[saves.Length * d];
        var values = new double[saves.Length * d];
        for (int s = 0; s < saves.Length; s++)
        {
            var state = StateAt(solution, saves[s]);
            for (int i = 0; i < d; i++)
            {
                moments[s * d + i] = Moments.Of([state[i]]);
                (sketches[s * d + i] = new QuantileSketch()).Add(state[i]);
                values[s * d + i] = state[i];
            }
        }
        var statistics = new EnsembleSolution(saves, d, 0, 1, moments, sketches, values, SolveStatus.Success, [], 0,
            new SolveCounters(solution.Statistics.AcceptedSteps, solution.Statistics.FunctionEvaluations, 0));
        return new JumpSolution(JumpMethod.RateEquation, [.. network.Species], statistics, null, solution.Statistics.AcceptedSteps);
    }

    private static ReadOnlySpan<double> StateAt(OdeSolution solution, double t)
    {
        var times = solution.Times;
        for (int k = 0; k < times.Length; k++)
            if (Math.Abs(times[k] - t) <= 1e-12 * Math.Max(1, Math.Abs(t))) return solution.State(k);
        throw new InvalidOperationException($"the ODE solution has no state saved at t = {t}.");
    }
}

using Drift.Brownian;
using Drift.Numerics;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// Adaptive-step SDE ensembles. Every path integrates on its own (its own step sizes, not in lock
/// step with others) with an embedded error estimate and an integral controller
/// h ← h·clamp(safety·E^(−1/(p + ½)), minFactor, maxFactor), p the solver's strong order, over its own
/// <see cref="BrownianTree"/>: a rejected step is retried on the same Brownian path, so step
/// selection does not bias the noise. Results are bit-identical for any thread count.
/// Problems whose drift and diffusion declare <see cref="IDrift.TimeIndependent"/> and <see cref="IDiffusion.TimeIndependent"/>,
/// solved with <see cref="Sra1"/> or <see cref="Sriw1"/> without jumps, run instead in SIMD lanes (each path its own t and h,
/// one batch kernel call per attempted step, by a per-path time change) over a per-path Brownian queue with rejection
/// sampling with memory, which has the same contract (docs/engine.md, "SIMD lanes").
/// </summary>
public static class AdaptiveSde
{
    /// <summary>Solves the ensemble.</summary>
    /// <exception cref="ArgumentException">Invalid options, or a solver that cannot integrate this noise or calculus.</exception>
    public static AdaptiveSdeSolution Solve<TDrift, TDiffusion, TSolver>(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, AdaptiveSdeOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, IEmbeddedSdeSolver
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ensembleOptions = options.ToEnsembleOptions();
        ensembleOptions.Validate();
        Ensemble.CheckSolver(solver, Noise.Class(problem.Diffusion), problem.Calculus);
        var run = new AdaptiveRun<TDrift, TDiffusion, TSolver, NoJumps>(problem, solver, default, options, ensembleOptions);
        return run.Execute();
    }

    /// <summary>
    /// Solves a jump-diffusion ensemble: each path's steps are also cut at its candidate jump times (drawn at rate
    /// λ_max, keyed by (seed, path, candidate), <see cref="JumpCandidates"/>), where the candidate is thinned and an
    /// accepted jump applied before the next step; the Brownian tree gives W at those times exactly. The solver is
    /// restarted after a jump, and the controller keeps its step size (a step cut short to land on a candidate does not
    /// shrink the next one). Jump times and marks are those of the fixed-step loop for the same seed.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or a solver that cannot integrate this noise or calculus.</exception>
    public static AdaptiveSdeSolution Solve<TDrift, TDiffusion, TSolver, TJumps>(JumpDiffusionProblem<TDrift, TDiffusion, TJumps> problem, TSolver solver, AdaptiveSdeOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, IEmbeddedSdeSolver
        where TJumps : struct, IJumps
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var ensembleOptions = options.ToEnsembleOptions();
        ensembleOptions.Validate();
        var sde = problem.Sde;
        Ensemble.CheckSolver(solver, Noise.Class(sde.Diffusion), sde.Calculus);
        var run = new AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps>(sde, solver, problem.Jumps, options, ensembleOptions);
        return run.Execute();
    }
}

internal sealed partial class AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps>
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TSolver : struct, IEmbeddedSdeSolver
    where TJumps : struct, IJumps
{
    private readonly SdeProblem<TDrift, TDiffusion> _problem;
    private readonly TSolver _solver;
    private readonly TJumps _jumps;
    private readonly JumpCandidates _candidates;
    private readonly AdaptiveSdeOptions _options;
    private readonly EnsembleOptions _ensembleOptions;
    private readonly EnsembleAccumulator _accumulator;
    private readonly double[] _saveTimes;
    private readonly long _chunks;
    private readonly double _e1, _e2, _e3, _leaf, _minStep, _maxStep, _initialStep;
    // Step-doubling solvers take the increments of both half steps (2m rows), read from the same tree.
    private static readonly bool Halves = typeof(IStepDoublingSolver).IsAssignableFrom(typeof(TSolver));
    private readonly List<PathStepRecord> _records = [];
    private readonly object _gate = new();
    private AdaptiveSdeStatistics _statistics = AdaptiveSdeStatistics.Empty;
    private volatile bool _cancelled;
    // Whether paths step in SIMD lanes (AdaptiveSde.Lanes.cs) rather than one at a time (Worker below).
    private readonly bool _lanes;

    public AdaptiveRun(SdeProblem<TDrift, TDiffusion> problem, TSolver solver, TJumps jumps, AdaptiveSdeOptions options, EnsembleOptions ensembleOptions)
    {
        _problem = problem;
        _solver = solver;
        _jumps = jumps;
        _candidates = new JumpCandidates(options.Seed, jumps.MaxIntensity);
        _options = options;
        _ensembleOptions = ensembleOptions;
        double t0 = problem.T0, t1 = problem.T1, span = t1 - t0;
        var save = options.Save;
        _saveTimes = save.RequestedTimes is { } times ? times : [t1];
        foreach (double t in _saveTimes)
            if (t < t0 || t > t1) throw new ArgumentException($"save time {t} lies outside [{t0}, {t1}].", nameof(options));
        _accumulator = new EnsembleAccumulator(problem.Dimension, _saveTimes.Length, ensembleOptions);
        _chunks = _accumulator.ChunkCount;
        var c = options.Controller;
        double k = solver.StrongOrder(Noise.Class(problem.Diffusion)) + 0.5;
        (_e1, _e2, _e3) = (-c.Beta1 / k, -c.Beta2 / k, -c.Beta3 / k);
        // The default leaf, min(span, 1)·2⁻²⁰, keeps the minimum step (two leaves) below 2·10⁻⁶ on long spans too: with
        // span·2⁻²⁰ a Lorenz run to t = 50 was already held at its minimum step of 9.5·10⁻⁵ by the tree, not the tolerance.
        _leaf = options.BrownianTolerance > 0 ? options.BrownianTolerance : Math.Min(span, 1.0) * Math.Pow(2, -20);
        // Two points at least a leaf apart lie in different leaves, where the tree's joint law is exact.
        _minStep = c.MinStep > 0 ? c.MinStep : 2 * _leaf;
        _maxStep = Math.Min(c.MaxStep, span);
        _initialStep = Math.Clamp(c.InitialStep > 0 ? c.InitialStep : span / 100, _minStep, _maxStep);
        _lanes = LanesApply(problem, options);
    }

    /// <summary>A per-path worker solves whole chunks of paths, one thread each.</summary>
    private interface IChunkWorker
    {
        AdaptiveSdeStatistics Statistics { get; }
        bool Solve(long chunk);
    }

    /// <summary>
    /// The step-size factor clamp(safety·E^(−β₁/k)·E_prev^(−β₂/k)·E_prev2^(−β₃/k), minFactor, maxFactor); minFactor for
    /// a NaN error, maxFactor for a zero one. A zero exponent contributes exactly 1 (no power is taken). With
    /// <paramref name="rootShortcut"/> (the lane loop), E^(−½) — integral control of a strong-order-1.5 pair — is taken
    /// as 1/√E, several times cheaper than the power and within an ulp of it (the per-path loop keeps its bits).
    /// </summary>
    private double Factor(PidController c, double error, double previous, double beforePrevious, bool rootShortcut = false) =>
        double.IsNaN(error) ? c.MinFactor
        : error == 0 ? c.MaxFactor
        : Math.Clamp(c.Safety * (rootShortcut && _e1 == -0.5 ? 1 / Math.Sqrt(error) : Math.Pow(error, _e1)) * (_e2 == 0 ? 1.0 : Math.Pow(previous, _e2)) * (_e3 == 0 ? 1.0 : Math.Pow(beforePrevious, _e3)), c.MinFactor, c.MaxFactor);

    /// <summary>
    /// The same norm as m·√((1/d) Σ (eᵢ/m)²), m = max eᵢ, with eᵢ = (δ|e1ᵢ| + |e2ᵢ|)/(atol + rtol·max(|xᵢ|, |x̂ᵢ|)) and
    /// eᵢ = 0 where the error is 0, for the path in column <paramref name="lane"/> of rows <paramref name="stride"/> long:
    /// a huge finite norm where the plain sum overflows, +∞ where a scale is 0 under a non-zero error, NaN only when the
    /// candidate state or the error estimate is not finite.
    /// </summary>
    private static double ScaledErrorNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> candidate, ReadOnlySpan<double> e1, ReadOnlySpan<double> e2,
        int d, int stride, int lane, double rtol, double atol, double delta)
    {
        for (int i = 0; i < d; i++)
            if (!double.IsFinite(candidate[i * stride + lane])) return double.NaN;
        double largest = 0;
        for (int i = 0; i < d; i++)
        {
            int at = i * stride + lane;
            double raw = delta * Math.Abs(e1[at]) + Math.Abs(e2[at]);
            if (!double.IsFinite(raw)) return double.NaN;
            double scale = atol + rtol * Math.Max(Math.Abs(x[at]), Math.Abs(candidate[at]));
            largest = Math.Max(largest, raw == 0 ? 0 : raw / scale);
        }
        if (largest == 0 || double.IsInfinity(largest)) return largest;
        double sum = 0;
        for (int i = 0; i < d; i++)
        {
            int at = i * stride + lane;
            double raw = delta * Math.Abs(e1[at]) + Math.Abs(e2[at]);
            double scale = atol + rtol * Math.Max(Math.Abs(x[at]), Math.Abs(candidate[at]));
            double e = raw == 0 ? 0 : raw / scale / largest;
            sum += e * e;
        }
        return largest * Math.Sqrt(sum / d);
    }

    public AdaptiveSdeSolution Execute()
    {
        if (_lanes)
            ChunkScheduler.RunClaiming(_options.Threads, _chunks, () => new LaneWorker(this), (worker, claim) => worker.Run(claim),
                worker => { lock (_gate) _statistics = _statistics.Add(worker.Statistics); });
        else
            ChunkScheduler.Run<IChunkWorker>(_options.Threads, _chunks, () => new Worker(this), (worker, chunk) => worker.Solve(chunk),
                worker => { lock (_gate) _statistics = _statistics.Add(worker.Statistics); });
        long paths = Math.Max(1, _options.Paths);
        var counters = new SolveCounters(_statistics.AcceptedSteps / paths, _statistics.DriftEvaluations / paths, _statistics.DiffusionEvaluations / paths);
        var ensemble = _accumulator.Finish(_saveTimes, _cancelled, counters);
        // Each path's records are already in time order; a stable sort by path keeps it.
        var ordered = _records.OrderBy(r => r.Path).ToList();
        return new AdaptiveSdeSolution(ensemble, _statistics, ordered);
    }

    private sealed class Worker : IChunkWorker
    {
        private readonly AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> _run;
        private TDrift _drift;
        private TDiffusion _diffusion;
        private TJumps _jumps;
        private readonly TSolver _solver;
        private readonly SolverScratch _scratch = new();
        private readonly BrownianTree _tree;
        private readonly double[] _x, _candidate, _e1, _e2, _dW, _levy, _saved;
        private readonly bool[] _failed;
        private readonly Statistics.QuantileSketch[]? _sketches;
        private readonly List<Divergence> _failures = [];
        private readonly List<PathStepRecord> _records = [];

        public AdaptiveSdeStatistics Statistics { get; private set; } = AdaptiveSdeStatistics.Empty;

        public Worker(AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> run)
        {
            _run = run;
            var p = run._problem;
            _drift = p.Drift;
            _diffusion = p.Diffusion;
            _jumps = run._jumps;
            _solver = run._solver;
            int d = p.Dimension, m = p.NoiseDimension;
            _tree = new BrownianTree(run._options.Seed, run._options.FirstPath, m, p.T0, p.T1, run._leaf);
            _x = new double[d];
            _candidate = new double[d];
            _e1 = new double[d];
            _e2 = new double[d];
            _dW = new double[Halves ? 2 * m : m];
            _levy = new double[Halves ? 2 * m : m];
            _saved = new double[run._saveTimes.Length * d * run._options.ChunkSize];
            _failed = new bool[run._options.ChunkSize];
            _sketches = run._accumulator.CreateSketches();
        }

        /// <summary>Solves one chunk; false when the run was cancelled.</summary>
        public bool Solve(long index)
        {
            var run = _run;
            var chunk = run._accumulator.BeginChunk(index);
            int d = run._problem.Dimension, n = chunk.Paths, saves = run._saveTimes.Length;
            long first = run._options.FirstPath + chunk.Offset;
            Array.Clear(_failed, 0, n);
            _failures.Clear();
            _records.Clear();
            var initial = new double[d * n];
            if (run._problem.PathInitialStates is { } init) init(first, n, initial);
            else for (int i = 0; i < d; i++) initial.AsSpan(i * n, n).Fill(run._problem.InitialState[i]);

            int failedHere = 0;
            for (int p = 0; p < n; p++)
            {
                for (int i = 0; i < d; i++) _x[i] = initial[i * n + p];
                if (!SolvePath(first + p, p, n))
                {
                    if (run._options.CancellationToken.IsCancellationRequested)
                    {
                        run._cancelled = true;
                        return false;
                    }
                    _failed[p] = true;
                    failedHere++;
                }
            }
            for (int s = 0; s < saves; s++)
                run._accumulator.Record(chunk, s, _saved.AsSpan(s * d * n, d * n), _failed, _sketches);
            if (run._options.CancellationToken.IsCancellationRequested)
            {
                run._cancelled = true;
                return false;
            }
            lock (run._gate) run._records.AddRange(_records);
            run._accumulator.Submit(chunk, _failures, failedHere);
            return true;
        }

        /// <summary>Integrates one path from t0 to t1, writing its state at each save time; false if it failed.</summary>
        private bool SolvePath(long path, int column, int n)
        {
            var run = _run;
            var o = run._options;
            var c = o.Controller;
            int d = _x.Length;
            double t0 = run._problem.T0, t1 = run._problem.T1;
            double t = t0, h = run._initialStep;
            int save = 0, attempts = 0;
            bool record = path - o.FirstPath < o.RecordStepsOfPaths;
            _tree.Reset(path);
            var stats = Statistics;
            double rtol = c.RelativeTolerance, atol = c.AbsoluteTolerance, delta = o.DeterministicWeight;
            double previous = 1.0, beforePrevious = 1.0;
            if (!Elementwise.AllFinite(_x))
                return Fail(path, t0, SolveStatus.NonFinite, 0);
            _solver.Start(ref _drift, ref _diffusion, _scratch, t, _x, 1);
            // The next candidate jump time (+∞ without jumps, where this and its uses below compile away).
            long candidate = 0;
            double jumpAt = run._candidates.Time(path, 0, t0);
            while (save < run._saveTimes.Length && run._saveTimes[save] <= t) Save(save++, column, n);
            while (t < t1)
            {
                if (++attempts > c.MaxSteps) { Statistics = stats; return Fail(path, t, SolveStatus.MaxSteps, h); }
                // One path can take millions of steps (a tight tolerance): a cancelled run stops inside it, not after the chunk.
                if ((attempts & 1023) == 0 && o.CancellationToken.IsCancellationRequested) { Statistics = stats; return false; }
                double target = save < run._saveTimes.Length ? run._saveTimes[save] : t1;
                if (jumpAt < target) target = jumpAt;
                double step = Math.Min(h, target - t);
                bool lands = step >= target - t || t + step >= target - 1e-12 * Math.Max(1, Math.Abs(target));
                if (lands) step = target - t;
                if (Halves)
                {
                    int m = _dW.Length / 2;
                    _tree.Increment(t, t + 0.5 * step, _dW.AsSpan(0, m), _levy.AsSpan(0, m));
                    _tree.Increment(t + 0.5 * step, t + step, _dW.AsSpan(m, m), _levy.AsSpan(m, m));
                }
                else _tree.Increment(t, t + step, _dW, _levy);
                _x.CopyTo(_candidate, 0);
                _solver.StepWithError(ref _drift, ref _diffusion, _scratch, t, step, _dW, _levy, _candidate, 1, _e1, _e2);
                stats = stats with
                {
                    DriftEvaluations = stats.DriftEvaluations + _solver.DriftEvaluationsPerStep,
                    DiffusionEvaluations = stats.DiffusionEvaluations + _solver.DiffusionEvaluationsPerStep,
                };
                double error = ErrorNorm(rtol, atol, delta);
                bool accept = error <= 1.0;
                if (record) _records.Add(new PathStepRecord(path, new StepRecord(t, step, error, double.NaN, accept)));
                double factor = run.Factor(c, error, previous, beforePrevious);
                if (accept)
                {
                    t = lands ? target : t + step;
                    (beforePrevious, previous) = (previous, Math.Max(error, 1e-10));
                    _candidate.CopyTo(_x, 0);
                    while (jumpAt <= t)
                    {
                        if (run._candidates.Fire(ref _jumps, path, candidate, jumpAt, _x))
                        {
                            _x.CopyTo(_candidate, 0);
                            if (!Elementwise.AllFinite(_x)) { Statistics = stats; return Fail(path, t, SolveStatus.NonFinite, double.NaN); }
                            _solver.Start(ref _drift, ref _diffusion, _scratch, t, _x, 1);
                        }
                        else if (!Elementwise.AllFinite(_x)) { _x.CopyTo(_candidate, 0); Statistics = stats; return Fail(path, t, SolveStatus.NonFinite, double.NaN); }
                        jumpAt = run._candidates.Time(path, ++candidate, jumpAt);
                    }
                    stats = stats with
                    {
                        AcceptedSteps = stats.AcceptedSteps + 1,
                        SmallestStep = Math.Min(stats.SmallestStep, step),
                        LargestStep = Math.Max(stats.LargestStep, step),
                    };
                    while (save < run._saveTimes.Length && run._saveTimes[save] <= t) Save(save++, column, n);
                    // A step cut short to land on a save time does not shrink the next one.
                    h = Math.Clamp(Math.Max(h, step) * (lands && step < h ? 1.0 : factor), run._minStep, run._maxStep);
                }
                else
                {
                    stats = stats with { RejectedSteps = stats.RejectedSteps + 1 };
                    // A rejection at the minimum step means the path cannot meet the tolerance.
                    if (step <= run._minStep * (1 + 1e-12))
                    {
                        Statistics = stats;
                        return double.IsNaN(error)
                            ? Fail(path, t, SolveStatus.NonFinite, h)
                            : Fail(path, t, SolveStatus.StepTooSmall, step);
                    }
                    h = Math.Max(step * Math.Min(factor, 1.0), run._minStep);
                }
            }
            Statistics = stats;
            return true;
        }

        /// <summary>
        /// √((1/d) Σ eᵢ²), eᵢ = (δ|e1ᵢ| + |e2ᵢ|)/(atol + rtol·max(|xᵢ|, |x̂ᵢ|)), in one pass. Only when that is not
        /// finite (an unreachable tolerance such as 1e-300 overflows eᵢ², a zero scale gives 0/0) is it recomputed by
        /// <see cref="ScaledErrorNorm"/>, so that NaN means a non-finite state or estimate and nothing else.
        /// </summary>
        private double ErrorNorm(double rtol, double atol, double delta)
        {
            double sum = 0;
            for (int i = 0; i < _x.Length; i++)
            {
                double scale = atol + rtol * Math.Max(Math.Abs(_x[i]), Math.Abs(_candidate[i]));
                double e = (delta * Math.Abs(_e1[i]) + Math.Abs(_e2[i])) / scale;
                sum += e * e;
            }
            double norm = Math.Sqrt(sum / _x.Length);
            return double.IsFinite(norm) && Elementwise.AllFinite(_candidate) ? norm : ScaledErrorNorm(_x, _candidate, _e1, _e2, _x.Length, 1, 0, rtol, atol, delta);
        }

        private void Save(int save, int column, int n)
        {
            int d = _x.Length;
            for (int i = 0; i < d; i++) _saved[(save * d + i) * n + column] = _x[i];
        }

        private bool Fail(long path, double t, SolveStatus cause, double value)
        {
            int component = -1;
            if (cause == SolveStatus.NonFinite)
            {
                for (int i = 0; i < _candidate.Length && component < 0; i++)
                    if (!double.IsFinite(_candidate[i])) { component = i; value = _candidate[i]; }
                if (component < 0) { component = 0; value = double.NaN; }
                // An implicit solver's Newton failure arrives as a tagged NaN (StepFailure): report its own cause.
                cause = StepFailure.CauseOf(value);
            }
            _failures.Add(new Divergence(path, t, component, value, cause));
            return false;
        }
    }
}

using System.Numerics;
using Drift.Brownian;
using Drift.Numerics;
using Drift.Random;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// The SIMD adaptive loop: a batch of lanes, each a path with its own time t, step h, error history and save index,
/// stepped together through the solver's batch kernels. A lane's step of length h is the unit step of the
/// time-changed equation dX = h·f(X) ds + √h·g(X) dB over s ∈ [0, 1], whose increments are ΔB = ΔW/√h and
/// H_B = H/√h: the drift rows are scaled by h and the diffusion rows by √h per lane, the solver runs with step 1.
/// Every term of an explicit Runge–Kutta step (f·h, g·ΔW, g·√h, g·χ with χ the iterated integrals) is then the same
/// as in the step of length h, so lanes with different steps share one kernel call. This needs f and g free of t
/// (<see cref="IDrift.TimeIndependent"/>). Increments come from each path's <see cref="BrownianQueue"/> (rejection
/// sampling with memory); a lane with nothing pending draws its fresh normals in one vectorised gather with the
/// other lanes. Lanes that finish or fail take the chunk's next path; when none is left the batch is compacted.
/// Each path's arithmetic depends only on its own values, so results do not depend on lanes, chunks or threads.
/// </summary>
internal sealed partial class AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps>
{
    private const int DefaultLanes = 128;

    /// <summary>
    /// Whether the SIMD loop applies: no jumps, an embedded pair without state between steps (SRA1, SRIW1), f and g
    /// declared free of t, and not forced off. Everything else (step doubling, SKenCarp, jump diffusions,
    /// time-dependent problems) runs path by path.
    /// </summary>
    private static bool LanesApply(SdeProblem<TDrift, TDiffusion> problem, AdaptiveSdeOptions options) =>
        options.LaneWidth >= 0 && typeof(TJumps) == typeof(NoJumps) && !Halves
        && (typeof(TSolver) == typeof(Sra1) || typeof(TSolver) == typeof(Sriw1))
        && problem.Drift.TimeIndependent && problem.Diffusion.TimeIndependent;

    /// <summary>h·f per lane: the drift of the time-changed equation.</summary>
    private struct LaneDrift(TDrift inner, double[] scale) : IDrift
    {
        public TDrift Inner = inner;
        public readonly int Dimension => Inner.Dimension;

        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        {
            Inner.Evaluate(t, x, dx, paths);
            ScaleRows(dx, Inner.Dimension, scale, paths);
        }
    }

    /// <summary>√h·g per lane: the diffusion of the time-changed equation.</summary>
    private struct LaneDiffusion(TDiffusion inner, double[] root) : IDiffusion
    {
        public TDiffusion Inner = inner;
        public readonly int Dimension => Inner.Dimension;
        public readonly int NoiseDimension => Inner.NoiseDimension;
        public readonly NoiseKind Noise => Inner.Noise;
        public readonly bool StateIndependent => Inner.StateIndependent;

        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
        {
            Inner.Evaluate(t, x, g, paths);
            ScaleRows(g, global::Drift.Solve.Noise.Rows(Inner.Noise, Inner.Dimension, Inner.NoiseDimension), root, paths);
        }
    }

    private static void ScaleRows(Span<double> rows, int count, double[] scale, int paths)
    {
        var s = scale.AsSpan(0, paths);
        for (int r = 0; r < count; r++)
        {
            var row = rows.Slice(r * paths, paths);
            Elementwise.Map(new Product(), row, s, row);
        }
    }

    private readonly struct Product : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD a, TD b) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.Multiply(a, b);
    }

    /// <summary>One lane's path and controller state.</summary>
    private struct Lane
    {
        public long Path;          // −1: empty
        public int Column;         // the path's column in the chunk
        public double T, H, Step, End, Previous, BeforePrevious;
        public long Attempts;
        public int Save;
        public bool Lands, Record, Fresh;
    }

    private sealed class LaneWorker : IChunkWorker
    {
        private readonly AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> _run;
        private LaneDrift _drift;
        private LaneDiffusion _diffusion;
        private readonly TSolver _solver;
        private readonly SolverScratch _scratch = new();
        private readonly PhiloxNormals _fresh;
        private readonly int _capacity, _d, _m;
        private readonly double[] _x, _candidate, _e1, _e2, _dB, _hB, _scale, _root, _sum, _w, _hBar, _pack, _saved;
        private readonly ulong[] _streams, _blocks;
        private Lane[] _lanes;
        private BrownianQueue[] _queues;
        private readonly bool[] _failed;
        private readonly Statistics.QuantileSketch[]? _sketches;
        private readonly List<Divergence> _failures = [];
        private readonly List<PathStepRecord> _records = [];
        private long _accepted, _rejected, _driftEvaluations, _diffusionEvaluations;
        private double _smallest = double.PositiveInfinity, _largest;
        private int _failedHere, _chunkPaths;

        public AdaptiveSdeStatistics Statistics { get; private set; } = AdaptiveSdeStatistics.Empty;

        public LaneWorker(AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> run)
        {
            _run = run;
            var p = run._problem;
            var o = run._options;
            _d = p.Dimension;
            _m = p.NoiseDimension;
            _capacity = Math.Min(o.LaneWidth > 0 ? o.LaneWidth : DefaultLanes, o.ChunkSize);
            int w = _capacity, d = _d, m = _m;
            _scale = new double[w];
            _root = new double[w];
            _drift = new LaneDrift(p.Drift, _scale);
            _diffusion = new LaneDiffusion(p.Diffusion, _root);
            _solver = run._solver;
            _fresh = new PhiloxNormals(BrownianQueue.FreshKey(o.Seed));
            _x = new double[d * w];
            _candidate = new double[d * w];
            _e1 = new double[d * w];
            _e2 = new double[d * w];
            _pack = new double[d * w];
            _dB = new double[m * w];
            _hB = new double[m * w];
            _sum = new double[w];
            _w = new double[m];
            _hBar = new double[m];
            _streams = new ulong[w];
            _blocks = new ulong[w];
            _lanes = new Lane[w];
            _queues = new BrownianQueue[w];
            for (int k = 0; k < w; k++) _queues[k] = new BrownianQueue(o.Seed, m);
            _saved = new double[run._saveTimes.Length * d * o.ChunkSize];
            _failed = new bool[o.ChunkSize];
            _sketches = run._accumulator.CreateSketches();
        }

        public bool Solve(long index)
        {
            var run = _run;
            var chunk = run._accumulator.BeginChunk(index);
            int d = _d, n = chunk.Paths, saves = run._saveTimes.Length;
            long first = run._options.FirstPath + chunk.Offset;
            Array.Clear(_failed, 0, n);
            _failures.Clear();
            _records.Clear();
            _failedHere = 0;
            _chunkPaths = n;
            var initial = new double[d * n];
            if (run._problem.PathInitialStates is { } init) init(first, n, initial);
            else for (int i = 0; i < d; i++) initial.AsSpan(i * n, n).Fill(run._problem.InitialState[i]);

            int next = 0;
            int width = Math.Min(_capacity, n);
            for (int k = 0; k < width; k++) Load(k, width, ref next, first, n, initial);
            width = Compact(width);
            int sweeps = 0;
            while (width > 0)
            {
                // A chunk at a tight tolerance can take millions of lane steps: a cancelled run stops inside it.
                if ((++sweeps & 1023) == 0 && run._options.CancellationToken.IsCancellationRequested)
                {
                    run._cancelled = true;
                    return false;
                }
                Step(width);
                for (int k = 0; k < width; k++)
                    if (Decide(k, width)) Load(k, width, ref next, first, n, initial);
                width = Compact(width);
            }

            for (int s = 0; s < saves; s++)
                run._accumulator.Record(chunk, s, _saved.AsSpan(s * d * n, d * n), _failed, _sketches);
            Statistics = new AdaptiveSdeStatistics(_accepted, _rejected, _driftEvaluations, _diffusionEvaluations, _smallest, _largest);
            if (run._options.CancellationToken.IsCancellationRequested)
            {
                run._cancelled = true;
                return false;
            }
            lock (run._gate) run._records.AddRange(_records);
            run._accumulator.Submit(chunk, _failures, _failedHere);
            return true;
        }

        /// <summary>Puts the chunk's next path that can start into lane k (or empties it when none is left).</summary>
        private void Load(int k, int width, ref int next, long first, int n, double[] initial)
        {
            var run = _run;
            var o = run._options;
            double t0 = run._problem.T0;
            ref var lane = ref _lanes[k];
            while (next < n)
            {
                int column = next++;
                long path = first + column;
                bool finite = true;
                for (int i = 0; i < _d; i++)
                {
                    double v = initial[i * n + column];
                    _x[i * width + k] = v;
                    finite &= double.IsFinite(v);
                }
                lane = new Lane
                {
                    Path = path, Column = column, T = t0, H = run._initialStep, Previous = 1.0, BeforePrevious = 1.0,
                    Record = path - o.FirstPath < o.RecordStepsOfPaths,
                };
                if (!finite)
                {
                    Fail(k, width, t0, SolveStatus.NonFinite, 0, _x);
                    continue;
                }
                _queues[k].Reset(path, t0);
                SaveDue(ref lane, k, width);
                return;
            }
            lane = new Lane { Path = -1 };
        }

        /// <summary>One attempted step of every lane: increments, the solver's batch step, error norms.</summary>
        private void Step(int width)
        {
            var run = _run;
            int d = _d, m = _m;
            double t1 = run._problem.T1;
            for (int k = 0; k < width; k++)
            {
                ref var lane = ref _lanes[k];
                lane.Attempts++;
                double target = lane.Save < run._saveTimes.Length ? run._saveTimes[lane.Save] : t1;
                double step = Math.Min(lane.H, target - lane.T);
                bool lands = step >= target - lane.T || lane.T + step >= target - 1e-12 * Math.Max(1, Math.Abs(target));
                lane.End = lands ? target : lane.T + step;
                lane.Step = lane.End - lane.T;
                lane.Lands = lands;
                _scale[k] = lane.Step;
                _root[k] = Math.Sqrt(lane.Step);
                var queue = _queues[k];
                lane.Fresh = queue.Pending == 0;
                _streams[k] = (ulong)lane.Path * (ulong)m;
                _blocks[k] = queue.FreshDraws;
            }
            // Fresh pieces for every lane in one gather (lanes with pieces pending overwrite theirs below): ΔB = Z₁, H_B = Z₂/√12.
            for (int j = 0; j < m; j++)
                _fresh.PairsPerLane(_streams.AsSpan(0, width), (ulong)j, _blocks.AsSpan(0, width), _dB.AsSpan(j * width, width), _hB.AsSpan(j * width, width));
            var areas = _hB.AsSpan(0, m * width);
            Elementwise.Map(new Combine2(BrownianQueue.InverseRoot12, 0.0), areas, areas, areas);
            for (int k = 0; k < width; k++)
            {
                ref var lane = ref _lanes[k];
                if (lane.Fresh) continue;
                _queues[k].Increment(lane.End, _w, _hBar);
                double root = _root[k], areaScale = 1 / (lane.Step * root);
                for (int j = 0; j < m; j++)
                {
                    _dB[j * width + k] = _w[j] / root;
                    _hB[j * width + k] = _hBar[j] * areaScale;
                }
            }

            _x.AsSpan(0, d * width).CopyTo(_candidate);
            _solver.StepWithError(ref _drift, ref _diffusion, _scratch, run._problem.T0, 1.0, _dB.AsSpan(0, m * width), _hB.AsSpan(0, m * width),
                _candidate.AsSpan(0, d * width), width, _e1.AsSpan(0, d * width), _e2.AsSpan(0, d * width));
            _driftEvaluations += (long)_solver.DriftEvaluationsPerStep * width;
            _diffusionEvaluations += (long)_solver.DiffusionEvaluationsPerStep * width;
            var c = run._options.Controller;
            ErrorSums(width, c.RelativeTolerance, c.AbsoluteTolerance, run._options.DeterministicWeight);
        }

        /// <summary>
        /// _sum[k] = Σᵢ eᵢ² with eᵢ = (δ|e1ᵢ| + |e2ᵢ|)/(atol + rtol·max(|xᵢ|, |x̂ᵢ|)) for lane k, plus x̂ᵢ·0 so that a
        /// non-finite candidate makes the sum NaN. The same operations lane by lane in the vector body and the scalar
        /// tail, so a lane's sum does not depend on its position.
        /// </summary>
        private void ErrorSums(int width, double rtol, double atol, double delta)
        {
            var sum = _sum.AsSpan(0, width);
            sum.Clear();
            int vectorEnd = Vector.IsHardwareAccelerated ? width - width % Vector<double>.Count : 0;
            var vr = new Vector<double>(rtol);
            var va = new Vector<double>(atol);
            var vd = new Vector<double>(delta);
            for (int i = 0; i < _d; i++)
            {
                var x = _x.AsSpan(i * width, width);
                var y = _candidate.AsSpan(i * width, width);
                var a = _e1.AsSpan(i * width, width);
                var b = _e2.AsSpan(i * width, width);
                for (int k = 0; k < vectorEnd; k += Vector<double>.Count)
                {
                    var vy = new Vector<double>(y[k..]);
                    var scale = va + vr * Vector.Max(Vector.Abs(new Vector<double>(x[k..])), Vector.Abs(vy));
                    var e = (vd * Vector.Abs(new Vector<double>(a[k..])) + Vector.Abs(new Vector<double>(b[k..]))) / scale;
                    (new Vector<double>(sum[k..]) + e * e + vy * Vector<double>.Zero).CopyTo(sum[k..]);
                }
                for (int k = vectorEnd; k < width; k++)
                {
                    double scale = atol + rtol * Math.Max(Math.Abs(x[k]), Math.Abs(y[k]));
                    double e = (delta * Math.Abs(a[k]) + Math.Abs(b[k])) / scale;
                    sum[k] = sum[k] + e * e + y[k] * 0.0;
                }
            }
        }

        /// <summary>Accepts or rejects lane k's step and picks its next step; true when the lane's path is done (finished or failed).</summary>
        private bool Decide(int k, int width)
        {
            var run = _run;
            var c = run._options.Controller;
            ref var lane = ref _lanes[k];
            var queue = _queues[k];
            int d = _d;
            double norm = Math.Sqrt(_sum[k] / d);
            double error = double.IsFinite(norm) ? norm
                : ScaledErrorNorm(_x, _candidate, _e1, _e2, d, width, k, c.RelativeTolerance, c.AbsoluteTolerance, run._options.DeterministicWeight);
            bool accept = error <= 1.0;
            double step = lane.Step;
            if (lane.Record) _records.Add(new PathStepRecord(lane.Path, new StepRecord(lane.T, step, error, double.NaN, accept)));
            double factor = run.Factor(c, error, lane.Previous, lane.BeforePrevious, rootShortcut: true);
            if (lane.Fresh) queue.TakeFresh(lane.End, _dB.AsSpan(k), _hB.AsSpan(k), width, accept);
            if (accept)
            {
                if (!lane.Fresh) queue.Advance(lane.End);
                lane.T = lane.End;
                (lane.BeforePrevious, lane.Previous) = (lane.Previous, Math.Max(error, 1e-10));
                for (int i = 0; i < d; i++) _x[i * width + k] = _candidate[i * width + k];
                _accepted++;
                _smallest = Math.Min(_smallest, step);
                _largest = Math.Max(_largest, step);
                SaveDue(ref lane, k, width);
                // A step cut short to land on a save time does not shrink the next one.
                lane.H = Math.Clamp(Math.Max(lane.H, step) * (lane.Lands && step < lane.H ? 1.0 : factor), run._minStep, run._maxStep);
                if (lane.T >= run._problem.T1) return true;
            }
            else
            {
                _rejected++;
                // A rejection at the minimum step means the path cannot meet the tolerance.
                if (step <= run._minStep * (1 + 1e-12))
                {
                    if (double.IsNaN(error)) Fail(k, width, lane.T, SolveStatus.NonFinite, lane.H, _candidate);
                    else Fail(k, width, lane.T, SolveStatus.StepTooSmall, step, _candidate);
                    return true;
                }
                lane.H = Math.Max(step * Math.Min(factor, 1.0), run._minStep);
            }
            if (lane.Attempts >= c.MaxSteps)
            {
                Fail(k, width, lane.T, SolveStatus.MaxSteps, lane.H, _candidate);
                return true;
            }
            return false;
        }

        /// <summary>Writes lane k's state at every save time it has reached.</summary>
        private void SaveDue(ref Lane lane, int k, int width)
        {
            var times = _run._saveTimes;
            int d = _d, n = _chunkPaths;
            while (lane.Save < times.Length && times[lane.Save] <= lane.T)
            {
                int save = lane.Save++;
                for (int i = 0; i < d; i++) _saved[(save * d + i) * n + lane.Column] = _x[i * width + k];
            }
        }


        /// <summary>Records lane k's path as failed (a non-finite cause names the first non-finite component of <paramref name="state"/>).</summary>
        private void Fail(int k, int width, double t, SolveStatus cause, double value, double[] state)
        {
            ref var lane = ref _lanes[k];
            int component = -1;
            if (cause == SolveStatus.NonFinite)
            {
                for (int i = 0; i < _d && component < 0; i++)
                    if (!double.IsFinite(state[i * width + k])) { component = i; value = state[i * width + k]; }
                if (component < 0) { component = 0; value = double.NaN; }
                cause = StepFailure.CauseOf(value);
            }
            _failures.Add(new Divergence(lane.Path, t, component, value, cause));
            _failed[lane.Column] = true;
            _failedHere++;
        }

        /// <summary>Moves the lanes still running to the front, in order, and repacks the state rows; returns their number.</summary>
        private int Compact(int width)
        {
            int live = 0;
            for (int k = 0; k < width; k++) if (_lanes[k].Path >= 0) live++;
            if (live == width) return width;
            int j = 0;
            for (int k = 0; k < width; k++)
            {
                if (_lanes[k].Path < 0) continue;
                for (int i = 0; i < _d; i++) _pack[i * live + j] = _x[i * width + k];
                if (j != k)
                {
                    _lanes[j] = _lanes[k];
                    (_queues[j], _queues[k]) = (_queues[k], _queues[j]);
                }
                j++;
            }
            _pack.AsSpan(0, _d * live).CopyTo(_x);
            return live;
        }
    }
}

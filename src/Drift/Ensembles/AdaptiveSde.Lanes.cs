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
/// other lanes. Lanes that finish or fail take the next path, from the next chunk when theirs has none left (a worker
/// keeps several chunks in flight and hands each in when its last path ends); the batch is compacted only when no chunk
/// is left to claim. The controller runs vectorised across lanes on per-lane arrays, and only lanes with something to
/// do (a rejection, a pending Brownian piece, a save time, a finished path) are visited one by one. Each path's arithmetic depends only on its own values, so results do not depend on lanes, chunks or threads.
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

    /// <summary>A chunk in flight in a lane worker: its paths' initial and saved states, failures and step records.</summary>
    private sealed class OpenChunk(int dimension, int saves, int capacity)
    {
        public EnsembleAccumulator.Chunk Chunk = null!;
        public long First;
        public int Paths, Next, Running, FailedCount;
        public readonly double[] Initial = new double[dimension * capacity];
        public readonly double[] Saved = new double[saves * dimension * capacity];
        public readonly bool[] Failed = new bool[capacity];
        public readonly List<Divergence> Failures = [];
        public readonly List<PathStepRecord> Records = [];
    }

    private sealed class LaneWorker
    {
        private readonly AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> _run;
        private LaneDrift _drift;
        private LaneDiffusion _diffusion;
        private readonly TSolver _solver;
        private readonly SolverScratch _scratch = new();
        private readonly PhiloxNormals _fresh, _split;
        private readonly int _capacity, _d, _m;
        // Whether the step factor is the default integral control of a strong-order-1.5 pair, clamp(safety/√E): then vectorised.
        private readonly bool _rootFactor;
        private readonly double[] _x, _candidate, _e1, _e2, _dB, _hB, _sum, _w, _hBar, _pack;
        // Per lane (padded to whole vectors; entries past the live width are stale and ignored).
        private readonly double[] _t, _start, _h, _step, _root, _end, _target, _previous, _beforePrevious, _error, _factor;
        private readonly long[] _attempts, _accept, _event, _pending, _sticky, _index, _path;
        // _blocks[k] is the lane's next fresh block; while pieces are pending it mirrors its queue's FreshDraws, so the
        // vectorised gather also draws the fresh piece a pending lane's query may append.
        private readonly ulong[] _streams, _blocks;
        // The lanes with pieces pending and their split counters: their split normals are drawn in one gather too.
        private readonly int[] _pendingLanes;
        private readonly ulong[] _splitStreams, _splitBlocks;
        private readonly double[] _splitX1, _splitX2;
        private readonly int[] _save, _column;
        private readonly OpenChunk?[] _owner;
        private readonly BrownianQueue[] _queues;
        private readonly Stack<OpenChunk> _pool = new();
        private OpenChunk? _loading;
        private Func<long> _claim = () => -1;
        private readonly Statistics.QuantileSketch[]? _sketches;
        private long _accepted, _rejected, _driftEvaluations, _diffusionEvaluations;
        private Vector<double> _smallest = new(double.PositiveInfinity), _largest = Vector<double>.Zero;

        public AdaptiveSdeStatistics Statistics { get; private set; } = AdaptiveSdeStatistics.Empty;

        public LaneWorker(AdaptiveRun<TDrift, TDiffusion, TSolver, TJumps> run)
        {
            _run = run;
            var p = run._problem;
            var o = run._options;
            _d = p.Dimension;
            _m = p.NoiseDimension;
            _capacity = Math.Min(o.LaneWidth > 0 ? o.LaneWidth : DefaultLanes, o.ChunkSize);
            int w = _capacity, d = _d, m = _m, v = Vector<double>.Count, padded = (w + v - 1) / v * v;
            _rootFactor = run._e1 == -0.5 && run._e2 == 0 && run._e3 == 0;
            _step = new double[padded];
            _root = new double[padded];
            _drift = new LaneDrift(p.Drift, _step);
            _diffusion = new LaneDiffusion(p.Diffusion, _root);
            _solver = run._solver;
            _fresh = new PhiloxNormals(BrownianQueue.FreshKey(o.Seed));
            _split = new PhiloxNormals(BrownianQueue.SplitKey(o.Seed));
            _pendingLanes = new int[w];
            _splitStreams = new ulong[w];
            _splitBlocks = new ulong[w];
            _splitX1 = new double[m * w];
            _splitX2 = new double[m * w];
            _x = new double[d * w];
            _candidate = new double[d * w];
            _e1 = new double[d * w];
            _e2 = new double[d * w];
            _pack = new double[d * w];
            _dB = new double[m * w];
            _hB = new double[m * w];
            _sum = new double[padded];
            _w = new double[m];
            _hBar = new double[m];
            _t = new double[padded];
            _start = new double[padded];
            _h = new double[padded];
            _end = new double[padded];
            _target = new double[padded];
            _previous = new double[padded];
            _beforePrevious = new double[padded];
            _error = new double[padded];
            _factor = new double[padded];
            _attempts = new long[padded];
            _accept = new long[padded];
            _event = new long[padded];
            _pending = new long[padded];
            _sticky = new long[padded];
            _index = new long[padded];
            for (int k = 0; k < padded; k++) _index[k] = k;
            _path = new long[padded];
            _streams = new ulong[padded];
            _blocks = new ulong[padded];
            _save = new int[padded];
            _column = new int[padded];
            _owner = new OpenChunk?[padded];
            _queues = new BrownianQueue[w];
            for (int k = 0; k < w; k++) _queues[k] = new BrownianQueue(o.Seed, m);
            _sketches = run._accumulator.CreateSketches();
        }

        /// <summary>Solves the chunks it claims until none is left; false when the run was cancelled.</summary>
        public bool Run(Func<long> claim)
        {
            var run = _run;
            _claim = claim;
            int width = 0;
            while (width < _capacity && Load(width, _capacity)) width++;
            // Lanes were loaded with the row stride of a full batch: repack if fewer paths came.
            width = Repack(width, _capacity);
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
                Decide(width);
                width = Compact(width);
            }
            double smallest = double.PositiveInfinity, largest = 0;
            for (int j = 0; j < Vector<double>.Count; j++)
            {
                smallest = Math.Min(smallest, _smallest[j]);
                largest = Math.Max(largest, _largest[j]);
            }
            Statistics = new AdaptiveSdeStatistics(_accepted, _rejected, _driftEvaluations, _diffusionEvaluations, smallest, largest);
            return !run._cancelled;
        }

        /// <summary>Opens the next claimed chunk for loading; false when none is left.</summary>
        private bool OpenNext()
        {
            long index = _claim();
            if (index < 0)
            {
                _loading = null;
                return false;
            }
            var run = _run;
            var open = _pool.Count > 0 ? _pool.Pop() : new OpenChunk(_d, run._saveTimes.Length, run._options.ChunkSize);
            var chunk = run._accumulator.BeginChunk(index);
            int n = chunk.Paths;
            open.Chunk = chunk;
            open.First = run._options.FirstPath + chunk.Offset;
            open.Paths = n;
            open.Next = 0;
            open.Running = 0;
            open.FailedCount = 0;
            Array.Clear(open.Failed, 0, n);
            open.Failures.Clear();
            open.Records.Clear();
            var initial = open.Initial.AsSpan(0, _d * n);
            if (run._problem.PathInitialStates is { } init) init(open.First, n, initial);
            else for (int i = 0; i < _d; i++) initial.Slice(i * n, n).Fill(run._problem.InitialState[i]);
            _loading = open;
            return true;
        }

        /// <summary>Hands a chunk whose paths have all ended to the accumulator.</summary>
        private void Close(OpenChunk open)
        {
            var run = _run;
            int d = _d, n = open.Paths;
            for (int s = 0; s < run._saveTimes.Length; s++)
                run._accumulator.Record(open.Chunk, s, open.Saved.AsSpan(s * d * n, d * n), open.Failed, _sketches);
            if (run._options.CancellationToken.IsCancellationRequested)
            {
                run._cancelled = true;
                return;
            }
            if (open.Records.Count > 0) lock (run._gate) run._records.AddRange(open.Records);
            run._accumulator.Submit(open.Chunk, open.Failures, open.FailedCount);
            if (open != _loading) _pool.Push(open);
        }

        /// <summary>Ends lane k's path (finished or failed); closes its chunk when that was the chunk's last path.</summary>
        private void End(int k)
        {
            var open = _owner[k]!;
            _owner[k] = null;
            if (--open.Running == 0 && open.Next == open.Paths && !_run._cancelled) Close(open);
        }

        /// <summary>Puts the next path that can start into lane k (rows of <paramref name="width"/>); false (lane emptied) when none is left.</summary>
        private bool Load(int k, int width)
        {
            var run = _run;
            var o = run._options;
            double t0 = run._problem.T0;
            while (true)
            {
                var open = _loading;
                if (open is null || open.Next == open.Paths)
                {
                    if (open is not null && open.Running == 0) _pool.Push(open);
                    if (!OpenNext()) break;
                    continue;
                }
                int column = open.Next++, n = open.Paths;
                open.Running++;
                long path = open.First + column;
                bool finite = true;
                for (int i = 0; i < _d; i++)
                {
                    double v = open.Initial[i * n + column];
                    _x[i * width + k] = v;
                    finite &= double.IsFinite(v);
                }
                _owner[k] = open;
                _column[k] = column;
                _path[k] = path;
                _t[k] = t0;
                _h[k] = run._initialStep;
                _previous[k] = 1.0;
                _beforePrevious[k] = 1.0;
                _attempts[k] = 0;
                _save[k] = 0;
                _pending[k] = 0;
                _sticky[k] = path - o.FirstPath < o.RecordStepsOfPaths ? -1 : 0;
                _streams[k] = (ulong)path * (ulong)_m;
                _blocks[k] = 0;
                if (!finite)
                {
                    Fail(k, width, t0, SolveStatus.NonFinite, 0, _x);
                    End(k);
                    continue;
                }
                _queues[k].Reset(path, t0);
                SaveDue(k, width);
                return true;
            }
            _owner[k] = null;
            return false;
        }

        /// <summary>One attempted step of every lane: step lengths, increments, the solver's batch step, error norms.</summary>
        private void Step(int width)
        {
            var run = _run;
            int d = _d, m = _m, v = Vector<double>.Count;
            // Step lengths, vectorised over whole vectors of lanes (the stale ones past the width are ignored):
            // h' = min(h, target − t); the step lands on the target when h' reaches it or falls within 10⁻¹²·max(1, |target|) of it.
            var one = Vector<double>.One;
            var closeness = new Vector<double>(1e-12);
            for (int k = 0; k < width; k += v)
            {
                var t = new Vector<double>(_t, k);
                var target = new Vector<double>(_target, k);
                var gap = target - t;
                var step = Vector.Min(new Vector<double>(_h, k), gap);
                var lands = Vector.GreaterThanOrEqual(step, gap) | Vector.GreaterThanOrEqual(t + step, target - closeness * Vector.Max(one, Vector.Abs(target)));
                var end = Vector.ConditionalSelect(lands, target, t + step);
                var length = end - t;
                t.CopyTo(_start, k);
                end.CopyTo(_end, k);
                length.CopyTo(_step, k);
                Vector.SquareRoot(length).CopyTo(_root, k);
                Vector.AsVectorInt64(lands).CopyTo(_event, k);
                (new Vector<long>(_attempts, k) + Vector<long>.One).CopyTo(_attempts, k);
            }
            // Fresh pieces for every lane in one gather (lanes with pieces pending overwrite theirs below): ΔB = Z₁, H_B = Z₂/√12.
            for (int j = 0; j < m; j++)
                _fresh.PairsPerLane(_streams.AsSpan(0, width), (ulong)j, _blocks.AsSpan(0, width), _dB.AsSpan(j * width, width), _hB.AsSpan(j * width, width));
            var areas = _hB.AsSpan(0, m * width);
            Elementwise.Map(new Combine2(BrownianQueue.InverseRoot12, 0.0), areas, areas, areas);
            // Lanes with pieces pending query their queues, with the fresh pair gathered above and the split pair gathered here.
            int count = 0;
            for (int k = 0; k < width; k++)
            {
                if (_pending[k] == 0) continue;
                _pendingLanes[count] = k;
                _splitStreams[count] = _streams[k];
                _splitBlocks[count++] = _queues[k].SplitDraws;
            }
            for (int j = 0; j < m && count > 0; j++)
                _split.PairsPerLane(_splitStreams.AsSpan(0, count), (ulong)j, _splitBlocks.AsSpan(0, count), _splitX1.AsSpan(j * count, count), _splitX2.AsSpan(j * count, count));
            for (int p = 0; p < count; p++)
            {
                int k = _pendingLanes[p];
                var queue = _queues[k];
                queue.Increment(_end[k], _w, _hBar, _dB.AsSpan(k), _hB.AsSpan(k), width, _splitX1.AsSpan(p), _splitX2.AsSpan(p), count);
                _blocks[k] = queue.FreshDraws;
                double root = _root[k], areaScale = 1 / (_step[k] * root);
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

        /// <summary>
        /// Accepts or rejects every lane's step and picks its next step, vectorised across lanes: E = √(sum/d) (the
        /// overflow-safe norm where that is not finite), accept when E ≤ 1; accepted: t ← t + h', the error history
        /// shifts, h ← clamp(max(h, h')·factor, hmin, hmax) (factor 1 after a step cut short to land on a save time);
        /// rejected: h ← max(h'·min(factor, 1), hmin). Lanes with something more to do (a rejection, pending Brownian
        /// pieces, a save time reached, a recorded path, the attempt limit) are then visited one by one; those whose
        /// path ends take the next path.
        /// </summary>
        private void Decide(int width)
        {
            var run = _run;
            var c = run._options.Controller;
            int d = _d, v = Vector<double>.Count;
            var dimension = new Vector<double>(d);
            var limit = new Vector<long>(c.MaxSteps);
            var live = new Vector<long>(width);
            var safety = new Vector<double>(c.Safety);
            var minFactor = new Vector<double>(c.MinFactor);
            var maxFactor = new Vector<double>(c.MaxFactor);
            var minStep = new Vector<double>(run._minStep);
            var maxStep = new Vector<double>(run._maxStep);
            var floor = new Vector<double>(1e-10);
            var one = Vector<double>.One;
            var atMinimum = new Vector<double>(run._minStep * (1 + 1e-12));
            long accepted = 0;
            for (int k = 0; k < width; k += v)
            {
                var norm = Vector.SquareRoot(new Vector<double>(_sum, k) / dimension);
                norm.CopyTo(_error, k);
                if (!Vector.EqualsAll(norm - norm, Vector<double>.Zero))
                {
                    for (int j = k; j < Math.Min(k + v, width); j++)
                        if (!double.IsFinite(_error[j]))
                            _error[j] = ScaledErrorNorm(_x, _candidate, _e1, _e2, d, width, j, c.RelativeTolerance, c.AbsoluteTolerance, run._options.DeterministicWeight);
                    norm = new Vector<double>(_error, k);
                }
                var previous = new Vector<double>(_previous, k);
                var beforePrevious = new Vector<double>(_beforePrevious, k);
                Vector<double> factor;
                if (_rootFactor)
                {
                    // clamp(safety·E^(−½), minFactor, maxFactor) as Factor computes it; minFactor for NaN, maxFactor for 0 (1/√0 = ∞).
                    var raw = Vector.Min(Vector.Max(safety * (one / Vector.SquareRoot(norm)), minFactor), maxFactor);
                    factor = Vector.ConditionalSelect(Vector.Equals(norm, norm), raw, minFactor);
                }
                else
                {
                    for (int j = k; j < k + v; j++) _factor[j] = run.Factor(c, _error[j], _previous[j], _beforePrevious[j], rootShortcut: true);
                    factor = new Vector<double>(_factor, k);
                }
                var isLive = Vector.LessThan(new Vector<long>(_index, k), live);
                var accept = Vector.AsVectorInt64(Vector.LessThanOrEqual(norm, one)) & isLive;
                var acceptD = Vector.AsVectorDouble(accept);
                var t = new Vector<double>(_t, k);
                var h = new Vector<double>(_h, k);
                var step = new Vector<double>(_step, k);
                var end = new Vector<double>(_end, k);
                var lands = new Vector<long>(_event, k);
                var keep = lands & Vector.LessThan(step, h);
                var grown = Vector.Min(Vector.Max(Vector.Max(h, step) * Vector.ConditionalSelect(keep, one, factor), minStep), maxStep);
                var shrunk = Vector.Max(step * Vector.Min(factor, one), minStep);
                Vector.ConditionalSelect(acceptD, grown, shrunk).CopyTo(_h, k);
                Vector.ConditionalSelect(acceptD, end, t).CopyTo(_t, k);
                Vector.ConditionalSelect(acceptD, Vector.Max(norm, floor), previous).CopyTo(_previous, k);
                Vector.ConditionalSelect(acceptD, previous, beforePrevious).CopyTo(_beforePrevious, k);
                _smallest = Vector.Min(_smallest, Vector.ConditionalSelect(acceptD, step, new Vector<double>(double.PositiveInfinity)));
                _largest = Vector.Max(_largest, Vector.ConditionalSelect(acceptD, step, Vector<double>.Zero));
                var pending = new Vector<long>(_pending, k);
                // A fresh piece taken: the path's next fresh block.
                (new Vector<ulong>(_blocks, k) - Vector.AsVectorUInt64(Vector.AndNot(accept, pending))).CopyTo(_blocks, k);
                accept.CopyTo(_accept, k);
                accepted -= Vector.Sum(accept);
                var events = ~accept | pending | lands | new Vector<long>(_sticky, k)
                    | Vector.GreaterThanOrEqual(new Vector<long>(_attempts, k), limit)
                    | Vector.AsVectorInt64(Vector.LessThanOrEqual(step, atMinimum));
                events.CopyTo(_event, k);
            }
            _accepted += accepted;
            _rejected += width - accepted;

            for (int i = 0; i < d; i++)
            {
                var x = _x.AsSpan(i * width, width);
                var y = _candidate.AsSpan(i * width, width);
                int k = 0;
                for (; k <= width - v; k += v)
                    Vector.ConditionalSelect(Vector.AsVectorDouble(new Vector<long>(_accept, k)), new Vector<double>(y[k..]), new Vector<double>(x[k..])).CopyTo(x[k..]);
                for (; k < width; k++)
                    if (_accept[k] != 0) x[k] = y[k];
            }

            for (int k = 0; k < width; k++)
                if (_event[k] != 0 && Settle(k, width)) Load(k, width);
        }

        /// <summary>Lane k's bookkeeping after the vectorised decision; true when its path has ended (finished or failed).</summary>
        private bool Settle(int k, int width)
        {
            var run = _run;
            var c = run._options.Controller;
            bool accept = _accept[k] != 0;
            double step = _step[k], error = _error[k];
            var queue = _queues[k];
            if (_sticky[k] != 0) _owner[k]!.Records.Add(new PathStepRecord(_path[k], new StepRecord(_start[k], step, error, double.NaN, accept)));
            if (accept)
            {
                if (_pending[k] != 0)
                {
                    queue.Advance(_end[k]);
                    if (queue.Pending == 0)
                    {
                        _pending[k] = 0;
                        _blocks[k] = queue.FreshDraws;
                    }
                }
                SaveDue(k, width);
                if (_t[k] >= run._problem.T1)
                {
                    End(k);
                    return true;
                }
            }
            else
            {
                if (_pending[k] == 0)
                {
                    queue.HoldFresh(_start[k], _blocks[k], _end[k], _dB.AsSpan(k), _hB.AsSpan(k), width);
                    _blocks[k] = queue.FreshDraws;
                    _pending[k] = -1;
                }
                // A rejection at the minimum step means the path cannot meet the tolerance.
                if (step <= run._minStep * (1 + 1e-12))
                {
                    if (double.IsNaN(error)) Fail(k, width, _t[k], SolveStatus.NonFinite, 0, _candidate);
                    else Fail(k, width, _t[k], SolveStatus.StepTooSmall, step, _candidate);
                    End(k);
                    return true;
                }
            }
            if (_attempts[k] >= c.MaxSteps)
            {
                Fail(k, width, _t[k], SolveStatus.MaxSteps, _h[k], _candidate);
                End(k);
                return true;
            }
            return false;
        }

        /// <summary>Writes lane k's state at every save time it has reached, and sets its next target (save time or t1).</summary>
        private void SaveDue(int k, int width)
        {
            var times = _run._saveTimes;
            var open = _owner[k]!;
            int d = _d, n = open.Paths, column = _column[k];
            while (_save[k] < times.Length && times[_save[k]] <= _t[k])
            {
                int save = _save[k]++;
                for (int i = 0; i < d; i++) open.Saved[(save * d + i) * n + column] = _x[i * width + k];
            }
            _target[k] = _save[k] < times.Length ? times[_save[k]] : _run._problem.T1;
        }

        /// <summary>Records lane k's path as failed (a non-finite cause names the first non-finite component of <paramref name="state"/>).</summary>
        private void Fail(int k, int width, double t, SolveStatus cause, double value, double[] state)
        {
            int component = -1;
            if (cause == SolveStatus.NonFinite)
            {
                for (int i = 0; i < _d && component < 0; i++)
                    if (!double.IsFinite(state[i * width + k])) { component = i; value = state[i * width + k]; }
                if (component < 0) { component = 0; value = double.NaN; }
                cause = StepFailure.CauseOf(value);
            }
            var open = _owner[k]!;
            open.Failures.Add(new Divergence(_path[k], t, component, value, cause));
            open.Failed[_column[k]] = true;
            open.FailedCount++;
        }

        /// <summary>Moves the lanes still running to the front, in order, and repacks the state rows; returns their number.</summary>
        private int Compact(int width)
        {
            int live = 0;
            for (int k = 0; k < width; k++) if (_owner[k] is not null) live++;
            return live == width ? width : Repack(width, width);
        }

        /// <summary>
        /// Moves the lanes whose path is running (among the first <paramref name="lanes"/>) to the front in order and
        /// repacks their state rows from a stride of <paramref name="stride"/> to one of their number; returns it.
        /// </summary>
        private int Repack(int lanes, int stride)
        {
            int live = 0;
            for (int k = 0; k < lanes; k++) if (_owner[k] is not null) live++;
            if (live == stride) return live;
            int j = 0;
            for (int k = 0; k < lanes; k++)
            {
                if (_owner[k] is null) continue;
                for (int i = 0; i < _d; i++) _pack[i * live + j] = _x[i * stride + k];
                if (j != k) Move(k, j);
                j++;
            }
            _pack.AsSpan(0, _d * live).CopyTo(_x);
            return live;
        }

        /// <summary>Moves lane <paramref name="from"/>'s path and controller state to lane <paramref name="to"/> (whose path has ended).</summary>
        private void Move(int from, int to)
        {
            _t[to] = _t[from];
            _h[to] = _h[from];
            _target[to] = _target[from];
            _previous[to] = _previous[from];
            _beforePrevious[to] = _beforePrevious[from];
            _attempts[to] = _attempts[from];
            _pending[to] = _pending[from];
            _sticky[to] = _sticky[from];
            _path[to] = _path[from];
            _streams[to] = _streams[from];
            _blocks[to] = _blocks[from];
            _save[to] = _save[from];
            _column[to] = _column[from];
            _owner[to] = _owner[from];
            _owner[from] = null;
            (_queues[to], _queues[from]) = (_queues[from], _queues[to]);
        }
    }
}

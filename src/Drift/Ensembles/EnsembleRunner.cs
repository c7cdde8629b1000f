using System.Runtime.ExceptionServices;
using Drift.Brownian;
using Drift.Numerics;
using Drift.Solve;
using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// The ensemble loop: paths are cut into chunks that workers take in turn; each chunk is integrated
/// step by step in a small component-major workspace, drawing its Brownian increments by path index,
/// and reduced at save times into moments per block of 256 paths. Blocks are folded into the
/// totals in path order, so the statistics do not depend on threads or chunk size.
/// </summary>
internal static class EnsembleRunner
{
    internal const int ReductionBlock = 256;

    public static EnsembleSolution Run<TStepper, TBrownian>(TStepper stepper, TBrownian brownian, double[] x0, InitialStates? initialStates,
        double t0, double t1, EnsembleOptions options)
        where TStepper : struct, IEnsembleStepper
        where TBrownian : struct, IBrownianIncrements
    {
        options.Validate();
        var grid = TimeGrid.Create(t0, t1, options.Steps, options.Dt, options.Save);
        var run = new Run<TStepper, TBrownian>(stepper, brownian, x0, initialStates, grid, options);
        return run.Execute();
    }
}

internal sealed class Run<TStepper, TBrownian>
    where TStepper : struct, IEnsembleStepper
    where TBrownian : struct, IBrownianIncrements
{
    private readonly TStepper _stepper;
    private readonly TBrownian _brownian;
    private readonly double[] _x0;
    private readonly InitialStates? _initialStates;
    private readonly TimeGrid _grid;
    private readonly EnsembleOptions _options;
    private readonly int _d, _m, _saves, _stepsPerGroup;
    private readonly long _chunks;
    private readonly double[]? _pathValues;
    private readonly Moments[] _totals;
    private readonly SortedDictionary<long, (Moments[] Blocks, int BlockCount, int Paths)> _pending = [];
    private readonly object _gate = new();
    private long _nextChunk = -1;
    private long _nextToMerge;
    private long _mergedPaths;
    private long _pathsDone;
    private volatile bool _cancelled;

    public Run(TStepper stepper, TBrownian brownian, double[] x0, InitialStates? initialStates, TimeGrid grid, EnsembleOptions options)
    {
        _stepper = stepper;
        _brownian = brownian;
        _x0 = x0;
        _initialStates = initialStates;
        _grid = grid;
        _options = options;
        _d = stepper.Dimension;
        _m = stepper.NoiseDimension;
        _saves = grid.SaveIndices.Length;
        // Philox yields normals in pairs: group two steps when one step draws an odd number of rows.
        _stepsPerGroup = _m % 2 == 0 ? 1 : 2;
        _chunks = (options.Paths + options.ChunkSize - 1) / options.ChunkSize;
        if (options.KeepPaths)
        {
            long values = (long)_saves * _d * options.Paths;
            if (values > Array.MaxLength)
                throw new ArgumentException($"keeping {options.Paths} paths × {_d} components × {_saves} save times needs {values} values, more than one array holds ({Array.MaxLength}); save fewer times or paths, or rely on statistics.", nameof(options));
            _pathValues = new double[values];
        }
        _totals = new Moments[_saves * _d];
        Array.Fill(_totals, Moments.Empty);
    }

    public EnsembleSolution Execute()
    {
        int workers = _options.Threads == 0 ? Environment.ProcessorCount : _options.Threads;
        workers = (int)Math.Max(1, Math.Min(workers, _chunks));
        var states = new Worker[workers];
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var worker = states[w] = new Worker(this);
                long c;
                while (!_cancelled && (c = Interlocked.Increment(ref _nextChunk)) < _chunks)
                    worker.Solve(c);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        QuantileSketch[]? sketches = null;
        if (_options.TrackQuantiles)
        {
            sketches = new QuantileSketch[_saves * _d];
            for (int i = 0; i < sketches.Length; i++)
            {
                sketches[i] = new QuantileSketch();
                foreach (var s in states) if (s?.Sketches is { } own) sketches[i].Merge(own[i]);
            }
        }
        var divergences = new List<Divergence>();
        long diverged = 0;
        foreach (var s in states)
        {
            if (s is null) continue;
            divergences.AddRange(s.Divergences);
            diverged += s.DivergedPaths;
        }
        var status = _cancelled ? SolveStatus.Cancelled : diverged > 0 ? SolveStatus.Diverged : SolveStatus.Success;
        var perStep = _stepper.CountersPerStep;
        long steps = _grid.Steps;
        var counters = new SolveCounters(steps, steps * perStep.DriftEvaluations, steps * perStep.DiffusionEvaluations);
        var times = _grid.SaveIndices.Select(i => _grid.Times[i]).ToArray();
        long paths = _cancelled ? _mergedPaths : _options.Paths;
        return new EnsembleSolution(times, _d, _options.FirstPath, paths, _totals, sketches, _cancelled ? null : _pathValues,
            status, divergences, diverged, counters);
    }

    private void Submit(long chunk, Moments[] blocks, int blockCount, int paths)
    {
        lock (_gate)
        {
            _pending[chunk] = (blocks, blockCount, paths);
            while (_pending.Remove(_nextToMerge, out var r))
            {
                for (int row = 0; row < _totals.Length; row++)
                    for (int b = 0; b < r.BlockCount; b++)
                        _totals[row] = _totals[row].Merge(r.Blocks[row * r.BlockCount + b]);
                _mergedPaths += r.Paths;
                _nextToMerge++;
            }
        }
    }

    /// <summary>One worker's reusable buffers and private results.</summary>
    private sealed class Worker
    {
        private readonly Run<TStepper, TBrownian> _run;
        private TStepper _stepper;
        private TBrownian _brownian;
        private readonly SolverScratch _scratch = new();
        private readonly double[] _x, _dW, _levy, _blockValues;
        private readonly bool[] _diverged;

        public QuantileSketch[]? Sketches { get; }
        public List<Divergence> Divergences { get; } = [];
        public long DivergedPaths { get; private set; }

        public Worker(Run<TStepper, TBrownian> run)
        {
            _run = run;
            _stepper = run._stepper;
            _brownian = run._brownian;
            int c = run._options.ChunkSize;
            _x = new double[run._d * c];
            _dW = new double[run._stepsPerGroup * run._m * c];
            _levy = run._stepper.NeedsLevyArea ? new double[run._stepsPerGroup * run._m * c] : [];
            _blockValues = new double[EnsembleRunner.ReductionBlock];
            _diverged = new bool[c];
            if (run._options.TrackQuantiles)
            {
                Sketches = new QuantileSketch[run._saves * run._d];
                for (int i = 0; i < Sketches.Length; i++) Sketches[i] = new QuantileSketch();
            }
        }

        public void Solve(long chunk)
        {
            var run = _run;
            var options = run._options;
            int d = run._d, m = run._m;
            long offset = chunk * options.ChunkSize;
            long first = options.FirstPath + offset;
            int n = (int)Math.Min(options.ChunkSize, options.Paths - offset);
            int blocks = (n + EnsembleRunner.ReductionBlock - 1) / EnsembleRunner.ReductionBlock;
            var results = new Moments[run._saves * d * blocks];
            var x = _x.AsSpan(0, d * n);
            var times = run._grid.Times;
            var saveAt = run._grid.SaveIndices;
            Array.Clear(_diverged, 0, n);
            int divergedHere = 0;

            if (run._initialStates is { } init) init(first, n, x);
            else for (int i = 0; i < d; i++) x.Slice(i * n, n).Fill(run._x0[i]);
            if (!Elementwise.AllFinite(x)) divergedHere += MarkDiverged(x, n, first, times[0]);
            _stepper.Start(_scratch, times[0], x, n);

            int save = 0;
            if (saveAt[0] == 0) Record(save++, x, n, offset, blocks, results);
            int steps = run._grid.Steps, group = run._stepsPerGroup, rows = m * n;
            for (int k0 = 0; k0 < steps; k0 += group)
            {
                int count = Math.Min(group, steps - k0);
                if (m > 0)
                    _brownian.Fill(first, n, times, k0, count, m, _dW.AsSpan(0, count * rows), _levy.AsSpan(0, _levy.Length == 0 ? 0 : count * rows), n);
                for (int s = 0; s < count; s++)
                {
                    int k = k0 + s;
                    double t = times[k];
                    var levy = _levy.Length == 0 ? default : _levy.AsSpan(s * rows, rows);
                    _stepper.Step(_scratch, t, times[k + 1] - t, _dW.AsSpan(s * rows, rows), levy, x, n);
                    if (!Elementwise.AllFinite(x)) divergedHere += MarkDiverged(x, n, first, times[k + 1]);
                    if (save < saveAt.Length && saveAt[save] == k + 1) Record(save++, x, n, offset, blocks, results);
                }
                if (options.CancellationToken.IsCancellationRequested)
                {
                    run._cancelled = true;
                    return;
                }
            }
            DivergedPaths += divergedHere;
            run.Submit(chunk, results, blocks, n);
            long done = Interlocked.Add(ref run._pathsDone, n);
            options.Progress?.Report(new EnsembleProgress(done, options.Paths));
        }

        /// <summary>Flags paths whose state is newly non-finite, records why, and zeroes them so later checks stay cheap.</summary>
        private int MarkDiverged(Span<double> x, int n, long first, double time)
        {
            int d = _run._d, newly = 0;
            for (int p = 0; p < n; p++)
            {
                for (int i = 0; i < d; i++)
                {
                    double v = x[i * n + p];
                    if (double.IsFinite(v)) continue;
                    if (!_diverged[p])
                    {
                        _diverged[p] = true;
                        newly++;
                        Divergences.Add(new Divergence(first + p, time, i, v));
                    }
                    for (int j = 0; j < d; j++) x[j * n + p] = 0.0;
                    break;
                }
            }
            return newly;
        }

        private void Record(int save, ReadOnlySpan<double> x, int n, long offset, int blocks, Moments[] results)
        {
            var run = _run;
            int d = run._d;
            var diverged = _diverged.AsSpan(0, n);
            bool anyDiverged = diverged.Contains(true);
            for (int i = 0; i < d; i++)
            {
                var row = x.Slice(i * n, n);
                int index = save * d + i;
                if (run._pathValues is { } all)
                {
                    var dest = all.AsSpan((int)((long)index * run._options.Paths + offset), n);
                    row.CopyTo(dest);
                    if (anyDiverged)
                        for (int p = 0; p < n; p++) if (diverged[p]) dest[p] = double.NaN;
                }
                for (int b = 0; b < blocks; b++)
                {
                    int start = b * EnsembleRunner.ReductionBlock;
                    int len = Math.Min(EnsembleRunner.ReductionBlock, n - start);
                    var values = row.Slice(start, len);
                    if (anyDiverged)
                    {
                        int kept = 0;
                        for (int p = 0; p < len; p++)
                            if (!diverged[start + p]) _blockValues[kept++] = values[p];
                        values = _blockValues.AsSpan(0, kept);
                    }
                    results[index * blocks + b] = Moments.Of(values);
                    Sketches?[index].Add(values);
                }
            }
        }
    }
}

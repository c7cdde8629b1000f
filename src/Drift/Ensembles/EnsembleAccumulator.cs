using Drift.Solve;
using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// Collects what an ensemble solve reports: per-path values at save times, moments per block of
/// 256 paths folded into the totals in path order (so results do not depend on threads or chunk
/// size), quantile sketches per worker, and divergences. Shared by the fixed-step and adaptive loops.
/// </summary>
internal sealed class EnsembleAccumulator
{
    internal const int ReductionBlock = 256;

    private readonly int _d, _saves;
    private readonly EnsembleOptions _options;
    private readonly double[]? _pathValues;
    private readonly Moments[] _totals;
    private readonly SortedDictionary<long, Chunk> _pending = [];
    private readonly object _gate = new();
    private readonly List<QuantileSketch[]> _sketches = [];
    private readonly List<Divergence> _divergences = [];
    private long _nextToMerge;
    private long _divergedPaths;
    private long _pathsDone;
    private readonly ShardRecorder? _state;

    public EnsembleAccumulator(int dimension, int saves, EnsembleOptions options)
    {
        _d = dimension;
        _saves = saves;
        _options = options;
        if (options.KeepPaths)
        {
            long values = (long)saves * dimension * options.Paths;
            if (values > Array.MaxLength)
                throw new ArgumentException($"keeping {options.Paths} paths × {dimension} components × {saves} save times needs {values} values, more than one array holds ({Array.MaxLength}); save fewer times or paths, or rely on statistics.", nameof(options));
            _pathValues = new double[values];
        }
        _totals = new Moments[saves * dimension];
        Array.Fill(_totals, Moments.Empty);
        long first = options.FirstPath, end = first + options.Paths;
        ChunkCount = (end - 1) / options.ChunkSize - first / options.ChunkSize + 1;
        if (options.Shard is not null) _state = new ShardRecorder(first, end, options.RunPaths, _totals.Length);
    }

    /// <summary>Chunks of the solve: those of the run's global grid of ChunkSize paths that meet [FirstPath, FirstPath + Paths).</summary>
    public long ChunkCount { get; }

    /// <summary>Paths folded into the totals so far (a prefix of the run).</summary>
    public long MergedPaths { get; private set; }

    /// <summary>
    /// One chunk's block moments, filled by <see cref="Record"/>. Chunks lie on the run's global grid of
    /// <see cref="EnsembleOptions.ChunkSize"/> paths and blocks on its global grid of 256 paths, so a solve of
    /// paths [a, b) cuts the blocks the unsharded run cuts, except that its first and last block may be partial.
    /// </summary>
    internal sealed class Chunk(long index, long offset, long start, int paths, int saves, int dimension)
    {
        public long Index { get; } = index;
        /// <summary>First path of the chunk relative to the solve's first path.</summary>
        public long Offset { get; } = offset;
        /// <summary>Global index of the chunk's first path.</summary>
        public long Start { get; } = start;
        public int Paths { get; } = paths;
        /// <summary>Global index of the first 256-path block the chunk touches.</summary>
        public long FirstBlock { get; } = start / ReductionBlock;
        public int Blocks { get; } = BlockCount(start, paths);
        public Moments[] Results { get; } = new Moments[saves * dimension * BlockCount(start, paths)];
        /// <summary>Scratch for the finite values of a block; allocated only when a path of the chunk diverged.</summary>
        public double[] BlockValues => _blockValues ??= new double[ReductionBlock];
        private double[]? _blockValues;

        /// <summary>The chunk's part of its <paramref name="b"/>-th block: position within the chunk and length.</summary>
        public (int From, int Length) Piece(int b)
        {
            long lo = Math.Max(Start, (FirstBlock + b) * ReductionBlock);
            long hi = Math.Min(Start + Paths, (FirstBlock + b + 1) * ReductionBlock);
            return ((int)(lo - Start), (int)(hi - lo));
        }

        private static int BlockCount(long start, int paths) => (int)((start + paths - 1) / ReductionBlock - start / ReductionBlock + 1);
    }

    public Chunk BeginChunk(long index)
    {
        long grid = _options.FirstPath / _options.ChunkSize + index;
        long start = Math.Max(_options.FirstPath, grid * _options.ChunkSize);
        long end = Math.Min(_options.FirstPath + _options.Paths, (grid + 1) * _options.ChunkSize);
        return new Chunk(index, start - _options.FirstPath, start, (int)(end - start), _saves, _d);
    }

    /// <summary>A worker's private sketches (merged exactly at the end), or null when quantiles are off.</summary>
    public QuantileSketch[]? CreateSketches()
    {
        if (!_options.TrackQuantiles) return null;
        var own = new QuantileSketch[_saves * _d];
        for (int i = 0; i < own.Length; i++) own[i] = new QuantileSketch();
        lock (_gate) _sketches.Add(own);
        return own;
    }

    /// <summary>Records the chunk's states (d rows of the chunk's paths) at save <paramref name="save"/>; flagged paths are left out.</summary>
    public void Record(Chunk chunk, int save, ReadOnlySpan<double> x, ReadOnlySpan<bool> diverged, QuantileSketch[]? sketches)
    {
        int n = chunk.Paths;
        bool anyDiverged = diverged[..n].Contains(true);
        for (int i = 0; i < _d; i++)
        {
            var row = x.Slice(i * n, n);
            int index = save * _d + i;
            if (_pathValues is { } all)
            {
                var dest = all.AsSpan((int)((long)index * _options.Paths + chunk.Offset), n);
                row.CopyTo(dest);
                if (anyDiverged)
                    for (int p = 0; p < n; p++) if (diverged[p]) dest[p] = double.NaN;
            }
            for (int b = 0; b < chunk.Blocks; b++)
            {
                var (start, len) = chunk.Piece(b);
                var values = row.Slice(start, len);
                _state?.RecordPiece(index, chunk.FirstBlock + b, chunk.Start + start, values, anyDiverged ? diverged.Slice(start, len) : default);
                if (anyDiverged)
                {
                    int kept = 0;
                    for (int p = 0; p < len; p++)
                        if (!diverged[start + p]) chunk.BlockValues[kept++] = values[p];
                    values = chunk.BlockValues.AsSpan(0, kept);
                }
                chunk.Results[index * chunk.Blocks + b] = Moments.Of(values);
                sketches?[index].Add(values);
            }
        }
    }

    /// <summary>Hands in a finished chunk: folds every contiguous finished chunk into the totals, in path order.</summary>
    public void Submit(Chunk chunk, IReadOnlyList<Divergence> divergences, int divergedPaths)
    {
        lock (_gate)
        {
            _divergences.AddRange(divergences);
            _divergedPaths += divergedPaths;
            _pending[chunk.Index] = chunk;
            _state?.RecordBlocks(chunk);
            while (_pending.Remove(_nextToMerge, out var r))
            {
                for (int row = 0; row < _totals.Length; row++)
                    for (int b = 0; b < r.Blocks; b++)
                        _totals[row] = _totals[row].Merge(r.Results[row * r.Blocks + b]);
                MergedPaths += r.Paths;
                _nextToMerge++;
            }
        }
        long done = Interlocked.Add(ref _pathsDone, chunk.Paths);
        _options.Progress?.Report(new SolveProgress(done, _options.Paths));
    }

    /// <summary>The solution: statistics of the merged paths, merged sketches, divergences.</summary>
    public EnsembleSolution Finish(double[] times, bool cancelled, SolveCounters counters)
    {
        QuantileSketch[]? sketches = null;
        if (_options.TrackQuantiles)
        {
            sketches = new QuantileSketch[_saves * _d];
            for (int i = 0; i < sketches.Length; i++)
            {
                sketches[i] = new QuantileSketch();
                foreach (var own in _sketches) sketches[i].Merge(own[i]);
            }
        }
        var status = cancelled ? SolveStatus.Cancelled : _divergedPaths > 0 ? SolveStatus.Diverged : SolveStatus.Success;
        long paths = cancelled ? MergedPaths : _options.Paths;
        var solution = new EnsembleSolution(times, _d, _options.FirstPath, paths, _totals, sketches, cancelled ? null : _pathValues,
            status, _divergences, _divergedPaths, counters);
        if (_state is not null && !cancelled)
            solution.State = _state.Finish(_options, _d, times, sketches, solution.Divergences, _divergedPaths, counters);
        return solution;
    }
}

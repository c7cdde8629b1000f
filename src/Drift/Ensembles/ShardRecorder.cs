using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// What a shard keeps besides its own totals so that <see cref="EnsembleState.Merge"/> can replay the unsharded
/// run's fold exactly: the moments of every 256-path block it touches (in block order), and the raw values of
/// the (at most two) blocks it covers only in part, NaN marking a diverged path.
/// </summary>
internal sealed class ShardRecorder
{
    private const int Block = EnsembleAccumulator.ReductionBlock;
    private readonly long _first, _end, _runPaths;
    private readonly int _rows;
    private readonly long _firstBlock;
    private readonly int _blockCount;
    private readonly Moments[] _blocks;
    private readonly EnsembleState.EdgePiece?[] _edges = new EnsembleState.EdgePiece?[2];

    public ShardRecorder(long first, long end, long runPaths, int rows)
    {
        _first = first;
        _end = end;
        _runPaths = runPaths;
        _rows = rows;
        _firstBlock = first / Block;
        _blockCount = (int)((end - 1) / Block - _firstBlock + 1);
        _blocks = new Moments[(long)rows * _blockCount];
        _edges[0] = PartialPiece(_firstBlock);
        long last = _firstBlock + _blockCount - 1;
        if (last != _firstBlock) _edges[1] = PartialPiece(last);
    }

    /// <summary>A buffer for block <paramref name="block"/> when this shard covers it only in part, else null.</summary>
    private EnsembleState.EdgePiece? PartialPiece(long block)
    {
        long lo = Math.Max(_first, block * Block), hi = Math.Min(_end, (block + 1) * Block);
        bool whole = lo == block * Block && hi == Math.Min(_runPaths, (block + 1) * Block);
        if (whole) return null;
        int length = (int)(hi - lo);
        return new EnsembleState.EdgePiece(block, lo, length, new double[_rows * length]);
    }

    /// <summary>Copies the values of a chunk's piece of a block when the block is an edge block (diverged paths as NaN).</summary>
    public void RecordPiece(int row, long block, long start, ReadOnlySpan<double> values, ReadOnlySpan<bool> diverged)
    {
        foreach (var edge in _edges)
        {
            if (edge is null || edge.Block != block) continue;
            var dest = edge.Values.AsSpan(row * edge.Length + (int)(start - edge.Start), values.Length);
            values.CopyTo(dest);
            if (!diverged.IsEmpty)
                for (int p = 0; p < dest.Length; p++) if (diverged[p]) dest[p] = double.NaN;
        }
    }

    /// <summary>Keeps a finished chunk's block moments at their place in block order.</summary>
    public void RecordBlocks(EnsembleAccumulator.Chunk chunk)
    {
        int offset = (int)(chunk.FirstBlock - _firstBlock);
        for (int row = 0; row < _rows; row++)
            chunk.Results.AsSpan(row * chunk.Blocks, chunk.Blocks).CopyTo(_blocks.AsSpan(row * _blockCount + offset, chunk.Blocks));
    }

    public EnsembleState Finish(EnsembleOptions options, int dimension, double[] times, QuantileSketch[]? sketches,
        IReadOnlyList<Divergence> divergences, long divergedPaths, SolveCounters counters) =>
        new(new EnsembleState.Identity(string.Empty, EnsembleState.CurrentDriftVersion, options.Seed, _runPaths, options.Shard!.Value.Count,
                dimension, times, sketches is not null, counters),
            options.Shard!.Value.Index, _first, _end, _firstBlock, _blockCount, _blocks,
            [.. _edges.OfType<EnsembleState.EdgePiece>()], sketches, [.. divergences], divergedPaths);
}

using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Training;

/// <summary>
/// Runs a row-wise network over many rows: the rows are cut into fixed shards of
/// <see cref="ShardRows"/>, each evaluated with recording off in its own <see cref="TensorArena{T}"/>
/// by the worker pool, and copied into the output. After the first call with a given size it
/// allocates nothing, and the output does not depend on the thread count.
/// </summary>
public sealed class ParallelInference<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Func<Tensor<T>, Tensor<T>> forward;
    readonly WorkerPool pool;
    readonly List<TensorArena<T>> arenas = [];
    Tensor<T>? input, output;
    Action<int>? body;

    /// <summary>Creates the runner.</summary>
    /// <param name="forward">The network: rows [n, inputs] to rows [n, outputs].</param>
    /// <param name="threads">Threads, the caller included.</param>
    /// <param name="shardRows">Rows per shard.</param>
    public ParallelInference(Func<Tensor<T>, Tensor<T>> forward, int threads, int shardRows = 256)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardRows);
        this.forward = forward;
        ShardRows = shardRows;
        pool = new WorkerPool(threads);
    }

    /// <summary>Rows per shard.</summary>
    public int ShardRows { get; }

    /// <summary>Writes forward(x) into <paramref name="result"/> (rows [n, outputs]).</summary>
    /// <exception cref="ArgumentException">When the network's output rows do not fit the result.</exception>
    public void Run(Tensor<T> x, Tensor<T> result)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(result);
        if (x.Rank < 1 || result.Rank < 1 || x.Shape[0] != result.Shape[0])
            throw new ArgumentException($"Input {ShapeRules.Format(x.Shape)} and result {ShapeRules.Format(result.Shape)} must have the same rows.", nameof(result));
        int rows = x.Shape[0];
        int shards = (rows + ShardRows - 1) / ShardRows;
        while (arenas.Count < shards) arenas.Add(new TensorArena<T>());
        input = x;
        output = result;
        body ??= Shard;
        pool.Run(shards, body);
        input = output = null;
    }

    void Shard(int s)
    {
        var arena = arenas[s];
        arena.Reset();
        using var active = arena.Activate();
        using var off = GradMode.NoGrad();
        int rows = input!.Shape[0], first = s * ShardRows, count = Math.Min(ShardRows, rows - first);
        var y = forward(Ops.Slice(input, first, count));
        int width = output!.Length / Math.Max(rows, 1);
        if (y.Length != count * width)
            throw new ArgumentException($"The network gave shape {ShapeRules.Format(y.Shape)} for {count} rows; the result has {width} values per row.");
        y.Span.CopyTo(output.Span.Slice(first * width, count * width));
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => pool.Dispose();
}

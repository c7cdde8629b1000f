using Drift.Learning.Optimisers;

namespace Drift.Learning.Training;

/// <summary>How a <see cref="Trainer{T}"/> runs each step.</summary>
public sealed record TrainerOptions
{
    /// <summary>Threads that work on a step (the caller included); 0, the default, means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Rows per shard: each batch is cut into ⌈b/ShardRows⌉ consecutive shards whose gradients are
    /// computed independently and summed in shard order. The partition depends only on the batch
    /// size and this number, never on <see cref="Threads"/>, which is what makes results
    /// bit-identical across thread counts.
    /// </summary>
    public int ShardRows { get; init; } = 64;

    /// <summary>Clip the global gradient norm to this value before each update (null: no clipping).</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Learning rate per step (null: keep the optimiser's).</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Checked before a step starts.</summary>
    public CancellationToken CancellationToken { get; init; }
}

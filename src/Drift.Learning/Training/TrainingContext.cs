namespace Drift.Learning.Training;

/// <summary>
/// Where a shard's loss is computed: the step, the shard, and the batch rows it holds, so that any
/// randomness in the loss (noise levels, dropout masks) can be keyed by (step, batch row) and come
/// out the same whatever the partition or thread.
/// </summary>
/// <param name="Step">The 0-based number of the update being computed.</param>
/// <param name="Shard">The shard index.</param>
/// <param name="Shards">Shards in this batch.</param>
/// <param name="FirstRow">The batch row of the shard's first row.</param>
/// <param name="BatchRows">Rows in the whole batch.</param>
public readonly record struct TrainingContext(long Step, int Shard, int Shards, int FirstRow, int BatchRows);

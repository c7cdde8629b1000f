namespace Drift.Learning.Training;

/// <summary>What one update did.</summary>
/// <param name="Step">The 1-based number of the update.</param>
/// <param name="Loss">The batch loss before the update (row-weighted mean of the shard losses).</param>
/// <param name="GradientNorm">The global gradient norm before clipping.</param>
/// <param name="LearningRate">The rate used.</param>
public readonly record struct TrainingStep(long Step, double Loss, double GradientNorm, double LearningRate);

namespace Drift.Sampling;

/// <summary>Progress of one chain: <paramref name="Iteration"/> of <paramref name="Total"/> iterations done (warm-up included).</summary>
public readonly record struct McmcProgress(int Chain, int Iteration, int Total, bool Warmup);

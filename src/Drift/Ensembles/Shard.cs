namespace Drift.Ensembles;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a run of P paths: the paths
/// [⌊iP/N⌋, ⌊(i + 1)P/N⌋), with exactly the random numbers they get in the unsharded run (draws are keyed
/// by path index). Shards differ in size by at most one path; their <see cref="EnsembleState"/>s merge into
/// the unsharded run's statistics bit for bit.
/// </summary>
/// <param name="Index">i, in 0 … N − 1.</param>
/// <param name="Count">N, at least 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole run as one shard (0 of 1).</summary>
    public static Shard Whole => new(0, 1);

    /// <summary>First path of this shard in a run of <paramref name="runPaths"/> paths: ⌊iP/N⌋.</summary>
    public long FirstPath(long runPaths) => Boundary(Index, runPaths);

    /// <summary>One past the last path of this shard: ⌊(i + 1)P/N⌋.</summary>
    public long EndPath(long runPaths) => Boundary(Index + 1, runPaths);

    /// <summary>⌊kP/N⌋ without overflow for P up to 2⁶³ / N.</summary>
    private long Boundary(int k, long runPaths) => (long)(((Int128)k * runPaths) / Count);

    /// <summary>Throws unless 0 ≤ i &lt; N and every shard of a run of <paramref name="runPaths"/> paths holds a path.</summary>
    /// <exception cref="ArgumentException">The shard is out of range, or N exceeds P.</exception>
    public void Validate(long runPaths)
    {
        if (Count < 1) throw new ArgumentException($"the shard count must be at least 1, got {Count}.");
        if (Index < 0 || Index >= Count) throw new ArgumentException($"the shard index must lie in 0..{Count - 1}, got {Index}.");
        if (Count > runPaths) throw new ArgumentException($"{Count} shards of {runPaths} paths would leave a shard empty; use at most {runPaths} shards.");
    }

    /// <summary>"i/N".</summary>
    public override string ToString() => $"{Index}/{Count}";
}

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

    /// <summary>
    /// The states of all N shards of one run in shard order, from any order: the one check of shard sets, shared by every
    /// kind of state (ensembles, jump ensembles, MCMC chains, diffusion samples). The caller checks that the states
    /// describe one run first.
    /// </summary>
    /// <param name="states">The states, in any order.</param>
    /// <param name="shardOf">A state's shard.</param>
    /// <param name="nameOf">A state's name in messages (its file).</param>
    /// <exception cref="ArgumentException">No states, different shard counts, a shard given twice or missing (the message names the files).</exception>
    public static T[] Arrange<T>(IReadOnlyList<T> states, Func<T, Shard> shardOf, Func<T, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(shardOf);
        ArgumentNullException.ThrowIfNull(nameOf);
        if (states.Count == 0) throw new ArgumentException("there are no shard states to merge.", nameof(states));
        int n = shardOf(states[0]).Count;
        var byIndex = new T[n];
        var seen = new bool[n];
        foreach (var s in states)
        {
            var shard = shardOf(s);
            if (shard.Count != n)
                throw new ArgumentException($"{nameOf(states[0])} and {nameOf(s)} are not shards of one run: their shard count ({n} vs {shard.Count}) differ.", nameof(states));
            if (seen[shard.Index])
                throw new ArgumentException($"{nameOf(byIndex[shard.Index])} and {nameOf(s)} are both shard {shard.Index}/{n}.", nameof(states));
            seen[shard.Index] = true;
            byIndex[shard.Index] = s;
        }
        var missing = Enumerable.Range(0, n).Where(i => !seen[i]).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : "")} of {n} missing: got {string.Join(", ", states.Select(nameOf).Take(20))}.", nameof(states));
        return byIndex;
    }

    /// <summary>"i/N".</summary>
    public override string ToString() => $"{Index}/{Count}";
}

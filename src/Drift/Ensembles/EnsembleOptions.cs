using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>How an ensemble is solved: paths, step grid, randomness, parallelism and outputs.</summary>
public sealed record EnsembleOptions
{
    /// <summary>Paths to simulate (at least 1; default <see cref="SolveDefaults.Paths"/>).</summary>
    public long Paths { get; init; } = SolveDefaults.Paths;

    /// <summary>Index of the first path: paths [FirstPath, FirstPath + Paths) are simulated, so a run can be split into shards whose solutions <see cref="EnsembleSolution.Merge"/> back together.</summary>
    public long FirstPath { get; init; }

    /// <summary>
    /// The shard of the run this solve computes, or null for the paths [FirstPath, FirstPath + Paths). With a shard,
    /// <see cref="Paths"/> is the whole run's path count P (and <see cref="FirstPath"/> must be 0): the solve runs paths
    /// [⌊iP/N⌋, ⌊(i + 1)P/N⌋) and its <see cref="EnsembleSolution.State"/> holds the mergeable statistics that
    /// <see cref="EnsembleState.Merge"/> combines into the unsharded run's solution, bit for bit. Fixed-step
    /// <see cref="Ensemble"/> solves only. <see cref="Shard.Whole"/> gives the state of an unsharded run.
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>The whole run's path count when a shard was resolved (internal; set by <see cref="ResolveShard"/>).</summary>
    internal long RunPaths { get; init; }

    /// <summary>Number of uniform steps (exclusive with <see cref="Dt"/>).</summary>
    public int? Steps { get; init; }

    /// <summary>Step size (exclusive with <see cref="Steps"/>).</summary>
    public double? Dt { get; init; }

    /// <summary>Seed of every random draw.</summary>
    public ulong Seed { get; init; }

    /// <summary>Worker threads; 0 means one per core. Results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Paths per work item, a multiple of 256 (default <see cref="SolveDefaults.ChunkSize"/>). Results do not depend on it.</summary>
    public int ChunkSize { get; init; } = SolveDefaults.ChunkSize;

    /// <summary>Times to record.</summary>
    public SaveAt Save { get; init; } = SaveAt.Final;

    /// <summary>Whether to return every path's state at every save time (memory: saves × d × paths doubles).</summary>
    public bool KeepPaths { get; init; }

    /// <summary>Whether to keep quantile sketches at save times (2 KiB per binade spanned, per component and save).</summary>
    public bool TrackQuantiles { get; init; } = true;

    /// <summary>Receives progress after each chunk.</summary>
    public IProgress<SolveProgress>? Progress { get; init; }

    /// <summary>Stops the solve early; the solution then has status <see cref="SolveStatus.Cancelled"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Events and callbacks of the solve (set by <c>DiffEq.Solve</c>), or null: the loop runs the scheme alone.</summary>
    internal EventSink? Events { get; init; }

    /// <summary>Times that must be grid points besides the save times (discrete callback times), or null.</summary>
    internal IReadOnlyList<double>? StopTimes => Events?.Callbacks?.Times;

    /// <summary>With a <see cref="Shard"/>: these options restricted to the shard's paths (FirstPath = ⌊iP/N⌋, Paths = its count, RunPaths = P).</summary>
    /// <exception cref="ArgumentException">The shard is invalid for this path count, or FirstPath is not 0.</exception>
    internal EnsembleOptions ResolveShard()
    {
        if (Shard is not { } shard || RunPaths != 0) return this;
        if (Paths < 1) throw new ArgumentException($"paths must be at least 1, got {Paths}.", nameof(Paths));
        if (FirstPath != 0) throw new ArgumentException($"with a shard, Paths is the whole run and FirstPath must be 0, got {FirstPath}.", nameof(FirstPath));
        shard.Validate(Paths);
        long first = shard.FirstPath(Paths);
        return this with { FirstPath = first, Paths = shard.EndPath(Paths) - first, RunPaths = Paths };
    }

    internal void Validate()
    {
        if (Paths < 1) throw new ArgumentException($"paths must be at least 1, got {Paths}.", nameof(Paths));
        if (FirstPath < 0) throw new ArgumentException($"the first path index must be non-negative, got {FirstPath}.", nameof(FirstPath));
        if (Threads < 0) throw new ArgumentException($"threads must be 0 (all cores) or positive, got {Threads}.", nameof(Threads));
        if (ChunkSize < 256 || ChunkSize % 256 != 0)
            throw new ArgumentException($"chunk size must be a positive multiple of 256, got {ChunkSize}.", nameof(ChunkSize));
        if (Shard is not null)
        {
            if (RunPaths == 0) throw new ArgumentException("a shard must be resolved before the solve.", nameof(Shard));
            return;
        }
        if (FirstPath % 256 != 0)
            throw new ArgumentException($"the first path index must be a multiple of 256 so that shard statistics merge exactly, got {FirstPath}.", nameof(FirstPath));
    }
}

using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>How an ensemble is solved: paths, step grid, randomness, parallelism and outputs.</summary>
public sealed record EnsembleOptions
{
    /// <summary>Paths to simulate (at least 1; default <see cref="SolveDefaults.Paths"/>).</summary>
    public long Paths { get; init; } = SolveDefaults.Paths;

    /// <summary>Index of the first path: paths [FirstPath, FirstPath + Paths) are simulated, so a run can be split into shards whose solutions <see cref="EnsembleSolution.Merge"/> back together.</summary>
    public long FirstPath { get; init; }

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

    internal void Validate()
    {
        if (Paths < 1) throw new ArgumentException($"paths must be at least 1, got {Paths}.", nameof(Paths));
        if (FirstPath < 0) throw new ArgumentException($"the first path index must be non-negative, got {FirstPath}.", nameof(FirstPath));
        if (Threads < 0) throw new ArgumentException($"threads must be 0 (all cores) or positive, got {Threads}.", nameof(Threads));
        if (ChunkSize < 256 || ChunkSize % 256 != 0)
            throw new ArgumentException($"chunk size must be a positive multiple of 256, got {ChunkSize}.", nameof(ChunkSize));
        if (FirstPath % 256 != 0)
            throw new ArgumentException($"the first path index must be a multiple of 256 so that shard statistics merge exactly, got {FirstPath}.", nameof(FirstPath));
    }
}

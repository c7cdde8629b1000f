using Drift.Ensembles;

namespace Drift.Models.Finance;

/// <summary>How a Monte Carlo price is estimated.</summary>
public sealed record MonteCarloOptions
{
    /// <summary>Paths to simulate (each antithetic pair counts two, so an odd count is rounded up to whole pairs); with <see cref="TargetStandardError"/>, the first batch.</summary>
    public long Paths { get; init; } = 100_000;

    /// <summary>Pair every path driven by normals Z with one driven by −Z and average the two payoffs (antithetic variates).</summary>
    public bool Antithetic { get; init; } = true;

    /// <summary>When set, keep doubling the paths until the standard error is at most this (or <see cref="MaxPaths"/> is reached).</summary>
    public double? TargetStandardError { get; init; }

    /// <summary>Upper bound on the paths simulated (an odd bound is rounded down to whole antithetic pairs); the batches doubled towards a target standard error stop here.</summary>
    public long MaxPaths { get; init; } = 100_000_000;

    /// <summary>Time steps per path for schemes that discretise (Heston); exact schemes ignore it.</summary>
    public int Steps { get; init; } = 200;

    /// <summary>Seed: normals are Philox keyed by (seed, sample), so results do not depend on threads.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// When set, simulate only shard i of N: samples [⌊iS/N⌋, ⌊(i + 1)S/N⌋) of the S samples (paths, or antithetic pairs)
    /// of the unsharded run, each with exactly the normals it gets there (sample s always draws Philox stream s), so the
    /// shards' <see cref="PriceEstimate.Samples"/> merged in shard order (Chan's update) give the unsharded moments to
    /// rounding. Not with <see cref="TargetStandardError"/> (the batch doubling depends on the whole run).
    /// </summary>
    public Shard? Shard { get; init; }

    /// <summary>Stops the run between blocks of 1024 samples (an <see cref="OperationCanceledException"/> is thrown).</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (Shard is { } shard && TargetStandardError is not null)
            throw new ArgumentException($"a shard ({shard}) runs a fixed number of paths: it cannot be combined with a target standard error.", nameof(Shard));
        if (Paths < 2) throw new ArgumentException($"paths must be at least 2, got {Paths}.", nameof(Paths));
        if (TargetStandardError is { } e && !(e > 0)) throw new ArgumentException($"target standard error must be positive, got {e}.", nameof(TargetStandardError));
        if (MaxPaths < Paths) throw new ArgumentException($"max paths ({MaxPaths}) is below paths ({Paths}).", nameof(MaxPaths));
        if (Steps < 1) throw new ArgumentException($"steps must be at least 1, got {Steps}.", nameof(Steps));
        if (Threads < 0) throw new ArgumentException($"threads must be 0 (all cores) or positive, got {Threads}.", nameof(Threads));
    }
}

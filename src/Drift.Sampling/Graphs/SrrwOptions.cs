namespace Drift.Sampling.Graphs;

/// <summary>Progress of a self-repellent walk run: walks finished so far.</summary>
/// <param name="WalksDone">Walks finished.</param>
/// <param name="Walks">Walks in the run.</param>
public readonly record struct SrrwProgress(int WalksDone, int Walks);

/// <summary>Options of <see cref="SelfRepellentWalk.Run"/>.</summary>
public sealed record SrrwOptions
{
    /// <summary>The self-repellence α ≥ 0 (0: the base walk).</summary>
    public double Alpha { get; init; } = 1;
    /// <summary>Steps per walk (≥ 1).</summary>
    public int Steps { get; init; } = 10_000;
    /// <summary>Independent walks (≥ 1), each with its own visit history.</summary>
    public int Walks { get; init; } = 1;
    /// <summary>The node every walk starts from.</summary>
    public int Start { get; init; }
    /// <summary>
    /// Values f(i) per node, or null: with them <see cref="SrrwResult.Estimate"/> gives each walk's
    /// estimate Σᵢ f(i) xₙ(i) of the graph average Σᵢ f(i) μᵢ.
    /// </summary>
    public IReadOnlyList<double>? Function { get; init; }
    /// <summary>The seed: walk w's uniforms are draws of Philox stream w, whatever <see cref="Threads"/>.</summary>
    public ulong Seed { get; init; }
    /// <summary>At most this many walks run at once (0, the default: one per core). Never changes a result.</summary>
    public int Threads { get; init; }
    /// <summary>Receives progress as walks finish, or null.</summary>
    public IProgress<SrrwProgress>? Progress { get; init; }
    /// <summary>Stops the run; the call then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    private static ArgumentOutOfRangeException Invalid(string property, object? value, string why)
        => new(property, value, $"SrrwOptions.{property}: {why}");

    internal void Validate(int nodes)
    {
        if (!(Alpha >= 0) || !double.IsFinite(Alpha)) throw Invalid(nameof(Alpha), Alpha, "must be finite and non-negative.");
        if (Steps < 1) throw Invalid(nameof(Steps), Steps, "at least one step is needed.");
        if (Walks < 1) throw Invalid(nameof(Walks), Walks, "at least one walk is needed.");
        if (Start < 0 || Start >= nodes) throw Invalid(nameof(Start), Start, $"must be a node in 0..{nodes - 1}.");
        if (Function is not null && Function.Count != nodes) throw Invalid(nameof(Function), Function.Count, $"needs one value per node ({nodes}).");
        if (Threads < 0) throw Invalid(nameof(Threads), Threads, "must be 0 (one per core) or positive.");
    }
}

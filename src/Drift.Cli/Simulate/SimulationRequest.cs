using Drift.Ensembles;

namespace Drift.Cli.Simulate;

/// <summary>How to solve: a solver name and fixed-step options, or adaptive options when tolerances were given.</summary>
/// <param name="Solver">Solver name as the CLI spells it.</param>
/// <param name="Fixed">Fixed-step ensemble options.</param>
/// <param name="Adaptive">Adaptive options, or null for a fixed-step solve.</param>
public sealed record SimulationRequest(string Solver, EnsembleOptions Fixed, AdaptiveSdeOptions? Adaptive)
{
    /// <summary>Where warnings found before the run go (stderr in the CLI), or null.</summary>
    public TextWriter? Warnings { get; init; }
}

/// <summary>What a solve produced.</summary>
/// <param name="Solution">Statistics at the save times.</param>
/// <param name="Adaptive">Step counters of an adaptive solve, or null.</param>
public sealed record SimulationResult(EnsembleSolution Solution, AdaptiveSdeStatistics? Adaptive)
{
    /// <summary>The solver that ran (the one "auto" resolved to), or null when the model ran its own scheme.</summary>
    public string? Solver { get; init; }
}

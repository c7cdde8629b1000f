using Drift.Ensembles;
using Drift.Solve.Adaptive;

namespace Drift.Cli.Simulate;

/// <summary>How to solve: a solver name and the options of <see cref="DiffEq"/>'s one solve, whose controller says fixed or adaptive.</summary>
/// <param name="Solver">Solver name as the CLI spells it.</param>
/// <param name="Options">Controller (constant steps, or a PID controller when tolerances were given), paths, seed, threads, saves.</param>
public sealed record SimulationRequest(string Solver, SolveOptions Options)
{
    /// <summary>Where warnings found before the run go (stderr in the CLI), or null.</summary>
    public TextWriter? Warnings { get; init; }

    /// <summary>Whether the controller adapts the steps (tolerances were given).</summary>
    public bool Adaptive => Options.Controller is PidController;
}

/// <summary>What a solve produced.</summary>
/// <param name="Solution">Statistics at the save times.</param>
/// <param name="Adaptive">Step counters of an adaptive solve, or null.</param>
public sealed record SimulationResult(EnsembleSolution Solution, SolveStatistics? Adaptive)
{
    /// <summary>The solver that ran (the one "auto" resolved to), or null when the model ran its own scheme.</summary>
    public string? Solver { get; init; }
}

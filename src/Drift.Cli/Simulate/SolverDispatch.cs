using Drift.Cli.Arguments;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Cli.Simulate;

/// <summary>Turns a solver name into a type once; below this point every loop is specialised.</summary>
public static class SolverDispatch
{
    /// <summary>The solver names the CLI accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["euler", "milstein", "milstein-strat", "heun", "reversible-heun", "sra1", "sriw1"];

    /// <summary>The solvers with embedded error estimates, usable with --rtol/--atol.</summary>
    public static readonly IReadOnlyList<string> AdaptiveNames = ["sriw1", "sra1"];

    /// <summary>Solves <paramref name="problem"/> as requested.</summary>
    /// <exception cref="UsageException">The name is unknown, or adaptive stepping was asked of a solver without an error estimate.</exception>
    public static SimulationResult Solve<TDrift, TDiffusion>(SdeProblem<TDrift, TDiffusion> problem, SimulationRequest request)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Adaptive is { } adaptive)
        {
            var solution = request.Solver switch
            {
                "sriw1" => AdaptiveSde.Solve(problem, new Sriw1(), adaptive),
                "sra1" => AdaptiveSde.Solve(problem, new Sra1(), adaptive),
                _ => throw new UsageException($"solver '{request.Solver}' has no error estimate for --rtol/--atol; use one of {string.Join(", ", AdaptiveNames)}."),
            };
            return new SimulationResult(solution.Ensemble, solution.Statistics);
        }
        var options = request.Fixed;
        var fixedSolution = request.Solver switch
        {
            "euler" or "euler-maruyama" or "em" => Ensemble.Solve(problem, new EulerMaruyama(), options),
            "milstein" => Ensemble.Solve(problem, new Milstein(Calculus.Ito), options),
            "milstein-strat" => Ensemble.Solve(problem, new Milstein(Calculus.Stratonovich), options),
            "heun" or "euler-heun" => Ensemble.Solve(problem, new EulerHeun(), options),
            "reversible-heun" => Ensemble.Solve(problem, new ReversibleHeun(), options),
            "sra1" => Ensemble.Solve(problem, new Sra1(), options),
            "sriw1" => Ensemble.Solve(problem, new Sriw1(), options),
            _ => throw new UsageException($"unknown solver '{request.Solver}'; choose one of {string.Join(", ", Names)}."),
        };
        return new SimulationResult(fixedSolution, null);
    }
}

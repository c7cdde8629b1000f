using Drift.Cli.Arguments;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Cli.Simulate;

/// <summary>Turns a solver name into a type once; below this point every loop is specialised.</summary>
public static class SolverDispatch
{
    /// <summary>The solver names the CLI accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["euler", "milstein", "milstein-strat", "heun", "reversible-heun", "sra1"];

    /// <summary>Solves <paramref name="problem"/> with the named solver.</summary>
    /// <exception cref="UsageException">The name is unknown.</exception>
    public static EnsembleSolution Solve<TDrift, TDiffusion>(SdeProblem<TDrift, TDiffusion> problem, string solver, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion => solver switch
        {
            "euler" or "euler-maruyama" or "em" => Ensemble.Solve(problem, new EulerMaruyama(), options),
            "milstein" => Ensemble.Solve(problem, new Milstein(Calculus.Ito), options),
            "milstein-strat" => Ensemble.Solve(problem, new Milstein(Calculus.Stratonovich), options),
            "heun" or "euler-heun" => Ensemble.Solve(problem, new EulerHeun(), options),
            "reversible-heun" => Ensemble.Solve(problem, new ReversibleHeun(), options),
            "sra1" => Ensemble.Solve(problem, new Sra1(), options),
            _ => throw new UsageException($"unknown solver '{solver}'; choose one of {string.Join(", ", Names)}."),
        };
}

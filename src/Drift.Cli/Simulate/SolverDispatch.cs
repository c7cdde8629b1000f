using Drift.Cli.Arguments;
using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Cli.Simulate;

/// <summary>Turns a solver name into a type once; below this point every loop is specialised.</summary>
public static class SolverDispatch
{
    /// <summary>The solver names the CLI accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["euler", "milstein", "milstein-strat", "heun", "reversible-heun", "sra1", "sriw1", "implicit-euler", "implicit-milstein", "implicit-milstein-strat", "skencarp"];

    /// <summary>The solvers with embedded error estimates, usable with --rtol/--atol.</summary>
    public static readonly IReadOnlyList<string> AdaptiveNames = ["sriw1", "sra1", "skencarp"];

    /// <summary>
    /// The adaptive solver that fits noise of this class (<see cref="Noise.Class{TDiffusion}"/>): sra1 for additive
    /// noise (cheapest: two drift and two diffusion evaluations), sriw1 for Itô scalar or diagonal noise.
    /// </summary>
    /// <exception cref="UsageException">No adaptive solver takes this noise.</exception>
    public static string AdaptiveFor(NoiseKind noise, Calculus calculus) =>
        new Sra1().Supports(noise, calculus) ? "sra1"
        : new Sriw1().Supports(noise, calculus) ? "sriw1"
        : throw new UsageException($"no adaptive solver takes {calculus} SDEs with {noise.ToString().ToLowerInvariant()} noise; give --steps or --dt (solvers: {string.Join(", ", Ensemble.SolversFor(noise, calculus))}).");

    /// <summary>Solves <paramref name="problem"/> as requested (solver "auto" with --rtol/--atol picks <see cref="AdaptiveFor"/>).</summary>
    /// <exception cref="UsageException">The name is unknown, or adaptive stepping was asked of a solver without an error estimate.</exception>
    public static SimulationResult Solve<TDrift, TDiffusion>(SdeProblem<TDrift, TDiffusion> problem, SimulationRequest request)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        if (request.Adaptive)
        {
            string name = request.Solver == "auto" ? AdaptiveFor(Noise.Class(problem.Diffusion), problem.Calculus) : request.Solver;
            var solution = name switch
            {
                "sriw1" => DiffEq.Solve(problem, new Sriw1(), options),
                "sra1" => DiffEq.Solve(problem, new Sra1(), options),
                "skencarp" => DiffEq.Solve(problem, new SKenCarp(), options),
                _ => throw new UsageException($"solver '{request.Solver}' has no error estimate for --rtol/--atol; use one of {string.Join(", ", AdaptiveNames)}."),
            };
            return new SimulationResult(solution.Ensemble, solution.Statistics) { Solver = name };
        }
        if (request.Solver == "reversible-heun" && request.Warnings is { } warnings)
        {
            double rate = ReversibleHeun.ParasiticGrowthRate(problem.Drift, problem.T0, problem.InitialState);
            if (rate > 0)
                warnings.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"drift: warning: reversible-heun is stable only for lambda*h on [-i, i] (Kidger et al. 2021); this drift is dissipative at x0 (mean eigenvalue real part {-rate:G4}), so the method's parasitic mode grows at least like exp({rate:G4} t) whatever --dt. Use heun or euler for dissipative systems."));
        }
        var fixedSolution = request.Solver switch
        {
            "euler" or "euler-maruyama" or "em" => DiffEq.Solve(problem, new EulerMaruyama(), options),
            "milstein" => DiffEq.Solve(problem, new Milstein(Calculus.Ito), options),
            "milstein-strat" => DiffEq.Solve(problem, new Milstein(Calculus.Stratonovich), options),
            "heun" or "euler-heun" => DiffEq.Solve(problem, new EulerHeun(), options),
            "reversible-heun" => DiffEq.Solve(problem, new ReversibleHeun(), options),
            "sra1" => DiffEq.Solve(problem, new Sra1(), options),
            "sriw1" => DiffEq.Solve(problem, new Sriw1(), options),
            "implicit-euler" => DiffEq.Solve(problem, new ImplicitEulerMaruyama(), options),
            "implicit-milstein" => DiffEq.Solve(problem, new ImplicitMilstein(Calculus.Ito), options),
            "implicit-milstein-strat" => DiffEq.Solve(problem, new ImplicitMilstein(Calculus.Stratonovich), options),
            "skencarp" => DiffEq.Solve(problem, new SKenCarp(), options),
            _ => throw new UsageException($"unknown solver '{request.Solver}'; choose one of {string.Join(", ", Names)}."),
        };
        return new SimulationResult(fixedSolution.Ensemble, null) { Solver = request.Solver };
    }
}

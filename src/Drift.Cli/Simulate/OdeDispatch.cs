using Drift.Cli.Arguments;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

namespace Drift.Cli.Simulate;

/// <summary>A deterministic solve as the CLI asks for it: a solver name and the adaptive options.</summary>
/// <param name="Solver">tsit5, dopri5, dop853, bs3, rodas4, rosenbrock23, radau, bdf or auto.</param>
/// <param name="Options">Tolerances, save times.</param>
/// <param name="IgnoreNoise">Whether a model with noise may be solved as its drift alone.</param>
public sealed record OdeRequest(string Solver, AdaptiveOptions Options, bool IgnoreNoise);

/// <summary>What a deterministic solve produced, with the solver that ran (what "auto" chose, and why).</summary>
public sealed record OdeResult(OdeSolution Solution, string Solver, string? Note);

/// <summary>Turns an ODE solver name into a type once; below this point every loop is specialised.</summary>
public static class OdeDispatch
{
    /// <summary>The solver names <c>drift solve</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["tsit5", "dopri5", "dop853", "bs3", "rodas4", "rosenbrock23", "radau", "bdf", "auto"];

    /// <summary>
    /// Solves <paramref name="problem"/>. "auto" runs Tsit5 with Hairer's stiffness test; if the test fires (or Tsit5
    /// stops short) it solves again from t0 with Rodas4 — a restart, not LSODA's hand-over at the switching time.
    /// </summary>
    /// <exception cref="UsageException">The name is unknown.</exception>
    public static OdeResult Solve<TDrift>(OdeProblem<TDrift> problem, OdeRequest request) where TDrift : struct, IDrift
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = request.Options;
        switch (request.Solver)
        {
            case "tsit5": return new(AdaptiveOde.Solve(problem, new Tsitouras5(), o), "tsit5", null);
            case "dopri5": return new(AdaptiveOde.Solve(problem, new DormandPrince5(), o), "dopri5", null);
            case "dop853": return new(AdaptiveOde.Solve(problem, new DormandPrince853(), o), "dop853", null);
            case "bs3": return new(AdaptiveOde.Solve(problem, new BogackiShampine3(), o), "bs3", null);
            case "rodas4": return new(StiffOde.Solve(problem, new Rodas4(), o), "rodas4", null);
            case "rosenbrock23": return new(StiffOde.Solve(problem, new Rosenbrock23(), o), "rosenbrock23", null);
            case "radau": return new(new RadauIIA5().Solve(problem, o), "radau", null);
            case "bdf": return new(new Bdf().Solve(problem, o), "bdf", null);
            case "auto":
                var explicitTry = AdaptiveOde.Solve(problem, new Tsitouras5(), o with { DetectStiffness = true, Controller = o.Controller with { MaxSteps = Math.Min(o.Controller.MaxSteps, 200_000) } });
                if (explicitTry.Status == SolveStatus.Success && double.IsNaN(explicitTry.Statistics.StiffnessDetectedAt))
                    return new(explicitTry, "tsit5", "auto: no stiffness detected");
                string why = double.IsNaN(explicitTry.Statistics.StiffnessDetectedAt)
                    ? $"tsit5 stopped ({explicitTry.Status})"
                    : FormattableString.Invariant($"stiffness detected at t = {explicitTry.Statistics.StiffnessDetectedAt:G6}");
                return new(StiffOde.Solve(problem, new Rodas4(), o), "rodas4", $"auto: {why}; solved again with rodas4");
            default:
                throw new UsageException($"unknown solver '{request.Solver}'; choose one of {string.Join(", ", Names)}.");
        }
    }
}

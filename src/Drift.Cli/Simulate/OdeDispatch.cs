using Drift.Cli.Arguments;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

namespace Drift.Cli.Simulate;

/// <summary>A deterministic solve as the CLI asks for it: a solver name and the options of the one solve.</summary>
/// <param name="Solver">tsit5, dopri5, dop853, bs3, rodas4, rosenbrock23, radau, bdf or auto.</param>
/// <param name="Options">A <see cref="PidController"/> with the tolerances, the save points; one path.</param>
/// <param name="IgnoreNoise">Whether a model with noise may be solved as its drift alone.</param>
public sealed record OdeRequest(string Solver, SolveOptions Options, bool IgnoreNoise);

/// <summary>What a deterministic solve produced, with the solver that ran (what "auto" chose, and why).</summary>
/// <param name="Solution">The one solve's result; its <see cref="Solution.Trajectory"/> holds where the path stopped and its saved states.</param>
/// <param name="Solver">The solver that produced it.</param>
/// <param name="Note">What "auto" chose and why, or null.</param>
public sealed record OdeResult(Solution Solution, string Solver, string? Note)
{
    /// <summary>The single path's own result (always present: the CLI solves one path adaptively).</summary>
    public OdeSolution Trajectory => Solution.Trajectory ?? throw new InvalidOperationException("a deterministic CLI solve is a single adaptive path; it has a trajectory.");
}

/// <summary>Turns an ODE solver name into a type once and solves through <see cref="DiffEq.Solve{TDrift, TMethod}(OdeProblem{TDrift}, TMethod, SolveOptions)"/>.</summary>
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
            case "tsit5": return new(DiffEq.Solve(problem, new Tsitouras5(), o), "tsit5", null);
            case "dopri5": return new(DiffEq.Solve(problem, new DormandPrince5(), o), "dopri5", null);
            case "dop853": return new(DiffEq.Solve(problem, new DormandPrince853(), o), "dop853", null);
            case "bs3": return new(DiffEq.Solve(problem, new BogackiShampine3(), o), "bs3", null);
            case "rodas4": return new(DiffEq.Solve(problem, new Rodas4(), o), "rodas4", null);
            case "rosenbrock23": return new(DiffEq.Solve(problem, new Rosenbrock23(), o), "rosenbrock23", null);
            case "radau": return new(DiffEq.Solve(problem, new RadauIIA5(), o), "radau", null);
            case "bdf": return new(DiffEq.Solve(problem, new Bdf(), o), "bdf", null);
            case "auto":
                var pid = (PidController)o.Controller;
                var explicitTry = DiffEq.Solve(problem, new Tsitouras5(), o with { DetectStiffness = true, Controller = pid with { MaxSteps = Math.Min(pid.MaxSteps, 200_000) } });
                if (explicitTry.Status == SolveStatus.Success && double.IsNaN(explicitTry.StiffnessDetectedAt))
                    return new(explicitTry, "tsit5", "auto: no stiffness detected");
                string why = double.IsNaN(explicitTry.StiffnessDetectedAt)
                    ? $"tsit5 stopped ({explicitTry.Trajectory!.Status})"
                    : FormattableString.Invariant($"stiffness detected at t = {explicitTry.StiffnessDetectedAt:G6}");
                return new(DiffEq.Solve(problem, new Rodas4(), o), "rodas4", $"auto: {why}; solved again with rodas4");
            default:
                throw new UsageException($"unknown solver '{request.Solver}'; choose one of {string.Join(", ", Names)}.");
        }
    }
}

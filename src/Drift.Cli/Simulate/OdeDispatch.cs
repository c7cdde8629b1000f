using Drift.Cli.Arguments;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

namespace Drift.Cli.Simulate;

/// <summary>A deterministic solve as the CLI asks for it: a solver name and the options of the one solve.</summary>
/// <param name="Solver">tsit5, dopri5, dop853, bs3, rodas4, rodas5p, rosenbrock23, radau, bdf or auto.</param>
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
    public static readonly IReadOnlyList<string> Names = ["tsit5", "dopri5", "dop853", "bs3", "rodas4", "rodas5p", "rosenbrock23", "radau", "bdf", "auto"];

    /// <summary>
    /// Solves <paramref name="problem"/>. "auto" is <see cref="AutoSwitch{TExplicit, TStiff}"/> of Tsit5 and Rodas5P: Tsit5
    /// with Hairer's stiffness test on every step, handing over to Rodas5P at the current time when it fires and back when
    /// the problem is no longer stiff (as LSODA); the note lists the switch times.
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
            case "rodas5p": return new(DiffEq.Solve(problem, new Rodas5P(), o), "rodas5p", null);
            case "rosenbrock23": return new(DiffEq.Solve(problem, new Rosenbrock23(), o), "rosenbrock23", null);
            case "radau": return new(DiffEq.Solve(problem, new RadauIIA5(), o), "radau", null);
            case "bdf": return new(DiffEq.Solve(problem, new Bdf(), o), "bdf", null);
            case "auto":
                var auto = new AutoSwitch<Tsitouras5, Rodas5P>(new Tsitouras5(), new Rodas5P());
                var solved = DiffEq.Solve(problem, auto, o);
                var switches = solved.Trajectory?.Statistics.SwitchTimes ?? [];
                string note = switches.Count == 0
                    ? "auto: no stiffness detected, tsit5 throughout"
                    : FormattableString.Invariant($"auto: stiffness detected at t = {switches[0]:G6}, handed over to rodas5p in place; {switches.Count} switch(es) at t = {string.Join(", ", switches.Select(x => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}");
                return new(solved, auto.Name, note);
            default:
                throw new UsageException($"unknown solver '{request.Solver}'; choose one of {string.Join(", ", Names)}.");
        }
    }
}

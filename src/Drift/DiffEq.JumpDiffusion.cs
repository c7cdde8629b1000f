using Drift.Ensembles;
using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;

namespace Drift;

public static partial class DiffEq
{
    /// <summary>
    /// Solves a jump-diffusion (one path or an ensemble; <see cref="JumpSde.Problem{TModel, TJumps}"/>): a
    /// <see cref="ConstantStep"/> controller runs <see cref="JumpEnsemble.Solve"/> (the grid plus each path's jump times),
    /// a <see cref="PidController"/> the adaptive loop (<see cref="AdaptiveSde.Solve{TDrift, TDiffusion, TSolver, TJumps}"/>),
    /// with the same jump times and marks for a seed. Brownian increments and jump draws are keyed by
    /// (<see cref="SolveOptions.Seed"/>, path, …), so results are bit-identical on any thread count and chunk size.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or a solver the loop cannot use (see <see cref="JumpEnsemble.Solve"/>).</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver, TJumps>(JumpDiffusionProblem<TDrift, TDiffusion, TJumps> problem, TSolver solver, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TJumps : struct, IJumps
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Controller is ConstantStep)
            return Solve(problem, solver, new Brownian.PhiloxBrownianIncrements(options.Seed), options);
        CheckAdaptiveSolver(solver, problem.Sde.Diffusion);
        return FromAdaptive(AdaptiveJumpCall<TDrift, TDiffusion, TSolver, TJumps>.Run(problem, solver, options.ToAdaptiveSdeOptions((PidController)options.Controller)));
    }

    /// <summary>Solves a jump-diffusion on a constant grid driven by the given Brownian increments (nested or tree-backed, to share one path across step sizes); jump draws keyed by the seed.</summary>
    /// <exception cref="ArgumentException">Invalid options, a controller other than <see cref="ConstantStep"/>, or a solver the loop cannot use.</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver, TJumps, TIncrements>(JumpDiffusionProblem<TDrift, TDiffusion, TJumps> problem, TSolver solver,
        TIncrements increments, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TJumps : struct, IJumps
        where TIncrements : struct, Brownian.IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(problem);
        var step = ConstantStepOf(options, "a given Brownian source drives a constant grid only (adaptive SDE solves build Brownian trees from the seed)");
        if (options.Events is not null || options.Callbacks is not null)
            throw new ArgumentException("events and callbacks are not supported on jump-diffusion problems (their interplay with jump times is not implemented).", nameof(options));
        var ensembleOptions = options.ToEnsembleOptions(step);
        var ensemble = JumpEnsemble.Solve(problem, solver, increments, ensembleOptions);
        var perStep = new SolveCounters(1, solver.DriftEvaluationsPerStep, solver.DiffusionEvaluationsPerStep);
        return FromFixed(ensemble, perStep, problem.T0, problem.T1, step, ensembleOptions);
    }

    /// <summary>The adaptive jump-diffusion loop for a solver type, specialised once: its own embedded pair, or step doubling around it.</summary>
    private static class AdaptiveJumpCall<TDrift, TDiffusion, TSolver, TJumps>
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TJumps : struct, IJumps
    {
        public static readonly Func<JumpDiffusionProblem<TDrift, TDiffusion, TJumps>, TSolver, AdaptiveSdeOptions, AdaptiveSdeSolution> Run =
            Closed(nameof(RunAdaptiveJumps), typeof(TDrift), typeof(TDiffusion), typeof(TSolver), typeof(TJumps),
                    typeof(IEmbeddedSdeSolver).IsAssignableFrom(typeof(TSolver)) ? typeof(TSolver) : typeof(StepDoubling<>).MakeGenericType(typeof(TSolver)))
                .CreateDelegate<Func<JumpDiffusionProblem<TDrift, TDiffusion, TJumps>, TSolver, AdaptiveSdeOptions, AdaptiveSdeSolution>>();
    }

    private static AdaptiveSdeSolution RunAdaptiveJumps<TDrift, TDiffusion, TSolver, TJumps, TEmbedded>(JumpDiffusionProblem<TDrift, TDiffusion, TJumps> problem, TSolver solver, AdaptiveSdeOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TJumps : struct, IJumps
        where TEmbedded : struct, IEmbeddedSdeSolver
    {
        var embedded = solver is TEmbedded same ? same : (TEmbedded)(object)new StepDoubling<TSolver>(solver);
        return AdaptiveSde.Solve(problem, embedded, options);
    }
}

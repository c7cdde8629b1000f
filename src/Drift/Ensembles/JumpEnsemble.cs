using Drift.Brownian;
using Drift.Solve;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// Fixed-step ensembles of jump-diffusions dX = f dt + g dW + ∫ h(t, X⁻, z) N(dt, dz): the ensemble loop of
/// <see cref="Ensemble"/> (chunks, save points, statistics, divergence reports, shards, thread-independent bits) with a
/// step that is cut, path by path, at the path's candidate jump times (<see cref="JumpCandidates"/>): the grid plus
/// the jump times, as DifferentialEquations.jl's jump-diffusions take them. Paths with no candidate in a grid step take
/// the batch's SIMD step; the others are integrated one by one over sub-steps whose Brownian increments come from the
/// bridge between the grid values, so the grid increments are those of the plain SDE on the same seed.
/// </summary>
public static class JumpEnsemble
{
    /// <summary>Solves the ensemble driven by a Brownian source on the grid, with jump draws keyed by <see cref="EnsembleOptions.Seed"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options; a solver that cannot integrate this noise or calculus, needs Lévy areas, or carries state between steps (reversible Heun).</exception>
    public static EnsembleSolution Solve<TDrift, TDiffusion, TSolver, TJumps, TBrownian>(JumpDiffusionProblem<TDrift, TDiffusion, TJumps> problem, TSolver solver,
        TBrownian brownian, EnsembleOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TSolver : struct, ISdeSolver
        where TJumps : struct, IJumps
        where TBrownian : struct, IBrownianIncrements
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        var sde = problem.Sde;
        Ensemble.CheckSolver(solver, Noise.Class(sde.Diffusion), sde.Calculus);
        if (solver.NeedsLevyArea)
            throw new ArgumentException($"solver '{solver.Name}' needs space-time Lévy areas, which the fixed-step jump loop does not split at jump times; use a PidController (its Brownian tree gives them at any time) or a solver without them (euler, milstein, heun).", nameof(solver));
        if (solver is ReversibleHeun)
            throw new ArgumentException($"solver '{solver.Name}' carries state between steps that a jump would invalidate; use euler, milstein or heun.", nameof(solver));
        var stepper = new JumpDiffusionStepper<TDrift, TDiffusion, TSolver, TJumps>(sde.Drift, sde.Diffusion, solver, problem.Jumps,
            new JumpCandidates(options.Seed, problem.Jumps.MaxIntensity));
        return Ensemble.Solve(stepper, new JumpKeys<TBrownian>(brownian), sde.InitialState, sde.PathInitialStates, sde.T0, sde.T1, options);
    }
}

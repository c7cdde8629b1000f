using Drift.Brownian;
using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>Builds <see cref="GeneralMilstein{TDrift, TDiffusion}"/> problems for <c>DiffEq.Solve</c>.</summary>
public static class GeneralMilstein
{
    /// <summary>
    /// The SDE <paramref name="problem"/> (Itô, g in the general d×m layout) as a <see cref="StepperProblem{TStepper}"/>
    /// solved by Milstein with Lévy areas; solve it with <c>DiffEq.Solve(result, default(PathStepCounters), options)</c>
    /// and a constant step.
    /// </summary>
    /// <param name="problem">The SDE.</param>
    /// <param name="seed">Seed of the Brownian path (increments and areas).</param>
    /// <param name="terms">Fourier terms p of the areas per substep; 0 (default) takes <see cref="LevyArea.TermsFor"/>(m, h/r), area error ≤ h^{3/2}.</param>
    /// <param name="method">The areas' tail treatment.</param>
    /// <param name="refinement">Substeps r of each step (see the scheme's remarks).</param>
    /// <param name="levyAreas">False leaves the areas out (the scheme then has strong order ½ on non-commutative noise).</param>
    /// <exception cref="ArgumentException">A Stratonovich problem, noise not in the general layout, or bad settings.</exception>
    public static StepperProblem<GeneralMilstein<TDrift, TDiffusion>> Problem<TDrift, TDiffusion>(SdeProblem<TDrift, TDiffusion> problem, ulong seed,
        int terms = 0, LevyAreaMethod method = LevyAreaMethod.MrongowiusRossler, int refinement = 1, bool levyAreas = true)
        where TDrift : struct, IDrift where TDiffusion : struct, IDiffusion
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Calculus != Calculus.Ito)
            throw new ArgumentException($"GeneralMilstein integrates Itô SDEs, the problem is {problem.Calculus}.", nameof(problem));
        var stepper = new GeneralMilstein<TDrift, TDiffusion>(problem.Drift, problem.Diffusion, seed, terms, method, refinement, levyAreas);
        return new StepperProblem<GeneralMilstein<TDrift, TDiffusion>>(stepper, problem.InitialState, problem.T0, problem.T1, problem.PathInitialStates);
    }
}

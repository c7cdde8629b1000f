using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift;

// <summary>The typed SDE overloads of the one entry point: the calculus and the noise class checked at compile time.</summary>
// <remarks>
// <para>A typed problem (<see cref="Sde.Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/>) carries its calculus as a type and its
// diffusion's noise trait (<see cref="IAdditiveNoise"/> ⊂ <see cref="IDiagonalNoise"/> ⊂ <see cref="IGeneralNoise"/>);
// a solver declares, per calculus, the widest trait it integrates (<see cref="IItoSolver{TSelf, TNoise}"/>,
// <see cref="IStratonovichSolver{TSelf, TNoise}"/>). These overloads infer that trait from the solver and require the
// diffusion to implement it, so SRA1 with a general-noise diffusion, or Euler–Maruyama with a Stratonovich problem of
// state-dependent noise, does not compile (CS0315; a solver with no capability in that calculus matches no overload: CS0411).</para>
// <para>They then call the run-time overload with <see cref="SdeProblem{TDrift, TDiffusion, TCalculus}.Untyped"/>: the
// same struct-specialised loop and the same bits, one boxing of the solver per call and nothing per step. The type
// level cannot see run-time facts, which the run-time check underneath still catches: a text model's or a delegate
// diffusion's noise class (they declare <see cref="IGeneralNoise"/>, so the typed call takes only solvers of general
// noise; narrower solvers go through the run-time call), <see cref="Milstein"/>'s calculus (a constructor argument),
// and Euler–Maruyama under an adaptive controller.</para>
// </remarks>
public static partial class DiffEq
{
    /// <summary>Solves a typed Itô SDE problem; a solver that cannot integrate the diffusion's noise trait in the Itô calculus does not compile.</summary>
    /// <exception cref="ArgumentException">As <see cref="Solve{TDrift, TDiffusion, TSolver}(SdeProblem{TDrift, TDiffusion}, TSolver, SolveOptions)"/>.</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver, TNoise>(SdeProblem<TDrift, TDiffusion, Ito> problem, IItoSolver<TSolver, TNoise> solver, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion, TNoise
        where TSolver : struct, IItoSolver<TSolver, TNoise>
        where TNoise : IGeneralNoise
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solver);
        return Solve(problem.Untyped, (TSolver)solver, options);
    }

    /// <summary>Solves a typed Stratonovich SDE problem; a solver that cannot integrate the diffusion's noise trait in the Stratonovich calculus does not compile.</summary>
    /// <exception cref="ArgumentException">As <see cref="Solve{TDrift, TDiffusion, TSolver}(SdeProblem{TDrift, TDiffusion}, TSolver, SolveOptions)"/>.</exception>
    public static Solution Solve<TDrift, TDiffusion, TSolver, TNoise>(SdeProblem<TDrift, TDiffusion, Stratonovich> problem, IStratonovichSolver<TSolver, TNoise> solver, SolveOptions options)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion, TNoise
        where TSolver : struct, IStratonovichSolver<TSolver, TNoise>
        where TNoise : IGeneralNoise
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(solver);
        return Solve(problem.Untyped, (TSolver)solver, options);
    }
}

namespace Drift.Solve.Sde;

/// <summary>
/// The compile-time capability of an SDE solver in the Itô calculus: it converges for every Itô SDE whose diffusion has
/// the noise trait <typeparamref name="TNoise"/> (<see cref="IAdditiveNoise"/>, <see cref="IDiagonalNoise"/> or
/// <see cref="IGeneralNoise"/>, nested in that order), and so for every narrower class. The typed
/// <see cref="Drift.DiffEq.Solve{TDrift, TDiffusion, TSolver, TNoise}(SdeProblem{TDrift, TDiffusion, Ito}, IItoSolver{TSolver, TNoise}, SolveOptions)"/>
/// infers <typeparamref name="TNoise"/> from the solver and requires the diffusion to implement it, so a wider
/// diffusion is a compile error (CS0315); a solver that declares no Itô capability matches no overload (CS0411).
/// </summary>
/// <remarks>
/// The declaration must agree with <see cref="ISdeSolver.Supports"/>: Supports(class, Calculus.Ito) is true for every
/// class up to <typeparamref name="TNoise"/> (tested for every built-in solver). What a type cannot see, a constructor
/// argument (<see cref="Milstein"/>'s calculus) or the controller (Euler–Maruyama under adaptive steps), stays a
/// run-time check.
/// </remarks>
/// <typeparam name="TSelf">The solver struct itself, so that the typed call recovers it without a virtual call per step.</typeparam>
/// <typeparam name="TNoise">The widest noise trait the solver integrates in the Itô calculus.</typeparam>
public interface IItoSolver<TSelf, TNoise> : ISdeSolver
    where TSelf : struct, IItoSolver<TSelf, TNoise>
    where TNoise : IGeneralNoise;

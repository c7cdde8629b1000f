namespace Drift.Solve.Sde;

/// <summary>
/// The compile-time capability of an SDE solver in the Stratonovich calculus: it converges for every Stratonovich SDE
/// whose diffusion has the noise trait <typeparamref name="TNoise"/> (<see cref="IAdditiveNoise"/>,
/// <see cref="IDiagonalNoise"/> or <see cref="IGeneralNoise"/>, nested in that order), and so for every narrower class.
/// An Itô-only solver declares <see cref="IAdditiveNoise"/> here (the calculi agree when g depends on t only), so with
/// a Stratonovich problem of wider noise the typed
/// <see cref="Drift.DiffEq.Solve{TDrift, TDiffusion, TSolver, TNoise}(SdeProblem{TDrift, TDiffusion, Stratonovich}, IStratonovichSolver{TSolver, TNoise}, SolveOptions)"/>
/// is a compile error (CS0315).
/// </summary>
/// <remarks>The declaration must agree with <see cref="ISdeSolver.Supports"/> (tested), as for <see cref="IItoSolver{TSelf, TNoise}"/>.</remarks>
/// <typeparam name="TSelf">The solver struct itself.</typeparam>
/// <typeparam name="TNoise">The widest noise trait the solver integrates in the Stratonovich calculus.</typeparam>
public interface IStratonovichSolver<TSelf, TNoise> : ISdeSolver
    where TSelf : struct, IStratonovichSolver<TSelf, TNoise>
    where TNoise : IGeneralNoise;

namespace Drift.Solve;

/// <summary>
/// The compile-time noise trait of a diffusion whose g(t, x) ∈ ℝ^{d×m} may be any matrix of (t, x): the widest of
/// the three nested classes additive ⊂ diagonal ⊂ general (the type-level mirror of <see cref="Noise.Class{TDiffusion}"/>).
/// A diffusion declares the narrowest of <see cref="IAdditiveNoise"/>, <see cref="IDiagonalNoise"/> and this that holds
/// for every instance of its type; the typed <see cref="Drift.DiffEq"/> overloads
/// (<see cref="Drift.DiffEq.Solve{TDrift, TDiffusion, TSolver, TNoise}(SdeProblem{TDrift, TDiffusion, Ito}, Sde.IItoSolver{TSolver, TNoise}, SolveOptions)"/>)
/// then refuse, at compile time, a solver that needs a narrower class.
/// </summary>
/// <remarks>
/// A trait is a promise about the type, so a type whose class is known only at run time (a text model, a diffusion from
/// delegates) declares this widest class; its narrower run-time class (<see cref="IDiffusion.Noise"/>,
/// <see cref="IDiffusion.StateIndependent"/>) is still honoured by the run-time check of every solve.
/// </remarks>
public interface IGeneralNoise : IDiffusion;

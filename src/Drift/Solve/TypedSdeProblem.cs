namespace Drift.Solve;

/// <summary>
/// An SDE problem whose calculus is part of its type (<typeparamref name="TCalculus"/>: <see cref="Ito"/> or
/// <see cref="Stratonovich"/>) and whose diffusion carries its noise trait (<see cref="IAdditiveNoise"/> ⊂
/// <see cref="IDiagonalNoise"/> ⊂ <see cref="IGeneralNoise"/>), so that <c>DiffEq.Solve</c> refuses at compile time a
/// solver that cannot integrate it: an additive-only solver with a general-noise diffusion, an Itô-only solver with a
/// Stratonovich problem. It wraps the run-time problem <see cref="Untyped"/>, which every solve receives, so the
/// results are the same bits and the run-time check (<c>ISdeSolver.Supports</c>) still runs underneath.
/// Create one with <see cref="Drift.Sde.Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/>.
/// </summary>
/// <typeparam name="TDrift">The drift f.</typeparam>
/// <typeparam name="TDiffusion">The diffusion g.</typeparam>
/// <typeparam name="TCalculus">The calculus, <see cref="Ito"/> or <see cref="Stratonovich"/>.</typeparam>
public sealed class SdeProblem<TDrift, TDiffusion, TCalculus>
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TCalculus : struct, ICalculus
{
    /// <summary>Creates the problem dX = f dt + g dW (read as <typeparamref name="TCalculus"/> says) and validates its shape.</summary>
    /// <param name="drift">The drift f.</param>
    /// <param name="diffusion">The diffusion g.</param>
    /// <param name="initialState">X0, one value per component, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time, greater than <paramref name="t0"/>.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public SdeProblem(TDrift drift, TDiffusion diffusion, double[] initialState, double t0, double t1, InitialStates? pathInitialStates = null) =>
        Untyped = new SdeProblem<TDrift, TDiffusion>(drift, diffusion, initialState, t0, t1, TCalculus.Value) { PathInitialStates = pathInitialStates };

    /// <summary>The same problem with its calculus as a value, as the run-time solve path takes it.</summary>
    public SdeProblem<TDrift, TDiffusion> Untyped { get; }

    /// <summary>The calculus, <typeparamref name="TCalculus"/>'s value.</summary>
    public Calculus Calculus => TCalculus.Value;
}

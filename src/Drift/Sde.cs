using Drift.Solve;

namespace Drift;

/// <summary>
/// SDE problems whose type arguments are inferred (so no model type is written twice), and from delegates for
/// quick work; write structs for the hot path. Solve them with <see cref="DiffEq"/>. ODE problems: <see cref="Ode"/>.
/// </summary>
public static class Sde
{
    /// <summary>dX = f dt + g dW with f and g from one struct (a catalogue model, say).</summary>
    /// <param name="model">The drift and the diffusion.</param>
    /// <param name="initialState">X0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">Itô or Stratonovich.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public static SdeProblem<TModel, TModel> Problem<TModel>(TModel model, double[] initialState, double t0, double t1,
        Calculus calculus = Calculus.Ito, InitialStates? pathInitialStates = null)
        where TModel : struct, IDrift, IDiffusion =>
        new(model, model, initialState, t0, t1, calculus) { PathInitialStates = pathInitialStates };

    /// <summary>dX = f dt + g dW with f and g from two structs.</summary>
    /// <param name="drift">The drift f.</param>
    /// <param name="diffusion">The diffusion g.</param>
    /// <param name="initialState">X0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">Itô or Stratonovich.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public static SdeProblem<TDrift, TDiffusion> Problem<TDrift, TDiffusion>(TDrift drift, TDiffusion diffusion, double[] initialState, double t0, double t1,
        Calculus calculus = Calculus.Ito, InitialStates? pathInitialStates = null)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion =>
        new(drift, diffusion, initialState, t0, t1, calculus) { PathInitialStates = pathInitialStates };

    /// <summary>
    /// A typed problem: dX = f dt + g dW with f and g from one struct and the calculus as a type (<c>new Ito()</c> or
    /// <c>new Stratonovich()</c>), so that <see cref="DiffEq"/> refuses at compile time a solver that cannot integrate the
    /// model's noise trait (<see cref="IAdditiveNoise"/> ⊂ <see cref="IDiagonalNoise"/> ⊂ <see cref="IGeneralNoise"/>)
    /// in this calculus. The same problem and the same bits as <see cref="Problem{TModel}"/> with the calculus as a value.
    /// </summary>
    /// <param name="model">The drift and the diffusion.</param>
    /// <param name="initialState">X0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">The calculus as a type: <c>new Ito()</c> or <c>new Stratonovich()</c>.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public static SdeProblem<TModel, TModel, TCalculus> Problem<TModel, TCalculus>(TModel model, double[] initialState, double t0, double t1,
        TCalculus calculus, InitialStates? pathInitialStates = null)
        where TModel : struct, IDrift, IDiffusion
        where TCalculus : struct, ICalculus =>
        new(model, model, initialState, t0, t1, pathInitialStates);

    /// <summary>A typed problem (see <see cref="Problem{TModel, TCalculus}(TModel, double[], double, double, TCalculus, InitialStates)"/>) with f and g from two structs.</summary>
    /// <param name="drift">The drift f.</param>
    /// <param name="diffusion">The diffusion g.</param>
    /// <param name="initialState">X0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">The calculus as a type: <c>new Ito()</c> or <c>new Stratonovich()</c>.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public static SdeProblem<TDrift, TDiffusion, TCalculus> Problem<TDrift, TDiffusion, TCalculus>(TDrift drift, TDiffusion diffusion, double[] initialState,
        double t0, double t1, TCalculus calculus, InitialStates? pathInitialStates = null)
        where TDrift : struct, IDrift
        where TDiffusion : struct, IDiffusion
        where TCalculus : struct, ICalculus =>
        new(drift, diffusion, initialState, t0, t1, pathInitialStates);

    /// <summary>dX = f dt + g dW with f and g given as batch delegates.</summary>
    /// <param name="drift">Writes f(t, x) (d rows).</param>
    /// <param name="diffusion">Writes g(t, x) in the layout of <paramref name="noise"/>.</param>
    /// <param name="noise">The structure of g.</param>
    /// <param name="noiseDimension">Brownian dimension m.</param>
    /// <param name="initialState">X0 (its length is d).</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="calculus">Itô or Stratonovich.</param>
    public static SdeProblem<DriftFunction, DiffusionFunction> FromDelegates(BatchFunction drift, BatchFunction diffusion, NoiseKind noise, int noiseDimension,
        double[] initialState, double t0, double t1, Calculus calculus = Calculus.Ito)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        int d = initialState.Length;
        return new SdeProblem<DriftFunction, DiffusionFunction>(new DriftFunction(d, drift), new DiffusionFunction(d, noiseDimension, noise, diffusion), initialState, t0, t1, calculus);
    }
}

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

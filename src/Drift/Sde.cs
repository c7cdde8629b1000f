using Drift.Solve;

namespace Drift;

/// <summary>SDE problems from delegates, for quick work; write structs for the hot path. ODE problems: <see cref="Ode"/>.</summary>
public static class Sde
{
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

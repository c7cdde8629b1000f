namespace Drift.Solve;

/// <summary>
/// An SDE dX = f(t, X) dt + g(t, X) dW on [T0, T1] with X(T0) = X0, read in Itô or Stratonovich form.
/// </summary>
/// <typeparam name="TDrift">The drift f, a struct so that solvers specialise for it.</typeparam>
/// <typeparam name="TDiffusion">The diffusion g, a struct so that solvers specialise for it.</typeparam>
public sealed class SdeProblem<TDrift, TDiffusion>
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
{
    /// <summary>Creates the problem and validates its shape.</summary>
    /// <param name="drift">The drift f.</param>
    /// <param name="diffusion">The diffusion g.</param>
    /// <param name="initialState">X0, one value per component, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time, greater than <paramref name="t0"/>.</param>
    /// <param name="calculus">Itô or Stratonovich.</param>
    /// <exception cref="ArgumentException">Dimensions disagree, times are not finite and increasing, or X0 is not finite.</exception>
    public SdeProblem(TDrift drift, TDiffusion diffusion, double[] initialState, double t0, double t1, Calculus calculus = Calculus.Ito)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        if (drift.Dimension != diffusion.Dimension)
            throw new ArgumentException($"drift has dimension {drift.Dimension} but diffusion has dimension {diffusion.Dimension}.", nameof(diffusion));
        Noise.Validate(diffusion.Noise, diffusion.Dimension, diffusion.NoiseDimension);
        ProblemChecks.Validate(drift.Dimension, initialState, t0, t1);
        Drift = drift;
        Diffusion = diffusion;
        InitialState = (double[])initialState.Clone();
        T0 = t0;
        T1 = t1;
        Calculus = calculus;
    }

    /// <summary>The drift f.</summary>
    public TDrift Drift { get; }
    /// <summary>The diffusion g.</summary>
    public TDiffusion Diffusion { get; }
    /// <summary>X0 shared by every path (unless <see cref="PathInitialStates"/> is set).</summary>
    public double[] InitialState { get; }
    /// <summary>Start time.</summary>
    public double T0 { get; }
    /// <summary>End time.</summary>
    public double T1 { get; }
    /// <summary>Itô or Stratonovich.</summary>
    public Calculus Calculus { get; }
    /// <summary>Optional per-path initial states; overrides <see cref="InitialState"/>.</summary>
    public InitialStates? PathInitialStates { get; init; }
    /// <summary>State dimension d.</summary>
    public int Dimension => Drift.Dimension;
    /// <summary>Brownian dimension m.</summary>
    public int NoiseDimension => Diffusion.NoiseDimension;
}

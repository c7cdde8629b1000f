namespace Drift.Solve;

/// <summary>An ODE dx/dt = f(t, x) on [T0, T1] with x(T0) = x0.</summary>
/// <typeparam name="TDrift">The right-hand side f, a struct so that solvers specialise for it.</typeparam>
public sealed class OdeProblem<TDrift>
    where TDrift : struct, IDrift
{
    /// <summary>Creates the problem and validates its shape.</summary>
    /// <exception cref="ArgumentException">Times are not finite and increasing, or x0 has the wrong length or is not finite.</exception>
    public OdeProblem(TDrift drift, double[] initialState, double t0, double t1)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ProblemChecks.Validate(drift.Dimension, initialState, t0, t1);
        Drift = drift;
        InitialState = (double[])initialState.Clone();
        T0 = t0;
        T1 = t1;
    }

    /// <summary>The right-hand side f.</summary>
    public TDrift Drift { get; }
    /// <summary>x0 shared by every path (unless <see cref="PathInitialStates"/> is set).</summary>
    public double[] InitialState { get; }
    /// <summary>Start time.</summary>
    public double T0 { get; }
    /// <summary>End time.</summary>
    public double T1 { get; }
    /// <summary>Optional per-path initial states; overrides <see cref="InitialState"/>.</summary>
    public InitialStates? PathInitialStates { get; init; }
    /// <summary>State dimension d.</summary>
    public int Dimension => Drift.Dimension;
}

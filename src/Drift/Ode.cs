using Drift.Solve;

namespace Drift;

/// <summary>
/// ODE problems whose type argument is inferred, and from delegates for quick work; write structs for the hot
/// path. Solve them with <see cref="DiffEq"/>. SDE problems: <see cref="Sde"/>.
/// </summary>
public static class Ode
{
    /// <summary>dx/dt = f(t, x) with f a struct (a catalogue flow, say).</summary>
    /// <param name="rightHandSide">f.</param>
    /// <param name="initialState">x0, shared by every path.</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    /// <param name="pathInitialStates">Per-path initial states overriding <paramref name="initialState"/>, or null.</param>
    /// <exception cref="ArgumentException">Times are not finite and increasing, or x0 has the wrong length or is not finite.</exception>
    public static OdeProblem<TDrift> Problem<TDrift>(TDrift rightHandSide, double[] initialState, double t0, double t1, InitialStates? pathInitialStates = null)
        where TDrift : struct, IDrift =>
        new(rightHandSide, initialState, t0, t1) { PathInitialStates = pathInitialStates };

    /// <summary>dx/dt = f(t, x) with f given as a batch delegate.</summary>
    /// <param name="rightHandSide">Writes f(t, x) (d rows).</param>
    /// <param name="initialState">x0 (its length is d).</param>
    /// <param name="t0">Start time.</param>
    /// <param name="t1">End time.</param>
    public static OdeProblem<DriftFunction> FromDelegate(BatchFunction rightHandSide, double[] initialState, double t0, double t1)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        return new OdeProblem<DriftFunction>(new DriftFunction(initialState.Length, rightHandSide), initialState, t0, t1);
    }
}

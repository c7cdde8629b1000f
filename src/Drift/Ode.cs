using Drift.Solve;

namespace Drift;

/// <summary>ODE problems from delegates, for quick work; write structs for the hot path. SDE problems: <see cref="Sde"/>.</summary>
public static class Ode
{
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

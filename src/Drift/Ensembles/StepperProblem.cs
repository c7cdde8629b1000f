using Drift.Solve;

namespace Drift.Ensembles;

/// <summary>
/// A problem solved by a custom fixed-step scheme (<see cref="IEnsembleStepper"/>: a Langevin splitting, say)
/// from X(T0) = X0 to T1, for <c>DiffEq.Solve(problem, options)</c>.
/// </summary>
/// <typeparam name="TStepper">The scheme, a struct so that the ensemble loop specialises for it.</typeparam>
public sealed class StepperProblem<TStepper>
    where TStepper : struct, IEnsembleStepper
{
    /// <summary>Creates the problem and validates its shape.</summary>
    /// <exception cref="ArgumentException">x0 has the wrong length or is not finite, or the times are not finite and increasing.</exception>
    public StepperProblem(TStepper stepper, double[] initialState, double t0, double t1, InitialStates? pathInitialStates = null)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ProblemChecks.Validate(stepper.Dimension, initialState, t0, t1);
        Stepper = stepper;
        InitialState = (double[])initialState.Clone();
        T0 = t0;
        T1 = t1;
        PathInitialStates = pathInitialStates;
    }

    /// <summary>The scheme.</summary>
    public TStepper Stepper { get; }
    /// <summary>X0 shared by every path (unless <see cref="PathInitialStates"/> is set).</summary>
    public double[] InitialState { get; }
    /// <summary>Start time.</summary>
    public double T0 { get; }
    /// <summary>End time.</summary>
    public double T1 { get; }
    /// <summary>Optional per-path initial states; overrides <see cref="InitialState"/>.</summary>
    public InitialStates? PathInitialStates { get; }
}

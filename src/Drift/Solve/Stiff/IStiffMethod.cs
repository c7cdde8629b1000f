using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// A stiff ODE method that chooses its own steps: a Rosenbrock method (<see cref="Rosenbrock23"/>, <see cref="Rodas4"/>, <see cref="Rodas5P"/>,
/// through <see cref="StiffOde"/>), the implicit Runge–Kutta <see cref="RadauIIA5"/> or the variable-order
/// <see cref="Bdf"/>. <see cref="DiffEq.Solve{TDrift, TMethod}(OdeProblem{TDrift}, TMethod, SolveOptions)"/> with a
/// <see cref="PidController"/> runs <see cref="Solve{TDrift}"/> once per path; the method is a struct type argument,
/// so each loop is specialised for the drift.
/// </summary>
public interface IStiffMethod : IOdeMethod
{
    /// <summary>Integrates one trajectory of the problem from T0 to T1 (statuses, save times and statistics as <see cref="AdaptiveOde"/>).</summary>
    /// <exception cref="ArgumentException">Invalid controller settings or save times.</exception>
    OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift;
}

namespace Drift.Solve.Sde;

/// <summary>
/// An embedded SDE solver whose error estimate compares one step with two half steps, so it needs the
/// Brownian path at the step's midpoint. A driver that sees this interface hands
/// <see cref="IEmbeddedSdeSolver.StepWithError{TDrift,TDiffusion}"/> 2m rows of increments (and of Lévy
/// areas when asked): ΔW over [t, t + h/2], then ΔW over [t + h/2, t + h], both from the same path.
/// </summary>
public interface IStepDoublingSolver : IEmbeddedSdeSolver
{
}

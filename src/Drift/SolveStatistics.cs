namespace Drift;

/// <summary>Work done by a solve, summed over its paths.</summary>
/// <param name="AcceptedSteps">Accepted steps (for fixed steps, steps × paths).</param>
/// <param name="RejectedSteps">Rejected steps (0 for fixed steps).</param>
/// <param name="DriftEvaluations">Drift (ODE right-hand side) evaluations, counted per path.</param>
/// <param name="DiffusionEvaluations">Diffusion evaluations, counted per path.</param>
/// <param name="SmallestStep">Smallest accepted step (NaN where the loop does not track it: adaptive ODEs without recorded steps).</param>
/// <param name="LargestStep">Largest accepted step (NaN where not tracked).</param>
public readonly record struct SolveStatistics(long AcceptedSteps, long RejectedSteps, long DriftEvaluations, long DiffusionEvaluations,
    double SmallestStep, double LargestStep)
{
    /// <summary>Jacobian evaluations of implicit and Rosenbrock solvers (analytic or finite differences), summed over paths; 0 for explicit solvers.</summary>
    public long JacobianEvaluations { get; init; }

    /// <summary>LU factorisations of the iteration matrix, summed over paths (Radau IIA counts its real and complex pair as one); 0 for explicit solvers.</summary>
    public long Factorizations { get; init; }
}

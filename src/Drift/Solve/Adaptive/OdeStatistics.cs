namespace Drift.Solve.Adaptive;

/// <summary>Work done by an adaptive solve.</summary>
public sealed class OdeStatistics
{
    internal OdeStatistics(long evaluations, long accepted, long rejected, double stiffnessDetectedAt, StepRecord[]? steps)
    {
        FunctionEvaluations = evaluations;
        AcceptedSteps = accepted;
        RejectedSteps = rejected;
        StiffnessDetectedAt = stiffnessDetectedAt;
        Steps = steps;
    }

    /// <summary>Right-hand side evaluations of one trajectory (each a call of <see cref="IDrift.Evaluate"/> with one path), including the initial-step guess and dense output.</summary>
    public long FunctionEvaluations { get; }

    /// <summary>Accepted steps.</summary>
    public long AcceptedSteps { get; }

    /// <summary>Rejected steps (error norm above 1, or a non-finite stage).</summary>
    public long RejectedSteps { get; }

    /// <summary>
    /// The time at which Hairer's test declared the problem stiff — h·|λ| above 0.75 × the method's
    /// <see cref="IEmbeddedMethod.StabilityBoundary"/> on 15 checks without 6 consecutive checks
    /// below it in between — or NaN if it never did (or the method has no estimate). Hairer's codes
    /// compare with ≈ 0.98 × the boundary; with the smoother PI controller the step of a stiff
    /// problem settles at 80–95 % of the boundary, hence the lower fraction (DifferentialEquations.jl's
    /// auto-switching uses 0.9).
    /// </summary>
    public double StiffnessDetectedAt { get; }

    /// <summary>Jacobian evaluations (from <see cref="IJacobian"/> or finite differences; 0 for explicit methods).</summary>
    public long JacobianEvaluations { get; internal init; }

    /// <summary>LU factorisations of the iteration matrix (0 for explicit methods).</summary>
    public long Factorizations { get; internal init; }

    /// <summary>
    /// The times at which an in-place switching solve (<see cref="Stiff.AutoSwitch{TExplicit, TStiff}"/>) changed method,
    /// alternately explicit → stiff and stiff → explicit, starting with the explicit method; empty for every other solve.
    /// </summary>
    public IReadOnlyList<double> SwitchTimes { get; internal init; } = [];

    /// <summary>Every attempted step in order (accepted and rejected), or null unless <see cref="AdaptiveOptions.RecordSteps"/> was set.</summary>
    public IReadOnlyList<StepRecord>? Steps { get; }
}

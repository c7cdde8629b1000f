namespace Drift.Ensembles;

/// <summary>Work done by an adaptive ensemble, summed over paths.</summary>
/// <param name="AcceptedSteps">Accepted steps, all paths.</param>
/// <param name="RejectedSteps">Rejected steps, all paths.</param>
/// <param name="DriftEvaluations">Drift evaluations, all paths.</param>
/// <param name="DiffusionEvaluations">Diffusion evaluations, all paths.</param>
/// <param name="SmallestStep">Smallest accepted step.</param>
/// <param name="LargestStep">Largest accepted step.</param>
public readonly record struct AdaptiveSdeStatistics(long AcceptedSteps, long RejectedSteps, long DriftEvaluations, long DiffusionEvaluations, double SmallestStep, double LargestStep)
{
    /// <summary>No work.</summary>
    public static AdaptiveSdeStatistics Empty => new(0, 0, 0, 0, double.PositiveInfinity, 0);

    /// <summary>The sum of two tallies.</summary>
    public AdaptiveSdeStatistics Add(in AdaptiveSdeStatistics other) => new(
        AcceptedSteps + other.AcceptedSteps, RejectedSteps + other.RejectedSteps, DriftEvaluations + other.DriftEvaluations,
        DiffusionEvaluations + other.DiffusionEvaluations, Math.Min(SmallestStep, other.SmallestStep), Math.Max(LargestStep, other.LargestStep));
}

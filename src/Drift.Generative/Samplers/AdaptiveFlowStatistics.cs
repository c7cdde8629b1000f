namespace Drift.Generative.Samplers;

/// <summary>Work and outcome of one <see cref="AdaptiveProbabilityFlowSampler{TMethod}"/> run, over all its samples.</summary>
public sealed class AdaptiveFlowStatistics
{
    internal AdaptiveFlowStatistics(int samples, long evaluations, long maxEvaluations, long accepted, long rejected, int failed, string? firstFailure)
    {
        Samples = samples;
        TotalEvaluations = evaluations;
        MaxEvaluations = maxEvaluations;
        AcceptedSteps = accepted;
        RejectedSteps = rejected;
        FailedSamples = failed;
        FirstFailure = firstFailure;
    }

    /// <summary>Samples integrated.</summary>
    public int Samples { get; }

    /// <summary>Model evaluations summed over samples (each sample adapts its own steps).</summary>
    public long TotalEvaluations { get; }

    /// <summary>Mean NFE per sample, TotalEvaluations / Samples (0 for an empty run).</summary>
    public double MeanEvaluations => Samples == 0 ? 0 : (double)TotalEvaluations / Samples;

    /// <summary>The largest NFE of any sample.</summary>
    public long MaxEvaluations { get; }

    /// <summary>Accepted steps summed over samples.</summary>
    public long AcceptedSteps { get; }

    /// <summary>Rejected steps summed over samples.</summary>
    public long RejectedSteps { get; }

    /// <summary>Samples whose solve did not reach the end (their rows hold the state where they stopped).</summary>
    public int FailedSamples { get; }

    /// <summary>The solver's message for the first failed sample (with its index), or null.</summary>
    public string? FirstFailure { get; }
}

namespace Drift.Jumps.Inference;

/// <summary>Options of <see cref="RateInference.FromObservations"/>.</summary>
public sealed record ObservationFitOptions
{
    /// <summary>
    /// The finite-state-projection box 0 ≤ xᵢ ≤ MaxCounts[i] on which the master equation is solved (required). Choose it
    /// so that the projection loses little mass: <see cref="RateFit.Truncation"/> reports the loss at the estimates.
    /// </summary>
    public IReadOnlyList<long>? MaxCounts { get; init; }

    /// <summary>Which reactions to fit (indices of mass-action reactions); null for every mass-action reaction. The others keep their constants.</summary>
    public IReadOnlyList<int>? Fit { get; init; }

    /// <summary>Starting rate constants of the fitted reactions (same order as <see cref="Fit"/>); null to start from the network's constants.</summary>
    public IReadOnlyList<double>? InitialRates { get; init; }

    /// <summary>Confidence level of the intervals (default 0.95).</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>Nelder–Mead stops when the spread of −ln L over the simplex is below this (default 10⁻⁸).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Largest number of likelihood evaluations of the optimiser (default 2000).</summary>
    public int MaxEvaluations { get; init; } = 2000;

    /// <summary>Tolerance of the uniformisation series per observation interval (default 10⁻¹¹).</summary>
    public double TransientTolerance { get; init; } = 1e-11;
}

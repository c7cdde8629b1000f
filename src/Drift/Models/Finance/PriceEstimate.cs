using Drift.Statistics;

namespace Drift.Models.Finance;

/// <summary>A Monte Carlo price: the discounted mean payoff, its standard error, and the paths used.</summary>
/// <param name="Price">Estimate of e^{−rT} E[payoff].</param>
/// <param name="StandardError">Sample standard deviation over independent samples / √samples (an antithetic pair is one sample).</param>
/// <param name="Paths">Paths simulated (antithetic partners included).</param>
/// <param name="ReachedTarget">False when a target standard error was set and <see cref="MonteCarloOptions.MaxPaths"/> stopped the run first.</param>
public sealed record PriceEstimate(double Price, double StandardError, long Paths, bool ReachedTarget)
{
    /// <summary>
    /// Moments of the discounted payoff per sample (one path, or the mean of an antithetic pair) over the samples run:
    /// <see cref="Price"/> is their mean and <see cref="StandardError"/> their standard error. Shards of one run
    /// (<see cref="MonteCarloOptions.Shard"/>) merge through them.
    /// </summary>
    public Moments Samples { get; init; } = Moments.Empty;
}

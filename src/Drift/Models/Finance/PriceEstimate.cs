namespace Drift.Models.Finance;

/// <summary>A Monte Carlo price: the discounted mean payoff, its standard error, and the paths used.</summary>
/// <param name="Price">Estimate of e^{−rT} E[payoff].</param>
/// <param name="StandardError">Sample standard deviation over independent samples / √samples (an antithetic pair is one sample).</param>
/// <param name="Paths">Paths simulated (antithetic partners included).</param>
/// <param name="ReachedTarget">False when a target standard error was set and <see cref="MonteCarloOptions.MaxPaths"/> stopped the run first.</param>
public sealed record PriceEstimate(double Price, double StandardError, long Paths, bool ReachedTarget);

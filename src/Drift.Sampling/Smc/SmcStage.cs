namespace Drift.Sampling.Smc;

/// <summary>One temperature of a tempered SMC run.</summary>
/// <param name="Temperature">The temperature β reached at this stage.</param>
/// <param name="Ess">The effective sample size 1/Σ Wᵢ² after reweighting to β, before any resampling.</param>
/// <param name="Resampled">Whether the particles were resampled at this stage.</param>
/// <param name="AcceptanceRate">The Metropolis–Hastings acceptance rate of this stage's moves (NaN without moves).</param>
/// <param name="StepScale">The proposal scale h used by this stage's moves (relative to the particle covariance).</param>
public readonly record struct SmcStage(double Temperature, double Ess, bool Resampled, double AcceptanceRate, double StepScale);

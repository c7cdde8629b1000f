namespace Drift.Generative.Steering;

/// <summary>One reweighting of an <see cref="FkSteering"/> run.</summary>
/// <param name="Time">The diffusion time t_k of the states that were reweighted.</param>
/// <param name="EffectiveSampleSize">ESS = (Σw)²/Σw² of the weights after the reweighting, before any resampling.</param>
/// <param name="LogNormalizer">The running estimate log Ẑ_k = Σ_{j≤k} log Σ_i W_{j−1}^i G_j^i.</param>
/// <param name="Resampled">Whether the system was resampled after this reweighting.</param>
public readonly record struct SteeringStep(double Time, double EffectiveSampleSize, double LogNormalizer, bool Resampled);

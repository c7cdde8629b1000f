namespace Drift.Sampling.Language;

/// <summary>
/// A density model split for tempered SMC (<see cref="Smc.TemperedSmc.Sample{TPrior, TLikelihood}"/>): the prior p₀ (drawn
/// exactly), the likelihood L and the whole posterior π ∝ p₀·L (for names and the constrained scale), all on the same
/// unconstrained coordinates. With every statement normalised, SMC's log Ẑ estimates the log marginal likelihood
/// log ∫ p₀(θ) L(θ) dθ of the model's data.
/// </summary>
/// <param name="Prior">The prior statements with the transforms' Jacobian.</param>
/// <param name="Likelihood">The other statements.</param>
/// <param name="Posterior">The whole model (<see cref="DensityModel.Bind"/>).</param>
public sealed record TemperedDensity(DensityPrior Prior, DensityLikelihood Likelihood, DensityTarget Posterior);

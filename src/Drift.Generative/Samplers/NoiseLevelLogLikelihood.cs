namespace Drift.Generative.Samplers;

/// <summary>
/// The noise-level classifier of <see cref="DenoisingMcmc"/>: writes log p_σ(x) (up to a constant that does not depend
/// on σ) for each of <paramref name="samples"/> rows of x, so that p(σ_j | x) ∝ p_{σ_j}(x) under a uniform prior on the
/// levels. For an exact mixture it is the mixture's log density at noise σ (<c>GaussianMixture.Score</c> with only the
/// log density requested); for a trained model a noise-level classifier network plays this role (the paper's).
/// </summary>
/// <param name="sigma">Noise level σ &gt; 0.</param>
/// <param name="x">Rows of d values.</param>
/// <param name="logLikelihood">Output, one value per row.</param>
/// <param name="samples">Rows.</param>
public delegate void NoiseLevelLogLikelihood(double sigma, ReadOnlySpan<double> x, Span<double> logLikelihood, int samples);

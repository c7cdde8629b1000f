namespace Drift.Analysis;

/// <summary>A Monte-Carlo estimate of the sliced Wasserstein distance.</summary>
/// <param name="Distance">SW_p ≈ (mean over directions θ of W_p^p(θ#μ, θ#ν))^{1/p}.</param>
/// <param name="PowerMean">The mean over directions of W_p^p(θ#μ, θ#ν), an unbiased estimate of SW_p^p.</param>
/// <param name="StandardError">Standard error of <paramref name="PowerMean"/> over the directions (sample std / √L).</param>
/// <param name="Projections">Number of directions L.</param>
public readonly record struct SlicedWassersteinResult(double Distance, double PowerMean, double StandardError, int Projections);

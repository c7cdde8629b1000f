using Drift.Jumps.Inference;

namespace Drift.Sampling.Targets;

/// <summary>
/// The posterior of the log rate constants θₖ = ln cₖ of a reaction network's fitted reactions: a
/// <see cref="RateLikelihood"/> (full trajectories or sparse, noisy observations, from <c>Drift.Jumps</c>) times
/// independent log-normal priors cₖ ~ LogNormal(μₖ, σₖ), i.e. θₖ ~ N(μₖ, σₖ²):
/// log π(θ) = ℓ(θ) − ½ Σₖ ((θₖ − μₖ)/σₖ)² (constants dropped), ∇ log π = ∇ℓ − (θ − μ)/σ².
/// Sample it with <see cref="Mcmc.Sample{TTarget}"/> (NUTS by default) and map draws to rates with
/// <see cref="ToRates"/>.
/// </summary>
/// <remarks>
/// It lives here, not in <c>Drift.Jumps</c>, because the jump layer sits below the sampling layer: Jumps supplies the
/// likelihood, Sampling the prior and the sampler. Sampling on the log scale keeps every rate positive and makes the
/// posterior close to Gaussian when the data are informative. Chains evaluate the likelihood concurrently (it is
/// thread-safe); for sparse observations each evaluation costs 1 + 2d forward filters (the gradient is by central
/// differences, see <see cref="RateLikelihood"/>).
/// </remarks>
public readonly struct RatePosterior : ILogDensity
{
    private readonly RateLikelihood _likelihood;
    private readonly double[] _mean, _sd;

    /// <summary>The posterior with priors θₖ ~ N(<paramref name="priorMean"/>[k], <paramref name="priorSd"/>[k]²) on ln c.</summary>
    /// <exception cref="ArgumentException">A length differs from the likelihood's dimension, a mean is not finite, or an SD is not finite and positive.</exception>
    public RatePosterior(RateLikelihood likelihood, IReadOnlyList<double> priorMean, IReadOnlyList<double> priorSd)
    {
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(priorMean);
        ArgumentNullException.ThrowIfNull(priorSd);
        int d = likelihood.Dimension;
        if (priorMean.Count != d) throw new ArgumentException($"expected {d} prior means (one per fitted reaction), got {priorMean.Count}.", nameof(priorMean));
        if (priorSd.Count != d) throw new ArgumentException($"expected {d} prior standard deviations (one per fitted reaction), got {priorSd.Count}.", nameof(priorSd));
        for (int k = 0; k < d; k++)
        {
            if (!double.IsFinite(priorMean[k])) throw new ArgumentException($"prior mean {k} of ln c must be finite, got {priorMean[k]}.", nameof(priorMean));
            if (!(priorSd[k] > 0) || !double.IsFinite(priorSd[k])) throw new ArgumentException($"prior standard deviation {k} of ln c must be finite and positive, got {priorSd[k]}.", nameof(priorSd));
        }
        _likelihood = likelihood;
        _mean = [.. priorMean];
        _sd = [.. priorSd];
    }

    /// <summary>The same log-normal prior LogNormal(μ, σ) on every fitted rate.</summary>
    public RatePosterior(RateLikelihood likelihood, double priorMean, double priorSd)
        : this(likelihood ?? throw new ArgumentNullException(nameof(likelihood)), Enumerable.Repeat(priorMean, likelihood.Dimension).ToArray(), Enumerable.Repeat(priorSd, likelihood.Dimension).ToArray())
    {
    }

    /// <summary>The likelihood.</summary>
    public RateLikelihood Likelihood => _likelihood;

    /// <inheritdoc/>
    public int Dimension => _likelihood?.Dimension ?? 0;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        int n = logDensity.Length, d = Dimension;
        Span<double> theta = stackalloc double[d];
        Span<double> g = stackalloc double[d];
        for (int c = 0; c < n; c++)
        {
            for (int k = 0; k < d; k++) theta[k] = x[k * n + c];
            double log = _likelihood.Evaluate(theta, g);
            for (int k = 0; k < d; k++)
            {
                double z = (theta[k] - _mean[k]) / _sd[k];
                log -= 0.5 * z * z;
                gradient[k * n + c] = g[k] - z / _sd[k];
            }
            logDensity[c] = log;
        }
    }

    /// <summary>
    /// Maps a run's draws of θ to rate constants cₖ = e^θₖ under <paramref name="names"/> (rank-normalised R̂ and
    /// bulk/tail ESS are unchanged by this monotone map; means, SDs and their MCSEs are those of c).
    /// </summary>
    public static McmcResult ToRates(McmcResult result, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.MapDraws(names, (theta, rates) =>
        {
            for (int k = 0; k < theta.Length; k++) rates[k] = Math.Exp(theta[k]);
        });
    }
}

using Drift.Sampling.Targets;

namespace Drift.Sampling.Stochastic;

/// <summary>
/// A posterior of the form log π(θ) = log p(θ) + Σᵢ₌₁ᴺ log p(yᵢ ∣ θ): a log prior plus a sum of per-datum
/// log-likelihood terms, for stochastic-gradient MCMC (<see cref="Sgmcmc"/>). The sampler estimates
/// ∇log π(θ) by ∇log p(θ) + (N/|B|) Σ_{i∈B} ∇log p(yᵢ ∣ θ) from a minibatch B drawn without replacement, an unbiased
/// estimate that is exact when |B| = N.
/// </summary>
/// <remarks>
/// Several chains call a target at once from different threads: an implementation with per-call workspace must keep
/// it per thread (<see cref="BayesianMlp"/> keeps a network per thread). Non-finite values are the target's to avoid;
/// the sampler stops a chain with an <see cref="InvalidOperationException"/> when its state stops being finite.
/// </remarks>
public interface IMinibatchLogDensity
{
    /// <summary>The dimension d of θ.</summary>
    int Dimension { get; }

    /// <summary>The number N of data terms (≥ 1).</summary>
    int DataCount { get; }

    /// <summary>Writes ∇log p(θ) into <paramref name="gradient"/> (length d, overwritten) and returns log p(θ).</summary>
    double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient);

    /// <summary>
    /// Writes Σ_{i∈indices} ∇log p(yᵢ ∣ θ) into <paramref name="gradient"/> (length d, overwritten) and returns
    /// Σ_{i∈indices} log p(yᵢ ∣ θ). The indices are distinct, in 0 … N − 1.
    /// </summary>
    double LogLikelihood(ReadOnlySpan<double> theta, ReadOnlySpan<int> indices, Span<double> gradient);
}

/// <summary>
/// An <see cref="ILogDensity"/> seen as a minibatch target with one datum (N = 1, flat prior): every batch is the
/// whole target, so SGLD/SGHMC then run with exact gradients. For analytic targets and for the cyclical schedule
/// on a known multimodal density.
/// </summary>
/// <typeparam name="TTarget">The log-density.</typeparam>
public readonly struct FullGradient<TTarget> : IMinibatchLogDensity where TTarget : struct, ILogDensity
{
    private readonly TTarget _target;

    /// <summary>Wraps <paramref name="target"/>.</summary>
    public FullGradient(TTarget target) => _target = target;

    /// <inheritdoc/>
    public int Dimension => _target.Dimension;

    /// <summary>1: the whole log-density is one term.</summary>
    public int DataCount => 1;

    /// <summary>A flat prior: 0 and a zero gradient.</summary>
    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        gradient.Clear();
        return 0;
    }

    /// <summary>log π(θ) and its gradient (the one index is 0).</summary>
    public double LogLikelihood(ReadOnlySpan<double> theta, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        if (indices.Length == 0) { gradient.Clear(); return 0; }
        Span<double> lp = stackalloc double[1];
        _target.Evaluate(theta, lp, gradient);
        return lp[0];
    }
}

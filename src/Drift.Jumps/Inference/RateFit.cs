namespace Drift.Jumps.Inference;

/// <summary>The result of a rate inference: one <see cref="RateEstimate"/> per fitted reaction and the maximised log-likelihood.</summary>
public sealed class RateFit
{
    internal RateFit(RateEstimate[] estimates, double logLikelihood, double level, int evaluations, bool converged, double truncation)
    {
        Estimates = estimates;
        LogLikelihood = logLikelihood;
        Level = level;
        Evaluations = evaluations;
        Converged = converged;
        Truncation = truncation;
    }

    /// <summary>The estimates, in reaction order (only the fitted reactions).</summary>
    public IReadOnlyList<RateEstimate> Estimates { get; }

    /// <summary>The log-likelihood at the estimates.</summary>
    public double LogLikelihood { get; }

    /// <summary>The confidence level of the intervals (e.g. 0.95).</summary>
    public double Level { get; }

    /// <summary>Likelihood evaluations (1 for the closed form).</summary>
    public int Evaluations { get; }

    /// <summary>Whether the optimiser met its tolerance (always true for the closed form).</summary>
    public bool Converged { get; }

    /// <summary>
    /// For a fit to discrete observations: the largest probability mass lost by the finite state projection over one
    /// observation interval at the estimates (the likelihood is exact up to terms of this size; 0 for the closed form).
    /// </summary>
    public double Truncation { get; }

    /// <summary>The estimate of reaction <paramref name="reaction"/>.</summary>
    /// <exception cref="ArgumentException">The reaction was not fitted.</exception>
    public RateEstimate For(int reaction)
    {
        foreach (var e in Estimates)
            if (e.Reaction == reaction) return e;
        throw new ArgumentException($"reaction {reaction} was not fitted.", nameof(reaction));
    }
}

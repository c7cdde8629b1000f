namespace Drift.Jumps.Inference;

/// <summary>
/// The estimate of one stochastic rate constant cⱼ with its standard error and a confidence interval
/// [<see cref="Lower"/>, <see cref="Upper"/>] at the fit's <see cref="RateFit.Level"/>.
/// </summary>
/// <param name="Reaction">Index of the reaction in <see cref="Networks.ReactionNetwork.Reactions"/>.</param>
/// <param name="Estimate">The maximum-likelihood estimate ĉⱼ (per unit time, the <c>.rn</c> semantics of docs/jumps.md).</param>
/// <param name="StandardError">The asymptotic standard error of ĉⱼ from the (observed) Fisher information.</param>
/// <param name="Lower">Lower end of the confidence interval.</param>
/// <param name="Upper">Upper end of the confidence interval.</param>
public readonly record struct RateEstimate(int Reaction, double Estimate, double StandardError, double Lower, double Upper)
{
    /// <summary>Whether <paramref name="rate"/> lies in [<see cref="Lower"/>, <see cref="Upper"/>].</summary>
    public bool Covers(double rate) => rate >= Lower && rate <= Upper;
}

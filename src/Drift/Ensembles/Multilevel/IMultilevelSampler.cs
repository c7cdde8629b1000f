namespace Drift.Ensembles.Multilevel;

/// <summary>
/// One level of a multilevel Monte Carlo estimator: sample s of level ℓ gives the fine payoff P_ℓ and the coarse payoff
/// P_{ℓ−1} computed on the same Brownian path (the coarse path takes the sums of the fine increments), so that
/// Y_ℓ = P_ℓ − P_{ℓ−1} has small variance. Level 0 gives coarse = 0. Implemented by structs so the driver specialises;
/// samples come in blocks so that a sampler can vectorise across paths.
/// </summary>
/// <remarks>A sample must be a pure function of (level, sample index): draw its normals from Philox keyed by them, so that
/// the estimate is bit-identical whatever the thread count or block boundaries.</remarks>
public interface IMultilevelSampler
{
    /// <summary>Doubles of scratch a block of <paramref name="count"/> samples of <paramref name="level"/> needs.</summary>
    int ScratchLength(int level, int count);

    /// <summary>Path steps one sample of <paramref name="level"/> costs (fine and coarse together): the cost model C_ℓ.</summary>
    double Cost(int level);

    /// <summary>
    /// Path steps of the fine path alone on <paramref name="level"/>: what one plain Monte Carlo sample at that
    /// resolution costs. Defaults to 2^ℓ (one step on level 0, halved step per level).
    /// </summary>
    double FineCost(int level) => Math.Pow(2, level);

    /// <summary>Computes samples firstSample .. firstSample + fine.Length − 1 of <paramref name="level"/>.</summary>
    void Sample(int level, long firstSample, Span<double> scratch, Span<double> fine, Span<double> coarse);
}

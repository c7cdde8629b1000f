namespace Drift.Ensembles.Multilevel;

/// <summary>
/// One level of a multilevel Monte Carlo estimator: sample s of level ℓ returns the fine payoff P_ℓ and the coarse payoff
/// P_{ℓ−1} computed on the same Brownian path (the coarse path takes the sums of the fine increments), so that
/// Y_ℓ = P_ℓ − P_{ℓ−1} has small variance. Level 0 returns coarse = 0. Implemented by structs so the driver specialises.
/// </summary>
/// <remarks>A sample must be a pure function of (level, sample index): draw its normals from Philox keyed by them, so that
/// the estimate is bit-identical whatever the thread count or batch sizes.</remarks>
public interface IMultilevelSampler
{
    /// <summary>Doubles of scratch one sample of <paramref name="level"/> needs.</summary>
    int ScratchLength(int level);

    /// <summary>Path steps one sample of <paramref name="level"/> costs (fine and coarse together): the cost model C_ℓ.</summary>
    double Cost(int level);

    /// <summary>Computes sample <paramref name="sample"/> of <paramref name="level"/>.</summary>
    void Sample(int level, long sample, Span<double> scratch, out double fine, out double coarse);
}

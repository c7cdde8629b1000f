using Drift.Random;
using Drift.Sampling.Diagnostics;

namespace Drift.Sampling.Tests;

/// <summary>
/// Rank histograms (Vehtari et al. 2021): with four chains of independent N(0, 1) draws every chain's ranks are uniform,
/// so Pearson's χ² on (4 − 1)(20 − 1) = 57 degrees of freedom stays below its 0.999 quantile 95.75 (scipy); a fourth
/// chain shifted by one standard deviation (a chain stuck in another mode) piles its ranks into the upper bins and the
/// same χ² is far above it. Independent draws, so the χ² law holds exactly (autocorrelated chains would inflate it).
/// </summary>
public class RankHistogramTests(ITestOutputHelper output)
{
    private const double Chi2Quantile999Df57 = 95.75095383248956;

    private static double[][] Chains(double shiftOfLast, ulong seed)
    {
        var chains = new double[4][];
        for (int m = 0; m < 4; m++)
        {
            chains[m] = new double[1000];
            var draws = new StepDraws(seed, (ulong)m, 0);
            for (int i = 0; i < chains[m].Length; i++) chains[m][i] = draws.NextNormal() + (m == 3 ? shiftOfLast : 0);
        }
        return chains;
    }

    [Fact]
    public void Counts_sum_per_chain_and_per_bin_and_ties_share_their_average_rank()
    {
        var counts = RankHistogram.Counts(Chains(0, 1), 20);
        Assert.All(counts, row => Assert.Equal(1000, row.Sum()));
        for (int b = 0; b < 20; b++) Assert.Equal(200, counts.Sum(row => row[b])); // 4000 ranks, 200 per bin
        // Two chains of one repeated value: every draw has rank 2.5 of 4, bin ⌊1.5·2/4⌋ = 0.
        var tied = RankHistogram.Counts([[7.0, 7.0], [7.0, 7.0]], 2);
        Assert.Equal([2, 0], tied[0]);
        Assert.Throws<ArgumentException>(() => RankHistogram.Counts([[1.0, double.NaN], [0.0, 2.0]], 2));
    }

    [Fact]
    public void Well_mixed_chains_pass_the_chi_square_test_and_a_shifted_chain_fails_it()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var (mixed, df) = RankHistogram.ChiSquare(RankHistogram.Counts(Chains(0, seed), 20));
            var (stuck, _) = RankHistogram.ChiSquare(RankHistogram.Counts(Chains(1.0, seed), 20));
            output.WriteLine($"seed {seed}: chi2 mixed {mixed:F1}, shifted chain {stuck:F1} on {df} df (0.999 quantile {Chi2Quantile999Df57:F2})");
            Assert.Equal(57, df);
            Assert.True(mixed < Chi2Quantile999Df57, $"well-mixed chains: chi2 {mixed:F1}");
            Assert.True(stuck > 3 * Chi2Quantile999Df57, $"a shifted chain must be detected: chi2 {stuck:F1}");
        }
    }
}

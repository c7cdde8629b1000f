namespace Drift.Sampling.Diagnostics;

/// <summary>
/// Rank histograms per chain (Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner 2021, §2.2 "rank plots"): every draw of
/// every chain is ranked among all S = M·N pooled draws (ties get their average rank, as in <see cref="Convergence"/>),
/// and each chain's ranks are counted in B equal bins of 1..S. If the chains sample the same law, each chain's ranks
/// are uniform on 1..S and every bin of every chain expects N/B draws; a chain stuck in another region puts its
/// ranks in a few bins.
/// </summary>
public static class RankHistogram
{
    /// <summary>
    /// counts[m][b]: how many draws of chain m have a rank r (1-based, ties averaged) with ⌊(r − 1)·B/S⌋ = b. Each chain's
    /// counts sum to N; each bin's counts over chains sum to about S/B (exactly when B divides S and there are no ties).
    /// </summary>
    /// <param name="chains">One array of draws per chain, all of length N ≥ 1, finite.</param>
    /// <param name="bins">B ≥ 1.</param>
    /// <exception cref="ArgumentException">No chains, unequal lengths, a non-finite draw, or B &lt; 1.</exception>
    public static int[][] Counts(IReadOnlyList<double[]> chains, int bins)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "at least one bin is needed.");
        if (chains.Count == 0 || chains[0].Length == 0) throw new ArgumentException("at least one chain with one draw is needed.", nameof(chains));
        int n = chains[0].Length;
        foreach (var c in chains)
        {
            if (c.Length != n) throw new ArgumentException($"chains have different lengths ({n} and {c.Length}).", nameof(chains));
            foreach (double x in c) if (!double.IsFinite(x)) throw new ArgumentException($"a draw is {x}; ranks need finite draws.", nameof(chains));
        }
        var ranks = Convergence.Ranks(chains);
        int s = n * chains.Count;
        var counts = new int[chains.Count][];
        for (int m = 0; m < chains.Count; m++)
        {
            counts[m] = new int[bins];
            for (int i = 0; i < n; i++)
            {
                int b = (int)Math.Floor((ranks[m][i] - 1) * bins / s);
                counts[m][Math.Clamp(b, 0, bins - 1)]++;
            }
        }
        return counts;
    }

    /// <summary>
    /// Pearson's χ² of uniformity of the counts, Σₘ Σ_b (O − N/B)²/(N/B), with (M − 1)(B − 1) degrees of freedom when
    /// the pooled ranks fill the bins evenly (a contingency table whose bin totals are fixed by the ranking; M(B − 1)
    /// for one chain is not offered: one chain's ranks are uniform by construction). Only independent draws give the
    /// χ² law; autocorrelated chains inflate it by about their integrated autocorrelation time, so thin first or read it
    /// as a measure, not a test.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two chains or rows of different lengths.</exception>
    public static (double Statistic, int DegreesOfFreedom) ChiSquare(int[][] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length < 2) throw new ArgumentException("a uniformity test across chains needs at least two chains.", nameof(counts));
        int bins = counts[0].Length;
        double stat = 0;
        foreach (var row in counts)
        {
            if (row.Length != bins) throw new ArgumentException("every chain needs the same number of bins.", nameof(counts));
            double expected = (double)row.Sum() / bins;
            foreach (int o in row) stat += (o - expected) * (o - expected) / expected;
        }
        return (stat, (counts.Length - 1) * (bins - 1));
    }
}

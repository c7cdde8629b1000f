namespace Drift.Sampling.Diagnostics;

/// <summary>
/// One row of a posterior summary, as Stan's and ArviZ's: mean, standard deviation, 5/50/95% quantiles (type 7),
/// MCSE of the mean and of the 5% and 95% quantiles, bulk- and tail-ESS and rank-normalised split-R̂
/// (see <see cref="Convergence"/>).
/// </summary>
public sealed record ParameterSummary(
    string Name, double Mean, double StandardDeviation, double Q5, double Median, double Q95,
    double McseMean, double McseQ5, double McseQ95, double EssBulk, double EssTail, double Rhat)
{
    /// <summary>Summarises one parameter's draws (one array per chain).</summary>
    /// <remarks>The same statistics as <see cref="Convergence"/>'s functions, computed once each: the split chains, their
    /// rank normalisation (bulk R̂ and bulk-ESS), the sorted pools (quantiles) and the quantile ESS (tail-ESS and the
    /// quantile MCSE) are shared instead of recomputed per statistic.</remarks>
    public static ParameterSummary Of(string name, IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        var sorted = Convergence.Pool(chains);
        double mean = Convergence.Mean(sorted);
        double sd = sorted.Length > 1 ? Math.Sqrt(Convergence.Variance(sorted, mean)) : double.NaN;
        Array.Sort(sorted);
        double q5 = Convergence.SortedQuantile(sorted, 0.05), median = Convergence.SortedQuantile(sorted, 0.5), q95 = Convergence.SortedQuantile(sorted, 0.95);
        if (!Convergence.Usable(chains))
            return new ParameterSummary(name, mean, sd, q5, median, q95, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var split = Convergence.Split(chains);
        var splitSorted = chains[0].Length % 2 == 0 ? sorted : Sorted(Convergence.Pool(split));
        var z = Convergence.RankNormalise(split);
        double ess5 = Convergence.QuantileEss(split, Convergence.SortedQuantile(splitSorted, 0.05));
        double ess95 = Convergence.QuantileEss(split, Convergence.SortedQuantile(splitSorted, 0.95));
        double tailEss = double.IsNaN(ess5) || double.IsNaN(ess95) ? double.NaN : Math.Min(ess5, ess95);
        return new ParameterSummary(name, mean, sd, q5, median, q95,
            sd / Math.Sqrt(Convergence.Ess(split)),
            Convergence.McseQuantile(sorted, ess5, 0.05), Convergence.McseQuantile(sorted, ess95, 0.95),
            Convergence.Ess(z), tailEss, Convergence.Rhat(split, z, Convergence.SortedQuantile(splitSorted, 0.5)));
    }

    private static double[] Sorted(double[] x)
    {
        Array.Sort(x);
        return x;
    }
}

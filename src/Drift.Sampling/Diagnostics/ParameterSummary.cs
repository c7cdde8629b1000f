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
    public static ParameterSummary Of(string name, IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        var all = Convergence.Pool(chains);
        double mean = Convergence.Mean(all);
        return new ParameterSummary(name, mean, all.Length > 1 ? Math.Sqrt(Convergence.Variance(all, mean)) : double.NaN,
            Convergence.Quantile(all, 0.05), Convergence.Quantile(all, 0.5), Convergence.Quantile(all, 0.95),
            Convergence.McseMean(chains), Convergence.McseQuantile(chains, 0.05), Convergence.McseQuantile(chains, 0.95),
            Convergence.BulkEss(chains), Convergence.TailEss(chains), Convergence.Rhat(chains));
    }
}

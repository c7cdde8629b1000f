namespace Drift.Sampling.Diagnostics;

/// <summary>
/// One parameter's summary from R independent runs that each end in a weighted particle set (tempered SMC, consensus-based
/// sampling): the columns of <see cref="ParameterSummary"/> that mean something without a time series.
/// </summary>
/// <remarks>
/// <para>Run k holds particles xₖ,ₚ with normalised weights wₖ,ₚ (Σₚ wₖ,ₚ = 1). Pooled over runs with weights wₖ,ₚ/R:
/// the mean, the standard deviation √(Σ w (x − mean)²), and the weighted quantiles (the smallest x whose cumulative weight
/// reaches q).</para>
/// <para><see cref="McseMean"/>: the standard error of the mean from the runs' spread, sd(m₁ … m_R)/√R with mₖ = Σₚ wₖ,ₚ xₖ,ₚ
/// (divisor R − 1); it needs no assumption about how the particles of one run are correlated.</para>
/// <para><see cref="Ess"/>: Kish's effective size of the weighted particles, Σₖ 1/Σₚ wₖ,ₚ², summed over runs. It counts
/// weight degeneracy only: particles that are correlated (duplicates after resampling, a shared consensus) make it an
/// upper bound, which sd²/<see cref="McseMean"/>² checks.</para>
/// <para><see cref="Rhat"/>: the Gelman–Rubin ratio across runs (not split, not rank-normalised: the particles of a run are
/// not a time series) with n the runs' mean Kish size n̄, W the mean within-run weighted variance and B the variance of
/// the run means: R̂ = √(((n̄ − 1)/n̄ · W + B)/W). Independent runs of n̄ independent particles give B ≈ W/n̄ and R̂ ≈ 1;
/// runs that disagree (a missed mode, too few moves) give B ≫ W/n̄. NaN with fewer than two runs.</para>
/// </remarks>
public sealed record WeightedRunSummary(
    string Name, double Mean, double StandardDeviation, double Q5, double Median, double Q95, double McseMean, double Ess, double Rhat)
{
    /// <summary>Summarises one parameter: <paramref name="values"/>[k] and <paramref name="weights"/>[k] are run k's particles and normalised weights.</summary>
    /// <exception cref="ArgumentException">No runs, a run without particles, lengths that differ, or weights that are negative, non-finite or do not sum to 1.</exception>
    public static WeightedRunSummary Of(string name, IReadOnlyList<double[]> values, IReadOnlyList<double[]> weights)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(weights);
        int runs = values.Count;
        if (runs == 0) throw new ArgumentException("at least one run is needed.", nameof(values));
        if (weights.Count != runs) throw new ArgumentException($"{weights.Count} weight sets for {runs} runs.", nameof(weights));
        var pooled = new List<(double X, double W)>();
        var means = new double[runs];
        var variances = new double[runs];
        double kish = 0;
        for (int k = 0; k < runs; k++)
        {
            double[] x = values[k], w = weights[k];
            if (x.Length == 0 || x.Length != w.Length) throw new ArgumentException($"run {k}: {x.Length} particles and {w.Length} weights.", nameof(weights));
            double sum = 0, squares = 0, mean = 0;
            for (int p = 0; p < x.Length; p++)
            {
                if (!(w[p] >= 0) || !double.IsFinite(w[p])) throw new ArgumentException($"run {k}: weight {p} is {w[p]}.", nameof(weights));
                sum += w[p];
                squares += w[p] * w[p];
                mean += w[p] * x[p];
                pooled.Add((x[p], w[p] / runs));
            }
            if (Math.Abs(sum - 1) > 1e-9) throw new ArgumentException($"run {k}: the weights sum to {sum}, not 1.", nameof(weights));
            means[k] = mean;
            for (int p = 0; p < x.Length; p++) variances[k] += w[p] * (x[p] - mean) * (x[p] - mean);
            kish += 1 / squares;
        }
        double total = pooled.Sum(v => v.W * v.X);
        double sd = Math.Sqrt(pooled.Sum(v => v.W * (v.X - total) * (v.X - total)));
        pooled.Sort((a, b) => a.X.CompareTo(b.X));
        double mcse = double.NaN, rhat = double.NaN;
        if (runs >= 2)
        {
            double centre = means.Average(), spread = means.Sum(m => (m - centre) * (m - centre)) / (runs - 1);
            mcse = Math.Sqrt(spread / runs);
            double within = variances.Average(), n = kish / runs;
            if (within > 0) rhat = Math.Sqrt(((n - 1) / n * within + spread) / within);
        }
        return new WeightedRunSummary(name, total, sd, Quantile(pooled, 0.05), Quantile(pooled, 0.5), Quantile(pooled, 0.95), mcse, kish, rhat);
    }

    /// <summary>The smallest x whose cumulative weight reaches q.</summary>
    private static double Quantile(List<(double X, double W)> sorted, double q)
    {
        double cumulative = 0;
        foreach (var (x, w) in sorted)
        {
            cumulative += w;
            if (cumulative >= q) return x;
        }
        return sorted[^1].X;
    }
}

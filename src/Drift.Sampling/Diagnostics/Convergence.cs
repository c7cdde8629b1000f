using System.Runtime.CompilerServices;

namespace Drift.Sampling.Diagnostics;

/// <summary>
/// Convergence and efficiency diagnostics of Vehtari, Gelman, Simpson, Carpenter &amp; Bürkner (2021),
/// "Rank-normalization, folding, and localization: an improved R̂ for assessing convergence of MCMC", Bayesian
/// Analysis 16(2). Input: one array of draws per chain (equal lengths). Every statistic is NaN when it is undefined
/// (fewer than 4 draws per chain, constant draws, non-finite draws).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Split chains: each chain of N draws becomes its first ⌊N/2⌋ and last ⌊N/2⌋ draws (the middle draw of an odd
/// chain is dropped).</item>
/// <item>Rank normalisation: z = Φ⁻¹((r − 3/8)/(S − 1/4)) with r the rank among all S pooled draws, ties given their
/// average rank (the paper's eq. 14).</item>
/// <item>R̂ of M chains of N draws: W = mean within-chain variance, B/N = variance of the chain means,
/// var⁺ = (N − 1)/N · W + B/N, R̂ = √(var⁺/W). Reported R̂ = max(bulk R̂ of the rank-normalised split chains,
/// tail R̂ of the rank-normalised split chains folded about the pooled median, |θ − med|).</item>
/// <item>ESS = MN/τ̂, τ̂ = −1 + 2 Σ ρ̂ₜ over Geyer's initial monotone sequence of paired autocorrelations, with
/// ρ̂ₜ = 1 − (W − mean_m γ̂ₘ(t))/var⁺ (γ̂ₘ the biased autocovariance of chain m) and the improved truncation and floor
/// τ̂ ≥ 1/log₁₀(MN) as in ArviZ's <c>_ess</c> / posterior's <c>ess_rfun</c>. Bulk-ESS: of the rank-normalised split chains;
/// tail-ESS: min of the quantile ESS at 5% and 95%; quantile ESS: of the split indicator I(θ ≤ q̂ₚ).</item>
/// <item>MCSE of the mean: sd/√ESS_mean (ESS of the split, untransformed draws). MCSE of a quantile: with
/// a, b the Φ(−1), Φ(1) quantiles of Beta(ESSₚ p + 1, ESSₚ(1 − p) + 1) and θ₍ₖ₎ the sorted draws,
/// (θ₍⌈bS⌉₎ − θ₍max(⌊aS⌋, 1)₎)/2 (the paper's §4.3).</item>
/// </list>
/// A numpy implementation written separately from the paper (bench/compare/diagnostics_reference.py) produces the
/// fixtures the tests compare against to 1e-8.
/// </remarks>
public static class Convergence
{
    private const double PhiMinusOne = 0.15865525393145707, PhiPlusOne = 0.8413447460685429;

    /// <summary>The rank-normalised split-R̂: max of bulk and tail R̂.</summary>
    public static double Rhat(IReadOnlyList<double[]> chains)
    {
        if (!Usable(chains)) return double.NaN;
        var split = Split(chains);
        return Rhat(split, RankNormalise(split), Quantile(Pool(split), 0.5));
    }

    /// <summary>R̂ from the split chains, their rank normalisation and their pooled median.</summary>
    internal static double Rhat(double[][] split, double[][] rankNormalised, double median)
    {
        double bulk = PlainRhat(rankNormalised);
        var folded = new double[split.Length][];
        for (int m = 0; m < split.Length; m++)
        {
            folded[m] = new double[split[m].Length];
            for (int i = 0; i < folded[m].Length; i++) folded[m][i] = Math.Abs(split[m][i] - median);
        }
        double tail = PlainRhat(RankNormalise(folded));
        return double.IsNaN(bulk) || double.IsNaN(tail) ? double.NaN : Math.Max(bulk, tail);
    }

    /// <summary>Bulk-ESS: ESS of the rank-normalised split chains.</summary>
    public static double BulkEss(IReadOnlyList<double[]> chains) => Usable(chains) ? Ess(RankNormalise(Split(chains))) : double.NaN;

    /// <summary>Tail-ESS: the smaller quantile ESS at 5% and 95%.</summary>
    public static double TailEss(IReadOnlyList<double[]> chains)
    {
        double a = QuantileEss(chains, 0.05), b = QuantileEss(chains, 0.95);
        return double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b);
    }

    /// <summary>
    /// Why <see cref="TailEss"/> is NaN, in words, or null when it is defined. Tail-ESS is the ESS of the indicator
    /// I(θ ≤ q̂ₚ) at p = 5% and 95%; it is undefined (NaN here, NA in the R package posterior and NaN in ArviZ, which
    /// compute it the same way) when there are fewer than 4 draws per chain, a draw is not finite, or the indicator is
    /// constant — which happens when q̂ₚ is the smallest or largest draw and ties make every draw fall on one side:
    /// with S pooled draws, the 95% quantile (type 7) equals the largest value once ⌈0.05(S − 1)⌉ + 1 or more draws
    /// share it (a chain that repeated a value, e.g. rejected transitions in a short run).
    /// </summary>
    public static string? TailEssUndefinedReason(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0 || chains[0].Length < 4) return $"fewer than 4 draws per chain ({(chains.Count == 0 ? 0 : chains[0].Length)})";
        if (!Usable(chains)) return "a draw is not finite";
        var split = Split(chains);
        var sorted = Pool(split);
        Array.Sort(sorted);
        foreach (double p in (ReadOnlySpan<double>)[0.05, 0.95])
        {
            double q = SortedQuantile(sorted, p);
            int below = 0;
            foreach (double x in sorted) if (x <= q) below++;
            if (below == 0 || below == sorted.Length)
            {
                if (sorted[0] == sorted[^1]) return $"all {sorted.Length} draws are equal ({q:G6})";
                double edge = p < 0.5 ? sorted[0] : sorted[^1];
                int ties = sorted.Count(x => x == edge);
                return $"{ties} of {sorted.Length} draws tie at the {(p < 0.5 ? "smallest" : "largest")} value {edge:G6}, which is also the {p * 100:0}% quantile, " +
                    "so every draw is on one side of it (a chain repeated a value; run longer)";
            }
        }
        return double.IsNaN(TailEss(chains)) ? "the quantile indicators have no variance" : null;
    }

    /// <summary>ESS for the mean: ESS of the split chains, untransformed.</summary>
    public static double MeanEss(IReadOnlyList<double[]> chains) => Usable(chains) ? Ess(Split(chains)) : double.NaN;

    /// <summary>ESS of the p-quantile: ESS of the split indicator chains I(θ ≤ q̂ₚ), q̂ₚ the pooled quantile.</summary>
    public static double QuantileEss(IReadOnlyList<double[]> chains, double p)
    {
        if (!Usable(chains)) return double.NaN;
        var split = Split(chains);
        return QuantileEss(split, Quantile(Pool(split), p));
    }

    /// <summary>ESS of the split indicator chains I(θ ≤ q).</summary>
    internal static double QuantileEss(double[][] split, double q)
    {
        var indicator = new double[split.Length][];
        for (int m = 0; m < split.Length; m++)
        {
            indicator[m] = new double[split[m].Length];
            for (int i = 0; i < indicator[m].Length; i++) indicator[m][i] = split[m][i] <= q ? 1.0 : 0.0;
        }
        return Ess(indicator);
    }

    /// <summary>Monte Carlo standard error of the mean: sd/√ESS_mean.</summary>
    public static double McseMean(IReadOnlyList<double[]> chains)
    {
        if (!Usable(chains)) return double.NaN;
        var all = Pool(chains);
        return StandardDeviation(all) / Math.Sqrt(MeanEss(chains));
    }

    /// <summary>Monte Carlo standard error of the p-quantile (Vehtari et al. 2021, §4.3).</summary>
    public static double McseQuantile(IReadOnlyList<double[]> chains, double p)
    {
        double ess = QuantileEss(chains, p);
        if (double.IsNaN(ess)) return double.NaN;
        var sorted = Pool(chains);
        Array.Sort(sorted);
        return McseQuantile(sorted, ess, p);
    }

    /// <summary>The quantile MCSE from the sorted pooled draws and the quantile's ESS.</summary>
    internal static double McseQuantile(double[] sorted, double ess, double p)
    {
        if (double.IsNaN(ess)) return double.NaN;
        int s = sorted.Length;
        double a = SpecialFunctions.BetaQuantile(PhiMinusOne, ess * p + 1, ess * (1 - p) + 1);
        double b = SpecialFunctions.BetaQuantile(PhiPlusOne, ess * p + 1, ess * (1 - p) + 1);
        int lo = Math.Max((int)Math.Floor(a * s), 1), hi = Math.Min((int)Math.Ceiling(b * s), s);
        return (sorted[hi - 1] - sorted[lo - 1]) / 2;
    }

    /// <summary>The p-quantile of pooled draws with linear interpolation between order statistics (R type 7, numpy's default).</summary>
    public static double Quantile(ReadOnlySpan<double> values, double p)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return SortedQuantile(sorted, p);
    }

    /// <summary><see cref="Quantile"/> of values already sorted ascending.</summary>
    internal static double SortedQuantile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    // ---------------------------------------------------------------- building blocks

    internal static bool Usable(IReadOnlyList<double[]> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0 || chains[0].Length < 4) return false;
        int n = chains[0].Length;
        foreach (var c in chains)
        {
            if (c.Length != n) throw new ArgumentException($"chains have different lengths ({n} and {c.Length}).", nameof(chains));
            foreach (double x in c) if (!double.IsFinite(x)) return false;
        }
        return true;
    }

    internal static double[][] Split(IReadOnlyList<double[]> chains)
    {
        int n = chains[0].Length, half = n / 2;
        var split = new double[2 * chains.Count][];
        for (int m = 0; m < chains.Count; m++)
        {
            split[2 * m] = chains[m][..half];
            split[2 * m + 1] = chains[m][(n - half)..];
        }
        return split;
    }

    internal static double[] Pool(IReadOnlyList<double[]> chains) => chains.SelectMany(c => c).ToArray();

    /// <summary>z = Φ⁻¹((r − 3/8)/(S − 1/4)) with average ranks for ties.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[][] RankNormalise(IReadOnlyList<double[]> chains)
    {
        var result = Ranks(chains);
        int s = result.Sum(c => c.Length);
        foreach (var r in result)
            for (int i = 0; i < r.Length; i++) r[i] = SpecialFunctions.NormalQuantile((r[i] - 0.375) / (s + 0.25));
        return result;
    }

    /// <summary>The 1-based rank of every draw among all pooled draws, ties given their average rank, one array per chain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double[][] Ranks(IReadOnlyList<double[]> chains)
    {
        var all = Pool(chains);
        int s = all.Length;
        var order = Enumerable.Range(0, s).ToArray();
        Array.Sort(all.ToArray(), order);
        var rank = new double[s];
        for (int i = 0; i < s;)
        {
            int j = i;
            while (j + 1 < s && all[order[j + 1]] == all[order[i]]) j++;
            double r = 0.5 * (i + j) + 1; // average 1-based rank of positions i..j
            for (int k = i; k <= j; k++) rank[order[k]] = r;
            i = j + 1;
        }
        var result = new double[chains.Count][];
        int offset = 0;
        for (int m = 0; m < chains.Count; m++)
        {
            int n = chains[m].Length;
            result[m] = rank.AsSpan(offset, n).ToArray();
            offset += n;
        }
        return result;
    }

    /// <summary>Classic R̂ = √(var⁺/W) of the given chains (no splitting or transformation).</summary>
    internal static double PlainRhat(IReadOnlyList<double[]> chains)
    {
        int m = chains.Count, n = chains[0].Length;
        var means = chains.Select(Mean).ToArray();
        double w = chains.Select((c, i) => Variance(c, means[i])).Average();
        double bOverN = m > 1 ? Variance(means, Mean(means)) : 0;
        double varPlus = (n - 1.0) / n * w + bOverN;
        return w > 0 ? Math.Sqrt(varPlus / w) : double.NaN;
    }

    /// <summary>Geyer-initial-monotone-sequence ESS of the given chains (no splitting or transformation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Ess(IReadOnlyList<double[]> chains)
    {
        int m = chains.Count, n = chains[0].Length;
        var means = chains.Select(Mean).ToArray();
        // Biased autocovariance γ̂ₘ(t) = (1/N) Σᵢ (xᵢ − x̄)(xᵢ₊ₜ − x̄), averaged over chains, computed lag by lag as needed.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        double MeanAcov(int t)
        {
            double total = 0;
            for (int k = 0; k < m; k++)
            {
                var c = chains[k];
                double mu = means[k], s = 0;
                for (int i = 0; i + t < n; i++) s += (c[i] - mu) * (c[i + t] - mu);
                total += s / n;
            }
            return total / m;
        }
        double acov0 = MeanAcov(0);
        double meanVar = acov0 * n / (n - 1.0);
        double varPlus = meanVar * (n - 1.0) / n + (m > 1 ? Variance(means, Mean(means)) : 0);
        if (!(varPlus > 0)) return double.NaN;
        double Rho(int t) => 1 - (meanVar - MeanAcov(t)) / varPlus;

        var rho = new double[n];
        double even = 1, odd = Rho(1);
        rho[0] = even;
        rho[1] = odd;
        int t = 1;
        while (t < n - 3 && even + odd > 0)
        {
            even = Rho(t + 1);
            odd = Rho(t + 2);
            if (even + odd >= 0)
            {
                rho[t + 1] = even;
                rho[t + 2] = odd;
            }
            t += 2;
        }
        int maxT = t - 2;
        if (even > 0) rho[maxT + 1] = even;
        for (t = 1; t <= maxT - 2; t += 2)
        {
            if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t])
            {
                rho[t + 1] = 0.5 * (rho[t - 1] + rho[t]);
                rho[t + 2] = rho[t + 1];
            }
        }
        double sum = 0;
        for (int i = 0; i <= maxT; i++) sum += rho[i];
        double tau = -1 + 2 * sum + rho[maxT + 1];
        double draws = (double)m * n;
        tau = Math.Max(tau, 1 / Math.Log10(draws));
        return draws / tau;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Mean(double[] x)
    {
        double s = 0;
        foreach (double v in x) s += v;
        return s / x.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Variance(double[] x, double mean)
    {
        double s = 0;
        foreach (double v in x) s += (v - mean) * (v - mean);
        return s / (x.Length - 1);
    }

    internal static double StandardDeviation(double[] x) => Math.Sqrt(Variance(x, Mean(x)));
}

using Drift.Solve;

namespace Drift.Ensembles.Multilevel;

/// <summary>
/// Giles' multilevel Monte Carlo (Operations Research 56, 2008; Acta Numerica 24, 2015, Algorithm 1) for E[P] with P a
/// functional of an SDE path: E[P_L] = E[P₀] + Σ_{ℓ=1}^{L} E[P_ℓ − P_{ℓ−1}], level ℓ using step T/2^ℓ and the
/// difference P_ℓ − P_{ℓ−1} taken on one Brownian path (an <see cref="IMultilevelSampler"/>).
/// </summary>
/// <remarks>
/// <para>The algorithm: start with levels 0..L_min and N₀ pilot samples each; estimate the level means m_ℓ and variances
/// V_ℓ (floored at ½m_{ℓ−1}2^{−α} and ½V_{ℓ−1}2^{−β} from ℓ = 2 on, as Giles' code does); fit α, β, γ by least squares
/// on ℓ ≥ 1; choose N_ℓ = ⌈√(V_ℓ/C_ℓ) Σ_k √(V_k C_k) / ((1 − θ)ε²)⌉, which minimises the cost Σ N_ℓC_ℓ subject to the
/// variance Σ V_ℓ/N_ℓ ≤ (1 − θ)ε²; run the missing samples; when no level needs more than 1% more, estimate the
/// remaining bias max_{i=0,1,2} m_{L−i} 2^{−iα}/(2^α − 1) and add a level while it exceeds √θ ε. The mean-square error
/// is then about ε². Complexity theorem (Giles 2015, Thm 1): cost O(ε⁻²) for β &gt; γ, O(ε⁻²(log ε)²) for β = γ,
/// O(ε^{−2−(γ−β)/α}) for β &lt; γ; plain Monte Carlo costs O(ε^{−2−γ/α}).</para>
/// <para>Samples are computed in fixed blocks of absolute sample indices and summed in block order, so the result is
/// bit-identical for any thread count.</para>
/// </remarks>
public static class MultilevelMonteCarlo
{
    private const int Block = 4096;
    private const int Chunk = 256;

    /// <summary>Estimates E[P] to root-mean-square error <see cref="MultilevelOptions.TargetRmse"/>.</summary>
    /// <exception cref="ArgumentException">Bad options.</exception>
    /// <exception cref="ArithmeticException">A sample returned NaN or infinity (the level and sample are named).</exception>
    /// <exception cref="OperationCanceledException"><see cref="MultilevelOptions.CancellationToken"/> fired.</exception>
    public static MultilevelResult Estimate<TSampler>(TSampler sampler, MultilevelOptions options)
        where TSampler : struct, IMultilevelSampler
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double eps = options.TargetRmse, theta = options.BiasShare;
        int maxLevels = options.MaxLevel + 1;
        var n = new long[maxLevels];
        var sumY = new double[maxLevels];
        var sumY2 = new double[maxLevels];
        var sumP = new double[maxLevels];
        var sumP2 = new double[maxLevels];
        var cost = new double[maxLevels];
        var dn = new long[maxLevels];
        var m = new double[maxLevels];
        var v = new double[maxLevels];
        int levels = options.MinLevel + 1;
        for (int l = 0; l < levels; l++) { dn[l] = options.InitialSamples; cost[l] = sampler.Cost(l); }
        double alpha = options.Alpha ?? 0, beta = options.Beta ?? 0, gamma = 0, bias = 0;
        bool converged = true;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads, CancellationToken = options.CancellationToken };
        while (Sum(dn, levels) > 0)
        {
            for (int l = 0; l < levels; l++)
                if (dn[l] > 0)
                {
                    var (y, y2, p, p2) = Run(sampler, l, n[l], n[l] + dn[l], parallel);
                    sumY[l] += y; sumY2[l] += y2; sumP[l] += p; sumP2[l] += p2;
                    n[l] += dn[l];
                    dn[l] = 0;
                }
            for (int l = 0; l < levels; l++)
            {
                m[l] = Math.Abs(sumY[l] / n[l]);
                v[l] = Math.Max(0, sumY2[l] / n[l] - m[l] * m[l]);
            }
            (alpha, beta, gamma) = Rates(m, v, cost, levels, options);
            for (int l = 2; l < levels; l++)
            {
                m[l] = Math.Max(m[l], 0.5 * m[l - 1] / Math.Pow(2, alpha));
                v[l] = Math.Max(v[l], 0.5 * v[l - 1] / Math.Pow(2, beta));
            }
            Allocate(v, cost, n, dn, levels, (1 - theta) * eps * eps);
            bool settled = true;
            for (int l = 0; l < levels; l++) if (dn[l] > 0.01 * n[l]) settled = false;
            if (settled)
            {
                bias = Bias(m, levels, alpha);
                if (bias > Math.Sqrt(theta) * eps)
                {
                    if (levels == maxLevels) { converged = false; break; }
                    // A new level: its variance and cost extrapolated until its pilot samples arrive.
                    v[levels] = v[levels - 1] / Math.Pow(2, beta);
                    cost[levels] = sampler.Cost(levels);
                    n[levels] = 0;
                    levels++;
                    Allocate(v, cost, n, dn, levels, (1 - theta) * eps * eps);
                    if (dn[levels - 1] < 2) dn[levels - 1] = 2;
                }
            }
        }
        bias = Bias(m, levels, alpha);
        var table = new LevelStatistics[levels];
        double price = 0, variance = 0, pathSteps = 0;
        for (int l = 0; l < levels; l++)
        {
            double mean = sumY[l] / n[l], var = Math.Max(0, (sumY2[l] - n[l] * mean * mean) / (n[l] - 1));
            double fineMean = sumP[l] / n[l], fineVar = Math.Max(0, (sumP2[l] - n[l] * fineMean * fineMean) / (n[l] - 1));
            table[l] = new LevelStatistics(l, n[l], mean, var, fineMean, fineVar, cost[l]);
            price += mean;
            variance += var / n[l];
            pathSteps += n[l] * cost[l];
        }
        double fineCost = sampler.FineCost(levels - 1);
        double mcCost = table[levels - 1].FineVariance * fineCost / ((1 - theta) * eps * eps);
        return new MultilevelResult(price, Math.Sqrt(variance), bias, table, pathSteps, mcCost, alpha, beta, gamma,
            converged ? SolveStatus.Success : SolveStatus.NotConverged);
    }

    private static long Sum(long[] values, int count)
    {
        long s = 0;
        for (int i = 0; i < count; i++) s += values[i];
        return s;
    }

    private static double Bias(double[] m, int levels, double alpha)
    {
        double bias = 0, factor = Math.Pow(2, alpha);
        for (int i = 0; i < 3 && levels - 1 - i >= 1; i++)
            bias = Math.Max(bias, m[levels - 1 - i] / Math.Pow(factor, i) / (factor - 1));
        return bias;
    }

    private static void Allocate(double[] v, double[] cost, long[] n, long[] dn, int levels, double budget)
    {
        double sum = 0;
        for (int l = 0; l < levels; l++) sum += Math.Sqrt(v[l] * cost[l]);
        for (int l = 0; l < levels; l++)
        {
            double target = Math.Ceiling(Math.Sqrt(v[l] / cost[l]) * sum / budget);
            dn[l] = Math.Max(0, (long)Math.Min(target, 1e15) - n[l]);
        }
    }

    private static (double Alpha, double Beta, double Gamma) Rates(double[] m, double[] v, double[] cost, int levels, MultilevelOptions options)
    {
        double alpha = options.Alpha ?? Math.Max(0.5, -Slope(m, levels));
        double beta = options.Beta ?? Math.Max(0.5, -Slope(v, levels));
        return (alpha, beta, Slope(cost, levels));
    }

    /// <summary>Least-squares slope of log₂ y_ℓ against ℓ over ℓ = 1..levels − 1 (zeros skipped).</summary>
    private static double Slope(double[] y, int levels)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int count = 0;
        for (int l = 1; l < levels; l++)
        {
            if (!(y[l] > 0)) continue;
            double ly = Math.Log2(y[l]);
            sx += l; sy += ly; sxx += (double)l * l; sxy += l * ly; count++;
        }
        if (count < 2) return 0;
        return (count * sxy - sx * sy) / (count * sxx - sx * sx);
    }

    private static (double Y, double Y2, double P, double P2) Run<TSampler>(TSampler sampler, int level, long from, long to, ParallelOptions parallel)
        where TSampler : struct, IMultilevelSampler
    {
        long firstBlock = from / Block, endBlock = (to + Block - 1) / Block;
        var partial = new (double Y, double Y2, double P, double P2)[endBlock - firstBlock];
        int scratchLength = sampler.ScratchLength(level, Chunk);
        try
        {
            Parallel.For(0, partial.Length, parallel, () => new double[scratchLength + 2 * Chunk], (b, _, scratch) =>
            {
                long block = firstBlock + b;
                long start = Math.Max(from, block * Block), end = Math.Min(to, (block + 1) * Block);
                double y = 0, y2 = 0, p = 0, p2 = 0;
                var s = sampler;
                var fine = scratch.AsSpan(scratchLength, Chunk);
                var coarse = scratch.AsSpan(scratchLength + Chunk, Chunk);
                for (long first = start; first < end; first += Chunk)
                {
                    int count = (int)Math.Min(Chunk, end - first);
                    s.Sample(level, first, scratch.AsSpan(0, scratchLength), fine[..count], coarse[..count]);
                    for (int i = 0; i < count; i++)
                    {
                        double d = fine[i] - coarse[i];
                        if (!double.IsFinite(d)) throw new ArithmeticException($"multilevel sample {first + i} of level {level} is not finite (fine {fine[i]}, coarse {coarse[i]}).");
                        y += d; y2 += d * d; p += fine[i]; p2 += fine[i] * fine[i];
                    }
                }
                partial[b] = (y, y2, p, p2);
                return scratch;
            }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1 && e.InnerExceptions[0] is ArithmeticException first)
        {
            // A worker's non-finite sample: surface the first one as itself, not wrapped.
            throw new ArithmeticException(first.Message, e);
        }
        double sy = 0, sy2 = 0, sp = 0, sp2 = 0;
        foreach (var (y, y2, p, p2) in partial) { sy += y; sy2 += y2; sp += p; sp2 += p2; }
        return (sy, sy2, sp, sp2);
    }
}

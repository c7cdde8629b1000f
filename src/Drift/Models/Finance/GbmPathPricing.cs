using Drift.Brownian.Construction;
using Drift.Random;
using Drift.Random.Qmc;

namespace Drift.Models.Finance;

/// <summary>
/// Path-dependent and European options under Black–Scholes, dS = rS dt + σS dW, priced by Monte Carlo or randomised
/// quasi-Monte Carlo: S_{t_i} = S₀ exp((r − σ²/2)t_i + σW_{t_i}) exactly on n equally spaced dates, the Brownian path
/// built from n normals by a <see cref="PathConstruction"/>. Randomisation r uses scramble r of the Sobol' points (or
/// Philox streams r·2⁴⁰ + p for Monte Carlo), so a price is bit-identical for any thread count. Error estimate: the
/// spread of the R independent randomisation means (Owen 1997; L'Ecuyer &amp; Lemieux 2002).
/// </summary>
public static class GbmPathPricing
{
    private const int Block = 256;

    /// <summary>Prices <paramref name="payoff"/> on an asset with spot S₀, strike K, maturity T, rate r and volatility σ.</summary>
    /// <exception cref="ArgumentException">Bad market data or options.</exception>
    public static PathPriceEstimate Price(double spot, double strike, double maturity, double rate, double volatility, OptionKind kind, PathPayoff payoff, PathPricingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        options.Validate();
        if (!Enum.IsDefined(payoff)) throw new ArgumentOutOfRangeException(nameof(payoff), payoff, "unknown payoff.");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown option kind.");
        int n = options.Dates, r = options.Randomizations;
        var builder = new BrownianPathBuilder(n, maturity, options.Construction);
        bool cv = options.ControlVariate && payoff == PathPayoff.ArithmeticAsian;
        double geometricExact = cv ? GeometricAsian.Price(spot, strike, maturity, rate, volatility, n, kind) : 0;
        var sobol = new SobolSequence?[r];
        if (options.Method == SamplingMethod.QuasiMonteCarlo)
            for (int i = 0; i < r; i++) sobol[i] = SobolSequence.Scrambled(n, options.Seed, (ulong)i);
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, 0x41534941));
        // Per randomisation: Σ payoff, Σ control, Σ payoff·control, Σ control², Σ payoff².
        var sums = new double[r, 5];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads };
        long done = 0, target = options.Paths;
        double discount = Math.Exp(-rate * maturity), drift = (rate - 0.5 * volatility * volatility) * maturity / n;
        while (true)
        {
            long from = done, to = target;
            Parallel.For(0, r, parallel, i =>
            {
                var z = new double[Block * n];
                var zt = new double[Block * n];
                var dw = new double[n];
                var work = new double[n + 1];
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0;
                for (long p = from; p < to; p += Block)
                {
                    int count = (int)Math.Min(Block, to - p);
                    if (sobol[i] is { } seq) seq.FillNormals(p, count, z);
                    else
                    {
                        // [draw][path] from Philox (vectorised across paths), transposed to [path][draw].
                        normals.FillAcrossStreams(((ulong)i << 40) + (ulong)p, count, 0, n, zt, count);
                        for (int k = 0; k < n; k++)
                            for (int q = 0; q < count; q++) z[q * n + k] = zt[k * count + q];
                    }
                    for (int q = 0; q < count; q++)
                    {
                        builder.Build(z.AsSpan(q * n, n), dw, work);
                        double logS = Math.Log(spot), arithmetic = 0, logSum = 0;
                        for (int k = 0; k < n; k++)
                        {
                            logS += drift + volatility * dw[k];
                            arithmetic += Math.Exp(logS);
                            logSum += logS;
                        }
                        double value = payoff switch
                        {
                            PathPayoff.European => Math.Exp(logS),
                            PathPayoff.ArithmeticAsian => arithmetic / n,
                            _ => Math.Exp(logSum / n),
                        };
                        double y = discount * Intrinsic(value, strike, kind);
                        double c = cv ? discount * Intrinsic(Math.Exp(logSum / n), strike, kind) - geometricExact : 0;
                        s0 += y; s1 += c; s2 += y * c; s3 += c * c; s4 += y * y;
                    }
                }
                sums[i, 0] += s0; sums[i, 1] += s1; sums[i, 2] += s2; sums[i, 3] += s3; sums[i, 4] += s4;
            });
            done = to;
            var (price, se, b) = Combine(sums, r, done, cv);
            bool reached = options.TargetStandardError is not { } t || se <= t;
            if (reached || done >= options.MaxPaths)
                return new PathPriceEstimate(price, se, done, r, done * r * n, reached, b);
            target = Math.Min(options.MaxPaths, 2 * done);
        }
    }

    private static double Intrinsic(double value, double strike, OptionKind kind) =>
        kind == OptionKind.Call ? Math.Max(value - strike, 0) : Math.Max(strike - value, 0);

    private static (double Price, double StandardError, double Coefficient) Combine(double[,] sums, int r, long paths, bool cv)
    {
        double b = double.NaN;
        if (cv)
        {
            // b = Cov(Y, C)/Var(C) pooled over every path (C has mean zero by construction).
            double sy = 0, sc = 0, syc = 0, scc = 0, total = (double)paths * r;
            for (int i = 0; i < r; i++) { sy += sums[i, 0]; sc += sums[i, 1]; syc += sums[i, 2]; scc += sums[i, 3]; }
            double cov = syc / total - sy / total * (sc / total), varC = scc / total - sc / total * (sc / total);
            b = varC > 0 ? cov / varC : 0;
        }
        double mean = 0, m2 = 0;
        for (int i = 0; i < r; i++)
        {
            double estimate = (sums[i, 0] - (cv ? b * sums[i, 1] : 0)) / paths;
            double delta = estimate - mean;
            mean += delta / (i + 1);
            m2 += delta * (estimate - mean);
        }
        return (mean, Math.Sqrt(m2 / (r - 1) / r), b);
    }
}

using Drift.Random;
using Drift.Statistics;

namespace Drift.Models.Finance;

/// <summary>
/// Monte Carlo prices of European options: Black–Scholes by exact sampling of S_T = S₀ exp((r − σ²/2)T + σ√T Z),
/// Heston by full-truncation Euler on (ln S, v) (Lord, Koekkoek &amp; van Dijk 2010):
/// ln S += (r − v⁺/2)h + √(v⁺h) Z₁, v += κ(θ − v⁺)h + ξ√(v⁺h)(ρZ₁ + √(1 − ρ²) Z₂).
/// Normals come from Philox keyed by (seed, sample), blocks of samples are reduced in a fixed order, so a price
/// is bit-identical for any thread count; with a target standard error the sample count doubles until it is met.
/// A run simulates <see cref="MonteCarloOptions.Paths"/> paths (rounded up to whole antithetic pairs) and never more
/// than <see cref="MonteCarloOptions.MaxPaths"/> (rounded down to whole pairs).
/// </summary>
public static class EuropeanMonteCarlo
{
    private const int BlockSamples = 1024;

    /// <summary>Prices a European option under Black–Scholes.</summary>
    /// <exception cref="ArgumentException">Bad market data or options.</exception>
    public static PriceEstimate BlackScholes(double spot, double strike, double maturity, double rate, double volatility, OptionKind kind, MonteCarloOptions options)
    {
        Finance.BlackScholes.Validate(spot, strike, maturity, rate, volatility);
        return Run(new BlackScholesSampler(spot, strike, maturity, rate, volatility, kind), options);
    }

    /// <summary>Prices a European option under Heston with <see cref="MonteCarloOptions.Steps"/> full-truncation Euler steps.</summary>
    /// <exception cref="ArgumentException">Bad parameters or options.</exception>
    public static PriceEstimate Heston(HestonParameters model, double strike, double maturity, OptionKind kind, MonteCarloOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        model.Validate();
        Finance.BlackScholes.Validate(model.Spot, strike, maturity, model.Rate, 1);
        return Run(new HestonSampler(model, strike, maturity, kind, options.Steps), options);
    }

    private static PriceEstimate Run<TSampler>(TSampler sampler, MonteCarloOptions options) where TSampler : struct, ISampler
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // A sample is one path, or one antithetic pair of paths. Paths is rounded up to whole samples and MaxPaths down,
        // so a run never simulates more than MaxPaths paths (Validate guarantees MaxPaths ≥ Paths ≥ 2, so at least one sample).
        int perSample = options.Antithetic ? 2 : 1;
        long maxSamples = options.MaxPaths / perSample;
        long samples = Math.Min(maxSamples, (options.Paths + perSample - 1) / perSample);
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, 0x5052494345));
        var total = Moments.Empty;
        long done = 0;
        if (options.Shard is { } shard)
        {
            // Shard i of N runs samples [⌊iS/N⌋, ⌊(i+1)S/N⌋) of the unsharded run's S, on their own streams.
            shard.Validate(samples);
            (done, samples) = (shard.FirstPath(samples), shard.EndPath(samples));
        }
        long first = done;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads,
            CancellationToken = options.CancellationToken,
        };
        while (true)
        {
            // Samples [done, samples) in pieces cut at multiples of BlockSamples: sample s always draws stream s.
            long firstBlock = done / BlockSamples, endBlock = (samples + BlockSamples - 1) / BlockSamples;
            var partial = new Moments[endBlock - firstBlock];
            long from = done, to = samples;
            Parallel.For(0, partial.Length, parallel, () => new double[sampler.NormalsPerPath], (b, _, z) =>
            {
                long block = firstBlock + b;
                long start = Math.Max(from, block * BlockSamples), end = Math.Min(to, (block + 1) * BlockSamples);
                partial[b] = Block(sampler, normals, start, (int)(end - start), options.Antithetic, z);
                return z;
            }, _ => { });
            foreach (var m in partial) total = total.Merge(m);
            done = samples;
            bool reached = options.TargetStandardError is not { } target || total.StandardError <= target;
            if (reached || done >= maxSamples)
                return new PriceEstimate(total.Mean, total.StandardError, (done - first) * perSample, reached) { Samples = total };
            samples = Math.Min(maxSamples, 2 * done);
        }
    }

    private static Moments Block<TSampler>(TSampler sampler, PhiloxNormals normals, long start, int count, bool antithetic, double[] z) where TSampler : struct, ISampler
    {
        Span<double> values = stackalloc double[BlockSamples];
        for (int s = 0; s < count; s++)
        {
            normals.FillStream((ulong)(start + s), 0, z);
            double v = sampler.DiscountedPayoff(z, 1);
            if (antithetic) v = 0.5 * (v + sampler.DiscountedPayoff(z, -1));
            values[s] = v;
        }
        return Moments.Of(values[..count]);
    }

    private interface ISampler
    {
        int NormalsPerPath { get; }
        double DiscountedPayoff(ReadOnlySpan<double> z, double sign);
    }

    private readonly struct BlackScholesSampler(double spot, double strike, double maturity, double rate, double volatility, OptionKind kind) : ISampler
    {
        private readonly double _drift = Math.Log(spot) + (rate - 0.5 * volatility * volatility) * maturity;
        private readonly double _scale = volatility * Math.Sqrt(maturity);
        private readonly double _discount = Math.Exp(-rate * maturity);

        public int NormalsPerPath => 1;

        public double DiscountedPayoff(ReadOnlySpan<double> z, double sign)
        {
            double s = Math.Exp(_drift + _scale * sign * z[0]);
            return _discount * (kind == OptionKind.Call ? Math.Max(s - strike, 0) : Math.Max(strike - s, 0));
        }
    }

    private readonly struct HestonSampler(HestonParameters m, double strike, double maturity, OptionKind kind, int steps) : ISampler
    {
        private readonly double _h = maturity / steps;
        private readonly double _rhoBar = Math.Sqrt(1 - m.Rho * m.Rho);

        public int NormalsPerPath => 2 * steps;

        public double DiscountedPayoff(ReadOnlySpan<double> z, double sign)
        {
            double x = Math.Log(m.Spot), v = m.Variance, h = _h, sqrtH = Math.Sqrt(h);
            for (int n = 0; n < steps; n++)
            {
                double z1 = sign * z[2 * n], z2 = sign * z[2 * n + 1];
                double vp = Math.Max(v, 0), root = Math.Sqrt(vp) * sqrtH;
                x += (m.Rate - 0.5 * vp) * h + root * z1;
                v += m.Kappa * (m.Theta - vp) * h + m.Xi * root * (m.Rho * z1 + _rhoBar * z2);
            }
            double s = Math.Exp(x);
            return Math.Exp(-m.Rate * maturity) * (kind == OptionKind.Call ? Math.Max(s - strike, 0) : Math.Max(strike - s, 0));
        }
    }
}

using Drift.Sampling.Smc;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests.Smc;

/// <summary>Tempered SMC against closed forms: conjugate Gaussian evidence, a bimodal mixture's mode masses.</summary>
public class TemperedSmcTests(ITestOutputHelper output)
{
    /// <summary>log L(x) = Σᵢ log N(yᵢ; xᵢ, σ²): one observation per component, normalised.</summary>
    private readonly struct GaussianObservation(double[] y, double sigma) : ILogDensity
    {
        public int Dimension => y.Length;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
        {
            int n = logDensity.Length;
            logDensity.Fill(-y.Length * (Math.Log(sigma) + 0.5 * Math.Log(2 * Math.PI)));
            for (int i = 0; i < y.Length; i++)
                for (int c = 0; c < n; c++)
                {
                    double r = x[i * n + c] - y[i];
                    logDensity[c] -= 0.5 * r * r / (sigma * sigma);
                    gradient[i * n + c] = -r / (sigma * sigma);
                }
        }
    }

    /// <summary>π(x) = w N(x; −a𝟙, I) + (1 − w) N(x; a𝟙, I) in d = 2.</summary>
    private readonly struct Bimodal(double w, double a) : ILogDensity
    {
        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
        {
            int n = logDensity.Length;
            for (int c = 0; c < n; c++)
            {
                double x0 = x[c], x1 = x[n + c];
                double l1 = Math.Log(w) - 0.5 * ((x0 + a) * (x0 + a) + (x1 + a) * (x1 + a)) - Math.Log(2 * Math.PI);
                double l2 = Math.Log(1 - w) - 0.5 * ((x0 - a) * (x0 - a) + (x1 - a) * (x1 - a)) - Math.Log(2 * Math.PI);
                double m = Math.Max(l1, l2), lse = m + Math.Log(Math.Exp(l1 - m) + Math.Exp(l2 - m));
                double r1 = Math.Exp(l1 - lse), r2 = 1 - r1;
                logDensity[c] = lse;
                gradient[c] = r1 * -(x0 + a) + r2 * -(x0 - a);
                gradient[n + c] = r1 * -(x1 + a) + r2 * -(x1 - a);
            }
        }
    }

    /// <summary>The likelihood L = π / p₀ that makes the SMC posterior the mixture.</summary>
    private readonly struct MixtureOverPrior(Bimodal mixture, NormalPrior prior) : ILogDensity
    {
        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
        {
            int n = logDensity.Length;
            var lp = new double[n];
            var gp = new double[2 * n];
            mixture.Evaluate(x, logDensity, gradient);
            prior.Evaluate(x, lp, gp);
            for (int c = 0; c < n; c++) logDensity[c] -= lp[c];
            for (int k = 0; k < 2 * n; k++) gradient[k] -= gp[k];
        }
    }

    [Fact]
    public void Next_temperature_hits_the_conditional_ess_target()
    {
        var w = new double[] { 0.1, 0.2, 0.3, 0.4 };
        var l = new double[] { -3, 0.5, -10, 2 };
        double next = TemperedSmc.NextTemperature(0.2, w, l, 0.7);
        Assert.InRange(next, 0.2 + 1e-6, 1 - 1e-6);
        Assert.Equal(0.7, TemperedSmc.CessFraction(w, l, next - 0.2), 9);
        Assert.Equal(1, TemperedSmc.NextTemperature(0.2, w, new double[] { 1, 1, 1, 1 }, 0.7));
    }

    [Theory]
    [InlineData(SmcKernel.RandomWalk)]
    [InlineData(SmcKernel.Mala)]
    public void Log_evidence_of_a_conjugate_gaussian_model_is_within_its_spread_over_seeds(SmcKernel kernel)
    {
        // Prior N(0, 3²I₂), one observation y ~ N(x, 0.1²I₂): Z = Πᵢ N(yᵢ; 0, 3² + 0.1²), posterior mean yτ²/(τ² + σ²).
        double[] y = [1.0, -0.5];
        const double tau = 3, sigma = 0.1;
        double truth = y.Sum(v => -0.5 * v * v / (tau * tau + sigma * sigma) - 0.5 * Math.Log(2 * Math.PI * (tau * tau + sigma * sigma)));
        const int seeds = 8;
        var logZ = new double[seeds];
        var meanError = new double[seeds];
        for (int s = 0; s < seeds; s++)
        {
            var r = TemperedSmc.Sample(NormalPrior.Isotropic(2, 0, tau), new GaussianObservation(y, sigma),
                new TemperedSmcOptions { Particles = 400, Seed = (ulong)s + 1, Kernel = kernel, Threads = 1 });
            logZ[s] = r.LogEvidence;
            meanError[s] = r.Mean(0) - y[0] * tau * tau / (tau * tau + sigma * sigma);
            if (s == 0) output.WriteLine($"{kernel}: {r.Stages.Count} temperatures, acceptance {string.Join(" ", r.Stages.Select(t => t.AcceptanceRate.ToString("F2")))}");
        }
        double mean = logZ.Average(), sd = Math.Sqrt(logZ.Sum(v => (v - mean) * (v - mean)) / (seeds - 1));
        output.WriteLine($"{kernel}: log Ẑ mean {mean:F4} sd {sd:F4} over {seeds} seeds; truth {truth:F4}; posterior mean errors {string.Join(" ", meanError.Select(e => e.ToString("F4")))}");
        Assert.InRange(sd, 1e-4, 0.5);
        Assert.True(Math.Abs(mean - truth) < 4 * sd / Math.Sqrt(seeds), $"log Ẑ {mean} vs {truth}: {(mean - truth) / (sd / Math.Sqrt(seeds)):F2} SE");
        Assert.All(meanError, e => Assert.InRange(Math.Abs(e), 0, 0.05)); // posterior sd ≈ 0.1; ESS ≥ 200 gives SE < 0.01
    }

    [Fact]
    public void Mode_masses_of_a_bimodal_mixture_match_their_weights_where_one_nuts_chain_is_stuck()
    {
        // 0.3 N(−4·𝟙, I) + 0.7 N(4·𝟙, I): the modes are 11.3 apart, and the log-density barrier between them is 16 nats.
        var mixture = new Bimodal(0.3, 4);
        var prior = NormalPrior.Isotropic(2, 0, 8);
        const int seeds = 6;
        var mass = new double[seeds];
        for (int s = 0; s < seeds; s++)
        {
            var r = TemperedSmc.Sample(prior, new MixtureOverPrior(mixture, prior), new TemperedSmcOptions { Particles = 500, Seed = 100 + (ulong)s, Threads = 1 });
            mass[s] = r.Expectation(x => x[0] + x[1] > 0 ? 1 : 0);
        }
        double mean = mass.Average(), sd = Math.Sqrt(mass.Sum(v => (v - mean) * (v - mean)) / (seeds - 1));
        double se = Math.Max(sd, Math.Sqrt(0.21 / 500)) / Math.Sqrt(seeds);
        output.WriteLine($"SMC mass of the 0.7 mode: {string.Join(" ", mass.Select(m => m.ToString("F3")))}; mean {mean:F4} ± {se:F4}");
        Assert.True(Math.Abs(mean - 0.7) < 4 * se, $"mode mass {mean} vs 0.7 is {(mean - 0.7) / se:F2} SE away");

        var nuts = Mcmc.Sample(mixture, new McmcOptions { Chains = 1, Warmup = 300, Draws = 500, Seed = 3, Initial = [-4.0, -4.0] });
        double stuck = nuts.Function(x => x[0] + x[1] > 0 ? 1 : 0)[0].Average();
        output.WriteLine($"one NUTS chain started in the 0.3 mode: mass of the 0.7 mode {stuck:F3}");
        Assert.True(Math.Abs(stuck - 0.7) > 0.5, $"the NUTS chain was expected to stay in one mode; it gave mass {stuck}");
    }

    [Fact]
    public void Results_are_bit_identical_on_one_and_two_threads()
    {
        double[] y = [0.3, 0.7, -1.2];
        TemperedSmcResult Run(int threads) => TemperedSmc.Sample(NormalPrior.Isotropic(3, 0, 2), new GaussianObservation(y, 0.2),
            new TemperedSmcOptions { Particles = 300, Seed = 9, Kernel = SmcKernel.Mala, Threads = threads, Resampling = Drift.Random.Resampling.ResamplingScheme.Multinomial });
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.LogEvidence, two.LogEvidence);
        Assert.True(one.Particles.SequenceEqual(two.Particles));
        Assert.True(one.Weights.SequenceEqual(two.Weights));
        Assert.Equal(one.Stages, two.Stages);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_value_named()
    {
        var prior = NormalPrior.Isotropic(2, 0, 1);
        var lik = new GaussianObservation([0.0, 0.0], 1);
        Assert.Contains("Particles", Assert.ThrowsAny<ArgumentException>(() => TemperedSmc.Sample(prior, lik, new TemperedSmcOptions { Particles = 1 })).Message);
        Assert.Contains("CessFraction", Assert.ThrowsAny<ArgumentException>(() => TemperedSmc.Sample(prior, lik, new TemperedSmcOptions { CessFraction = 1 })).Message);
        Assert.Contains("dimension", Assert.Throws<ArgumentException>(() => TemperedSmc.Sample(NormalPrior.Isotropic(3, 0, 1), lik, new TemperedSmcOptions())).Message);
        var nan = LogDensity.FromPoint(2, (x, g) => { g.Clear(); return double.NaN; });
        // A NaN log-likelihood counts as −∞; everywhere −∞ leaves no particle with weight.
        Assert.Contains("−∞", Assert.Throws<ArgumentException>(() => TemperedSmc.Sample(prior, nan, new TemperedSmcOptions { Particles = 10 })).Message);
        Assert.Throws<ArgumentException>(() => new NormalPrior([0.0], [-1.0]));
    }
}

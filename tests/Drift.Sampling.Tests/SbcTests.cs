using Drift.Random;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests;

/// <summary>
/// Simulation-based calibration of NUTS (Talts, Betancourt, Simpson, Vehtari &amp; Gelman 2018, Algorithm 1) on a normal
/// model with unknown mean and scale: μ ~ N(0, 1), ω = log σ ~ N(0, 0.5²), yⱼ ~ N(μ, σ²) for j = 1 … 8. For each of
/// S = 200 simulations, (μ, ω) is drawn from the prior and y from the model; NUTS (150 warm-up, then L = 19 draws kept
/// every 3rd, so nearly independent) samples the posterior; the rank of the prior draw among the L posterior draws is
/// uniform on 0 … L exactly when the sampler is correct. Ranks are binned into 10 bins of 2 values (20 expected each)
/// and tested by χ² with 9 degrees of freedom against its 0.999 quantile 27.88. The negative control is a wrong step
/// without a Metropolis test: unadjusted OBABO with friction 20 (the momentum is fully refreshed, so it is ULA in
/// Hamiltonian form) and its step adapted to an acceptance statistic of 0.6 — its stationary law is too wide by the
/// factor 1/(1 − ε²/4) in the posterior's scale, and the same test must reject it. Run time: about 8 s for the pair at
/// load average 70 on the 2-core build machine (each of the 400 runs is 207 NUTS/OBABO iterations on 8 data).
/// </summary>
public class SbcTests(ITestOutputHelper output)
{
    private const int Simulations = 200, Data = 8, Kept = 19, Thin = 3, Bins = 10;
    private const double ChiSquare9At999 = 27.877;

    /// <summary>log p(μ, ω ∣ y) up to a constant, over (μ, ω), one chain at a time.</summary>
    private readonly struct NormalModel(double[] y) : ILogDensity
    {
        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
        {
            int n = logDensity.Length;
            for (int c = 0; c < n; c++)
            {
                double mu = x[c], omega = x[n + c], precision = Math.Exp(-2 * omega), ss = 0, s = 0;
                foreach (double v in y) { ss += (v - mu) * (v - mu); s += v - mu; }
                logDensity[c] = -0.5 * mu * mu - 2 * omega * omega - 0.5 * precision * ss - y.Length * omega;
                gradient[c] = -mu + precision * s;
                gradient[n + c] = -4 * omega + precision * ss - y.Length;
            }
        }
    }

    private static (int[] MuRanks, int[] OmegaRanks) Ranks(McmcOptions sampler, ulong seed)
    {
        var mu = new int[Simulations];
        var omega = new int[Simulations];
        Parallel.For(0, Simulations, s =>
        {
            var draws = new StepDraws(seed, (ulong)s, 0);
            double m = draws.NextNormal(), w = 0.5 * draws.NextNormal(), sigma = Math.Exp(w);
            var y = new double[Data];
            for (int j = 0; j < Data; j++) y[j] = m + sigma * draws.NextNormal();
            var r = Mcmc.Sample(new NormalModel(y), sampler with
            {
                Chains = 1, Warmup = 150, Draws = Kept * Thin, Seed = seed + 1000 + (ulong)s, Threads = 1,
            });
            for (int k = 0; k < Kept; k++)
            {
                int t = (k + 1) * Thin - 1;
                if (r.Draw(0, t, 0) < m) mu[s]++;
                if (r.Draw(0, t, 1) < w) omega[s]++;
            }
        });
        return (mu, omega);
    }

    private static double ChiSquare(int[] ranks)
    {
        var counts = new int[Bins];
        foreach (int r in ranks) counts[r * Bins / (Kept + 1)]++;
        double expected = (double)ranks.Length / Bins;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    [Fact]
    public void Nuts_ranks_are_uniform_and_a_biased_sampler_is_rejected()
    {
        var (mu, omega) = Ranks(new McmcOptions { Sampler = SamplerKind.Nuts }, 42);
        double chiMu = ChiSquare(mu), chiOmega = ChiSquare(omega);
        output.WriteLine($"NUTS: chi-square (9 dof) of the rank histograms: mu {chiMu:F2}, omega {chiOmega:F2} (0.999 quantile {ChiSquare9At999})");
        Assert.True(chiMu < ChiSquare9At999 && chiOmega < ChiSquare9At999, $"NUTS fails SBC: {chiMu:F2}, {chiOmega:F2}");

        var (muUla, omegaUla) = Ranks(new McmcOptions { Sampler = SamplerKind.Obabo, Friction = 20, TargetAcceptance = 0.6 }, 42);
        double badMu = ChiSquare(muUla), badOmega = ChiSquare(omegaUla);
        output.WriteLine($"unadjusted OBABO, friction 20, delta 0.6 (negative control): mu {badMu:F2}, omega {badOmega:F2}");
        Assert.True(Math.Max(badMu, badOmega) > ChiSquare9At999, $"the SBC test must detect the unadjusted kernel's bias: {badMu:F2}, {badOmega:F2}");
    }
}

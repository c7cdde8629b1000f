using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

public sealed class ApproximateMethodTests
{
    [Theory]
    [InlineData("species A = 40, B = 0\n2A <-> B, 2, 0.5\nA -> 0, 3\n")]
    [InlineData("species A = 1000\nA -> 0, 50\n")]
    [InlineData("species A = 30, B = 30\nA + B -> 0, 1\n0 -> A, 5\nB -> 2B, 0.3\n")]
    public void Tau_leaping_never_makes_a_count_negative(string text)
    {
        // A coarse epsilon forces big leaps near depletion: critical reactions and leap rejection must hold counts ≥ 0.
        var network = ReactionNetwork.Parse(text);
        double[] saves = [.. Enumerable.Range(1, 20).Select(k => k * 0.1)];
        var s = JumpSimulator.Simulate(network, JumpMethod.TauLeap, 2, new JumpOptions { Runs = 2048, Seed = 8, SaveTimes = saves, TauEpsilon = 0.5, KeepPaths = true });
        for (int k = 0; k < saves.Length; k++)
            for (int i = 0; i < network.SpeciesCount; i++)
            {
                Assert.True(s.Statistics.Moments(k, i).Min >= 0, $"t = {saves[k]}, {network.Species[i]}: min {s.Statistics.Moments(k, i).Min}");
                foreach (double v in s.Statistics.PathsAt(k, i)) Assert.True(v >= 0 && v == Math.Floor(v));
            }
    }

    [Fact]
    public void Tau_leaping_bias_shrinks_linearly_with_epsilon()
    {
        // A -> 0 at rate 1 from 10^4: CGP gives τ ≈ ε, the leaps are Euler steps of the mean, so the bias of E[X(1)]
        // is first order in ε (exact mean 10^4/e). Fitted slope of log|bias| on log ε must be 1 ± 0.25.
        var network = ReactionNetwork.Parse("species A = 10000\nA -> 0, 1\n");
        double exact = 10000 * Math.Exp(-1);
        double[] epsilons = [0.1, 0.05, 0.025];
        var logBias = new double[3];
        for (int e = 0; e < 3; e++)
        {
            var m = JumpSimulator.Simulate(network, JumpMethod.TauLeap, 1, new JumpOptions { Runs = 1024, Seed = 12, TauEpsilon = epsilons[e] }).Statistics.Final(0);
            double bias = m.Mean - exact;
            Assert.True(Math.Abs(bias) > 6 * m.StandardError, $"ε = {epsilons[e]}: bias {bias} not resolved (SE {m.StandardError})");
            logBias[e] = Math.Log(Math.Abs(bias));
        }
        double slope = Slope([.. epsilons.Select(e => Math.Log(e))], logBias);
        Assert.InRange(slope, 0.75, 1.25);
    }

    [Fact]
    public void Rate_equation_matches_the_immigration_death_mean()
    {
        double[] saves = [0.5, 1, 3];
        var s = JumpSimulator.Simulate(Models.ImmigrationDeath, JumpMethod.RateEquation, 3, new JumpOptions { SaveTimes = saves });
        for (int k = 0; k < saves.Length; k++) Assert.Equal(10 * (1 - Math.Exp(-saves[k])), s.Statistics.Moments(k, 0).Mean, 1e-7);
    }

    [Fact]
    public void Chemical_Langevin_reproduces_the_linear_moments_at_large_counts()
    {
        // Immigration–death at stationarity with mean 1000: the CLE is exact in mean and variance for linear
        // propensities; Euler–Maruyama with dt = 0.01 inflates the variance by ≈ dt/2 (0.5 %), inside the bound.
        var network = ReactionNetwork.Parse("species A = 1000\n0 -> A, 1000\nA -> 0, 1\n");
        var s = JumpSimulator.Simulate(network, JumpMethod.ChemicalLangevin, 2, new JumpOptions { Runs = 4096, Seed = 2, Dt = 0.01 });
        var m = s.Statistics.Final(0);
        Assert.True(Math.Abs(Oracles.MeanZ(m, 1000, 1000)) <= 4, $"mean {m.Mean}");
        Assert.True(Math.Abs(Oracles.VarianceZ(m, 1000)) <= 5, $"variance {m.Variance}");
    }

    [Fact]
    public void Rate_equation_approaches_the_exact_mean_as_one_over_the_volume()
    {
        // Dimerisation 2P <-> P2 in volume Ω (P(0) = 100Ω, k1 = 0.001/Ω, k2 = 0.01): the exact CME mean of P/Ω
        // (finite state projection, error < 1e-9) differs from the rate equation's by O(1/Ω) (van Kampen).
        // Fitted slope of log|difference| on log Ω over Ω = 1, 2, 4, 8 must be −1 ± 0.25.
        double[] volumes = [1, 2, 4, 8];
        var logDifference = new double[volumes.Length];
        for (int v = 0; v < volumes.Length; v++)
        {
            double omega = volumes[v];
            var network = ReactionNetwork.Parse(FormattableString.Invariant($"species P = {100 * omega}, P2 = 0\n2P <-> P2, {0.001 / omega:R}, 0.01\n"));
            var cme = Drift.Jumps.Cme.FiniteStateProjection.Build(network, [(long)(100 * omega), (long)(50 * omega)]).Transient(10, 1e-12);
            Assert.True(cme.ErrorBound < 1e-9);
            double rre = JumpSimulator.Simulate(network, JumpMethod.RateEquation, 10).Statistics.Final(0).Mean;
            logDifference[v] = Math.Log(Math.Abs(cme.Mean(0) - rre) / omega);
        }
        double slope = Slope([.. volumes.Select(o => Math.Log(o))], logDifference);
        Assert.InRange(slope, -1.25, -0.75);
    }

    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}

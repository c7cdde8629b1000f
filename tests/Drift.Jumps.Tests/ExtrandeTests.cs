using Drift.Jumps.Cme;
using Drift.Jumps.Networks;
using Drift.Jumps.Sbml;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>
/// Extrande on time-dependent propensities: the law of a periodically forced immigration–death process against its
/// closed form (with a negative control that ignores the forcing), the interval bounds it thins with, reproducibility,
/// and the refusals of the methods that need time-homogeneous rates.
/// </summary>
public class ExtrandeTests
{
    private const double A = 20, Omega = 2, Gamma = 1;

    /// <summary>0 → A at k(t) = a(1 + sin ωt), A → ∅ at γ per molecule, A(0) = 0 (examples/jumps/periodic-immigration.rn).</summary>
    private static ReactionNetwork Periodic => ReactionNetwork.Parse(SbmlReaderTests.Example("periodic-immigration.rn"));

    /// <summary>
    /// m(t) solving m' = k(t) − γm, m(0) = 0: a/γ·(1 − e^{−γt}) + a(γ sin ωt − ω cos ωt + ω e^{−γt})/(γ² + ω²). The count
    /// is Poisson(m(t)): immigrants arrive as a Poisson process of intensity k and survive independently.
    /// </summary>
    private static double Mean(double t) =>
        A / Gamma * (1 - Math.Exp(-Gamma * t)) + A * (Gamma * Math.Sin(Omega * t) - Omega * Math.Cos(Omega * t) + Omega * Math.Exp(-Gamma * t)) / (Gamma * Gamma + Omega * Omega);

    /// <summary>The mean if the forcing were frozen at its average a (the negative control).</summary>
    private static double FrozenMean(double t) => A / Gamma * (1 - Math.Exp(-Gamma * t));

    [Fact]
    public void Periodic_immigration_death_has_the_Poisson_law_of_the_forced_rate_equation()
    {
        double[] saves = [0.5, 1, 2.5, 4];
        var result = JumpSimulator.Simulate(Periodic, JumpMethod.Extrande, 4, new JumpOptions { Runs = 4096, Seed = 3, SaveTimes = saves });
        for (int s = 0; s < saves.Length; s++)
        {
            double mu = Mean(saves[s]);
            var histogram = result.Histogram(s, 0);
            var (_, _, p) = Oracles.ChiSquared(histogram, Oracles.Poisson(mu));
            Assert.True(p > 1e-4, $"t = {saves[s]}: chi-squared p = {p} against Poisson({mu})");
            double z = Oracles.MeanZ(result.Statistics.Moments(s, 0), mu, mu);
            Assert.True(Math.Abs(z) <= 4, $"t = {saves[s]}: mean z = {z}");
        }
        // negative control: the same histograms are far from the law with the forcing ignored
        foreach (int s in new[] { 1, 2 })
        {
            var (_, _, p) = Oracles.ChiSquared(result.Histogram(s, 0), Oracles.Poisson(FrozenMean(saves[s])));
            Assert.True(p < 1e-8, $"t = {saves[s]}: the frozen-rate law should be rejected, p = {p}");
        }
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(3.0)]
    public void A_user_set_window_keeps_the_law_exact(double window)
    {
        // short (bounds within ~5 % of the rate) and long (one window over the whole run: the bound is the crest 40)
        double[] saves = [1, 2.5];
        var result = JumpSimulator.Simulate(Periodic, JumpMethod.Extrande, 2.5, new JumpOptions { Runs = 2048, Seed = 13, SaveTimes = saves, ExtrandeWindow = window });
        for (int s = 0; s < saves.Length; s++)
        {
            double mu = Mean(saves[s]);
            var (_, _, p) = Oracles.ChiSquared(result.Histogram(s, 0), Oracles.Poisson(mu));
            Assert.True(p > 1e-4, $"window {window}, t = {saves[s]}: chi-squared p = {p} against Poisson({mu})");
            Assert.InRange(Oracles.MeanZ(result.Statistics.Moments(s, 0), mu, mu), -4, 4);
        }
    }

    [Fact]
    public void A_long_window_makes_more_null_events_than_a_short_one()
    {
        // the trade-off: over [t, t + 3] the bound of 20(1 + sin 2t) is its crest 40, so about half the candidates are
        // null; over 0.02 time units it is within 0.8 of the rate
        var table = new PropensityTable(Periodic);
        long Nulls(double window)
        {
            var simulator = new ExtrandeSimulator(table, 3, window);
            for (long run = 0; run < 64; run++) simulator.Run(run, [0], [4.0], new double[1], long.MaxValue);
            return simulator.NullEvents;
        }
        long shortNulls = Nulls(0.02), longNulls = Nulls(3);
        Assert.True(longNulls > 5 * shortNulls, $"nulls: window 3 → {longNulls}, window 0.02 → {shortNulls}");
        Assert.InRange(longNulls / 64.0, 40, 160); // ≈ ∫(40 − k(t))dt over [0, 4] with two windows ≈ 80 per run
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_window_is_refused_naming_it(double window)
    {
        var options = new JumpOptions { Runs = 256, ExtrandeWindow = window };
        var e = Assert.Throws<ArgumentException>(() => JumpSimulator.Simulate(Periodic, JumpMethod.Extrande, 1, options));
        Assert.Contains("ExtrandeWindow", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => JumpSimulator.Trajectory(Periodic, JumpMethod.Extrande, 1, options));
    }

    [Fact]
    public void Time_homogeneous_networks_run_unchanged_and_have_their_law()
    {
        var result = JumpSimulator.Simulate(Models.ImmigrationDeath, JumpMethod.Extrande, 1, new JumpOptions { Runs = 2048, Seed = 5 });
        var (_, _, p) = Oracles.ChiSquared(result.Histogram(0, 0), Oracles.Poisson(10 * (1 - Math.Exp(-1.0))));
        Assert.True(p > 1e-4, $"p = {p}");
    }

    [Fact]
    public void Runs_are_reproducible_and_trajectories_are_the_ensemble_runs()
    {
        double[] saves = [0.25, 1, 3];
        var options = new JumpOptions { Runs = 512, Seed = 11, SaveTimes = saves, KeepPaths = true, Threads = 1 };
        var one = JumpSimulator.Simulate(Periodic, JumpMethod.Extrande, 3, options);
        var two = JumpSimulator.Simulate(Periodic, JumpMethod.Extrande, 3, options with { Threads = 2, ChunkSize = 256 });
        Assert.Equal(one.Events, two.Events);
        for (int s = 0; s < saves.Length; s++)
        {
            Assert.Equal(one.Statistics.Moments(s, 0), two.Statistics.Moments(s, 0));
            foreach (long run in new long[] { 0, 7, 300, 511 })
            {
                var path = JumpSimulator.Trajectory(Periodic, JumpMethod.Extrande, 3, options, run);
                Assert.Equal(one.Statistics.Path(s, 0, run), path.StateAt(saves[s])[0]);
            }
        }
        // the SBML form of the network is the same process, bit for bit
        var sbml = JumpSimulator.Simulate(SbmlReader.Parse(SbmlReaderTests.Example("periodic-immigration.xml")), JumpMethod.Extrande, 3, options);
        Assert.Equal(one.Events, sbml.Events);
        Assert.Equal(one.Statistics.Moments(2, 0), sbml.Statistics.Moments(2, 0));
    }

    [Fact]
    public void Methods_that_need_time_homogeneous_rates_refuse_time_dependent_propensities()
    {
        var network = Periodic;
        Assert.True(network.DependsOnTime);
        Assert.True(network.Reactions[0].DependsOnTime);
        Assert.False(network.Reactions[1].DependsOnTime);
        Assert.Equal(A * (1 + Math.Sin(Omega * 0.3)), network.Propensity(0, [0], 0.3), 12);
        foreach (var method in new[] { JumpMethod.Direct, JumpMethod.SortingDirect, JumpMethod.NextReaction, JumpMethod.Rejection, JumpMethod.TauLeap })
        {
            var e = Assert.Throws<ArgumentException>(() => JumpSimulator.Simulate(network, method, 1, new JumpOptions { Runs = 256 }));
            Assert.Contains("line 9 depends on time t", e.Message, StringComparison.Ordinal);
            Assert.Contains("extrande", e.Message, StringComparison.Ordinal);
        }
        Assert.Throws<ArgumentException>(() => JumpSimulator.Trajectory(network, JumpMethod.Direct, 1));
        var fsp = Assert.Throws<ArgumentException>(() => FiniteStateProjection.Build(network, [100]));
        Assert.Contains("depends on time", fsp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rate_equation_follows_the_forcing()
    {
        double[] saves = [0.5, 1, 2.5, 4];
        var ode = JumpSimulator.Simulate(Periodic, JumpMethod.RateEquation, 4, new JumpOptions { SaveTimes = saves });
        for (int s = 0; s < saves.Length; s++) Assert.Equal(Mean(saves[s]), ode.Statistics.Moments(s, 0).Mean, 7);
    }

    [Theory]
    [InlineData("a * (1 + sin(w * t))")]
    [InlineData("A * exp(-t) * cos(3 * t)^2 + 1")]
    [InlineData("A / (1 + t^2) + abs(cos(t) - 0.5)")]
    [InlineData("max(0, sin(t)) * A + sqrt(t) + pow(t + 1, 1.5)")]
    [InlineData("cosh(t - 2) + atan(t) - sinh(t / 4) + tanh(t) * min(A, t)")]
    [InlineData("(2 - cos(w * t)) * (3 + sin(t)) / (1 + A * t) + log(1 + t) + tan(t / 8)^2")]
    public void Interval_bounds_cover_the_propensity_on_every_window(string expression)
    {
        var network = ReactionNetwork.Parse($"species A = 3\nparam a = 20\nparam w = 2\nA -> 0, propensity = {expression}\n");
        var table = new PropensityTable(network);
        var random = new System.Random(1);
        for (int trial = 0; trial < 120; trial++)
        {
            double t0 = 10 * random.NextDouble(), t1 = t0 + Math.Pow(10, -3 + 3.5 * random.NextDouble());
            double[] x = [Math.Floor(20 * random.NextDouble())];
            double bound = table.UpperBound(0, x, t0, t1);
            for (int k = 0; k <= 24; k++)
            {
                double t = k == 24 ? t1 : t0 + (t1 - t0) * k / 24.0;
                double v = network.Propensity(0, x, t);
                Assert.True(v <= bound, $"{expression} at t = {t}, x = {x[0]}: {v} > bound {bound} on [{t0}, {t1}]");
            }
        }
    }

    [Fact]
    public void Interval_bounds_are_tight_on_short_windows_and_infinite_across_a_pole()
    {
        var network = ReactionNetwork.Parse("species A = 3\nA -> 0, propensity = 20 * (1 + sin(2 * t))\nA -> 0, propensity = A / abs(t - 1)\n");
        var table = new PropensityTable(network);
        double bound = table.UpperBound(0, [3], 0, 0.1);
        Assert.InRange(bound, 20 * (1 + Math.Sin(0.2)), 20 * (1 + Math.Sin(0.2)) * (1 + 1e-12));
        Assert.Equal(40, table.UpperBound(0, [3], 0, 1), 12); // the crest at t = π/4 is inside
        Assert.Equal(double.PositiveInfinity, table.UpperBound(1, [3], 0.5, 1.5));
        Assert.InRange(table.UpperBound(1, [3], 2, 3), 3, 3 * (1 + 1e-12));
    }
}

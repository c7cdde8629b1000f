using Drift.Jumps.Cme;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
using Drift.Solve;

namespace Drift.Jumps.Tests;

public sealed class ExactMethodTests
{
    public static TheoryData<JumpMethod> Exact => [JumpMethod.Direct, JumpMethod.NextReaction, JumpMethod.SortingDirect, JumpMethod.Rejection, JumpMethod.RejectionComposition];

    private static double[] Grid(double step, double t1) => [.. Enumerable.Range(0, (int)Math.Round(t1 / step) + 1).Select(k => k * step)];

    [Theory]
    [MemberData(nameof(Exact))]
    public void Birth_death_passes_the_DSMTS_criteria_at_every_save_time(JumpMethod method)
    {
        // DSMTS 001-01 with its z-criteria, saves every 5 time units on [0, 50]: the suite's 10^4 runs for the direct
        // method, 4096 for the others to keep CI time down (the criteria are CLT bounds valid at any n).
        var saves = Grid(5, 50);
        int runs = method == JumpMethod.Direct ? 10_000 : 4096;
        var s = JumpSimulator.Simulate(Models.BirthDeath, method, 50, new JumpOptions { Runs = runs, Seed = 11, SaveTimes = saves, TrackQuantiles = false });
        for (int k = 1; k < saves.Length; k++)
        {
            var m = s.Statistics.Moments(k, 0);
            double zMean = Oracles.MeanZ(m, Models.BirthDeathMean(saves[k]), Models.BirthDeathVariance(saves[k]));
            double zVar = Oracles.VarianceZ(m, Models.BirthDeathVariance(saves[k]));
            Assert.True(Math.Abs(zMean) <= 3, $"{method} t = {saves[k]}: mean z = {zMean}");
            Assert.True(Math.Abs(zVar) <= 5, $"{method} t = {saves[k]}: variance z = {zVar}");
        }
        Assert.Equal(100, s.Statistics.Moments(0, 0).Mean); // the state at t = 0 is the initial one
    }

    [Theory]
    [MemberData(nameof(Exact))]
    public void Immigration_death_histograms_follow_the_Poisson_law(JumpMethod method)
    {
        double[] saves = [0.25, 1, 5];
        var s = JumpSimulator.Simulate(Models.ImmigrationDeath, method, 5, new JumpOptions { Runs = 4096, Seed = 3, SaveTimes = saves });
        for (int k = 0; k < saves.Length; k++)
        {
            var (chi2, dof, p) = Oracles.ChiSquared(s.Histogram(k, 0), Oracles.Poisson(10 * (1 - Math.Exp(-saves[k]))));
            Assert.True(p > 1e-4, $"{method} t = {saves[k]}: chi2 = {chi2} on {dof} dof, p = {p}");
        }
    }

    [Theory]
    [MemberData(nameof(Exact))]
    public void Dimerisation_and_telegraph_histograms_match_the_master_equation(JumpMethod method)
    {
        Check(Models.Dimerisation, [100, 50], species: 0, [2, 10, 40]);
        Check(Models.Telegraph, [1, 1, 120], species: 2, [0.5, 2, 8]);

        void Check(ReactionNetwork network, long[] box, int species, double[] saves)
        {
            var s = JumpSimulator.Simulate(network, method, saves[^1], new JumpOptions { Runs = 4096, Seed = 5, SaveTimes = saves });
            var fsp = FiniteStateProjection.Build(network, box);
            for (int k = 0; k < saves.Length; k++)
            {
                var cme = fsp.Transient(saves[k], 1e-12);
                Assert.True(cme.ErrorBound < 1e-9);
                var (chi2, dof, p) = Oracles.ChiSquared(s.Histogram(k, species), cme.Marginal(species));
                Assert.True(p > 1e-4, $"{method} {network.Species[species]} t = {saves[k]}: chi2 = {chi2} on {dof} dof, p = {p}");
                double zMean = Oracles.MeanZ(s.Statistics.Moments(k, species), cme.Mean(species), cme.Variance(species));
                Assert.True(Math.Abs(zMean) <= 3, $"{method} t = {saves[k]}: mean z = {zMean}");
            }
        }
    }

    [Fact]
    public void All_exact_methods_give_the_same_law()
    {
        // Two-sample chi-squared between direct and the other two on the telegraph mRNA count at t = 3.
        var options = new JumpOptions { Runs = 4096, Seed = 21 };
        var direct = JumpSimulator.Simulate(Models.Telegraph, JumpMethod.Direct, 3, options).Histogram(0, 2);
        foreach (var method in new[] { JumpMethod.NextReaction, JumpMethod.SortingDirect, JumpMethod.Rejection, JumpMethod.RejectionComposition })
        {
            var other = JumpSimulator.Simulate(Models.Telegraph, method, 3, options with { Seed = 22 }).Histogram(0, 2);
            double chi2 = 0;
            int bins = 0;
            double a = 0, b = 0;
            for (long k = 0; k < Math.Max(direct.Length, other.Length); k++)
            {
                a += direct[k];
                b += other[k];
                if (a + b >= 20 || k == Math.Max(direct.Length, other.Length) - 1)
                {
                    chi2 += (a - b) * (a - b) / (a + b);
                    bins++;
                    a = b = 0;
                }
            }
            double p = Oracles.UpperGamma((bins - 1) / 2.0, chi2 / 2);
            Assert.True(p > 1e-4, $"direct vs {method}: chi2 = {chi2} on {bins - 1} dof, p = {p}");
        }
    }

    [Theory]
    [InlineData(JumpMethod.Direct)]
    [InlineData(JumpMethod.NextReaction)]
    [InlineData(JumpMethod.Rejection)]
    [InlineData(JumpMethod.RejectionComposition)]
    [InlineData(JumpMethod.TauLeap)]
    public void A_seed_gives_the_same_bits_on_any_thread_count_and_chunk_size(JumpMethod method)
    {
        var options = new JumpOptions { Runs = 1500, Seed = 9, SaveTimes = [1, 4], KeepPaths = true };
        var one = JumpSimulator.Simulate(Models.Telegraph, method, 4, options with { Threads = 1, ChunkSize = 256 });
        var two = JumpSimulator.Simulate(Models.Telegraph, method, 4, options with { Threads = 2, ChunkSize = 512 });
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(one.Statistics.Moments(s, i), two.Statistics.Moments(s, i));
                Assert.True(one.Statistics.PathsAt(s, i).SequenceEqual(two.Statistics.PathsAt(s, i)));
                Assert.Equal(one.Statistics.Quantile(s, i, 0.5), two.Statistics.Quantile(s, i, 0.5));
            }
        Assert.Equal(one.Events, two.Events);
    }

    [Fact]
    public void Shards_merge_into_the_whole_run()
    {
        var options = new JumpOptions { Runs = 1024, Seed = 4, SaveTimes = [2], KeepPaths = true };
        var whole = JumpSimulator.Simulate(Models.Dimerisation, JumpMethod.Direct, 2, options);
        var first = JumpSimulator.Simulate(Models.Dimerisation, JumpMethod.Direct, 2, options with { Runs = 512 });
        var second = JumpSimulator.Simulate(Models.Dimerisation, JumpMethod.Direct, 2, options with { Runs = 512, FirstRun = 512 });
        var merged = JumpSolution.Merge(first, second);
        Assert.True(whole.Statistics.PathsAt(0, 0).SequenceEqual(merged.Statistics.PathsAt(0, 0)));
        Assert.Equal(whole.Statistics.Moments(0, 0).Mean, merged.Statistics.Moments(0, 0).Mean, 1e-12);
        for (long k = 0; k < 101; k++) Assert.Equal(whole.Histogram(0, 0)[k], merged.Histogram(0, 0)[k]);
    }

    [Fact]
    public void A_runaway_run_is_stopped_and_reported()
    {
        var network = ReactionNetwork.Parse("species A = 10\nA -> 2A, 1\n");
        var s = JumpSimulator.Simulate(network, JumpMethod.Direct, 100, new JumpOptions { Runs = 256, MaxEventsPerRun = 1000 });
        Assert.Equal(SolveStatus.Diverged, s.Statistics.Status);
        Assert.Equal(256, s.Statistics.DivergedPaths);
        Assert.Equal(SolveStatus.MaxSteps, s.Statistics.Divergences[0].Cause);
    }

    [Theory]
    [InlineData(JumpMethod.Rejection)]
    [InlineData(JumpMethod.RejectionComposition)]
    public void Rejection_SSA_refuses_explicit_propensities(JumpMethod method)
    {
        var network = ReactionNetwork.Parse("species A = 5\nA -> 0, propensity = A / (1 + A)\n");
        var e = Assert.Throws<ArgumentException>(() => JumpSimulator.Simulate(network, method, 1, new JumpOptions { Runs = 256 }));
        Assert.Contains("mass-action", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_propensity_that_goes_negative_is_an_error_naming_its_line()
    {
        var network = ReactionNetwork.Parse("species A = 5\nparam k = 1\n0 -> A, propensity = 10 - A\nA -> 2A, k\n");
        var e = Assert.Throws<InvalidOperationException>(() => JumpSimulator.Simulate(network, JumpMethod.Direct, 100, new JumpOptions { Runs = 256 }));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }
}

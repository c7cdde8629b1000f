using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>
/// RSSA-CR: the composition–rejection draw over power-of-two groups against the weights it samples (with updates that
/// move weights between groups, and a negative control), the simulator's law against the closed-form Poisson law of
/// immigration–death with large counts (bounds re-grouped often; with a negative control), and its agreement with the
/// direct method on the 288-reaction multisite2 network. The general exact-method tests (DSMTS, CME, thread counts)
/// run it too (<see cref="ExactMethodTests"/>).
/// </summary>
public class CompositionRejectionTests
{
    /// <summary>Pearson χ² p-value of draw counts against probabilities w/Σw (all expected counts here exceed 5).</summary>
    private static double PValue(long[] counts, double[] w)
    {
        double total = w.Sum(), n = counts.Sum(), chi2 = 0;
        int bins = 0;
        for (int j = 0; j < w.Length; j++)
        {
            if (w[j] == 0)
            {
                Assert.Equal(0, counts[j]); // a zero weight is never drawn
                continue;
            }
            double e = n * w[j] / total;
            chi2 += (counts[j] - e) * (counts[j] - e) / e;
            bins++;
        }
        return Oracles.UpperGamma((bins - 1) / 2.0, chi2 / 2);
    }

    [Fact]
    public void Draws_follow_the_weights_across_many_groups_and_after_updates()
    {
        // 40 weights over 2^-10 .. 2^10 (21 groups), one zero; then some move group, one drops to 0, one rises from it
        var w = Enumerable.Range(0, 41).Select(j => j == 40 ? 0 : Math.Pow(2, j / 2.0 - 10) * (1 + 0.3 * Math.Sin(j))).ToArray();
        var groups = new PowerOfTwoGroups(w.Length);
        var uniforms = new UniformStream(5);
        uniforms.Reset(0);
        groups.Clear();
        for (int j = 0; j < w.Length; j++) groups.Set(j, w[j]);
        double total = groups.Commit(w);
        Assert.Equal(w.Sum(), total, 1e-12 * total);
        const int n = 200_000;
        var counts = Draw(groups, uniforms, w, total, n);
        Assert.True(PValue(counts, w) > 1e-4, $"p = {PValue(counts, w)}");
        var before = (double[])w.Clone();
        foreach (var (j, value) in new[] { (39, 0.0), (40, 300.0), (0, 2.5), (20, 0.01), (21, 700.0), (5, 0.05) })
        {
            w[j] = value;
            groups.Set(j, value);
        }
        total = groups.Commit(w);
        Assert.Equal(w.Sum(), total, 1e-12 * total);
        counts = Draw(groups, uniforms, w, total, n);
        Assert.True(PValue(counts, w) > 1e-4, $"after updates p = {PValue(counts, w)}");
        // negative control: the draws after the updates do not follow the weights before them
        before[40] = 1e-3; // (a positive weight, so the control compares every bin)
        Assert.True(PValue(counts, before) < 1e-8);
        // clearing forgets every group
        groups.Clear();
        Assert.Equal(0, groups.Commit(w));

        static long[] Draw(PowerOfTwoGroups groups, UniformStream uniforms, double[] w, double total, int n)
        {
            var counts = new long[w.Length];
            for (int k = 0; k < n; k++) counts[groups.Draw(uniforms, w, total)]++;
            return counts;
        }
    }

    [Fact]
    public void Large_count_immigration_death_has_the_Poisson_law()
    {
        // 0 → A at 200, A → ∅ at 1: A(t) ~ Poisson(200(1 − e^{−t})); A's fluctuation interval is left ~20 times per run
        var network = ReactionNetwork.Parse("species A = 0\n0 -> A, 200\nA -> 0, 1\n");
        double[] saves = [0.5, 3];
        var result = JumpSimulator.Simulate(network, JumpMethod.RejectionComposition, 3, new JumpOptions { Runs = 2048, Seed = 17, SaveTimes = saves });
        for (int s = 0; s < saves.Length; s++)
        {
            double mu = 200 * (1 - Math.Exp(-saves[s]));
            var (_, _, p) = Oracles.ChiSquared(result.Histogram(s, 0), Oracles.Poisson(mu));
            Assert.True(p > 1e-4, $"t = {saves[s]}: p = {p}");
            Assert.InRange(Oracles.MeanZ(result.Statistics.Moments(s, 0), mu, mu), -4, 4);
            // negative control: a law 5 % off in the mean (about 0.7 SD) is rejected
            var (_, _, wrong) = Oracles.ChiSquared(result.Histogram(s, 0), Oracles.Poisson(1.05 * mu));
            Assert.True(wrong < 1e-8, $"t = {saves[s]}: the shifted law should be rejected, p = {wrong}");
        }
    }

    [Fact]
    public void Multisite2_means_agree_with_the_direct_method()
    {
        // 288 reactions, bounds over many power-of-two groups; two-sample z of every species' mean at t = 0.02
        var network = ReactionNetwork.Parse(SbmlReaderTests.Example("multisite2.rn"));
        var options = new JumpOptions { Runs = 32, ChunkSize = 256, Seed = 8, TrackQuantiles = false, TrackHistograms = false };
        var cr = JumpSimulator.Simulate(network, JumpMethod.RejectionComposition, 0.02, options);
        var direct = JumpSimulator.Simulate(network, JumpMethod.Direct, 0.02, options with { Seed = 9 });
        Assert.True(cr.Events > 32 * 100);
        int compared = 0;
        for (int i = 0; i < network.SpeciesCount; i++)
        {
            var a = cr.Statistics.Final(i);
            var b = direct.Statistics.Final(i);
            double se = Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError);
            if (se == 0)
            {
                Assert.Equal(a.Mean, b.Mean);
                continue;
            }
            compared++;
            Assert.InRange((a.Mean - b.Mean) / se, -5, 5);
        }
        Assert.True(compared > 10);
    }
}

using System.Text.RegularExpressions;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

/// <summary>
/// The Catalyst/SciMLBenchmarks multistate (9 species, 18 reactions) and multisite2 (66, 288) networks, converted
/// from their BioNetGen .net files: sizes, and conservation of the molecule types R, L and A, whose weights are read
/// independently from the BioNetGen species patterns kept as comments (the number of "R(", "L(", "A(" in each).
/// </summary>
public partial class CatalystNetworkTests
{
    [Theory]
    [InlineData("multistate.rn", 9, 18, 5360, 1160, 5360)]
    [InlineData("multisite2.rn", 66, 288, 5360, 1160, 5360)]
    public void Parses_with_the_published_sizes_and_conserves_every_molecule_type(string file, int species, int reactions, long r, long l, long a)
    {
        string text = SbmlReaderTests.Example(file);
        var network = ReactionNetwork.Parse(text);
        Assert.Equal(species, network.SpeciesCount);
        Assert.Equal(reactions, network.ReactionCount);
        var patterns = Pattern().Matches(text).ToDictionary(m => "S" + m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(species, patterns.Count);
        long[] expectedTotals = [r, l, a];
        // a short exact run (RSSA, the method of Catalyst's published timings)
        var run = JumpSimulator.Simulate(network, JumpMethod.Rejection, 0.02,
            new JumpOptions { Runs = 8, ChunkSize = 256, Seed = 3, SaveTimes = [0.01, 0.02], KeepPaths = true, TrackQuantiles = false, TrackHistograms = false });
        Assert.True(run.Events > 8 * 100);
        string[] molecules = ["R(", "L(", "A("];
        for (int type = 0; type < 3; type++)
        {
            var weight = network.Species.Select(s => Regex.Count(patterns[s], Regex.Escape(molecules[type]))).ToArray();
            Assert.True(weight.Count(w => w > 0) > 2);
            for (int j = 0; j < network.ReactionCount; j++)
                Assert.Equal(0, Enumerable.Range(0, species).Sum(i => weight[i] * network.NetChange(j, i)));
            Assert.Equal(expectedTotals[type], Enumerable.Range(0, species).Sum(i => weight[i] * network.InitialCounts[i]));
            // the run keeps the totals in every run and at every save time
            for (int s = 0; s < 2; s++)
                for (long p = 0; p < 8; p++)
                    Assert.Equal(expectedTotals[type], Enumerable.Range(0, species).Sum(i => weight[i] * run.Statistics.Path(s, i, p)));
        }
    }

    [GeneratedRegex(@"^species S(\d+) = \S+\s+# (\S+)$", RegexOptions.Multiline)]
    private static partial Regex Pattern();
}

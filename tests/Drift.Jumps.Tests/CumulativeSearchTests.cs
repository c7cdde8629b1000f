using Drift.Jumps.Simulation;

namespace Drift.Jumps.Tests;

public sealed class CumulativeSearchTests
{
    /// <summary>The inversion step against a naive sequential scan, on short (branch-free) and long ranges, zeros included.</summary>
    [Fact]
    public void First_and_CountAtMost_agree_with_a_sequential_scan()
    {
        var random = new System.Random(14);
        foreach (int n in new[] { 1, 2, 5, 31, 32, 33, 100 })
            for (int trial = 0; trial < 200; trial++)
            {
                var w = new double[n];
                for (int j = 0; j < n; j++) w[j] = random.Next(4) == 0 ? 0 : random.NextDouble();
                var prefix = new double[n];
                double total = 0;
                for (int j = 0; j < n; j++) prefix[j] = total += w[j];
                double r = random.NextDouble() * total * 1.01; // sometimes beyond the total
                int expected = -1;
                double sum = 0;
                for (int j = 0; j < n; j++)
                    if ((sum += w[j]) > r)
                    {
                        expected = j;
                        break;
                    }
                Assert.Equal(expected, CumulativeSearch.First(w, 0, n, 0, r));
                int count = CumulativeSearch.CountAtMost(prefix, 0, n, r);
                Assert.Equal(expected < 0 ? n : expected, count);
                if (expected >= 0) Assert.True(w[expected] > 0);
            }
    }
}

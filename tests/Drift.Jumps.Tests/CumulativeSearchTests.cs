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

    /// <summary>
    /// The direct method's chunked prefix sums: non-decreasing (also across chunk boundaries and with weights spanning
    /// 30 orders of magnitude, where a re-associated sum could step back by an ulp), a zero weight repeats the previous
    /// prefix exactly (so it is never chosen), the total is the sequential sum to rounding, and the vectorised count
    /// equals the scalar one at random points and exactly at prefix values.
    /// </summary>
    [Fact]
    public void ChunkedPrefix_is_monotone_and_never_selects_a_zero_weight()
    {
        var random = new System.Random(15);
        foreach (int n in new[] { 4, 8, 20, 64, 292 })
            for (int trial = 0; trial < 300; trial++)
            {
                var w = new double[n];
                for (int j = 0; j < n; j++) w[j] = random.Next(3) == 0 ? 0 : random.NextDouble() * Math.Pow(10, random.Next(-15, 15));
                var prefix = new double[n];
                double total = CumulativeSearch.ChunkedPrefix(w, prefix), sequential = 0;
                foreach (double v in w) sequential += v;
                Assert.Equal(prefix[^1], total);
                Assert.True(Math.Abs(total - sequential) <= 1e-13 * sequential, $"total {total} vs {sequential}");
                for (int j = 1; j < n; j++)
                {
                    Assert.True(prefix[j] >= prefix[j - 1], $"n = {n}: prefix[{j}] = {prefix[j]} < prefix[{j - 1}] = {prefix[j - 1]}");
                    if (w[j] == 0) Assert.Equal(prefix[j - 1], prefix[j]);
                }
                for (int k = 0; k < 20; k++)
                {
                    double r = k < 10 ? random.NextDouble() * total : prefix[random.Next(n)];
                    int count = CumulativeSearch.CountAtMostChunked(prefix, r);
                    Assert.Equal(CumulativeSearch.CountAtMost(prefix, 0, n, r), count);
                    if (count < n) Assert.True(w[count] > 0, $"chose zero weight {count}");
                }
            }
    }
}

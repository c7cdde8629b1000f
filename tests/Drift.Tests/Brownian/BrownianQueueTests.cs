using Drift.Brownian;
using Drift.Random;

namespace Drift.Tests.Brownian;

public class BrownianQueueTests
{
    private const int Paths = 4000;

    /// <summary>
    /// Walks path <paramref name="path"/> from 0 to 1 with random proposed steps; a step whose |ΔW| exceeds
    /// threshold·√h is rejected and retried at a random fraction of its length — a rule that looks at the increment
    /// itself, where redrawing instead of bridging biases the path. <paramref name="redraw"/> makes every attempt
    /// read fresh values (a different path index per attempt): the biased baseline.
    /// </summary>
    private static (double W, double H, int Rejections) Walk(BrownianQueue queue, long path, double threshold, bool redraw = false)
    {
        var random = new System.Random((int)path);
        Span<double> w = stackalloc double[1], hBar = stackalloc double[1];
        double t = 0, total = 0, area = 0;
        int rejections = 0, attempt = 0;
        queue.Reset(path, 0);
        while (t < 1)
        {
            double end = Math.Min(1, t + 0.05 + 0.2 * random.NextDouble());
            while (true)
            {
                if (redraw) queue.Reset(1_000_000 + path * 10_000 + attempt++, t);
                queue.Increment(end, w, hBar);
                double h = end - t;
                if (Math.Abs(w[0]) > threshold * Math.Sqrt(h) && h > 1e-3)
                {
                    rejections++;
                    end = t + h * (0.2 + 0.6 * random.NextDouble());
                    continue;
                }
                LevyBridge.Join(t, total, area, h, w[0], hBar[0], out total, out area);
                queue.Advance(end);
                t = end;
                break;
            }
        }
        return (total, area, rejections);
    }

    [Fact]
    public void Rejections_that_look_at_the_increment_leave_W_and_its_Levy_area_at_the_end_exactly_Gaussian()
    {
        var queue = new BrownianQueue(7, 1);
        var w = new double[Paths];
        var h = new double[Paths];
        long rejections = 0;
        for (int p = 0; p < Paths; p++)
        {
            var (total, area, r) = Walk(queue, p, 1.0);
            w[p] = total;
            h[p] = area;
            rejections += r;
        }
        Assert.True(rejections > Paths, $"only {rejections} rejections: the test needs many to mean anything");
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(w, StatisticalTests.NormalCdf) > 1e-3, "W(1) is not N(0, 1)");
        // H(0, 1) = H̄(0, 1) ~ N(0, 1/12), independent of W(1).
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(h, x => StatisticalTests.NormalCdf(x * Math.Sqrt(12))) > 1e-3, "H(0, 1) is not N(0, 1/12)");
        Assert.True(Math.Abs(StatisticalTests.Correlation(w, h)) < 4.5 / Math.Sqrt(Paths));

        // The same rule with values redrawn at every attempt keeps W(1) visibly narrower: the test can fail.
        var biased = new double[Paths];
        for (int p = 0; p < Paths; p++) biased[p] = Walk(queue, p, 1.0, redraw: true).W;
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(biased, StatisticalTests.NormalCdf) < 1e-6);
    }

    [Fact]
    public void A_rejected_step_is_bridged_the_split_and_the_rest_have_the_Brownian_covariances()
    {
        // Per path: [0, 0.5] rejected, [0, 0.2] accepted (a split), [0.2, 0.7] accepted (the split's rest joined to a fresh piece).
        var queue = new BrownianQueue(3, 1);
        var w1 = new double[Paths];
        var w2 = new double[Paths];
        var h1 = new double[Paths];
        var h2 = new double[Paths];
        Span<double> w = stackalloc double[1], hBar = stackalloc double[1];
        for (int p = 0; p < Paths; p++)
        {
            queue.Reset(p, 0);
            queue.Increment(0.5, w, hBar);
            queue.Increment(0.2, w, hBar);
            (w1[p], h1[p]) = (w[0], hBar[0] / 0.2);
            queue.Advance(0.2);
            Assert.Equal(1, queue.Pending);
            queue.Increment(0.7, w, hBar);
            (w2[p], h2[p]) = (w[0], hBar[0] / 0.5);
            queue.Advance(0.7);
            Assert.Equal(0, queue.Pending);
        }
        AssertVariance(w1, 0.2);
        AssertVariance(w2, 0.5);
        AssertVariance(h1, 0.2 / 12);
        AssertVariance(h2, 0.5 / 12);
        double bound = 4.5 / Math.Sqrt(Paths);
        Assert.True(Math.Abs(StatisticalTests.Correlation(w1, w2)) < bound);
        Assert.True(Math.Abs(StatisticalTests.Correlation(w1, h1)) < bound);
        Assert.True(Math.Abs(StatisticalTests.Correlation(w2, h2)) < bound);
        Assert.True(Math.Abs(StatisticalTests.Correlation(h1, h2)) < bound);
        Assert.True(Math.Abs(StatisticalTests.Correlation(w1, h2)) < bound);
    }

    private static void AssertVariance(double[] x, double expected)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        // The sample variance of N Gaussians has standard error σ²·√(2/(N − 1)).
        Assert.True(Math.Abs(variance - expected) < 4.5 * expected * Math.Sqrt(2.0 / (x.Length - 1)), $"variance {variance} vs {expected}");
    }

    [Fact]
    public void Pieces_join_back_to_the_values_they_were_split_from_and_values_depend_only_on_seed_path_and_queries()
    {
        const int m = 3;
        var queue = new BrownianQueue(11, m);
        var other = new BrownianQueue(11, m);
        Span<double> w = stackalloc double[m], hBar = stackalloc double[m];
        Span<double> w1 = stackalloc double[m], h1 = stackalloc double[m], w2 = stackalloc double[m], h2 = stackalloc double[m];
        queue.Reset(5, 1.0);
        queue.Increment(1.8, w, hBar);
        queue.Increment(1.3, w1, h1);
        queue.Increment(1.1, w1, h1);   // a second rejection splits again
        queue.Increment(1.3, w1, h1);   // joins the two pieces of [1, 1.3]
        queue.Advance(1.3);
        queue.Increment(1.8, w2, h2);
        for (int j = 0; j < m; j++)
        {
            LevyBridge.Join(0.3, w1[j], h1[j], 0.5, w2[j], h2[j], out double joined, out double area);
            Assert.Equal(w[j], joined, 1e-14);
            Assert.Equal(hBar[j], area, 1e-14);
        }
        // Another queue with the same seed asks the same questions of the same path, after serving another path: same bits.
        other.Reset(9, 1.0);
        other.Increment(1.5, w1, h1);
        other.Reset(5, 1.0);
        other.Increment(1.8, w1, h1);
        Assert.True(w1.SequenceEqual(w) && h1.SequenceEqual(hBar));
        // A fresh piece is the pair of block 0 of stream path·m + j under the fresh key: what the lanes gather.
        var normals = new PhiloxNormals(BrownianQueue.FreshKey(11));
        for (int j = 0; j < m; j++)
        {
            Assert.Equal(Math.Sqrt(0.8) * normals.Draw(5 * m + (ulong)j, 0), w[j]);
            Assert.Equal(0.8 * Math.Sqrt(0.8) * (normals.Draw(5 * m + (ulong)j, 1) * BrownianQueue.InverseRoot12), hBar[j]);
        }
        Assert.Throws<ArgumentException>(() => queue.Increment(1.0, new double[m], new double[m]));
    }

    [Fact]
    public void The_per_lane_gather_gives_the_scalar_generator_bits_at_every_length()
    {
        var normals = new PhiloxNormals(42);
        var random = new System.Random(1);
        for (int n = 0; n <= 37; n++)
        {
            var streams = Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64()).ToArray();
            var blocks = Enumerable.Range(0, n).Select(_ => (ulong)random.Next(1 << 20)).ToArray();
            var z0 = new double[n];
            var z1 = new double[n];
            normals.PairsPerLane(streams, 3, blocks, z0, z1);
            for (int k = 0; k < n; k++)
            {
                Assert.Equal(normals.Draw(streams[k] + 3, 2 * blocks[k]), z0[k]);
                Assert.Equal(normals.Draw(streams[k] + 3, 2 * blocks[k] + 1), z1[k]);
            }
        }
    }
}

using Drift.Brownian;

namespace Drift.Tests.Brownian;

public class BrownianTreeTests
{
    private const int Paths = 20_000;

    private static (double[] W, double[] H) Increments(double s, double t, double t0 = 2, double t1 = 5)
    {
        var w = new double[Paths];
        var h = new double[Paths];
        // Two points inside one leaf are not jointly exact (documented), so the leaf is kept below the interval.
        double tolerance = Math.Min((t1 - t0) * Math.Pow(2, -20), (t - s) / 2);
        var tree = new BrownianTree(31, 0, 1, t0, t1, tolerance);
        Span<double> dw = stackalloc double[1], levy = stackalloc double[1];
        for (int p = 0; p < Paths; p++)
        {
            tree.Reset(p);
            tree.Increment(s, t, dw, levy);
            w[p] = dw[0];
            h[p] = levy[0];
        }
        return (w, h);
    }

    [Theory]
    [InlineData(2.0, 5.0)]
    [InlineData(2.3, 3.1)]
    [InlineData(4.99, 5.0)]
    [InlineData(3.123456, 3.1234567)]
    public void Increments_and_Levy_areas_have_their_laws(double s, double t)
    {
        var (w, h) = Increments(s, t);
        var zw = w.Select(v => v / Math.Sqrt(t - s)).ToArray();
        var zh = h.Select(v => v / Math.Sqrt((t - s) / 12)).ToArray();
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(zw, StatisticalTests.NormalCdf) > 1e-3);
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(zh, StatisticalTests.NormalCdf) > 1e-3);
        double bound = 5 / Math.Sqrt(Paths);
        Assert.InRange(StatisticalTests.Correlation(zw, zh), -bound, bound);
        // Var H = (t − s)/12 within its standard error √(2/n).
        double varianceRatio = zh.Select(v => v * v).Average();
        Assert.InRange(varianceRatio, 1 - 5 * Math.Sqrt(2.0 / Paths), 1 + 5 * Math.Sqrt(2.0 / Paths));
    }

    [Fact]
    public void Brownian_bridge_has_the_conditional_mean_and_variance()
    {
        // Given W over [2, 5], W(2, r) − (r − 2)/3 · W(2, 5) has variance (r − 2)(5 − r)/3 and is uncorrelated with W(2, 5).
        var tree = new BrownianTree(8, 0, 1, 2, 5);
        double r = 3.7;
        var residual = new double[Paths];
        var end = new double[Paths];
        Span<double> a = stackalloc double[1], b = stackalloc double[1];
        for (int p = 0; p < Paths; p++)
        {
            tree.Reset(p);
            tree.Increment(2, 5, a, default);
            tree.Increment(2, r, b, default);
            residual[p] = b[0] - (r - 2) / 3 * a[0];
            end[p] = a[0];
        }
        double variance = residual.Select(v => v * v).Average();
        double expected = (r - 2) * (5 - r) / 3;
        Assert.InRange(variance, expected * (1 - 5 * Math.Sqrt(2.0 / Paths)), expected * (1 + 5 * Math.Sqrt(2.0 / Paths)));
        Assert.InRange(residual.Average(), -5 * Math.Sqrt(expected / Paths), 5 * Math.Sqrt(expected / Paths));
        double bound = 5 / Math.Sqrt(Paths);
        Assert.InRange(StatisticalTests.Correlation(residual, end), -bound, bound);
    }

    [Fact]
    public void Increments_are_additive_and_Levy_areas_obey_Chens_relation()
    {
        var tree = new BrownianTree(5, 3, 2, 0, 1);
        Span<double> wsu = stackalloc double[2], hsu = stackalloc double[2], wst = stackalloc double[2], hst = stackalloc double[2], wtu = stackalloc double[2], htu = stackalloc double[2];
        var rng = new System.Random(4);
        for (int k = 0; k < 200; k++)
        {
            double[] pts = [rng.NextDouble(), rng.NextDouble(), rng.NextDouble()];
            Array.Sort(pts);
            var (s, t, u) = (pts[0], pts[1], pts[2]);
            tree.Increment(s, u, wsu, hsu);
            tree.Increment(s, t, wst, hst);
            tree.Increment(t, u, wtu, htu);
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(wsu[j], wst[j] + wtu[j], 1e-12);
                // ∫_s^u (W − W_s) = ∫_s^t (W − W_s) + ∫_t^u (W − W_t) + (u − t) W(s, t), with ∫ = h(H + ΔW/2).
                double whole = (u - s) * (hsu[j] + 0.5 * wsu[j]);
                double parts = (t - s) * (hst[j] + 0.5 * wst[j]) + (u - t) * (htu[j] + 0.5 * wtu[j]) + (u - t) * wst[j];
                Assert.Equal(whole, parts, 1e-12);
            }
        }
    }

    [Fact]
    public void Values_do_not_depend_on_the_order_of_queries()
    {
        var times = Enumerable.Range(0, 60).Select(k => 1.0 + k * 0.05).ToArray();
        var forward = new BrownianTree(77, 12, 3, 1, 4);
        var shuffled = new BrownianTree(77, 12, 3, 1, 4);
        var results = new double[times.Length - 1][];
        for (int k = 0; k + 1 < times.Length; k++)
        {
            results[k] = new double[6];
            forward.Increment(times[k], times[k + 1], results[k].AsSpan(0, 3), results[k].AsSpan(3, 3));
        }
        var order = Enumerable.Range(0, times.Length - 1).OrderBy(k => (k * 7919) % 59).ToArray();
        var other = new double[6];
        foreach (int k in order)
        {
            shuffled.Increment(times[k], times[k + 1], other.AsSpan(0, 3), other.AsSpan(3, 3));
            Assert.Equal(results[k], other);
            // A finer look inside the step does not change it either.
            shuffled.Increment(times[k], 0.5 * (times[k] + times[k + 1]), other.AsSpan(0, 3), other.AsSpan(3, 3));
        }
        shuffled.Increment(times[5], times[6], other.AsSpan(0, 3), other.AsSpan(3, 3));
        Assert.Equal(results[5], other);
    }

    [Fact]
    public void Different_paths_and_components_are_independent()
    {
        var tree = new BrownianTree(1, 0, 2, 0, 1);
        var a = new double[Paths];
        var b = new double[Paths];
        var c = new double[Paths];
        Span<double> w = stackalloc double[2];
        for (int p = 0; p < Paths; p++)
        {
            tree.Reset(p);
            tree.Increment(0.2, 0.9, w, default);
            a[p] = w[0];
            b[p] = w[1];
            tree.Reset(p + 1);
            tree.Increment(0.2, 0.9, w, default);
            c[p] = w[0];
        }
        double bound = 5 / Math.Sqrt(Paths);
        Assert.InRange(StatisticalTests.Correlation(a, b), -bound, bound);
        Assert.InRange(StatisticalTests.Correlation(a, c), -bound, bound);
    }

    [Fact]
    public void Bad_queries_are_rejected()
    {
        var tree = new BrownianTree(1, 0, 1, 0, 1);
        Assert.Throws<ArgumentException>(() => tree.Increment(0.5, 0.4, new double[1], default));
        Assert.Throws<ArgumentException>(() => tree.Increment(-0.1, 0.4, new double[1], default));
        Assert.Throws<ArgumentException>(() => tree.Increment(0.1, 1.4, new double[1], default));
        Assert.Throws<ArgumentException>(() => new BrownianTree(1, 0, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianTree(1, 0, 0, 0, 1));
    }
}

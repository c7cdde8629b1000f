using Drift.Transport.Numerics;

namespace Drift.Transport.Tests;

/// <summary>Every SIMD kernel against a scalar double loop, for all lengths 0..256 (so every tail path is hit).</summary>
public class SimdTests
{
    private static double[] RandomArray(Random rng, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();

    [Fact]
    public void Dot_and_axpy_match_scalar_loops_for_all_lengths()
    {
        var rng = new Random(1);
        for (int n = 0; n <= 256; n++)
        {
            var x = RandomArray(rng, n, 3);
            var y = RandomArray(rng, n, 3);
            double dot = 0;
            for (int k = 0; k < n; k++) dot += x[k] * y[k];
            Assert.Equal(dot, Simd.Dot(x, y), 1e-12);
            var z = (double[])y.Clone();
            Simd.Axpy(0.7, x, z);
            for (int k = 0; k < n; k++) Assert.Equal(y[k] + 0.7 * x[k], z[k], 1e-15);
        }
    }

    [Fact]
    public void Exponential_rows_match_Math_Exp_for_all_lengths()
    {
        var rng = new Random(2);
        for (int n = 0; n <= 256; n++)
        {
            var g = RandomArray(rng, n, 2);
            var c = RandomArray(rng, n, 2);
            var w = RandomArray(rng, n, 1).Select(Math.Abs).ToArray();
            var e = new double[n];
            double s = Simd.ExpRow(0.3, g, c, 7.5, w, e);
            double expected = 0;
            for (int k = 0; k < n; k++)
            {
                double ek = Math.Exp((0.3 + g[k] - c[k]) * 7.5);
                Assert.Equal(ek, e[k], ek * 1e-14);
                expected += w[k] * ek;
            }
            Assert.Equal(expected, s, Math.Abs(expected) * 1e-13);
            Assert.Equal(expected, Simd.ExpRowSum(0.3, g, c, 7.5, w), Math.Abs(expected) * 1e-13);
        }
    }

    [Fact]
    public void Exponential_rows_propagate_infinities_and_NaN()
    {
        for (int n = 2; n <= 24; n++)
        {
            var g = new double[n];
            var c = new double[n];
            var w = Enumerable.Repeat(1.0, n).ToArray();
            var e = new double[n];
            c[n - 1] = double.PositiveInfinity;
            Assert.Equal(n - 1, Simd.ExpRow(0, g, c, 1, w, e));
            Assert.Equal(0.0, e[n - 1]);
            g[0] = 1000;
            Assert.Equal(double.PositiveInfinity, Simd.ExpRowSum(0, g, c, 1, w));
            g[0] = double.NaN;
            Assert.True(double.IsNaN(Simd.ExpRowSum(0, g, c, 1, w)));
        }
    }

    [Fact]
    public void Exponential_flushes_below_the_normal_range_and_matches_Math_Exp_elsewhere()
    {
        for (int k = 0; k <= 3000; k++)
        {
            double t = -800 + 0.5 * k;
            double expected = t < -690 ? 0 : Math.Exp(t);
            Assert.Equal(expected, Simd.Exp(t));
            double v512 = Simd.Exp(System.Runtime.Intrinsics.Vector512.Create(t))[3];
            double v256 = Simd.Exp(System.Runtime.Intrinsics.Vector256.Create(t))[1];
            Assert.Equal(expected, v512, expected * 1e-15);
            Assert.Equal(expected, v256, expected * 1e-15);
        }
        Assert.Equal(double.PositiveInfinity, Simd.Exp(System.Runtime.Intrinsics.Vector512.Create(710.0))[0]);
        Assert.True(double.IsNaN(Simd.Exp(System.Runtime.Intrinsics.Vector256.Create(double.NaN))[0]));
    }

    [Fact]
    public void Soft_minimum_is_the_stable_log_sum_exp()
    {
        double[] g = [0, 1, 2];
        double[] c = [1000, 1001, 1000.5];
        double[] logW = [Math.Log(0.2), Math.Log(0.3), double.NegativeInfinity];
        const double eps = 0.01;
        // −ε log Σ wⱼ exp((gⱼ − cⱼ)/ε) with the zero-weight term dropped, evaluated around its largest exponent.
        double t0 = Math.Log(0.2) + (0 - 1000) / eps, t1 = Math.Log(0.3) + (1 - 1001) / eps;
        double max = Math.Max(t0, t1);
        double expected = -eps * (max + Math.Log(Math.Exp(t0 - max) + Math.Exp(t1 - max)));
        Assert.Equal(expected, Simd.SoftMin(g, c, logW, eps), 1e-12);
    }
}

using Drift.Transport.Sinkhorn;

namespace Drift.Transport.Tests;

/// <summary>
/// The Sinkhorn row kernels against independent scalar oracles, bit for bit, for every length 0..256 (every tail),
/// and against Math.Exp for accuracy. The CI re-runs this project with AVX-512 off and with AVX2 off, so these
/// comparisons prove the same bits at every vector width.
/// </summary>
public class GibbsRowTests
{
    private static double[] RandomArray(System.Random rng, int n, double scale) =>
        Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();

    /// <summary>The published method (Cody–Waite reduction, degree-13 Taylor, 2ᵏ in the exponent bits), scalar, with Math.FusedMultiplyAdd.</summary>
    private static double OracleExp(double t)
    {
        if (double.IsNaN(t)) return double.NaN;
        if (t < -690) return 0;
        if (t > 709) return double.PositiveInfinity;
        // k = round(t·log₂e), rounded as fma(t, log₂e, 1.5·2⁵²) rounds it.
        double k = Math.FusedMultiplyAdd(t, 1.4426950408889634, 6755399441055744.0) - 6755399441055744.0;
        double r = Math.FusedMultiplyAdd(k, -0.693147180369123816490, t);
        r = Math.FusedMultiplyAdd(k, -1.90821492927058770002e-10, r);
        double[] inv = [6227020800.0, 479001600.0, 39916800.0, 3628800.0, 362880.0, 40320.0, 5040.0, 720.0, 120.0, 24.0, 6.0, 2.0, 1.0, 1.0];
        double p = 1 / inv[0];
        for (int q = 1; q < inv.Length; q++) p = Math.FusedMultiplyAdd(p, r, 1 / inv[q]);
        return p * Math.ScaleB(1.0, (int)k);
    }

    /// <summary>Σ wⱼ eⱼ the documented way: sixteen FMA partial sums by j mod 16, then a balanced tree.</summary>
    private static double OracleDot(double[] x, double[] y)
    {
        var s = new double[16];
        for (int j = 0; j < x.Length; j++) s[j % 16] = Math.FusedMultiplyAdd(x[j], y[j], s[j % 16]);
        while (s.Length > 1) s = Enumerable.Range(0, s.Length / 2).Select(k => s[2 * k] + s[2 * k + 1]).ToArray();
        return s[0];
    }

    [Fact]
    public void Exponential_rows_equal_the_scalar_oracle_bit_for_bit_for_all_lengths()
    {
        var rng = new System.Random(2);
        for (int n = 0; n <= 256; n++)
        {
            var g = RandomArray(rng, n, 2);
            var c = RandomArray(rng, n, 2);
            var w = RandomArray(rng, n, 1).Select(Math.Abs).ToArray();
            if (n > 3) { c[n / 2] = double.PositiveInfinity; g[n / 3] = 1e4; }
            var e = new double[n];
            double s = GibbsRow.ExpRow(0.3, g, c, 7.5, w, e);
            var expected = new double[n];
            for (int k = 0; k < n; k++)
            {
                expected[k] = OracleExp((0.3 + g[k] - c[k]) * 7.5);
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected[k]), BitConverter.DoubleToInt64Bits(e[k]));
            }
            Assert.Equal(BitConverter.DoubleToInt64Bits(OracleDot(expected, w)), BitConverter.DoubleToInt64Bits(s));
        }
    }

    [Fact]
    public void Exponential_is_within_two_ulp_of_Math_Exp_and_flushes_below_the_normal_range()
    {
        double worst = 0;
        for (int k = 0; k <= 30000; k++)
        {
            double t = -800 + 0.05 * k + 1e-7 * (k % 7);
            double expected = t < -690 ? 0 : t > 709 ? double.PositiveInfinity : Math.Exp(t);
            double got = GibbsRow.Exp(t);
            Assert.Equal(BitConverter.DoubleToInt64Bits(OracleExp(t)), BitConverter.DoubleToInt64Bits(got));
            if (expected == 0 || double.IsInfinity(expected)) Assert.Equal(expected, got);
            else worst = Math.Max(worst, Math.Abs(got - expected) / (Math.BitIncrement(expected) - expected));
        }
        Assert.True(worst <= 2, $"worst error {worst} ulp");
        Assert.True(double.IsNaN(GibbsRow.Exp(double.NaN)));
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
            Assert.Equal(n - 1, GibbsRow.ExpRow(0, g, c, 1, w, e));
            Assert.Equal(0.0, e[n - 1]);
            g[0] = 1000;
            Assert.Equal(double.PositiveInfinity, GibbsRow.ExpRow(0, g, c, 1, w, e));
            g[0] = double.NaN;
            Assert.True(double.IsNaN(GibbsRow.ExpRow(0, g, c, 1, w, e)));
        }
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
        Assert.Equal(expected, GibbsRow.SoftMin(g, c, logW, eps), 1e-12);
    }
}

using Drift.Learning.Autodiff;
using Drift.Numerics;
using Xunit.Abstractions;

namespace Drift.Learning.Tests.Autodiff;

/// <summary>Accuracy of the vectorised eˣ and tanh against Math.Exp/Math.Tanh, and the same bits at every width, alignment and length.</summary>
public class LaneKernelsTests(ITestOutputHelper output)
{
    /// <summary>Distance in units in the last place: how many doubles lie between a and b (0 when both are NaN or equal).</summary>
    static long Ulps(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.IsNaN(a) && double.IsNaN(b) ? 0 : long.MaxValue;
        static long Ordered(double v) { long l = BitConverter.DoubleToInt64Bits(v); return l < 0 ? long.MinValue - l : l; }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    static long Ulps(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b)) return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        static long Ordered(float v) { int l = BitConverter.SingleToInt32Bits(v); return l < 0 ? int.MinValue - (long)l : l; }
        return Math.Abs(Ordered(a) - Ordered(b));
    }

    static readonly double[] Specials =
    [
        0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 2.2250738585072014e-308, 1e-300, -1e-300, 1e-17, -1e-17,
        1e-9, -1e-9, 0.5493061443340548, -0.5493061443340548, 0.54930614433405495, 1, -1, 19.0, 20, 22, 40, -40,
        -689.99, -690.0, -690.01, -708, -745.2, -746, 708.9, 709.0, 709.01, 709.78, 710, 1e300, -1e300,
        double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        88.72, 88.73, -87.3, -103.9, -104, -150, -1e-45, 1e-45,
    ];

    static double[] Dense(double lo, double hi, double step) =>
        [.. Enumerable.Range(0, (int)((hi - lo) / step) + 1).Select(i => lo + i * step), .. Specials];

    [Fact]
    public void Double_exp_is_within_2_ulp_of_Math_Exp_and_flushes_and_overflows_where_documented()
    {
        var x = Dense(-750, 712, 0.00731);
        var y = new double[x.Length];
        LaneKernels.Exp<double>(x, y);
        long worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (double.IsNaN(v)) Assert.True(double.IsNaN(y[i]));
            else if (v < LaneMath<Lanes1, ulong, double>.ExpLow) Assert.Equal(0.0, y[i]);
            else if (v > LaneMath<Lanes1, ulong, double>.ExpHigh) Assert.Equal(double.PositiveInfinity, y[i]);
            else
            {
                long u = Ulps(y[i], Math.Exp(v));
                Assert.True(u <= 2, $"exp({v:R}) = {y[i]:R}, Math.Exp {Math.Exp(v):R}: {u} ulp");
                worst = Math.Max(worst, u);
            }
        }
        output.WriteLine($"double exp: max {worst} ulp over {x.Length} points");
    }

    [Fact]
    public void Float_exp_is_within_1_ulp_of_the_rounded_exact_value_including_subnormals_and_overflow()
    {
        var xd = Dense(-110, 95, 0.00113);
        var x = xd.Select(v => (float)v).ToArray();
        var y = new float[x.Length];
        LaneKernels.Exp<float>(x, y);
        long worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float exact = (float)Math.Exp(x[i]); // Math.Exp is within 1 double ulp: rounded to float it is the float answer
            long u = Ulps(y[i], exact);
            Assert.True(u <= 1, $"exp({x[i]:R}) = {y[i]:R}, rounded Math.Exp {exact:R}: {u} ulp");
            worst = Math.Max(worst, u);
        }
        Assert.Equal(float.PositiveInfinity, y[Array.IndexOf(x, 88.73f)]);
        Assert.True(float.IsSubnormal(y[Array.IndexOf(x, -103.9f)]));
        output.WriteLine($"float exp: max {worst} ulp over {x.Length} points");
    }

    [Fact]
    public void Double_tanh_is_within_2_ulp_of_Math_Tanh_with_sign_saturation_and_NaN()
    {
        var x = Dense(-25, 25, 0.000517).Concat(Enumerable.Range(0, 2000).Select(i => Math.Pow(10, -20 + i * 0.01))).ToArray();
        var y = new double[x.Length];
        LaneKernels.Tanh<double>(x, y);
        long worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long u = Ulps(y[i], Math.Tanh(x[i]));
            Assert.True(u <= 2, $"tanh({x[i]:R}) = {y[i]:R}, Math.Tanh {Math.Tanh(x[i]):R}: {u} ulp");
            worst = Math.Max(worst, u);
        }
        double[] s = [-0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 30, -30];
        var t = new double[s.Length];
        LaneKernels.Tanh<double>(s, t);
        Assert.True(double.IsNegative(t[0]) && t[0] == 0);
        Assert.Equal([1.0, -1.0], t[1..3]);
        Assert.True(double.IsNaN(t[3]));
        Assert.Equal([1.0, -1.0], t[4..6]);
        output.WriteLine($"double tanh: max {worst} ulp over {x.Length} points");
    }

    [Fact]
    public void Float_tanh_is_within_1_ulp_of_the_rounded_exact_value()
    {
        var x = Dense(-12, 12, 0.0001013).Select(v => (float)v)
            .Concat(Enumerable.Range(0, 2000).Select(i => (float)Math.Pow(10, -44 + i * 0.022))).ToArray();
        var y = new float[x.Length];
        LaneKernels.Tanh<float>(x, y);
        long worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long u = Ulps(y[i], (float)Math.Tanh(x[i]));
            Assert.True(u <= 1, $"tanh({x[i]:R}) = {y[i]:R}, rounded Math.Tanh {(float)Math.Tanh(x[i]):R}: {u} ulp");
            worst = Math.Max(worst, u);
        }
        output.WriteLine($"float tanh: max {worst} ulp over {x.Length} points");
    }

    [Fact]
    public void Vector_widths_give_the_bits_of_the_scalar_lane_at_every_offset_and_length()
    {
        var random = new System.Random(11);
        var all = new double[90];
        for (int i = 0; i < all.Length; i++)
            all[i] = i % 9 == 4 ? Specials[random.Next(Specials.Length)] : (random.NextDouble() - 0.5) * (i % 3 == 0 ? 2 : 60);
        var exp = new LaneKernels.ExpOp();
        var tanh = new LaneKernels.TanhOp();
        for (int start = 0; start < 9; start++)
            for (int length = 0; start + length <= all.Length; length += 5)
            {
                var x = all.AsSpan(start, length);
                var e = new double[length]; var t = new double[length];
                var ef = new float[length]; var tf = new float[length];
                var xf = x.ToArray().Select(v => (float)v).ToArray();
                LaneKernels.Exp<double>(x, e);
                LaneKernels.Tanh<double>(x, t);
                LaneKernels.Exp<float>(xf, ef);
                LaneKernels.Tanh<float>(xf, tf);
                for (int i = 0; i < length; i++)
                {
                    double v = x[i];
                    Assert.Equal(BitConverter.DoubleToInt64Bits(exp.Apply<Lanes1, ulong, double>(v)), BitConverter.DoubleToInt64Bits(e[i]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(tanh.Apply<Lanes1, ulong, double>(v)), BitConverter.DoubleToInt64Bits(t[i]));
                    Assert.Equal(BitConverter.SingleToInt32Bits((float)exp.Apply<Lanes1, ulong, double>(xf[i])), BitConverter.SingleToInt32Bits(ef[i]));
                    Assert.Equal(BitConverter.SingleToInt32Bits((float)tanh.Apply<Lanes1, ulong, double>(xf[i])), BitConverter.SingleToInt32Bits(tf[i]));
                }
            }
    }
}

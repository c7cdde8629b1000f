using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Finite-difference checks (see <see cref="GradCheck"/>) of the element-wise operations, binary ones under broadcasting.</summary>
public class ElementwiseGradientTests
{
    static Tensor<double> V(Random rng, params int[] shape) => GradCheck.Variable(rng, -2, 2, shape);

    /// <summary>A denominator bounded away from zero: magnitudes in [0.5, 2] with random signs.</summary>
    static Tensor<double> Denominator(Random rng, params int[] shape)
    {
        var t = GradCheck.Variable(rng, 0.5, 2, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) if (rng.Next(2) == 0) s[i] = -s[i];
        return t;
    }

    public static TheoryData<int[], int[]> BroadcastShapes => new()
    {
        { new[] { 3, 4 }, new[] { 3, 4 } },
        { new[] { 3, 4 }, new[] { 4 } },
        { new[] { 4 }, new[] { 3, 4 } },
        { new[] { 3, 1 }, new[] { 1, 4 } },
        { new[] { 2, 3, 4 }, new[] { 3, 1 } },
        { new[] { 3, 1 }, new[] { 2, 3, 4 } },
        { Array.Empty<int>(), new[] { 3, 4 } },
        { new[] { 3, 4 }, Array.Empty<int>() },
        { new[] { 1 }, new[] { 5, 1 } },
        { new[] { 5, 1 }, new[] { 1 } },
        { new[] { 2, 1, 4 }, new[] { 2, 3, 1 } },
    };

    static void CheckBroadcastShape(Tensor<double> y, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var expected = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            int da = k < rank - a.Length ? 1 : a[k - (rank - a.Length)];
            int db = k < rank - b.Length ? 1 : b[k - (rank - b.Length)];
            expected[k] = Math.Max(da, db);
        }
        Assert.Equal(expected, y.Shape.ToArray());
    }

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Add_with_broadcasting_matches_finite_differences_for_both_operands(int[] a, int[] b)
    {
        var rng = new Random(1);
        var (x, y) = (V(rng, a), V(rng, b));
        CheckBroadcastShape(Ops.Add(x, y), a, b);
        GradCheck.Check(t => Ops.Add(t[0], t[1]), [x, y]);
        GradCheck.Check(t => t[0] + t[1], [x, y]);
    }

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Subtract_with_broadcasting_matches_finite_differences_for_both_operands(int[] a, int[] b)
    {
        var rng = new Random(2);
        var (x, y) = (V(rng, a), V(rng, b));
        CheckBroadcastShape(Ops.Subtract(x, y), a, b);
        GradCheck.Check(t => Ops.Subtract(t[0], t[1]), [x, y]);
        GradCheck.Check(t => t[0] - t[1], [x, y]);
    }

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Multiply_with_broadcasting_matches_finite_differences_for_both_operands(int[] a, int[] b)
    {
        var rng = new Random(3);
        var (x, y) = (V(rng, a), V(rng, b));
        CheckBroadcastShape(Ops.Multiply(x, y), a, b);
        GradCheck.Check(t => Ops.Multiply(t[0], t[1]), [x, y]);
        GradCheck.Check(t => t[0] * t[1], [x, y]);
    }

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void Divide_with_broadcasting_matches_finite_differences_for_both_operands(int[] a, int[] b)
    {
        var rng = new Random(4);
        var (x, y) = (V(rng, a), Denominator(rng, b));
        CheckBroadcastShape(Ops.Divide(x, y), a, b);
        GradCheck.Check(t => Ops.Divide(t[0], t[1]), [x, y]);
        GradCheck.Check(t => t[0] / t[1], [x, y]);
    }

    [Fact]
    public void A_tensor_used_as_both_operands_accumulates_both_gradients()
    {
        var rng = new Random(5);
        GradCheck.Check(t => Ops.Multiply(t[0], t[0]), [V(rng, 3, 4)]);
        GradCheck.Check(t => Ops.Divide(t[0], Ops.AddScalar(Ops.Square(t[0]), 1.0)), [V(rng, 3, 4)]);
        GradCheck.Check(t => Ops.Subtract(t[0], Ops.Sum(t[0], 0)), [V(rng, 3, 4)]);
    }

    [Fact]
    public void Scale_AddScalar_Square_and_the_scalar_operators_match_finite_differences()
    {
        var rng = new Random(6);
        GradCheck.Check(x => Ops.Scale(x, -1.7), V(rng, 3, 4));
        GradCheck.Check(x => Ops.AddScalar(x, 2.5), V(rng, 3, 4));
        GradCheck.Check(x => Ops.Square(x), V(rng, 3, 4));
        GradCheck.Check(x => -x, V(rng, 2, 3));
        GradCheck.Check(x => x * 3.0, V(rng, 2, 3));
        GradCheck.Check(x => 3.0 * x, V(rng, 2, 3));
        GradCheck.Check(x => x / 4.0, V(rng, 2, 3));
        GradCheck.Check(x => x + 4.0, V(rng, 2, 3));
        GradCheck.Check(x => x - 4.0, V(rng, 2, 3));
        GradCheck.Check(x => Ops.Square(x), GradCheck.Variable(rng, -1, 1));
    }

    [Fact]
    public void Exp_Log_and_Sqrt_match_finite_differences()
    {
        var rng = new Random(7);
        GradCheck.Check(Ops.Exp, V(rng, 3, 4));
        GradCheck.Check(Ops.Log, GradCheck.Variable(rng, 0.3, 3, 3, 4));
        GradCheck.Check(Ops.Sqrt, GradCheck.Variable(rng, 0.3, 3, 3, 4));
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(0.37)]
    [InlineData(-1.3)]
    [InlineData(3.0)]
    public void Pow_with_a_constant_exponent_matches_finite_differences_on_positive_inputs(double p)
    {
        var rng = new Random(8);
        GradCheck.Check(x => Ops.Pow(x, p), GradCheck.Variable(rng, 0.4, 2.5, 3, 4));
    }

    [Fact]
    public void Sin_Cos_Tanh_Sigmoid_and_Softplus_match_finite_differences()
    {
        var rng = new Random(9);
        GradCheck.Check(Ops.Sin, V(rng, 3, 4));
        GradCheck.Check(Ops.Cos, V(rng, 3, 4));
        GradCheck.Check(Ops.Tanh, V(rng, 3, 4));
        GradCheck.Check(Ops.Sigmoid, GradCheck.Variable(rng, -6, 6, 3, 4));
        GradCheck.Check(Ops.Softplus, GradCheck.Variable(rng, -6, 6, 3, 4));
    }

    [Fact]
    public void Softplus_never_overflows_and_keeps_its_relative_accuracy_far_below_zero()
    {
        // softplus(x) = ln(1 + eˣ) = eˣ − e²ˣ/2 + … for x ≪ 0: a value that must not collapse to 0 (or lose digits)
        // long before eˣ underflows, as ln(1 + z) computed as log(1 + z) would.
        double[] xs = [-800, -60, -40, -30, -20, 40, 800];
        var x = Tensor<double>.Variable(xs, xs.Length);
        var y = Ops.Softplus(x);
        Assert.All(y.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0, y[0]);
        for (int i = 1; i <= 4; i++)
        {
            double z = Math.Exp(xs[i]);
            double expected = z - z * z / 2 + z * z * z / 3;
            Assert.True(Math.Abs(y[i] - expected) <= 1e-15 * expected, $"softplus({xs[i]}) = {y[i]:R}, expected {expected:R}");
        }
        Assert.Equal(40 + Math.Exp(-40), y[5]);
        Assert.Equal(800, y[6]);
        var g = Autograd.Grad(Ops.Sum(y), x);
        Assert.Equal(0, g[0]);
        Assert.Equal(1 / (1 + Math.Exp(40)), g[2], 1e-30);
        Assert.Equal(1, g[6]);
        // The same in float, where log(1 + z) already returns 0 for z below 6e-8 (x < −16.6).
        var yf = Ops.Softplus(Tensor<float>.FromSpan([-30f, -20f, -17f], 3));
        float[] xf = [-30f, -20f, -17f];
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(yf[i] - Math.Exp(xf[i])) <= 1e-6 * Math.Exp(xf[i]), $"float softplus({xf[i]}) = {yf[i]:R}");
    }

    /// <summary>A tensor whose entries are at least <paramref name="gap"/> away from <paramref name="kink"/>, so ±h never crosses it.</summary>
    static Tensor<double> AwayFrom(Random rng, double kink, double gap, params int[] shape)
    {
        var t = V(rng, shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++)
            if (Math.Abs(s[i] - kink) < gap) s[i] = kink + (s[i] >= kink ? gap : -gap);
        return t;
    }

    [Fact]
    public void Relu_and_ClampMin_match_finite_differences_away_from_the_kink()
    {
        var rng = new Random(10);
        var x = AwayFrom(rng, 0, 0.05, 4, 5);
        Assert.Contains(x.ToArray(), v => v < 0);
        Assert.Contains(x.ToArray(), v => v > 0);
        GradCheck.Check(Ops.Relu, x);
        var c = AwayFrom(rng, 0.3, 0.05, 4, 5);
        GradCheck.Check(t => Ops.ClampMin(t, 0.3), c);
        var g = Autograd.Grad(Ops.Sum(Ops.ClampMin(c, 0.3)), c).ToArray();
        Assert.Equal(c.ToArray().Select(v => v > 0.3 ? 1.0 : 0.0), g);
    }

    [Fact]
    public void Silu_Erf_and_Gelu_match_finite_differences()
    {
        var rng = new Random(11);
        GradCheck.Check(Ops.Silu, GradCheck.Variable(rng, -4, 4, 3, 5));
        GradCheck.Check(Ops.Erf, GradCheck.Variable(rng, -2.5, 2.5, 3, 5));
        GradCheck.Check(Ops.Gelu, GradCheck.Variable(rng, -4, 4, 3, 5));
        // Erf switches from its series to 1 − erfc at |x| = ½: the two must join smoothly.
        GradCheck.Check(Ops.Erf, Tensor<double>.Variable([-0.5 - 1e-3, -0.5 + 1e-3, 0.5 - 1e-3, 0.5 + 1e-3, 1e-4], 5));
    }
}

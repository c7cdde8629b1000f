using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>Finite-difference checks of the reductions and of softmax, on every axis of a rank-3 tensor.</summary>
public class ReductionGradientTests
{
    static Tensor<double> Rank3(int seed, double lo = -2, double hi = 2) => GradCheck.Variable(new Random(seed), lo, hi, 2, 3, 4);

    static int[] Reduced(int[] shape, int axis, bool keepDims)
    {
        int a = axis < 0 ? axis + shape.Length : axis;
        return keepDims ? shape.Select((d, k) => k == a ? 1 : d).ToArray() : shape.Where((_, k) => k != a).ToArray();
    }

    [Fact]
    public void Sum_and_Mean_of_all_elements_match_finite_differences()
    {
        var x = Rank3(1);
        var s = Ops.Sum(x);
        Assert.Equal(0, s.Rank);
        Assert.Equal(x.ToArray().Sum(), s.ToScalar(), 1e-14);
        Assert.Equal(x.ToArray().Average(), Ops.Mean(x).ToScalar(), 1e-14);
        GradCheck.Check(Ops.Sum, x);
        GradCheck.Check(Ops.Mean, x);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(-2, true)]
    public void Sum_and_Mean_over_an_axis_of_a_rank3_tensor_match_finite_differences(int axis, bool keepDims)
    {
        var x = Rank3(2 + axis);
        var shape = x.Shape.ToArray();
        var s = Ops.Sum(x, axis, keepDims);
        Assert.Equal(Reduced(shape, axis, keepDims), s.Shape.ToArray());
        // The value: Σ along the axis, against a direct loop.
        int a = axis < 0 ? axis + 3 : axis;
        var flat = s.ToArray();
        int at = 0;
        for (int i = 0; i < (a == 0 ? 1 : 2); i++)
            for (int j = 0; j < (a == 1 ? 1 : 3); j++)
                for (int k = 0; k < (a == 2 ? 1 : 4); k++)
                {
                    double expected = 0;
                    for (int e = 0; e < shape[a]; e++)
                        expected += x.Span[(a == 0 ? e : i) * 12 + (a == 1 ? e : j) * 4 + (a == 2 ? e : k)];
                    Assert.Equal(expected, flat[at++], 1e-14);
                }
        GradCheck.Check(t => Ops.Sum(t, axis, keepDims), x);
        GradCheck.Check(t => Ops.Mean(t, axis, keepDims), x);
        Assert.Equal(Reduced(shape, axis, keepDims), Ops.Mean(x, axis, keepDims).Shape.ToArray());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(-1, true)]
    public void LogSumExp_over_each_axis_matches_finite_differences(int axis, bool keepDims)
    {
        var x = Rank3(10 + axis);
        var y = Ops.LogSumExp(x, axis, keepDims);
        Assert.Equal(Reduced(x.Shape.ToArray(), axis, keepDims), y.Shape.ToArray());
        // Same value as log Σ exp taken naively (safe for these small inputs).
        var naive = Ops.Log(Ops.Sum(Ops.Exp(x.Detach()), axis, keepDims));
        for (int i = 0; i < y.Length; i++) Assert.Equal(naive[i], y[i], 1e-14);
        GradCheck.Check(t => Ops.LogSumExp(t, axis, keepDims), x);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Softmax_and_LogSoftmax_over_each_axis_match_finite_differences(int axis)
    {
        var x = Rank3(20 + axis);
        var p = Ops.Softmax(x, axis);
        var sums = Ops.Sum(p.Detach(), axis);
        Assert.All(sums.ToArray(), v => Assert.Equal(1, v, 1e-15));
        GradCheck.Check(t => Ops.Softmax(t, axis), x);
        GradCheck.Check(t => Ops.LogSoftmax(t, axis), x);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void LogSumExp_and_Softmax_of_values_near_1000_do_not_overflow_and_match_finite_differences(int axis)
    {
        // exp(1000) overflows double: only the max-shifted forms give finite values. The finite-difference
        // step is set for this magnitude: f's rounding error is ε·|x| ≈ 2e-13 here, and the step that balances it
        // against the truncation h²|f'''|/6 is h ≈ (3ε·1000)^{1/3} ≈ 1e-4 — relative step 1e-7. Then both errors are
        // about 1e-9, against an allowance of 1e-6·|g| + 1e-9 ≥ 2e-8 for the smallest gradients here. (GradCheck's
        // default 1e-6·|x| = 1e-3 would leave a truncation error ~1e-6 relative: right at the tolerance.)
        const double step = 1e-7;
        var x = Rank3(30 + axis, 999, 1001);
        var lse = Ops.LogSumExp(x, axis);
        Assert.All(lse.ToArray(), v => Assert.True(double.IsFinite(v) && v >= 999 && v < 1003));
        var shifted = Ops.LogSumExp(Ops.AddScalar(x.Detach(), -1000.0), axis);
        for (int i = 0; i < lse.Length; i++) Assert.Equal(shifted[i] + 1000, lse[i], 1e-12);
        var p = Ops.Softmax(x, axis);
        Assert.All(p.ToArray(), v => Assert.True(double.IsFinite(v) && v > 0 && v <= 1));
        GradCheck.Check(t => Ops.LogSumExp(t, axis), x, relativeStep: step);
        GradCheck.Check(t => Ops.Softmax(t, axis), x, relativeStep: step);
        GradCheck.Check(t => Ops.LogSoftmax(t, axis), x, relativeStep: step);
        // Very negative values must not underflow to log 0 either.
        var low = GradCheck.Variable(new Random(40 + axis), -1001, -999, 2, 3, 4);
        Assert.All(Ops.LogSumExp(low, axis).ToArray(), v => Assert.True(double.IsFinite(v)));
        GradCheck.Check(t => Ops.Softmax(t, axis), low, relativeStep: step);
    }

    [Fact]
    public void LogSumExp_of_a_row_with_one_dominant_value_has_the_one_hot_gradient()
    {
        var x = Tensor<double>.Variable([1000, 0, -1000, 3], 1, 4);
        var y = Ops.LogSumExp(x, 1);
        Assert.Equal(1000, y[0]);
        var g = Autograd.Grad(Ops.Sum(y), x);
        Assert.Equal([1, Math.Exp(-1000), 0, Math.Exp(-997)], g.ToArray());
    }
}

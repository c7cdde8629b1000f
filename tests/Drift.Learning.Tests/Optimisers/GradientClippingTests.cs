using Drift.Learning.Autodiff;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Tests.Optimisers;

public class GradientClippingTests
{
    static Tensor<double>[] Gradients(int seed, double scale)
    {
        var rng = new System.Random(seed);
        int[][] shapes = [[3, 4], [5], [2, 2]];
        return [.. shapes.Select(shape =>
        {
            var g = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < g.Length; i++) g[i] = scale * (2 * rng.NextDouble() - 1);
            return Tensor<double>.Wrap(g, shape);
        })];
    }

    /// <summary>√(Σ g²) summed from the largest term down (a different order from the implementation's), for an independent value.</summary>
    static double Norm(IEnumerable<Tensor<double>> gradients) =>
        Math.Sqrt(gradients.SelectMany(g => g.ToArray()).Select(v => v * v).OrderByDescending(v => v).Sum());

    [Fact]
    public void GlobalNorm_is_the_square_root_of_the_sum_of_all_squared_gradients()
    {
        var g = Gradients(60, 3);
        Assert.True(Math.Abs(GradientClipping.GlobalNorm(g) - Norm(g)) <= 1e-14 * Norm(g));
        var single = new[] { Tensor<double>.FromSpan([3.0, 4.0], 2), Tensor<double>.FromSpan([12.0], 1) };
        Assert.Equal(13.0, GradientClipping.GlobalNorm(single));
        var f = new[] { Tensor<float>.FromSpan([3f, 4f], 2), Tensor<float>.FromSpan([12f], 1) };
        Assert.Equal(13.0, GradientClipping.GlobalNorm(f));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.01)]
    [InlineData(5.0)]
    public void Clipping_above_the_threshold_scales_every_gradient_alike_to_norm_maxNorm_and_returns_the_norm_before(double maxNorm)
    {
        var g = Gradients(61, 3);
        var before = g.Select(t => t.ToArray()).ToArray();
        double norm = Norm(g);
        Assert.True(norm > maxNorm);
        double returned = GradientClipping.ClipByGlobalNorm(g, maxNorm);
        Assert.True(Math.Abs(returned - norm) <= 1e-14 * norm);
        // PyTorch's clip_grad_norm_: every gradient times maxNorm/(‖g‖ + 1e-6), so the new norm is maxNorm to 1e-6/‖g‖ relative.
        double scale = maxNorm / (norm + 1e-6);
        for (int i = 0; i < g.Length; i++)
            for (int k = 0; k < before[i].Length; k++)
                Assert.True(Math.Abs(g[i].Span[k] - before[i][k] * scale) <= 1e-15 * Math.Abs(before[i][k]));
        double after = Norm(g);
        Assert.True(Math.Abs(after - maxNorm) <= 1e-6 * maxNorm, $"clipped norm {after} vs {maxNorm}");
    }

    [Fact]
    public void Clipping_below_the_threshold_changes_nothing()
    {
        var g = Gradients(62, 0.1);
        var before = g.Select(t => t.ToArray()).ToArray();
        double norm = Norm(g);
        double returned = GradientClipping.ClipByGlobalNorm(g, norm * 1.01);
        Assert.True(Math.Abs(returned - norm) <= 1e-14 * norm);
        for (int i = 0; i < g.Length; i++) Assert.Equal(before[i], g[i].ToArray());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_non_finite_gradient_gives_a_non_finite_norm_and_no_scaling(double bad)
    {
        var g = Gradients(63, 3);
        g[1].Span[2] = bad;
        var before = g.Select(t => t.ToArray()).ToArray();
        double returned = GradientClipping.ClipByGlobalNorm(g, 1);
        Assert.False(double.IsFinite(returned));
        for (int i = 0; i < g.Length; i++) Assert.Equal(before[i], g[i].ToArray());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_non_positive_maxNorm_is_rejected(double maxNorm) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(Gradients(64, 1), maxNorm));
}

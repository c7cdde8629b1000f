using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// The fused training ops (Ops.LinearSilu, Ops.WeightedMse, the no-gradient sinusoidal embedding) against the composite
/// ops they replace (values and first-order gradients to 1e-12 in float64), against central differences, and — for
/// LinearSilu with recording on — Hessian–vector products against differences of the gradient.
/// </summary>
public class FusedLayerOpsTests
{
    static Tensor<double> V(int seed, double lo, double hi, params int[] shape) => GradCheck.Variable(new Random(seed), lo, hi, shape);

    static double MaxDifference(Tensor<double> a, Tensor<double> b)
    {
        Assert.Equal(a.Shape.ToArray(), b.Shape.ToArray());
        double worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a.Span[i] - b.Span[i]));
        return worst;
    }

    /// <summary>Value and gradients of Σ w ⊙ f(inputs) for the fused and the composite form.</summary>
    static void AssertSameAsComposite(Func<Tensor<double>[], Tensor<double>> fused, Func<Tensor<double>[], Tensor<double>> composite, Tensor<double>[] inputs)
    {
        var yf = fused(inputs);
        var yc = composite(inputs);
        Assert.True(MaxDifference(yf, yc) <= 1e-12, $"values differ by {MaxDifference(yf, yc)}");
        var w = GradCheck.Projection(new Random(9), yf.Shape);
        var gf = Autograd.Grad(Ops.Sum(Ops.Multiply(w, yf)), inputs);
        var gc = Autograd.Grad(Ops.Sum(Ops.Multiply(w, yc)), inputs);
        for (int i = 0; i < inputs.Length; i++)
            Assert.True(MaxDifference(gf[i], gc[i]) <= 1e-12, $"gradient {i} differs by {MaxDifference(gf[i], gc[i])}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LinearSilu_equals_Silu_of_Linear_and_its_gradients_match_the_composite_and_central_differences(bool bias)
    {
        Tensor<double>[] inputs = bias ? [V(1, -2, 2, 7, 5), V(2, -1, 1, 4, 5), V(3, -1, 1, 4)] : [V(1, -2, 2, 7, 5), V(2, -1, 1, 4, 5)];
        Tensor<double> Fused(Tensor<double>[] v) => Ops.LinearSilu(v[0], v[1], bias ? v[2] : null);
        Tensor<double> Composite(Tensor<double>[] v) => Ops.Silu(Ops.Linear(v[0], v[1], bias ? v[2] : null));
        AssertSameAsComposite(Fused, Composite, inputs);
        GradCheck.Check(Fused, inputs);
        GradCheck.CheckHessianVector(Fused, inputs);
    }

    [Fact]
    public void LinearSilu_in_float32_has_the_bits_of_Silu_of_Linear()
    {
        var rng = new Random(4);
        float[] R(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(2 * rng.NextDouble() - 1))];
        var x = Tensor<float>.Variable(R(37 * 9), [37, 9]);
        var weight = Tensor<float>.Variable(R(11 * 9), [11, 9]);
        var b = Tensor<float>.Variable(R(11), [11]);
        var yf = Ops.LinearSilu(x, weight, b);
        var yc = Ops.Silu(Ops.Linear(x, weight, b));
        Assert.Equal(yc.ToArray(), yf.ToArray());
        var gf = Autograd.Grad(Ops.Sum(Ops.Square(yf)), [x, weight, b]);
        var gc = Autograd.Grad(Ops.Sum(Ops.Square(yc)), [x, weight, b]);
        for (int i = 0; i < 3; i++) Assert.Equal(gc[i].ToArray(), gf[i].ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WeightedMse_equals_the_composite_weighted_mean_and_its_gradients_match_it_and_central_differences(bool columnWeights)
    {
        Tensor<double>[] inputs = [V(5, -2, 2, 6, 3), V(6, -2, 2, 6, 3), columnWeights ? V(7, 0.1, 2, 6, 1) : V(7, 0.1, 2, 6)];
        Tensor<double> Fused(Tensor<double>[] v) => Ops.WeightedMse(v[0], v[1], v[2]);
        Tensor<double> Composite(Tensor<double>[] v) => Ops.Mean(Ops.Multiply(Ops.Square(Ops.Subtract(v[0], v[1])), Ops.Reshape(v[2], [6, 1])));
        AssertSameAsComposite(Fused, Composite, inputs);
        GradCheck.Check(Fused, inputs);
        GradCheck.CheckHessianVector(Fused, inputs);
    }

    [Fact]
    public void WeightedMse_names_a_weight_that_does_not_hold_one_value_per_row()
    {
        var p = Tensor<double>.Zeros([4, 2]);
        var e = Assert.Throws<ArgumentException>(() => Ops.WeightedMse(p, p, Tensor<double>.Zeros([3])));
        Assert.Contains("[3]", e.Message);
    }

    [Fact]
    public void The_no_gradient_sinusoidal_embedding_equals_the_differentiable_one_in_float64_and_to_an_ulp_in_float32()
    {
        double[] times = [0, 1e-3, 0.25, 1, 7.25, 80, 999, 2500];
        var embedding = new SinusoidalEmbedding<double>(32);
        var fast = embedding.Forward(Tensor<double>.FromSpan(times, times.Length));
        var graph = embedding.Forward(Tensor<double>.Variable(times, times.Length));
        Assert.True(MaxDifference(fast, graph) <= 1e-12, $"float64 embeddings differ by {MaxDifference(fast, graph)}");

        var single = new SinusoidalEmbedding<float>(32);
        float[] t32 = [.. times.Select(t => (float)t)];
        var f32 = single.Forward(Tensor<float>.FromSpan(t32, t32.Length)).ToArray();
        var g32 = single.Forward(Tensor<float>.Variable(t32, t32.Length)).ToArray();
        for (int i = 0; i < f32.Length; i++)
            Assert.True(Math.Abs(f32[i] - g32[i]) <= 2 * float.Epsilon + 1.2e-7f, $"float32 element {i}: {f32[i]} vs {g32[i]}");
    }
}

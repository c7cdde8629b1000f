using Drift.Learning.Autodiff;
using Drift.Learning.Layers;
using Drift.Learning.Tests.Layers;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// The fused convolution and group norm against the composites of generic operations they replaced (kept as oracles):
/// the convolution's forward values bit for bit (the same fused multiply-add chain over (c, u, v)), both operations'
/// gradients for every input to 1e-12 relative in float64, and second derivatives of the fused group norm against
/// central differences of its gradient (central differences of first order are in ImageOpsTests and ImageLayerTests).
/// </summary>
public class FusedImageOpsTests
{
    /// <summary>⟨R, y⟩ for a fixed random R, so that every output element's gradient is exercised.</summary>
    static Tensor<double>[] Gradients(Func<Tensor<double>> forward, Tensor<double>[] inputs, int seed)
    {
        var y = forward();
        var weights = GradCheck.Uniform(new Random(seed), -1, 1, y.Shape.ToArray());
        return Autograd.Grad(Ops.Sum(Ops.Multiply(y, weights)), inputs);
    }

    static void AssertClose(Tensor<double> expected, Tensor<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        var e = expected.Span; var a = actual.Span;
        double scale = 0;
        for (int i = 0; i < e.Length; i++) scale = Math.Max(scale, Math.Abs(e[i]));
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= tolerance * (scale + 1e-300), $"{what}, element {i}: fused {a[i]:R} vs composite {e[i]:R}");
    }

    [Theory]
    [InlineData(3, 1, 1, 8, 8)]   // the U-Net's "same" convolutions (shifted-plane path)
    [InlineData(1, 1, 0, 4, 4)]   // 1×1 skip convolutions
    [InlineData(3, 2, 1, 8, 8)]   // the U-Net's stride-2 down-sampling
    [InlineData(3, 1, 0, 7, 6)]   // valid convolution, rectangular, W_o ≠ W
    [InlineData(5, 1, 2, 5, 7)]   // wide kernel with padding 2
    [InlineData(2, 2, 0, 6, 5)]   // even kernel, odd width
    [InlineData(3, 3, 2, 7, 8)]   // stride larger than the padding
    [InlineData(3, 1, 1, 2, 1)]   // kernel taller than the image rows it reads
    public void Fused_Conv2d_has_the_composites_bits_forward_and_its_gradients_to_1e_12(int k, int stride, int padding, int h, int w)
    {
        var rng = new Random(1000 + 31 * k + 7 * stride + padding + h * w);
        int n = 3, c = 2, o = 4;
        var x = GradCheck.Variable(rng, -1, 1, n, c, h, w);
        var weight = GradCheck.Variable(rng, -1, 1, o, c, k, k);
        var bias = GradCheck.Variable(rng, -1, 1, o);
        Assert.Equal(Ops.Conv2dComposite(x, weight, bias, stride, padding).ToArray(), Ops.Conv2d(x, weight, bias, stride, padding).ToArray());
        Assert.Equal(Ops.Conv2dComposite(x, weight, null, stride, padding).ToArray(), Ops.Conv2d(x, weight, null, stride, padding).ToArray());
        var expected = Gradients(() => Ops.Conv2dComposite(x, weight, bias, stride, padding), [x, weight, bias], 7);
        var actual = Gradients(() => Ops.Conv2d(x, weight, bias, stride, padding), [x, weight, bias], 7);
        for (int i = 0; i < 3; i++) AssertClose(expected[i], actual[i], 1e-12, new[] { "∂x", "∂W", "∂b" }[i]);

        var x32 = Tensor<float>.FromSpan(x.ToArray().Select(v => (float)v).ToArray(), x.Shape);
        var w32 = Tensor<float>.FromSpan(weight.ToArray().Select(v => (float)v).ToArray(), weight.Shape);
        var b32 = Tensor<float>.FromSpan(bias.ToArray().Select(v => (float)v).ToArray(), bias.Shape);
        Assert.Equal(Ops.Conv2dComposite(x32, w32, b32, stride, padding).ToArray(), Ops.Conv2d(x32, w32, b32, stride, padding).ToArray());
    }

    [Theory]
    [InlineData(3, 1, 1, 8, 8, 10)]   // 64 pixels: chunks of 4 images (256 columns), 4 + 4 + 2
    [InlineData(3, 2, 1, 8, 8, 18)]   // stride 2 to 4×4: chunks of 16 images, 16 + 2
    [InlineData(1, 1, 0, 4, 4, 18)]   // 1×1 skip convolution
    [InlineData(3, 1, 1, 2, 2, 70)]   // 4 pixels: 64-image chunks, 64 + 6
    public void Chunked_Conv2d_has_the_one_chunk_bits_forward_and_backward(int k, int stride, int padding, int h, int w, int n)
    {
        var rng = new Random(1300 + n + k);
        int c = 2, o = 3;
        var x = GradCheck.Uniform(rng, -1, 1, n, c, h, w).ToArray().Select(v => (float)v).ToArray();
        var weight = GradCheck.Uniform(rng, -1, 1, o, c, k, k).ToArray().Select(v => (float)v).ToArray();
        var bias = GradCheck.Uniform(rng, -1, 1, o).ToArray().Select(v => (float)v).ToArray();
        (float[] Y, float[][] G) Run(int chunkTarget)
        {
            var xs = Tensor<float>.FromSpan(x, [n, c, h, w]); xs.RequiresGrad = true;
            var ws = Tensor<float>.FromSpan(weight, [o, c, k, k]); ws.RequiresGrad = true;
            var bs = Tensor<float>.FromSpan(bias, [o]); bs.RequiresGrad = true;
            var y = Ops.Conv2dFused(xs, ws, bs, stride, padding, chunkTarget);
            var r = Tensor<float>.FromSpan(GradCheck.Uniform(new Random(9), -1, 1, y.Shape.ToArray()).ToArray().Select(v => (float)v).ToArray(), y.Shape);
            var g = Autograd.Grad(Ops.Sum(Ops.Multiply(y, r)), [xs, ws, bs]);
            return (y.ToArray(), [.. g.Select(t => t.ToArray())]);
        }
        var (one, oneGrad) = Run(int.MaxValue);
        var (chunked, chunkedGrad) = Run(1);
        Assert.Equal(one, chunked);
        for (int i = 0; i < 3; i++) Assert.Equal(oneGrad[i], chunkedGrad[i]);

        // The float kernels (window moves for 8×8 and 4×4 images) against the float64 composite, to float rounding.
        var xd = Tensor<double>.FromSpan(x.Select(v => (double)v).ToArray(), [n, c, h, w]); xd.RequiresGrad = true;
        var wd = Tensor<double>.FromSpan(weight.Select(v => (double)v).ToArray(), [o, c, k, k]); wd.RequiresGrad = true;
        var bd = Tensor<double>.FromSpan(bias.Select(v => (double)v).ToArray(), [o]); bd.RequiresGrad = true;
        var yd = Ops.Conv2dComposite(xd, wd, bd, stride, padding);
        var rd = Tensor<double>.FromSpan(GradCheck.Uniform(new Random(9), -1, 1, yd.Shape.ToArray()).ToArray().Select(v => (double)(float)v).ToArray(), yd.Shape);
        var gd = Autograd.Grad(Ops.Sum(Ops.Multiply(yd, rd)), [xd, wd, bd]);
        AssertClose(yd, Tensor<double>.FromSpan(one.Select(v => (double)v).ToArray(), yd.Shape), 1e-5, "y (float)");
        for (int i = 0; i < 3; i++)
            AssertClose(gd[i], Tensor<double>.FromSpan(oneGrad[i].Select(v => (double)v).ToArray(), gd[i].Shape), 1e-5, new[] { "∂x", "∂W", "∂b" }[i] + " (float)");
    }

    [Fact]
    public void Fused_Conv2d_gradient_needs_only_the_inputs_that_require_one()
    {
        var rng = new Random(1100);
        var x = GradCheck.Uniform(rng, -1, 1, 2, 3, 4, 4);
        var weight = GradCheck.Variable(rng, -1, 1, 2, 3, 3, 3);
        var expected = Gradients(() => Ops.Conv2dComposite(x, weight, null, 1, 1), [weight], 3)[0];
        var actual = Gradients(() => Ops.Conv2d(x, weight, null, 1, 1), [weight], 3)[0];
        AssertClose(expected, actual, 1e-12, "∂W with a constant input");
    }

    [Theory]
    [InlineData(2, 6, 3, 3, 2)]
    [InlineData(3, 8, 8, 4, 4)]
    [InlineData(2, 4, 1, 1, 1)]
    public void Fused_GroupNorm_matches_the_composite_forward_and_gradients_to_1e_12(int n, int c, int groups, int h, int w)
    {
        var norm = new GroupNorm<double>(groups, c, 1e-5);
        GradientCheck.Perturb(norm.Parameters(), seed: 5);
        var x = GradCheck.Variable(new Random(6 + c), -2, 3, n, c, h, w);
        AssertClose(norm.ForwardComposite(x), norm.Forward(x), 1e-12, "y");
        Tensor<double>[] inputs = [x, norm.Gain, norm.Shift];
        var expected = Gradients(() => norm.ForwardComposite(x), inputs, 8);
        var actual = Gradients(() => norm.Forward(x), inputs, 8);
        for (int i = 0; i < 3; i++) AssertClose(expected[i], actual[i], 1e-12, new[] { "∂x", "∂γ", "∂β" }[i]);
    }

    [Fact]
    public void Fused_GroupNorm_second_derivatives_match_central_differences_of_its_gradient()
    {
        var rng = new Random(1200);
        var x = GradCheck.Variable(rng, -1, 1, 2, 4, 3, 2);
        var gamma = GradCheck.Variable(rng, 0.5, 1.5, 4);
        var beta = GradCheck.Variable(rng, -1, 1, 4);
        GradCheck.CheckHessianVector(xs => Ops.GroupNorm(xs[0], 2, xs[1], xs[2], 1e-5), [x, gamma, beta]);
    }
}

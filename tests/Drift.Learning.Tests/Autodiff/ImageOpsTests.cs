using Drift.Learning.Autodiff;

namespace Drift.Learning.Tests.Autodiff;

using Random = System.Random;

/// <summary>
/// Convolution, permutation, batched products and 2× re-sampling: forward values against naive loops written from the
/// definitions (sharing no code with the operations), first-order gradients against central differences, and
/// Hessian–vector products for the operations the U-Net differentiates through, all in float64.
/// </summary>
public class ImageOpsTests
{
    /// <summary>The 7-loop definition of PyTorch's Conv2d: y[n,o,i,j] = b[o] + Σ_{c,u,v} w[o,c,u,v]·x[n,c,i·s−p+u, j·s−p+v].</summary>
    static double[] NaiveConv(double[] x, int n, int c, int h, int w, double[] weight, int o, int k, double[]? bias, int s, int p, out int ho, out int wo)
    {
        ho = (h + 2 * p - k) / s + 1;
        wo = (w + 2 * p - k) / s + 1;
        var y = new double[n * o * ho * wo];
        for (int b = 0; b < n; b++)
            for (int f = 0; f < o; f++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++)
                    {
                        double sum = bias?[f] ?? 0;
                        for (int ch = 0; ch < c; ch++)
                            for (int u = 0; u < k; u++)
                                for (int v = 0; v < k; v++)
                                {
                                    int r = i * s - p + u, q = j * s - p + v;
                                    if (r < 0 || r >= h || q < 0 || q >= w) continue;
                                    sum += weight[((f * c + ch) * k + u) * k + v] * x[((b * c + ch) * h + r) * w + q];
                                }
                        y[((b * o + f) * ho + i) * wo + j] = sum;
                    }
        return y;
    }

    [Theory]
    [InlineData(3, 1, 1, true)]
    [InlineData(3, 2, 1, true)]
    [InlineData(3, 1, 0, false)]
    [InlineData(1, 1, 0, true)]
    [InlineData(2, 2, 0, true)]
    [InlineData(3, 3, 2, false)]
    [InlineData(5, 2, 2, true)]
    public void Conv2d_equals_the_seven_loop_definition_for_stride_padding_and_kernel(int k, int stride, int padding, bool withBias)
    {
        var rng = new Random(100 + k * 10 + stride + padding);
        int n = 2, c = 3, h = 7, w = 6, o = 4;
        var x = GradCheck.Uniform(rng, -1, 1, n, c, h, w);
        var weight = GradCheck.Uniform(rng, -1, 1, o, c, k, k);
        var bias = withBias ? GradCheck.Uniform(rng, -1, 1, o) : null;
        var y = Ops.Conv2d(x, weight, bias, stride, padding);
        var expected = NaiveConv(x.ToArray(), n, c, h, w, weight.ToArray(), o, k, bias?.ToArray(), stride, padding, out int ho, out int wo);
        Assert.Equal([n, o, ho, wo], y.Shape.ToArray());
        var actual = y.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"element {i}: {actual[i]} vs {expected[i]}");

        // float32: the same within float rounding of a depth-(c·k²) dot product.
        var y32 = Ops.Conv2d(Tensor<float>.FromSpan(x.ToArray().Select(v => (float)v).ToArray(), x.Shape),
            Tensor<float>.FromSpan(weight.ToArray().Select(v => (float)v).ToArray(), weight.Shape),
            bias is null ? null : Tensor<float>.FromSpan(bias.ToArray().Select(v => (float)v).ToArray(), bias.Shape), stride, padding).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(y32[i] - expected[i]) <= 1e-5 * (1 + c * k * k), $"float element {i}: {y32[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(2, 2, 1)]
    public void Conv2d_gradients_for_input_weight_and_bias_match_central_differences(int k, int stride, int padding)
    {
        var rng = new Random(200 + k + stride);
        var x = GradCheck.Variable(rng, -1, 1, 2, 2, 5, 4);
        var w = GradCheck.Variable(rng, -1, 1, 3, 2, k, k);
        var b = GradCheck.Variable(rng, -1, 1, 3);
        GradCheck.Check(xs => Ops.Conv2d(xs[0], xs[1], xs[2], stride, padding), [x, w, b]);
    }

    [Fact]
    public void Conv2d_second_derivatives_match_central_differences_of_its_gradient()
    {
        var rng = new Random(210);
        var x = GradCheck.Variable(rng, -1, 1, 1, 2, 4, 4);
        var w = GradCheck.Variable(rng, -1, 1, 2, 2, 3, 3);
        var b = GradCheck.Variable(rng, -1, 1, 2);
        GradCheck.CheckHessianVector(xs => Ops.Conv2d(xs[0], xs[1], xs[2], 2, 1), [x, w, b]);
    }

    [Fact]
    public void Conv2d_rejects_shapes_that_do_not_fit_naming_them()
    {
        var x = Tensor<double>.Zeros(1, 2, 4, 4);
        Assert.Contains("[3, 1, 3, 3]", Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, Tensor<double>.Zeros(3, 1, 3, 3))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Conv2d(x, Tensor<double>.Zeros(3, 2, 3, 3), stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Conv2d(x, Tensor<double>.Zeros(3, 2, 3, 3), padding: -1));
        Assert.Contains("larger than the padded image", Assert.Throws<ArgumentException>(() => Ops.Conv2d(x, Tensor<double>.Zeros(3, 2, 5, 5))).Message);
        Assert.Contains("NCHW", Assert.Throws<ArgumentException>(() => Ops.Conv2d(Tensor<double>.Zeros(2, 4, 4), Tensor<double>.Zeros(3, 2, 3, 3))).Message);
    }

    [Fact]
    public void Permute_moves_every_element_to_its_permuted_index_and_its_gradient_matches_central_differences()
    {
        var rng = new Random(300);
        var x = GradCheck.Variable(rng, -1, 1, 2, 3, 4, 5);
        int[] axes = [2, 0, 3, 1];
        var y = Ops.Permute(x, axes);
        Assert.Equal([4, 2, 5, 3], y.Shape.ToArray());
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 3; b++)
                for (int c = 0; c < 4; c++)
                    for (int d = 0; d < 5; d++)
                        Assert.Equal(x.Span[((a * 3 + b) * 4 + c) * 5 + d], y.Span[((c * 2 + a) * 5 + d) * 3 + b]);
        GradCheck.Check(t => Ops.Permute(t, axes), x);
        Assert.Throws<ArgumentException>(() => Ops.Permute(x, 0, 1, 1, 2));
        Assert.Throws<ArgumentException>(() => Ops.Permute(x, 0, 1, 2));
    }

    [Fact]
    public void BatchedMatMul_equals_MatMul_per_entry_bit_for_bit_and_its_gradients_match_central_differences()
    {
        var rng = new Random(400);
        foreach (var (ta, tc) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var a = GradCheck.Variable(rng, -1, 1, 3, ta ? 4 : 2, ta ? 2 : 4);
            var c = GradCheck.Variable(rng, -1, 1, 3, tc ? 5 : 4, tc ? 4 : 5);
            var y = Ops.BatchedMatMul(a, c, ta, tc);
            Assert.Equal([3, 2, 5], y.Shape.ToArray());
            for (int b = 0; b < 3; b++)
            {
                var single = Ops.MatMul(Ops.Reshape(Ops.Slice(a, b, 1), a.Shape[1..]), Ops.Reshape(Ops.Slice(c, b, 1), c.Shape[1..]), ta, tc);
                Assert.Equal(single.ToArray(), y.Span.Slice(b * 10, 10).ToArray());
            }
            GradCheck.Check(xs => Ops.BatchedMatMul(xs[0], xs[1], ta, tc), [a, c]);
        }
    }

    [Fact]
    public void Upsampling_repeats_each_pixel_in_a_two_by_two_block_and_pooling_sums_the_blocks()
    {
        var rng = new Random(500);
        var x = GradCheck.Variable(rng, -1, 1, 2, 3, 3, 2);
        var up = Ops.UpsampleNearest2x(x);
        Assert.Equal([2, 3, 6, 4], up.Shape.ToArray());
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(x.Span[(p * 3 + i / 2) * 2 + j / 2], up.Span[(p * 6 + i) * 4 + j]);
        var z = GradCheck.Variable(rng, -1, 1, 2, 3, 4, 6);
        var pooled = Ops.AvgPool2x(z);
        Assert.Equal([2, 3, 2, 3], pooled.Shape.ToArray());
        for (int p = 0; p < 6; p++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                {
                    double s = 0;
                    for (int u = 0; u < 2; u++) for (int v = 0; v < 2; v++) s += z.Span[(p * 4 + 2 * i + u) * 6 + 2 * j + v];
                    Assert.Equal(s / 4, pooled.Span[(p * 2 + i) * 3 + j], 15);
                }
        GradCheck.Check(Ops.UpsampleNearest2x, x);
        GradCheck.Check(Ops.AvgPool2x, z);
        GradCheck.CheckHessianVector(t => Ops.SumPool2x(Ops.Square(Ops.UpsampleNearest2x(t))), x);
        Assert.Throws<ArgumentException>(() => Ops.SumPool2x(x));
    }
}

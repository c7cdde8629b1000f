using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Layers;

/// <summary>
/// The image layers (Conv2d, GroupNorm, multi-head self-attention, the conditioned convolutional residual block and the
/// U-Net): forward values against loops written from the definitions, gradients for inputs and parameters against
/// central differences in float64, and bit-identical results wherever the input lies in memory.
/// </summary>
public class ImageLayerTests
{
    static List<(string, Tensor<double>)> With(Module<double> module, params (string, Tensor<double>)[] inputs) =>
        [.. inputs, .. module.NamedParameters()];

    [Fact]
    public void Conv2d_layer_has_PyTorch_shapes_and_init_bounds_and_gradients_matching_central_differences()
    {
        var conv = new Conv2d<double>(2, 3, 3, new ParameterRandom(1), stride: 2, padding: 1);
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
        Assert.Equal([3, 2, 3, 3], conv.Weight.Shape.ToArray());
        double bound = 1 / Math.Sqrt(18);
        Assert.All(conv.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        var x = GradientCheck.Variable(new System.Random(2), 1.5, 2, 2, 5, 5);
        Assert.Equal([2, 3, 3, 3], conv.Forward(x).Shape.ToArray());
        GradientCheck.AssertGradients(() => conv.Forward(x), With(conv, ("x", x)));
    }

    [Fact]
    public void GroupNorm_equals_the_per_group_definition_and_its_gradients_match_central_differences()
    {
        int n = 2, c = 6, h = 3, w = 2, groups = 3;
        var norm = new GroupNorm<double>(groups, c, 1e-5);
        GradientCheck.Perturb(norm.Parameters(), seed: 3);
        var x = GradientCheck.Variable(new System.Random(4), 2, n, c, h, w);
        var y = norm.Forward(x).ToArray();
        var X = x.ToArray();
        var gamma = norm.Gain.ToArray(); var beta = norm.Shift.ToArray();
        int per = c / groups * h * w;
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++)
            {
                int start = (b * c + g * (c / groups)) * h * w;
                double mean = 0, m2 = 0;
                for (int i = 0; i < per; i++) mean += X[start + i];
                mean /= per;
                for (int i = 0; i < per; i++) m2 += (X[start + i] - mean) * (X[start + i] - mean);
                double inv = 1 / Math.Sqrt(m2 / per + 1e-5);
                for (int i = 0; i < per; i++)
                {
                    int ch = g * (c / groups) + i / (h * w);
                    Assert.Equal((X[start + i] - mean) * inv * gamma[ch] + beta[ch], y[start + i], 12);
                }
            }
        GradientCheck.AssertGradients(() => norm.Forward(x), With(norm, ("x", x)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GroupNorm<double>(4, 6));
        Assert.Contains("[2, 5, 3, 2]", Assert.Throws<ArgumentException>(() => norm.Forward(Tensor<double>.Zeros(2, 5, 3, 2))).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MultiHeadSelfAttention_equals_softmax_attention_written_out_and_its_gradients_match_central_differences(int heads)
    {
        int n = 2, c = 4, h = 2, w = 3, length = h * w, d = c / heads;
        var attention = new MultiHeadSelfAttention<double>(c, heads, new ParameterRandom(5));
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], attention.NamedParameters().Select(p => p.Name));
        GradientCheck.Perturb(attention.Parameters(), seed: 6, std: 0.3);
        var x = GradientCheck.Variable(new System.Random(7), 1.5, n, c, h, w);
        var y = attention.Forward(x).ToArray();
        var X = x.ToArray(); var Win = attention.InputWeight.ToArray(); var bin = attention.InputBias.ToArray();
        var named = attention.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.ToArray());
        var Wout = named["out_proj.weight"]; var bout = named["out_proj.bias"];
        for (int b = 0; b < n; b++)
        {
            // qkv[ℓ, r] = b_in[r] + Σ_c W_in[r, c]·x[b, c, ℓ]
            var qkv = new double[length, 3 * c];
            for (int l = 0; l < length; l++)
                for (int r = 0; r < 3 * c; r++)
                {
                    double s = bin[r];
                    for (int ch = 0; ch < c; ch++) s += Win[r * c + ch] * X[(b * c + ch) * length + l];
                    qkv[l, r] = s;
                }
            var merged = new double[length, c];
            for (int head = 0; head < heads; head++)
                for (int l = 0; l < length; l++)
                {
                    var score = new double[length];
                    double max = double.NegativeInfinity;
                    for (int m = 0; m < length; m++)
                    {
                        double s = 0;
                        for (int e = 0; e < d; e++) s += qkv[l, head * d + e] * qkv[m, c + head * d + e];
                        score[m] = s / Math.Sqrt(d);
                        max = Math.Max(max, score[m]);
                    }
                    double z = 0;
                    for (int m = 0; m < length; m++) z += score[m] = Math.Exp(score[m] - max);
                    for (int e = 0; e < d; e++)
                    {
                        double s = 0;
                        for (int m = 0; m < length; m++) s += score[m] / z * qkv[m, 2 * c + head * d + e];
                        merged[l, head * d + e] = s;
                    }
                }
            for (int l = 0; l < length; l++)
                for (int o = 0; o < c; o++)
                {
                    double s = bout[o];
                    for (int ch = 0; ch < c; ch++) s += Wout[o * c + ch] * merged[l, ch];
                    Assert.Equal(s, y[(b * c + o) * length + l], 12);
                }
        }
        GradientCheck.AssertGradients(() => attention.Forward(x), With(attention, ("x", x)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHeadSelfAttention<double>(6, 4, new ParameterRandom(1)));
    }

    [Fact]
    public void ConvResidualBlock_gradients_for_input_condition_and_every_parameter_match_central_differences()
    {
        var block = new ConvResidualBlock<double>(2, 4, 3, 2, new ParameterRandom(8));
        GradientCheck.Perturb(block.Parameters(), seed: 9, std: 0.3);
        var rng = new System.Random(10);
        var x = GradientCheck.Variable(rng, 1.5, 2, 2, 3, 3);
        var c = GradientCheck.Variable(rng, 1.5, 2, 3);
        GradientCheck.AssertGradients(() => block.Forward(x, c), With(block, ("x", x), ("c", c)));
    }

    static UNet<double> SmallUNet(int classes = 3) => new(1, 4, 4, 4, 2, 2, 2, true, new ParameterRandom(11), classes);

    [Fact]
    public void UNet_gradients_for_the_image_the_time_and_every_parameter_tensor_match_central_differences()
    {
        // Both times, eight pixels and one element (chosen at random) of each of the network's parameter tensors, so every
        // layer is covered while the check stays near 150 forward passes (the full set has thousands of elements).
        var net = SmallUNet();
        GradientCheck.Perturb(net.Parameters(), seed: 12, std: 0.2);
        var rng = new System.Random(13);
        var x = GradientCheck.Variable(rng, 1.5, 2, 1, 4, 4);
        var t = Tensor<double>.Variable([0.3, 0.8], 2);
        int[] labels = [1, 3];
        var variables = With(net, ("x", x), ("t", t));
        var w = GradientCheck.Variable(rng, 1, 2, 1, 4, 4).Detach();
        Tensor<double> Loss() => Ops.Sum(Ops.Multiply(net.Forward(x, t, labels), w));
        var grads = Autograd.Grad(Loss(), [.. variables.Select(v => v.Item2)]);
        double Value() { using var off = GradMode.NoGrad(); return Loss().ToScalar(); }
        int checkedElements = 0;
        for (int v = 0; v < variables.Count; v++)
        {
            var (name, tensor) = variables[v];
            var picks = v == 1 ? Enumerable.Range(0, tensor.Length) : v == 0 ? Enumerable.Range(0, 8).Select(i => 4 * i) : [rng.Next(tensor.Length)];
            foreach (int k in picks.Distinct())
            {
                double saved = tensor.Span[k], up = saved + GradientCheck.H, down = saved - GradientCheck.H;
                tensor.Span[k] = up;
                double lUp = Value();
                tensor.Span[k] = down;
                double lDown = Value();
                tensor.Span[k] = saved;
                double fd = (lUp - lDown) / (up - down), ad = grads[v].Span[k];
                double error = Math.Abs(fd - ad) / Math.Max(1, Math.Max(Math.Abs(fd), Math.Abs(ad)));
                Assert.True(error < GradientCheck.Tolerance, $"{name}[{k}]: autograd {ad:R}, central difference {fd:R}");
                checkedElements++;
            }
        }
        Assert.True(variables.Count > 60, $"only {variables.Count} tensors");
        Assert.True(checkedElements > 70);
        Assert.Equal([2, 1, 4, 4], net.Forward(x, t, labels).Shape.ToArray());
        Assert.Equal(3, net.NullLabel);
    }

    [Fact]
    public void UNet_output_and_gradients_have_the_same_bits_wherever_the_input_lies_in_memory()
    {
        var net = SmallUNet();
        var rng = new System.Random(14);
        var values = new float[2 * 16];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(2 * rng.NextDouble() - 1);
        var netF = new UNet<float>(1, 4, 4, 4, 2, 2, 2, true, new ParameterRandom(11), 3);
        float[]? reference = null, referenceGrad = null;
        for (int offset = 0; offset < 8; offset++)
        {
            var storage = new float[offset + values.Length];
            values.CopyTo(storage, offset);
            var x = Ops.Slice(Tensor<float>.Wrap(storage, offset + values.Length), offset, values.Length).Reshape(2, 1, 4, 4);
            foreach (var p in netF.Parameters()) p.Grad = null;
            var y = netF.Forward(x, Tensor<float>.Wrap([0.25f, 0.75f], 2), [0, 2]);
            Autograd.Backward(Ops.Mean(Ops.Square(y)));
            var grad = netF.Parameters().SelectMany(p => p.Grad!.ToArray()).ToArray();
            reference ??= y.ToArray();
            referenceGrad ??= grad;
            Assert.Equal(reference, y.ToArray());
            Assert.Equal(referenceGrad, grad);
        }
        Assert.Throws<ArgumentException>(() => net.Forward(Tensor<double>.Zeros(2, 1, 4, 5), Tensor<double>.Zeros(2), [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UNet<double>(1, 6, 6, 4, 3, 2, 1, true, new ParameterRandom(1)));
    }
}

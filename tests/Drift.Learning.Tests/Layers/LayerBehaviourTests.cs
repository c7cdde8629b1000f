using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Layers;

/// <summary>Forward values of the layers against formulas written out here, and their initialisation.</summary>
public class LayerBehaviourTests
{
    static double[] Row(Tensor<double> y, int r)
    {
        int width = y.Shape[1];
        return y.Span.Slice(r * width, width).ToArray();
    }

    [Fact]
    public void LayerNorm_rows_have_mean_zero_and_variance_one_up_to_epsilon_with_unit_gain_and_zero_shift()
    {
        const int rows = 6, width = 7;
        var rng = new System.Random(30);
        var x = new double[rows * width];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++) x[r * width + j] = 10 * r - 20 + (0.05 + r) * (2 * rng.NextDouble() - 1);
        var norm = new LayerNorm<double>(width);
        var y = norm.Forward(Tensor<double>.Wrap(x, rows, width));
        for (int r = 0; r < rows; r++)
        {
            var xr = x.AsSpan(r * width, width).ToArray();
            double mu = xr.Average(), sigma2 = xr.Sum(v => (v - mu) * (v - mu)) / width;
            var yr = Row(y, r);
            double mean = yr.Average(), variance = yr.Sum(v => (v - mean) * (v - mean)) / width;
            Assert.True(Math.Abs(mean) < 1e-13, $"row {r}: mean {mean}");
            // Exactly σ²/(σ² + ε): 1 up to the ε the layer adds to the variance.
            Assert.True(Math.Abs(variance - sigma2 / (sigma2 + norm.Epsilon)) < 1e-13, $"row {r}: variance {variance}, σ² {sigma2}");
            Assert.True(Math.Abs(variance - 1) <= norm.Epsilon / sigma2 + 1e-13, $"row {r}: variance {variance}");
        }
    }

    [Fact]
    public void LayerNorm_matches_the_per_row_formula_with_learned_gain_and_shift_and_maps_a_constant_row_to_the_shift()
    {
        const int rows = 4, width = 5;
        const double eps = 1e-3;
        var rng = new System.Random(31);
        var norm = new LayerNorm<double>(width, eps);
        for (int j = 0; j < width; j++)
        {
            norm.Gain.Span[j] = 0.5 + rng.NextDouble();
            norm.Shift.Span[j] = rng.NextDouble() - 0.5;
        }
        var x = new double[rows * width];
        for (int i = 0; i < x.Length; i++) x[i] = 3 * (2 * rng.NextDouble() - 1);
        for (int j = 0; j < width; j++) x[3 * width + j] = 2.5; // a constant row: σ² = 0
        var y = norm.Forward(Tensor<double>.Wrap(x, rows, width)).ToArray();
        for (int r = 0; r < rows; r++)
        {
            double mu = 0, s2 = 0;
            for (int j = 0; j < width; j++) mu += x[r * width + j];
            mu /= width;
            for (int j = 0; j < width; j++) s2 += (x[r * width + j] - mu) * (x[r * width + j] - mu);
            s2 /= width;
            for (int j = 0; j < width; j++)
            {
                double expected = (x[r * width + j] - mu) / Math.Sqrt(s2 + eps) * norm.Gain.Span[j] + norm.Shift.Span[j];
                Assert.True(Math.Abs(y[r * width + j] - expected) < 1e-13, $"({r}, {j}): {y[r * width + j]} vs {expected}");
            }
        }
        for (int j = 0; j < width; j++) Assert.Equal(norm.Shift.Span[j], y[3 * width + j]);
    }

    [Theory]
    [InlineData(8, 10000.0)]
    [InlineData(6, 100.0)]
    public void SinusoidalEmbedding_is_cosines_then_sines_of_t_times_frequencies_maxPeriod_to_the_minus_k_over_half(int dimension, double maxPeriod)
    {
        double[] times = [0, 0.5, 1, 7.25, 999];
        var embedding = new SinusoidalEmbedding<double>(dimension, maxPeriod);
        var y = embedding.Forward(Tensor<double>.FromSpan(times, times.Length));
        Assert.Equal(new[] { times.Length, dimension }, y.Shape.ToArray());
        int half = dimension / 2;
        for (int r = 0; r < times.Length; r++)
        {
            var row = Row(y, r);
            for (int k = 0; k < half; k++)
            {
                double angle = times[r] * Math.Pow(maxPeriod, -(double)k / half);
                Assert.True(Math.Abs(row[k] - Math.Cos(angle)) < 1e-12, $"t = {times[r]}, cos k = {k}: {row[k]} vs {Math.Cos(angle)}");
                Assert.True(Math.Abs(row[half + k] - Math.Sin(angle)) < 1e-12, $"t = {times[r]}, sin k = {k}: {row[half + k]} vs {Math.Sin(angle)}");
            }
        }
        // At t = 0 the embedding is (1, …, 1, 0, …, 0).
        var zero = Row(y, 0);
        Assert.All(zero[..half], v => Assert.Equal(1.0, v));
        Assert.All(zero[half..], v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void GaussianFourierEmbedding_is_sines_then_cosines_of_two_pi_t_omega()
    {
        var embedding = new GaussianFourierEmbedding<double>(6, new ParameterRandom(32), scale: 3);
        double[] times = [0, 0.3, 0.8];
        var y = embedding.Forward(Tensor<double>.FromSpan(times, times.Length));
        var omega = embedding.Frequencies.ToArray();
        Assert.Equal(3, omega.Length);
        for (int r = 0; r < times.Length; r++)
            for (int k = 0; k < 3; k++)
            {
                double angle = 2 * Math.PI * times[r] * omega[k];
                Assert.True(Math.Abs(y[r, k] - Math.Sin(angle)) < 1e-12);
                Assert.True(Math.Abs(y[r, 3 + k] - Math.Cos(angle)) < 1e-12);
            }
    }

    [Fact]
    public void Linear_weights_and_biases_lie_strictly_within_plus_minus_one_over_sqrt_inputs()
    {
        foreach (var (inputs, outputs) in new[] { (1, 3), (7, 5), (512, 4), (3, 300) })
        {
            var layer = new Linear<double>(inputs, outputs, new ParameterRandom((ulong)(inputs * 1000 + outputs)));
            double bound = 1 / Math.Sqrt(inputs);
            Assert.Equal(new[] { outputs, inputs }, layer.Weight.Shape.ToArray());
            Assert.Equal(new[] { outputs }, layer.Bias!.Shape.ToArray());
            Assert.All(layer.Weight.ToArray(), w => Assert.True(Math.Abs(w) < bound, $"{inputs}→{outputs}: weight {w} outside ±{bound}"));
            Assert.All(layer.Bias.ToArray(), b => Assert.True(Math.Abs(b) < bound, $"{inputs}→{outputs}: bias {b} outside ±{bound}"));
        }
    }

    [Fact]
    public void Linear_512x512_weights_have_mean_zero_and_variance_bound_squared_over_three_within_5_standard_errors()
    {
        const int n = 512;
        var layer = new Linear<double>(n, n, new ParameterRandom(33));
        var w = layer.Weight.ToArray();
        double b = 1 / Math.Sqrt(n), count = w.Length;
        // U(−b, b): E w = 0, E w² = b²/3, Var w² = E w⁴ − (E w²)² = b⁴/5 − b⁴/9.
        double mean = w.Average(), secondMoment = w.Sum(v => v * v) / count;
        double seMean = b / Math.Sqrt(3 * count), seSecond = Math.Sqrt((Math.Pow(b, 4) / 5 - Math.Pow(b, 4) / 9) / count);
        Assert.True(Math.Abs(mean) < 5 * seMean, $"mean {mean}, 5 SE = {5 * seMean}");
        Assert.True(Math.Abs(secondMoment - b * b / 3) < 5 * seSecond, $"E w² {secondMoment} vs b²/3 = {b * b / 3}, 5 SE = {5 * seSecond}");
        // The bias (512 draws) too.
        var bias = layer.Bias!.ToArray();
        double biasSecond = bias.Sum(v => v * v) / n;
        Assert.True(Math.Abs(biasSecond - b * b / 3) < 5 * Math.Sqrt((Math.Pow(b, 4) / 5 - Math.Pow(b, 4) / 9) / n));
        // Uniform on the whole interval: a chi-squared over 16 equal bins, below the 0.999 quantile of χ²(15) = 37.70.
        var bins = new int[16];
        foreach (double v in w) bins[Math.Min(15, (int)((v + b) / (2 * b) * 16))]++;
        double expected = count / 16, chi2 = bins.Sum(o => (o - expected) * (o - expected) / expected);
        Assert.True(chi2 < 37.70, $"χ² = {chi2}");
    }

    [Fact]
    public void Linear_initialisation_is_a_pure_function_of_the_seed_and_successive_tensors_take_fresh_streams()
    {
        var a = new Linear<double>(6, 5, new ParameterRandom(34));
        var b = new Linear<double>(6, 5, new ParameterRandom(34));
        var c = new Linear<double>(6, 5, new ParameterRandom(35));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.True(a.Weight.ToArray().Zip(c.Weight.ToArray()).All(p => p.First != p.Second), "a different seed should change every weight");

        var shared = new ParameterRandom(34);
        var first = new Linear<double>(6, 5, shared);
        var second = new Linear<double>(6, 5, shared);
        Assert.Equal(a.Weight.ToArray(), first.Weight.ToArray());
        Assert.NotEqual(first.Weight.ToArray(), second.Weight.ToArray());
        Assert.NotEqual(first.Weight.ToArray()[..5], first.Bias!.ToArray());
    }

    [Fact]
    public void Mlp_parameters_are_named_layers_k_weight_and_bias_in_order()
    {
        var net = new Mlp<double>([3, 6, 5, 2], Activation.Silu, new ParameterRandom(36));
        var named = net.NamedParameters();
        Assert.Equal(
            new[] { "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias" },
            named.Select(p => p.Name).ToArray());
        Assert.Equal(new[] { 6, 3 }, named[0].Tensor.Shape.ToArray());
        Assert.Equal(new[] { 2 }, named[5].Tensor.Shape.ToArray());
        Assert.All(named, p => Assert.Equal(p.Name, p.Tensor.Name));
        Assert.Equal(6 * 3 + 6 + 5 * 6 + 5 + 2 * 5 + 2, net.ParameterCount);
    }

    [Fact]
    public void ConditionalResidualMlp_parameter_names_are_dotted_unique_and_laid_out_as_the_modules_nest()
    {
        var net = new ConditionalResidualMlp<double>(2, 4, 2, new ParameterRandom(37), classes: 3);
        var names = net.NamedParameters().Select(p => p.Name).ToArray();
        string[] block(int k) => [.. new[] { "norm.weight", "norm.bias", "film.projection.weight", "film.projection.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }.Select(s => $"blocks.{k}.{s}")];
        string[] expected =
        [
            "time_mlp.layers.0.weight", "time_mlp.layers.0.bias", "time_mlp.layers.1.weight", "time_mlp.layers.1.bias",
            "labels.weight", "input.weight", "input.bias", .. block(0), .. block(1),
            "norm.weight", "norm.bias", "output.weight", "output.bias",
        ];
        Assert.Equal(expected, names);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(@"^[a-z0-9_]+(\.[a-z0-9_]+)+$", n));
        Assert.Equal(new[] { 4, 4 }, net.NamedParameters()[4].Tensor.Shape.ToArray()); // 3 classes + the null label

        var fourier = new ConditionalResidualMlp<double>(2, 4, 1, new ParameterRandom(38), fourierTime: true);
        var fourierNames = fourier.NamedParameters().Select(p => p.Name).ToArray();
        Assert.DoesNotContain(fourierNames, n => n.StartsWith("time.", StringComparison.Ordinal) || n.StartsWith("labels.", StringComparison.Ordinal));
        Assert.Equal(fourierNames.Length, fourierNames.Distinct().Count());
    }

    [Fact]
    public void Fresh_FilmConditioning_is_the_identity()
    {
        var rng = new System.Random(39);
        var film = new FilmConditioning<double>(3, 4, new ParameterRandom(40));
        var h = GradientCheck.Variable(rng, 3, 5, 4);
        var c = GradientCheck.Variable(rng, 3, 5, 3);
        Assert.Equal(h.ToArray(), film.Forward(h, c).ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Fresh_ResidualBlock_is_the_identity(int conditionWidth)
    {
        var rng = new System.Random(41);
        var block = new ResidualBlock<double>(4, 8, Activation.Silu, new ParameterRandom(42), conditionWidth);
        var x = GradientCheck.Variable(rng, 3, 5, 4);
        var c = conditionWidth > 0 ? GradientCheck.Variable(rng, 3, 5, conditionWidth) : null;
        Assert.Equal(x.ToArray(), block.Forward(x, c).ToArray());
    }

    [Fact]
    public void Fresh_ConditionalResidualMlp_is_output_of_layer_norm_of_input_and_ignores_time_and_labels()
    {
        var rng = new System.Random(43);
        var net = new ConditionalResidualMlp<double>(3, 6, 3, new ParameterRandom(44), classes: 2);
        var p = net.NamedParameters().ToDictionary(q => q.Name, q => q.Tensor);
        var x = GradientCheck.Variable(rng, 2, 4, 3);
        var first = net.Forward(x, Tensor<double>.FromSpan([0.1, 0.2, 0.3, 0.4], 4), [0, 1, 2, 0]).ToArray();
        var second = net.Forward(x, Tensor<double>.FromSpan([0.9, 0.5, 0.0, 0.7], 4), [1, 1, 0, 2]).ToArray();
        Assert.Equal(first, second);

        // Hand-written W_out·LayerNorm(W_in·x + b_in) + b_out.
        for (int r = 0; r < 4; r++)
        {
            var h = new double[6];
            for (int i = 0; i < 6; i++)
            {
                h[i] = p["input.bias"].Span[i];
                for (int j = 0; j < 3; j++) h[i] += p["input.weight"][i, j] * x[r, j];
            }
            double mu = h.Average(), s2 = h.Sum(v => (v - mu) * (v - mu)) / 6;
            for (int i = 0; i < 6; i++) h[i] = (h[i] - mu) / Math.Sqrt(s2 + 1e-5) * p["norm.weight"].Span[i] + p["norm.bias"].Span[i];
            for (int o = 0; o < 3; o++)
            {
                double y = p["output.bias"].Span[o];
                for (int i = 0; i < 6; i++) y += p["output.weight"][o, i] * h[i];
                Assert.True(Math.Abs(first[r * 3 + o] - y) < 1e-12, $"({r}, {o}): {first[r * 3 + o]} vs {y}");
            }
        }
    }

    /// <summary>x·Wᵀ + b by loops, W of shape [out, in].</summary>
    static double[,] Affine(double[,] x, Tensor<double> w, Tensor<double>? b)
    {
        int n = x.GetLength(0), inputs = w.Shape[1], outputs = w.Shape[0];
        var y = new double[n, outputs];
        for (int r = 0; r < n; r++)
            for (int o = 0; o < outputs; o++)
            {
                double sum = b is null ? 0 : b.Span[o];
                for (int i = 0; i < inputs; i++) sum += w[o, i] * x[r, i];
                y[r, o] = sum;
            }
        return y;
    }

    static double[,] Matrix(Tensor<double> t)
    {
        var m = new double[t.Shape[0], t.Shape[1]];
        for (int r = 0; r < t.Shape[0]; r++)
            for (int j = 0; j < t.Shape[1]; j++) m[r, j] = t[r, j];
        return m;
    }

    static void AssertMatches(double[,] expected, Tensor<double> actual, double tolerance = 1e-13)
    {
        Assert.Equal(new[] { expected.GetLength(0), expected.GetLength(1) }, actual.Shape.ToArray());
        for (int r = 0; r < expected.GetLength(0); r++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[r, j] - actual[r, j]) <= tolerance * Math.Max(1, Math.Abs(expected[r, j])),
                    $"({r}, {j}): expected {expected[r, j]:R}, got {actual[r, j]:R}");
    }

    static double Silu(double v) => v / (1 + Math.Exp(-v));

    [Fact]
    public void Linear_and_Mlp_forward_values_match_hand_written_affine_maps_and_activations()
    {
        var rng = new System.Random(45);
        var x = GradientCheck.Variable(rng, 2, 5, 3);
        var linear = new Linear<double>(3, 4, new ParameterRandom(46));
        AssertMatches(Affine(Matrix(x), linear.Weight, linear.Bias), linear.Forward(x));
        var noBias = new Linear<double>(3, 4, new ParameterRandom(46), bias: false);
        AssertMatches(Affine(Matrix(x), noBias.Weight, null), noBias.Forward(x));

        var mlp = new Mlp<double>([3, 6, 4, 2], Activation.Tanh, new ParameterRandom(47));
        var h = Matrix(x);
        for (int k = 0; k < 3; k++)
        {
            h = Affine(h, mlp.Layers[k].Weight, mlp.Layers[k].Bias);
            if (k < 2) for (int r = 0; r < h.GetLength(0); r++) for (int j = 0; j < h.GetLength(1); j++) h[r, j] = Math.Tanh(h[r, j]);
        }
        AssertMatches(h, mlp.Forward(x));
    }

    [Fact]
    public void FilmConditioning_and_ResidualBlock_forward_values_match_their_formulas()
    {
        // FiLM: (γ, β) = split(W c + b) and h·(1 + γ) + β; the block: x + W₂·SiLU(W₁·FiLM(LayerNorm(x), c) + b₁) + b₂.
        var rng = new System.Random(48);
        var block = new ResidualBlock<double>(4, 6, Activation.Silu, new ParameterRandom(49), conditionWidth: 3);
        GradientCheck.Perturb(block.Parameters(), seed: 50);
        var p = block.NamedParameters().ToDictionary(q => q.Name, q => q.Tensor);
        var x = GradientCheck.Variable(rng, 2, 5, 4);
        var c = GradientCheck.Variable(rng, 2, 5, 3);
        var gb = Affine(Matrix(c), p["film.projection.weight"], p["film.projection.bias"]);
        var h = new double[5, 4];
        for (int r = 0; r < 5; r++)
        {
            double mu = 0, s2 = 0;
            for (int j = 0; j < 4; j++) mu += x[r, j] / 4;
            for (int j = 0; j < 4; j++) s2 += (x[r, j] - mu) * (x[r, j] - mu) / 4;
            for (int j = 0; j < 4; j++)
            {
                double normalised = (x[r, j] - mu) / Math.Sqrt(s2 + 1e-5) * p["norm.weight"].Span[j] + p["norm.bias"].Span[j];
                h[r, j] = normalised * (1 + gb[r, j]) + gb[r, 4 + j];
            }
        }
        var film = new FilmConditioning<double>(3, 4, new ParameterRandom(49));
        p["film.projection.weight"].Span.CopyTo(film.NamedParameters()[0].Tensor.Span);
        p["film.projection.bias"].Span.CopyTo(film.NamedParameters()[1].Tensor.Span);
        var layerNorm = new LayerNorm<double>(4);
        p["norm.weight"].Span.CopyTo(layerNorm.Gain.Span);
        p["norm.bias"].Span.CopyTo(layerNorm.Shift.Span);
        var ln = layerNorm.Forward(x);
        AssertMatches(h, film.Forward(ln, c));

        var hidden = Affine(h, p["fc1.weight"], p["fc1.bias"]);
        for (int r = 0; r < 5; r++) for (int j = 0; j < 6; j++) hidden[r, j] = Silu(hidden[r, j]);
        var y = Affine(hidden, p["fc2.weight"], p["fc2.bias"]);
        for (int r = 0; r < 5; r++) for (int j = 0; j < 4; j++) y[r, j] += x[r, j];
        AssertMatches(y, block.Forward(x, c));
    }
}

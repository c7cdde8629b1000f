using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Layers;

/// <summary>Every layer's gradients, with respect to its inputs and to every parameter, against central differences in float64.</summary>
public class LayerGradientTests
{
    static List<(string, Tensor<double>)> With(Module<double> module, params (string, Tensor<double>)[] inputs) =>
        [.. inputs, .. module.NamedParameters()];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Linear_gradients_with_respect_to_input_weight_and_bias_match_central_differences(bool bias)
    {
        var rng = new System.Random(1);
        var layer = new Linear<double>(4, 3, new ParameterRandom(11), bias);
        var x = GradientCheck.Variable(rng, 1.5, 5, 4);
        GradientCheck.AssertGradients(() => layer.Forward(x), With(layer, ("x", x)));
    }

    [Theory]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Softplus)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Identity)]
    public void Mlp_gradients_match_central_differences_for_each_activation(Activation activation)
    {
        var rng = new System.Random(2);
        var net = new Mlp<double>([3, 6, 5, 2], activation, new ParameterRandom(3));
        var x = GradientCheck.Variable(rng, 2, 4, 3);
        GradientCheck.AssertGradients(() => net.Forward(x), With(net, ("x", x)));
    }

    [Fact]
    public void LayerNorm_gradients_with_respect_to_input_gain_and_shift_match_central_differences()
    {
        var rng = new System.Random(4);
        var norm = new LayerNorm<double>(5);
        GradientCheck.Perturb(norm.Parameters(), seed: 5);
        var x = GradientCheck.Variable(rng, 2, 4, 5);
        GradientCheck.AssertGradients(() => norm.Forward(x), With(norm, ("x", x)));
    }

    [Fact]
    public void FilmConditioning_with_non_zero_weights_has_gradients_matching_central_differences()
    {
        var rng = new System.Random(6);
        var film = new FilmConditioning<double>(3, 4, new ParameterRandom(7));
        GradientCheck.Perturb(film.Parameters(), seed: 8);
        var h = GradientCheck.Variable(rng, 1.5, 5, 4);
        var c = GradientCheck.Variable(rng, 1.5, 5, 3);
        GradientCheck.AssertGradients(() => film.Forward(h, c), With(film, ("h", h), ("c", c)));
    }

    [Fact]
    public void Conditioned_ResidualBlock_with_non_zero_weights_has_gradients_matching_central_differences()
    {
        var rng = new System.Random(9);
        var block = new ResidualBlock<double>(4, 6, Activation.Silu, new ParameterRandom(10), conditionWidth: 3);
        GradientCheck.Perturb(block.Parameters(), seed: 11);
        var x = GradientCheck.Variable(rng, 1.5, 5, 4);
        var c = GradientCheck.Variable(rng, 1.5, 5, 3);
        GradientCheck.AssertGradients(() => block.Forward(x, c), With(block, ("x", x), ("c", c)));
    }

    [Fact]
    public void Unconditioned_ResidualBlock_with_non_zero_weights_has_gradients_matching_central_differences()
    {
        var rng = new System.Random(12);
        var block = new ResidualBlock<double>(4, 3, Activation.Tanh, new ParameterRandom(13));
        GradientCheck.Perturb(block.Parameters(), seed: 14);
        var x = GradientCheck.Variable(rng, 1.5, 5, 4);
        GradientCheck.AssertGradients(() => block.Forward(x), With(block, ("x", x)));
    }

    [Fact]
    public void Fresh_ResidualBlock_gradients_match_central_differences_and_vanish_only_behind_the_zero_output_layer()
    {
        // At initialisation fc2 = 0, so nothing before it (film, fc1, norm) can move the output,
        // while fc2 itself and the input (through the skip connection) do.
        var rng = new System.Random(15);
        var block = new ResidualBlock<double>(4, 6, Activation.Gelu, new ParameterRandom(16), conditionWidth: 3);
        var x = GradientCheck.Variable(rng, 1.5, 5, 4);
        var c = GradientCheck.Variable(rng, 1.5, 5, 3);
        var variables = With(block, ("x", x), ("c", c));
        GradientCheck.AssertGradients(() => block.Forward(x, c), variables, requireDependence: false);

        var loss = Ops.Sum(Ops.Square(block.Forward(x, c)));
        var grads = Autograd.Grad(loss, [.. variables.Select(v => v.Item2)]);
        for (int i = 0; i < variables.Count; i++)
        {
            string name = variables[i].Item1;
            bool live = name is "x" or "fc2.weight" or "fc2.bias";
            double norm = grads[i].ToArray().Max(Math.Abs);
            if (live) Assert.True(norm > 1e-3, $"{name} should receive a gradient at initialisation");
            else Assert.True(norm == 0, $"{name} should receive no gradient while fc2 is zero, got {norm}");
        }
    }

    [Fact]
    public void SinusoidalEmbedding_derivative_with_respect_to_time_matches_central_differences()
    {
        var t = Tensor<double>.Variable([0.0, 0.37, 1.2, 2.9, 17.5], 5);
        var embedding = new SinusoidalEmbedding<double>(8);
        Assert.Empty(embedding.NamedParameters());
        GradientCheck.AssertGradients(() => embedding.Forward(t), [("t", t)]);
    }

    [Fact]
    public void GaussianFourierEmbedding_derivative_with_respect_to_time_matches_central_differences_and_frequencies_are_not_parameters()
    {
        var t = Tensor<double>.Variable([0.01, 0.25, 0.5, 0.77, 0.99], 5);
        var embedding = new GaussianFourierEmbedding<double>(6, new ParameterRandom(17));
        Assert.Empty(embedding.NamedParameters());
        GradientCheck.AssertGradients(() => embedding.Forward(t), [("t", t)]);
    }

    [Fact]
    public void LabelEmbedding_gradient_adds_the_output_weights_of_every_occurrence_of_a_label()
    {
        int[] labels = [2, 0, 2, 4, 2, 1];
        var embedding = new LabelEmbedding<double>(4, 3, new ParameterRandom(18), nullLabel: true);
        GradientCheck.AssertGradients(() => embedding.Forward(labels), With(embedding));

        // Closed form: ∂⟨w, E[labels]⟩/∂E[r] = Σ_{i: labels[i] = r} w[i]; an unused label (3) gets exactly zero.
        var rng = new System.Random(19);
        var w = new double[labels.Length * 3];
        for (int i = 0; i < w.Length; i++) w[i] = 2 * rng.NextDouble() - 1;
        var loss = Ops.Sum(Ops.Multiply(embedding.Forward(labels), Tensor<double>.Wrap(w, labels.Length, 3)));
        var g = Autograd.Grad(loss, embedding.Table).ToArray();
        var expected = new double[5 * 3];
        for (int i = 0; i < labels.Length; i++)
            for (int j = 0; j < 3; j++) expected[labels[i] * 3 + j] += w[i * 3 + j];
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], g[k], 15);
        Assert.All(g.AsSpan(9, 3).ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void ConditionalResidualMlp_gradients_with_respect_to_x_t_and_every_parameter_match_central_differences()
    {
        var rng = new System.Random(20);
        var net = new ConditionalResidualMlp<double>(3, 6, 2, new ParameterRandom(21), classes: 3);
        GradientCheck.Perturb(net.Parameters(), seed: 22);
        var x = GradientCheck.Variable(rng, 1.5, 4, 3);
        var t = Tensor<double>.Variable([0.05, 0.4, 0.7, 0.95], 4);
        int[] labels = [0, 2, net.NullLabel, 2];
        GradientCheck.AssertGradients(() => net.Forward(x, t, labels), With(net, ("x", x), ("t", t)));
    }

    [Fact]
    public void ConditionalResidualMlp_with_Fourier_time_and_no_labels_has_gradients_matching_central_differences()
    {
        var rng = new System.Random(23);
        var net = new ConditionalResidualMlp<double>(2, 4, 1, new ParameterRandom(24), activation: Activation.Gelu, fourierTime: true);
        GradientCheck.Perturb(net.Parameters(), seed: 25);
        var x = GradientCheck.Variable(rng, 1.5, 3, 2);
        var t = Tensor<double>.Variable([0.1, 0.5, 0.9], 3);
        GradientCheck.AssertGradients(() => net.Forward(x, t), With(net, ("x", x), ("t", t)));
    }
}

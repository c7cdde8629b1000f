using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Tests.Optimisers;

/// <summary>SGD, Adam and AdamW against <see cref="TorchOracle"/>, plus their error reports and state round trips.</summary>
public class OptimiserTests
{
    const int Steps = 10;
    static readonly int[][] Shapes = [[2, 3], [4]];
    const int Elements = 10;

    /// <summary>Initial values and a gradient sequence, all exactly representable in float so both precisions see the same inputs.</summary>
    static (double[] Theta0, double[][] Gradients) Problem()
    {
        var rng = new System.Random(50);
        var theta0 = new double[Elements];
        for (int k = 0; k < Elements; k++) theta0[k] = (float)(2 * rng.NextDouble() - 1);
        var grads = new double[Steps][];
        for (int t = 0; t < Steps; t++)
        {
            grads[t] = new double[Elements];
            for (int k = 0; k < Elements; k++) grads[t][k] = (float)(Math.Sin(0.7 * (t + 1) + 1.3 * k) * (1 + 0.5 * k));
        }
        grads[2][0] = 0;      // a zero gradient mid-run
        grads[4][2] *= 100;   // and an outlier
        grads[7][9] = -grads[7][9] * 30;
        return (theta0, grads);
    }

    static double[] Rates(double baseRate)
    {
        var rates = new double[Steps];
        for (int t = 0; t < Steps; t++) rates[t] = baseRate * (1 + 0.5 * Math.Sin(t));
        return rates;
    }

    static Tensor<T>[] Split<T>(double[] flat) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensors = new Tensor<T>[Shapes.Length];
        int at = 0;
        for (int i = 0; i < Shapes.Length; i++)
        {
            int n = Shapes[i].Aggregate(1, (a, b) => a * b);
            var values = flat.AsSpan(at, n).ToArray().Select(v => T.CreateChecked(v)).ToArray();
            tensors[i] = Tensor<T>.Variable(values, Shapes[i]);
            at += n;
        }
        return tensors;
    }

    static double[] Flatten<T>(IEnumerable<Tensor<T>> tensors) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. tensors.SelectMany(p => p.ToArray()).Select(v => double.CreateChecked(v))];

    /// <summary>Runs the optimiser over the problem, alternating Step(gradients) and Step() from accumulated Grad, and returns θ.</summary>
    static double[] Run<T>(Func<IReadOnlyList<Tensor<T>>, Optimiser<T>> make, double[] rates) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (theta0, grads) = Problem();
        var parameters = Split<T>(theta0);
        var optimiser = make(parameters);
        for (int t = 0; t < Steps; t++)
        {
            optimiser.LearningRate = rates[t];
            var g = Split<T>(grads[t]);
            if (t % 2 == 0) optimiser.Step(g);
            else
            {
                for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = g[i];
                optimiser.Step();
                optimiser.ZeroGrad();
                Assert.All(parameters, p => Assert.Null(p.Grad));
            }
            Assert.Equal(t + 1, optimiser.StepCount);
        }
        return Flatten(parameters);
    }

    static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance * Math.Max(1, Math.Abs(expected[k])),
                $"element {k}: oracle {expected[k]:R}, optimiser {actual[k]:R}");
    }

    public static TheoryData<string> Configurations =>
    [
        "sgd", "sgd momentum", "sgd momentum dampening", "sgd nesterov", "sgd momentum weight-decay", "sgd nesterov weight-decay", "sgd weight-decay",
        "adam", "adam weight-decay", "adam betas", "adamw", "adamw betas",
    ];

    static (Func<IReadOnlyList<Tensor<T>>, Optimiser<T>> Make, Func<double[]> Oracle, double[] Rates) Configuration<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (theta0, grads) = Problem();
        var sgdRates = Rates(0.05);
        var adamRates = Rates(0.01);
        return name switch
        {
            "sgd" => (p => new Sgd<T>(p, 1), () => TorchOracle.Sgd(theta0, grads, sgdRates), sgdRates),
            "sgd momentum" => (p => new Sgd<T>(p, 1, momentum: 0.9), () => TorchOracle.Sgd(theta0, grads, sgdRates, momentum: 0.9), sgdRates),
            "sgd momentum dampening" => (p => new Sgd<T>(p, 1, momentum: 0.8, dampening: 0.3),
                () => TorchOracle.Sgd(theta0, grads, sgdRates, momentum: 0.8, dampening: 0.3), sgdRates),
            "sgd nesterov" => (p => new Sgd<T>(p, 1, momentum: 0.9, nesterov: true),
                () => TorchOracle.Sgd(theta0, grads, sgdRates, momentum: 0.9, nesterov: true), sgdRates),
            "sgd momentum weight-decay" => (p => new Sgd<T>(p, 1, momentum: 0.7, dampening: 0.1, weightDecay: 0.2),
                () => TorchOracle.Sgd(theta0, grads, sgdRates, momentum: 0.7, dampening: 0.1, weightDecay: 0.2), sgdRates),
            "sgd nesterov weight-decay" => (p => new Sgd<T>(p, 1, momentum: 0.9, weightDecay: 0.3, nesterov: true),
                () => TorchOracle.Sgd(theta0, grads, sgdRates, momentum: 0.9, weightDecay: 0.3, nesterov: true), sgdRates),
            "sgd weight-decay" => (p => new Sgd<T>(p, 1, weightDecay: 0.5), () => TorchOracle.Sgd(theta0, grads, sgdRates, weightDecay: 0.5), sgdRates),
            "adam" => (p => new Adam<T>(p), () => TorchOracle.Adam(theta0, grads, adamRates), adamRates),
            "adam weight-decay" => (p => new Adam<T>(p, weightDecay: 0.2), () => TorchOracle.Adam(theta0, grads, adamRates, weightDecay: 0.2), adamRates),
            "adam betas" => (p => new Adam<T>(p, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, weightDecay: 0.05),
                () => TorchOracle.Adam(theta0, grads, adamRates, 0.5, 0.9, 1e-3, 0.05), adamRates),
            "adamw" => (p => new AdamW<T>(p), () => TorchOracle.Adam(theta0, grads, adamRates, weightDecay: 0.01, decoupled: true), adamRates),
            "adamw betas" => (p => new AdamW<T>(p, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.5),
                () => TorchOracle.Adam(theta0, grads, adamRates, 0.8, 0.95, 1e-6, 0.5, decoupled: true), adamRates),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown configuration"),
        };
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Ten_double_precision_steps_match_the_PyTorch_pseudo_code(string configuration)
    {
        var (make, oracle, rates) = Configuration<double>(configuration);
        // The two compute the same formulas in a different arrangement (e.g. m + (1 − β₁)(g − m) and
        // √v/√(1 − β₂ᵗ)): a few rounding errors of 1.1e-16 per step, far inside 1e-12.
        AssertClose(oracle(), Run(make, rates), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Ten_single_precision_steps_match_the_double_precision_pseudo_code_to_float_rounding(string configuration)
    {
        var (make, oracle, rates) = Configuration<float>(configuration);
        // Inputs are exact in float; each step rounds θ (|θ| ≲ 2) a few times at 2⁻²⁴ ≈ 6e-8, and the
        // update's own relative error (~1e-7) is multiplied by a step of at most ~0.1: after 10 steps
        // the error stays below ~40 roundings, 2.4e-6 relative.
        AssertClose(oracle(), Run(make, rates), 2.4e-6);
    }

    [Theory]
    [InlineData(0.9, 0.999)]
    [InlineData(0.5, 0.9)]
    [InlineData(0.0, 0.99)]
    public void Adam_first_step_moves_each_parameter_by_exactly_lr_g_over_abs_g_plus_epsilon(double beta1, double beta2)
    {
        // After one step m̂ = g and v̂ = g², so Δθ = −η·g/(|g| + ε) whatever β₁ and β₂: ±η for large g, less when |g| ~ ε.
        double[] g = [1, -3, 1e-3, -1e-9, 2.5e-8, 0, 1e4, -7.5e-7];
        const double lr = 1e-3, eps = 1e-8;
        foreach (bool decoupled in new[] { false, true })
        {
            var theta = Tensor<double>.Variable(new double[g.Length], g.Length); // θ₀ = 0 so θ₁ is the move itself, unrounded by a subtraction
            Optimiser<double> adam = decoupled ? new AdamW<double>([theta], lr, beta1, beta2, eps) : new Adam<double>([theta], lr, beta1, beta2, eps);
            adam.Step([Tensor<double>.FromSpan(g, g.Length)]);
            for (int k = 0; k < g.Length; k++)
            {
                double expected = -lr * g[k] / (Math.Abs(g[k]) + eps);
                Assert.True(Math.Abs(theta[k] - expected) <= 1e-14 * Math.Abs(expected), $"g = {g[k]}: moved {theta[k]:R}, expected {expected:R}");
            }
        }
    }

    public static TheoryData<string, double> NonFiniteCases => new()
    {
        { "sgd", double.NaN }, { "adam", double.PositiveInfinity }, { "adamw", double.NegativeInfinity }, { "sgd momentum", double.PositiveInfinity },
    };

    static Optimiser<double> Make(string kind, IReadOnlyList<Tensor<double>> p) => kind switch
    {
        "sgd" => new Sgd<double>(p, 0.1),
        "sgd momentum" => new Sgd<double>(p, 0.1, momentum: 0.9, nesterov: true),
        "adam" => new Adam<double>(p, 0.01, weightDecay: 0.1),
        "adamw" => new AdamW<double>(p, 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    static Tensor<double>[] Gradients(IReadOnlyList<Tensor<double>> parameters, int seed)
    {
        var rng = new System.Random(seed);
        return [.. parameters.Select(p =>
        {
            var g = new double[p.Length];
            for (int i = 0; i < g.Length; i++) g[i] = 2 * rng.NextDouble() - 1;
            return Tensor<double>.Wrap(g, p.Shape);
        })];
    }

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void A_non_finite_gradient_throws_naming_parameter_element_and_step_and_leaves_everything_unchanged(string kind, double bad)
    {
        var net = new Mlp<double>([2, 3, 2], Activation.Tanh, new ParameterRandom(51));
        var optimiser = Make(kind, net.Parameters());
        optimiser.Step(Gradients(optimiser.Parameters, 1));
        optimiser.Step(Gradients(optimiser.Parameters, 2));
        var parametersBefore = Flatten(optimiser.Parameters);
        var stateBefore = optimiser.State().Select(s => s.Tensor.ToArray()).ToArray();

        var grads = Gradients(optimiser.Parameters, 3);
        grads[2].Span[4] = bad; // layers.1.weight, shape [2, 3], element 4
        var ex = Assert.Throws<NonFiniteGradientException>(() => optimiser.Step(grads));
        Assert.Equal("layers.1.weight", ex.ParameterName);
        Assert.Equal(3, ex.Step);
        Assert.Contains("'layers.1.weight'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("element 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("step 3", ex.Message, StringComparison.Ordinal);

        Assert.Equal(2, optimiser.StepCount);
        Assert.Equal(parametersBefore, Flatten(optimiser.Parameters)); // layers.0.* come first and must not have moved either
        Assert.Equal(stateBefore, optimiser.State().Select(s => s.Tensor.ToArray()).ToArray());

        // The failed step left no trace: the next good step gives what an uninterrupted optimiser gives.
        optimiser.Step(Gradients(optimiser.Parameters, 4));
        var reference = new Mlp<double>([2, 3, 2], Activation.Tanh, new ParameterRandom(51));
        var clean = Make(kind, reference.Parameters());
        foreach (int seed in new[] { 1, 2, 4 }) clean.Step(Gradients(clean.Parameters, seed));
        Assert.Equal(Flatten(clean.Parameters), Flatten(optimiser.Parameters));
    }

    [Fact]
    public void A_non_finite_gradient_of_an_unnamed_parameter_is_reported_by_its_index()
    {
        var parameters = Split<double>(Problem().Theta0);
        var sgd = new Sgd<double>(parameters, 0.1);
        var grads = Split<double>(new double[Elements]);
        grads[1].Span[3] = double.NaN;
        var ex = Assert.Throws<NonFiniteGradientException>(() => sgd.Step(grads));
        Assert.Equal("#1", ex.ParameterName);
        Assert.Equal(1, ex.Step);
        Assert.Contains("element 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradients_of_the_wrong_count_or_shape_throw_ArgumentException_and_change_nothing()
    {
        var (theta0, _) = Problem();
        var parameters = Split<double>(theta0);
        var adam = new Adam<double>(parameters);
        var count = Assert.Throws<ArgumentException>(() => adam.Step([Tensor<double>.Zeros(2, 3)]));
        Assert.Equal("gradients", count.ParamName);
        Assert.Contains("1 gradients for 2 parameters", count.Message, StringComparison.Ordinal);
        var shape = Assert.Throws<ArgumentException>(() => adam.Step([Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(2, 2)]));
        Assert.Equal("gradients", shape.ParamName);
        Assert.Contains("Gradient 1", shape.Message, StringComparison.Ordinal);
        var transposed = Assert.Throws<ArgumentException>(() => adam.Step([Tensor<double>.Zeros(3, 2), Tensor<double>.Zeros(4)]));
        Assert.Contains("Gradient 0", transposed.Message, StringComparison.Ordinal);
        Assert.Equal(0, adam.StepCount);
        Assert.Equal(theta0, Flatten(parameters));
    }

    [Theory]
    [InlineData("sgd momentum")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void LoadState_restores_an_optimiser_that_then_continues_bit_identically(string kind)
    {
        var (theta0, grads) = Problem();
        var whole = Split<double>(theta0);
        var wholeOptimiser = Make(kind, whole);
        for (int t = 0; t < Steps; t++) wholeOptimiser.Step(Split<double>(grads[t]));

        var first = Split<double>(theta0);
        var firstOptimiser = Make(kind, first);
        for (int t = 0; t < 4; t++) firstOptimiser.Step(Split<double>(grads[t]));
        var saved = firstOptimiser.State().ToDictionary(s => s.Name, s => s.Tensor.Clone());
        Assert.NotEmpty(saved);
        var savedParameters = first.Select(p => p.ToArray()).ToArray();

        var resumed = Split<double>(theta0);
        for (int i = 0; i < resumed.Length; i++) savedParameters[i].CopyTo(resumed[i].Span);
        var resumedOptimiser = Make(kind, resumed);
        resumedOptimiser.LoadState(saved, 4);
        Assert.Equal(4, resumedOptimiser.StepCount);
        for (int t = 4; t < Steps; t++) resumedOptimiser.Step(Split<double>(grads[t]));
        Assert.Equal(Flatten(whole), Flatten(resumed));
    }

    [Fact]
    public void LoadState_rejects_a_missing_entry_or_a_wrong_shape()
    {
        var parameters = Split<double>(Problem().Theta0);
        var adam = new Adam<double>(parameters);
        var state = adam.State().ToDictionary(s => s.Name, s => s.Tensor.Clone());
        Assert.Equal(new[] { "0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq" }, adam.State().Select(s => s.Name).ToArray());
        var missing = new Dictionary<string, Tensor<double>>(state);
        missing.Remove("1.exp_avg_sq");
        Assert.Contains("1.exp_avg_sq", Assert.Throws<ArgumentException>(() => adam.LoadState(missing, 3)).Message, StringComparison.Ordinal);
        var wrong = new Dictionary<string, Tensor<double>>(state) { ["0.exp_avg"] = Tensor<double>.Zeros(3, 2) };
        Assert.Contains("0.exp_avg", Assert.Throws<ArgumentException>(() => adam.LoadState(wrong, 3)).Message, StringComparison.Ordinal);
    }
}

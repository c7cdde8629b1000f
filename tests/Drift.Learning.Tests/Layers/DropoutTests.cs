using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Learning.Tests.Layers;

public class DropoutTests
{
    const int N = 100_000;

    static Tensor<double> Input()
    {
        var x = new double[N];
        for (int i = 0; i < N; i++) x[i] = 1 + i % 7; // never zero, so a zero output is a dropped element
        return Tensor<double>.Wrap(x, N / 100, 100);
    }

    [Fact]
    public void Dropout_in_evaluation_mode_or_with_p_zero_is_the_identity()
    {
        var x = Input();
        var dropout = new Dropout<double>(0.5, seed: 1) { Training = false };
        Assert.Equal(x.ToArray(), dropout.Forward(x, 7).ToArray());
        var none = new Dropout<double>(0, seed: 1);
        Assert.True(none.Training);
        Assert.Equal(x.ToArray(), none.Forward(x, 7).ToArray());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Dropout_zeroes_a_fraction_p_within_5_standard_errors_and_scales_kept_elements_by_one_over_one_minus_p(double p)
    {
        var x = Input();
        var y = new Dropout<double>(p, seed: 2).Forward(x, stream: 3).ToArray();
        var xs = x.ToArray();
        int zeros = 0;
        for (int i = 0; i < N; i++)
        {
            if (y[i] == 0) zeros++;
            else Assert.True(Math.Abs(y[i] - xs[i] / (1 - p)) <= 1e-15 * Math.Abs(y[i]), $"element {i}: {y[i]} vs {xs[i]}/(1 − {p})");
        }
        double fraction = (double)zeros / N, se = Math.Sqrt(p * (1 - p) / N);
        Assert.True(Math.Abs(fraction - p) < 5 * se, $"dropped {fraction}, p = {p}, 5 SE = {5 * se}");
    }

    [Fact]
    public void Dropout_masks_are_a_function_of_seed_and_stream_and_different_streams_are_independent()
    {
        const double p = 0.3;
        var x = Input();
        var dropout = new Dropout<double>(p, seed: 4);
        var a = dropout.Forward(x, 10).ToArray();
        var again = dropout.Forward(x, 10).ToArray();
        var b = dropout.Forward(x, 11).ToArray();
        var otherSeed = new Dropout<double>(p, seed: 5).Forward(x, 10).ToArray();
        Assert.Equal(a, again);
        Assert.Equal(a, new Dropout<double>(p, seed: 4).Forward(x, 10).ToArray());

        // Independent masks disagree on a fraction 2p(1 − p) of the elements.
        foreach (var other in new[] { b, otherSeed })
        {
            int disagree = 0;
            for (int i = 0; i < N; i++) if ((a[i] == 0) != (other[i] == 0)) disagree++;
            double q = 2 * p * (1 - p), fraction = (double)disagree / N, se = Math.Sqrt(q * (1 - q) / N);
            Assert.True(Math.Abs(fraction - q) < 5 * se, $"masks disagree on {fraction}, expected {q} ± {5 * se}");
        }
    }

    [Fact]
    public void Dropout_gradient_is_the_mask_times_one_over_one_minus_p()
    {
        const double p = 0.25;
        var x = Tensor<double>.Variable(Input().ToArray().AsSpan(0, 1000), 10, 100);
        var dropout = new Dropout<double>(p, seed: 6);
        var y = dropout.Forward(x, 12);
        var g = Autograd.Grad(Ops.Sum(y), x).ToArray();
        var values = y.ToArray();
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i] == 0 ? 0 : 1 / (1 - p), g[i], 15);
    }
}

using Drift.Learning.Autodiff;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Tests.Optimisers;

public class ExponentialMovingAverageTests
{
    static Tensor<double>[] Parameters(int seed)
    {
        var rng = new System.Random(seed);
        int[][] shapes = [[2, 3], [4]];
        return [.. shapes.Select(shape =>
        {
            var v = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < v.Length; i++) v[i] = 4 * rng.NextDouble() - 2;
            return Tensor<double>.Variable(v, shape);
        })];
    }

    static double[] Flat(IEnumerable<Tensor<double>> tensors) => [.. tensors.SelectMany(t => t.ToArray())];

    static void Set(Tensor<double>[] parameters, double[] values)
    {
        int at = 0;
        foreach (var p in parameters)
        {
            values.AsSpan(at, p.Length).CopyTo(p.Span);
            at += p.Length;
        }
    }

    [Fact]
    public void Warm_up_decay_is_min_of_delta_and_one_plus_n_over_ten_plus_n()
    {
        var ema = new ExponentialMovingAverage<double>(Parameters(70), 0.999);
        for (long n = 1; n <= 3000; n++) Assert.Equal(Math.Min(0.999, (1.0 + n) / (10.0 + n)), ema.DecayAt(n));
        Assert.Equal(2.0 / 11, ema.DecayAt(1));
        Assert.Equal(0.999, ema.DecayAt(10_000));
        var plain = new ExponentialMovingAverage<double>(Parameters(70), 0.95, warmup: false);
        for (long n = 1; n <= 100; n++) Assert.Equal(0.95, plain.DecayAt(n));
    }

    [Theory]
    [InlineData(0.999, true)]
    [InlineData(0.9, false)]
    public void The_average_of_a_constant_parameter_stays_constant(double decay, bool warmup)
    {
        var p = Parameters(71);
        var ema = new ExponentialMovingAverage<double>(p, decay, warmup);
        for (int k = 0; k < 300; k++) ema.Update();
        Assert.Equal(300, ema.Updates);
        // δs + (1 − δ)s = s in exact arithmetic; each update adds ≤ 1.5 ulp of rounding, which persists for
        // about 1/(1 − δₙ) ≤ 35 updates here, so the average stays within ~100 ulp ≈ 2e-14 relative.
        var expected = Flat(p);
        var actual = Flat(ema.Averages);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-13 * Math.Abs(expected[k]), $"element {k}: {actual[k]:R} vs {expected[k]:R}");
    }

    [Theory]
    [InlineData(0.999, true)]
    [InlineData(0.95, false)]
    public void A_parameter_changed_once_is_approached_geometrically_with_the_product_of_the_decays(double decay, bool warmup)
    {
        var p = Parameters(72);
        var theta0 = Flat(p);
        var ema = new ExponentialMovingAverage<double>(p, decay, warmup);
        for (int k = 0; k < 3; k++) ema.Update();
        var theta1 = Flat(Parameters(73));
        Set(p, theta1);
        double product = 1;
        for (long n = 4; n <= 40; n++)
        {
            ema.Update();
            product *= warmup ? Math.Min(decay, (1.0 + n) / (10.0 + n)) : decay;
            Assert.Equal(n, ema.Updates);
            // θ̄ₙ = θ₁ + (θ₀ − θ₁)·Π_{m=4..n} δₘ.
            var actual = Flat(ema.Averages);
            for (int k = 0; k < theta0.Length; k++)
            {
                double expected = theta1[k] + (theta0[k] - theta1[k]) * product;
                Assert.True(Math.Abs(actual[k] - expected) <= 1e-13, $"update {n}, element {k}: {actual[k]:R} vs {expected:R}");
            }
        }
        Assert.True(product < 0.5, "the test should move the average a long way");
    }

    [Fact]
    public void Loading_saved_averages_and_update_count_continues_identically()
    {
        var p = Parameters(74);
        var ema = new ExponentialMovingAverage<double>(p, 0.99);
        var rng = new System.Random(75);
        double[] Next() => [.. Enumerable.Range(0, 10).Select(_ => 2 * rng.NextDouble() - 1)];
        for (int k = 0; k < 5; k++) { Set(p, Next()); ema.Update(); }
        var saved = ema.Averages.Select(a => a.Clone()).ToArray();
        long updates = ema.Updates;

        var restored = new ExponentialMovingAverage<double>(p, 0.99);
        restored.Load(saved, updates);
        Assert.Equal(updates, restored.Updates);
        Assert.Equal(Flat(ema.Averages), Flat(restored.Averages));
        for (int k = 0; k < 5; k++)
        {
            Set(p, Next());
            ema.Update();
            restored.Update();
        }
        Assert.Equal(Flat(ema.Averages), Flat(restored.Averages));

        var copy = Parameters(76);
        ema.CopyTo(copy);
        Assert.Equal(Flat(ema.Averages), Flat(copy));
    }

    [Fact]
    public void Load_rejects_a_wrong_count_or_shape_and_the_constructor_a_decay_outside_zero_one()
    {
        var ema = new ExponentialMovingAverage<double>(Parameters(77), 0.99);
        Assert.Throws<ArgumentException>(() => ema.Load([Tensor<double>.Zeros(2, 3)], 1));
        Assert.Throws<ArgumentException>(() => ema.Load([Tensor<double>.Zeros(3, 2), Tensor<double>.Zeros(4)], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ema.Load([Tensor<double>.Zeros(2, 3), Tensor<double>.Zeros(4)], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage<double>(Parameters(77), 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage<double>(Parameters(77), -0.1));
    }
}

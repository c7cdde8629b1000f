using Drift.Sampling.Diagnostics;

namespace Drift.Sampling.Tests;

/// <summary>The summary of independent weighted runs against hand-computed values, and R̂ ≈ 1 for independent draws.</summary>
public class WeightedRunSummaryTests
{
    [Fact]
    public void Two_runs_give_the_hand_computed_columns()
    {
        // Run 1: x = (0, 2), w = (½, ½): mean 1, variance 1, Kish 2. Run 2: x = (1, 3), w = (¾, ¼): mean 1.5, variance 0.75, Kish 1.6.
        var s = WeightedRunSummary.Of("x", [[0.0, 2.0], [1.0, 3.0]], [[0.5, 0.5], [0.75, 0.25]]);
        Assert.Equal(1.25, s.Mean, 14);
        // Pooled weights (¼, ¼, 3/8, 1/8): E x² = 0 + 1 + 3/8 + 9/8 = 2.5, variance 2.5 − 1.5625.
        Assert.Equal(Math.Sqrt(2.5 - 1.5625), s.StandardDeviation, 14);
        Assert.Equal(3.6, s.Ess, 12);
        Assert.Equal(0.25, s.McseMean, 14); // sd of (1, 1.5) is 0.3536, /√2
        double within = (1 + 0.75) / 2, between = 0.125, n = 1.8;
        Assert.Equal(Math.Sqrt(((n - 1) / n * within + between) / within), s.Rhat, 14);
        Assert.Equal(0, s.Q5);
        Assert.Equal(1, s.Median); // cumulative ¼, then ¼ + 3/8 ≥ ½
        Assert.Equal(3, s.Q95);
        Assert.True(double.IsNaN(WeightedRunSummary.Of("x", [[0.0, 2.0]], [[0.5, 0.5]]).Rhat));
    }

    [Fact]
    public void Independent_equal_weight_runs_have_rhat_near_one_and_shifted_runs_do_not()
    {
        var rng = new System.Random(3);
        double[] Normal(double shift) => [.. Enumerable.Range(0, 500).Select(_ => shift + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()))];
        var w = Enumerable.Repeat(1.0 / 500, 500).ToArray();
        var same = WeightedRunSummary.Of("x", [Normal(0), Normal(0), Normal(0), Normal(0)], [w, w, w, w]);
        Assert.InRange(same.Rhat, 0.99, 1.01);
        var shifted = WeightedRunSummary.Of("x", [Normal(0), Normal(0), Normal(0), Normal(1)], [w, w, w, w]);
        Assert.True(shifted.Rhat > 1.05, $"R-hat {shifted.Rhat}");
        Assert.Contains("sum to", Assert.Throws<ArgumentException>(() => WeightedRunSummary.Of("x", [[1.0]], [[0.5]])).Message);
    }
}

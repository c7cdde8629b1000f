using Drift.Statistics;

namespace Drift.Tests.Statistics;

public class StatisticsTests
{
    [Fact]
    public void Merged_moments_equal_the_moments_of_the_union()
    {
        var rng = new System.Random(1);
        var all = Enumerable.Range(0, 1000).Select(_ => 5 + 3 * rng.NextDouble()).ToArray();
        var whole = Moments.Of(all);
        var merged = Moments.Empty;
        int[] edges = [0, 7, 300, 301, 999, 1000];
        for (int i = 0; i + 1 < edges.Length; i++) merged = merged.Merge(Moments.Of(all.AsSpan(edges[i], edges[i + 1] - edges[i])));
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Mean, merged.Mean, 1e-13);
        Assert.Equal(whole.Variance, merged.Variance, 1e-12);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        double mean = all.Average();
        Assert.Equal(all.Select(v => (v - mean) * (v - mean)).Sum() / 999, whole.Variance, 1e-12);
        Assert.Equal(Math.Sqrt(whole.Variance / 1000), whole.StandardError, 1e-15);
    }

    [Fact]
    public void Sketch_reports_zero_for_a_quantile_that_falls_on_zero()
    {
        // Integer data (molecule counts) with many zeros: the zero bucket must give 0, not a subnormal midpoint.
        var sketch = new QuantileSketch();
        foreach (double v in new[] { 0.0, 0.0, 0.0, 1.0, 2.0, -0.0 }) sketch.Add(v);
        Assert.Equal(0.0, sketch.Quantile(0.05));
        Assert.Equal(0.0, sketch.Quantile(0.5));
        Assert.Equal(2.0, sketch.Quantile(1.0), 0.01);
    }

    [Fact]
    public void Sketch_quantiles_are_within_the_stated_relative_error_and_merge_exactly()
    {
        var rng = new System.Random(2);
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(3 * (rng.NextDouble() - 0.5)) * (rng.Next(3) == 0 ? -1 : 1)).ToArray();
        var whole = new QuantileSketch();
        whole.Add(values);
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        a.Add(values.AsSpan(0, 12_345));
        b.Add(values.AsSpan(12_345));
        b.Merge(a);
        var sorted = values.Order().ToArray();
        foreach (double q in new[] { 0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0 })
        {
            double exact = sorted[(int)Math.Floor(q * (sorted.Length - 1))];
            double estimate = whole.Quantile(q);
            Assert.True(Math.Abs(estimate - exact) <= Math.Abs(exact) / 512, $"q = {q}: {estimate} vs {exact}");
            Assert.Equal(estimate, b.Quantile(q));
        }
        Assert.Equal(sorted[0], whole.Min);
        Assert.Equal(sorted[^1], whole.Max);
        Assert.Throws<ArgumentException>(() => whole.Add(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => whole.Quantile(1.5));
        Assert.True(double.IsNaN(new QuantileSketch().Quantile(0.5)));
    }
}

using Drift.Random.Resampling;
using Drift.Random;

namespace Drift.Tests.Random.Resampling;

public class ResamplerTests
{
    private static readonly double[] Weights = [0.02, 0.31, 0.005, 0.17, 0.235, 0.09, 0.12, 0.05];

    [Theory]
    [InlineData(ResamplingScheme.Multinomial)]
    [InlineData(ResamplingScheme.Stratified)]
    [InlineData(ResamplingScheme.Systematic)]
    [InlineData(ResamplingScheme.Residual)]
    public void Offspring_counts_are_unbiased_and_ancestors_sorted(ResamplingScheme scheme)
    {
        // E[O_i] = N·W_i: mean offspring over R independent streams within 5 SE of N·W_i, for every i.
        const int n = 8, runs = 8000;
        var uniforms = new PhiloxUniforms(42);
        var ancestors = new int[n];
        var sum = new double[n];
        var sum2 = new double[n];
        var counts = new int[n];
        for (int r = 0; r < runs; r++)
        {
            Resampler.Resample(scheme, Weights, ancestors, uniforms, (ulong)r);
            Array.Clear(counts);
            for (int i = 0; i < n; i++)
            {
                Assert.InRange(ancestors[i], 0, n - 1);
                if (i > 0) Assert.True(ancestors[i] >= ancestors[i - 1]);
                counts[ancestors[i]]++;
            }
            for (int i = 0; i < n; i++)
            {
                sum[i] += counts[i];
                sum2[i] += (double)counts[i] * counts[i];
            }
        }
        for (int i = 0; i < n; i++)
        {
            double mean = sum[i] / runs, variance = sum2[i] / runs - mean * mean;
            double se = Math.Sqrt(Math.Max(variance, 1e-12) / runs);
            Assert.True(Math.Abs(mean - n * Weights[i]) < 5 * se + 1e-12,
                $"{scheme}: particle {i} mean offspring {mean} vs {n * Weights[i]} (SE {se})");
            // Systematic resampling never moves more than one offspring away from N·W_i.
            if (scheme == ResamplingScheme.Systematic)
                Assert.True(variance <= 0.25 + 1e-9, $"{scheme}: variance {variance} of particle {i}");
        }
    }

    [Fact]
    public void Residual_keeps_the_integer_parts_and_low_variance_schemes_beat_multinomial()
    {
        const int n = 8, runs = 2000;
        var uniforms = new PhiloxUniforms(7);
        var ancestors = new int[n];
        var variances = new Dictionary<ResamplingScheme, double>();
        foreach (var scheme in Enum.GetValues<ResamplingScheme>())
        {
            double total = 0;
            for (int r = 0; r < runs; r++)
            {
                Resampler.Resample(scheme, Weights, ancestors, uniforms, (ulong)r);
                for (int i = 0; i < n; i++)
                {
                    int c = ancestors.Count(a => a == i);
                    if (scheme == ResamplingScheme.Residual) Assert.True(c >= (int)Math.Floor(n * Weights[i]));
                    total += (c - n * Weights[i]) * (c - n * Weights[i]);
                }
            }
            variances[scheme] = total / runs;
        }
        foreach (var s in new[] { ResamplingScheme.Stratified, ResamplingScheme.Systematic, ResamplingScheme.Residual })
            Assert.True(variances[s] < variances[ResamplingScheme.Multinomial], $"{s}: {variances[s]} vs multinomial {variances[ResamplingScheme.Multinomial]}");
    }

    [Fact]
    public void Bad_weights_are_rejected()
    {
        var u = new PhiloxUniforms(1);
        var a = new int[2];
        Assert.Throws<ArgumentException>(() => Resampler.Resample(ResamplingScheme.Systematic, [0.5, double.NaN], a, u, 0));
        Assert.Throws<ArgumentException>(() => Resampler.Resample(ResamplingScheme.Systematic, [0.0, 0.0], a, u, 0));
        Assert.Throws<ArgumentException>(() => Resampler.Resample(ResamplingScheme.Systematic, [], a, u, 0));
        Assert.Throws<ArgumentException>(() => Resampler.Parse("bogus"));
        Assert.Equal(ResamplingScheme.Residual, Resampler.Parse("residual"));
    }
}

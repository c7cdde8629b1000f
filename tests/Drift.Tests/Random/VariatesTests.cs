using Drift.Random;

namespace Drift.Tests.Random;

public class VariatesTests
{
    private static double[] Sample(int n, Func<StepDraws, double> draw) =>
        [.. Enumerable.Range(0, n).Select(i => draw(new StepDraws(7, (ulong)i, 3)))];

    [Theory]
    [InlineData(0.35)]
    [InlineData(1.0)]
    [InlineData(4.7)]
    public void Gamma_draws_follow_the_gamma_law_by_Kolmogorov_Smirnov(double shape)
    {
        var sample = Sample(20_000, d => Variates.Gamma(ref d, shape));
        double p = StatisticalTests.KolmogorovSmirnovPValue(sample, x => GammaOracle.RegularizedLower(shape, x));
        Assert.True(p > 1e-3, $"KS p = {p}");
    }

    [Theory]
    [InlineData(2.5)]
    [InlineData(37.0)]
    [InlineData(400.0)]
    public void Poisson_draws_have_the_exact_mean_variance_and_probabilities(double mean)
    {
        var sample = Sample(40_000, d => Variates.Poisson(ref d, mean));
        double m = sample.Average(), v = sample.Select(x => (x - m) * (x - m)).Sum() / (sample.Length - 1);
        Assert.True(Math.Abs(m - mean) < 4.5 * Math.Sqrt(mean / sample.Length), $"mean {m} vs {mean}");
        Assert.True(Math.Abs(v - mean) < 4.5 * mean * Math.Sqrt((2 + 1 / mean) / sample.Length), $"variance {v} vs {mean}");
        int mode = (int)mean;
        double pMode = Math.Exp(-mean + mode * Math.Log(mean) - GammaOracle.LogGamma(mode + 1));
        double observed = sample.Count(x => x == mode) / (double)sample.Length;
        Assert.True(Math.Abs(observed - pMode) < 4.5 * Math.Sqrt(pMode * (1 - pMode) / sample.Length), $"P(N = {mode}) {observed} vs {pMode}");
    }

    [Theory]
    [InlineData(3.2, 1.5)]
    [InlineData(0.6, 8.0)]
    [InlineData(0.6, 150.0)]
    public void Noncentral_chi_squared_draws_follow_their_law_by_Kolmogorov_Smirnov(double nu, double lambda)
    {
        var sample = Sample(20_000, d => Variates.NoncentralChiSquared(ref d, nu, lambda));
        double p = StatisticalTests.KolmogorovSmirnovPValue(sample, x => GammaOracle.NoncentralChiSquaredCdf(x, nu, lambda));
        Assert.True(p > 1e-3, $"KS p = {p}");
    }

    [Fact]
    public void Draws_are_a_pure_function_of_seed_stream_and_step()
    {
        var a = new StepDraws(5, 9, 11);
        var b = new StepDraws(5, 9, 11);
        var c = new StepDraws(5, 9, 12);
        Assert.Equal(Variates.Gamma(ref a, 2.5), Variates.Gamma(ref b, 2.5));
        Assert.NotEqual(a.NextUniform(), c.NextUniform());
        Assert.Throws<ArgumentOutOfRangeException>(() => { var d = new StepDraws(1, 1, 1); return Variates.Gamma(ref d, -1); });
    }
    [Fact]
    public void Step_draws_are_the_documented_philox_draws_bit_for_bit_whatever_the_interleaving()
    {
        // StepDraws keeps the odd draw of each Philox pair from the even one's call; the i-th uniform and normal must
        // still be draw 2^24·step + i of the derived-key generators, however uniforms and normals interleave.
        const ulong seed = 17, stream = 3, step = 5;
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(seed, 0x5354_4550_554E_4946));
        var normals = new PhiloxNormals(SeedMixer.Derive(seed, 0x5354_4550_4E4F_524D));
        var draws = new StepDraws(seed, stream, step);
        int u = 0, z = 0;
        foreach (char kind in "nnnunuuunnnnnuunnnu")
        {
            if (kind == 'u') Assert.Equal(uniforms.Draw(stream, (step << 24) + (ulong)u++), draws.NextUniform());
            else Assert.Equal(normals.Draw(stream, (step << 24) + (ulong)z++), draws.NextNormal());
        }
    }
}

using Drift.Random;

namespace Drift.Tests.Random;

public class PhiloxTests
{
    // Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds).
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Philox_matches_the_published_known_answers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint x0, uint x1, uint x2, uint x3)
    {
        Assert.Equal((x0, x1, x2, x3), Philox4x32.Compute((c0, c1, c2, c3), k0, k1));
        Assert.Equal([x0, x1, x2, x3], ReferencePhilox.Block([c0, c1, c2, c3], [k0, k1]));
    }

    [Fact]
    public void Normals_agree_with_an_independent_libm_oracle()
    {
        var g = new PhiloxNormals(0xDEADBEEF12345678UL);
        double worst = 0;
        for (ulong stream = 0; stream < 50; stream++)
            for (ulong draw = 0; draw < 200; draw++)
            {
                double expected = ReferencePhilox.Normal(g.Seed, stream * 977, draw);
                double actual = g.Draw(stream * 977, draw);
                worst = Math.Max(worst, Math.Abs(actual - expected) / Math.Max(1.0, Math.Abs(expected)));
            }
        Assert.True(worst < 5e-15, $"largest relative deviation from the libm oracle: {worst:E2}");
    }

    [Fact]
    public void Vector_fill_equals_the_scalar_kernel_bit_for_bit_at_every_length_0_to_256()
    {
        var g = new PhiloxNormals(42);
        for (int streams = 0; streams <= 256; streams++)
        {
            foreach (ulong firstDraw in new ulong[] { 0, 1, 6, 7 })
            {
                const int rows = 3, stride = 260;
                var buffer = new double[rows * stride];
                buffer.AsSpan().Fill(double.NaN);
                g.FillAcrossStreams(1000, streams, firstDraw, rows, buffer, stride);
                for (int r = 0; r < rows; r++)
                {
                    for (int p = 0; p < streams; p++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(g.Draw(1000 + (ulong)p, firstDraw + (ulong)r)), BitConverter.DoubleToInt64Bits(buffer[r * stride + p]));
                    for (int p = streams; p < stride; p++)
                        Assert.True(double.IsNaN(buffer[r * stride + p]), "fill wrote past the requested streams");
                }
            }
        }
    }

    [Fact]
    public void Stream_fill_equals_single_draws_from_any_start()
    {
        var g = new PhiloxNormals(9);
        for (ulong start = 0; start < 5; start++)
        {
            var buffer = new double[37];
            g.FillStream(3, start, buffer);
            for (int i = 0; i < buffer.Length; i++) Assert.Equal(g.Draw(3, start + (ulong)i), buffer[i]);
        }
    }

    [Fact]
    public void Golden_draws_are_identical_on_every_instruction_set()
    {
        // Recorded on AVX-512; CI re-runs this test with AVX-512 and AVX2 disabled.
        var g = new PhiloxNormals(2026);
        var row = new double[19];
        g.FillAcrossStreams(5, row.Length, 10, 1, row, row.Length);
        long hash = 17;
        foreach (double z in row) hash = hash * 31 + BitConverter.DoubleToInt64Bits(z);
        Assert.Equal(GoldenHash, hash);
    }

    internal const long GoldenHash = -4770321929867351533;

    [Fact]
    public void A_million_draws_have_normal_moments_and_pass_Kolmogorov_Smirnov()
    {
        const int n = 1 << 20;
        var z = new double[n];
        new PhiloxNormals(123).FillAcrossStreams(0, 1024, 0, n / 1024, z, 1024);
        double mean = z.Average();
        double m2 = z.Select(v => (v - mean) * (v - mean)).Average();
        double m3 = z.Select(v => Math.Pow(v - mean, 3)).Average();
        double m4 = z.Select(v => Math.Pow(v - mean, 4)).Average();
        // Standard errors of the sample moments of N(0,1): 1/√n, √(2/n), √(6/n), √(24/n) (kurtosis 3).
        Assert.InRange(mean, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(m2 - 1, -5 * Math.Sqrt(2.0 / n), 5 * Math.Sqrt(2.0 / n));
        Assert.InRange(m3, -5 * Math.Sqrt(6.0 / n), 5 * Math.Sqrt(6.0 / n));
        Assert.InRange(m4 - 3, -5 * Math.Sqrt(96.0 / n), 5 * Math.Sqrt(96.0 / n));
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(z, StatisticalTests.NormalCdf) > 1e-3);
    }

    [Fact]
    public void Neighbouring_streams_and_draws_are_uncorrelated()
    {
        const int n = 200_000;
        var g = new PhiloxNormals(77);
        var a = new double[n];
        var b = new double[n];
        g.FillStream(1, 0, a);
        g.FillStream(2, 0, b);
        double bound = 5 / Math.Sqrt(n);
        Assert.InRange(StatisticalTests.Correlation(a, b), -bound, bound);
        Assert.InRange(StatisticalTests.Correlation(a.AsSpan(0, n - 1), a.AsSpan(1, n - 1)), -bound, bound);
        // Box–Muller partners (draws 2b and 2b + 1) are independent too: products of pairs have mean 0.
        double pair = 0;
        for (int i = 0; i < n; i += 2) pair += a[i] * a[i + 1];
        Assert.InRange(pair / (n / 2), -bound * Math.Sqrt(2), bound * Math.Sqrt(2));
        // The same stream under another seed is another sequence.
        var c = new double[n];
        new PhiloxNormals(78).FillStream(1, 0, c);
        Assert.InRange(StatisticalTests.Correlation(a, c), -bound, bound);
    }

    [Fact]
    public void Tails_beyond_three_and_four_sigma_have_their_normal_mass()
    {
        const int n = 1 << 22;
        var z = new double[n];
        new PhiloxNormals(5).FillAcrossStreams(0, 4096, 0, n / 4096, z, 4096);
        foreach (double k in new[] { 3.0, 4.0 })
        {
            double p = 2 * (1 - StatisticalTests.NormalCdf(k));
            double observed = z.Count(v => Math.Abs(v) > k) / (double)n;
            double se = Math.Sqrt(p * (1 - p) / n);
            Assert.InRange(observed, p - 5 * se, p + 5 * se);
        }
        Assert.True(z.Max(Math.Abs) < 8.6);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_clear_errors()
    {
        var g = new PhiloxNormals(1);
        Assert.Throws<ArgumentException>(() => g.FillAcrossStreams(0, 10, 0, 2, new double[15], 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.FillAcrossStreams(0, 10, 0, 2, new double[40], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.FillAcrossStreams(0, -1, 0, 2, new double[40], 5));
    }
}

using Drift.Random;

namespace Drift.Tests.Random;

public class UniformTests
{
    [Fact]
    public void Uniforms_are_the_documented_bits_of_the_Philox_block()
    {
        var g = new PhiloxUniforms(0xABCDEF);
        for (ulong draw = 0; draw < 20; draw++)
        {
            ulong block = draw / 2;
            var x = ReferencePhilox.Block([7, 0, (uint)block, (uint)(block >> 32)], [0xABCDEF, 0]);
            ulong bits = draw % 2 == 0 ? ((ulong)x[0] << 32) | x[1] : ((ulong)x[2] << 32) | x[3];
            Assert.Equal(((bits >> 12) + 0.5) / 4503599627370496.0, g.Draw(7, draw));
        }
    }

    [Fact]
    public void Vector_fill_equals_the_scalar_kernel_at_every_length_0_to_256()
    {
        var g = new PhiloxUniforms(3);
        for (int streams = 0; streams <= 256; streams++)
        {
            var buffer = new double[2 * 256];
            g.FillAcrossStreams(99, streams, 5, 2, buffer, 256);
            for (int r = 0; r < 2; r++)
                for (int p = 0; p < streams; p++)
                    Assert.Equal(g.Draw(99 + (ulong)p, 5 + (ulong)r), buffer[r * 256 + p]);
        }
        var stream = new double[11];
        g.FillStream(4, 3, stream);
        for (int i = 0; i < stream.Length; i++) Assert.Equal(g.Draw(4, 3 + (ulong)i), stream[i]);
    }

    [Fact]
    public void A_million_uniforms_lie_in_the_open_interval_and_pass_Kolmogorov_Smirnov()
    {
        const int n = 1 << 20;
        var u = new double[n];
        new PhiloxUniforms(8).FillAcrossStreams(0, 1024, 0, n / 1024, u, 1024);
        Assert.True(u.All(v => v > 0 && v < 1));
        Assert.InRange(u.Average(), 0.5 - 5 * Math.Sqrt(1.0 / 12 / n), 0.5 + 5 * Math.Sqrt(1.0 / 12 / n));
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(u, v => v) > 1e-3);
    }
}

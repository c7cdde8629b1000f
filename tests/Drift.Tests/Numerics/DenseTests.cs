using Drift.Numerics;

namespace Drift.Tests.Numerics;

/// <summary>
/// Dense kernels against scalar loops written from their documented definitions (FMA per element; for the dot
/// product sixteen partial sums by index mod 16 and a balanced tree), bit for bit at every length 0..256 with NaN and
/// infinities mixed in. Re-run by the CI with AVX-512 and AVX2 off, so every width is held to the same bits.
/// </summary>
public class DenseTests
{
    private static double[] Inputs(System.Random rng, int n, bool specials)
    {
        double[] s = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e300];
        return Enumerable.Range(0, n).Select(_ => specials && rng.Next(40) == 0 ? s[rng.Next(s.Length)] : rng.NextDouble() * 6 - 3).ToArray();
    }

    private static double OracleDot(double[] x, double[] y)
    {
        var s = new double[16];
        for (int j = 0; j < x.Length; j++) s[j % 16] = Math.FusedMultiplyAdd(x[j], y[j], s[j % 16]);
        while (s.Length > 1) s = Enumerable.Range(0, s.Length / 2).Select(k => s[2 * k] + s[2 * k + 1]).ToArray();
        return s[0];
    }

    private static void Same(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: {expected:R} vs {actual:R}");

    [Fact]
    public void Dot_axpy_and_combinations_equal_their_scalar_definitions_bit_for_bit_at_every_length()
    {
        var rng = new System.Random(7);
        for (int n = 0; n <= 256; n++)
        {
            bool specials = n % 3 == 0;
            double[] x = Inputs(rng, n, specials), u = Inputs(rng, n, specials), w = Inputs(rng, n, false), y0 = Inputs(rng, n, false);
            Same(OracleDot(x, u), Dense.Dot(x, u), $"dot n={n}");
            var y = (double[])y0.Clone();
            Dense.Axpy(0.7, x, y);
            for (int i = 0; i < n; i++) Same(Math.FusedMultiplyAdd(0.7, x[i], y0[i]), y[i], $"axpy n={n} i={i}");
            Dense.Combine(y, 1.5, x, -0.25, u);
            for (int i = 0; i < n; i++) Same(Math.FusedMultiplyAdd(1.5, x[i], -0.25 * u[i]), y[i], $"combine2 n={n} i={i}");
            Dense.Combine(y, 1.5, x, -0.25, u, 3.0, w);
            for (int i = 0; i < n; i++)
                Same(Math.FusedMultiplyAdd(1.5, x[i], Math.FusedMultiplyAdd(-0.25, u[i], 3.0 * w[i])), y[i], $"combine3 n={n} i={i}");
            // In place: the output may be exactly an input.
            var z = (double[])x.Clone();
            Dense.Combine(z, 2.0, z, 0.5, u);
            for (int i = 0; i < n; i++) Same(Math.FusedMultiplyAdd(2.0, x[i], 0.5 * u[i]), z[i], $"in-place n={n} i={i}");
        }
    }

    [Fact]
    public void Dot_is_accurate_on_an_exact_case_and_refuses_unequal_lengths()
    {
        // Σ_{i<n} i·(n − i) = n(n² − 1)/6 exactly in double for these n.
        foreach (int n in new[] { 1, 15, 16, 17, 100, 1000 })
        {
            var a = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
            var b = Enumerable.Range(0, n).Select(i => (double)(n - i)).ToArray();
            Assert.Equal((double)n * ((double)n * n - 1) / 6, Dense.Dot(a, b));
        }
        Assert.Throws<ArgumentException>(() => Dense.Dot(new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => Dense.Axpy(1, new double[3], new double[4]));
        Assert.Throws<ArgumentException>(() => Dense.Combine(new double[4], 1, new double[3], 1, new double[4]));
    }
}

using Drift.Models.Finance;
using Drift.Random;
using Drift.Random.Qmc;

namespace Drift.Tests.Random;

public class SobolTests
{
    private static (int[] Dims, List<(long Index, long[] K)> Rows) Fixture()
    {
        using var stream = typeof(SobolTests).Assembly.GetManifestResourceStream("Drift.Tests.SobolTorch")!;
        using var reader = new StreamReader(stream);
        int[] dims = [];
        var rows = new List<(long, long[])>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("# dims ", StringComparison.Ordinal)) dims = line[7..].Split(' ').Select(int.Parse).ToArray();
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split(' ').Select(long.Parse).ToArray();
            rows.Add((f[0], f[1..]));
        }
        return (dims, rows);
    }

    [Fact]
    public void Unscrambled_points_match_the_torch_Joe_Kuo_sequence_bit_for_bit()
    {
        var (dims, rows) = Fixture();
        Assert.Equal(23, dims.Length);
        Assert.Equal(264, rows.Count);
        var sobol = SobolSequence.Create(SobolSequence.MaxDimensions);
        foreach (var (index, k) in rows)
            for (int j = 0; j < dims.Length; j++)
                Assert.True(sobol.Bits(index, dims[j]) >> 2 == (ulong)k[j], $"point {index} dim {dims[j]}: {sobol.Bits(index, dims[j]) >> 2} vs torch {k[j]}");
        // The Gray-code fill agrees with the direct computation, across a block boundary.
        var small = SobolSequence.Create(16);
        var u = new double[300 * 16];
        small.FillUniforms(999_900, 300, u);
        for (int p = 0; p < 300; p++)
            for (int j = 0; j < 16; j++)
                Assert.Equal(small.Bits(999_900 + p, j) / 4294967296.0, u[p * 16 + j]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void First_two_dimensions_form_a_0_m_2_net(bool scrambled)
    {
        const int m = 10;
        var sobol = scrambled ? SobolSequence.Scrambled(2, 7) : SobolSequence.Create(2);
        var u = new double[(1 << m) * 2];
        sobol.FillUniforms(0, 1 << m, u);
        for (int a = 0; a <= m; a++)
        {
            // Every elementary box of shape 2^-a × 2^-(m-a) holds exactly one point.
            var seen = new bool[1 << m];
            for (int p = 0; p < 1 << m; p++)
            {
                int i = (int)(u[2 * p] * (1 << a)), j = (int)(u[2 * p + 1] * (1 << (m - a)));
                int box = (i << (m - a)) | j;
                Assert.False(seen[box], $"box ({i}, {j}) of shape 2^-{a} x 2^-{m - a} holds two points");
                seen[box] = true;
            }
        }
    }

    [Fact]
    public void Every_one_of_21201_scrambled_dimensions_is_stratified()
    {
        // (0, 6, 1)-net in each coordinate: the 64 first points fall one in each interval [k/64, (k+1)/64). This needs
        // m_k odd for every table entry and a non-singular scramble; a corrupt table row fails it.
        var sobol = SobolSequence.Scrambled(SobolSequence.MaxDimensions, 3);
        for (int d = 0; d < SobolSequence.MaxDimensions; d++)
        {
            ulong seen = 0;
            for (int p = 0; p < 64; p++) seen |= 1UL << (int)(sobol.Bits(p, d) >> 26);
            Assert.True(seen == ulong.MaxValue, $"dimension {d} is not stratified");
        }
    }

    [Fact]
    public void Scrambles_are_reproducible_independent_and_unbiased()
    {
        Assert.Equal(SobolSequence.Scrambled(8, 11, 3).Bits(12345, 7), SobolSequence.Scrambled(8, 11, 3).Bits(12345, 7));
        Assert.NotEqual(SobolSequence.Scrambled(8, 11, 3).Bits(12345, 7), SobolSequence.Scrambled(8, 11, 4).Bits(12345, 7));
        // f(u) = Π_j (1 + (u_j − ½)·(j + 1)/4)... a smooth 8-dimensional integrand with mean 1 exactly.
        const int r = 32, n = 1024, s = 8;
        var means = new double[r];
        var u = new double[n * s];
        for (int i = 0; i < r; i++)
        {
            SobolSequence.Scrambled(s, 5, (ulong)i).FillUniforms(0, n, u);
            double sum = 0;
            for (int p = 0; p < n; p++)
            {
                double f = 1;
                for (int j = 0; j < s; j++) f *= 1 + (u[p * s + j] - 0.5) * (j + 1) / 4.0;
                sum += f;
            }
            means[i] = sum / n;
        }
        double mean = means.Average(), se = Math.Sqrt(means.Sum(x => (x - mean) * (x - mean)) / (r - 1) / r);
        Assert.True(Math.Abs(mean - 1) < 5 * se, $"RQMC mean {mean} vs 1, SE {se}");
        // Plain Monte Carlo with the same n·r points: Var f = Π(1 + c_j²/12) − 1; RQMC must beat it tenfold at least.
        double varF = Enumerable.Range(0, s).Aggregate(1.0, (acc, j) => acc * (1 + Math.Pow((j + 1) / 4.0, 2) / 12)) - 1;
        double mcSe = Math.Sqrt(varF / (n * r));
        Assert.True(se < mcSe / 10, $"RQMC standard error {se} vs Monte Carlo {mcSe}");
    }

    [Fact]
    public void Normal_quantile_inverts_the_normal_cdf()
    {
        Assert.Equal(1.959963984540054, NormalQuantile.Evaluate(0.975), 14);
        Assert.Equal(0, NormalQuantile.Evaluate(0.5));
        Assert.Equal(double.NegativeInfinity, NormalQuantile.Evaluate(0));
        Assert.Equal(double.PositiveInfinity, NormalQuantile.Evaluate(1));
        Assert.True(double.IsNaN(NormalQuantile.Evaluate(double.NaN)));
        foreach (double p in new[] { 1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.01, 0.05, 0.07, 0.1, 0.3, 0.5, 0.7, 0.93, 0.99, 1 - 1e-10 })
        {
            // Compare tail probabilities min(p, 1 − p); a relative error δ in x moves the tail by about x²δ.
            double x = NormalQuantile.Evaluate(p), tail = Math.Min(p, 1 - p);
            double got = x < 0 ? BlackScholes.NormalCdf(x) : BlackScholes.NormalCdf(-x);
            Assert.True(Math.Abs(got - tail) <= 2e-14 * (1 + x * x) * tail, $"p = {p}: x = {x}, tail {got} vs {tail}");
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SobolSequence.Create(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SobolSequence.Create(21202));
        var s = SobolSequence.Create(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.FillUniforms(SobolSequence.MaxPoints - 1, 2, new double[6]));
        Assert.Throws<ArgumentException>(() => s.FillUniforms(0, 2, new double[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Bits(0, 3));
    }
}

using Drift.Solve;
using Drift.Transport;

namespace Drift.Transport.Tests;

/// <summary>
/// Whole solves against committed bits. The inputs are built from integers only (no libm), every kernel below the
/// solvers is bit-identical across vector widths, and the CI re-runs this project with AVX-512 off and with AVX2 off:
/// so these fingerprints must come out the same on every instruction set. A change that makes a result depend on
/// the vector width fails here in those re-runs; a deliberate change of the numerics updates the constants.
/// </summary>
public class BitIdentityTests
{
    /// <summary>A 37 × 29 problem in 2-D with exactly representable coordinates and weights.</summary>
    private static (double[] A, double[] B, CostMatrix C) Problem()
    {
        const int n = 37, m = 29;
        var x = new double[2 * n];
        var y = new double[2 * m];
        for (int i = 0; i < n; i++) { x[2 * i] = (i * 17 % 64) / 64.0; x[2 * i + 1] = (i * 29 % 32) / 32.0; }
        for (int j = 0; j < m; j++) { y[2 * j] = 0.25 + (j * 11 % 64) / 128.0; y[2 * j + 1] = (j * 7 % 16) / 16.0 - 0.125; }
        var a = new double[n];
        var b = new double[m];
        for (int i = 0; i < n; i++) a[i] = 1 + i % 3;
        for (int j = 0; j < m; j++) b[j] = 1 + j % 4;
        double sa = a.Sum(), sb = b.Sum();
        for (int i = 0; i < n; i++) a[i] /= sa;
        for (int j = 0; j < m; j++) b[j] /= sb;
        var c = CostMatrix.FromPoints(new PointCloud(x, 2), new PointCloud(y, 2)).NormalizeByMax();
        return (a, b, c);
    }

    /// <summary>FNV-1a over the bits of the cost, both potentials and the dense plan.</summary>
    private static string Fingerprint(TransportResult r)
    {
        ulong h = 14695981039346656037UL;
        void Add(double v)
        {
            ulong bits = (ulong)BitConverter.DoubleToInt64Bits(v);
            for (int k = 0; k < 8; k++) { h ^= (bits >> (8 * k)) & 0xFF; h *= 1099511628211UL; }
        }
        Add(r.Cost);
        foreach (var v in r.RowPotential) Add(v);
        foreach (var v in r.ColumnPotential) Add(v);
        foreach (var v in r.Plan.ToDense()) Add(v);
        return h.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(TransportMethod.Sinkhorn, "894866b2d4e44bde")]
    [InlineData(TransportMethod.SinkhornLog, "5a83f1a16b932786")]
    [InlineData(TransportMethod.SinkhornStabilized, "85e23fca1c73edb9")]
    [InlineData(TransportMethod.SinkhornEpsilonScaling, "a0677cab0d57b2a9")]
    [InlineData(TransportMethod.SinkhornNewtonSparse, "433c3cc5867254e7")]
    [InlineData(TransportMethod.Unbalanced, "2ac5504017f44c54")]
    public void Entropic_solves_give_the_committed_bits_on_every_instruction_set(TransportMethod method, string expected)
    {
        var (a, b, c) = Problem();
        var prints = new[] { 1, 2 }.Select(threads =>
        {
            var options = TransportOptions.Default with { Epsilon = 0.02, Tolerance = 1e-8, Threads = threads };
            var r = OptimalTransport.Solve(method, a, b, c, options);
            Assert.Equal(SolveStatus.Success, r.Status);
            return Fingerprint(r);
        }).ToArray();
        Assert.True(prints[0] == prints[1], $"{method}: one thread gives {prints[0]}, two give {prints[1]}");
        Assert.True(prints[0] == expected, $"{method}: fingerprint {prints[0]}, committed {expected}");
    }
}

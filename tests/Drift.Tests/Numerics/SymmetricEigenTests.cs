using Drift.Numerics;

namespace Drift.Tests.Numerics;

/// <summary>Jacobi eigen-decomposition checked by its defining identities (A = QΛQᵀ, QᵀQ = I) and by known spectra.</summary>
public class SymmetricEigenTests
{
    private static double[] RandomSymmetric(System.Random rng, int d)
    {
        var a = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
                a[i * d + j] = a[j * d + i] = rng.NextDouble() * 2 - 1;
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(40)]
    public void Random_symmetric_matrices_are_reconstructed_by_an_orthogonal_basis(int d)
    {
        var rng = new System.Random(d);
        var a = RandomSymmetric(rng, d);
        var (values, q) = SymmetricEigen.Decompose(a, d);
        double norm = Math.Sqrt(a.Sum(v => v * v));
        double tol = 20 * d * 2.2e-16;
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double recon = 0, gram = 0;
                for (int k = 0; k < d; k++)
                {
                    recon += q[i * d + k] * values[k] * q[j * d + k];
                    gram += q[k * d + i] * q[k * d + j];
                }
                Assert.True(Math.Abs(recon - a[i * d + j]) <= tol * norm, $"A[{i},{j}] reconstructed to {recon - a[i * d + j]:E2}");
                Assert.True(Math.Abs(gram - (i == j ? 1 : 0)) <= tol, $"QᵀQ[{i},{j}] off by {gram - (i == j ? 1 : 0):E2}");
            }
        // The trace is the sum of the eigenvalues.
        double trace = Enumerable.Range(0, d).Sum(i => a[i * d + i]);
        Assert.Equal(trace, values.Sum(), tol * norm * d);
    }

    [Fact]
    public void Known_spectra_are_found()
    {
        // Tridiagonal (2, −1): eigenvalues 2 − 2cos(kπ/(d+1)), k = 1…d.
        const int d = 12;
        var t = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            t[i * d + i] = 2;
            if (i > 0) t[i * d + i - 1] = t[(i - 1) * d + i] = -1;
        }
        var found = SymmetricEigen.Decompose(t, d).Values.Order().ToArray();
        var expected = Enumerable.Range(1, d).Select(k => 2 - 2 * Math.Cos(k * Math.PI / (d + 1))).Order().ToArray();
        for (int k = 0; k < d; k++) Assert.Equal(expected[k], found[k], 1e-13);

        // [[2, 1], [1, 2]]: 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        var (v2, q2) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        int three = v2[0] > v2[1] ? 0 : 1;
        Assert.Equal(3, v2[three], 1e-15);
        Assert.Equal(1, v2[1 - three], 1e-15);
        Assert.Equal(Math.Abs(q2[three]), Math.Abs(q2[2 + three]), 1e-15);
        Assert.Equal(q2[three], q2[2 + three], 1e-15);

        // A diagonal matrix is already decomposed: no rotation, Q = I.
        var (vd, qd) = SymmetricEigen.Decompose([5, 0, 0, 0, -1, 0, 0, 0, 0.5], 3);
        Assert.Equal([5, -1, 0.5], vd);
        Assert.Equal([1, 0, 0, 0, 1, 0, 0, 0, 1], qd);

        // A repeated eigenvalue (rank-one update of I): 1 (twice) and 1 + 3 = 4.
        var r1 = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) r1[i * 3 + j] = (i == j ? 1 : 0) + 1;
        var vr = SymmetricEigen.Decompose(r1, 3).Values.Order().ToArray();
        Assert.Equal(1, vr[0], 1e-14);
        Assert.Equal(1, vr[1], 1e-14);
        Assert.Equal(4, vr[2], 1e-14);
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Decompose([1.0], 0));
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1.0, 2, 2], 2));
        var e = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose([1.0, double.NaN, double.NaN, 1], 2));
        Assert.Contains("(0, 1)", e.Message);
    }
}

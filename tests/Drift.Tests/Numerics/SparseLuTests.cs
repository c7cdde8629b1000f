using Drift.Numerics;

namespace Drift.Tests.Numerics;

public class SparseLuTests
{
    /// <summary>
    /// Random sparse matrices (about 4 off-diagonal entries a row, some rows without a diagonal entry, diagonals that are
    /// either strong or 10⁻⁵ of the row so that threshold pivoting must leave the diagonal): the sparse solution has a
    /// relative residual ‖Ax − b‖∞/(‖A‖∞‖x‖∞ + ‖b‖∞) below 10⁻¹², as the dense LU's, and equals the dense solution to
    /// 10⁻¹⁰ relative where the matrix is well conditioned (strong diagonal).
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(40, false)]
    [InlineData(40, true)]
    [InlineData(150, false)]
    [InlineData(150, true)]
    public void Sparse_LU_agrees_with_dense_LU_on_random_sparse_systems(int n, bool weakDiagonal)
    {
        var rng = new System.Random(n * 7 + (weakDiagonal ? 1 : 0));
        var (pattern, dense, values) = RandomSystem(n, weakDiagonal, rng);
        var b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var sparse = new SparseLu(pattern);
        Assert.Equal(-1, sparse.Factor(values));
        var x = (double[])b.Clone();
        sparse.Solve(x);
        Assert.True(Residual(dense, x, b) < 1e-12, $"sparse residual {Residual(dense, x, b)}");
        var lu = new DenseLu(n);
        Assert.Equal(-1, lu.Factor((double[])dense.Clone()));
        var y = (double[])b.Clone();
        lu.Solve(y);
        if (!weakDiagonal)
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(x[i] - y[i]) <= 1e-10 * (1 + Math.Abs(y[i])), $"x[{i}]: sparse {x[i]} vs dense {y[i]}");
    }

    /// <summary>
    /// With every diagonal entry present (as in an iteration matrix αI − βJ), the second and later factorisations on one pattern reuse the first one's row order and L/U patterns (one pivoting
    /// factorisation in all) while the values keep the old pivots acceptable; when they do not (the diagonal collapses to
    /// 10⁻⁹ of its row), the threshold test fails and the matrix is factored again with pivoting. Every solve has a relative
    /// residual below 10⁻¹².
    /// </summary>
    [Fact]
    public void Refactorisation_reuses_the_pivot_order_until_a_pivot_fails_the_threshold()
    {
        const int n = 80;
        var rng = new System.Random(5);
        var (pattern, dense, values) = RandomSystem(n, weakDiagonal: false, rng, everyDiagonal: true);
        var sparse = new SparseLu(pattern);
        var b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        for (int round = 0; round < 3; round++)
        {
            // W = αI − J with a new α each round, as a stiff solver's iteration matrix: the same pattern, new values.
            var scaled = (double[])values.Clone();
            for (int i = 0; i < n; i++)
                for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++)
                    if (pattern.Columns[k] == i) scaled[k] += 3 * round;
            Assert.Equal(-1, sparse.Factor(scaled));
            var x = (double[])b.Clone();
            sparse.Solve(x);
            Assert.True(Residual(ToDense(pattern, scaled), x, b) < 1e-12, $"round {round}: residual {Residual(ToDense(pattern, scaled), x, b)}");
        }
        Assert.Equal(1, sparse.Pivotings);
        var collapsed = (double[])values.Clone();
        for (int i = 0; i < n; i++)
            for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++)
                if (pattern.Columns[k] == i) collapsed[k] *= 1e-9;
        Assert.Equal(-1, sparse.Factor(collapsed));
        Assert.Equal(2, sparse.Pivotings);
        var z = (double[])b.Clone();
        sparse.Solve(z);
        Assert.True(Residual(ToDense(pattern, collapsed), z, b) < 1e-12, $"after re-pivoting: residual {Residual(ToDense(pattern, collapsed), z, b)}");
        _ = dense;
    }

    /// <summary>
    /// The 5-point Laplacian on a 24 × 24 grid (n = 576): in the natural (row-by-row) order L + U fills the band, about
    /// 2·24·n entries; the minimum-degree order keeps under half of that (measured: see the message). The test fails if the
    /// ordering is dropped.
    /// </summary>
    [Fact]
    public void Minimum_degree_order_cuts_the_fill_of_the_2D_Laplacian()
    {
        const int m = 24, n = m * m;
        var entries = new List<(int, int)>();
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++)
            {
                int p = i + m * j;
                entries.Add((p, p));
                if (i > 0) entries.Add((p, p - 1));
                if (i < m - 1) entries.Add((p, p + 1));
                if (j > 0) entries.Add((p, p - m));
                if (j < m - 1) entries.Add((p, p + m));
            }
        var pattern = SparsityPattern.FromEntries(n, entries);
        var values = new double[pattern.Count];
        for (int i = 0; i < n; i++)
            for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++) values[k] = pattern.Columns[k] == i ? 4.0 : -1.0;
        var ordered = new SparseLu(pattern);
        var natural = new SparseLu(pattern, 1e-3, ([.. Enumerable.Range(0, n)], pattern.Count));
        Assert.Equal(-1, ordered.Factor(values));
        Assert.Equal(-1, natural.Factor(values));
        long withOrder = ordered.FactorCount, without = natural.FactorCount;
        Assert.True(withOrder < 0.5 * without, $"nnz(L + U): minimum degree {withOrder}, natural {without}");
        Assert.True(without > 2 * (m - 1) * n * 0.9, $"natural fill {without} should fill the band");
        // Both solve the system.
        var b = Enumerable.Range(0, n).Select(i => Math.Sin(i)).ToArray();
        var x1 = (double[])b.Clone();
        var x2 = (double[])b.Clone();
        ordered.Solve(x1);
        natural.Solve(x2);
        var dense = ToDense(pattern, values);
        Assert.True(Residual(dense, x1, b) < 1e-13);
        Assert.True(Residual(dense, x2, b) < 1e-13);
        // The ordering is a permutation, and the bit-matrix and hash-set eliminations give the same order and counts.
        Assert.Equal(Enumerable.Range(0, n), pattern.MinimumDegree().Order());
        var bits = pattern.MinimumDegreeOnBits();
        var sets = pattern.MinimumDegreeOnSets();
        Assert.Equal(sets.Position, bits.Position);
        Assert.Equal(sets.Lower, bits.Lower);
        Assert.Equal(sets.MultiplyAdds, bits.MultiplyAdds);
    }

    [Fact]
    public void Singular_or_non_finite_matrices_report_the_column_and_bad_input_is_refused()
    {
        var pattern = SparsityPattern.FromEntries(3, [(0, 0), (1, 1), (2, 2), (0, 1), (1, 0)]);
        var sparse = new SparseLu(pattern);
        // Column 2 is zero: no pivot there.
        double[] singular = [1, 2, 3, 4, 0]; // CSR order: (0,0), (0,1), (1,0), (1,1), (2,2)
        Assert.Equal(2, sparse.Factor(singular));
        Assert.Throws<InvalidOperationException>(() => sparse.Solve(new double[3]));
        Assert.Equal(-1, sparse.Factor([1, 2, 3, 4, 5]));
        double[] rhs = [1, 1, 1];
        sparse.Solve(rhs);
        Assert.Equal(0.2, rhs[2], 15);
        Assert.True(sparse.Factor([1, 2, double.NaN, 4, 5]) >= 0);
        Assert.Throws<ArgumentException>(() => sparse.Factor(new double[4]));
        Assert.Throws<ArgumentException>(() => new SparseLu(pattern, 0));
        Assert.Throws<ArgumentException>(() => new SparseLu(pattern, 1.5));
        Assert.Equal(-1, sparse.Factor([1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentException>(() => sparse.Solve(new double[2]));
    }

    private static (SparsityPattern Pattern, double[] Dense, double[] Values) RandomSystem(int n, bool weakDiagonal, System.Random rng, bool everyDiagonal = false)
    {
        var entries = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            if (n == 1 || everyDiagonal || rng.NextDouble() < 0.9) entries.Add((i, i));
            for (int k = 0; k < 4 && n > 1; k++) entries.Add((i, rng.Next(n)));
        }
        // Keep the matrix structurally non-singular: a permutation of strong entries (a shifted cycle).
        for (int i = 0; i < n; i++) entries.Add((i, (i + 1) % n));
        var pattern = SparsityPattern.FromEntries(n, entries);
        var values = new double[pattern.Count];
        for (int i = 0; i < n; i++)
            for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++)
            {
                int j = pattern.Columns[k];
                values[k] = j == i ? (weakDiagonal ? 1e-5 * (rng.NextDouble() + 0.5) : 6 + rng.NextDouble())
                    : j == (i + 1) % n ? 2 + rng.NextDouble() : rng.NextDouble() * 2 - 1;
            }
        return (pattern, ToDense(pattern, values), values);
    }

    private static double[] ToDense(SparsityPattern pattern, double[] values)
    {
        int n = pattern.N;
        var dense = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = pattern.RowStart[i]; k < pattern.RowStart[i + 1]; k++) dense[i * n + pattern.Columns[k]] += values[k];
        return dense;
    }

    private static double Residual(double[] a, double[] x, double[] b)
    {
        int n = b.Length;
        double residual = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double r = -b[i], row = 0;
            for (int j = 0; j < n; j++) { r += a[i * n + j] * x[j]; row += Math.Abs(a[i * n + j]); }
            residual = Math.Max(residual, Math.Abs(r));
            norm = Math.Max(norm, row);
        }
        return residual / (norm * x.Max(Math.Abs) + b.Max(Math.Abs));
    }
}

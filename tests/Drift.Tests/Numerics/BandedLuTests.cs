using Drift.Numerics;

namespace Drift.Tests.Numerics;

public class BandedLuTests
{
    /// <summary>
    /// Random band matrices of several shapes, with weak diagonals so that rows must be swapped: the banded solution has a
    /// backward error ‖Ax − b‖∞ below 10⁻¹³·(‖A‖∞‖x‖∞ + ‖b‖∞), as the dense one does (some of these matrices are very
    /// ill-conditioned, so x itself is only compared where the diagonal is strengthened: there banded and dense agree to 10⁻¹²).
    /// </summary>
    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(7, 1, 1)]
    [InlineData(40, 3, 5)]
    [InlineData(60, 6, 0)]
    [InlineData(60, 0, 4)]
    [InlineData(50, 9, 9)]
    public void Banded_LU_agrees_with_dense_LU_on_random_band_systems(int n, int kl, int ku)
    {
        foreach (double shift in new[] { 0.0, kl + ku + 2.0 })
        {
            var rng = new System.Random(n * 100 + kl * 10 + ku);
            int width = kl + ku + 1;
            var band = new double[n * width];
            var dense = new double[n * n];
            for (int i = 0; i < n; i++)
                for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
                {
                    double v = rng.NextDouble() * 2 - 1;
                    if (i == j) v = 0.01 * v + shift; // weak pivots unless shifted: rows must be swapped
                    band[i * width + (j - i + kl)] = v;
                    dense[i * n + j] = v;
                }
            var b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
            var x1 = (double[])b.Clone();
            var x2 = (double[])b.Clone();
            var banded = new BandedLu(n, kl, ku);
            var lu = new DenseLu(n);
            Assert.Equal(-1, banded.Factor(band));
            Assert.Equal(-1, lu.Factor(dense));
            banded.Solve(x1);
            lu.Solve(x2);
            Assert.True(BackwardError(dense, x1, b) < 1e-13, $"banded backward error {BackwardError(dense, x1, b)}");
            Assert.True(BackwardError(dense, x2, b) < 1e-13, $"dense backward error {BackwardError(dense, x2, b)}");
            if (shift > 0)
                for (int i = 0; i < n; i++) Assert.True(Math.Abs(x1[i] - x2[i]) < 1e-12, $"x[{i}]: banded {x1[i]} vs dense {x2[i]}");
        }

        double BackwardError(double[] a, double[] x, double[] rhs)
        {
            double residual = 0, norm = 0;
            for (int i = 0; i < n; i++)
            {
                double r = -rhs[i], row = 0;
                for (int j = 0; j < n; j++) { r += a[i * n + j] * x[j]; row += Math.Abs(a[i * n + j]); }
                residual = Math.Max(residual, Math.Abs(r));
                norm = Math.Max(norm, row);
            }
            return residual / (norm * x.Max(Math.Abs) + rhs.Max(Math.Abs));
        }
    }

    [Fact]
    public void Singular_band_reports_its_column_and_bad_shapes_are_refused()
    {
        // Column 2 is zero.
        var banded = new BandedLu(4, 1, 1);
        double[] band = [0, 2, 1, 1, 3, 0, 1, 0, 1, 0, 1, 2];
        Assert.Equal(2, banded.Factor(band));
        Assert.Throws<ArgumentException>(() => banded.Factor(new double[5]));
        Assert.Throws<ArgumentException>(() => banded.Solve(new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandedLu(3, 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BandedLu(3, -1, 0));
    }

    [Fact]
    public void Column_groups_never_share_a_row_and_a_band_takes_its_width_in_colours()
    {
        var band = SparsityPattern.Banded(30, 2, 3);
        var colours = band.ColumnGroups();
        Assert.Equal(6, colours.Max() + 1);
        var torus = new Drift.Models.Physics.Brusselator2D(6).Sparsity();
        var groups = torus.ColumnGroups();
        for (int i = 0; i < torus.N; i++)
        {
            var seen = new HashSet<int>();
            for (int k = torus.RowStart[i]; k < torus.RowStart[i + 1]; k++)
                Assert.True(seen.Add(groups[torus.Columns[k]]), $"row {i} has two columns of colour {groups[torus.Columns[k]]}");
        }
        Assert.True(groups.Max() + 1 <= 12, $"{groups.Max() + 1} colours for 6 entries a row");
    }

    [Fact]
    public void Reverse_Cuthill_McKee_is_a_permutation_that_narrows_the_Brusselator_band()
    {
        var pattern = new Drift.Models.Physics.Brusselator2D(32).Sparsity();
        var position = pattern.ReverseCuthillMcKee();
        Assert.Equal(Enumerable.Range(0, pattern.N), position.Order());
        var (l0, u0) = pattern.Bandwidth();
        var (l1, u1) = pattern.Bandwidth(position);
        Assert.Equal(1024 + 0, Math.Max(l0, u0));
        Assert.True(l1 + u1 < (l0 + u0) / 4, $"RCM band ({l1}, {u1}) vs natural ({l0}, {u0})");
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromEntries(3, [(0, 3)]));
        Assert.Throws<ArgumentException>(() => SparsityPattern.FromCsr(2, [0, 1], [0]));
    }
}

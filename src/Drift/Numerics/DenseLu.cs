namespace Drift.Numerics;

/// <summary>
/// LU factorisation with partial (row) pivoting of a small dense n × n matrix, PA = LU, for the
/// linear systems of implicit and Rosenbrock solvers (n up to a few hundred; O(n³/3) to factor,
/// O(n²) per solve). Row-major storage; L has a unit diagonal and shares the array with U. The
/// instance owns its storage and allocates nothing after construction.
/// </summary>
public sealed class DenseLu : ILinearSolver
{
    private readonly double[] _a;
    private readonly int[] _pivot;

    /// <summary>Creates a factorisation workspace for n × n matrices.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public DenseLu(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        N = n;
        _a = new double[n * n];
        _pivot = new int[n];
    }

    /// <summary>The order n.</summary>
    public int N { get; }

    /// <summary>
    /// Factors <paramref name="matrix"/> (row-major, n², copied). At step k the row with the largest |a_ik|, i ≥ k,
    /// is swapped up. Returns −1 on success, or the first column k whose pivot is 0 or not finite (the matrix is
    /// singular to working precision there, or held NaN/∞); the factorisation is then unusable.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix does not have n² entries.</exception>
    public int Factor(ReadOnlySpan<double> matrix)
    {
        int n = N;
        if (matrix.Length != n * n) throw new ArgumentException($"the matrix needs {n * n} entries, got {matrix.Length}.", nameof(matrix));
        matrix.CopyTo(_a);
        return FactorInPlace(_a, n, _pivot);
    }

    /// <summary>Solves A x = b in place (b becomes x) with the last successful <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n entries.</exception>
    public void Solve(Span<double> b)
    {
        int n = N;
        if (b.Length != n) throw new ArgumentException($"the right-hand side needs {n} entries, got {b.Length}.", nameof(b));
        SolveFactored(_a, n, _pivot, b);
    }

    /// <summary>
    /// The factorisation of <see cref="Factor"/> on caller-owned storage, for solvers that keep many small factorisations
    /// at once (one per path of a batch): <paramref name="a"/> (n², row-major) is overwritten by L and U, <paramref name="pivot"/>
    /// (n) receives the row swaps. Returns −1 on success, or the first column whose pivot is 0 or not finite.
    /// No argument checks: the caller guarantees the lengths.
    /// </summary>
    public static int FactorInPlace(Span<double> a, int n, Span<int> pivot)
    {
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = Math.Abs(a[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double v = Math.Abs(a[i * n + k]);
                if (v > best) { best = v; p = i; }
            }
            pivot[k] = p;
            if (!(best > 0) || !double.IsFinite(best)) return k;
            if (p != k)
            {
                var rowK = a.Slice(k * n, n);
                var rowP = a.Slice(p * n, n);
                for (int j = 0; j < n; j++) (rowK[j], rowP[j]) = (rowP[j], rowK[j]);
            }
            double inv = 1.0 / a[k * n + k];
            var pivotRow = a.Slice(k * n + k + 1, n - k - 1);
            for (int i = k + 1; i < n; i++)
            {
                double l = a[i * n + k] * inv;
                a[i * n + k] = l;
                if (l == 0) continue;
                var row = a.Slice(i * n + k + 1, n - k - 1);
                for (int j = 0; j < row.Length; j++) row[j] -= l * pivotRow[j];
            }
        }
        return -1;
    }

    /// <summary>Solves A x = b in place with factors from <see cref="FactorInPlace"/> (no argument checks).</summary>
    public static void SolveFactored(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivot, Span<double> b)
    {
        for (int k = 0; k < n; k++)
        {
            int p = pivot[k];
            if (p != k) (b[k], b[p]) = (b[p], b[k]);
        }
        for (int i = 1; i < n; i++)
        {
            double s = b[i];
            var row = lu.Slice(i * n, i);
            for (int j = 0; j < i; j++) s -= row[j] * b[j];
            b[i] = s;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= lu[i * n + j] * b[j];
            b[i] = s / lu[i * n + i];
        }
    }
}

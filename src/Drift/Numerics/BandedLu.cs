namespace Drift.Numerics;

/// <summary>
/// LU factorisation with partial (row) pivoting of an n × n band matrix with <see cref="Lower"/> sub-diagonals (kl) and
/// <see cref="Upper"/> super-diagonals (ku), as LAPACK's dgbtrf/dgbtrs: at step k the row with the largest |a_ik|,
/// k ≤ i ≤ k + kl, is swapped up, so U gains up to kl more super-diagonals (bandwidth kl + ku) and L keeps kl
/// sub-diagonals, stored unpermuted (the solve applies each swap, then its column of L, in turn). Cost O(n·kl·(kl + ku))
/// to factor (the row updates by <see cref="Dense.Axpy"/>, SIMD) and O(n·(2kl + ku)) per solve, against O(n³/3) and O(n²) for <see cref="DenseLu"/>. The instance owns
/// its storage and allocates nothing after construction.
/// </summary>
public sealed class BandedLu : ILinearSolver
{
    private readonly double[] _a; // row i holds columns i − kl … i + ku + kl at offsets 0 … 2kl + ku
    private readonly int[] _pivot;
    private readonly int _width;

    /// <summary>Creates a factorisation workspace for n × n matrices with kl sub- and ku super-diagonals.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is below 1, or a bandwidth is negative or not below n.</exception>
    public BandedLu(int n, int lower, int upper)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lower);
        ArgumentOutOfRangeException.ThrowIfNegative(upper);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lower, n);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(upper, n);
        N = n;
        Lower = lower;
        Upper = upper;
        _width = 2 * lower + upper + 1;
        _a = new double[n * _width];
        _pivot = new int[n];
    }

    /// <summary>The order n.</summary>
    public int N { get; }

    /// <summary>The number of sub-diagonals kl.</summary>
    public int Lower { get; }

    /// <summary>The number of super-diagonals ku.</summary>
    public int Upper { get; }

    /// <summary>Entries of the band storage <see cref="Factor"/> takes: n·(kl + ku + 1).</summary>
    public int BandLength => N * (Lower + Upper + 1);

    /// <summary>
    /// Factors the band matrix given row by row: row i holds A[i, i − kl … i + ku] at <c>band[i·(kl + ku + 1) + (j − i + kl)]</c>
    /// (entries outside the matrix are ignored). Returns −1 on success, or the first column whose pivot is 0 or not finite.
    /// </summary>
    /// <exception cref="ArgumentException">The band does not have <see cref="BandLength"/> entries.</exception>
    public int Factor(ReadOnlySpan<double> band)
    {
        int n = N, kl = Lower, ku = Upper, w = _width, bw = kl + ku + 1;
        if (band.Length != n * bw) throw new ArgumentException($"the band needs {n * bw} entries, got {band.Length}.", nameof(band));
        Array.Clear(_a);
        for (int i = 0; i < n; i++)
        {
            int jFrom = Math.Max(0, i - kl), jTo = Math.Min(n - 1, i + ku);
            for (int j = jFrom; j <= jTo; j++) _a[i * w + (j - i + kl)] = band[i * bw + (j - i + kl)];
        }
        var a = _a.AsSpan();
        for (int k = 0; k < n; k++)
        {
            int rows = Math.Min(n - 1, k + kl);
            int p = k;
            double best = Math.Abs(a[k * w + kl]);
            for (int i = k + 1; i <= rows; i++)
            {
                double v = Math.Abs(a[i * w + (k - i + kl)]);
                if (v > best) { best = v; p = i; }
            }
            _pivot[k] = p;
            if (!(best > 0) || !double.IsFinite(best)) return k;
            int last = Math.Min(n - 1, k + ku + kl);
            if (p != k)
                for (int j = k; j <= last; j++) (a[k * w + (j - k + kl)], a[p * w + (j - p + kl)]) = (a[p * w + (j - p + kl)], a[k * w + (j - k + kl)]);
            double inv = 1.0 / a[k * w + kl];
            for (int i = k + 1; i <= rows; i++)
            {
                int ik = i * w + (k - i + kl);
                double l = a[ik] * inv;
                a[ik] = l;
                if (l == 0) continue;
                // Row i's columns k + 1 … last, against the pivot row's (the floor's vectorised fma kernel).
                int ri = i * w - i + kl, rk = k * w - k + kl;
                Dense.Axpy(-l, a.Slice(rk + k + 1, last - k), a.Slice(ri + k + 1, last - k));
            }
        }
        return -1;
    }

    /// <summary>Solves A x = b in place with the last successful <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n entries.</exception>
    public void Solve(Span<double> b)
    {
        int n = N, kl = Lower, ku = Upper, w = _width;
        if (b.Length != n) throw new ArgumentException($"the right-hand side needs {n} entries, got {b.Length}.", nameof(b));
        var a = _a;
        for (int k = 0; k < n; k++)
        {
            int p = _pivot[k];
            if (p != k) (b[k], b[p]) = (b[p], b[k]);
            double bk = b[k];
            if (bk == 0) continue;
            int rows = Math.Min(n - 1, k + kl);
            for (int i = k + 1; i <= rows; i++) b[i] -= a[i * w + (k - i + kl)] * bk;
        }
        int span = kl + ku;
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            int last = Math.Min(n - 1, i + span), ri = i * w - i + kl;
            for (int j = i + 1; j <= last; j++) s -= a[ri + j] * b[j];
            b[i] = s / a[ri + i];
        }
    }
}

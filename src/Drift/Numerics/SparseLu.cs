using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drift.Numerics;

/// <summary>
/// Sparse LU factorisation P A Q = L U of an n × n matrix with a fixed <see cref="SparsityPattern"/>, in the manner of
/// KLU (Davis &amp; Palamadai Natarajan 2010): a fill-reducing column order Q from the minimum-degree ordering of the
/// symmetrised pattern A + Aᵀ (<see cref="SparsityPattern.MinimumDegree"/>), computed once in the constructor, and a
/// left-looking Gilbert–Peierls factorisation: column k of L and U is the sparse triangular solve L x = A(:, q_k), its
/// pattern the set reached from A(:, q_k)'s rows in the graph of L (depth-first, so the updates run in topological
/// order), and its pivot chosen by threshold partial pivoting — the diagonal entry (row q_k) when
/// |x_{q_k}| ≥ τ·maxᵢ|xᵢ| over the rows not yet pivotal (τ = <see cref="PivotThreshold"/>, default 10⁻³ as KLU), else
/// the largest. L is unit lower triangular, U upper triangular; both are kept by columns.
/// <para>The first <see cref="Factor"/> is this pivoting factorisation; it fixes the patterns of L and U and the row
/// order P. Every later call refactors numerically on those patterns with the same P (KLU's <c>klu_refactor</c>): no
/// graph search and no allocation, the updates of column k applied in increasing pivot order. A refactorisation
/// checks each pivot against the same threshold test (|u_kk| ≥ τ·max over L's column k before scaling, non-zero and
/// finite); when one fails — the values have changed so much that the old row order would be unstable — the matrix
/// is factored again with pivoting (new P, new patterns; storage grows then if it must). <see cref="Pivotings"/> counts
/// those pivoting factorisations.</para>
/// <para>Work: one multiply-add per entry update, Σₖ |L(:,k)|·|U(k,:)| in all — for the minimum-degree order on a 2-D
/// grid O(n^1.5) against O(n·b²) for a band of width b (b ≈ √n·c there) and O(n³) dense; a solve costs
/// 2·(nnz(L) + nnz(U)). <see cref="FactorCount"/> reports nnz(L) + nnz(U) (diagonal included, so at least n).</para>
/// </summary>
public sealed class SparseLu : ILinearSolver
{
    private readonly int _n;
    private readonly int[] _colStart, _colRows, _colEntry; // A by columns: the rows and the CSR index of each entry
    private readonly int[] _order;     // k → original column q_k (its diagonal row is the preferred pivot)
    private readonly int[] _pivotRow;  // k → original row of pivot k
    private readonly int[] _rowPivot;  // original row → k (−1 while not pivotal)
    private readonly double[] _diagonal;
    private readonly double[] _x;      // dense work vector
    private readonly int[] _reach, _stack, _next, _mark;
    private int[] _lStart, _lRows, _uStart, _uRows;
    private double[] _lValues, _uValues;
    private bool _factored;

    /// <summary>Creates the factorisation workspace for matrices with the given pattern and computes its column order.</summary>
    /// <param name="pattern">Where the matrix may be non-zero (CSR); the values given to <see cref="Factor"/> follow its entry order.</param>
    /// <param name="pivotThreshold">τ in (0, 1]: the diagonal is kept as pivot while |diagonal| ≥ τ·max of its column; 1 is plain partial pivoting.</param>
    /// <exception cref="ArgumentException"><paramref name="pivotThreshold"/> is not in (0, 1].</exception>
    public SparseLu(SparsityPattern pattern, double pivotThreshold = 1e-3) : this(pattern, pivotThreshold, MinimumDegreeOf(pattern))
    {
    }

    private static (int[] Position, long Lower) MinimumDegreeOf(SparsityPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var (position, lower, _) = pattern.MinimumDegreeWithCost();
        return (position, lower);
    }

    /// <summary>
    /// As the public constructor, with the column order given: <paramref name="ordering"/>.Position[i] is where column i goes
    /// (the identity for the natural order, in tests of the ordering's effect) and Lower an estimate of nnz(L) for the
    /// initial storage.
    /// </summary>
    internal SparseLu(SparsityPattern pattern, double pivotThreshold, (int[] Position, long Lower) ordering)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!(pivotThreshold > 0 && pivotThreshold <= 1)) throw new ArgumentException($"the pivot threshold must lie in (0, 1], got {pivotThreshold}.", nameof(pivotThreshold));
        int n = pattern.N;
        _n = n;
        PivotThreshold = pivotThreshold;
        Count = pattern.Count;
        (_colStart, _colRows, _colEntry) = pattern.TransposeWithEntries();
        var (position, lower) = ordering;
        _order = new int[n];
        for (int i = 0; i < n; i++) _order[position[i]] = i;
        _pivotRow = new int[n];
        _rowPivot = new int[n];
        _diagonal = new double[n];
        _x = new double[n];
        _reach = new int[n];
        _stack = new int[n];
        _next = new int[n];
        _mark = new int[n];
        // Capacity: the symbolic Cholesky fill of A + Aᵀ in this order bounds L and U when the diagonal is pivot.
        int capacity = (int)Math.Min(int.MaxValue / 2, lower + n);
        _lStart = new int[n + 1];
        _uStart = new int[n + 1];
        _lRows = new int[capacity];
        _uRows = new int[capacity];
        _lValues = new double[capacity];
        _uValues = new double[capacity];
    }

    /// <summary>The order n.</summary>
    public int N => _n;

    /// <summary>The number of pattern entries <see cref="Factor"/> takes.</summary>
    public int Count { get; }

    /// <summary>τ of the threshold pivoting test.</summary>
    public double PivotThreshold { get; }

    /// <summary>nnz(L) + nnz(U) of the last factorisation, the unit diagonal of L not counted and U's diagonal counted.</summary>
    public long FactorCount => _lStart[_n] + _uStart[_n] + _n;

    /// <summary>How many factorisations chose pivots (the first, and each refactorisation whose pivot test failed).</summary>
    public int Pivotings { get; private set; }

    /// <summary>
    /// Factors the matrix whose entries, in the pattern's CSR order (row i's entries at RowStart[i] … RowStart[i + 1]), are
    /// <paramref name="values"/>. Returns −1 on success, or the column (original numbering) where no non-zero finite
    /// pivot was found; the factorisation is then unusable until a later call succeeds.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have <see cref="Count"/> entries.</exception>
    public int Factor(ReadOnlySpan<double> values)
    {
        if (values.Length != Count) throw new ArgumentException($"the matrix needs {Count} pattern entries, got {values.Length}.", nameof(values));
        if (_factored && Refactor(values)) return -1;
        Pivotings++;
        int column = FactorWithPivoting(values);
        _factored = column < 0;
        return column;
    }

    /// <summary>Solves A x = b in place with the last successful <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n entries.</exception>
    /// <exception cref="InvalidOperationException">No factorisation has succeeded.</exception>
    public void Solve(Span<double> b)
    {
        int n = _n;
        if (b.Length != n) throw new ArgumentException($"the right-hand side needs {n} entries, got {b.Length}.", nameof(b));
        if (!_factored) throw new InvalidOperationException("no successful factorisation to solve with.");
        var w = _x;
        var pivotRow = _pivotRow;
        for (int k = 0; k < n; k++) w[k] = b[pivotRow[k]];
        int[] lStart = _lStart, lRows = _lRows, uStart = _uStart, uRows = _uRows;
        double[] lValues = _lValues, uValues = _uValues;
        for (int j = 0; j < n; j++)
        {
            double wj = w[j];
            if (wj != 0) ScatterAxpy(-wj, lValues, lRows, lStart[j], lStart[j + 1], w);
        }
        for (int k = n - 1; k >= 0; k--)
        {
            double wk = w[k] / _diagonal[k];
            w[k] = wk;
            if (wk != 0) ScatterAxpy(-wk, uValues, uRows, uStart[k], uStart[k + 1], w);
        }
        var order = _order;
        for (int k = 0; k < n; k++) { b[order[k]] = w[k]; w[k] = 0; }
    }

    /// <summary>Numeric refactorisation on the existing patterns and row order; false when a pivot fails the threshold test.</summary>
    private bool Refactor(ReadOnlySpan<double> values)
    {
        int n = _n;
        var x = _x;
        int[] lStart = _lStart, lRows = _lRows, uStart = _uStart, uRows = _uRows, rowPivot = _rowPivot;
        double[] lValues = _lValues, uValues = _uValues;
        double tau = PivotThreshold;
        for (int k = 0; k < n; k++)
        {
            int column = _order[k];
            for (int p = _colStart[column]; p < _colStart[column + 1]; p++) x[rowPivot[_colRows[p]]] = values[_colEntry[p]];
            for (int p = uStart[k]; p < uStart[k + 1]; p++)
            {
                int j = uRows[p];
                double xj = x[j];
                x[j] = 0;
                uValues[p] = xj;
                if (xj != 0) ScatterAxpy(-xj, lValues, lRows, lStart[j], lStart[j + 1], x);
            }
            double pivot = x[k];
            x[k] = 0;
            double largest = 0;
            for (int q = lStart[k]; q < lStart[k + 1]; q++) largest = Math.Max(largest, Math.Abs(x[lRows[q]]));
            if (!(pivot != 0 && double.IsFinite(pivot) && double.IsFinite(largest) && Math.Abs(pivot) >= tau * largest))
            {
                for (int q = lStart[k]; q < lStart[k + 1]; q++) x[lRows[q]] = 0;
                return false;
            }
            _diagonal[k] = pivot;
            double inverse = 1.0 / pivot;
            for (int q = lStart[k]; q < lStart[k + 1]; q++)
            {
                int i = lRows[q];
                lValues[q] = x[i] * inverse;
                x[i] = 0;
            }
        }
        return true;
    }

    /// <summary>Gilbert–Peierls left-looking LU with threshold partial pivoting; returns −1 or the failing column.</summary>
    private int FactorWithPivoting(ReadOnlySpan<double> values)
    {
        int n = _n;
        var x = _x;
        var rowPivot = _rowPivot;
        Array.Fill(rowPivot, -1);
        Array.Clear(_mark);
        Array.Clear(x);
        int lCount = 0, uCount = 0;
        double tau = PivotThreshold;
        for (int k = 0; k < n; k++)
        {
            int column = _order[k], stamp = k + 1;
            _uStart[k] = uCount;
            _lStart[k] = lCount;
            // The pattern of x = L⁻¹A(:, q_k): rows reached from A's rows, in topological order in _reach[top … n).
            int top = n;
            for (int p = _colStart[column]; p < _colStart[column + 1]; p++)
            {
                int r = _colRows[p];
                if (_mark[r] != stamp) top = Reach(r, stamp, top);
            }
            for (int p = _colStart[column]; p < _colStart[column + 1]; p++) x[_colRows[p]] = values[_colEntry[p]];
            for (int t = top; t < n; t++)
            {
                int r = _reach[t], j = rowPivot[r];
                if (j < 0) continue;
                double xj = x[r];
                if (xj == 0) continue;
                for (int q = _lStart[j]; q < _lStart[j + 1]; q++) x[_lRows[q]] -= _lValues[q] * xj; // rows still original here
            }
            int best = -1;
            double largest = 0;
            bool finite = true;
            for (int t = top; t < n; t++)
            {
                int r = _reach[t];
                if (rowPivot[r] >= 0) continue;
                double a = Math.Abs(x[r]);
                if (!double.IsFinite(a)) finite = false;
                if (a > largest) { largest = a; best = r; }
            }
            if (!finite || best < 0)
            {
                for (int t = top; t < n; t++) x[_reach[t]] = 0;
                for (int kk = k; kk < n; kk++) { _lStart[kk + 1] = lCount; _uStart[kk + 1] = uCount; }
                return column;
            }
            int pivotRow = _mark[column] == stamp && rowPivot[column] < 0 && Math.Abs(x[column]) >= tau * largest ? column : best;
            double pivot = x[pivotRow];
            int uNeed = uCount + (n - top), lNeed = lCount + (n - top);
            if (uNeed > _uRows.Length) Grow(ref _uRows, ref _uValues, uNeed);
            if (lNeed > _lRows.Length) Grow(ref _lRows, ref _lValues, lNeed);
            double inverse = 1.0 / pivot;
            for (int t = top; t < n; t++)
            {
                int r = _reach[t], j = rowPivot[r];
                if (j >= 0) { _uRows[uCount] = j; _uValues[uCount++] = x[r]; }
                else if (r != pivotRow) { _lRows[lCount] = r; _lValues[lCount++] = x[r] * inverse; }
                x[r] = 0;
            }
            // Increasing pivot order is a topological order of L's graph: the refactorisation applies U's column in it.
            Array.Sort(_uRows, _uValues, _uStart[k], uCount - _uStart[k]);
            _diagonal[k] = pivot;
            rowPivot[pivotRow] = k;
            _pivotRow[k] = pivotRow;
        }
        _lStart[n] = lCount;
        _uStart[n] = uCount;
        for (int p = 0; p < lCount; p++) _lRows[p] = rowPivot[_lRows[p]];
        return -1;
    }

    /// <summary>Depth-first search from row <paramref name="start"/> in the graph of L (a pivotal row j leads to L(:, j)'s rows); pushes the finished rows before <paramref name="top"/>.</summary>
    private int Reach(int start, int stamp, int top)
    {
        int head = 0;
        _stack[0] = start;
        _mark[start] = stamp;
        _next[0] = rowPivotStart(start);
        while (head >= 0)
        {
            int r = _stack[head], j = _rowPivot[r];
            if (j >= 0)
            {
                int end = _lStart[j + 1], p = _next[head];
                while (p < end && _mark[_lRows[p]] == stamp) p++;
                if (p < end)
                {
                    _next[head] = p + 1;
                    int child = _lRows[p];
                    _mark[child] = stamp;
                    _stack[++head] = child;
                    _next[head] = rowPivotStart(child);
                    continue;
                }
            }
            _reach[--top] = r;
            head--;
        }
        return top;

        int rowPivotStart(int row) => _rowPivot[row] is var jj && jj >= 0 ? _lStart[jj] : 0;
    }

    /// <summary>
    /// x[index[p]] += a·values[p] for p in [from, to): the one inner loop of the refactorisation and the solves. The indices
    /// were produced by the factorisation itself (each below n = x.Length), so the bounds checks are dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterAxpy(double a, double[] values, int[] index, int from, int to, double[] x)
    {
        ref double v = ref MemoryMarshal.GetArrayDataReference(values);
        ref int r = ref MemoryMarshal.GetArrayDataReference(index);
        ref double y = ref MemoryMarshal.GetArrayDataReference(x);
        int p = from;
        for (; p + 3 < to; p += 4)
        {
            Unsafe.Add(ref y, Unsafe.Add(ref r, p)) += a * Unsafe.Add(ref v, p);
            Unsafe.Add(ref y, Unsafe.Add(ref r, p + 1)) += a * Unsafe.Add(ref v, p + 1);
            Unsafe.Add(ref y, Unsafe.Add(ref r, p + 2)) += a * Unsafe.Add(ref v, p + 2);
            Unsafe.Add(ref y, Unsafe.Add(ref r, p + 3)) += a * Unsafe.Add(ref v, p + 3);
        }
        for (; p < to; p++) Unsafe.Add(ref y, Unsafe.Add(ref r, p)) += a * Unsafe.Add(ref v, p);
    }

    private static void Grow(ref int[] rows, ref double[] values, int need)
    {
        int size = Math.Max(need, rows.Length + rows.Length / 2);
        Array.Resize(ref rows, size);
        Array.Resize(ref values, size);
    }
}

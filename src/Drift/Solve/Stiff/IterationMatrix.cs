using Drift.Numerics;
using static Drift.Solve.Stiff.StiffCommon;

namespace Drift.Solve.Stiff;

/// <summary>How a stiff solve stores J and factors W = αI − βJ.</summary>
internal enum IterationPath
{
    /// <summary>Dense J (analytic or d forward differences) and <see cref="DenseLu"/>.</summary>
    Dense,
    /// <summary>J on the problem's sparsity pattern (Curtis–Powell–Reid grouped differences), W factored densely: the band was too wide.</summary>
    SparseDense,
    /// <summary>J on the sparsity pattern, W permuted (natural or reverse Cuthill–McKee order, the narrower band) and factored by <see cref="BandedLu"/>.</summary>
    Banded,
    /// <summary>J on the sparsity pattern, W factored by <see cref="SparseLu"/> (minimum-degree order, symbolic analysis once, numeric refactorisation after).</summary>
    Sparse,
}

/// <summary>
/// The Jacobian J = ∂f/∂y of a stiff solve and the factorised iteration matrix W = αI − βJ (Rosenbrock: α = 1/(γh), β = 1;
/// BDF: α = 1, β = h/αₖ). Without a sparsity pattern J is dense: the drift's <see cref="IJacobian"/> or d forward
/// differences. With <see cref="OdeProblem{TDrift}.JacobianSparsity"/> J is kept on the pattern (plus the diagonal): forward
/// differences perturb every column of one Curtis–Powell–Reid group at once (one f evaluation per group, kl + ku + 1
/// for a band), or the analytic dense J is gathered. W is then factored by whichever of three costs least in
/// multiply-adds: <see cref="BandedLu"/> in the narrower of the natural and reverse Cuthill–McKee orderings
/// (n·kl·(kl + ku + 1)), <see cref="SparseLu"/> in the minimum-degree ordering (Σₖ degₖ² from the symbolic elimination,
/// weighted by <see cref="SparseOverhead"/> for its indirect addressing), or dense LU (n³/3). A narrow band (1-D
/// problems, chains) stays banded — contiguous rows, no index arrays; a 2-D or 3-D grid's band grows with its side, and
/// there the sparse LU's fill is far smaller (the Brusselator at N = 32: 6.4·10⁷ band against ≈ 10⁶–10⁷ sparse).
/// </summary>
internal sealed class IterationMatrix : ILinearSolver
{
    private readonly int _d;
    private readonly DenseLu? _dense;
    private readonly double[]? _denseJ;      // dense path: J row-major; sparse paths with an analytic J: its dense scratch
    private readonly double[]? _w;           // dense W (Dense and SparseDense)
    private readonly SparsityPattern? _pattern; // with the diagonal
    private readonly int[]? _colStart, _rows; // the pattern by columns
    private readonly double[]? _values;      // J on the pattern, column by column
    private readonly int[]? _groups;         // column → CPR colour
    private readonly int _colours;
    private readonly int[]? _position;       // index → position in the band ordering
    private readonly int[]? _order;          // position → index
    private readonly BandedLu? _banded;
    private readonly double[]? _band;
    private readonly double[]? _permuted;
    private readonly double[]? _delta;
    private readonly SparseLu? _sparse;
    private readonly int[]? _csrEntry;       // pattern entry by columns → its CSR index (the order SparseLu takes)
    private readonly int[]? _diagonalEntry;  // row → CSR index of its diagonal entry
    private readonly double[]? _wValues;     // W on the pattern, CSR order
    private double[]? _rowSums;
    // The real 2d × 2d form [[αI − J, −βI], [βI, αI − J]] of (α + iβ)I − J (Radau IIA's complex pair), after EnablePair.
    private DenseLu? _pairDense;
    private double[]? _pairW;
    private SparseLu? _pairSparse;
    private int[]? _pairEntries;             // per pattern entry (by columns): its CSR index in the upper-left, then the lower-right block
    private int[]? _pairDiagonal;            // per row i: CSR index of (i, i), (i + d, i + d), (i, i + d), (i + d, i)

    /// <summary>Multiply-adds of the sparse LU are weighted by this against the band and dense kernels (contiguous, SIMD) when choosing the path.</summary>
    internal const double SparseOverhead = 4;

    /// <param name="d">The dimension.</param>
    /// <param name="pattern">J's sparsity pattern, or null for the dense path.</param>
    /// <param name="analytic">Whether J comes from the drift's <see cref="IJacobian"/>.</param>
    /// <param name="path">Tests only: a sparse path to take regardless of the cost comparison (Banded, Sparse or SparseDense).</param>
    public IterationMatrix(int d, SparsityPattern? pattern, bool analytic, IterationPath? path = null)
    {
        _d = d;
        if (pattern is null)
        {
            Path = IterationPath.Dense;
            _dense = new DenseLu(d);
            _denseJ = new double[d * d];
            _w = new double[d * d];
            return;
        }
        if (pattern.N != d) throw new ArgumentException($"the Jacobian sparsity pattern is {pattern.N} × {pattern.N} but the system has dimension {d}.", nameof(pattern));
        _pattern = pattern.WithDiagonal();
        (_colStart, _rows) = _pattern.Transpose();
        _values = new double[_pattern.Count];
        if (analytic) _denseJ = new double[d * d];
        else
        {
            _groups = _pattern.ColumnGroups();
            _colours = _groups.Length == 0 ? 0 : _groups.Max() + 1;
            _delta = new double[d];
        }
        var natural = _pattern.Bandwidth();
        var rcm = _pattern.ReverseCuthillMcKee();
        var narrowed = _pattern.Bandwidth(rcm);
        bool useRcm = narrowed.Lower + narrowed.Upper < natural.Lower + natural.Upper;
        var (kl, ku) = useRcm ? narrowed : natural;
        double bandCost = (double)d * kl * (kl + ku + 1), denseCost = (double)d * d * d / 3;
        var minimumDegree = path is null or IterationPath.Sparse ? _pattern.MinimumDegreeWithCost() : default;
        double sparseCost = SparseOverhead * minimumDegree.MultiplyAdds;
        if (path == IterationPath.Sparse || (path is null && sparseCost < Math.Min(bandCost, 0.5 * denseCost)))
        {
            Path = IterationPath.Sparse;
            _sparse = new SparseLu(_pattern, 1e-3, (minimumDegree.Position, minimumDegree.Lower));
            _wValues = new double[_pattern.Count];
            (_, _, _csrEntry) = _pattern.TransposeWithEntries();
            _diagonalEntry = new int[d];
            var rowStart = _pattern.RowStart;
            var columns = _pattern.Columns;
            for (int i = 0; i < d; i++)
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
                    if (columns[k] == i) _diagonalEntry[i] = k;
        }
        else if (path == IterationPath.Banded || (path is null && bandCost < 0.5 * denseCost))
        {
            Path = IterationPath.Banded;
            _position = useRcm ? rcm : [.. Enumerable.Range(0, d)];
            _order = new int[d];
            for (int i = 0; i < d; i++) _order[_position[i]] = i;
            _banded = new BandedLu(d, kl, ku);
            _band = new double[_banded.BandLength];
            _permuted = new double[d];
            Lower = kl;
            Upper = ku;
        }
        else
        {
            Path = IterationPath.SparseDense;
            _dense = new DenseLu(d);
            _w = new double[d * d];
        }
    }

    public IterationPath Path { get; }

    /// <summary>Band widths of the banded path (0 otherwise).</summary>
    public int Lower { get; }
    public int Upper { get; }

    /// <summary>Right-hand side evaluations per finite-difference Jacobian (d dense, the number of colours on a pattern).</summary>
    public int Colours => _pattern is null ? _d : _colours;

    public int N => _d;

    /// <summary>
    /// Evaluates J (and ∂f/∂t when <paramref name="dfdt"/> is not empty) at (t, y) given f0 = f(t, y), as
    /// <see cref="StiffCommon.Jacobian{TDrift}"/> does densely; <paramref name="scratch"/> needs d entries.
    /// </summary>
    public void Evaluate<TDrift>(ref TDrift f, IJacobian? analytic, double t, Span<double> y, ReadOnlySpan<double> f0,
        Span<double> dfdt, Span<double> scratch, ref long nfev) where TDrift : struct, IDrift
    {
        if (_pattern is null)
        {
            Jacobian(ref f, analytic, t, y, f0, _denseJ!, dfdt, scratch, ref nfev);
            return;
        }
        int d = _d;
        var values = _values!;
        if (analytic is not null)
        {
            analytic.Jacobian(t, y, _denseJ);
            for (int j = 0; j < d; j++)
                for (int k = _colStart![j]; k < _colStart[j + 1]; k++) values[k] = _denseJ![_rows![k] * d + j];
        }
        else
        {
            var fp = scratch[..d];
            var delta = _delta!;
            for (int colour = 0; colour < _colours; colour++)
            {
                for (int j = 0; j < d; j++)
                {
                    if (_groups![j] != colour) continue;
                    double saved = y[j];
                    double step = Math.Sqrt(Unit * Math.Max(1e-5, Math.Abs(saved)));
                    y[j] = saved + step;
                    delta[j] = y[j] - saved;
                }
                f.Evaluate(t, y, fp, 1);
                for (int j = 0; j < d; j++)
                {
                    if (_groups![j] != colour) continue;
                    y[j] -= delta[j];
                    for (int k = _colStart![j]; k < _colStart[j + 1]; k++)
                    {
                        int i = _rows![k];
                        values[k] = (fp[i] - f0[i]) / delta[j];
                    }
                }
            }
            nfev += _colours;
        }
        if (!dfdt.IsEmpty) Jacobian(ref f, analytic, t, y, f0, default, dfdt, scratch, ref nfev, timeOnly: true);
    }

    /// <summary>Factors W = αI − βJ; returns −1, or the component (original numbering) whose pivot vanished.</summary>
    public int Factor(double alpha, double beta)
    {
        int d = _d;
        if (Path == IterationPath.Dense)
        {
            var j = _denseJ!;
            var w = _w!;
            for (int k = 0; k < w.Length; k++) w[k] = -beta * j[k];
            for (int i = 0; i < d; i++) w[i * d + i] += alpha;
            return _dense!.Factor(w);
        }
        if (Path == IterationPath.SparseDense)
        {
            var w = _w!;
            Array.Clear(w);
            for (int col = 0; col < d; col++)
                for (int k = _colStart![col]; k < _colStart[col + 1]; k++) w[_rows![k] * d + col] = -beta * _values![k];
            for (int i = 0; i < d; i++) w[i * d + i] += alpha;
            return _dense!.Factor(w);
        }
        if (Path == IterationPath.Sparse)
        {
            var w = _wValues!;
            var values = _values!;
            var entry = _csrEntry!;
            for (int k = 0; k < values.Length; k++) w[entry[k]] = -beta * values[k];
            foreach (int k in _diagonalEntry!) w[k] += alpha;
            return _sparse!.Factor(w);
        }
        var band = _band!;
        int kl = Lower, width = Lower + Upper + 1;
        Array.Clear(band);
        var position = _position!;
        for (int col = 0; col < d; col++)
        {
            int pj = position[col];
            for (int k = _colStart![col]; k < _colStart[col + 1]; k++)
            {
                int pi = position[_rows![k]];
                band[pi * width + (pj - pi + kl)] = -beta * _values![k];
            }
        }
        for (int p = 0; p < d; p++) band[p * width + kl] += alpha;
        int column = _banded!.Factor(band);
        return column < 0 ? -1 : _order![column];
    }

    /// <summary>
    /// Also keeps the real 2d × 2d form [[αI − J, −βI], [βI, αI − J]] of the complex matrix (α + iβ)I − J (Radau IIA's
    /// second system, unknowns real parts then imaginary parts): dense with a dense J, else a <see cref="SparseLu"/> on the
    /// doubled pattern (J's pattern in both diagonal blocks and the two coupling diagonals).
    /// </summary>
    public void EnablePair()
    {
        int d = _d;
        if (_pattern is null)
        {
            _pairDense = new DenseLu(2 * d);
            _pairW = new double[4 * d * d];
            return;
        }
        var entries = new List<(int, int)>(2 * _pattern.Count + 2 * d);
        for (int i = 0; i < d; i++)
        {
            for (int k = _pattern.RowStart[i]; k < _pattern.RowStart[i + 1]; k++)
            {
                int j = _pattern.Columns[k];
                entries.Add((i, j));
                entries.Add((i + d, j + d));
            }
            entries.Add((i, i + d));
            entries.Add((i + d, i));
        }
        var pair = SparsityPattern.FromEntries(2 * d, entries);
        _pairSparse = new SparseLu(pair);
        _pairW = new double[pair.Count];
        _pairEntries = new int[2 * _values!.Length];
        for (int col = 0; col < d; col++)
            for (int k = _colStart![col]; k < _colStart[col + 1]; k++)
            {
                _pairEntries[2 * k] = Entry(pair, _rows![k], col);
                _pairEntries[2 * k + 1] = Entry(pair, _rows[k] + d, col + d);
            }
        _pairDiagonal = new int[4 * d];
        for (int i = 0; i < d; i++)
        {
            _pairDiagonal[4 * i] = Entry(pair, i, i);
            _pairDiagonal[4 * i + 1] = Entry(pair, i + d, i + d);
            _pairDiagonal[4 * i + 2] = Entry(pair, i, i + d);
            _pairDiagonal[4 * i + 3] = Entry(pair, i + d, i);
        }

        static int Entry(SparsityPattern p, int row, int column)
        {
            int start = p.RowStart[row];
            return start + p.Columns[start..p.RowStart[row + 1]].BinarySearch(column);
        }
    }

    /// <summary>Factors [[αI − J, −βI], [βI, αI − J]] (after <see cref="EnablePair"/>); returns −1, or the component (original numbering, mod d) whose pivot vanished.</summary>
    public int FactorPair(double alpha, double beta)
    {
        int d = _d;
        var w = _pairW ?? throw new InvalidOperationException("EnablePair was not called.");
        if (_pattern is null)
        {
            var jac = _denseJ!;
            int n2 = 2 * d;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    double v = -jac[i * d + j] + (i == j ? alpha : 0);
                    w[i * n2 + j] = v;
                    w[(i + d) * n2 + j + d] = v;
                    w[i * n2 + j + d] = i == j ? -beta : 0;
                    w[(i + d) * n2 + j] = i == j ? beta : 0;
                }
            return _pairDense!.Factor(w) is var c && c >= 0 ? c % d : -1;
        }
        var values = _values!;
        var map = _pairEntries!;
        for (int k = 0; k < values.Length; k++)
        {
            double v = -values[k];
            w[map[2 * k]] = v;
            w[map[2 * k + 1]] = v;
        }
        var diagonal = _pairDiagonal!;
        for (int i = 0; i < d; i++)
        {
            w[diagonal[4 * i]] += alpha;
            w[diagonal[4 * i + 1]] += alpha;
            w[diagonal[4 * i + 2]] = -beta;
            w[diagonal[4 * i + 3]] = beta;
        }
        return _pairSparse!.Factor(w) is var column && column >= 0 ? column % d : -1;
    }

    /// <summary>Solves the pair system in place (b: the d real parts, then the d imaginary parts) with the last <see cref="FactorPair"/>.</summary>
    public void SolvePair(Span<double> b)
    {
        if (_pairSparse is not null) _pairSparse.Solve(b);
        else (_pairDense ?? throw new InvalidOperationException("EnablePair was not called.")).Solve(b);
    }

    /// <summary>Solves W x = b in place with the last factorisation.</summary>
    public void Solve(Span<double> b)
    {
        if (Path == IterationPath.Sparse)
        {
            _sparse!.Solve(b);
            return;
        }
        if (Path != IterationPath.Banded)
        {
            _dense!.Solve(b);
            return;
        }
        var x = _permuted!;
        var order = _order!;
        for (int p = 0; p < _d; p++) x[p] = b[order[p]];
        _banded!.Solve(x);
        for (int p = 0; p < _d; p++) b[order[p]] = x[p];
    }

    /// <summary>‖J‖∞ = maxᵢ Σⱼ |Jᵢⱼ|, an upper bound of the spectral radius.</summary>
    public double NormInf()
    {
        int d = _d;
        double best = 0;
        if (_pattern is null)
        {
            var j = _denseJ!;
            for (int i = 0; i < d; i++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += Math.Abs(j[i * d + k]);
                best = Math.Max(best, sum);
            }
            return best;
        }
        var rows = _rowSums ??= new double[d];
        Array.Clear(rows);
        for (int col = 0; col < d; col++)
            for (int k = _colStart![col]; k < _colStart[col + 1]; k++) rows[_rows![k]] += Math.Abs(_values![k]);
        foreach (double r in rows) best = Math.Max(best, r);
        return best;
    }

    /// <summary>J as a dense row-major matrix (for tests).</summary>
    internal double[] DenseJacobian()
    {
        if (_pattern is null) return (double[])_denseJ!.Clone();
        var j = new double[_d * _d];
        for (int col = 0; col < _d; col++)
            for (int k = _colStart![col]; k < _colStart[col + 1]; k++) j[_rows![k] * _d + col] = _values![k];
        return j;
    }
}

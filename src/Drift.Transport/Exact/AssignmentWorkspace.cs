using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drift.Transport.Exact;

/// <summary>
/// Reusable buffers for the shortest-augmenting-path linear assignment (Jonker–Volgenant family; the augmentation step
/// is that of Crouse 2016, used by SciPy's <c>linear_sum_assignment</c>). Initialisation by column reduction
/// vⱼ = minᵢ Cᵢⱼ (square problems only), row reduction uᵢ = minⱼ (Cᵢⱼ − vⱼ) and greedy tight matches; then every free row is matched by a
/// Dijkstra search over the reduced costs Cᵢⱼ − uᵢ − vⱼ ≥ 0 and the duals are updated so that uᵢ + vⱼ ≤ Cᵢⱼ with
/// equality on the matching. The Dijkstra relaxation is a dense SIMD pass over all columns (finished columns are
/// masked by +∞), which beats an indirect scan over the remaining columns for the n ≤ a few thousand of minibatches.
/// O(n²m) worst case; allocation-free once sized.
/// </summary>
internal sealed class AssignmentWorkspace
{
    private double[] u = [], v = [], shortest = [], pathRow = [], blocked = [];
    private int[] col4row = [], row4col = [], visitedRows = [], finalCols = [];

    public ReadOnlySpan<double> RowDual => u;

    public ReadOnlySpan<double> ColumnDual => v;

    private void Ensure(int n, int m)
    {
        if (u.Length != n) { u = new double[n]; col4row = new int[n]; visitedRows = new int[n]; }
        if (v.Length != m)
        {
            v = new double[m]; shortest = new double[m]; pathRow = new double[m]; blocked = new double[m];
            row4col = new int[m]; finalCols = new int[m];
        }
    }

    /// <summary>Assigns each of the n ≤ m rows a distinct column minimising Σᵢ C[i, σ(i)] (C row-major n × m, finite);
    /// writes σ into <paramref name="rowToColumn"/> and returns the number of Dijkstra augmentations.</summary>
    public int Solve(ReadOnlySpan<double> cost, int n, int m, Span<int> rowToColumn)
    {
        Ensure(n, m);
        Array.Fill(col4row, -1);
        Array.Fill(row4col, -1);
        Initialise(cost, n, m);
        int augmentations = 0;
        for (int cur = 0; cur < n; cur++)
        {
            if (col4row[cur] >= 0) continue;
            Augment(cost, m, cur);
            augmentations++;
        }
        col4row.AsSpan(0, n).CopyTo(rowToColumn);
        return augmentations;
    }

    private void Initialise(ReadOnlySpan<double> cost, int n, int m)
    {
        // Column reduction only for square problems: with n < m, columns left unassigned must keep vⱼ = 0 (the dual of
        // "column used at most once" is vⱼ ≤ 0), which the augmentation preserves only if it starts from v = 0.
        Array.Fill(v, n == m ? double.PositiveInfinity : 0);
        for (int i = 0; i < n && n == m; i++)
        {
            var row = cost.Slice(i * m, m);
            for (int j = 0; j < m; j++) v[j] = Math.Min(v[j], row[j]);
        }
        for (int i = 0; i < n; i++)
        {
            var row = cost.Slice(i * m, m);
            double best = double.PositiveInfinity;
            int arg = -1;
            for (int j = 0; j < m; j++)
            {
                double r = row[j] - v[j];
                if (r < best || (r == best && row4col[j] == -1 && arg >= 0 && row4col[arg] != -1)) { best = r; arg = j; }
            }
            u[i] = best;
            if (arg >= 0 && row4col[arg] == -1)
            {
                row4col[arg] = i;
                col4row[i] = arg;
            }
        }
    }

    private void Augment(ReadOnlySpan<double> cost, int m, int cur)
    {
        Array.Fill(shortest, double.PositiveInfinity);
        Array.Clear(blocked);
        int nVisited = 0, nFinal = 0, sink = -1, i = cur;
        double minVal = 0;
        while (sink == -1)
        {
            visitedRows[nVisited++] = i;
            double lowest = Relax(cost.Slice(i * m, m), minVal - u[i], i);
            if (double.IsPositiveInfinity(lowest)) throw new InvalidOperationException("The assignment problem is infeasible.");
            int j = ArgLowest(lowest);
            minVal = lowest;
            finalCols[nFinal++] = j;
            blocked[j] = double.PositiveInfinity;
            if (row4col[j] == -1) sink = j;
            else i = row4col[j];
        }
        u[cur] += minVal;
        for (int k = 1; k < nVisited; k++)
        {
            int r = visitedRows[k];
            u[r] += minVal - shortest[col4row[r]];
        }
        for (int k = 0; k < nFinal; k++)
        {
            int j = finalCols[k];
            v[j] -= minVal - shortest[j];
        }
        int jj = sink;
        while (true)
        {
            int r = (int)pathRow[jj];
            row4col[jj] = r;
            (col4row[r], jj) = (jj, col4row[r]);
            if (r == cur) break;
        }
    }

    /// <summary>shortestⱼ ← min(shortestⱼ, offset + rowⱼ − vⱼ) over unfinished columns (recording the row), and returns
    /// the smallest tentative distance among them.</summary>
    private double Relax(ReadOnlySpan<double> row, double offset, int i)
    {
        int m = row.Length, j = 0;
        ref double rc = ref MemoryMarshal.GetReference(row);
        double lowest = double.PositiveInfinity, ri = i;
        if (Vector.IsHardwareAccelerated && m >= Vector<double>.Count)
        {
            int w = Vector<double>.Count;
            var vOffset = new Vector<double>(offset);
            var vRow = new Vector<double>(ri);
            var vMin = new Vector<double>(double.PositiveInfinity);
            var sp = MemoryMarshal.Cast<double, Vector<double>>(shortest.AsSpan(0, m - m % w));
            var pp = MemoryMarshal.Cast<double, Vector<double>>(pathRow.AsSpan(0, m - m % w));
            var vp = MemoryMarshal.Cast<double, Vector<double>>(v.AsSpan(0, m - m % w));
            var bp = MemoryMarshal.Cast<double, Vector<double>>(blocked.AsSpan(0, m - m % w));
            for (int k = 0; k < sp.Length; k++, j += w)
            {
                var r = vOffset + Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref rc, j)) - vp[k] + bp[k];
                var s = sp[k];
                var better = Vector.LessThan(r, s);
                s = Vector.ConditionalSelect(better, r, s);
                sp[k] = s;
                pp[k] = Vector.ConditionalSelect(better, vRow, pp[k]);
                vMin = Vector.Min(vMin, s + bp[k]);
            }
            for (int k = 0; k < w; k++) lowest = Math.Min(lowest, vMin[k]);
        }
        for (; j < m; j++)
        {
            double r = offset + Unsafe.Add(ref rc, j) - v[j] + blocked[j];
            if (r < shortest[j]) { shortest[j] = r; pathRow[j] = ri; }
            lowest = Math.Min(lowest, shortest[j] + blocked[j]);
        }
        return lowest;
    }

    /// <summary>An unfinished column at distance <paramref name="lowest"/>, preferring an unassigned one (which ends the search).</summary>
    private int ArgLowest(double lowest)
    {
        int m = shortest.Length, first = -1, j = 0;
        if (Vector.IsHardwareAccelerated && m >= Vector<double>.Count)
        {
            int w = Vector<double>.Count;
            var target = new Vector<double>(lowest);
            var sp = MemoryMarshal.Cast<double, Vector<double>>(shortest.AsSpan(0, m - m % w));
            var bp = MemoryMarshal.Cast<double, Vector<double>>(blocked.AsSpan(0, m - m % w));
            for (int k = 0; k < sp.Length; k++, j += w)
            {
                if (!Vector.EqualsAny(sp[k] + bp[k], target)) continue;
                for (int l = j; l < j + w; l++)
                {
                    if (shortest[l] + blocked[l] != lowest) continue;
                    if (row4col[l] == -1) return l;
                    if (first < 0) first = l;
                }
            }
        }
        for (; j < m; j++)
        {
            if (shortest[j] + blocked[j] == lowest)
            {
                if (row4col[j] == -1) return j;
                if (first < 0) first = j;
            }
        }
        return first;
    }
}

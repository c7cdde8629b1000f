namespace Drift.Transport.Plans;

/// <summary>
/// A transport plan in compressed sparse row form (the output of the exact solvers, whose optimal plans have at most
/// n + m − 1 non-zeros): the entries of row i are <c>ColumnIndices[RowStart[i]..RowStart[i+1]]</c> with masses
/// <c>Masses[...]</c>, columns ascending.
/// </summary>
public sealed class SparseTransportPlan : TransportPlan
{
    private readonly int[] rowStart;
    private readonly int[] columnIndices;
    private readonly double[] masses;

    /// <summary>Builds the plan from entries in any order; duplicate (i, j) pairs are summed, zero masses dropped.</summary>
    public SparseTransportPlan(int rows, int columns, IEnumerable<PlanEntry> entries) : base(rows, columns)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.Where(e => e.Mass != 0).ToList();
        foreach (var e in list)
        {
            if ((uint)e.Row >= (uint)rows || (uint)e.Column >= (uint)columns)
                throw new ArgumentException($"Entry ({e.Row}, {e.Column}) lies outside a {rows}×{columns} plan.", nameof(entries));
        }
        list.Sort((p, q) => p.Row != q.Row ? p.Row.CompareTo(q.Row) : p.Column.CompareTo(q.Column));
        var cols = new List<int>(list.Count);
        var vals = new List<double>(list.Count);
        rowStart = new int[rows + 1];
        int prevRow = -1, prevCol = -1;
        foreach (var e in list)
        {
            if (e.Row == prevRow && e.Column == prevCol)
            {
                vals[^1] += e.Mass;
                continue;
            }
            cols.Add(e.Column);
            vals.Add(e.Mass);
            rowStart[e.Row + 1]++;
            prevRow = e.Row;
            prevCol = e.Column;
        }
        for (int i = 0; i < rows; i++) rowStart[i + 1] += rowStart[i];
        columnIndices = [.. cols];
        masses = [.. vals];
    }

    /// <summary>Offsets of each row's entries, length n + 1.</summary>
    public ReadOnlySpan<int> RowStart => rowStart;

    /// <summary>Column index of each stored entry.</summary>
    public ReadOnlySpan<int> ColumnIndices => columnIndices;

    /// <summary>Mass of each stored entry.</summary>
    public ReadOnlySpan<double> Masses => masses;

    /// <inheritdoc />
    public override int StoredCount => masses.Length;

    /// <inheritdoc />
    public override double this[int i, int j]
    {
        get
        {
            if ((uint)i >= (uint)Rows || (uint)j >= (uint)Columns)
                throw new ArgumentOutOfRangeException(nameof(i), $"({i}, {j}) lies outside a {Rows}×{Columns} plan.");
            int k = Array.BinarySearch(columnIndices, rowStart[i], rowStart[i + 1] - rowStart[i], j);
            return k >= 0 ? masses[k] : 0.0;
        }
    }

    /// <inheritdoc />
    public override double[] ToDense()
    {
        var d = new double[(long)Rows * Columns];
        foreach (var e in Entries()) d[e.Row * Columns + e.Column] = e.Mass;
        return d;
    }

    /// <inheritdoc />
    public override IEnumerable<PlanEntry> Entries()
    {
        for (int i = 0; i < Rows; i++)
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) yield return new PlanEntry(i, columnIndices[k], masses[k]);
    }
}

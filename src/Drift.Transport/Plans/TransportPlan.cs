namespace Drift.Transport.Plans;

/// <summary>
/// A coupling P ∈ ℝ₊^{n×m}: Pᵢⱼ is the mass moved from source point i to target point j. Its marginals
/// P1 (row sums) and Pᵀ1 (column sums) approximate (entropic) or equal (exact) the source and target weights.
/// </summary>
public abstract class TransportPlan
{
    /// <summary>Creates a plan shape.</summary>
    protected TransportPlan(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
    }

    /// <summary>Number of source points n.</summary>
    public int Rows { get; }

    /// <summary>Number of target points m.</summary>
    public int Columns { get; }

    /// <summary>Pᵢⱼ (zero where not stored).</summary>
    public abstract double this[int i, int j] { get; }

    /// <summary>Number of stored entries (n·m for a dense plan).</summary>
    public abstract int StoredCount { get; }

    /// <summary>The row marginal P1, length n.</summary>
    public double[] RowSums()
    {
        var r = new double[Rows];
        foreach (var e in Entries()) r[e.Row] += e.Mass;
        return r;
    }

    /// <summary>The column marginal Pᵀ1, length m.</summary>
    public double[] ColumnSums()
    {
        var c = new double[Columns];
        foreach (var e in Entries()) c[e.Column] += e.Mass;
        return c;
    }

    /// <summary>⟨C, P⟩ = Σᵢⱼ Cᵢⱼ Pᵢⱼ.</summary>
    public double Cost(CostMatrix cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Rows != Rows || cost.Columns != Columns)
            throw new ArgumentException($"cost is {cost.Rows}×{cost.Columns} but the plan is {Rows}×{Columns}.", nameof(cost));
        double s = 0;
        foreach (var e in Entries()) s += e.Mass * cost[e.Row, e.Column];
        return s;
    }

    /// <summary>The plan as a dense row-major array of length n·m.</summary>
    public abstract double[] ToDense();

    /// <summary>The non-zero entries, row by row, columns ascending within a row.</summary>
    public abstract IEnumerable<PlanEntry> Entries();
}

using System.Globalization;
using Drift.Solve;
using Drift.Transport.Plans;

namespace Drift.Transport.Exact;

/// <summary>
/// Linear assignment: min over injective σ of Σᵢ C[i, σ(i)], by the shortest-augmenting-path method of the
/// Jonker–Volgenant family. For n = m uniform weights this is exact optimal transport (Birkhoff: some optimal plan is a
/// permutation matrix times the common weight).
/// </summary>
public static class LinearAssignment
{
    /// <summary>Assigns each of the n rows of an n × m cost (n ≤ m) a distinct column; writes σ(i) into
    /// <paramref name="rowToColumn"/> (length ≥ n) and returns Σᵢ C[i, σ(i)].</summary>
    /// <exception cref="ArgumentException">n &gt; m or <paramref name="rowToColumn"/> too short.</exception>
    public static double FindAssignment(CostMatrix cost, Span<int> rowToColumn)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Rows > cost.Columns)
            throw new ArgumentException($"cost has {cost.Rows} rows and {cost.Columns} columns; assignment needs rows ≤ columns (transpose it).", nameof(cost));
        if (rowToColumn.Length < cost.Rows)
            throw new ArgumentException($"rowToColumn has length {rowToColumn.Length}, fewer than the {cost.Rows} rows.", nameof(rowToColumn));
        new AssignmentWorkspace().Solve(cost.Values, cost.Rows, cost.Columns, rowToColumn);
        double total = 0;
        for (int i = 0; i < cost.Rows; i++) total += cost[i, rowToColumn[i]];
        return total;
    }

    /// <summary>Exact transport between two equal-size clouds with uniform weights (every aᵢ and bⱼ equal to the same
    /// value w): P = w·(permutation matrix); potentials are the assignment duals (fᵢ + gⱼ ≤ Cᵢⱼ, equality on σ).</summary>
    /// <exception cref="ArgumentException">n ≠ m, non-uniform or invalid weights, or mismatched sizes.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        (options ?? TransportOptions.Default).Validate();
        Guard.Balanced(a, b, cost);
        int n = cost.Rows;
        if (cost.Columns != n)
            throw new ArgumentException($"Assignment needs a square problem; the cost is {cost.Rows}×{cost.Columns}.", nameof(cost));
        double w = a[0];
        for (int i = 0; i < n; i++)
        {
            if (Math.Abs(a[i] - w) > 1e-12 * w)
                throw new ArgumentException($"a[{i}] = {a[i]} differs from a[0] = {w}; assignment needs uniform weights.", nameof(a));
            if (Math.Abs(b[i] - w) > 1e-12 * w)
                throw new ArgumentException($"b[{i}] = {b[i]} differs from a[0] = {w}; assignment needs uniform weights.", nameof(b));
        }
        var ws = new AssignmentWorkspace();
        var sigma = new int[n];
        int augmentations = ws.Solve(cost.Values, n, n, sigma);
        var plan = new SparseTransportPlan(n, n, Enumerable.Range(0, n).Select(i => new PlanEntry(i, sigma[i], w)));
        var f = ws.RowDual.ToArray();
        var g = ws.ColumnDual.ToArray();
        double c = plan.Cost(cost);
        return new TransportResult(TransportMethod.Assignment, plan, f, g, c, c, ExactResults.Dual(a, b, f, g),
            ExactResults.MarginalError(plan, a, b), augmentations, SolveStatus.Success,
            string.Create(CultureInfo.InvariantCulture, $"optimal assignment of {n} points after {augmentations} augmenting paths"));
    }
}

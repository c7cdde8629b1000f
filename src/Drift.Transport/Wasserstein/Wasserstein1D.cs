using System.Globalization;
using Drift.Analysis;
using Drift.Solve;
using Drift.Transport.Plans;

namespace Drift.Transport.Wasserstein;

/// <summary>
/// Exact optimal transport on the line, as transport plans and results: the core monotone (quantile) coupling
/// <see cref="MonotoneCoupling"/> — optimal for every convex cost |x − y|^p, p ≥ 1, in O((n + m) log(n + m)) —
/// with its plan and Kantorovich potentials. Weights need not be normalised but the masses must agree (relative 1e-9).
/// </summary>
public static class Wasserstein1D
{
    /// <summary>W_p^p = min over couplings P of Σᵢⱼ Pᵢⱼ |xᵢ − yⱼ|^p (the transport cost, not its p-th root).</summary>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite inputs, invalid weights, unequal masses, or p &lt; 1.</exception>
    public static double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2)
        => MonotoneCoupling.Cost(x, a, y, b, p);

    /// <summary>W_p = (W_p^p)^{1/p}.</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2)
        => Math.Pow(Cost(x, a, y, b, p), 1 / p);

    /// <summary>The monotone optimal plan (at most n + m − 1 non-zeros), optimal for every convex cost of x − y.</summary>
    public static SparseTransportPlan Plan(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b)
    {
        var cells = new List<(int I, int J, double Mass)>(x.Length + y.Length);
        MonotoneCoupling.Couple(x, a, y, b, 1, cells);
        return new SparseTransportPlan(x.Length, y.Length, Entries(cells));
    }

    /// <summary>
    /// Exact transport on the line as a <see cref="TransportResult"/> (method <see cref="TransportMethod.OneDimensional"/>): the
    /// monotone plan, cost W_p^p, and Kantorovich potentials built along the sorted staircase by complementary slackness
    /// (fᵢ + gⱼ = |xᵢ − yⱼ|^p on every visited cell, including degenerate zero-mass ones; points the sweep never reaches get
    /// the c-transform). For p ≥ 1 the cost is a convex function of x − y, the staircase basis is optimal and these
    /// potentials are dual feasible (tested).
    /// </summary>
    public static TransportResult Solve(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2)
    {
        var cells = new List<(int I, int J, double Mass)>(x.Length + y.Length);
        double cost = MonotoneCoupling.Couple(x, a, y, b, p, cells);
        var plan = new SparseTransportPlan(x.Length, y.Length, Entries(cells));
        var f = new double[x.Length];
        var g = new double[y.Length];
        var hasF = new bool[x.Length];
        var hasG = new bool[y.Length];
        foreach (var (i, j, _) in cells)
        {
            double c = Ground(x[i] - y[j], p);
            if (!hasF[i] && !hasG[j]) { f[i] = 0; hasF[i] = true; }
            if (hasF[i] && !hasG[j]) { g[j] = c - f[i]; hasG[j] = true; }
            else if (!hasF[i]) { f[i] = c - g[j]; hasF[i] = true; }
        }
        for (int i = 0; i < f.Length; i++)
        {
            if (hasF[i]) continue;
            double best = double.PositiveInfinity;
            for (int j = 0; j < g.Length; j++) if (hasG[j]) best = Math.Min(best, Ground(x[i] - y[j], p) - g[j]);
            f[i] = best;
        }
        for (int j = 0; j < g.Length; j++)
        {
            if (hasG[j]) continue;
            double best = double.PositiveInfinity;
            for (int i = 0; i < f.Length; i++) best = Math.Min(best, Ground(x[i] - y[j], p) - f[i]);
            g[j] = best;
        }
        double dual = 0, mass = 0, err = 0;
        for (int i = 0; i < f.Length; i++) { dual += a[i] * f[i]; mass += a[i]; }
        for (int j = 0; j < g.Length; j++) dual += b[j] * g[j];
        var rows = plan.RowSums();
        var cols = plan.ColumnSums();
        for (int i = 0; i < f.Length; i++) err += Math.Abs(rows[i] - a[i]);
        for (int j = 0; j < g.Length; j++) err += Math.Abs(cols[j] - b[j]);
        return new TransportResult(TransportMethod.OneDimensional, plan, f, g, cost, cost, dual, err / mass, cells.Count,
            SolveStatus.Success, string.Create(CultureInfo.InvariantCulture, $"exact 1-D transport (p = {p}) by the quantile coupling"));
    }

    private static double Ground(double d, double p) => MonotoneCoupling.Ground(d, p);

    private static List<PlanEntry> Entries(List<(int I, int J, double Mass)> cells)
    {
        var entries = new List<PlanEntry>(cells.Count);
        foreach (var (i, j, w) in cells)
            if (w > 0) entries.Add(new PlanEntry(i, j, w));
        return entries;
    }
}

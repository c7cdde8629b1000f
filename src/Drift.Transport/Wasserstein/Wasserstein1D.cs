using System.Globalization;
using Drift.Transport.Plans;

namespace Drift.Transport.Wasserstein;

/// <summary>
/// Exact optimal transport on the line. For a convex cost |x − y|^p (p ≥ 1) the monotone (quantile) coupling is optimal,
/// so W_p^p(μ, ν) = ∫₀^M |F⁻¹(t) − G⁻¹(t)|^p dt, computed by sorting both supports and sweeping the merged cumulative
/// masses in O((n + m) log(n + m)). Weights need not be normalised but the masses must agree (relative 1e-9).
/// </summary>
public static class Wasserstein1D
{
    /// <summary>W_p^p = min over couplings P of Σᵢⱼ Pᵢⱼ |xᵢ − yⱼ|^p (the transport cost, not its p-th root).</summary>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite inputs, invalid weights, unequal masses, or p &lt; 1.</exception>
    public static double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2)
    {
        var (ix, iy) = Prepare(x, a, y, b, p);
        return Sweep(x, a, y, b, ix, iy, p, null);
    }

    /// <summary>W_p = (W_p^p)^{1/p}.</summary>
    public static double Distance(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2)
        => Math.Pow(Cost(x, a, y, b, p), 1 / p);

    /// <summary>The monotone optimal plan (at most n + m − 1 non-zeros), optimal for every convex cost of x − y.</summary>
    public static SparseTransportPlan Plan(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b)
    {
        var (ix, iy) = Prepare(x, a, y, b, 1);
        var entries = new List<PlanEntry>(x.Length + y.Length);
        Sweep(x, a, y, b, ix, iy, 1, entries);
        return new SparseTransportPlan(x.Length, y.Length, entries);
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
        var (ix, iy) = Prepare(x, a, y, b, p);
        var entries = new List<PlanEntry>(x.Length + y.Length);
        var visited = new List<(int I, int J)>(x.Length + y.Length);
        double cost = Sweep(x, a, y, b, ix, iy, p, entries, visited);
        var plan = new SparseTransportPlan(x.Length, y.Length, entries);
        var f = new double[x.Length];
        var g = new double[y.Length];
        var hasF = new bool[x.Length];
        var hasG = new bool[y.Length];
        foreach (var (i, j) in visited)
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
        return new TransportResult(TransportMethod.OneDimensional, plan, f, g, cost, cost, dual, err / mass, visited.Count,
            TransportStatus.Converged, string.Create(CultureInfo.InvariantCulture, $"exact 1-D transport (p = {p}) by the quantile coupling"));
    }

    private static double Ground(double d, double p)
    {
        d = Math.Abs(d);
        return p == 2 ? d * d : p == 1 ? d : Math.Pow(d, p);
    }

    private static (int[] Ix, int[] Iy) Prepare(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p)
    {
        if (!(p >= 1) || double.IsInfinity(p)) throw new ArgumentException($"p must be finite and ≥ 1, got {p}.", nameof(p));
        if (a.Length != x.Length) throw new ArgumentException($"a has length {a.Length} but x has {x.Length}.", nameof(a));
        if (b.Length != y.Length) throw new ArgumentException($"b has length {b.Length} but y has {y.Length}.", nameof(b));
        double ma = Guard.Weights(a, nameof(a)), mb = Guard.Weights(b, nameof(b));
        if (Math.Abs(ma - mb) > 1e-9 * Math.Max(ma, mb))
            throw new ArgumentException($"b has total mass {mb:R} but a has {ma:R}; the masses must be equal.", nameof(b));
        return (SortedIndex(x, nameof(x)), SortedIndex(y, nameof(y)));
    }

    internal static int[] SortedIndex(ReadOnlySpan<double> v, string name)
    {
        var keys = v.ToArray();
        for (int i = 0; i < keys.Length; i++)
        {
            if (!double.IsFinite(keys[i])) throw new ArgumentException($"{name}[{i}] = {keys[i]} is not finite.", name);
        }
        var idx = new int[keys.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        Array.Sort(keys, idx);
        return idx;
    }

    /// <summary>North-west-corner sweep over the sorted supports; masses are consumed in order.</summary>
    internal static double Sweep(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b,
        int[] ix, int[] iy, double p, List<PlanEntry>? entries, List<(int I, int J)>? visited = null)
    {
        int i = 0, j = 0;
        double ra = a[ix[0]], rb = b[iy[0]], cost = 0;
        while (i < ix.Length && j < iy.Length)
        {
            double w = Math.Min(ra, rb);
            visited?.Add((ix[i], iy[j]));
            if (w > 0)
            {
                cost += w * Ground(x[ix[i]] - y[iy[j]], p);
                entries?.Add(new PlanEntry(ix[i], iy[j], w));
            }
            ra -= w;
            rb -= w;
            if (ra <= rb)
            {
                if (++i < ix.Length) ra = a[ix[i]];
            }
            else if (++j < iy.Length)
            {
                rb = b[iy[j]];
            }
        }
        return cost;
    }
}

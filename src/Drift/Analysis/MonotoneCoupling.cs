namespace Drift.Analysis;

/// <summary>
/// Exact optimal transport on the line by the monotone (quantile) coupling. For a convex cost |x − y|^p (p ≥ 1)
/// the coupling that matches mass in sorted order is optimal, so W_p^p(μ, ν) = ∫₀^M |F⁻¹(t) − G⁻¹(t)|^p dt,
/// computed by sorting both supports and sweeping the merged cumulative masses in O((n + m) log(n + m))
/// (Villani, <i>Topics in Optimal Transportation</i>, 2003, Thm 2.18; Peyré &amp; Cuturi, <i>Computational Optimal
/// Transport</i>, 2019, §2.6). Weights need not be normalised but the masses must agree (relative 1e-9).
/// </summary>
public static class MonotoneCoupling
{
    /// <summary>W_p^p = min over couplings P of Σᵢⱼ Pᵢⱼ |xᵢ − yⱼ|^p (the transport cost, not its p-th root).</summary>
    /// <exception cref="ArgumentException">Empty, mismatched or non-finite inputs, invalid weights, unequal masses, or p &lt; 1.</exception>
    public static double Cost(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p = 2) =>
        Couple(x, a, y, b, p, null);

    /// <summary>
    /// The sweep itself: returns W_p^p and, when <paramref name="cells"/> is given, appends every cell (i, j) the
    /// north-west-corner sweep visits over the sorted supports, with the mass it moves there (zero for a degenerate
    /// cell), in sweep order. The cells with positive mass form the optimal plan (at most n + m − 1 of them).
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Cost"/>.</exception>
    public static double Couple(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double p,
        List<(int I, int J, double Mass)>? cells)
    {
        if (!(p >= 1) || double.IsInfinity(p)) throw new ArgumentException($"p must be finite and ≥ 1, got {p}.", nameof(p));
        if (a.Length != x.Length) throw new ArgumentException($"a has length {a.Length} but x has {x.Length}.", nameof(a));
        if (b.Length != y.Length) throw new ArgumentException($"b has length {b.Length} but y has {y.Length}.", nameof(b));
        double ma = Mass(a, nameof(a)), mb = Mass(b, nameof(b));
        if (Math.Abs(ma - mb) > 1e-9 * Math.Max(ma, mb))
            throw new ArgumentException($"b has total mass {mb:R} but a has {ma:R}; the masses must be equal.", nameof(b));
        int[] ix = SortedIndex(x, nameof(x)), iy = SortedIndex(y, nameof(y));
        int i = 0, j = 0;
        double ra = a[ix[0]], rb = b[iy[0]], cost = 0;
        while (i < ix.Length && j < iy.Length)
        {
            double w = Math.Min(ra, rb);
            cells?.Add((ix[i], iy[j], w));
            if (w > 0) cost += w * Ground(x[ix[i]] - y[iy[j]], p);
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

    /// <summary>|d|^p, with the common p = 1 and p = 2 computed exactly rather than through <see cref="Math.Pow"/>.</summary>
    public static double Ground(double d, double p)
    {
        d = Math.Abs(d);
        return p == 2 ? d * d : p == 1 ? d : Math.Pow(d, p);
    }

    private static double Mass(ReadOnlySpan<double> w, string name)
    {
        if (w.Length == 0) throw new ArgumentException($"{name} must not be empty.", name);
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            if (!double.IsFinite(w[i]) || w[i] < 0)
                throw new ArgumentException($"{name}[{i}] = {w[i]}: weights must be finite and non-negative.", name);
            sum += w[i];
        }
        if (!(sum > 0)) throw new ArgumentException($"{name} has total mass {sum}; it must be positive.", name);
        return sum;
    }

    private static int[] SortedIndex(ReadOnlySpan<double> v, string name)
    {
        var keys = v.ToArray();
        for (int i = 0; i < keys.Length; i++)
            if (!double.IsFinite(keys[i])) throw new ArgumentException($"{name}[{i}] = {keys[i]} is not finite.", name);
        var idx = new int[keys.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        Array.Sort(keys, idx);
        return idx;
    }
}

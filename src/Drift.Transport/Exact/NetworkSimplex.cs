using System.Globalization;
using Drift.Solve;
using Drift.Transport.Plans;

namespace Drift.Transport.Exact;

/// <summary>
/// Exact optimal transport, min ⟨C, P⟩ over P ≥ 0 with P1 = a and Pᵀ1 = b, by the primal network simplex method
/// (the algorithm of POT's <c>ot.emd</c>: LEMON's spanning-tree simplex with block-search pivoting and an artificial root).
/// Returns a basic optimal plan (at most n + m − 1 non-zeros) and Kantorovich potentials with fᵢ + gⱼ ≤ Cᵢⱼ for all
/// (i, j), equality on the support, and ⟨a, f⟩ + ⟨b, g⟩ = ⟨C, P⟩ (zero duality gap), up to a reduced-cost tolerance of
/// 1.5e-14·(n + m + 1)·(max C − min C).
/// </summary>
public static class NetworkSimplex
{
    /// <summary>Solves the exact problem. b is rescaled by Σa/Σb (masses must agree to 1e-9 relative) so the flow balances exactly.</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        options.Validate();
        double mass = Guard.Balanced(a, b, cost);
        int n = cost.Rows, m = cost.Columns;
        double cmin = cost.Min(), cmax = cost.Max();
        double[] shifted = cost.Values;
        if (cmin != 0)
        {
            shifted = new double[cost.Values.Length];
            for (long k = 0; k < shifted.Length; k++) shifted[k] = cost.Values[k] - cmin;
        }
        double massB = 0;
        foreach (double x in b) massB += x;
        var bScaled = new double[m];
        for (int j = 0; j < m; j++) bScaled[j] = b[j] * (mass / massB);

        var core = new NetworkSimplexCore(shifted, n, m, a, bScaled, cmax - cmin);
        SolveStatus status;
        try
        {
            status = core.Run(options.MaxPivots, options.CancellationToken) ? SolveStatus.Success : SolveStatus.MaxSteps;
        }
        catch (OperationCanceledException)
        {
            status = SolveStatus.Cancelled;
        }
        var plan = new SparseTransportPlan(n, m, core.TreeFlows().Select(t => new PlanEntry(t.Row, t.Column, t.Mass)));
        var pi = core.Potentials;
        var f = new double[n];
        var g = new double[m];
        for (int i = 0; i < n; i++) f[i] = -pi[i];
        for (int j = 0; j < m; j++) g[j] = pi[n + j] + cmin;
        double shift = f.Length > 0 ? f.Max() : 0;
        for (int i = 0; i < n; i++) f[i] -= shift;
        for (int j = 0; j < m; j++) g[j] += shift;
        double artificial = core.ArtificialFlow();
        string message;
        if (core.Stuck)
        {
            status = SolveStatus.NonFinite;
            message = $"stopped after {core.Pivots} pivots: a basic arc kept a negative reduced cost (rounding in the potentials)";
        }
        else if (status == SolveStatus.Success && artificial > 1e-9 * mass)
        {
            status = SolveStatus.NonFinite;
            message = string.Create(CultureInfo.InvariantCulture, $"infeasible: mass {artificial:G3} left on an artificial arc after {core.Pivots} pivots");
        }
        else
        {
            message = string.Create(CultureInfo.InvariantCulture, $"{status} after {core.Pivots} pivots");
        }
        double c = plan.Cost(cost);
        return new TransportResult(TransportMethod.Exact, plan, f, g, c, c, ExactResults.Dual(a, b, f, g),
            ExactResults.MarginalError(plan, a, b), (int)Math.Min(core.Pivots, int.MaxValue), status, message);
    }
}

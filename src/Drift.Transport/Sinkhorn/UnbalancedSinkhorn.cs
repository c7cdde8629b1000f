using System.Globalization;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Unbalanced entropic transport (Chizat, Peyré, Schmitzer, Vialard 2018; Séjourné et al. 2019):
/// min over P ≥ 0 of ⟨C, P⟩ + ε KL(P ‖ a⊗b) + ρ KL(P1 ‖ a) + ρ KL(Pᵀ1 ‖ b), KL(p ‖ q) = Σ p log(p/q) − p + q.
/// The masses of a and b may differ. Log-domain scaling iterations with damping λ = ρ/(ρ + ε):
/// fᵢ ← −λε log Σⱼ bⱼ exp((gⱼ − Cᵢⱼ)/ε), gⱼ ← −λε log Σᵢ aᵢ exp((fᵢ − Cᵢⱼ)/ε), P = a b exp((f ⊕ g − C)/ε).
/// As ρ → ∞, λ → 1 and the iterations become balanced log-domain Sinkhorn. Stops when the largest potential change
/// over one iteration is at most the tolerance (in cost units).
/// </summary>
public static class UnbalancedSinkhorn
{
    /// <summary>Solves the unbalanced problem with ρ = <see cref="TransportOptions.MarginalPenalty"/>.</summary>
    /// <exception cref="ArgumentException">Negative or non-finite weights, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options, balanced: false);
        double rho = options.MarginalPenalty;
        p.Lambda = rho / (rho + options.Epsilon);
        int iterations = 0;
        double Sweep()
        {
            double err = p.LogSweep();
            return double.IsNaN(err) ? err : p.MaxChange;
        }
        var (status, message) = SweepLoop.Run(Sweep, options.MaxIterations, options.Tolerance, options.CancellationToken, ref iterations);
        message = message.Replace("marginal error", "potential change", StringComparison.Ordinal);
        var r = p.Finish(TransportMethod.Unbalanced, iterations, status, message);
        var rows = r.Plan.RowSums();
        var cols = r.Plan.ColumnSums();
        double kl = 0;
        double eps = options.Epsilon;
        foreach (var e in r.Plan.Entries())
        {
            double q = a[e.Row] * b[e.Column];
            kl += e.Mass * Math.Log(e.Mass / q) - e.Mass + q;
        }
        double objective = r.Cost + eps * (kl + ZeroEntriesMass(a, b, r.Plan)) + rho * (Kl(rows, a) + Kl(cols, b));
        double err = 0;
        for (int i = 0; i < rows.Length; i++) err += Math.Abs(rows[i] - a[i]);
        for (int j = 0; j < cols.Length; j++) err += Math.Abs(cols[j] - b[j]);
        double massA = 0;
        foreach (double x in a) massA += x;
        return new TransportResult(TransportMethod.Unbalanced, r.Plan, r.RowPotential, r.ColumnPotential, r.Cost, objective,
            double.NaN, err / massA, r.Iterations, r.Status,
            string.Create(CultureInfo.InvariantCulture, $"{r.Message} (ρ = {rho:G3}, λ = {p.Lambda:G6})"))
        { Epsilon = eps };
    }

    /// <summary>Σ aᵢbⱼ over the entries where P is zero (their KL contribution is the reference mass).</summary>
    private static double ZeroEntriesMass(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Plans.TransportPlan plan)
    {
        double sa = 0, sb = 0, stored = 0;
        foreach (double x in a) sa += x;
        foreach (double x in b) sb += x;
        foreach (var e in plan.Entries()) stored += a[e.Row] * b[e.Column];
        return sa * sb - stored;
    }

    private static double Kl(double[] p, ReadOnlySpan<double> q)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] > 0) s += p[i] * Math.Log(p[i] / q[i]) - p[i] + q[i];
            else s += q[i];
        }
        return s;
    }
}

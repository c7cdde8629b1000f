using Drift.Transport.Plans;

namespace Drift.Transport.Exact;

/// <summary>Diagnostics shared by the exact solvers.</summary>
internal static class ExactResults
{
    /// <summary>‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ divided by the mass of a.</summary>
    public static double MarginalError(TransportPlan plan, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var r = plan.RowSums();
        var c = plan.ColumnSums();
        double err = 0, mass = 0;
        for (int i = 0; i < a.Length; i++) { err += Math.Abs(r[i] - a[i]); mass += a[i]; }
        for (int j = 0; j < b.Length; j++) err += Math.Abs(c[j] - b[j]);
        return err / mass;
    }

    /// <summary>⟨a, f⟩ + ⟨b, g⟩.</summary>
    public static double Dual(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] f, double[] g)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++) d += a[i] * f[i];
        for (int j = 0; j < b.Length; j++) d += b[j] * g[j];
        return d;
    }
}

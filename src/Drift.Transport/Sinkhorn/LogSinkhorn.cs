namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Log-domain Sinkhorn on the dual potentials of min ⟨C, P⟩ + ε KL(P ‖ a⊗b):
/// fᵢ ← −ε log Σⱼ b̂ⱼ exp((gⱼ − Cᵢⱼ)/ε), gⱼ ← −ε log Σᵢ âᵢ exp((fᵢ − Cᵢⱼ)/ε), P = â b̂ exp((f ⊕ g − C)/ε) (times the mass).
/// Stable for every ε: each log-sum-exp is shifted by the previous potential (one exponential per entry and one
/// pass over C per iteration), falling back to the max-shifted form for any row or column whose sum leaves [1e-250, 1e250].
/// </summary>
public static class LogSinkhorn
{
    /// <summary>Solves the entropic problem from f = g = 0; stops when ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ ≤ tolerance (relative to the mass).</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options);
        int iterations = 0;
        var (status, message) = SweepLoop.Run(p.LogSweep, options.MaxIterations, options.Tolerance, options.CancellationToken, ref iterations);
        return p.Finish(TransportMethod.SinkhornLog, iterations, status, message);
    }
}

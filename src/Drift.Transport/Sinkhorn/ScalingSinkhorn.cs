using Drift.Solve;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Classical Sinkhorn matrix scaling (Cuturi 2013) for min ⟨C, P⟩ + ε KL(P ‖ a⊗b) over couplings of a and b:
/// with K = exp(−C/ε), iterate u ← a ⊘ Kv, v ← b ⊘ Kᵀu; P = diag(u) K diag(v). Each iteration is one fused pass
/// over K (the row dot product (Kv)ᵢ and the column update Kᵀu share the row while it is in cache).
/// For ε small relative to the cost range K underflows and u, v overflow: that is reported as
/// <see cref="SolveStatus.NonFinite"/>; use <see cref="LogSinkhorn"/> or <see cref="StabilizedSinkhorn"/> then.
/// </summary>
public static class ScalingSinkhorn
{
    /// <summary>Solves the entropic problem; the stopping test is ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ ≤ tolerance (relative to the mass).</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options);
        var k = new double[(long)p.N * p.M];
        p.FillKernel(k, new double[p.N], new double[p.M]);
        var u = new double[p.N];
        var v = new double[p.M];
        Array.Fill(v, 1.0);
        int iterations = 0;
        var (status, message) = SweepLoop.Run(() => p.ScalingSweep(k, u, v), options.MaxIterations, options.Tolerance,
            options.CancellationToken, ref iterations);
        for (int i = 0; i < p.N; i++) p.F[i] = p.A[i] > 0 ? p.Eps * Math.Log(u[i] / p.A[i]) : 0;
        for (int j = 0; j < p.M; j++) p.G[j] = p.B[j] > 0 ? p.Eps * Math.Log(v[j] / p.B[j]) : 0;
        if (status != SolveStatus.NonFinite) p.CompleteZeroMassPotentials();
        return p.Finish(TransportMethod.Sinkhorn, iterations, status, message);
    }
}

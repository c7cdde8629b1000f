using System.Globalization;
using Drift.Solve;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Sinkhorn–Newton–Sparse (Tang, Shavlovsky, Rahmanian, Tardini, Thekumparampil, Xiao, Ying; ICLR 2024, Algorithm 1):
/// (1) log-domain Sinkhorn warm-up, at most <see cref="TransportOptions.NewtonWarmupIterations"/> sweeps or until the marginal
/// error is below <see cref="TransportOptions.NewtonWarmupTolerance"/>; (2) Newton steps on the concave dual
/// D(x, y) = ⟨â, x⟩ + ⟨b̂, y⟩ − Σ âᵢ b̂ⱼ exp(xᵢ + yⱼ − Cᵢⱼ/ε) + 1 (x = f/ε, y = g/ε): the Hessian's off-diagonal block P is
/// sparsified to its largest ≈ρnm entries (O(nm) work per step), the Newton system is solved by Jacobi-preconditioned
/// conjugate gradient, and the step length comes from a backtracking Armijo line search. A step that fails to ascend is
/// replaced by one Sinkhorn sweep, which always ascends. Stops when ‖∇D‖₁ = ‖P1 − â‖₁ + ‖Pᵀ1 − b̂‖₁ ≤ tolerance.
/// The CG forcing term (relative residual ≤ 0.1‖∇D‖₁) would make the Newton phase quadratic; the sparsified Hessian limits
/// it to a linear rate set by <see cref="TransportOptions.NewtonDroppedMass"/> once the error is small (about 1/50 per
/// step at the default 1e-3; quadratic at 1e-6). <see cref="TransportResult.NewtonErrors"/> records the sequence.
/// </summary>
public static class SinkhornNewtonSparse
{
    /// <summary>Solves the entropic problem; <see cref="TransportResult.Iterations"/> counts warm-up sweeps plus Newton steps.</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options);
        int iterations = 0;
        var (status, message) = SweepLoop.Run(p.LogSweep, Math.Min(Math.Max(1, options.NewtonWarmupIterations), options.MaxIterations),
            Math.Max(options.Tolerance, options.NewtonWarmupTolerance), options.CancellationToken, ref iterations, " (warm-up)");
        if (status is SolveStatus.NonFinite or SolveStatus.Cancelled)
            return p.Finish(TransportMethod.SinkhornNewtonSparse, iterations, status, message);
        var newton = new NewtonSystem(p);
        int steps = 0, fallbacks = 0;
        status = SolveStatus.MaxSteps;
        double err = newton.Evaluate();
        var errors = new List<double> { err };
        while (true)
        {
            if (double.IsNaN(err)) { status = SolveStatus.NonFinite; break; }
            if (err <= options.Tolerance) { status = SolveStatus.Success; break; }
            if (iterations >= options.MaxIterations) break;
            if (options.CancellationToken.IsCancellationRequested) { status = SolveStatus.Cancelled; break; }
            newton.Sparsify(options.NewtonSparsity, options.NewtonDroppedMass);
            double slope = newton.SolveDirection(Math.Clamp(0.1 * err, 1e-14, 1e-2), options.ConjugateGradientIterations);
            iterations++;
            double next = slope > 0 ? newton.LineSearch(slope, err) : double.NaN;
            if (double.IsNaN(next))
            {
                fallbacks++;
                if (double.IsNaN(p.LogSweep())) { status = SolveStatus.NonFinite; break; }
                err = newton.Evaluate();
                continue;
            }
            err = next;
            errors.Add(err);
            steps++;
        }
        message = string.Create(CultureInfo.InvariantCulture,
            $"{status}: {iterations} iterations ({steps} Newton steps, {fallbacks} Sinkhorn fallbacks, {newton.CgIterations} CG iterations, {newton.Stored} Hessian entries), marginal error {err:G3}");
        return p.Finish(TransportMethod.SinkhornNewtonSparse, iterations, status, message, steps, newton.CgIterations, errors);
    }
}

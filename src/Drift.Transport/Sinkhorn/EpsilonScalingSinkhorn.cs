using Drift.Solve;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Log-domain Sinkhorn with ε-scaling (Kosowsky–Yuille; Schmitzer 2019): solve at ε₀ = max C − min C, then at
/// ε_{k+1} = max(ε, q·ε_k) with q = <see cref="TransportOptions.EpsilonScalingFactor"/>, each stage warm-started from
/// the previous potentials and stopped after <see cref="TransportOptions.EpsilonScalingStageIterations"/> sweeps or a
/// marginal error of 1e-3; the last stage (the target ε) runs to the tolerance. The potentials of the a⊗b-relative
/// formulation change little with ε, so few sweeps are needed per stage.
/// </summary>
public static class EpsilonScalingSinkhorn
{
    /// <summary>Solves the entropic problem at <see cref="TransportOptions.Epsilon"/>; iterations count every sweep of every stage.</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options);
        double target = options.Epsilon;
        double eps = Math.Max(target, cost.Max() - cost.Min());
        int iterations = 0;
        SolveStatus status;
        string message;
        while (eps > target)
        {
            p.Eps = eps;
            int budget = Math.Min(options.EpsilonScalingStageIterations, options.MaxIterations - iterations - 1);
            if (budget <= 0) break;
            (status, message) = SweepLoop.Run(p.LogSweep, budget, Math.Max(options.Tolerance, 1e-3), options.CancellationToken,
                ref iterations, $" at stage ε = {eps:G3}");
            if (status is SolveStatus.NonFinite or SolveStatus.Cancelled)
                return p.Finish(TransportMethod.SinkhornEpsilonScaling, iterations, status, message);
            eps = Math.Max(target, eps * options.EpsilonScalingFactor);
        }
        p.Eps = target;
        (status, message) = SweepLoop.Run(p.LogSweep, Math.Max(1, options.MaxIterations - iterations), options.Tolerance,
            options.CancellationToken, ref iterations);
        return p.Finish(TransportMethod.SinkhornEpsilonScaling, iterations, status, message);
    }
}

using Drift.Solve;
using Drift.Transport.Plans;

namespace Drift.Transport;

/// <summary>
/// The outcome of a transport solve: the plan, the dual potentials, the cost and the diagnostics a caller asks next.
/// Potential conventions: for the exact solvers, f ⊕ g ≤ C with equality on the support of P (Kantorovich duality,
/// ⟨a, f⟩ + ⟨b, g⟩ = ⟨C, P⟩ at optimum). For the entropic solvers the plan is
/// Pᵢⱼ = M·âᵢ b̂ⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε) with â = a/M, b̂ = b/M and M the total mass, so that f and g converge to
/// Kantorovich potentials as ε → 0.
/// </summary>
public sealed class TransportResult
{
    /// <summary>Creates a result (solvers build these; callers read them).</summary>
    public TransportResult(TransportMethod method, TransportPlan plan, double[] rowPotential, double[] columnPotential,
        double cost, double objective, double dualObjective, double marginalError, int iterations, SolveStatus status,
        string message)
    {
        Method = method;
        Plan = plan;
        RowPotential = rowPotential;
        ColumnPotential = columnPotential;
        Cost = cost;
        Objective = objective;
        DualObjective = dualObjective;
        MarginalError = marginalError;
        Iterations = iterations;
        Status = status;
        Message = message;
    }

    /// <summary>The algorithm that produced this result.</summary>
    public TransportMethod Method { get; }

    /// <summary>The coupling P (dense for entropic solvers, sparse for exact ones).</summary>
    public TransportPlan Plan { get; }

    /// <summary>Dual potential f on the source points (length n).</summary>
    public double[] RowPotential { get; }

    /// <summary>Dual potential g on the target points (length m).</summary>
    public double[] ColumnPotential { get; }

    /// <summary>Transport cost ⟨C, P⟩ = Σᵢⱼ Cᵢⱼ Pᵢⱼ of the returned plan.</summary>
    public double Cost { get; }

    /// <summary>The primal objective the solver minimises: ⟨C, P⟩ for exact transport; ⟨C, P⟩ + ε M·KL(P/M ‖ â⊗b̂) for
    /// entropic transport; ⟨C, P⟩ + ε KL(P ‖ a⊗b) + ρ KL(P1 ‖ a) + ρ KL(Pᵀ1 ‖ b) for unbalanced transport
    /// (KL(p ‖ q) = Σ p log(p/q) − p + q).</summary>
    public double Objective { get; }

    /// <summary>The dual objective at the returned potentials: ⟨a, f⟩ + ⟨b, g⟩ for exact transport,
    /// ⟨a, f⟩ + ⟨b, g⟩ − εM(Σ P/M − 1) for entropic transport. Equals <see cref="Objective"/> at optimum (zero duality gap);
    /// NaN where not defined (unbalanced).</summary>
    public double DualObjective { get; }

    /// <summary>‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ of the returned plan, divided by the total mass. For unbalanced transport this is the
    /// (intended) deviation from the marginals, not an error.</summary>
    public double MarginalError { get; }

    /// <summary>Outer iterations: Sinkhorn sweeps; warm-up sweeps plus Newton steps for Sinkhorn–Newton–Sparse; pivots for the
    /// network simplex; augmenting paths for the assignment.</summary>
    public int Iterations { get; }

    /// <summary>Newton steps (Sinkhorn–Newton–Sparse only; included in <see cref="Iterations"/>).</summary>
    public int NewtonSteps { get; init; }

    /// <summary>Conjugate-gradient iterations summed over all Newton steps (Sinkhorn–Newton–Sparse only).</summary>
    public int ConjugateGradientIterations { get; init; }

    /// <summary>
    /// Sinkhorn–Newton–Sparse only: the marginal error ‖P1 − â‖₁ + ‖Pᵀ1 − b̂‖₁ when the Newton phase starts and after each
    /// accepted Newton step (a Sinkhorn fallback sweep adds no entry), so the rate of the Newton phase can be read off;
    /// empty for other methods.
    /// </summary>
    public IReadOnlyList<double> NewtonErrors { get; init; } = [];

    /// <summary>Why the solver stopped.</summary>
    public SolveStatus Status { get; }

    /// <summary>A one-line human-readable account of the stop (where a failure happened, the final error).</summary>
    public string Message { get; }

    /// <summary>The entropic regularisation used (0 for exact methods).</summary>
    public double Epsilon { get; init; }
}

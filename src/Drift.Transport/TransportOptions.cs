using Drift.Solve;

namespace Drift.Transport;

/// <summary>
/// Knobs shared by the transport solvers. Each solver reads the fields that apply to it and ignores the rest.
/// Use <c>with</c> to derive variants: <c>TransportOptions.Default with { Epsilon = 1e-3 }</c>.
/// </summary>
public sealed record TransportOptions
{
    /// <summary>The defaults: ε = 0.01, tolerance 1e-9, 10 000 iterations.</summary>
    public static TransportOptions Default { get; } = new();

    /// <summary>Entropic regularisation ε &gt; 0 (in cost units) of the entropic solvers, which minimise
    /// ⟨C, P⟩ + ε KL(P ‖ a⊗b) over couplings P of a and b.</summary>
    public double Epsilon { get; init; } = 0.01;

    /// <summary>Stopping tolerance on the marginal error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ (relative to the total mass). For the unbalanced
    /// solver, on the largest change of a potential over one iteration, in cost units.</summary>
    public double Tolerance { get; init; } = 1e-9;

    /// <summary>Maximum number of outer iterations (Sinkhorn sweeps, Newton steps plus warm-up sweeps, simplex pivots are
    /// bounded separately by <see cref="MaxPivots"/>).</summary>
    public int MaxIterations { get; init; } = 10_000;

    /// <summary>Maximum number of network-simplex pivots; 0 means unlimited.</summary>
    public long MaxPivots { get; init; }

    /// <summary>Absorption threshold τ of the stabilised Sinkhorn: scalings are absorbed into the potentials when
    /// max |log u|, |log v| exceeds log τ.</summary>
    public double AbsorptionThreshold { get; init; } = 1e3;

    /// <summary>Geometric factor (in (0, 1)) by which ε decreases between ε-scaling stages.</summary>
    public double EpsilonScalingFactor { get; init; } = 0.5;

    /// <summary>Maximum Sinkhorn sweeps per intermediate ε-scaling stage.</summary>
    public int EpsilonScalingStageIterations { get; init; } = 100;

    /// <summary>Sinkhorn warm-up sweeps before Sinkhorn–Newton–Sparse switches to Newton steps (fewer if the warm-up tolerance is met).</summary>
    public int NewtonWarmupIterations { get; init; } = 20;

    /// <summary>Marginal error at which the Sinkhorn warm-up of Sinkhorn–Newton–Sparse hands over to Newton.</summary>
    public double NewtonWarmupTolerance { get; init; } = 1e-2;

    /// <summary>Minimum fraction ρ ∈ (0, 1] of plan entries kept in the sparsified Hessian of Sinkhorn–Newton–Sparse
    /// (at least 4(n + m) entries are always kept).</summary>
    public double NewtonSparsity { get; init; } = 0.001;

    /// <summary>Largest fraction δ ∈ (0, 1) of the plan's mass that the sparsified Hessian of Sinkhorn–Newton–Sparse may drop:
    /// the threshold is lowered (by powers of two) until the entries below it carry at most δ of the mass. The Newton
    /// iteration then contracts the marginal error by roughly δ per step.</summary>
    public double NewtonDroppedMass { get; init; } = 1e-3;

    /// <summary>Maximum conjugate-gradient iterations per Newton step.</summary>
    public int ConjugateGradientIterations { get; init; } = 200;

    /// <summary>Marginal penalty ρ &gt; 0 of unbalanced transport (KL weight); ρ → ∞ recovers balanced transport.</summary>
    public double MarginalPenalty { get; init; } = 1.0;

    /// <summary>Worker threads for the O(nm) sweeps; 0 (default) means one per core, 1 runs on the calling thread. Results are bit-identical for every value.</summary>
    public int Threads { get; init; }

    /// <summary>Cancels a long solve; the result then has status <see cref="SolveStatus.Cancelled"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The worker count in force: <see cref="Threads"/>, or the processor count when it is 0.</summary>
    internal int WorkerCount => Threads == 0 ? Environment.ProcessorCount : Threads;

    internal void Validate()
    {
        Guard.PositiveFinite(Epsilon, nameof(Epsilon));
        Guard.PositiveFinite(Tolerance, nameof(Tolerance));
        Guard.Positive(MaxIterations, nameof(MaxIterations));
        if (MaxPivots < 0) throw new ArgumentException($"MaxPivots must be non-negative, got {MaxPivots}.", nameof(MaxPivots));
        if (!(AbsorptionThreshold > 1) || double.IsInfinity(AbsorptionThreshold))
            throw new ArgumentException($"AbsorptionThreshold must be finite and > 1, got {AbsorptionThreshold}.", nameof(AbsorptionThreshold));
        if (!(EpsilonScalingFactor > 0 && EpsilonScalingFactor < 1))
            throw new ArgumentException($"EpsilonScalingFactor must lie in (0, 1), got {EpsilonScalingFactor}.", nameof(EpsilonScalingFactor));
        Guard.Positive(EpsilonScalingStageIterations, nameof(EpsilonScalingStageIterations));
        if (NewtonWarmupIterations < 0)
            throw new ArgumentException($"NewtonWarmupIterations must be non-negative, got {NewtonWarmupIterations}.", nameof(NewtonWarmupIterations));
        Guard.PositiveFinite(NewtonWarmupTolerance, nameof(NewtonWarmupTolerance));
        if (!(NewtonSparsity > 0 && NewtonSparsity <= 1))
            throw new ArgumentException($"NewtonSparsity must lie in (0, 1], got {NewtonSparsity}.", nameof(NewtonSparsity));
        if (!(NewtonDroppedMass > 0 && NewtonDroppedMass < 1))
            throw new ArgumentException($"NewtonDroppedMass must lie in (0, 1), got {NewtonDroppedMass}.", nameof(NewtonDroppedMass));
        Guard.Positive(ConjugateGradientIterations, nameof(ConjugateGradientIterations));
        Guard.PositiveFinite(MarginalPenalty, nameof(MarginalPenalty));
        if (Threads < 0) throw new ArgumentException($"Threads must be 0 (one per core) or positive, got {Threads}.", nameof(Threads));
    }
}

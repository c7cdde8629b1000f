namespace Drift.Transport;

/// <summary>The algorithm <c>OptimalTransport.Solve</c> runs.</summary>
public enum TransportMethod
{
    /// <summary>Sinkhorn matrix scaling on K = exp(−C/ε): u ← a ⊘ Kv, v ← b ⊘ Kᵀu. Fastest per iteration; underflows for small ε.</summary>
    Sinkhorn,

    /// <summary>Log-domain Sinkhorn on the potentials: f ← −ε log Σⱼ bⱼ exp((gⱼ − Cᵢⱼ)/ε), and symmetrically for g. Stable for any ε.</summary>
    SinkhornLog,

    /// <summary>Stabilised Sinkhorn (Schmitzer 2019): scaling iterations on exp((αᵢ + βⱼ − Cᵢⱼ)/ε) with the scalings absorbed into
    /// the potentials (α, β) whenever they leave [1/τ, τ].</summary>
    SinkhornStabilized,

    /// <summary>Log-domain Sinkhorn with ε-scaling: ε decreases geometrically from the cost range to the target, each stage warm-started.</summary>
    SinkhornEpsilonScaling,

    /// <summary>Sinkhorn–Newton–Sparse (Tang et al., ICLR 2024): Sinkhorn warm-up, then Newton steps on the concave dual with a
    /// sparsified Hessian, solved by conjugate gradient, with a backtracking line search.</summary>
    SinkhornNewtonSparse,

    /// <summary>Exact optimal transport (ε = 0) by the network simplex method with block-search pivoting.</summary>
    Exact,

    /// <summary>Linear assignment (shortest augmenting path, Jonker–Volgenant family) for n = m with uniform weights; the plan is a
    /// permutation matrix scaled by the common weight.</summary>
    Assignment,

    /// <summary>Exact transport between one-dimensional point clouds by the quantile (monotone) coupling, O((n + m) log(n + m));
    /// only through the point-cloud overload of <c>OptimalTransport.Solve</c>.</summary>
    OneDimensional,

    /// <summary>Unbalanced entropic transport with KL marginal penalties ρ·KL(P1 | a) + ρ·KL(Pᵀ1 | b) (Chizat et al. 2018).</summary>
    Unbalanced,
}

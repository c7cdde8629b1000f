namespace Drift.Brownian.Construction;

/// <summary>How standard normals z₀, z₁, … become a Brownian path on a grid (see <see cref="BrownianPathBuilder"/>).</summary>
public enum PathConstruction
{
    /// <summary>Forward increments: ΔW_k = √Δt_k · z_k. Every normal carries the same variance.</summary>
    Incremental,

    /// <summary>
    /// Brownian bridge (Lévy's construction; Moskowitz &amp; Caflisch 1996): z₀ fixes W(T), then each later normal fills the
    /// midpoint of an interval whose ends are known, coarse to fine, so the first normals carry most of the variance.
    /// </summary>
    BrownianBridge,

    /// <summary>
    /// Principal components (Acworth, Broadie &amp; Glasserman 1998): W = Σ_k √λ_k e_k z_k with (λ_k, e_k) the eigenpairs of
    /// the covariance min(t_i, t_j) in decreasing order, which maximises the variance carried by the first k normals.
    /// </summary>
    PrincipalComponents,
}

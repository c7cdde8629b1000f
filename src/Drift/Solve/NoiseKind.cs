namespace Drift.Solve;

/// <summary>The structure of the diffusion matrix g(t, x) ∈ ℝ^{d×m}, which decides the layout of g and the solvers that apply.</summary>
public enum NoiseKind
{
    /// <summary>One Brownian motion (m = 1) driving every component: g is a column, laid out as d rows.</summary>
    Scalar,
    /// <summary>m = d independent Brownian motions, component i driven by W_i alone: g is diag(g_1 … g_d), laid out as d rows. Milstein-type solvers further assume g_i depends on x_i only (commutative noise).</summary>
    Diagonal,
    /// <summary>g depends on t only: a general d × m matrix laid out row-major as d·m rows (element (i, j) in row i·m + j).</summary>
    Additive,
    /// <summary>A general d × m matrix depending on (t, x), laid out row-major as d·m rows (element (i, j) in row i·m + j).</summary>
    General,
}

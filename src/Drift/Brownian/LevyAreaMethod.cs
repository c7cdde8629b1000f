namespace Drift.Brownian;

/// <summary>How <see cref="LevyArea"/> approximates the space–space Lévy areas A_ij of an m-dimensional Brownian step.</summary>
public enum LevyAreaMethod
{
    /// <summary>
    /// The Fourier (Kloeden–Platen–Wright 1992, Milstein) series truncated after p terms, no tail: it misses the tail's
    /// variance, so its L² error is (h/2π)·√(2(1 + (ΔW_i² + ΔW_j²)/h)·ψ′(p + 1)) ≤ √3·h/(√2·π·√p) in mean — order ½ in p.
    /// </summary>
    Fourier,

    /// <summary>
    /// Mrongowius &amp; Rößler (2022): the Fourier series truncated after p terms plus a Gaussian tail with the tail's
    /// exact conditional covariance; MaxL² error bound √m·h/(√12·π·p) — order 1 in p.
    /// </summary>
    MrongowiusRossler,
}

namespace Drift.Models.Finance;

/// <summary>What a path pays at T, on the monitoring dates t_i = iT/n, i = 1..n.</summary>
public enum PathPayoff
{
    /// <summary>(S_T − K)⁺ or (K − S_T)⁺.</summary>
    European,

    /// <summary>On the arithmetic mean A = (1/n) Σ S_{t_i}; no closed form (<see cref="PathPricingOptions.ControlVariate"/> helps).</summary>
    ArithmeticAsian,

    /// <summary>On the geometric mean G = (Π S_{t_i})^{1/n}; priced exactly by <see cref="GeometricAsian"/>.</summary>
    GeometricAsian,
}

/// <summary>Where the normals of a path come from.</summary>
public enum SamplingMethod
{
    /// <summary>Pseudo-random Philox normals (plain Monte Carlo).</summary>
    MonteCarlo,

    /// <summary>Scrambled Sobol' points through Φ⁻¹ (randomised quasi-Monte Carlo).</summary>
    QuasiMonteCarlo,
}

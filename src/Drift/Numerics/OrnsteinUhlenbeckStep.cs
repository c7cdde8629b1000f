namespace Drift.Numerics;

/// <summary>
/// The exact flow of the Ornstein–Uhlenbeck momentum equation dp = −γp dt + √(2γM/β) dW over a time τ (the "O" step of
/// Langevin splittings): p(τ) = η p(0) + √V ξ with η = e^{−γτ}, V = M(1 − e^{−2γτ})/β and ξ ~ N(0, I). It leaves
/// N(0, M/β) invariant for every τ. Shared by the BAOAB integrator (Drift.Langevin) and the OBABO/GHMC Markov kernels
/// (Drift.Sampling), which must agree on it.
/// </summary>
/// <param name="Decay">η = e^{−γτ}.</param>
/// <param name="NoiseVariance">V = M(1 − η²)/β, computed as −M·expm1(−2γτ)/β (no cancellation for small γτ).</param>
public readonly record struct OrnsteinUhlenbeckStep(double Decay, double NoiseVariance)
{
    /// <summary>The coefficients for friction γ, duration τ, mass M and inverse temperature β (all assumed valid).</summary>
    public static OrnsteinUhlenbeckStep Of(double friction, double duration, double mass = 1, double inverseTemperature = 1)
        => new(Math.Exp(-friction * duration), mass * -ScalarMath.ExpM1(-2 * friction * duration) / inverseTemperature);

    /// <summary>√V, the standard deviation of the injected noise.</summary>
    public double NoiseScale => Math.Sqrt(NoiseVariance);
}

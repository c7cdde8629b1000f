namespace Drift.Generative.Training;

/// <summary>
/// The Brownian-bridge noise of SB-CFM (Tong et al. 2023, "Improving and generalizing flow-based generative models with
/// minibatch optimal transport", §3.4): on the straight path between a data row x₀ (t = 0) and its entropically coupled
/// noise row x₁ (t = 1), the Schrödinger bridge's conditional path and velocity are
/// x_t = (1 − t)x₀ + t x₁ + σ√(t(1 − t)) z and u_t = x₁ − x₀ + (1 − 2t)/(2t(1 − t))·(x_t − (1 − t)x₀ − t x₁),
/// i.e. u_t = x₁ − x₀ + σ(1 − 2t)/(2√(t(1 − t)))·z, the time derivative of the path at fixed (x₀, x₁, z). σ² = ε/2 for the
/// plan's entropic regularisation ε.
/// </summary>
public static class BrownianBridgeNoise
{
    /// <summary>Adds σ√(t(1 − t))z to the straight-path point <paramref name="xt"/> and σ(1 − 2t)/(2√(t(1 − t)))z to its velocity <paramref name="velocity"/>.</summary>
    /// <param name="t">Time in (0, 1); at t = 0 or 1 nothing is added (the bridge is pinned).</param>
    /// <param name="sigma">σ ≥ 0.</param>
    /// <param name="z">Standard normal row.</param>
    /// <param name="xt">The straight-path point (1 − t)x₀ + t x₁, updated.</param>
    /// <param name="velocity">The straight-path velocity x₁ − x₀, updated.</param>
    /// <exception cref="ArgumentException">σ negative or not finite, t outside [0, 1], or rows of different lengths.</exception>
    public static void Add(double t, double sigma, ReadOnlySpan<double> z, Span<double> xt, Span<double> velocity)
    {
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the bridge noise σ must be finite and ≥ 0.");
        if (!(t >= 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(t), t, "the bridge time must lie in [0, 1].");
        if (xt.Length != z.Length || velocity.Length != z.Length) throw new ArgumentException($"z, xt and velocity have {z.Length}, {xt.Length} and {velocity.Length} values.", nameof(z));
        if (sigma == 0 || t == 0 || t == 1) return;
        double root = Math.Sqrt(t * (1 - t)), spread = sigma * root, slope = sigma * (1 - 2 * t) / (2 * root);
        for (int j = 0; j < z.Length; j++)
        {
            xt[j] += spread * z[j];
            velocity[j] += slope * z[j];
        }
    }
}

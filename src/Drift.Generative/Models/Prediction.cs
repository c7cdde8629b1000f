namespace Drift.Generative.Models;

/// <summary>What a diffusion model outputs at (x_t, t), for x_t = α_t x₀ + σ_t ε.</summary>
public enum Prediction
{
    /// <summary>The noise ε̂ = E[ε | x_t].</summary>
    Noise,
    /// <summary>The clean data x̂₀ = E[x₀ | x_t] (the denoiser D).</summary>
    Data,
    /// <summary>v̂ = α_t ε̂ − σ_t x̂₀ (Salimans &amp; Ho 2022).</summary>
    V,
    /// <summary>The score ∇ log p_t(x_t) = −ε̂/σ_t.</summary>
    Score,
    /// <summary>The flow velocity û = α'_t x̂₀ + σ'_t ε̂ = E[dx_t/dt | x_t] (flow matching).</summary>
    Velocity,
}

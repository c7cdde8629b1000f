namespace Drift.Generative.Samplers;

/// <summary>The predictor of a <see cref="PredictorCorrectorSampler"/>.</summary>
public enum PredictorKind
{
    /// <summary>Reverse diffusion (Song et al. 2021): invert the exact forward transition x_i = a x_{i+1} + G z, a = α_i/α_{i+1}, G² = σ_i² − a²σ_{i+1}²: x ← (2 − a)x + G²s + Gz.</summary>
    ReverseDiffusion,
    /// <summary>Euler–Maruyama on the reverse SDE.</summary>
    EulerMaruyama,
}

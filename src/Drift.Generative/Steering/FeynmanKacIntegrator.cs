namespace Drift.Generative.Steering;

/// <summary>The step of the corrector SDE dx = [f x − ½(1 + η) g² S] dt + √η g dW̄ in a <see cref="FeynmanKacCorrector"/> run.</summary>
public enum FeynmanKacIntegrator
{
    /// <summary>Euler–Maruyama in t, drift and score at the left end of the step.</summary>
    EulerMaruyama,

    /// <summary>
    /// Exact solution in λ = log(α/σ) of the SDE with the models' denoised estimates frozen at the left end (an exponential
    /// integrator; DDPM's ancestral step when B = 1 and η = 1). Removes Euler–Maruyama's stiffness on the noisy half of the
    /// grid, where almost all of the bias of Ẑ comes from.
    /// </summary>
    Exponential,

    /// <summary>
    /// The exponential integrator with the denoised estimate D = Σ_i β_i x̂_{0,i} interpolated linearly in λ through the
    /// previous step's value instead of frozen (a two-step exponential multistep method, as DPM-Solver++(2M)-SDE and
    /// SA-Solver): second order in both the particle law and Ẑ on a Gaussian, still one model evaluation per step.
    /// </summary>
    ExponentialMultistep,
}

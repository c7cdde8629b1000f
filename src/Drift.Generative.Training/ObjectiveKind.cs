namespace Drift.Generative.Training;

/// <summary>The families of training objectives (see <see cref="DiffusionObjective"/>).</summary>
public enum ObjectiveKind
{
    /// <summary>Denoising score matching on a noise schedule, in any parameterisation (Vincent 2011; Ho et al. 2020; Song et al. 2021).</summary>
    ScoreMatching,
    /// <summary>EDM (Karras et al. 2022): preconditioned denoiser, log-normal σ, λ(σ) weighting.</summary>
    Edm,
    /// <summary>Flow matching / rectified flow: the linear path x_t = (1 − t)x₀ + t·x₁ and the velocity target x₁ − x₀ (Lipman et al. 2022; Liu et al. 2022).</summary>
    FlowMatching,
    /// <summary>A stochastic interpolant x_t = α(t)x₀ + β(t)x₁ + γ(t)z (Albergo, Boffi &amp; Vanden-Eijnden 2023).</summary>
    Interpolant,
}

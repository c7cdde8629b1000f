namespace Drift.Generative.Steering;

/// <summary>
/// The intermediate Feynman–Kac potentials of FK steering (Singhal et al. 2025, arXiv:2501.06848), with
/// r_k = r(x̂₀(x_k, t_k)) the reward of the denoised estimate at step k (k = 0 the noisiest):
/// difference G_k = exp(λ(r_k − r_{k−1})) (r_{−1} = 0), max G_k = exp(λ·max_{j≤k} r_j),
/// sum G_k = exp(λ·Σ_{j≤k} r_j). Whatever the form, the final potential is
/// exp(λ r(x₀)) / Π_k G_k along the particle's ancestry, so the product of all potentials is exactly
/// exp(λ r(x₀)) and the weighted system targets p(x₀)·exp(λ r(x₀))/Z.
/// </summary>
public enum SteeringPotential
{
    /// <summary>G_k = exp(λ(r_k − r_{k−1})); the product telescopes to exp(λ r_final) by itself.</summary>
    Difference,
    /// <summary>G_k = exp(λ max_{j≤k} r_j): favours paths that ever reached high reward.</summary>
    Max,
    /// <summary>G_k = exp(λ Σ_{j≤k} r_j): favours paths with high accumulated reward.</summary>
    Sum,
}

namespace Drift.Generative.Training;

/// <summary>
/// How the per-time squared error is weighted. Every parameterisation's squared error is a multiple
/// k_P(t) of the data error ‖x̂₀ − x₀‖²: k_x₀ = 1, k_ε = SNR = α²/σ², k_v = (α² + σ²)²/σ², k_score = α²/σ⁴,
/// k_u = (ασ' − σα')²/σ² (velocity). A weighting fixes the data-error weight w₀(t) and the loss on the
/// chosen prediction is weighted by w₀/k_P.
/// </summary>
public enum LossWeighting
{
    /// <summary>Plain MSE on the chosen prediction (weight 1), the "simple" loss of Ho et al. 2020.</summary>
    Simple,
    /// <summary>w₀ = SNR(t): ε-MSE for every parameterisation (equal to <see cref="Simple"/> for ε-prediction).</summary>
    Snr,
    /// <summary>w₀ = min(SNR(t), γ) (Hang et al. 2023, "Efficient diffusion training via min-SNR weighting", γ = 5 default).</summary>
    MinSnr,
    /// <summary>
    /// The likelihood weighting of Song et al. 2021 ("Maximum likelihood training of score-based diffusion models"):
    /// λ(t) = g²(t) on the score error, i.e. w₀ = g²α²/σ⁴ (g²/σ² on the ε error), with which the loss bounds the negative
    /// log-likelihood; it varies over orders of magnitude in t, so pair it with <see cref="TimeSampling.Importance"/>.
    /// </summary>
    Likelihood,
}

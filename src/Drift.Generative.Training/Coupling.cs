namespace Drift.Generative.Training;

/// <summary>How the noise rows of a batch are paired with its data rows before noising.</summary>
public enum Coupling
{
    /// <summary>Independent pairs (the noise row drawn for the data row).</summary>
    Independent,
    /// <summary>
    /// Minibatch exact optimal transport (OT-CFM, Tong et al. 2023; Pooladian et al. 2023): the permutation σ minimising
    /// Σᵢ ‖x₀ᵢ − εσ₍ᵢ₎‖² (exact W₂ between the two uniform batches, by linear assignment).
    /// </summary>
    ExactOt,
    /// <summary>
    /// Entropic OT (the coupling of SB-CFM, Tong et al. 2023): the Sinkhorn plan π of the squared-distance cost (divided by
    /// its maximum) at regularisation ε; data row i takes noise column j with probability π_ij/Σ_j π_ij.
    /// </summary>
    Entropic,
    /// <summary>
    /// Immiscible diffusion (Li et al. 2024): each noise row is assigned to a data row by a batch linear assignment on the
    /// Euclidean distance ‖x₀ᵢ − εⱼ‖ (not squared, as the paper's <c>linear_sum_assignment(cdist(x, ε))</c>).
    /// </summary>
    Immiscible,
}

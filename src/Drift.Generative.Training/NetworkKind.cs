namespace Drift.Generative.Training;

/// <summary>The network families: MLPs for point data, a U-Net for images (rows that are flattened C·H·W images).</summary>
public enum NetworkKind
{
    /// <summary>An MLP on [x, sinusoidal(τ), label embedding] (see <see cref="DiffusionNetwork{T}"/>).</summary>
    Mlp,
    /// <summary>Drift.Learning's <c>ConditionalResidualMlp</c>: FiLM residual blocks conditioned on τ and the label.</summary>
    ResidualMlp,
    /// <summary>Drift.Learning's <c>UNet</c> on rows read as images of <see cref="NetworkSpec.Image"/> (width = base channels, depth = levels).</summary>
    Unet,
}

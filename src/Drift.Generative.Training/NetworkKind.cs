namespace Drift.Generative.Training;

/// <summary>The network families for point data.</summary>
public enum NetworkKind
{
    /// <summary>An MLP on [x, sinusoidal(τ), label embedding] (see <see cref="DiffusionNetwork{T}"/>).</summary>
    Mlp,
    /// <summary>Drift.Learning's <c>ConditionalResidualMlp</c>: FiLM residual blocks conditioned on τ and the label.</summary>
    ResidualMlp,
}

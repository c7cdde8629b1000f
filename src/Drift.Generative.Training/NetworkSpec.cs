namespace Drift.Generative.Training;

/// <summary>The shape of a <see cref="DiffusionNetwork{T}"/>: enough to rebuild it from a checkpoint.</summary>
/// <param name="Kind">MLP or residual MLP.</param>
/// <param name="Dimension">Data dimension d (inputs and outputs).</param>
/// <param name="Width">Hidden width.</param>
/// <param name="Depth">Hidden layers (MLP) or residual blocks (residual MLP).</param>
/// <param name="Classes">Label classes (0: unconditional). A conditional network has an extra null label for guidance.</param>
public sealed record NetworkSpec(NetworkKind Kind, int Dimension, int Width = 128, int Depth = 3, int Classes = 0)
{
    /// <summary>Throws unless every size is sensible.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown network kind.");
        if (Dimension < 1) throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "the data dimension must be positive.");
        if (Width < 2 || Width > 65536) throw new ArgumentOutOfRangeException(nameof(Width), Width, "the width must lie in [2, 65536].");
        if (Depth < 1 || Depth > 256) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "the depth must lie in [1, 256].");
        if (Classes < 0) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "classes must be ≥ 0.");
    }
}

namespace Drift.Generative.Training;

/// <summary>The shape of a <see cref="DiffusionNetwork{T}"/>: enough to rebuild it from a checkpoint.</summary>
/// <param name="Kind">MLP, residual MLP or U-Net.</param>
/// <param name="Dimension">Data dimension d (inputs and outputs); C·H·W for a U-Net.</param>
/// <param name="Width">Hidden width (U-Net: channels of the first level).</param>
/// <param name="Depth">Hidden layers (MLP), residual blocks (residual MLP) or levels (U-Net).</param>
/// <param name="Classes">Label classes (0: unconditional). A conditional network has an extra null label for guidance.</param>
public sealed record NetworkSpec(NetworkKind Kind, int Dimension, int Width = 128, int Depth = 3, int Classes = 0)
{
    /// <summary>U-Net only: the image layout of a row (its size must be <see cref="Dimension"/>).</summary>
    public ImageShape? Image { get; init; }
    /// <summary>U-Net only: GroupNorm groups (must divide <see cref="Width"/>; default 4).</summary>
    public int Groups { get; init; } = 4;
    /// <summary>U-Net only: attention heads at the lowest resolution (default 1).</summary>
    public int Heads { get; init; } = 1;
    /// <summary>U-Net only: whether the lowest resolution has a self-attention block (default true).</summary>
    public bool Attention { get; init; } = true;

    /// <summary>Throws unless every size is sensible.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown network kind.");
        if (Dimension < 1) throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "the data dimension must be positive.");
        if (Width < 2 || Width > 65536) throw new ArgumentOutOfRangeException(nameof(Width), Width, "the width must lie in [2, 65536].");
        if (Depth < 1 || Depth > 256) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "the depth must lie in [1, 256].");
        if (Classes < 0) throw new ArgumentOutOfRangeException(nameof(Classes), Classes, "classes must be ≥ 0.");
        if (Kind == NetworkKind.Unet) ValidateUnet();
    }

    void ValidateUnet()
    {
        if (Image is null) throw new ArgumentOutOfRangeException(nameof(Image), Image, "a U-Net needs the image shape of the rows.");
        if (Image.Size != Dimension) throw new ArgumentOutOfRangeException(nameof(Image), Image, $"the image size {Image.Size} differs from the dimension {Dimension}.");
        if (Depth > 8) throw new ArgumentOutOfRangeException(nameof(Depth), Depth, "a U-Net has at most 8 levels.");
        int scale = 1 << (Depth - 1);
        if (Image.Height % scale != 0 || Image.Width % scale != 0)
            throw new ArgumentOutOfRangeException(nameof(Depth), Depth, $"{Depth} levels halve the image {Depth - 1} times: {Image.Height}×{Image.Width} is not divisible by {scale}.");
        if (Groups < 1 || Width % 2 != 0 || Width % Groups != 0)
            throw new ArgumentOutOfRangeException(nameof(Groups), Groups, $"the U-Net width {Width} must be even and a multiple of the groups.");
        if (Attention && (Heads < 1 || (Width << (Depth - 1)) % Heads != 0))
            throw new ArgumentOutOfRangeException(nameof(Heads), Heads, $"the heads must divide the {Width << (Depth - 1)} channels of the lowest level.");
    }
}

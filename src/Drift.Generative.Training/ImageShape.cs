using System.Globalization;

namespace Drift.Generative.Training;

/// <summary>
/// The shape of image data stored as flat rows: a row of length C·H·W holds channel c, pixel row i, column j at
/// index (c·H + i)·W + j (channel-major, then row-major, as PyTorch's <c>[C, H, W]</c> flattened). Written in a model's
/// checkpoint under the metadata key <see cref="MetadataKey"/> as "CxHxW" (e.g. "1x8x8"), so that image-aware code —
/// image-grid plots, convolutional networks — can recover the layout from the file alone.
/// </summary>
/// <param name="Channels">C ≥ 1.</param>
/// <param name="Height">H ≥ 1 (pixel rows).</param>
/// <param name="Width">W ≥ 1 (pixel columns).</param>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    /// <summary>The safetensors metadata key: "drift.image_shape".</summary>
    public const string MetadataKey = "drift.image_shape";

    /// <summary>C·H·W, the length of a row.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>"CxHxW".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}x{Height}x{Width}");

    /// <summary>Parses "CxHxW" (three positive integers).</summary>
    /// <exception cref="FormatException">Not three positive integers separated by 'x' (the text is named).</exception>
    public static ImageShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('x');
        var v = new int[3];
        if (parts.Length != 3 || !parts.Select((p, k) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out v[k]) && v[k] > 0).All(ok => ok))
            throw new FormatException($"image shape '{text}' is not CxHxW with three positive integers (e.g. 1x8x8).");
        return new ImageShape(v[0], v[1], v[2]);
    }

    /// <summary>The shape recorded in checkpoint metadata, or null when there is none.</summary>
    /// <exception cref="InvalidDataException">The key is present but malformed (naming <paramref name="source"/>).</exception>
    public static ImageShape? FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(MetadataKey, out var text)) return null;
        try
        {
            return Parse(text);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{source}: metadata '{MetadataKey}': {e.Message}", e);
        }
    }
}

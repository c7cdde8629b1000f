using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A small U-Net f(x, t, label) for NCHW images, after the DDPM network of Ho et al. (2020): levels ℓ = 0 … L−1 at
/// resolutions H/2^ℓ × W/2^ℓ with c_ℓ = width·2^ℓ channels.
/// <list type="bullet">
/// <item>Conditioning: c = SiLU(MLP(E(t)) + L(label)), E the sinusoidal embedding of dimension width, the MLP
/// width → 4·width → 4·width (SiLU), L a label embedding of 4·width with a null label (conditional networks only).</item>
/// <item>Down path: a 3×3 input convolution to c₀; at each level a <see cref="ConvResidualBlock{T}"/> to c_ℓ whose output
/// is kept as the skip s_ℓ, then (except at the lowest level) a 3×3 convolution of stride 2 halving the resolution.</item>
/// <item>Middle, at the lowest resolution: residual block, self-attention block h + MHSA(GN(h))
/// (<see cref="MultiHeadSelfAttention{T}"/>, when asked), residual block.</item>
/// <item>Up path, ℓ = L−1 … 0: a residual block on [h, s_ℓ] (channels joined) to c_ℓ, then (ℓ &gt; 0) nearest ×2
/// up-sampling and a 3×3 convolution.</item>
/// <item>Output: GroupNorm, SiLU and a 3×3 convolution back to the image channels.</item>
/// </list>
/// Every conditioned block adds its own projection of c, so time and label reach every resolution.
/// </summary>
public sealed class UNet<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly SinusoidalEmbedding<T> time;
    readonly Mlp<T> timeMlp;
    readonly LabelEmbedding<T>? labels;
    readonly Conv2d<T> input, output;
    readonly ConvResidualBlock<T>[] down, up;
    readonly Conv2d<T>[] downsample, upsample;
    readonly ConvResidualBlock<T> middle1, middle2;
    readonly GroupNorm<T>? attentionNorm;
    readonly MultiHeadSelfAttention<T>? attention;
    readonly GroupNorm<T> outputNorm;

    /// <summary>Creates the network.</summary>
    /// <param name="channels">Image channels C (inputs and outputs).</param>
    /// <param name="height">Image height H (divisible by 2^(levels−1)).</param>
    /// <param name="imageWidth">Image width W (divisible by 2^(levels−1)).</param>
    /// <param name="width">Channels c₀ of the first level (even, divisible by <paramref name="groups"/>).</param>
    /// <param name="levels">Resolutions L ≥ 1.</param>
    /// <param name="groups">GroupNorm groups.</param>
    /// <param name="heads">Attention heads (must divide the lowest level's channels).</param>
    /// <param name="attention">Whether the middle has a self-attention block.</param>
    /// <param name="random">Initial values.</param>
    /// <param name="classes">Label classes (0: unconditional); a null label is added for guidance.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is out of range or does not divide as required.</exception>
    public UNet(int channels, int height, int imageWidth, int width, int levels, int groups, int heads, bool attention,
        ParameterRandom random, int classes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        ArgumentNullException.ThrowIfNull(random);
        if (levels < 1 || levels > 8) throw new ArgumentOutOfRangeException(nameof(levels), levels, "the levels must lie in [1, 8].");
        int scale = 1 << (levels - 1);
        if (height < 1 || height % scale != 0) throw new ArgumentOutOfRangeException(nameof(height), height, $"the height must be a positive multiple of 2^(levels−1) = {scale}.");
        if (imageWidth < 1 || imageWidth % scale != 0) throw new ArgumentOutOfRangeException(nameof(imageWidth), imageWidth, $"the width must be a positive multiple of 2^(levels−1) = {scale}.");
        if (width < 2 || width % 2 != 0 || width % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"the base width must be even and a multiple of the {groups} groups.");
        int lowest = width << (levels - 1);
        if (attention && lowest % heads != 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"the heads must divide the {lowest} channels of the lowest level.");
        Channels = channels;
        Height = height;
        ImageWidth = imageWidth;
        Levels = levels;
        int embed = 4 * width;
        time = Child("time", new SinusoidalEmbedding<T>(width));
        timeMlp = Child("time_mlp", new Mlp<T>([width, embed, embed], Activation.Silu, random));
        if (classes > 0) labels = Child("labels", new LabelEmbedding<T>(classes, embed, random, nullLabel: true));
        input = Child("input", new Conv2d<T>(channels, width, 3, random, padding: 1));
        down = new ConvResidualBlock<T>[levels];
        downsample = new Conv2d<T>[levels - 1];
        int current = width;
        for (int l = 0; l < levels; l++)
        {
            int c = width << l;
            down[l] = Child($"down.{l}", new ConvResidualBlock<T>(current, c, embed, groups, random));
            current = c;
            if (l < levels - 1) downsample[l] = Child($"downsample.{l}", new Conv2d<T>(c, c, 3, random, stride: 2, padding: 1));
        }
        middle1 = Child("middle1", new ConvResidualBlock<T>(lowest, lowest, embed, groups, random));
        if (attention)
        {
            attentionNorm = Child("attention_norm", new GroupNorm<T>(groups, lowest));
            this.attention = Child("attention", new MultiHeadSelfAttention<T>(lowest, heads, random));
        }
        middle2 = Child("middle2", new ConvResidualBlock<T>(lowest, lowest, embed, groups, random));
        up = new ConvResidualBlock<T>[levels];
        upsample = new Conv2d<T>[levels];
        for (int l = levels - 1; l >= 0; l--)
        {
            int c = width << l;
            up[l] = Child($"up.{l}", new ConvResidualBlock<T>(current + c, c, embed, groups, random));
            current = c;
            if (l > 0) upsample[l] = Child($"upsample.{l}", new Conv2d<T>(c, c, 3, random, padding: 1));
        }
        outputNorm = Child("output_norm", new GroupNorm<T>(groups, width));
        output = Child("output", new Conv2d<T>(width, channels, 3, random, padding: 1));
    }

    /// <summary>Image channels C.</summary>
    public int Channels { get; }
    /// <summary>Image height H.</summary>
    public int Height { get; }
    /// <summary>Image width W.</summary>
    public int ImageWidth { get; }
    /// <summary>Resolutions L.</summary>
    public int Levels { get; }
    /// <summary>The label index meaning "no label" (for classifier-free guidance), or −1 when unconditional.</summary>
    public int NullLabel => labels?.NullLabel ?? -1;

    /// <summary>f(x, t, labels) for images x [N, C, H, W], times t [N] and, when the network has classes, N labels.</summary>
    /// <exception cref="ArgumentException">When the shapes or the label count do not fit.</exception>
    public Tensor<T> Forward(Tensor<T> x, Tensor<T> t, ReadOnlySpan<int> classLabels = default)
    {
        if (x.Rank != 4 || x.Shape[1] != Channels || x.Shape[2] != Height || x.Shape[3] != ImageWidth)
            throw new ArgumentException($"The U-Net takes images [N, {Channels}, {Height}, {ImageWidth}], not {ShapeRules.Format(x.Shape)}.", nameof(x));
        if (t.Rank != 1 || t.Length != x.Shape[0])
            throw new ArgumentException($"The U-Net needs one time per image: shape [{x.Shape[0]}], not {ShapeRules.Format(t.Shape)}.", nameof(t));
        var c = timeMlp.Forward(time.Forward(t));
        if (labels is not null) c = labels.AddTo(c, classLabels);
        c = Ops.Silu(c);
        var h = input.Forward(x);
        var skips = new Tensor<T>[Levels];
        for (int l = 0; l < Levels; l++)
        {
            h = skips[l] = down[l].Forward(h, c);
            if (l < Levels - 1) h = downsample[l].Forward(h);
        }
        h = middle1.Forward(h, c);
        if (attention is not null) h = Ops.Add(h, attention.Forward(attentionNorm!.Forward(h)));
        h = middle2.Forward(h, c);
        for (int l = Levels - 1; l >= 0; l--)
        {
            h = up[l].Forward(Ops.Concat([h, skips[l]], 1), c);
            if (l > 0) h = upsample[l].Forward(Ops.UpsampleNearest2x(h));
        }
        return output.Forward(Ops.Silu(outputNorm.Forward(h)));
    }
}

using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Generative.Training;

/// <summary>
/// A network F(x, τ, label) ↦ ℝ^d for point data, built from Drift.Learning layers:
/// <list type="bullet">
/// <item><see cref="NetworkKind.Mlp"/>: h = [x, E(τ), L(label)] with E a 32-wide sinusoidal embedding and L a 16-wide
/// label embedding (conditional networks only), then an MLP d+32(+16) → width (×depth, SiLU) → d. Parameters
/// "net.time…", "net.labels.weight", "net.layers.k.weight/bias".</item>
/// <item><see cref="NetworkKind.ResidualMlp"/>: <c>ConditionalResidualMlp</c> (sinusoidal time embedding and MLP, label
/// embedding, depth FiLM residual blocks, final LayerNorm); parameters "net.…".</item>
/// <item><see cref="NetworkKind.Unet"/>: each row is read as a C×H×W image (<see cref="NetworkSpec.Image"/>) and passed
/// through Drift.Learning's <c>UNet</c> (base width = <see cref="NetworkSpec.Width"/>, levels = <see cref="NetworkSpec.Depth"/>,
/// τ through its sinusoidal time embedding, the label added per block); its output image is flattened back to a row,
/// so every objective and sampler runs on it unchanged. Parameters "net.…".</item>
/// </list>
/// A conditional network has a null label (index = classes) for classifier-free guidance; label dropout during training
/// replaces labels by it.
/// </summary>
public sealed class DiffusionNetwork<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    const int TimeFeatures = 32, LabelFeatures = 16;
    readonly ConditionalResidualMlp<T>? residual;
    readonly PlainNet? plain;
    readonly UNet<T>? unet;

    /// <summary>Builds the network with weights drawn from <paramref name="seed"/> (Philox streams, as Drift.Learning initialises).</summary>
    public DiffusionNetwork(NetworkSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var random = new ParameterRandom(seed);
        if (spec.Kind == NetworkKind.Unet)
            unet = Child("net", new UNet<T>(spec.Image!.Channels, spec.Image.Height, spec.Image.Width, spec.Width, spec.Depth, spec.Groups,
                spec.Heads, spec.Attention, random, spec.Classes));
        else if (spec.Kind == NetworkKind.ResidualMlp)
            residual = Child("net", new ConditionalResidualMlp<T>(spec.Dimension, spec.Width, spec.Depth, random, spec.Classes));
        else
            plain = Child("net", new PlainNet(spec, random));
    }

    /// <summary>The shape.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>The null label (classifier-free guidance), or −1 for an unconditional network.</summary>
    public int NullLabel => Spec.Classes > 0 ? Spec.Classes : -1;

    /// <summary>F for rows x [n, d], network times τ [n] and, for a conditional network, n labels in [0, classes] (classes = null).</summary>
    public Tensor<T> Forward(Tensor<T> x, Tensor<T> tau, ReadOnlySpan<int> labels)
    {
        if (unet is null) return residual is not null ? residual.Forward(x, tau, labels) : plain!.Forward(x, tau, labels);
        var image = Spec.Image!;
        if (x.Rank != 2 || x.Shape[1] != Spec.Dimension)
            throw new ArgumentException($"The U-Net takes rows of {Spec.Dimension} = {image} values, not shape [{string.Join(", ", x.Shape.ToArray())}].", nameof(x));
        int n = x.Shape[0];
        var y = unet.Forward(Ops.Reshape(x, [n, image.Channels, image.Height, image.Width]), tau, Spec.Classes > 0 ? labels : default);
        return Ops.Reshape(y, [n, Spec.Dimension]);
    }

    sealed class PlainNet : Module<T>
    {
        readonly SinusoidalEmbedding<T> time;
        readonly LabelEmbedding<T>? labels;
        readonly Mlp<T> mlp;

        public PlainNet(NetworkSpec spec, ParameterRandom random)
        {
            time = Child("time", new SinusoidalEmbedding<T>(TimeFeatures));
            if (spec.Classes > 0) labels = Child("labels", new LabelEmbedding<T>(spec.Classes, LabelFeatures, random, nullLabel: true));
            var widths = new List<int> { spec.Dimension + TimeFeatures + (spec.Classes > 0 ? LabelFeatures : 0) };
            for (int k = 0; k < spec.Depth; k++) widths.Add(spec.Width);
            widths.Add(spec.Dimension);
            mlp = Child("mlp", new Mlp<T>(widths, Activation.Silu, random));
        }

        public Tensor<T> Forward(Tensor<T> x, Tensor<T> tau, ReadOnlySpan<int> classLabels)
        {
            var parts = new List<Tensor<T>>(3) { x, time.Forward(tau) };
            if (labels is not null)
            {
                if (classLabels.Length != x.Shape[0])
                    throw new ArgumentException($"The network is class-conditional: {x.Shape[0]} labels are needed, got {classLabels.Length}.", nameof(classLabels));
                parts.Add(labels.Forward(classLabels));
            }
            return mlp.Forward(Ops.Concat(parts, 1));
        }
    }
}

using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A network f(x, t, label) for scores, denoisers and velocity fields on vectors: the time goes
/// through a sinusoidal (or Gaussian-Fourier) embedding and a two-layer MLP, an optional label
/// embedding is added, and the sum conditions a stack of FiLM residual blocks between an input and
/// an output Linear layer: out = W_out·LayerNorm(blocks(W_in·x; c)).
/// </summary>
public sealed class ConditionalResidualMlp<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Module<T> timeEmbedding;
    readonly Mlp<T> timeMlp;
    readonly LabelEmbedding<T>? labels;
    readonly Linear<T> input, output;
    readonly ResidualBlock<T>[] blocks;
    readonly LayerNorm<T> finalNorm;

    /// <summary>Creates the network.</summary>
    /// <param name="dimension">Features of x (and of the output).</param>
    /// <param name="width">Width of the residual stream.</param>
    /// <param name="depth">Number of residual blocks.</param>
    /// <param name="random">Initial values.</param>
    /// <param name="classes">Label classes (0 for unconditional); a null label is added for guidance.</param>
    /// <param name="activation">Hidden activation.</param>
    /// <param name="fourierTime">Use Gaussian-Fourier time features instead of sinusoidal ones.</param>
    public ConditionalResidualMlp(int dimension, int width, int depth, ParameterRandom random, int classes = 0,
        Activation activation = Activation.Silu, bool fourierTime = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfNegative(classes);
        Dimension = dimension;
        int embed = width % 2 == 0 ? width : width + 1;
        timeEmbedding = fourierTime ? Child("time", new GaussianFourierEmbedding<T>(embed, random)) : Child("time", new SinusoidalEmbedding<T>(embed));
        timeMlp = Child("time_mlp", new Mlp<T>([embed, width, width], activation, random));
        if (classes > 0) labels = Child("labels", new LabelEmbedding<T>(classes, width, random, nullLabel: true));
        input = Child("input", new Linear<T>(dimension, width, random));
        blocks = new ResidualBlock<T>[depth];
        for (int k = 0; k < depth; k++)
            blocks[k] = Child($"blocks.{k}", new ResidualBlock<T>(width, 2 * width, activation, random, conditionWidth: width));
        finalNorm = Child("norm", new LayerNorm<T>(width));
        output = Child("output", new Linear<T>(width, dimension, random));
    }

    /// <summary>Features of x.</summary>
    public int Dimension { get; }

    /// <summary>The label index meaning "no label" (for classifier-free guidance), or −1 when unconditional.</summary>
    public int NullLabel => labels?.NullLabel ?? -1;

    /// <summary>f(x, t, labels) for x [n, dimension], t [n] and, when the network has classes, n labels.</summary>
    public Tensor<T> Forward(Tensor<T> x, Tensor<T> t, ReadOnlySpan<int> classLabels = default)
    {
        var e = timeEmbedding is SinusoidalEmbedding<T> s ? s.Forward(t) : ((GaussianFourierEmbedding<T>)timeEmbedding).Forward(t);
        var c = timeMlp.Forward(e);
        if (labels is not null) c = labels.AddTo(c, classLabels);
        c = Ops.Silu(c);
        var h = input.Forward(x);
        foreach (var block in blocks) h = block.Forward(h, c);
        return output.Forward(finalNorm.Forward(h));
    }
}

using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// Group normalisation of NCHW images (Wu &amp; He 2018; PyTorch's <c>nn.GroupNorm</c>): the C channels are cut into G
/// consecutive groups, and for each image n and group g with μ, σ² the mean and biased variance of its (C/G)·H·W values,
/// y[n, c, i, j] = (x[n, c, i, j] − μ)/√(σ² + ε)·γ[c] + β[c], with γ ("weight", ones) and β ("bias", zeros) learnable.
/// </summary>
/// <remarks>Computed by one fused kernel with a hand-derived backward (statistics and sums in double); the composite of
/// generic operations it replaced is kept as its test oracle.</remarks>
public sealed class GroupNorm<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a group norm of <paramref name="channels"/> channels in <paramref name="groups"/> groups.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive, the groups do not divide the channels, or ε ≤ 0.</exception>
    public GroupNorm(int groups, int channels, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (channels % groups != 0) throw new ArgumentOutOfRangeException(nameof(groups), groups, $"the groups must divide the {channels} channels.");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        Groups = groups;
        Channels = channels;
        Epsilon = epsilon;
        Gain = Parameter("weight", Tensor<T>.Wrap(Enumerable.Repeat(T.One, channels).ToArray(), channels));
        Shift = Parameter("bias", Tensor<T>.Wrap(new T[channels], channels));
    }

    /// <summary>Groups G.</summary>
    public int Groups { get; }
    /// <summary>Channels C.</summary>
    public int Channels { get; }
    /// <summary>ε added to the variance.</summary>
    public double Epsilon { get; }
    /// <summary>γ, shape [C], named "weight".</summary>
    public Tensor<T> Gain { get; }
    /// <summary>β, shape [C], named "bias".</summary>
    public Tensor<T> Shift { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">When x is not [N, C, H, W] with this layer's C.</exception>
    public Tensor<T> Forward(Tensor<T> x)
    {
        if (x.Rank != 4 || x.Shape[1] != Channels)
            throw new ArgumentException($"GroupNorm({Groups}, {Channels}) cannot normalise shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        return Ops.GroupNorm(x, Groups, Gain, Shift, Epsilon);
    }

    /// <summary>The same normalisation as a chain of generic operations (the oracle of the fused <see cref="Ops.GroupNorm"/>).</summary>
    internal Tensor<T> ForwardComposite(Tensor<T> x)
    {
        int n = x.Shape[0], h = x.Shape[2], w = x.Shape[3];
        var grouped = Ops.Reshape(x, [n, Groups, Channels / Groups * h * w]);
        var normalised = Ops.Reshape(Standardisation.OverLastAxis(grouped, Epsilon), [n, Channels, h * w]);
        var y = Ops.Add(Ops.Multiply(normalised, Ops.Reshape(Gain, [Channels, 1])), Ops.Reshape(Shift, [Channels, 1]));
        return Ops.Reshape(y, [n, Channels, h, w]);
    }
}

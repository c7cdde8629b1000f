using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// The residual block of the DDPM U-Net (Ho et al. 2020) on NCHW feature maps, conditioned on a vector c:
/// h = Conv₁(SiLU(GN₁(x))) + (W_c·c + b_c) broadcast over the pixels, out = S(x) + Conv₂(SiLU(GN₂(h))), with 3×3
/// convolutions (padding 1), group norms of <c>groups</c> groups, and S a 1×1 convolution when the channel count
/// changes (else the identity). Parameters "norm1", "conv1", "condition", "norm2", "conv2" and "skip".
/// </summary>
public sealed class ConvResidualBlock<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly GroupNorm<T> norm1, norm2;
    readonly Conv2d<T> conv1, conv2;
    readonly Conv2d<T>? skip;
    readonly Linear<T> condition;

    /// <summary>Creates a block from <paramref name="inputs"/> to <paramref name="outputs"/> channels conditioned on vectors of <paramref name="conditionWidth"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive or the groups divide neither channel count.</exception>
    public ConvResidualBlock(int inputs, int outputs, int conditionWidth, int groups, ParameterRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Inputs = inputs;
        Outputs = outputs;
        norm1 = Child("norm1", new GroupNorm<T>(groups, inputs));
        conv1 = Child("conv1", new Conv2d<T>(inputs, outputs, 3, random, padding: 1));
        condition = Child("condition", new Linear<T>(conditionWidth, outputs, random));
        norm2 = Child("norm2", new GroupNorm<T>(groups, outputs));
        conv2 = Child("conv2", new Conv2d<T>(outputs, outputs, 3, random, padding: 1));
        if (inputs != outputs) skip = Child("skip", new Conv2d<T>(inputs, outputs, 1, random));
    }

    /// <summary>Input channels.</summary>
    public int Inputs { get; }
    /// <summary>Output channels.</summary>
    public int Outputs { get; }

    /// <summary>The block applied to x [N, inputs, H, W] with conditioning c [N, conditionWidth] (c already passed through its activation).</summary>
    public Tensor<T> Forward(Tensor<T> x, Tensor<T> c)
    {
        var h = conv1.Forward(Ops.Silu(norm1.Forward(x)));
        h = Ops.Add(h, Ops.Reshape(condition.Forward(c), [x.Shape[0], Outputs, 1, 1]));
        h = conv2.Forward(Ops.Silu(norm2.Forward(h)));
        return Ops.Add(skip is null ? x : skip.Forward(x), h);
    }
}

using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>The element-wise non-linearities a network can use between layers.</summary>
public enum Activation
{
    /// <summary>x·σ(x).</summary>
    Silu,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>tanh x.</summary>
    Tanh,
    /// <summary>x·Φ(x) (exact).</summary>
    Gelu,
    /// <summary>ln(1 + eˣ).</summary>
    Softplus,
    /// <summary>σ(x).</summary>
    Sigmoid,
    /// <summary>x.</summary>
    Identity,
}

/// <summary>Applies an <see cref="Activation"/>.</summary>
public static class Activations
{
    /// <summary>The activation applied element-wise to x.</summary>
    public static Tensor<T> Apply<T>(this Activation activation, Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T> => activation switch
    {
        Activation.Silu => Ops.Silu(x),
        Activation.Relu => Ops.Relu(x),
        Activation.Tanh => Ops.Tanh(x),
        Activation.Gelu => Ops.Gelu(x),
        Activation.Softplus => Ops.Softplus(x),
        Activation.Sigmoid => Ops.Sigmoid(x),
        Activation.Identity => x,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}

using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// Layer normalisation over the last axis: y = (x − μ)/√(σ² + ε)·γ + β with μ, σ² the mean and
/// biased variance of each row, γ (ones) and β (zeros) learnable, as PyTorch's <c>nn.LayerNorm</c>.
/// </summary>
public sealed class LayerNorm<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a layer norm over rows of <paramref name="width"/> features.</summary>
    public LayerNorm(int width, double epsilon = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        Width = width;
        Epsilon = epsilon;
        Gain = Parameter("weight", Tensor<T>.Wrap(Enumerable.Repeat(T.One, width).ToArray(), width));
        Shift = Parameter("bias", Tensor<T>.Wrap(new T[width], width));
    }

    /// <summary>Features per row.</summary>
    public int Width { get; }
    /// <summary>ε added to the variance.</summary>
    public double Epsilon { get; }
    /// <summary>γ, named "weight".</summary>
    public Tensor<T> Gain { get; }
    /// <summary>β, named "bias".</summary>
    public Tensor<T> Shift { get; }

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> x)
    {
        if (x.Rank < 1 || x.Shape[^1] != Width)
            throw new ArgumentException($"LayerNorm({Width}) cannot normalise shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        return Ops.Add(Ops.Multiply(Standardisation.OverLastAxis(x, Epsilon), Gain), Shift);
    }
}

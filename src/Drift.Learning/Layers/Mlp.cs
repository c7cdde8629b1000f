using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A multilayer perceptron: Linear layers of the given widths with an activation between them and
/// none after the last. Parameters are named "layers.k.weight" / "layers.k.bias", as a PyTorch
/// <c>nn.ModuleList</c> named <c>layers</c> would name them.
/// </summary>
public sealed class Mlp<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Linear<T>[] layers;

    /// <summary>Creates an MLP with widths [inputs, hidden..., outputs].</summary>
    /// <exception cref="ArgumentException">When fewer than two widths are given.</exception>
    public Mlp(IReadOnlyList<int> widths, Activation activation, ParameterRandom random)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2) throw new ArgumentException($"An MLP needs at least an input and an output width, got {widths.Count}.", nameof(widths));
        Activation = activation;
        layers = new Linear<T>[widths.Count - 1];
        var list = Child("layers", new LayerList());
        for (int k = 0; k < layers.Length; k++)
            layers[k] = list.Add(k.ToString(System.Globalization.CultureInfo.InvariantCulture), new Linear<T>(widths[k], widths[k + 1], random));
    }

    /// <summary>The activation between layers.</summary>
    public Activation Activation { get; }

    /// <summary>The Linear layers in order.</summary>
    public IReadOnlyList<Linear<T>> Layers => layers;

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> x)
    {
        for (int k = 0; k < layers.Length; k++)
        {
            var layer = layers[k];
            if (k == layers.Length - 1) x = layer.Forward(x);
            // The hidden SiLU layers as one fused op (Ops.LinearSilu: same values, one tape node).
            else if (Activation == Activation.Silu) x = Ops.LinearSilu(x, layer.Weight, layer.Bias);
            else x = Activation.Apply(layer.Forward(x));
        }
        return x;
    }

    sealed class LayerList : Module<T>
    {
        public Linear<T> Add(string name, Linear<T> layer) => Child(name, layer);
    }
}

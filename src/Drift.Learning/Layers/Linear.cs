using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// The affine layer y = x·Wᵀ + b with W of shape [outputs, inputs] and b of shape [outputs]
/// (PyTorch's <c>nn.Linear</c> layout, so checkpoints exchange directly).
/// </summary>
/// <remarks>
/// Initialised as PyTorch does: W and b each uniform on (−1/√inputs, 1/√inputs) — for W this is
/// Kaiming-uniform with a = √5, i.e. bound √(6/((1 + a²)·inputs)) = 1/√inputs.
/// </remarks>
public sealed class Linear<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a layer initialised from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive.</exception>
    public Linear(int inputs, int outputs, ParameterRandom random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentNullException.ThrowIfNull(random);
        Inputs = inputs;
        Outputs = outputs;
        double bound = 1 / Math.Sqrt(inputs);
        Weight = Parameter("weight", random.Uniform<T>(-bound, bound, outputs, inputs));
        Bias = bias ? Parameter("bias", random.Uniform<T>(-bound, bound, outputs)) : null;
    }

    /// <summary>Input features.</summary>
    public int Inputs { get; }
    /// <summary>Output features.</summary>
    public int Outputs { get; }
    /// <summary>W, shape [outputs, inputs].</summary>
    public Tensor<T> Weight { get; }
    /// <summary>b, shape [outputs], or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> x) => Ops.Linear(x, Weight, Bias);
}

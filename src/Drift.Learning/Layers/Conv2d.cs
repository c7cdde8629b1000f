using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A 2-D convolution layer on NCHW images, PyTorch's <c>nn.Conv2d</c>:
/// y[n, o, i, j] = b[o] + Σ_{c,u,v} W[o, c, u, v]·x[n, c, i·s − p + u, j·s − p + v] (zero padding p, stride s),
/// computed by <see cref="Ops.Conv2d"/> (im2col and one GEMM). W has shape [outputs, inputs, k, k], b [outputs].
/// </summary>
/// <remarks>Initialised as PyTorch does: W and b uniform on ±1/√(inputs·k²) (Kaiming-uniform with a = √5).</remarks>
public sealed class Conv2d<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a k×k convolution from <paramref name="inputs"/> to <paramref name="outputs"/> channels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive or the padding is negative.</exception>
    public Conv2d(int inputs, int outputs, int kernel, ParameterRandom random, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentNullException.ThrowIfNull(random);
        Inputs = inputs;
        Outputs = outputs;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        double bound = 1 / Math.Sqrt(inputs * kernel * kernel);
        Weight = Parameter("weight", random.Uniform<T>(-bound, bound, outputs, inputs, kernel, kernel));
        Bias = bias ? Parameter("bias", random.Uniform<T>(-bound, bound, outputs)) : null;
    }

    /// <summary>Input channels.</summary>
    public int Inputs { get; }
    /// <summary>Output channels.</summary>
    public int Outputs { get; }
    /// <summary>Kernel side k.</summary>
    public int Kernel { get; }
    /// <summary>Stride s.</summary>
    public int Stride { get; }
    /// <summary>Zero padding p on every side.</summary>
    public int Padding { get; }
    /// <summary>W, shape [outputs, inputs, k, k].</summary>
    public Tensor<T> Weight { get; }
    /// <summary>b, shape [outputs], or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <inheritdoc/>
    public Tensor<T> Forward(Tensor<T> x) => Ops.Conv2d(x, Weight, Bias, Stride, Padding);
}

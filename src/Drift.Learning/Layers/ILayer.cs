using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>A module that maps one tensor to one tensor (rows are samples).</summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer applied to x.</summary>
    Tensor<T> Forward(Tensor<T> x);
}

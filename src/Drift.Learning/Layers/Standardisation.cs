using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>The normalisation shared by <see cref="LayerNorm{T}"/> and <see cref="GroupNorm{T}"/>.</summary>
internal static class Standardisation
{
    /// <summary>(x − μ)/√(σ² + ε) with μ and σ² the mean and biased variance over the last axis (differentiable).</summary>
    public static Tensor<T> OverLastAxis<T>(Tensor<T> x, double epsilon) where T : unmanaged, IFloatingPointIeee754<T>
        => Ops.StandardiseLastAxis(x, epsilon);
}

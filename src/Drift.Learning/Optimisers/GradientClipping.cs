using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>Gradient-norm clipping, as PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient in place by min(1, maxNorm/(‖g‖ + 10⁻⁶)), where ‖g‖ is the Euclidean
    /// norm of all gradients together (accumulated in double, in list order); returns ‖g‖ before clipping.
    /// A non-finite norm is returned without scaling (the optimiser then reports the bad parameter).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When maxNorm is not positive.</exception>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Tensor<T>> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        double norm = GlobalNorm(gradients);
        if (!double.IsFinite(norm)) return norm;
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
        {
            T s = T.CreateChecked(scale);
            foreach (var g in gradients)
            {
                var span = g.Span;
                for (int k = 0; k < span.Length; k++) span[k] *= s;
            }
        }
        return norm;
    }

    /// <summary>√(Σ g²) over all gradients, accumulated in double in list order.</summary>
    public static double GlobalNorm<T>(IReadOnlyList<Tensor<T>> gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double sum = 0;
        foreach (var g in gradients)
            foreach (var v in g.Span)
            {
                double d = double.CreateChecked(v);
                sum += d * d;
            }
        return Math.Sqrt(sum);
    }
}

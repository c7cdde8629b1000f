using System.Numerics;
using System.Numerics.Tensors;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// Mean squared error (1/n)Σ(p − t)² over all n elements, as a rank-0 tensor (PyTorch's
    /// <c>mse_loss</c> with mean reduction). Gradient: ∂p = (2/n)(p − t)·g, ∂t = −∂p.
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes differ, naming both.</exception>
    public static Tensor<T> Mse<T>(Tensor<T> prediction, Tensor<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!prediction.SameShape(target))
            throw new ArgumentException($"Mse: prediction {ShapeRules.Format(prediction.Shape)} and target {ShapeRules.Format(target.Shape)} differ.", nameof(target));
        int count = prediction.Length;
        var y = TensorArena<T>.Allocate([], clear: false);
        y.Span[0] = DeterministicReduction.SumOfSquares<T>(Difference(prediction, target).Span) / T.CreateChecked(count);
        if (Recording(prediction, target))
            Record(y, "mse", [prediction, target], static (n, y, g, gi) =>
            {
                var (p, t) = (n.Inputs[0], n.Inputs[1]);
                T c = T.CreateChecked(2.0 / p.Length);
                Tensor<T> dp;
                if (!GradMode.IsEnabled)
                {
                    dp = Difference(p, t);
                    TensorPrimitives.Multiply(dp.Span, c * g.Span[0], dp.Span);
                }
                else dp = Multiply(Scale(Subtract(p, t), c), g);
                if (n.Needs(0)) gi[0] = dp;
                if (n.Needs(1)) gi[1] = Scale(dp, -T.One);
            });
        return y;
    }

    static Tensor<T> Difference<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = TensorArena<T>.Allocate(a.Shape, clear: false);
        TensorPrimitives.Subtract(a.Span, b.Span, d.Span);
        return d;
    }

    /// <summary>
    /// Gaussian negative log-likelihood, mean over elements of ½(log v + (μ − t)²/v) with
    /// v = max(variance, <paramref name="epsilon"/>) — PyTorch's <c>GaussianNLLLoss</c> with
    /// <c>full=False</c> and mean reduction (the constant ½ log 2π is left out).
    /// </summary>
    /// <exception cref="ArgumentException">When the mean and target shapes differ or the variance does not broadcast to them.</exception>
    public static Tensor<T> GaussianNll<T>(Tensor<T> mean, Tensor<T> variance, Tensor<T> target, double epsilon = 1e-6)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!mean.SameShape(target))
            throw new ArgumentException($"GaussianNll: mean {ShapeRules.Format(mean.Shape)} and target {ShapeRules.Format(target.Shape)} differ.", nameof(target));
        if (!ShapeRules.BroadcastsTo(variance.Shape, mean.Shape))
            throw new ArgumentException($"GaussianNll: variance {ShapeRules.Format(variance.Shape)} does not broadcast to {ShapeRules.Format(mean.Shape)}.", nameof(variance));
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        var v = BroadcastTo(ClampMin(variance, T.CreateChecked(epsilon)), mean.Shape);
        var terms = Add(Log(v), Divide(Square(Subtract(mean, target)), v));
        return Scale(Mean(terms), T.CreateChecked(0.5));
    }

    /// <summary>
    /// Cross-entropy of logits [n, classes] against integer labels, mean over rows of
    /// logsumexp(z_r) − z_r[label_r] (PyTorch's <c>cross_entropy</c> with mean reduction).
    /// </summary>
    /// <exception cref="ArgumentException">When the label count differs from the rows or a label is outside the classes.</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, ReadOnlySpan<int> labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (logits.Rank != 2)
            throw new ArgumentException($"CrossEntropy needs logits of shape [n, classes], not {ShapeRules.Format(logits.Shape)}.", nameof(logits));
        return Mean(Subtract(LogSumExp(logits, 1), Pick(logits, labels)));
    }
}

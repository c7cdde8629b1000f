using System.Numerics;
using System.Numerics.Tensors;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>Σ of all elements, as a rank-0 tensor.</summary>
    public static Tensor<T> Sum<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate([], clear: false);
        y.Span[0] = DeterministicReduction.Sum<T>(x.Span);
        if (Recording(x))
            Record(y, "sum", [x], static (n, y, g, gi) => gi[0] = BroadcastTo(g, n.Inputs[0].Shape));
        return y;
    }

    /// <summary>The mean of all elements, as a rank-0 tensor (NaN for an empty tensor).</summary>
    public static Tensor<T> Mean<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => Scale(Sum(x), T.One / T.CreateChecked(x.Length));

    /// <summary>Σ along one axis (negative counts from the end); the axis is dropped unless <paramref name="keepDims"/>.</summary>
    public static Tensor<T> Sum<T>(Tensor<T> x, int axis, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = ShapeRules.Axis(axis, x.Rank, nameof(axis));
        var (outer, extent, inner) = ShapeRules.AroundAxis(x.Shape, a);
        var y = TensorArena<T>.Allocate(ShapeRules.Reduce(x.Shape, a, keepDims), clear: true);
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1) { Y[o] = DeterministicReduction.Sum<T>(X.Slice(o * extent, extent)); continue; }
            var row = Y.Slice(o * inner, inner);
            for (int e = 0; e < extent; e++)
                TensorPrimitives.Add(row, X.Slice((o * extent + e) * inner, inner), row);
        }
        if (Recording(x))
            Record(y, "sum-axis", [x], static (n, y, g, gi) =>
            {
                var x = n.Inputs[0];
                gi[0] = BroadcastTo(Reshape(g, ShapeRules.Reduce(x.Shape, n.Integer, keepDims: true)), x.Shape);
            }).Integer = a;
        return y;
    }

    /// <summary>The mean along one axis; the axis is dropped unless <paramref name="keepDims"/>.</summary>
    public static Tensor<T> Mean<T>(Tensor<T> x, int axis, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
        => Scale(Sum(x, axis, keepDims), T.One / T.CreateChecked(x.Size(axis)));

    /// <summary>
    /// log Σ_k exp x_k along one axis, computed as m + log Σ exp(x − m) with m the (constant) maximum so
    /// it neither overflows nor underflows; its gradient is softmax(x)·g.
    /// </summary>
    public static Tensor<T> LogSumExp<T>(Tensor<T> x, int axis, bool keepDims = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = ShapeRules.Axis(axis, x.Rank, nameof(axis));
        var (outer, extent, inner) = ShapeRules.AroundAxis(x.Shape, a);
        var y = TensorArena<T>.Allocate(ShapeRules.Reduce(x.Shape, a, keepDims), clear: false);
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                T m = T.NegativeInfinity;
                for (int e = 0; e < extent; e++) m = T.Max(m, X[(o * extent + e) * inner + i]);
                if (T.IsInfinity(m)) { Y[o * inner + i] = m; continue; }
                T s = T.Zero;
                for (int e = 0; e < extent; e++) s += T.Exp(X[(o * extent + e) * inner + i] - m);
                Y[o * inner + i] = m + T.Log(s);
            }
        if (Recording(x))
            Record(y, "logsumexp", [x], static (n, y, g, gi) =>
            {
                var x = n.Inputs[0];
                var keep = ShapeRules.Reduce(x.Shape, n.Integer, keepDims: true);
                var softmax = Exp(Subtract(x, Reshape(y, keep)));
                gi[0] = Multiply(softmax, Reshape(g, keep));
            }).Integer = a;
        return y;
    }

    /// <summary>softmax along one axis: exp(x − logsumexp x).</summary>
    public static Tensor<T> Softmax<T>(Tensor<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
        => Exp(LogSoftmax(x, axis));

    /// <summary>log softmax along one axis: x − logsumexp x.</summary>
    public static Tensor<T> LogSoftmax<T>(Tensor<T> x, int axis) where T : unmanaged, IFloatingPointIeee754<T>
        => Subtract(x, LogSumExp(x, axis, keepDims: true));
}

using System.Numerics;
using System.Numerics.Tensors;

namespace Drift.Learning.Autodiff;

/// <summary>
/// The differentiable tensor operations. Each computes its result at once and, while
/// <see cref="GradMode.IsEnabled"/> and an input requires a gradient, records itself so that
/// <see cref="Autograd"/> can apply its vector–Jacobian product. Backward rules are written with
/// these same operations, so gradients are themselves differentiable (higher order); the hottest
/// rules also have a fused first-order path that runs when nothing is being recorded.
/// </summary>
/// <remarks>
/// Binary element-wise operations broadcast as NumPy does (trailing axes aligned, extents equal or
/// one of them 1); their gradients are summed back over the broadcast axes. NaN and infinities
/// propagate as in IEEE arithmetic; nothing here checks for them (the optimisers and trainers do).
/// </remarks>
public static partial class Ops
{
    static bool Recording<T>(Tensor<T> a) where T : unmanaged, IFloatingPointIeee754<T>
        => GradMode.IsEnabled && a.RequiresGrad;

    static bool Recording<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
        => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    static Node<T> Record<T>(Tensor<T> output, string operation, Tensor<T>[] inputs, BackwardFunction<T> backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var node = new Node<T>(operation, inputs, backward);
        output.node = node;
        return node;
    }

    static T Cast<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateChecked(value);

    // ───────────────────────────── element-wise binary ─────────────────────────────

    /// <summary>a + b (broadcasting).</summary>
    public static Tensor<T> Add<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Broadcasting.Binary<AddKernel<T>, T>(a, b, "Add");
        if (Recording(a, b))
            Record(y, "add", [a, b], static (n, y, g, gi) =>
            {
                if (n.Needs(0)) gi[0] = SumTo(g, n.Inputs[0].Shape);
                if (n.Needs(1)) gi[1] = SumTo(g, n.Inputs[1].Shape);
            });
        return y;
    }

    /// <summary>a − b (broadcasting).</summary>
    public static Tensor<T> Subtract<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Broadcasting.Binary<SubtractKernel<T>, T>(a, b, "Subtract");
        if (Recording(a, b))
            Record(y, "subtract", [a, b], static (n, y, g, gi) =>
            {
                if (n.Needs(0)) gi[0] = SumTo(g, n.Inputs[0].Shape);
                if (n.Needs(1)) gi[1] = SumTo(Scale(g, -T.One), n.Inputs[1].Shape);
            });
        return y;
    }

    /// <summary>a·b element-wise (broadcasting).</summary>
    public static Tensor<T> Multiply<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Broadcasting.Binary<MultiplyKernel<T>, T>(a, b, "Multiply");
        if (Recording(a, b))
            Record(y, "multiply", [a, b], static (n, y, g, gi) =>
            {
                var (a, b) = (n.Inputs[0], n.Inputs[1]);
                if (n.Needs(0)) gi[0] = SumTo(Multiply(g, b), a.Shape);
                if (n.Needs(1)) gi[1] = SumTo(Multiply(g, a), b.Shape);
            });
        return y;
    }

    /// <summary>a / b element-wise (broadcasting).</summary>
    public static Tensor<T> Divide<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Broadcasting.Binary<DivideKernel<T>, T>(a, b, "Divide");
        if (Recording(a, b))
            Record(y, "divide", [a, b], static (n, y, g, gi) =>
            {
                var (a, b) = (n.Inputs[0], n.Inputs[1]);
                var gb = Divide(g, b);
                if (n.Needs(0)) gi[0] = SumTo(gb, a.Shape);
                if (n.Needs(1)) gi[1] = SumTo(Scale(Multiply(gb, Divide(a, b)), -T.One), b.Shape);
            });
        return y;
    }

    /// <summary>s·x for a constant s.</summary>
    public static Tensor<T> Scale<T>(Tensor<T> x, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Multiply(x.Span, s, y.Span);
        if (Recording(x))
            Record(y, "scale", [x], static (n, y, g, gi) => gi[0] = Scale(g, Cast<T>(n.Constant))).Constant = double.CreateChecked(s);
        return y;
    }

    /// <summary>x + c for a constant c.</summary>
    public static Tensor<T> AddScalar<T>(Tensor<T> x, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Add(x.Span, c, y.Span);
        if (Recording(x))
            Record(y, "add-scalar", [x], static (n, y, g, gi) => gi[0] = g);
        return y;
    }

    /// <summary>x²: element-wise square.</summary>
    public static Tensor<T> Square<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        if (Recording(x))
            Record(y, "square", [x], static (n, y, g, gi) => gi[0] = Multiply(g, Scale(n.Inputs[0], Cast<T>(2))));
        return y;
    }

    // ───────────────────────────── broadcasting as operations ─────────────────────────────

    /// <summary>x summed over the axes along which <paramref name="shape"/> broadcasts to x's shape (the adjoint of <see cref="BroadcastTo"/>).</summary>
    /// <exception cref="ArgumentException">When <paramref name="shape"/> does not broadcast to x's shape.</exception>
    public static Tensor<T> SumTo<T>(Tensor<T> x, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape.SequenceEqual(shape)) return x;
        if (!ShapeRules.BroadcastsTo(shape, x.Shape))
            throw new ArgumentException($"SumTo: shape {ShapeRules.Format(shape)} does not broadcast to {ShapeRules.Format(x.Shape)}.", nameof(shape));
        var y = Broadcasting.SumTo(x, shape);
        if (Recording(x))
            Record(y, "sum-to", [x], static (n, y, g, gi) => gi[0] = BroadcastTo(g, n.Inputs[0].Shape));
        return y;
    }

    /// <summary>x repeated to <paramref name="shape"/> by broadcasting.</summary>
    /// <exception cref="ArgumentException">When x's shape does not broadcast to <paramref name="shape"/>.</exception>
    public static Tensor<T> BroadcastTo<T>(Tensor<T> x, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Shape.SequenceEqual(shape)) return x;
        if (!ShapeRules.BroadcastsTo(x.Shape, shape))
            throw new ArgumentException($"BroadcastTo: shape {ShapeRules.Format(x.Shape)} does not broadcast to {ShapeRules.Format(shape)}.", nameof(shape));
        var y = Broadcasting.Expand(x, shape);
        if (Recording(x))
            Record(y, "broadcast-to", [x], static (n, y, g, gi) => gi[0] = SumTo(g, n.Inputs[0].Shape));
        return y;
    }

    // ───────────────────────────── views ─────────────────────────────

    /// <summary>The same elements in another shape (a view sharing storage). One extent may be −1.</summary>
    /// <exception cref="ArgumentException">When the lengths differ, naming both shapes.</exception>
    public static Tensor<T> Reshape<T>(Tensor<T> x, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> s = stackalloc int[shape.Length];
        shape.CopyTo(s);
        int infer = -1; long known = 1;
        for (int k = 0; k < s.Length; k++)
        {
            if (s[k] == -1 && infer < 0) infer = k;
            else if (s[k] < 0) throw new ArgumentException($"Reshape: shape {ShapeRules.Format(shape)} has a negative extent.", nameof(shape));
            else known *= s[k];
        }
        if (infer >= 0)
        {
            if (known == 0 || x.Length % known != 0)
                throw new ArgumentException($"Reshape: cannot infer an extent to reshape {ShapeRules.Format(x.Shape)} to {ShapeRules.Format(shape)}.", nameof(shape));
            s[infer] = (int)(x.Length / known);
            known *= s[infer];
        }
        if (known != x.Length)
            throw new ArgumentException($"Reshape: {ShapeRules.Format(x.Shape)} ({x.Length} elements) cannot be seen as {ShapeRules.Format(shape)}.", nameof(shape));
        var y = TensorArena<T>.View(x.buffer, x.offset, s, x.Length);
        if (Recording(x))
            Record(y, "reshape", [x], static (n, y, g, gi) => gi[0] = Reshape(g, n.Inputs[0].Shape));
        return y;
    }

    /// <summary>Rows [start, start + count) along the first axis (a view sharing storage).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the range leaves the first axis.</exception>
    public static Tensor<T> Slice<T>(Tensor<T> x, int start, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank == 0) throw new ArgumentException("Slice needs a tensor with at least one axis.", nameof(x));
        int rows = x.Shape[0];
        if (start < 0 || count < 0 || start > rows - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Rows [{start}, {start + count}) are outside a first axis of {rows}.");
        int rowLength = rows == 0 ? 0 : x.Length / rows;
        Span<int> s = stackalloc int[x.Rank];
        x.Shape.CopyTo(s);
        s[0] = count;
        var y = TensorArena<T>.View(x.buffer, x.offset + start * rowLength, s, count * rowLength);
        if (Recording(x))
        {
            var node = Record(y, "slice", [x], static (n, y, g, gi) => gi[0] = Pad(g, 0, n.Integer, n.Inputs[0].Shape[0]));
            node.Integer = start;
        }
        return y;
    }

    /// <summary>The transpose of a matrix (a copy).</summary>
    public static Tensor<T> Transpose<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 2) throw new ArgumentException($"Transpose needs a matrix, not shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        int r = x.Shape[0], c = x.Shape[1];
        var y = TensorArena<T>.Allocate([c, r], clear: false);
        var X = x.Span; var Y = y.Span;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
                Y[j * r + i] = X[i * c + j];
        if (Recording(x))
            Record(y, "transpose", [x], static (n, y, g, gi) => gi[0] = Transpose(g));
        return y;
    }

    /// <summary>A constant (not differentiable) copy of x with every element set to 1 where x &gt; 0, else 0.</summary>
    internal static Tensor<T> PositiveMask<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = TensorArena<T>.Allocate(x.Shape, clear: false);
        var X = x.Span; var M = m.Span;
        for (int i = 0; i < X.Length; i++) M[i] = X[i] > T.Zero ? T.One : T.Zero;
        return m;
    }
}

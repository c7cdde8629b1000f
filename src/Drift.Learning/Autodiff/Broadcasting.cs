using System.Numerics;
using System.Numerics.Tensors;

namespace Drift.Learning.Autodiff;

/// <summary>An element-wise binary operation, on scalars and on contiguous runs (vectorised).</summary>
internal interface IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d);
    static abstract void Run(ReadOnlySpan<T> a, T b, Span<T> d);
    static abstract void Run(T a, ReadOnlySpan<T> b, Span<T> d);
    static abstract T Run(T a, T b);
}

internal readonly struct AddKernel<T> : IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Run(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Run(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
    public static T Run(T a, T b) => a + b;
}

internal readonly struct SubtractKernel<T> : IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Run(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Run(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static T Run(T a, T b) => a - b;
}

internal readonly struct MultiplyKernel<T> : IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Run(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Run(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(b, a, d);
    public static T Run(T a, T b) => a * b;
}

internal readonly struct DivideKernel<T> : IBinaryKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Run(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Run(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static T Run(T a, T b) => a / b;
}

/// <summary>NumPy-style broadcasting loops: an odometer over the outer axes, a vectorised run along the last.</summary>
internal static class Broadcasting
{
    /// <summary>d = a ∘ b over the broadcast shape of a and b.</summary>
    public static Tensor<T> Binary<TKernel, T>(Tensor<T> a, Tensor<T> b, string operation)
        where TKernel : IBinaryKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Shape.SequenceEqual(b.Shape))
        {
            var same = TensorArena<T>.Allocate(a.Shape, clear: false);
            TKernel.Run(a.Span, b.Span, same.Span);
            return same;
        }
        var shape = ShapeRules.Broadcast(a.Shape, b.Shape, operation);
        var d = TensorArena<T>.Allocate(shape, clear: false);
        if (b.Length == 1) { TKernel.Run(a.Span, b.Span[0], d.Span); return d; }
        if (a.Length == 1) { TKernel.Run(a.Span[0], b.Span, d.Span); return d; }
        int rank = shape.Length;
        Span<int> sa = stackalloc int[rank], sb = stackalloc int[rank], index = stackalloc int[rank];
        ShapeRules.BroadcastStrides(a.Shape, shape, sa);
        ShapeRules.BroadcastStrides(b.Shape, shape, sb);
        int inner = shape[rank - 1];
        int outer = d.Length / Math.Max(inner, 1);
        var A = a.Span; var B = b.Span; var D = d.Span;
        int ia = sa[rank - 1], ib = sb[rank - 1];
        for (int o = 0; o < outer && inner > 0; o++)
        {
            int offA = 0, offB = 0;
            for (int k = 0; k < rank - 1; k++) { offA += index[k] * sa[k]; offB += index[k] * sb[k]; }
            var dRow = D.Slice(o * inner, inner);
            if (ia == 1 && ib == 1) TKernel.Run(A.Slice(offA, inner), B.Slice(offB, inner), dRow);
            else if (ia == 1) TKernel.Run(A.Slice(offA, inner), B[offB], dRow);
            else if (ib == 1) TKernel.Run(A[offA], B.Slice(offB, inner), dRow);
            else dRow.Fill(TKernel.Run(A[offA], B[offB]));
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        return d;
    }

    /// <summary>The sum of <paramref name="g"/> over the axes along which <paramref name="shape"/> was broadcast to g's shape.</summary>
    public static Tensor<T> SumTo<T>(Tensor<T> g, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var target = g.Shape;
        var r = TensorArena<T>.Allocate(shape, clear: true);
        if (r.Length == 1) { r.Span[0] = DeterministicReduction.Sum<T>(g.Span); return r; }
        int rank = target.Length;
        Span<int> sr = stackalloc int[rank], index = stackalloc int[rank];
        ShapeRules.BroadcastStrides(shape, target, sr);
        int inner = target[rank - 1];
        int outer = g.Length / Math.Max(inner, 1);
        var G = g.Span; var R = r.Span;
        int ir = sr[rank - 1];
        for (int o = 0; o < outer && inner > 0; o++)
        {
            int off = 0;
            for (int k = 0; k < rank - 1; k++) off += index[k] * sr[k];
            var gRow = G.Slice(o * inner, inner);
            if (ir == 1) TensorPrimitives.Add(R.Slice(off, inner), gRow, R.Slice(off, inner));
            else R[off] += DeterministicReduction.Sum<T>(gRow);
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++index[k] < target[k]) break;
                index[k] = 0;
            }
        }
        return r;
    }

    /// <summary><paramref name="x"/> repeated along the axes of <paramref name="shape"/> it is broadcast over.</summary>
    public static Tensor<T> Expand<T>(Tensor<T> x, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = TensorArena<T>.Allocate(shape, clear: false);
        if (x.Length == 1) { d.Span.Fill(x.Span[0]); return d; }
        int rank = shape.Length;
        Span<int> sx = stackalloc int[rank], index = stackalloc int[rank];
        ShapeRules.BroadcastStrides(x.Shape, shape, sx);
        int inner = shape[rank - 1];
        int outer = d.Length / Math.Max(inner, 1);
        var X = x.Span; var D = d.Span;
        int ix = sx[rank - 1];
        for (int o = 0; o < outer && inner > 0; o++)
        {
            int off = 0;
            for (int k = 0; k < rank - 1; k++) off += index[k] * sx[k];
            var dRow = D.Slice(o * inner, inner);
            if (ix == 1) X.Slice(off, inner).CopyTo(dRow);
            else dRow.Fill(X[off]);
            for (int k = rank - 2; k >= 0; k--)
            {
                if (++index[k] < shape[k]) break;
                index[k] = 0;
            }
        }
        return d;
    }
}

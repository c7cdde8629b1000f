using System.Numerics;
using System.Runtime.InteropServices;
using Drift.Numerics;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The axes of x reordered (a copy): y[i_{p(0)}, …, i_{p(r−1)}] = x[i₀, …, i_{r−1}], i.e. axis k of y is axis
    /// <c>axes[k]</c> of x, as NumPy's <c>transpose(x, axes)</c> and PyTorch's <c>permute</c>. The gradient is G permuted
    /// back by the inverse permutation (itself a permutation, so differentiable again).
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="axes"/> is not a permutation of 0..rank−1.</exception>
    public static Tensor<T> Permute<T>(Tensor<T> x, params ReadOnlySpan<int> axes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = x.Rank;
        if (axes.Length != rank)
            throw new ArgumentException($"Permute: {axes.Length} axes given for a tensor of shape {ShapeRules.Format(x.Shape)}.", nameof(axes));
        Span<bool> seen = stackalloc bool[rank];
        foreach (int a in axes)
        {
            if ((uint)a >= (uint)rank || seen[a])
                throw new ArgumentException($"Permute: [{string.Join(", ", axes.ToArray())}] is not a permutation of the axes of shape {ShapeRules.Format(x.Shape)}.", nameof(axes));
            seen[a] = true;
        }
        Span<int> shape = stackalloc int[rank];
        Span<int> inStride = stackalloc int[rank];
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--) { inStride[k] = stride; stride *= x.Shape[k]; }
        Span<int> strides = stackalloc int[rank];
        for (int k = 0; k < rank; k++) { shape[k] = x.Shape[axes[k]]; strides[k] = inStride[axes[k]]; }
        var y = TensorArena<T>.Allocate(shape, clear: false);
        PermuteCopy<T>(x.Span, y.Span, shape, strides);
        if (Recording(x))
        {
            var inverse = new int[rank];
            for (int k = 0; k < rank; k++) inverse[axes[k]] = k;
            Record(y, "permute", [x], static (n, y, g, gi) => gi[0] = Permute(g, (int[])n.State!)).State = inverse;
        }
        return y;
    }

    /// <summary>Writes y in order, reading x at Σ_k i_k·strides[k] (an odometer over the output index); the last axis is the inner loop.</summary>
    static void PermuteCopy<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int rank = shape.Length;
        if (y.Length == 0) return;
        if (rank == 0) { y[0] = x[0]; return; }
        int last = shape[rank - 1], lastStride = strides[rank - 1];
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int at = 0, source = 0;
        while (at < y.Length)
        {
            if (lastStride == 1) x.Slice(source, last).CopyTo(y.Slice(at, last));
            else for (int j = 0, s = source; j < last; j++, s += lastStride) y[at + j] = x[s];
            at += last;
            for (int k = rank - 2; k >= 0; k--)
            {
                source += strides[k];
                if (++index[k] < shape[k]) break;
                source -= strides[k] * shape[k];
                index[k] = 0;
            }
        }
    }

    /// <summary>
    /// Batched matrix products y[b] = op(a[b])·op(c[b]) for rank-3 operands [B, ·, ·] (op transposes the last two axes
    /// when asked), each by the blocked <see cref="Gemm"/> kernel, so every batch entry has the same bits as a single
    /// <see cref="MatMul"/>. Gradients are batched products again: ∂op(a) = G·op(c)ᵀ, ∂op(c) = op(a)ᵀ·G per entry.
    /// </summary>
    /// <exception cref="ArgumentException">When an operand is not rank 3, the batch extents differ or the inner extents differ (naming the shapes).</exception>
    public static Tensor<T> BatchedMatMul<T>(Tensor<T> a, Tensor<T> c, bool transposeA = false, bool transposeC = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rank != 3 || c.Rank != 3 || a.Shape[0] != c.Shape[0])
            throw new ArgumentException($"BatchedMatMul needs two [B, ·, ·] tensors with the same B, got shapes {ShapeRules.Format(a.Shape)} and {ShapeRules.Format(c.Shape)}.");
        int batch = a.Shape[0];
        int m = transposeA ? a.Shape[2] : a.Shape[1], k = transposeA ? a.Shape[1] : a.Shape[2];
        int kc = transposeC ? c.Shape[2] : c.Shape[1], n = transposeC ? c.Shape[1] : c.Shape[2];
        if (k != kc)
            throw new ArgumentException($"BatchedMatMul: inner extents differ: {ShapeRules.Format(a.Shape)}{(transposeA ? "ᵀ" : "")} · {ShapeRules.Format(c.Shape)}{(transposeC ? "ᵀ" : "")} ({k} vs {kc}).");
        var y = TensorArena<T>.Allocate([batch, m, n], clear: false);
        int sa = a.Shape[1] * a.Shape[2], sc = c.Shape[1] * c.Shape[2], sy = m * n;
        int lda = Math.Max(1, a.Shape[2]), ldc = Math.Max(1, c.Shape[2]), ldy = Math.Max(1, n);
        for (int b = 0; b < batch; b++)
        {
            if (typeof(T) == typeof(float))
                Gemm.Multiply(transposeA, transposeC, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a.Span.Slice(b * sa, sa)), lda,
                    MemoryMarshal.Cast<T, float>(c.Span.Slice(b * sc, sc)), ldc, 0f, MemoryMarshal.Cast<T, float>(y.Span.Slice(b * sy, sy)), ldy);
            else
                Gemm.Multiply(transposeA, transposeC, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a.Span.Slice(b * sa, sa)), lda,
                    MemoryMarshal.Cast<T, double>(c.Span.Slice(b * sc, sc)), ldc, 0.0, MemoryMarshal.Cast<T, double>(y.Span.Slice(b * sy, sy)), ldy);
        }
        if (Recording(a, c))
        {
            var node = Record(y, "batched-matmul", [a, c], static (n, y, g, gi) =>
            {
                var (a, c) = (n.Inputs[0], n.Inputs[1]);
                bool ta = (n.Integer & 1) != 0, tc = (n.Integer & 2) != 0;
                if (n.Needs(0)) gi[0] = ta ? BatchedMatMul(c, g, tc, true) : BatchedMatMul(g, c, false, !tc);
                if (n.Needs(1)) gi[1] = tc ? BatchedMatMul(g, a, true, ta) : BatchedMatMul(a, g, !ta, false);
            });
            node.Integer = (transposeA ? 1 : 0) | (transposeC ? 2 : 0);
        }
        return y;
    }
}

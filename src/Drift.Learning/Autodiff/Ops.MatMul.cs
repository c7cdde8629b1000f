using System.Numerics;
using System.Runtime.InteropServices;
using Drift.Numerics;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The matrix product op(a)·op(b), where op transposes when asked: a is m×k (k×m when
    /// <paramref name="transposeA"/>), b is k×n (n×k when <paramref name="transposeB"/>); the result is m×n.
    /// Computed by the blocked <see cref="Gemm"/> kernel. Gradients: ∂op(a) = G·op(b)ᵀ, ∂op(b) = op(a)ᵀ·G,
    /// themselves matrix products (so differentiable again).
    /// </summary>
    /// <exception cref="ArgumentException">When an operand is not a matrix or the inner extents differ (naming both shapes).</exception>
    public static Tensor<T> MatMul<T>(Tensor<T> a, Tensor<T> b, bool transposeA = false, bool transposeB = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"MatMul needs two matrices, got shapes {ShapeRules.Format(a.Shape)} and {ShapeRules.Format(b.Shape)}.");
        int m = transposeA ? a.Shape[1] : a.Shape[0], k = transposeA ? a.Shape[0] : a.Shape[1];
        int kb = transposeB ? b.Shape[1] : b.Shape[0], n = transposeB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ArgumentException($"MatMul: inner extents differ: {ShapeRules.Format(a.Shape)}{(transposeA ? "ᵀ" : "")} · {ShapeRules.Format(b.Shape)}{(transposeB ? "ᵀ" : "")} ({k} vs {kb}).");
        var y = TensorArena<T>.Allocate([m, n], clear: false);
        Product(transposeA, transposeB, m, n, k, a, b, T.Zero, y);
        if (Recording(a, b))
        {
            var node = Record(y, "matmul", [a, b], static (n, y, g, gi) =>
            {
                var (a, b) = (n.Inputs[0], n.Inputs[1]);
                bool ta = (n.Integer & 1) != 0, tb = (n.Integer & 2) != 0;
                if (n.Needs(0)) gi[0] = ta ? MatMul(b, g, tb, true) : MatMul(g, b, false, !tb);
                if (n.Needs(1)) gi[1] = tb ? MatMul(g, a, true, ta) : MatMul(a, g, !ta, false);
            });
            node.Integer = (transposeA ? 1 : 0) | (transposeB ? 2 : 0);
        }
        return y;
    }

    /// <summary>
    /// The affine map of a layer, y = x·Wᵀ + b, for x of shape [n, in], W of shape [out, in] (PyTorch's
    /// layout) and an optional bias of shape [out]: one GEMM with the bias as its initial value.
    /// Gradients: ∂x = G·W, ∂W = Gᵀ·x, ∂b = Σ_rows G.
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes do not fit, naming them.</exception>
    public static Tensor<T> Linear<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Affine(x, weight, bias);
        bool recording = GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || bias is { RequiresGrad: true });
        if (recording)
            Record(y, "linear", bias is null ? [x, weight] : [x, weight, bias], static (n, y, g, gi) =>
            {
                var (x, w) = (n.Inputs[0], n.Inputs[1]);
                if (n.Needs(0)) gi[0] = MatMul(g, w);
                if (n.Needs(1)) gi[1] = MatMul(g, x, transposeA: true);
                if (n.Inputs.Length > 2 && n.Needs(2)) gi[2] = Sum(g, 0);
            });
        return y;
    }

    static void Product<T>(bool ta, bool tb, int m, int n, int k, Tensor<T> a, Tensor<T> b, T beta, Tensor<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Product<T>(ta, tb, m, n, k, a.Span, Math.Max(1, a.Shape[1]), b.Span, Math.Max(1, b.Shape[1]), beta, c.Span, Math.Max(1, n));

    /// <summary>c = op(a)·op(b) + β·c on spans through the blocked <see cref="Gemm"/> kernel (α = 1).</summary>
    static void Product<T>(bool ta, bool tb, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            Gemm.Multiply(ta, tb, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
        else
            Gemm.Multiply(ta, tb, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc);
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// A hidden layer in one op: y = silu(z) = z·σ(z) with z = x·Wᵀ + b (the composite
    /// <c>Silu(Linear(x, W, b))</c>, same shapes and rules as <see cref="Linear{T}"/>). The forward pass computes z by one
    /// GEMM with the bias as its initial value and z·σ(z) in place; the tape holds one node, not two. Hand-derived
    /// backward: with s = σ(z), ∂z = G ⊙ s ⊙ (1 + z(1 − s)) (the SiLU derivative), then ∂x = ∂z·W, ∂W = ∂zᵀ·x,
    /// ∂b = Σ_rows ∂z, the same kernels the composite uses, so a first-order gradient has the composite's bits; with
    /// gradient recording on, the backward is built from differentiable ops (higher-order derivatives work).
    /// </summary>
    /// <exception cref="ArgumentException">When the shapes do not fit, naming them.</exception>
    public static Tensor<T> LinearSilu<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = Affine(x, weight, bias);
        var y = TensorArena<T>.Allocate(z.Shape, clear: false);
        bool recording = GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || bias is { RequiresGrad: true });
        if (!recording)
        {
            SiluInto(z.Span, y.Span);
            return y;
        }
        var s = TensorArena<T>.Allocate(z.Shape, clear: false);
        SigmoidInto<T>(z.Span, s.Span, y.Span);
        var node = Record(y, "linear_silu", bias is null ? [x, weight] : [x, weight, bias], static (n, y, g, gi) =>
        {
            var (x, w) = (n.Inputs[0], n.Inputs[1]);
            var b = n.Inputs.Length > 2 ? n.Inputs[2] : null;
            var dz = GradMode.IsEnabled ? SiluGradient(g, Linear(x, w, b)) : Fused.SiluBackward(g, (Tensor<T>)n.State!, n.Saved!);
            if (n.Needs(0)) gi[0] = MatMul(dz, w);
            if (n.Needs(1)) gi[1] = MatMul(dz, x, transposeA: true);
            if (b is not null && n.Needs(2)) gi[2] = Sum(dz, 0);
        });
        node.Saved = s;
        node.State = z;
        return y;
    }

    /// <summary>
    /// The weighted mean squared error (1/(n·d)) Σ_r w_r Σ_j (p_rj − t_rj)² of predictions p and targets t of shape
    /// [n, d] with one weight per row (shape [n] or [n, 1]), in one op: the composite
    /// <c>Mean(Multiply(Square(Subtract(p, t)), w))</c> with the same terms and the same deterministic sum (so the same
    /// value). Gradients: ∂p = (2/(n·d))·G·w_r·(p − t), ∂t = −∂p, ∂w_r = (G/(n·d))·Σ_j (p_rj − t_rj)².
    /// </summary>
    /// <exception cref="ArgumentException">When p and t differ in shape, p is not a matrix, or w does not hold one value per row.</exception>
    public static Tensor<T> WeightedMse<T>(Tensor<T> prediction, Tensor<T> target, Tensor<T> weight) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (prediction.Rank != 2 || !prediction.SameShape(target))
            throw new ArgumentException($"WeightedMse: prediction {ShapeRules.Format(prediction.Shape)} and target {ShapeRules.Format(target.Shape)} must be equal [n, d] matrices.", nameof(target));
        int rows = prediction.Shape[0], d = prediction.Shape[1];
        if (weight.Length != rows || weight.Rank > 2 || (weight.Rank == 2 && weight.Shape[1] != 1))
            throw new ArgumentException($"WeightedMse: weight {ShapeRules.Format(weight.Shape)} must hold one value per row ([{rows}] or [{rows}, 1]).", nameof(weight));
        var difference = Difference(prediction, target);
        var terms = TensorArena<T>.Allocate(prediction.Shape, clear: false);
        var D = difference.Span; var Q = terms.Span; var W = weight.Span;
        TensorPrimitives.Multiply(D, D, Q);
        for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(Q.Slice(r * d, d), W[r], Q.Slice(r * d, d));
        var y = TensorArena<T>.Allocate([], clear: false);
        y.Span[0] = DeterministicReduction.Sum<T>(Q) * (T.One / T.CreateChecked(rows * d));
        if (GradMode.IsEnabled && (prediction.RequiresGrad || target.RequiresGrad || weight.RequiresGrad))
        {
            var node = Record(y, "weighted_mse", [prediction, target, weight], static (n, y, g, gi) =>
            {
                var (p, t, w) = (n.Inputs[0], n.Inputs[1], n.Inputs[2]);
                int rows = p.Shape[0], d = p.Shape[1];
                T c = T.One / T.CreateChecked(rows * d);
                if (GradMode.IsEnabled)
                {
                    var column = Reshape(w, [rows, 1]);
                    var diff = Subtract(p, t);
                    var dp = Multiply(Multiply(Scale(diff, c + c), column), g);
                    if (n.Needs(0)) gi[0] = dp;
                    if (n.Needs(1)) gi[1] = Scale(dp, -T.One);
                    if (n.Needs(2)) gi[2] = Reshape(Multiply(Sum(Square(diff), 1, keepDims: true), Scale(g, c)), w.Shape);
                    return;
                }
                var D = n.Saved!.Span;
                T scale = (c + c) * g.Span[0];
                var W = w.Span;
                if (n.Needs(0) || n.Needs(1))
                {
                    var grad = TensorArena<T>.Allocate(p.Shape, clear: false);
                    var G = grad.Span;
                    for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(D.Slice(r * d, d), scale * W[r], G.Slice(r * d, d));
                    if (n.Needs(0)) gi[0] = grad;
                    if (n.Needs(1)) gi[1] = Scale(grad, -T.One);
                }
                if (n.Needs(2))
                {
                    var gw = TensorArena<T>.Allocate(w.Shape, clear: false);
                    for (int r = 0; r < rows; r++) gw.Span[r] = c * g.Span[0] * TensorPrimitives.SumOfSquares(D.Slice(r * d, d));
                    gi[2] = gw;
                }
            });
            node.Saved = difference;
        }
        return y;
    }

    /// <summary>z = x·Wᵀ + b without recording: the shape checks and the GEMM shared by <see cref="Linear{T}"/> and <see cref="LinearSilu{T}"/>.</summary>
    static Tensor<T> Affine<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 2 || weight.Rank != 2 || x.Shape[1] != weight.Shape[1])
            throw new ArgumentException($"Linear: input {ShapeRules.Format(x.Shape)} does not fit weight {ShapeRules.Format(weight.Shape)} (expected [n, {(weight.Rank == 2 ? weight.Shape[1] : -1)}]).", nameof(x));
        int rows = x.Shape[0], outputs = weight.Shape[0], inputs = weight.Shape[1];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outputs))
            throw new ArgumentException($"Linear: bias {ShapeRules.Format(bias.Shape)} does not fit weight {ShapeRules.Format(weight.Shape)} (expected [{outputs}]).", nameof(bias));
        var y = TensorArena<T>.Allocate([rows, outputs], clear: false);
        if (bias is not null)
        {
            var Y = y.Span; var B = bias.Span;
            for (int r = 0; r < rows; r++) B.CopyTo(Y.Slice(r * outputs, outputs));
        }
        Product(false, true, rows, outputs, inputs, x, weight, bias is null ? T.Zero : T.One, y);
        return y;
    }
}

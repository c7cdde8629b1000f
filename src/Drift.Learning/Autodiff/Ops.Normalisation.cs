using System.Numerics;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>(x − μ)/√(σ² + ε) with μ and σ² the mean and biased variance over the last axis (a chain of differentiable operations).</summary>
    internal static Tensor<T> StandardiseLastAxis<T>(Tensor<T> x, double epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var centred = Subtract(x, Mean(x, -1, keepDims: true));
        var variance = Mean(Square(centred), -1, keepDims: true);
        return Divide(centred, Sqrt(AddScalar(variance, T.CreateChecked(epsilon))));
    }

    /// <summary>
    /// Group normalisation of NCHW images as one fused operation: for image n and group g (channels
    /// [g·C/G, (g + 1)·C/G), M = (C/G)·H·W values) with mean μ and biased variance σ², r = 1/√(σ² + ε),
    /// y = (x − μ)·r·γ[c] + β[c]. μ, σ² and the backward sums are accumulated in double, in element order.
    /// </summary>
    /// <remarks>
    /// The first-order backward is the hand-derived one: with x̂ = (x − μ)·r and ĝ = γ[c]·∂y per group,
    /// ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), ∂γ[c] = Σ_{n,i,j} ∂y·x̂, ∂β[c] = Σ_{n,i,j} ∂y (sums over n in order). When a
    /// higher-order graph is recorded the same formulas are built from differentiable operations.
    /// </remarks>
    internal static Tensor<T> GroupNorm<T>(Tensor<T> x, int groups, Tensor<T> gamma, Tensor<T> beta, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Shape[0], c = x.Shape[1], pixels = x.Shape[2] * x.Shape[3], per = c / groups * pixels;
        var y = TensorArena<T>.Allocate(x.Shape, clear: false);
        var stats = new T[2 * n * groups]; // (μ, r) per image and group
        var X = x.Span; var Y = y.Span; var Gm = gamma.Span; var B = beta.Span;
        for (int s = 0; s < n * groups; s++)
        {
            var block = X.Slice(s * per, per);
            double sum = 0;
            for (int k = 0; k < per; k++) sum += double.CreateChecked(block[k]);
            double mean = sum / per, m2 = 0;
            for (int k = 0; k < per; k++) { double d = double.CreateChecked(block[k]) - mean; m2 += d * d; }
            T mu = T.CreateChecked(mean), r = T.CreateChecked(1 / Math.Sqrt(m2 / per + epsilon));
            stats[2 * s] = mu;
            stats[2 * s + 1] = r;
            int channel0 = s % groups * (c / groups);
            for (int ch = 0; ch < c / groups; ch++)
            {
                T scale = r * Gm[channel0 + ch], shift = B[channel0 + ch];
                var src = block.Slice(ch * pixels, pixels);
                var dst = Y.Slice(s * per + ch * pixels, pixels);
                for (int k = 0; k < pixels; k++) dst[k] = (src[k] - mu) * scale + shift;
            }
        }
        if (GradMode.IsEnabled && (x.RequiresGrad || gamma.RequiresGrad || beta.RequiresGrad))
        {
            var node = Record(y, "group-norm", [x, gamma, beta], static (node, y, g, gi) =>
            {
                var (x, gamma) = (node.Inputs[0], node.Inputs[1]);
                if (GradMode.IsEnabled) { GroupNormBackwardComposite(node, g, gi); return; }
                int groups = node.Integer, n = x.Shape[0], c = x.Shape[1], pixels = x.Shape[2] * x.Shape[3], per = c / groups * pixels;
                var stats = (T[])node.State!;
                var X = x.Span; var G = g.Span; var Gm = gamma.Span;
                var dgamma = new double[c];
                var dbeta = new double[c];
                var dx = node.Needs(0) ? TensorArena<T>.Allocate(x.Shape, clear: false) : null;
                for (int s = 0; s < n * groups; s++)
                {
                    double mu = double.CreateChecked(stats[2 * s]), r = double.CreateChecked(stats[2 * s + 1]);
                    int channel0 = s % groups * (c / groups);
                    double s1 = 0, s2 = 0;
                    for (int ch = 0; ch < c / groups; ch++)
                    {
                        int at = s * per + ch * pixels;
                        double gm = double.CreateChecked(Gm[channel0 + ch]), dg = 0, db = 0;
                        for (int k = 0; k < pixels; k++)
                        {
                            double gk = double.CreateChecked(G[at + k]), xhat = (double.CreateChecked(X[at + k]) - mu) * r;
                            dg += gk * xhat;
                            db += gk;
                        }
                        dgamma[channel0 + ch] += dg;
                        dbeta[channel0 + ch] += db;
                        s1 += gm * db;
                        s2 += gm * dg;
                    }
                    if (dx is null) continue;
                    double m1 = s1 / per, m2 = s2 / per;
                    var D = dx.Span;
                    for (int ch = 0; ch < c / groups; ch++)
                    {
                        int at = s * per + ch * pixels;
                        double gm = double.CreateChecked(Gm[channel0 + ch]);
                        for (int k = 0; k < pixels; k++)
                        {
                            double xhat = (double.CreateChecked(X[at + k]) - mu) * r;
                            D[at + k] = T.CreateChecked(r * (gm * double.CreateChecked(G[at + k]) - m1 - xhat * m2));
                        }
                    }
                }
                gi[0] = dx;
                if (node.Needs(1)) gi[1] = FromDoubles<T>(dgamma);
                if (node.Needs(2)) gi[2] = FromDoubles<T>(dbeta);
            });
            node.Integer = groups;
            node.Constant = epsilon;
            node.State = stats;
        }
        return y;
    }

    static Tensor<T> FromDoubles<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var t = TensorArena<T>.Allocate([values.Length], clear: false);
        var S = t.Span;
        for (int i = 0; i < values.Length; i++) S[i] = T.CreateChecked(values[i]);
        return t;
    }

    /// <summary>The group-norm gradients of <see cref="GroupNorm"/> written with differentiable operations (for higher-order graphs).</summary>
    static void GroupNormBackwardComposite<T>(Node<T> node, Tensor<T> g, Tensor<T>?[] gi) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (x, gamma) = (node.Inputs[0], node.Inputs[1]);
        int groups = node.Integer, n = x.Shape[0], c = x.Shape[1], pixels = x.Shape[2] * x.Shape[3], per = c / groups * pixels;
        var grouped = Reshape(x, [n, groups, per]);
        var centred = Subtract(grouped, Mean(grouped, -1, keepDims: true));
        var r = Pow(AddScalar(Mean(Square(centred), -1, keepDims: true), T.CreateChecked(node.Constant)), T.CreateChecked(-0.5));
        var xhat = Multiply(centred, r);
        var g3 = Reshape(g, [n, c, pixels]);
        if (node.Needs(0))
        {
            var scaled = Reshape(Multiply(g3, Reshape(gamma, [c, 1])), [n, groups, per]);
            var inner = Subtract(Subtract(scaled, Mean(scaled, -1, keepDims: true)), Multiply(xhat, Mean(Multiply(scaled, xhat), -1, keepDims: true)));
            gi[0] = Reshape(Multiply(inner, r), x.Shape);
        }
        if (node.Needs(1)) gi[1] = Sum(Sum(Multiply(g3, Reshape(xhat, [n, c, pixels])), 2), 0);
        if (node.Needs(2)) gi[2] = Sum(Sum(g3, 2), 0);
    }
}

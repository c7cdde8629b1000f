using System.Numerics;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>
    /// The 2-D cross-correlation of PyTorch's <c>nn.Conv2d</c> on NCHW images:
    /// y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v]·x[n, c, i·s − p + u, j·s − p + v], with x read as 0 outside the image,
    /// for x [N, C, H, W], w [O, C, kh, kw], b [O] (optional), stride s and zero padding p on every side; the output is
    /// [N, O, H_o, W_o] with H_o = ⌊(H + 2p − kh)/s⌋ + 1 (likewise W_o).
    /// </summary>
    /// <remarks>
    /// Computed as im2col followed by one GEMM: the patches become the rows of a [N·H_o·W_o, C·kh·kw] matrix P, then
    /// Y = P·Wᵀ + b (<see cref="Linear"/>, one blocked GEMM with the bias as its initial value) and the [N, H_o·W_o, O]
    /// result is permuted to NCHW. Each step is a differentiable operation whose adjoint is another (im2col ↔ col2im,
    /// permutation ↔ inverse permutation, GEMM ↔ GEMM), so the gradients for x, w and b — and their derivatives — come
    /// from the graph: ∂x = col2im(Gᵀ·W), ∂W = Gᵀ·P, ∂b = Σ G. Every sum runs in a fixed order, so results do not depend
    /// on threads or on where the tensors lie in memory.
    /// </remarks>
    /// <exception cref="ArgumentException">When the shapes do not fit, the stride is not positive, the padding is negative
    /// or the kernel is larger than the padded image (naming the values).</exception>
    public static Tensor<T> Conv2d<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv2d needs NCHW input, not shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        if (weight.Rank != 4 || weight.Shape[1] != x.Shape[1])
            throw new ArgumentException($"Conv2d: weight {ShapeRules.Format(weight.Shape)} does not fit input {ShapeRules.Format(x.Shape)} (expected [O, {x.Shape[1]}, kh, kw]).", nameof(weight));
        int outputs = weight.Shape[0];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outputs))
            throw new ArgumentException($"Conv2d: bias {ShapeRules.Format(bias.Shape)} does not fit weight {ShapeRules.Format(weight.Shape)} (expected [{outputs}]).", nameof(bias));
        var g = ConvGeometry.Create(x.Shape, weight.Shape[2], weight.Shape[3], stride, padding);
        var patches = Im2Col(x, g);
        var rows = Linear(patches, Reshape(weight, [outputs, g.Depth]), bias);
        var nchw = Permute(Reshape(rows, [g.N, g.Ho * g.Wo, outputs]), 0, 2, 1);
        return Reshape(nchw, [g.N, outputs, g.Ho, g.Wo]);
    }

    /// <summary>The sizes of one convolution: input [N, C, H, W], kernel kh×kw, stride, padding, output H_o×W_o.</summary>
    internal sealed record ConvGeometry(int N, int C, int H, int W, int Kh, int Kw, int Stride, int Padding, int Ho, int Wo)
    {
        /// <summary>Columns of the patch matrix, C·kh·kw.</summary>
        public int Depth => C * Kh * Kw;

        public static ConvGeometry Create(ReadOnlySpan<int> input, int kh, int kw, int stride, int padding)
        {
            if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "the stride must be positive.");
            if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "the padding must be ≥ 0.");
            if (kh < 1 || kw < 1) throw new ArgumentException($"the kernel {kh}×{kw} must be at least 1×1.", nameof(kh));
            int h = input[2], w = input[3];
            if (h + 2 * padding < kh || w + 2 * padding < kw)
                throw new ArgumentException($"the kernel {kh}×{kw} is larger than the padded image {h + 2 * padding}×{w + 2 * padding}.", nameof(kh));
            return new(input[0], input[1], h, w, kh, kw, stride, padding, (h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1);
        }
    }

    /// <summary>The patch matrix of a convolution: row (n, i, j), column (c, u, v) holds x[n, c, i·s − p + u, j·s − p + v] (0 outside). Its adjoint is <see cref="Col2Im"/>.</summary>
    internal static Tensor<T> Im2Col<T>(Tensor<T> x, ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate([g.N * g.Ho * g.Wo, g.Depth], clear: false);
        var X = x.Span; var Y = y.Span;
        int depth = g.Depth, plane = g.H * g.W;
        for (int n = 0; n < g.N; n++)
            for (int i = 0; i < g.Ho; i++)
                for (int j = 0; j < g.Wo; j++)
                {
                    var row = Y.Slice(((n * g.Ho + i) * g.Wo + j) * depth, depth);
                    int col = 0;
                    for (int c = 0; c < g.C; c++)
                    {
                        int image = (n * g.C + c) * plane;
                        for (int u = 0; u < g.Kh; u++)
                        {
                            int r = i * g.Stride - g.Padding + u;
                            if ((uint)r >= (uint)g.H) { row.Slice(col, g.Kw).Clear(); col += g.Kw; continue; }
                            int start = j * g.Stride - g.Padding, line = image + r * g.W;
                            for (int v = 0; v < g.Kw; v++, col++)
                            {
                                int s = start + v;
                                row[col] = (uint)s < (uint)g.W ? X[line + s] : T.Zero;
                            }
                        }
                    }
                }
        if (Recording(x))
            Record(y, "im2col", [x], static (n, y, g, gi) => gi[0] = Col2Im(g, (ConvGeometry)n.State!)).State = g;
        return y;
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: each patch entry added back into the pixel it was read from (rows, then columns, in order).</summary>
    internal static Tensor<T> Col2Im<T>(Tensor<T> cols, ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate([g.N, g.C, g.H, g.W], clear: true);
        var X = cols.Span; var Y = y.Span;
        int depth = g.Depth, plane = g.H * g.W;
        for (int n = 0; n < g.N; n++)
            for (int i = 0; i < g.Ho; i++)
                for (int j = 0; j < g.Wo; j++)
                {
                    var row = X.Slice(((n * g.Ho + i) * g.Wo + j) * depth, depth);
                    int col = 0;
                    for (int c = 0; c < g.C; c++)
                    {
                        int image = (n * g.C + c) * plane;
                        for (int u = 0; u < g.Kh; u++)
                        {
                            int r = i * g.Stride - g.Padding + u;
                            if ((uint)r >= (uint)g.H) { col += g.Kw; continue; }
                            int start = j * g.Stride - g.Padding, line = image + r * g.W;
                            for (int v = 0; v < g.Kw; v++, col++)
                            {
                                int s = start + v;
                                if ((uint)s < (uint)g.W) Y[line + s] += row[col];
                            }
                        }
                    }
                }
        if (Recording(cols))
            Record(y, "col2im", [cols], static (n, y, g, gi) => gi[0] = Im2Col(g, (ConvGeometry)n.State!)).State = g;
        return y;
    }

    /// <summary>
    /// Nearest-neighbour up-sampling by 2 of NCHW images (PyTorch's <c>Upsample(scale_factor=2, mode="nearest")</c>):
    /// y[n, c, i, j] = x[n, c, ⌊i/2⌋, ⌊j/2⌋]. Its gradient is <see cref="SumPool2x"/> of G.
    /// </summary>
    /// <exception cref="ArgumentException">When x is not rank 4.</exception>
    public static Tensor<T> UpsampleNearest2x<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 4) throw new ArgumentException($"UpsampleNearest2x needs NCHW input, not shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = TensorArena<T>.Allocate([x.Shape[0], x.Shape[1], 2 * h, 2 * w], clear: false);
        var X = x.Span; var Y = y.Span;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < h; i++)
            {
                var src = X.Slice((p * h + i) * w, w);
                var top = Y.Slice((p * 2 * h + 2 * i) * 2 * w, 2 * w);
                for (int j = 0; j < w; j++) top[2 * j] = top[2 * j + 1] = src[j];
                top.CopyTo(Y.Slice((p * 2 * h + 2 * i + 1) * 2 * w, 2 * w));
            }
        if (Recording(x))
            Record(y, "upsample2x", [x], static (n, y, g, gi) => gi[0] = SumPool2x(g));
        return y;
    }

    /// <summary>
    /// Sums over non-overlapping 2×2 blocks of NCHW images: y[n, c, i, j] = Σ_{u,v ∈ {0,1}} x[n, c, 2i + u, 2j + v]
    /// (in the order (0,0), (0,1), (1,0), (1,1)); H and W must be even. ¼ of it is 2×2 average pooling. The adjoint of
    /// <see cref="UpsampleNearest2x"/>, and its gradient is that up-sampling of G.
    /// </summary>
    /// <exception cref="ArgumentException">When x is not rank 4 or H or W is odd.</exception>
    public static Tensor<T> SumPool2x<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 4 || x.Shape[2] % 2 != 0 || x.Shape[3] % 2 != 0)
            throw new ArgumentException($"SumPool2x needs NCHW input with even H and W, not shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2] / 2, w = x.Shape[3] / 2;
        var y = TensorArena<T>.Allocate([x.Shape[0], x.Shape[1], h, w], clear: false);
        var X = x.Span; var Y = y.Span;
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < h; i++)
            {
                var top = X.Slice((p * 2 * h + 2 * i) * 2 * w, 2 * w);
                var bottom = X.Slice((p * 2 * h + 2 * i + 1) * 2 * w, 2 * w);
                var dst = Y.Slice((p * h + i) * w, w);
                for (int j = 0; j < w; j++) dst[j] = top[2 * j] + top[2 * j + 1] + bottom[2 * j] + bottom[2 * j + 1];
            }
        if (Recording(x))
            Record(y, "sumpool2x", [x], static (n, y, g, gi) => gi[0] = UpsampleNearest2x(g));
        return y;
    }

    /// <summary>2×2 average pooling with stride 2 of NCHW images (PyTorch's <c>AvgPool2d(2)</c>): ¼·<see cref="SumPool2x"/>.</summary>
    /// <exception cref="ArgumentException">When x is not rank 4 or H or W is odd.</exception>
    public static Tensor<T> AvgPool2x<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => Scale(SumPool2x(x), T.CreateChecked(0.25));
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Drift.Numerics;

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
    /// <para>Computed as one fused operation: the patches are gathered straight into the column matrix the GEMM wants,
    /// P [C·kh·kw, N·H_o·W_o] with P[(c, u, v), (n, i, j)] = x[n, c, i·s − p + u, j·s − p + v] (each row a run of shifted
    /// image rows, copied as blocks), then Yᵀ = W·P with the bias as the GEMM's initial value, and the [O, N, H_o·W_o]
    /// result is moved to NCHW in blocks of H_o·W_o. Each output is the same chain of fused multiply-adds over (c, u, v)
    /// as the im2col + <see cref="Linear"/> composite, so the values are bit for bit those of that composite. The images
    /// go through in chunks of about 256 KiB of patch entries (whole images, 256-column multiples), each chunk's patches,
    /// product and move done before the next, so the intermediate columns stay in cache; the results do not depend on it.</para>
    /// <para>Backward (first order, fused): with G the output gradient as [O, N·H_o·W_o], ∂W = G·Pᵀ (sums over (n, i, j)
    /// in order), ∂b = Σ_{n,i,j} G (in order), ∂P = Wᵀ·G and ∂x = col2im(∂P) (each patch entry added back into the pixel
    /// it was read from, in (c, u, v) then (n, i, j) order), in the same image chunks as the forward pass. When a higher-order graph is recorded the gradients are built
    /// from the differentiable composite (im2col ↔ col2im, permutation, GEMM), so they can be differentiated again. Every
    /// sum runs in a fixed order, so results do not depend on threads or on where the tensors lie in memory.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">When the shapes do not fit, the stride is not positive, the padding is negative
    /// or the kernel is larger than the padded image (naming the values).</exception>
    public static Tensor<T> Conv2d<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Conv2dFused(x, weight, bias, stride, padding, ConvChunkTarget);

    /// <summary>Output columns per image chunk that <see cref="Conv2d"/> aims for: 256 KiB of float patch rows per chunk.</summary>
    const int ConvChunkTarget = 1 << 16;

    /// <summary>The depth block of <see cref="Gemm"/> (its remarks: "each block of K = 256 depth steps"): a chunk of the
    /// weight gradient's sum over columns must start on such a block for the chunked sum to keep the one-call bits.</summary>
    const int GemmDepthBlock = 256;

    /// <summary>
    /// The fused <see cref="Conv2d"/> in chunks of whole images: the patch columns, the GEMM and the move to NCHW (forward),
    /// and the gradient's transpose, ∂P and col2im (backward) run on one chunk at a time, so each chunk's columns are
    /// still in cache when the next stage reads them instead of travelling through memory as one N·H_o·W_o-wide matrix.
    /// </summary>
    /// <remarks>Bit for bit the unchunked computation: forward outputs and ∂P entries are each one chain over the depth
    /// (or the output channels), untouched by splitting the columns; ∂b is one running sum in column order; ∂W's sum over
    /// columns is split only at multiples of <see cref="GemmDepthBlock"/> columns, where the GEMM starts a new depth block
    /// anyway, and the later chunks are added with β = 1 exactly as the GEMM folds in its later blocks; col2im adds into
    /// each pixel of one image in (c, u, v) order whatever the chunking.</remarks>
    /// <param name="x">Input [N, C, H, W].</param>
    /// <param name="weight">Kernel [O, C, kh, kw].</param>
    /// <param name="bias">Bias [O], or null.</param>
    /// <param name="stride">Stride s.</param>
    /// <param name="padding">Zero padding p.</param>
    /// <param name="chunkTarget">About how many patch entries (depth × columns) one chunk holds; int.MaxValue: one chunk (tests).</param>
    internal static Tensor<T> Conv2dFused<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, int stride, int padding, int chunkTarget)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = CheckConv(x, weight, bias, stride, padding);
        int outputs = weight.Shape[0], pixels = g.Ho * g.Wo, columns = g.N * pixels;
        int chunkImages = ChunkImages(g, chunkTarget);
        var patches = TensorArena<T>.Allocate([g.Depth * chunkImages * pixels], clear: false);
        var rows = TensorArena<T>.Allocate([outputs * chunkImages * pixels], clear: false);
        var y = TensorArena<T>.Allocate([g.N, outputs, g.Ho, g.Wo], clear: false);
        var masks = WindowMasks<T>(g, stackalloc Vector256<T>[MaxWindowMasks]);
        for (int n0 = 0; n0 < g.N; n0 += chunkImages)
        {
            int images = Math.Min(chunkImages, g.N - n0), width = images * pixels;
            var P = patches.Span[..(g.Depth * width)];
            PatchColumns<T>(x.Span, P, width, g, n0, images, masks);
            var R = rows.Span[..(outputs * width)];
            if (bias is not null)
            {
                var B = bias.Span;
                for (int o = 0; o < outputs; o++) R.Slice(o * width, width).Fill(B[o]);
            }
            Product<T>(false, false, outputs, width, g.Depth, weight.Span, g.Depth, P, width, bias is null ? T.Zero : T.One, R, width);
            SwapLeadingAxes<T>(R, y.Span[(n0 * outputs * pixels)..], outputs, images, pixels);
        }
        bool recording = GradMode.IsEnabled && (x.RequiresGrad || weight.RequiresGrad || bias is { RequiresGrad: true });
        if (recording)
        {
            var node = Record(y, "conv2d", bias is null ? [x, weight] : [x, weight, bias], static (n, y, gy, gi) =>
            {
                var (x, w) = (n.Inputs[0], n.Inputs[1]);
                var g = (ConvGeometry)n.State!;
                int outputs = w.Shape[0], pixels = g.Ho * g.Wo, columns = g.N * pixels;
                if (GradMode.IsEnabled)
                {
                    // Higher order: the composite's gradient graph, itself differentiable.
                    var gr = Reshape(Permute(Reshape(gy, [g.N, outputs, pixels]), 0, 2, 1), [columns, outputs]);
                    if (n.Needs(0)) gi[0] = Col2Im(MatMul(gr, Reshape(w, [outputs, g.Depth])), g);
                    if (n.Needs(1)) gi[1] = Reshape(MatMul(gr, Im2Col(x, g), transposeA: true), w.Shape);
                    if (n.Inputs.Length > 2 && n.Needs(2)) gi[2] = Sum(gr, 0);
                    return;
                }
                int chunkImages = n.Integer;
                bool needX = n.Needs(0), needW = n.Needs(1), needB = n.Inputs.Length > 2 && n.Needs(2);
                var gt = TensorArena<T>.Allocate([outputs * chunkImages * pixels], clear: false);
                var dw = needW ? TensorArena<T>.Allocate(w.Shape, clear: false) : null;
                var db = needB ? TensorArena<T>.Allocate([outputs], clear: true) : null;
                var dp = needX || needW ? TensorArena<T>.Allocate([g.Depth * chunkImages * pixels], clear: false) : null;
                var dx = needX ? TensorArena<T>.Allocate([g.N, g.C, g.H, g.W], clear: true) : null;
                var masks = WindowMasks<T>(g, stackalloc Vector256<T>[MaxWindowMasks]);
                for (int n0 = 0; n0 < g.N; n0 += chunkImages)
                {
                    int images = Math.Min(chunkImages, g.N - n0), width = images * pixels;
                    var G = gt.Span[..(outputs * width)];
                    SwapLeadingAxes<T>(gy.Span.Slice(n0 * outputs * pixels, outputs * width), G, images, outputs, pixels);
                    if (needW)
                    {
                        // The chunk's patches again, from x (cheaper than keeping all N·H_o·W_o columns from the forward pass).
                        var P = dp!.Span[..(g.Depth * width)];
                        PatchColumns<T>(x.Span, P, width, g, n0, images, masks);
                        Product<T>(false, true, outputs, g.Depth, width, G, width, P, width, n0 == 0 ? T.Zero : T.One, dw!.Span, g.Depth);
                    }
                    if (needB)
                    {
                        var D = db!.Span;
                        for (int o = 0; o < outputs; o++)
                        {
                            var row = G.Slice(o * width, width);
                            T sum = D[o];
                            for (int k = 0; k < row.Length; k++) sum += row[k];
                            D[o] = sum;
                        }
                    }
                    if (needX)
                    {
                        var dP = dp!.Span[..(g.Depth * width)];
                        Product<T>(true, false, g.Depth, width, outputs, w.Span, g.Depth, G, width, T.Zero, dP, width);
                        AddPatchColumns<T>(dP, width, dx!.Span, g, n0, images, masks);
                    }
                }
                if (needW) gi[1] = dw;
                if (needB) gi[2] = db;
                if (needX) gi[0] = dx;
            });
            node.State = g;
            node.Integer = chunkImages;
        }
        return y;
    }

    /// <summary>
    /// Images per chunk of <see cref="Conv2dFused"/>: a whole number of images whose columns are a multiple of
    /// <see cref="GemmDepthBlock"/> (so ∂W keeps its bits), about <paramref name="target"/>/depth columns, at least one
    /// such unit; all N images when the unit is not smaller than N.
    /// </summary>
    static int ChunkImages(ConvGeometry g, int target)
    {
        int pixels = g.Ho * g.Wo;
        int gcd = GemmDepthBlock, rest = pixels;
        while (rest != 0) (gcd, rest) = (rest, gcd % rest);
        long unit = GemmDepthBlock / gcd; // images in lcm(256, pixels) columns
        if (unit >= g.N) return g.N;
        long units = Math.Max(1, target / ((long)g.Depth * unit * pixels));
        return (int)Math.Min(g.N, units * unit);
    }

    /// <summary>The convolution as the differentiable composite im2col → <see cref="Linear"/> → permutation (the oracle of the fused <see cref="Conv2d"/>).</summary>
    internal static Tensor<T> Conv2dComposite<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias = null, int stride = 1, int padding = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = CheckConv(x, weight, bias, stride, padding);
        int outputs = weight.Shape[0];
        var rows = Linear(Im2Col(x, g), Reshape(weight, [outputs, g.Depth]), bias);
        var nchw = Permute(Reshape(rows, [g.N, g.Ho * g.Wo, outputs]), 0, 2, 1);
        return Reshape(nchw, [g.N, outputs, g.Ho, g.Wo]);
    }

    static ConvGeometry CheckConv<T>(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, int stride, int padding)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv2d needs NCHW input, not shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        if (weight.Rank != 4 || weight.Shape[1] != x.Shape[1])
            throw new ArgumentException($"Conv2d: weight {ShapeRules.Format(weight.Shape)} does not fit input {ShapeRules.Format(x.Shape)} (expected [O, {x.Shape[1]}, kh, kw]).", nameof(weight));
        int outputs = weight.Shape[0];
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outputs))
            throw new ArgumentException($"Conv2d: bias {ShapeRules.Format(bias.Shape)} does not fit weight {ShapeRules.Format(weight.Shape)} (expected [{outputs}]).", nameof(bias));
        return ConvGeometry.Create(x.Shape, weight.Shape[2], weight.Shape[3], stride, padding);
    }

    /// <summary>y[b, a, k] = x[a, b, k] for x [A, B, K]: swaps the two leading axes, moving blocks of K.</summary>
    static void SwapLeadingAxes<T>(ReadOnlySpan<T> x, Span<T> y, int a, int b, int k)
    {
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                x.Slice((i * b + j) * k, k).CopyTo(y.Slice((j * a + i) * k, k));
    }

    /// <summary>The column range [first, last) of output positions j whose input column j·s − p + v lies inside [0, W).</summary>
    static (int First, int Last) InsideColumns(ConvGeometry g, int v)
    {
        int shift = v - g.Padding;                                  // input column = j·s + shift
        int first = shift >= 0 ? 0 : (-shift + g.Stride - 1) / g.Stride;
        int last = g.W - shift <= 0 ? 0 : Math.Min(g.Wo, (g.W - shift + g.Stride - 1) / g.Stride);
        return (Math.Min(first, last), last);
    }

    /// <summary>P[(c, u, v), (n, i, j)] = x[n, c, i·s − p + u, j·s − p + v] (0 outside the image) for the images n in
    /// [firstImage, firstImage + images): the column matrix of the fused <see cref="Conv2d"/>, or a chunk of it. p starts at
    /// the chunk's first column and its rows lie <paramref name="rowStride"/> apart; <paramref name="masks"/> from
    /// <see cref="WindowMasks"/>, or empty for the line-by-line path.</summary>
    /// <remarks>When s = 1 and W_o = W (a "same" or 1×1 convolution) the H_o·W_o entries of one image are its plane shifted by
    /// (u − p)·W + (v − p): one block copy, then the rows and columns that fell outside the image are cleared.</remarks>
    static void PatchColumns<T>(ReadOnlySpan<T> x, Span<T> p, int rowStride, ConvGeometry g, int firstImage, int images, ReadOnlySpan<Vector256<T>> masks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!masks.IsEmpty)
        {
            // Gathering only reads x: the span is made writable just to share MoveWindows with the adjoint.
            MoveWindows(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(x), x.Length), p, rowStride, g, firstImage, images, masks, add: false);
            return;
        }
        int pixels = g.Ho * g.Wo, plane = g.H * g.W;
        bool shifted = g.Stride == 1 && g.Wo == g.W;
        for (int c = 0; c < g.C; c++)
            for (int u = 0; u < g.Kh; u++)
                for (int v = 0; v < g.Kw; v++)
                {
                    var row = p.Slice(((c * g.Kh + u) * g.Kw + v) * rowStride, images * pixels);
                    var (first, last) = InsideColumns(g, v);
                    int shift = v - g.Padding;
                    for (int k = 0; k < images; k++)
                    {
                        var image = x.Slice(((firstImage + k) * g.C + c) * plane, plane);
                        var dst = row.Slice(k * pixels, pixels);
                        if (shifted)
                        {
                            int offset = (u - g.Padding) * g.W + shift;
                            int lo = Math.Max(0, -offset), hi = Math.Min(pixels, plane - offset);
                            if (hi <= lo) { dst.Clear(); continue; }
                            dst[..lo].Clear();
                            dst[hi..].Clear();
                            image.Slice(lo + offset, hi - lo).CopyTo(dst[lo..hi]);
                            ClearOutside(dst, g, u, first, last);
                            continue;
                        }
                        for (int i = 0; i < g.Ho; i++)
                        {
                            var line = dst.Slice(i * g.Wo, g.Wo);
                            int r = i * g.Stride - g.Padding + u;
                            if ((uint)r >= (uint)g.H || first >= last) { line.Clear(); continue; }
                            var source = image.Slice(r * g.W, g.W);
                            line[..first].Clear();
                            line[last..].Clear();
                            if (g.Stride == 1) source.Slice(first + shift, last - first).CopyTo(line[first..last]);
                            else for (int j = first; j < last; j++) line[j] = source[j * g.Stride + shift];
                        }
                    }
                }
    }

    /// <summary>Most lane masks <see cref="WindowMasks"/> builds (kh·kw·H_o·W_o/lanes); larger convolutions take the line-by-line path.</summary>
    const int MaxWindowMasks = 256;

    /// <summary>
    /// For a stride-1 convolution with W_o = W whose image rows fit a Vector256 a whole number of times (W divides the
    /// lanes L, L divides H_o·W_o: 8×8 and 4×4 images in float), the lane masks of the window moves: output entries
    /// q ∈ [bL, (b+1)L) of patch row (u, v) read the input entries q + (u − p)·W + (v − p), a contiguous window, and lane
    /// q is kept when its input row i − p + u and column j − p + v lie inside the image. Mask (u·kw + v)·(H_o·W_o/L) + b
    /// has all bits set in the kept lanes. Returns an empty span when the shape does not fit.
    /// </summary>
    static Span<Vector256<T>> WindowMasks<T>(ConvGeometry g, Span<Vector256<T>> masks) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, pixels = g.Ho * g.Wo;
        if (!Vector256.IsHardwareAccelerated || g.Stride != 1 || g.Wo != g.W || lanes % g.W != 0 || pixels % lanes != 0) return [];
        int blocks = pixels / lanes;
        if (g.Kh * g.Kw * blocks > masks.Length) return [];
        Span<T> lane = stackalloc T[lanes];
        T ones = Vector256<T>.AllBitsSet.GetElement(0);
        for (int u = 0; u < g.Kh; u++)
            for (int v = 0; v < g.Kw; v++)
                for (int b = 0; b < blocks; b++)
                {
                    for (int l = 0; l < lanes; l++) lane[l] = InsideWindow(g, b * lanes + l, u, v) ? ones : T.Zero;
                    masks[(u * g.Kw + v) * blocks + b] = Vector256.Create<T>(lane);
                }
        return masks[..(g.Kh * g.Kw * blocks)];
    }

    /// <summary>Whether output entry q of patch row (u, v) reads inside the image (stride 1, W_o = W).</summary>
    static bool InsideWindow(ConvGeometry g, int q, int u, int v)
    {
        int r = q / g.Wo - g.Padding + u, column = q % g.Wo - g.Padding + v;
        return (uint)r < (uint)g.H && (uint)column < (uint)g.W;
    }

    /// <summary>
    /// <see cref="PatchColumns"/> (<paramref name="add"/> false) or <see cref="AddPatchColumns"/> (true) a Vector256 window
    /// at a time (<see cref="WindowMasks"/>). Gathering, each window of the image plane is loaded and its outside lanes
    /// zeroed by the mask; adding, the plane's window plus the patch entries is written back in the kept lanes only (the
    /// others keep their values: the same single addition per entry, in the same order as the line-by-line path). A
    /// window that runs off the plane goes through a copy of the part inside it (the lanes off the plane are masked).
    /// planes holds the images: x, only read when gathering, or ∂x when adding.
    /// </summary>
    static void MoveWindows<T>(Span<T> planes, Span<T> p, int rowStride, ConvGeometry g, int firstImage, int images, ReadOnlySpan<Vector256<T>> masks, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count, pixels = g.Ho * g.Wo, plane = g.H * g.W, blocks = pixels / lanes;
        Span<T> edge = stackalloc T[lanes];
        for (int c = 0; c < g.C; c++)
            for (int u = 0; u < g.Kh; u++)
                for (int v = 0; v < g.Kw; v++)
                {
                    var row = p.Slice(((c * g.Kh + u) * g.Kw + v) * rowStride, images * pixels);
                    var mask = masks.Slice((u * g.Kw + v) * blocks, blocks);
                    int offset = (u - g.Padding) * g.W + v - g.Padding;
                    for (int k = 0; k < images; k++)
                    {
                        var image = planes.Slice(((firstImage + k) * g.C + c) * plane, plane);
                        for (int b = 0; b < blocks; b++)
                        {
                            var slot = row.Slice(k * pixels + b * lanes, lanes);
                            int start = b * lanes + offset, lo = Math.Max(0, start), hi = Math.Min(plane, start + lanes);
                            bool inside = lo == start && hi == start + lanes;
                            if (hi <= lo)
                            {
                                if (!add) slot.Clear();
                                continue;
                            }
                            Vector256<T> window;
                            if (inside) window = Vector256.Create<T>(image.Slice(start, lanes));
                            else
                            {
                                edge.Clear();
                                image[lo..hi].CopyTo(edge[(lo - start)..]);
                                window = Vector256.Create<T>(edge);
                            }
                            if (!add)
                            {
                                Vector256.ConditionalSelect(mask[b], window, Vector256<T>.Zero).CopyTo(slot);
                                continue;
                            }
                            var sum = Vector256.ConditionalSelect(mask[b], window + Vector256.Create<T>(slot), window);
                            if (inside) sum.CopyTo(image.Slice(start, lanes));
                            else
                            {
                                sum.CopyTo(edge);
                                edge.Slice(lo - start, hi - lo).CopyTo(image[lo..hi]);
                            }
                        }
                    }
                }
    }

    /// <summary>Zeros, in one image's H_o·W_o block of a patch row for kernel row u, the output rows whose input row falls outside the image and the columns outside [first, last).</summary>
    static void ClearOutside<T>(Span<T> block, ConvGeometry g, int u, int first, int last) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < g.Ho; i++)
        {
            var line = block.Slice(i * g.Wo, g.Wo);
            int r = i * g.Stride - g.Padding + u;
            if ((uint)r >= (uint)g.H || first >= last) { line.Clear(); continue; }
            for (int j = 0; j < first; j++) line[j] = T.Zero;
            for (int j = last; j < g.Wo; j++) line[j] = T.Zero;
        }
    }

    /// <summary>The adjoint of <see cref="PatchColumns"/>: dx[n, c, i·s − p + u, j·s − p + v] += P[(c, u, v), (n, i, j)], rows in
    /// order, for the images n in [firstImage, firstImage + images) (p holds their columns, rows <paramref name="rowStride"/>
    /// apart; <paramref name="masks"/> from <see cref="WindowMasks"/>, empty for the line-by-line path). P is scratch: in the shifted case its entries that were read from outside the image are zeroed first, so that
    /// each image's block can be added back in one shifted pass.</summary>
    static void AddPatchColumns<T>(Span<T> p, int rowStride, Span<T> dx, ConvGeometry g, int firstImage, int images, ReadOnlySpan<Vector256<T>> masks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!masks.IsEmpty)
        {
            MoveWindows(dx, p, rowStride, g, firstImage, images, masks, add: true);
            return;
        }
        int pixels = g.Ho * g.Wo, plane = g.H * g.W;
        bool shifted = g.Stride == 1 && g.Wo == g.W;
        for (int c = 0; c < g.C; c++)
            for (int u = 0; u < g.Kh; u++)
                for (int v = 0; v < g.Kw; v++)
                {
                    var row = p.Slice(((c * g.Kh + u) * g.Kw + v) * rowStride, images * pixels);
                    var (first, last) = InsideColumns(g, v);
                    if (first >= last) continue;
                    int shift = v - g.Padding;
                    for (int k = 0; k < images; k++)
                    {
                        var image = dx.Slice(((firstImage + k) * g.C + c) * plane, plane);
                        var src = row.Slice(k * pixels, pixels);
                        if (shifted)
                        {
                            int offset = (u - g.Padding) * g.W + shift;
                            int lo = Math.Max(0, -offset), hi = Math.Min(pixels, plane - offset);
                            if (hi <= lo) continue;
                            ClearOutside(src, g, u, first, last);
                            var d = image.Slice(lo + offset, hi - lo);
                            TensorPrimitives.Add(d, src[lo..hi], d);
                            continue;
                        }
                        for (int i = 0; i < g.Ho; i++)
                        {
                            int r = i * g.Stride - g.Padding + u;
                            if ((uint)r >= (uint)g.H) continue;
                            var line = src.Slice(i * g.Wo, g.Wo);
                            var target = image.Slice(r * g.W, g.W);
                            if (g.Stride == 1)
                            {
                                var d = target.Slice(first + shift, last - first);
                                TensorPrimitives.Add(d, line[first..last], d);
                            }
                            else for (int j = first; j < last; j++) target[j * g.Stride + shift] += line[j];
                        }
                    }
                }
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

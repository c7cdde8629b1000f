using System.Numerics;

namespace Drift.Learning.Autodiff;

public static partial class Ops
{
    /// <summary>Tensors joined along one axis; all other extents must agree. The gradient of each part is its <see cref="Narrow"/> of G.</summary>
    /// <exception cref="ArgumentException">When the list is empty or shapes disagree off the axis (naming both).</exception>
    public static Tensor<T> Concat<T>(IReadOnlyList<Tensor<T>> parts, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(parts));
        var first = parts[0];
        int a = ShapeRules.Axis(axis, first.Rank, nameof(axis));
        int total = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank)
                throw new ArgumentException($"Concat: shapes {ShapeRules.Format(first.Shape)} and {ShapeRules.Format(p.Shape)} have different ranks.", nameof(parts));
            for (int k = 0; k < p.Rank; k++)
                if (k != a && p.Shape[k] != first.Shape[k])
                    throw new ArgumentException($"Concat along axis {a}: shapes {ShapeRules.Format(first.Shape)} and {ShapeRules.Format(p.Shape)} differ on axis {k}.", nameof(parts));
            total += p.Shape[a];
        }
        var shape = first.Shape.ToArray();
        shape[a] = total;
        var y = TensorArena<T>.Allocate(shape, clear: false);
        var (outer, _, inner) = ShapeRules.AroundAxis(shape, a);
        var Y = y.Span;
        int at = 0;
        foreach (var p in parts)
        {
            int run = p.Shape[a] * inner;
            var P = p.Span;
            for (int o = 0; o < outer; o++) P.Slice(o * run, run).CopyTo(Y.Slice(o * total * inner + at * inner, run));
            at += p.Shape[a];
        }
        bool recording = false;
        foreach (var p in parts) recording |= p.RequiresGrad;
        if (recording && GradMode.IsEnabled)
            Record(y, "concat", [.. parts], static (n, y, g, gi) =>
            {
                int start = 0;
                for (int i = 0; i < n.Inputs.Length; i++)
                {
                    int len = n.Inputs[i].Shape[n.Integer];
                    if (n.Needs(i)) gi[i] = Narrow(g, n.Integer, start, len);
                    start += len;
                }
            }).Integer = a;
        return y;
    }

    /// <summary>Indices [start, start + length) along one axis (a copy). Its gradient is G placed back by <see cref="Pad"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the range leaves the axis.</exception>
    public static Tensor<T> Narrow<T>(Tensor<T> x, int axis, int start, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = ShapeRules.Axis(axis, x.Rank, nameof(axis));
        int extent = x.Shape[a];
        if (start < 0 || length < 0 || start > extent - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: [{start}, {start + length}) is outside axis {a} of shape {ShapeRules.Format(x.Shape)}.");
        var shape = x.Shape.ToArray();
        shape[a] = length;
        var y = TensorArena<T>.Allocate(shape, clear: false);
        var (outer, _, inner) = ShapeRules.AroundAxis(x.Shape, a);
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++)
            X.Slice((o * extent + start) * inner, length * inner).CopyTo(Y.Slice(o * length * inner, length * inner));
        if (Recording(x))
        {
            var node = Record(y, "narrow", [x], static (n, y, g, gi) => gi[0] = Pad(g, n.Integer, (int)n.Constant, n.Inputs[0].Shape[n.Integer]));
            node.Integer = a;
            node.Constant = start;
        }
        return y;
    }

    /// <summary>The adjoint of <see cref="Narrow"/>: x placed at [start, start + x's extent) of a zero tensor whose axis has <paramref name="extent"/>.</summary>
    public static Tensor<T> Pad<T>(Tensor<T> x, int axis, int start, int extent) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = ShapeRules.Axis(axis, x.Rank, nameof(axis));
        int length = x.Shape[a];
        if (start < 0 || start > extent - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Pad: [{start}, {start + length}) does not fit an extent of {extent}.");
        var shape = x.Shape.ToArray();
        shape[a] = extent;
        var y = TensorArena<T>.Allocate(shape, clear: true);
        var (outer, _, inner) = ShapeRules.AroundAxis(shape, a);
        var X = x.Span; var Y = y.Span;
        for (int o = 0; o < outer; o++)
            X.Slice(o * length * inner, length * inner).CopyTo(Y.Slice((o * extent + start) * inner, length * inner));
        if (Recording(x))
        {
            var node = Record(y, "pad", [x], static (n, y, g, gi) => gi[0] = Narrow(g, n.Integer, (int)n.Constant, n.Inputs[0].Shape[n.Integer]));
            node.Integer = a;
            node.Constant = start;
        }
        return y;
    }

    /// <summary>x cut along one axis into consecutive parts of the given sizes (which must add up to the extent).</summary>
    public static Tensor<T>[] Split<T>(Tensor<T> x, int axis, params ReadOnlySpan<int> sizes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int a = ShapeRules.Axis(axis, x.Rank, nameof(axis));
        int sum = 0;
        foreach (int s in sizes) sum += s;
        if (sum != x.Shape[a])
            throw new ArgumentException($"Split: sizes [{string.Join(", ", sizes.ToArray())}] do not add up to axis {a} of shape {ShapeRules.Format(x.Shape)}.", nameof(sizes));
        var parts = new Tensor<T>[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Narrow(x, a, start, sizes[i]);
            start += sizes[i];
        }
        return parts;
    }

    /// <summary>y[r] = x[r, index[r]]: one element per row of a matrix (as cross-entropy picks the label's logit). The gradient scatters G back.</summary>
    /// <exception cref="ArgumentException">When the index count differs from the rows or an index is outside the columns.</exception>
    public static Tensor<T> Pick<T>(Tensor<T> x, ReadOnlySpan<int> index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 2 || index.Length != x.Shape[0])
            throw new ArgumentException($"Pick: {index.Length} indices do not fit a matrix of shape {ShapeRules.Format(x.Shape)}.", nameof(index));
        int cols = x.Shape[1];
        var y = TensorArena<T>.Allocate([index.Length], clear: false);
        var X = x.Span; var Y = y.Span;
        for (int r = 0; r < index.Length; r++)
        {
            if ((uint)index[r] >= (uint)cols)
                throw new ArgumentException($"Pick: index {index[r]} in row {r} is outside {cols} columns.", nameof(index));
            Y[r] = X[r * cols + index[r]];
        }
        if (Recording(x))
            Record(y, "pick", [x], static (n, y, g, gi) => gi[0] = Unpick(g, (int[])n.State!, n.Inputs[0].Shape[1])).State = index.ToArray();
        return y;
    }

    /// <summary>The adjoint of <see cref="Pick{T}"/>: a zero matrix with y[r, index[r]] = g[r].</summary>
    internal static Tensor<T> Unpick<T>(Tensor<T> g, int[] index, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = TensorArena<T>.Allocate([index.Length, cols], clear: true);
        var G = g.Span; var Y = y.Span;
        for (int r = 0; r < index.Length; r++) Y[r * cols + index[r]] = G[r];
        if (Recording(g))
            Record(y, "unpick", [g], static (n, y, g, gi) => gi[0] = Pick(g, (int[])n.State!)).State = index;
        return y;
    }

    /// <summary>Rows of a table by index, y[r, :] = table[index[r], :] (an embedding lookup). The gradient adds G's rows back into the table's rows.</summary>
    /// <exception cref="ArgumentException">When an index is outside the table.</exception>
    public static Tensor<T> Rows<T>(Tensor<T> table, ReadOnlySpan<int> index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (table.Rank != 2) throw new ArgumentException($"Rows needs a matrix, not shape {ShapeRules.Format(table.Shape)}.", nameof(table));
        int count = table.Shape[0], width = table.Shape[1];
        var y = TensorArena<T>.Allocate([index.Length, width], clear: false);
        var X = table.Span; var Y = y.Span;
        for (int r = 0; r < index.Length; r++)
        {
            if ((uint)index[r] >= (uint)count)
                throw new ArgumentException($"Rows: index {index[r]} at position {r} is outside a table of {count} rows.", nameof(index));
            X.Slice(index[r] * width, width).CopyTo(Y.Slice(r * width, width));
        }
        if (Recording(table))
            Record(y, "rows", [table], static (n, y, g, gi) => gi[0] = AddRows(g, (int[])n.State!, n.Inputs[0].Shape[0])).State = index.ToArray();
        return y;
    }

    /// <summary>The adjoint of <see cref="Rows{T}"/>: a zero table of <paramref name="count"/> rows with row r of g added into row index[r], in order.</summary>
    internal static Tensor<T> AddRows<T>(Tensor<T> g, int[] index, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.Shape[1];
        var y = TensorArena<T>.Allocate([count, width], clear: true);
        var G = g.Span; var Y = y.Span;
        for (int r = 0; r < index.Length; r++)
        {
            var row = Y.Slice(index[r] * width, width);
            System.Numerics.Tensors.TensorPrimitives.Add(row, G.Slice(r * width, width), row);
        }
        if (Recording(g))
            Record(y, "add-rows", [g], static (n, y, g, gi) => gi[0] = Rows(g, (int[])n.State!)).State = index;
        return y;
    }
}

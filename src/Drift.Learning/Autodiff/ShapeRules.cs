namespace Drift.Learning.Autodiff;

/// <summary>Shape arithmetic shared by the tensor operations: counting, broadcasting and formatting.</summary>
internal static class ShapeRules
{
    /// <summary>Π shape, checking that every extent is non-negative and the product fits an int.</summary>
    public static int Count(ReadOnlySpan<int> shape, string parameter)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative extent.", parameter);
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {Format(shape)} has more than {Array.MaxLength} elements.", parameter);
        }
        return (int)n;
    }

    /// <summary>"[2, 3]".</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>A possibly negative axis turned into 0..rank−1.</summary>
    public static int Axis(int axis, int rank, string parameter)
    {
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)rank)
            throw new ArgumentOutOfRangeException(parameter, axis, $"Axis {axis} does not exist in a rank-{rank} tensor.");
        return a;
    }

    /// <summary>The NumPy broadcast of two shapes (trailing axes aligned; extents equal or one of them 1).</summary>
    /// <exception cref="ArgumentException">Naming both shapes when they do not broadcast.</exception>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string operation)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            int da = k < rank - a.Length ? 1 : a[k - (rank - a.Length)];
            int db = k < rank - b.Length ? 1 : b[k - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{operation}: shapes {Format(a)} and {Format(b)} do not broadcast (axis {k}: {da} vs {db}).");
            result[k] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Row-major strides of <paramref name="shape"/> seen inside a broadcast shape (0 on broadcast axes).</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target, Span<int> strides)
    {
        int rank = target.Length;
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            int j = k - (rank - shape.Length);
            int d = j >= 0 ? shape[j] : 1;
            strides[k] = d == 1 && target[k] != 1 ? 0 : stride;
            stride *= d;
        }
    }

    /// <summary>Whether <paramref name="shape"/> broadcasts to <paramref name="target"/>.</summary>
    public static bool BroadcastsTo(ReadOnlySpan<int> shape, ReadOnlySpan<int> target)
    {
        if (shape.Length > target.Length) return false;
        for (int k = 0; k < shape.Length; k++)
        {
            int d = shape[k], t = target[k + target.Length - shape.Length];
            if (d != t && d != 1) return false;
        }
        return true;
    }

    /// <summary>(outer, extent, inner) sizes around axis <paramref name="axis"/>.</summary>
    public static (int Outer, int Extent, int Inner) AroundAxis(ReadOnlySpan<int> shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int k = 0; k < axis; k++) outer *= shape[k];
        for (int k = axis + 1; k < shape.Length; k++) inner *= shape[k];
        return (outer, shape[axis], inner);
    }

    /// <summary><paramref name="shape"/> with axis <paramref name="axis"/> removed or set to 1.</summary>
    public static int[] Reduce(ReadOnlySpan<int> shape, int axis, bool keepDims)
    {
        if (keepDims)
        {
            var r = shape.ToArray();
            r[axis] = 1;
            return r;
        }
        var s = new int[shape.Length - 1];
        for (int k = 0, j = 0; k < shape.Length; k++)
            if (k != axis) s[j++] = shape[k];
        return s;
    }
}

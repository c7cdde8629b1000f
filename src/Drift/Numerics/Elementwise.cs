using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Numerics;

/// <summary>An element-wise operation on one input, written once for every lane width.</summary>
public interface IElementwise1
{
    /// <summary>The result for one register of lanes.</summary>
    TD Apply<TL, TU, TD>(TD a)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct;
}

/// <summary>An element-wise operation on two inputs, written once for every lane width.</summary>
public interface IElementwise2
{
    /// <summary>The result for one register of lanes.</summary>
    TD Apply<TL, TU, TD>(TD a, TD b)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct;
}

/// <summary>An element-wise operation on three inputs, written once for every lane width.</summary>
public interface IElementwise3
{
    /// <summary>The result for one register of lanes.</summary>
    TD Apply<TL, TU, TD>(TD a, TD b, TD c)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct;
}

/// <summary>An element-wise operation on four inputs, written once for every lane width.</summary>
public interface IElementwise4
{
    /// <summary>The result for one register of lanes.</summary>
    TD Apply<TL, TU, TD>(TD a, TD b, TD c, TD d)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct;
}

/// <summary>
/// Drivers that run an element-wise operation over spans with AVX-512, AVX2, 128-bit vectors (SSE2/AdvSimd) and a scalar tail.
/// Operations are built from IEEE-exact lane operations, so every element gets the same bits
/// whatever width computed it. The output may be the very same memory as an input (exact aliasing), but
/// an input that partially overlaps the output is refused with an <see cref="ArgumentException"/>, as
/// TensorPrimitives does: a vectorised pass would read elements it had already overwritten.
/// </summary>
public static class Elementwise
{
    /// <summary>destination[i] = op(a[i]).</summary>
    public static void Map<TOp>(in TOp op, ReadOnlySpan<double> a, Span<double> destination)
        where TOp : struct, IElementwise1
    {
        int n = destination.Length;
        if (a.Length < n)
            throw new ArgumentException($"input of length {a.Length} is shorter than the destination ({n}).");
        RefusePartialOverlap(a, destination, nameof(a));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Lanes512.IsSupported)
            i = Map<TOp, Lanes512, Vector512<ulong>, Vector512<double>>(in op, ref ra, ref rd, 0, n);
        else if (Lanes256.IsSupported)
            i = Map<TOp, Lanes256, Vector256<ulong>, Vector256<double>>(in op, ref ra, ref rd, 0, n);
        else if (Lanes128.IsSupported)
            i = Map<TOp, Lanes128, Vector128<ulong>, Vector128<double>>(in op, ref ra, ref rd, 0, n);
        Map<TOp, Lanes1, ulong, double>(in op, ref ra, ref rd, i, n);
    }

    /// <summary>destination[i] = op(a[i], b[i]).</summary>
    public static void Map<TOp>(in TOp op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> destination)
        where TOp : struct, IElementwise2
    {
        int n = destination.Length;
        if (a.Length < n || b.Length < n)
            throw new ArgumentException($"inputs of length {a.Length} and {b.Length} are shorter than the destination ({n}).");
        RefusePartialOverlap(a, destination, nameof(a));
        RefusePartialOverlap(b, destination, nameof(b));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Lanes512.IsSupported)
            i = Map<TOp, Lanes512, Vector512<ulong>, Vector512<double>>(in op, ref ra, ref rb, ref rd, 0, n);
        else if (Lanes256.IsSupported)
            i = Map<TOp, Lanes256, Vector256<ulong>, Vector256<double>>(in op, ref ra, ref rb, ref rd, 0, n);
        else if (Lanes128.IsSupported)
            i = Map<TOp, Lanes128, Vector128<ulong>, Vector128<double>>(in op, ref ra, ref rb, ref rd, 0, n);
        Map<TOp, Lanes1, ulong, double>(in op, ref ra, ref rb, ref rd, i, n);
    }

    /// <summary>destination[i] = op(a[i], b[i], c[i]).</summary>
    public static void Map<TOp>(in TOp op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, Span<double> destination)
        where TOp : struct, IElementwise3
    {
        int n = destination.Length;
        if (a.Length < n || b.Length < n || c.Length < n)
            throw new ArgumentException($"inputs of length {a.Length}, {b.Length}, {c.Length} are shorter than the destination ({n}).");
        RefusePartialOverlap(a, destination, nameof(a));
        RefusePartialOverlap(b, destination, nameof(b));
        RefusePartialOverlap(c, destination, nameof(c));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        ref double rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Lanes512.IsSupported)
            i = Map<TOp, Lanes512, Vector512<ulong>, Vector512<double>>(in op, ref ra, ref rb, ref rc, ref rd, 0, n);
        else if (Lanes256.IsSupported)
            i = Map<TOp, Lanes256, Vector256<ulong>, Vector256<double>>(in op, ref ra, ref rb, ref rc, ref rd, 0, n);
        else if (Lanes128.IsSupported)
            i = Map<TOp, Lanes128, Vector128<ulong>, Vector128<double>>(in op, ref ra, ref rb, ref rc, ref rd, 0, n);
        Map<TOp, Lanes1, ulong, double>(in op, ref ra, ref rb, ref rc, ref rd, i, n);
    }

    /// <summary>destination[i] = op(a[i], b[i], c[i], d[i]).</summary>
    public static void Map<TOp>(in TOp op, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, ReadOnlySpan<double> d, Span<double> destination)
        where TOp : struct, IElementwise4
    {
        int n = destination.Length;
        if (a.Length < n || b.Length < n || c.Length < n || d.Length < n)
            throw new ArgumentException($"inputs of length {a.Length}, {b.Length}, {c.Length}, {d.Length} are shorter than the destination ({n}).");
        RefusePartialOverlap(a, destination, nameof(a));
        RefusePartialOverlap(b, destination, nameof(b));
        RefusePartialOverlap(c, destination, nameof(c));
        RefusePartialOverlap(d, destination, nameof(d));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        ref double rc = ref MemoryMarshal.GetReference(c);
        ref double rdd = ref MemoryMarshal.GetReference(d);
        ref double rd = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Lanes512.IsSupported)
            i = Map<TOp, Lanes512, Vector512<ulong>, Vector512<double>>(in op, ref ra, ref rb, ref rc, ref rdd, ref rd, 0, n);
        else if (Lanes256.IsSupported)
            i = Map<TOp, Lanes256, Vector256<ulong>, Vector256<double>>(in op, ref ra, ref rb, ref rc, ref rdd, ref rd, 0, n);
        else if (Lanes128.IsSupported)
            i = Map<TOp, Lanes128, Vector128<ulong>, Vector128<double>>(in op, ref ra, ref rb, ref rc, ref rdd, ref rd, 0, n);
        Map<TOp, Lanes1, ulong, double>(in op, ref ra, ref rb, ref rc, ref rdd, ref rd, i, n);
    }

    /// <summary>Throws when the first destination.Length elements of an input overlap the destination other than exactly.</summary>
    static void RefusePartialOverlap(ReadOnlySpan<double> input, Span<double> destination, string name)
    {
        var used = input[..destination.Length];
        if (used.Overlaps(destination, out int offset) && offset != 0)
            throw new ArgumentException($"input '{name}' partially overlaps the destination (offset {offset} elements): only exact aliasing is allowed.", name);
    }

    /// <summary>True when every element is finite (no NaN, no ±∞).</summary>
    public static bool AllFinite(ReadOnlySpan<double> x)
    {
        ref double r = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector512<double>.Zero;
            for (; i <= n - 8; i += 8)
            {
                var v = Vector512.LoadUnsafe(ref r, (nuint)i);
                acc += v - v; // 0 for finite lanes, NaN otherwise
            }
            if (acc != Vector512<double>.Zero) return false;
        }
        else if (Vector256.IsHardwareAccelerated && n >= 4)
        {
            var acc = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                acc += v - v;
            }
            if (acc != Vector256<double>.Zero) return false;
        }
        for (; i < n; i++)
            if (!double.IsFinite(Unsafe.Add(ref r, i))) return false;
        return true;
    }

    private static int Map<TOp, TL, TU, TD>(in TOp op, ref double a, ref double d, int start, int n)
        where TOp : struct, IElementwise1
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count, i = start;
        for (; i <= n - w; i += w)
            TL.Store(op.Apply<TL, TU, TD>(TL.Load(ref Unsafe.Add(ref a, i))), ref Unsafe.Add(ref d, i));
        return i;
    }

    private static int Map<TOp, TL, TU, TD>(in TOp op, ref double a, ref double b, ref double d, int start, int n)
        where TOp : struct, IElementwise2
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count, i = start;
        for (; i <= n - w; i += w)
            TL.Store(op.Apply<TL, TU, TD>(TL.Load(ref Unsafe.Add(ref a, i)), TL.Load(ref Unsafe.Add(ref b, i))), ref Unsafe.Add(ref d, i));
        return i;
    }

    private static int Map<TOp, TL, TU, TD>(in TOp op, ref double a, ref double b, ref double c, ref double d, int start, int n)
        where TOp : struct, IElementwise3
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count, i = start;
        for (; i <= n - w; i += w)
            TL.Store(op.Apply<TL, TU, TD>(
                TL.Load(ref Unsafe.Add(ref a, i)), TL.Load(ref Unsafe.Add(ref b, i)), TL.Load(ref Unsafe.Add(ref c, i))), ref Unsafe.Add(ref d, i));
        return i;
    }

    private static int Map<TOp, TL, TU, TD>(in TOp op, ref double a, ref double b, ref double c, ref double e, ref double d, int start, int n)
        where TOp : struct, IElementwise4
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count, i = start;
        for (; i <= n - w; i += w)
            TL.Store(op.Apply<TL, TU, TD>(
                TL.Load(ref Unsafe.Add(ref a, i)), TL.Load(ref Unsafe.Add(ref b, i)),
                TL.Load(ref Unsafe.Add(ref c, i)), TL.Load(ref Unsafe.Add(ref e, i))), ref Unsafe.Add(ref d, i));
        return i;
    }
}

using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Learning.Autodiff;

/// <summary>
/// Sums whose order of additions depends only on the length of the span, never on its address. TensorPrimitives'
/// aggregations align their loads to the vector width, so the same values at a differently aligned address (an array
/// the GC placed elsewhere, a row of a matrix) are added in another order and can differ in the last bits: training
/// would then not be bit-identical from run to run. Here four 256-bit accumulators take consecutive unaligned vectors
/// from the start of the span, are combined as (a₀ + a₁) + (a₂ + a₃), reduced horizontally, and the tail is added in order.
/// </summary>
internal static class DeterministicReduction
{
    /// <summary>Σᵢ xᵢ.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, n = Vector256<T>.Count;
        T s = T.Zero;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && x.Length >= 4 * n)
        {
            ref T r = ref MemoryMarshal.GetReference(x);
            Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= x.Length - 4 * n; i += 4 * n)
            {
                a0 += Vector256.LoadUnsafe(ref r, (nuint)i);
                a1 += Vector256.LoadUnsafe(ref r, (nuint)(i + n));
                a2 += Vector256.LoadUnsafe(ref r, (nuint)(i + 2 * n));
                a3 += Vector256.LoadUnsafe(ref r, (nuint)(i + 3 * n));
            }
            for (; i <= x.Length - n; i += n) a0 += Vector256.LoadUnsafe(ref r, (nuint)i);
            s = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>Σᵢ xᵢ².</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, n = Vector256<T>.Count;
        T s = T.Zero;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && x.Length >= 4 * n)
        {
            ref T r = ref MemoryMarshal.GetReference(x);
            Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= x.Length - 4 * n; i += 4 * n)
            {
                var v0 = Vector256.LoadUnsafe(ref r, (nuint)i);
                var v1 = Vector256.LoadUnsafe(ref r, (nuint)(i + n));
                var v2 = Vector256.LoadUnsafe(ref r, (nuint)(i + 2 * n));
                var v3 = Vector256.LoadUnsafe(ref r, (nuint)(i + 3 * n));
                a0 += v0 * v0;
                a1 += v1 * v1;
                a2 += v2 * v2;
                a3 += v3 * v3;
            }
            for (; i <= x.Length - n; i += n)
            {
                var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                a0 += v * v;
            }
            s = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Drift.Numerics;

/// <summary>
/// AVX register transposes that speed up the strided cases of GEMM packing. They only move elements
/// (no arithmetic), so a kernel's results do not depend on whether they were used. Callers check
/// <see cref="Avx.IsSupported"/> and pass blocks that lie wholly inside their matrices.
/// </summary>
internal static class GemmPacking
{
    /// <summary>
    /// Six rows of a row-major float matrix (stride <paramref name="ld"/>), eight depth steps each, into eight
    /// consecutive groups of six: destination[6p + i] = source[i·ld + p] for i &lt; 6, p &lt; 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6x8(ref float source, nint ld, ref float destination)
    {
        var x0 = Vector256.LoadUnsafe(ref source);
        var x1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, ld));
        var x2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * ld));
        var x3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * ld));
        var x4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * ld));
        var x5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * ld));
        var t0 = Avx.UnpackLow(x0, x1);  // a0 b0 a1 b1 | a4 b4 a5 b5
        var t1 = Avx.UnpackHigh(x0, x1); // a2 b2 a3 b3 | a6 b6 a7 b7
        var t2 = Avx.UnpackLow(x2, x3);
        var t3 = Avx.UnpackHigh(x2, x3);
        var ef0145 = Avx.UnpackLow(x4, x5).AsDouble();  // (e0 f0) (e1 f1) | (e4 f4) (e5 f5)
        var ef2367 = Avx.UnpackHigh(x4, x5).AsDouble(); // (e2 f2) (e3 f3) | (e6 f6) (e7 f7)
        var s0 = Avx.Shuffle(t0, t2, 0x44); // a0 b0 c0 d0 | a4 b4 c4 d4
        var s1 = Avx.Shuffle(t0, t2, 0xEE); // a1 b1 c1 d1 | a5 b5 c5 d5
        var s2 = Avx.Shuffle(t1, t3, 0x44); // a2 b2 c2 d2 | a6 b6 c6 d6
        var s3 = Avx.Shuffle(t1, t3, 0xEE); // a3 b3 c3 d3 | a7 b7 c7 d7
        ref float d = ref destination;
        s0.GetLower().StoreUnsafe(ref d, 0);
        Pair(ref d, 4, ef0145.GetElement(0));
        s1.GetLower().StoreUnsafe(ref d, 6);
        Pair(ref d, 10, ef0145.GetElement(1));
        s2.GetLower().StoreUnsafe(ref d, 12);
        Pair(ref d, 16, ef2367.GetElement(0));
        s3.GetLower().StoreUnsafe(ref d, 18);
        Pair(ref d, 22, ef2367.GetElement(1));
        s0.GetUpper().StoreUnsafe(ref d, 24);
        Pair(ref d, 28, ef0145.GetElement(2));
        s1.GetUpper().StoreUnsafe(ref d, 30);
        Pair(ref d, 34, ef0145.GetElement(3));
        s2.GetUpper().StoreUnsafe(ref d, 36);
        Pair(ref d, 40, ef2367.GetElement(2));
        s3.GetUpper().StoreUnsafe(ref d, 42);
        Pair(ref d, 46, ef2367.GetElement(3));
    }

    /// <summary>
    /// Six rows of a row-major double matrix (stride <paramref name="ld"/>), four depth steps each, into four
    /// consecutive groups of six: destination[6p + i] = source[i·ld + p] for i &lt; 6, p &lt; 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rows6x4(ref double source, nint ld, ref double destination)
    {
        var x0 = Vector256.LoadUnsafe(ref source);
        var x1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, ld));
        var x2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * ld));
        var x3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * ld));
        var x4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * ld));
        var x5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * ld));
        var t0 = Avx.UnpackLow(x0, x1);  // a0 b0 | a2 b2
        var t1 = Avx.UnpackHigh(x0, x1); // a1 b1 | a3 b3
        var t2 = Avx.UnpackLow(x2, x3);  // c0 d0 | c2 d2
        var t3 = Avx.UnpackHigh(x2, x3); // c1 d1 | c3 d3
        var u0 = Avx.UnpackLow(x4, x5);  // e0 f0 | e2 f2
        var u1 = Avx.UnpackHigh(x4, x5); // e1 f1 | e3 f3
        ref double d = ref destination;
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref d, 0);
        u0.GetLower().StoreUnsafe(ref d, 4);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref d, 6);
        u1.GetLower().StoreUnsafe(ref d, 10);
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref d, 12);
        u0.GetUpper().StoreUnsafe(ref d, 16);
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref d, 18);
        u1.GetUpper().StoreUnsafe(ref d, 22);
    }

    /// <summary>destination[j·dstride + i] = source[i·ld + j] for an 8×8 block of floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(ref float source, nint ld, ref float destination, nint dstride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, ld));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * ld));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * ld));
        var r4 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 4 * ld));
        var r5 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 5 * ld));
        var r6 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 6 * ld));
        var r7 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 7 * ld));
        var t0 = Avx.UnpackLow(r0, r1);  // a0 b0 a1 b1 | a4 b4 a5 b5
        var t1 = Avx.UnpackHigh(r0, r1); // a2 b2 a3 b3 | a6 b6 a7 b7
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); // a0 b0 c0 d0 | a4 b4 c4 d4
        var s1 = Avx.Shuffle(t0, t2, 0xEE); // a1 b1 c1 d1 | a5 b5 c5 d5
        var s2 = Avx.Shuffle(t1, t3, 0x44); // a2 .. | a6 ..
        var s3 = Avx.Shuffle(t1, t3, 0xEE); // a3 .. | a7 ..
        var s4 = Avx.Shuffle(t4, t6, 0x44); // e0 f0 g0 h0 | e4 f4 g4 h4
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        ref float d = ref destination;
        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, dstride));
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 2 * dstride));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, 3 * dstride));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 4 * dstride));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 5 * dstride));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 6 * dstride));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 7 * dstride));
    }

    /// <summary>destination[j·dstride + i] = source[i·ld + j] for a 4×4 block of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose4x4(ref double source, nint ld, ref double destination, nint dstride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, ld));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * ld));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * ld));
        var t0 = Avx.UnpackLow(r0, r1);  // a0 b0 | a2 b2
        var t1 = Avx.UnpackHigh(r0, r1); // a1 b1 | a3 b3
        var t2 = Avx.UnpackLow(r2, r3);  // c0 d0 | c2 d2
        var t3 = Avx.UnpackHigh(r2, r3); // c1 d1 | c3 d3
        ref double d = ref destination;
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref d);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref Unsafe.Add(ref d, dstride));
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 2 * dstride));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref Unsafe.Add(ref d, 3 * dstride));
    }

    /// <summary>Writes two floats (carried as the 64 bits of one double) at destination[offset].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(ref float destination, nint offset, double bits) =>
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, offset)), bits);
}

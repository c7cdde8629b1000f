using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Drift.Numerics;

/// <summary>Eight 64-bit lanes (AVX-512).</summary>
public readonly struct Lanes512 : ILanes<Vector512<ulong>, Vector512<double>>
{
    /// <inheritdoc/>
    public static int Count => 8;
    /// <inheritdoc/>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;
    /// <inheritdoc/>
    public static Vector512<ulong> Broadcast(ulong value) => Vector512.Create(value);
    /// <inheritdoc/>
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
    /// <inheritdoc/>
    public static Vector512<ulong> Sequence(ulong start) => Vector512.Create(start) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MultiplyLow32(Vector512<ulong> a, Vector512<ulong> b) =>
        Avx512F.IsSupported
            ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32())
            : (a & Vector512.Create(0xFFFF_FFFFUL)) * (b & Vector512.Create(0xFFFF_FFFFUL));

    /// <inheritdoc/>
    public static Vector512<ulong> Add(Vector512<ulong> a, Vector512<ulong> b) => a + b;
    /// <inheritdoc/>
    public static Vector512<ulong> Subtract(Vector512<ulong> a, Vector512<ulong> b) => a - b;
    /// <inheritdoc/>
    public static Vector512<ulong> And(Vector512<ulong> a, Vector512<ulong> b) => a & b;
    /// <inheritdoc/>
    public static Vector512<ulong> Or(Vector512<ulong> a, Vector512<ulong> b) => a | b;
    /// <inheritdoc/>
    public static Vector512<ulong> Xor(Vector512<ulong> a, Vector512<ulong> b) => a ^ b;
    /// <inheritdoc/>
    public static Vector512<ulong> ShiftRight(Vector512<ulong> a, int bits) => Vector512.ShiftRightLogical(a, bits);
    /// <inheritdoc/>
    public static Vector512<ulong> ShiftLeft(Vector512<ulong> a, int bits) => Vector512.ShiftLeft(a, bits);
    /// <inheritdoc/>
    public static Vector512<double> AsDouble(Vector512<ulong> a) => a.AsDouble();
    /// <inheritdoc/>
    public static Vector512<ulong> AsBits(Vector512<double> a) => a.AsUInt64();
    /// <inheritdoc/>
    public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;
    /// <inheritdoc/>
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;
    /// <inheritdoc/>
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    /// <inheritdoc/>
    public static Vector512<double> Divide(Vector512<double> a, Vector512<double> b) => a / b;
    /// <inheritdoc/>
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    /// <inheritdoc/>
    public static Vector512<double> Sqrt(Vector512<double> a) => Vector512.Sqrt(a);
    /// <inheritdoc/>
    public static Vector512<ulong> LessThan(Vector512<double> a, Vector512<double> b) => Vector512.LessThan(a, b).AsUInt64();
    /// <inheritdoc/>
    public static Vector512<double> Select(Vector512<ulong> mask, Vector512<double> ifTrue, Vector512<double> ifFalse) => Vector512.ConditionalSelect(mask.AsDouble(), ifTrue, ifFalse);
    /// <inheritdoc/>
    public static Vector512<double> Load(ref double source) => Vector512.LoadUnsafe(ref source);
    /// <inheritdoc/>
    public static void Store(Vector512<double> value, ref double destination) => value.StoreUnsafe(ref destination);
}

/// <summary>Four 64-bit lanes (AVX2).</summary>
public readonly struct Lanes256 : ILanes<Vector256<ulong>, Vector256<double>>
{
    /// <inheritdoc/>
    public static int Count => 4;
    /// <inheritdoc/>
    public static bool IsSupported => Vector256.IsHardwareAccelerated;
    /// <inheritdoc/>
    public static Vector256<ulong> Broadcast(ulong value) => Vector256.Create(value);
    /// <inheritdoc/>
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
    /// <inheritdoc/>
    public static Vector256<ulong> Sequence(ulong start) => Vector256.Create(start) + Vector256.Create(0UL, 1, 2, 3);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MultiplyLow32(Vector256<ulong> a, Vector256<ulong> b) =>
        Avx2.IsSupported
            ? Avx2.Multiply(a.AsUInt32(), b.AsUInt32())
            : (a & Vector256.Create(0xFFFF_FFFFUL)) * (b & Vector256.Create(0xFFFF_FFFFUL));

    /// <inheritdoc/>
    public static Vector256<ulong> Add(Vector256<ulong> a, Vector256<ulong> b) => a + b;
    /// <inheritdoc/>
    public static Vector256<ulong> Subtract(Vector256<ulong> a, Vector256<ulong> b) => a - b;
    /// <inheritdoc/>
    public static Vector256<ulong> And(Vector256<ulong> a, Vector256<ulong> b) => a & b;
    /// <inheritdoc/>
    public static Vector256<ulong> Or(Vector256<ulong> a, Vector256<ulong> b) => a | b;
    /// <inheritdoc/>
    public static Vector256<ulong> Xor(Vector256<ulong> a, Vector256<ulong> b) => a ^ b;
    /// <inheritdoc/>
    public static Vector256<ulong> ShiftRight(Vector256<ulong> a, int bits) => Vector256.ShiftRightLogical(a, bits);
    /// <inheritdoc/>
    public static Vector256<ulong> ShiftLeft(Vector256<ulong> a, int bits) => Vector256.ShiftLeft(a, bits);
    /// <inheritdoc/>
    public static Vector256<double> AsDouble(Vector256<ulong> a) => a.AsDouble();
    /// <inheritdoc/>
    public static Vector256<ulong> AsBits(Vector256<double> a) => a.AsUInt64();
    /// <inheritdoc/>
    public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;
    /// <inheritdoc/>
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;
    /// <inheritdoc/>
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    /// <inheritdoc/>
    public static Vector256<double> Divide(Vector256<double> a, Vector256<double> b) => a / b;
    /// <inheritdoc/>
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);
    /// <inheritdoc/>
    public static Vector256<double> Sqrt(Vector256<double> a) => Vector256.Sqrt(a);
    /// <inheritdoc/>
    public static Vector256<ulong> LessThan(Vector256<double> a, Vector256<double> b) => Vector256.LessThan(a, b).AsUInt64();
    /// <inheritdoc/>
    public static Vector256<double> Select(Vector256<ulong> mask, Vector256<double> ifTrue, Vector256<double> ifFalse) => Vector256.ConditionalSelect(mask.AsDouble(), ifTrue, ifFalse);
    /// <inheritdoc/>
    public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);
    /// <inheritdoc/>
    public static void Store(Vector256<double> value, ref double destination) => value.StoreUnsafe(ref destination);
}

/// <summary>
/// Two 64-bit lanes (128-bit vectors: SSE2 on x64, AdvSimd on ARM64), so that machines without AVX2, ARM64 among
/// them, are not left scalar. The same IEEE lane operations as the wider types, hence the same bits.
/// </summary>
public readonly struct Lanes128 : ILanes<Vector128<ulong>, Vector128<double>>
{
    /// <inheritdoc/>
    public static int Count => 2;
    /// <inheritdoc/>
    public static bool IsSupported => Vector128.IsHardwareAccelerated;
    /// <inheritdoc/>
    public static Vector128<ulong> Broadcast(ulong value) => Vector128.Create(value);
    /// <inheritdoc/>
    public static Vector128<double> Broadcast(double value) => Vector128.Create(value);
    /// <inheritdoc/>
    public static Vector128<ulong> Sequence(ulong start) => Vector128.Create(start) + Vector128.Create(0UL, 1);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> MultiplyLow32(Vector128<ulong> a, Vector128<ulong> b) =>
        Sse2.IsSupported
            ? Sse2.Multiply(a.AsUInt32(), b.AsUInt32())
            : AdvSimd.IsSupported
                ? AdvSimd.MultiplyWideningLower(AdvSimd.ExtractNarrowingLower(a), AdvSimd.ExtractNarrowingLower(b))
                : (a & Vector128.Create(0xFFFF_FFFFUL)) * (b & Vector128.Create(0xFFFF_FFFFUL));

    /// <inheritdoc/>
    public static Vector128<ulong> Add(Vector128<ulong> a, Vector128<ulong> b) => a + b;
    /// <inheritdoc/>
    public static Vector128<ulong> Subtract(Vector128<ulong> a, Vector128<ulong> b) => a - b;
    /// <inheritdoc/>
    public static Vector128<ulong> And(Vector128<ulong> a, Vector128<ulong> b) => a & b;
    /// <inheritdoc/>
    public static Vector128<ulong> Or(Vector128<ulong> a, Vector128<ulong> b) => a | b;
    /// <inheritdoc/>
    public static Vector128<ulong> Xor(Vector128<ulong> a, Vector128<ulong> b) => a ^ b;
    /// <inheritdoc/>
    public static Vector128<ulong> ShiftRight(Vector128<ulong> a, int bits) => Vector128.ShiftRightLogical(a, bits);
    /// <inheritdoc/>
    public static Vector128<ulong> ShiftLeft(Vector128<ulong> a, int bits) => Vector128.ShiftLeft(a, bits);
    /// <inheritdoc/>
    public static Vector128<double> AsDouble(Vector128<ulong> a) => a.AsDouble();
    /// <inheritdoc/>
    public static Vector128<ulong> AsBits(Vector128<double> a) => a.AsUInt64();
    /// <inheritdoc/>
    public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;
    /// <inheritdoc/>
    public static Vector128<double> Subtract(Vector128<double> a, Vector128<double> b) => a - b;
    /// <inheritdoc/>
    public static Vector128<double> Multiply(Vector128<double> a, Vector128<double> b) => a * b;
    /// <inheritdoc/>
    public static Vector128<double> Divide(Vector128<double> a, Vector128<double> b) => a / b;
    /// <inheritdoc/>
    public static Vector128<double> MultiplyAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);
    /// <inheritdoc/>
    public static Vector128<double> Sqrt(Vector128<double> a) => Vector128.Sqrt(a);
    /// <inheritdoc/>
    public static Vector128<ulong> LessThan(Vector128<double> a, Vector128<double> b) => Vector128.LessThan(a, b).AsUInt64();
    /// <inheritdoc/>
    public static Vector128<double> Select(Vector128<ulong> mask, Vector128<double> ifTrue, Vector128<double> ifFalse) => Vector128.ConditionalSelect(mask.AsDouble(), ifTrue, ifFalse);
    /// <inheritdoc/>
    public static Vector128<double> Load(ref double source) => Vector128.LoadUnsafe(ref source);
    /// <inheritdoc/>
    public static void Store(Vector128<double> value, ref double destination) => value.StoreUnsafe(ref destination);
}

/// <summary>One lane: the portable fallback, and the tail of every vector loop.</summary>
public readonly struct Lanes1 : ILanes<ulong, double>
{
    /// <inheritdoc/>
    public static int Count => 1;
    /// <inheritdoc/>
    public static bool IsSupported => true;
    /// <inheritdoc/>
    public static ulong Broadcast(ulong value) => value;
    /// <inheritdoc/>
    public static double Broadcast(double value) => value;
    /// <inheritdoc/>
    public static ulong Sequence(ulong start) => start;
    /// <inheritdoc/>
    public static ulong MultiplyLow32(ulong a, ulong b) => (a & 0xFFFF_FFFFUL) * (b & 0xFFFF_FFFFUL);
    /// <inheritdoc/>
    public static ulong Add(ulong a, ulong b) => a + b;
    /// <inheritdoc/>
    public static ulong Subtract(ulong a, ulong b) => a - b;
    /// <inheritdoc/>
    public static ulong And(ulong a, ulong b) => a & b;
    /// <inheritdoc/>
    public static ulong Or(ulong a, ulong b) => a | b;
    /// <inheritdoc/>
    public static ulong Xor(ulong a, ulong b) => a ^ b;
    /// <inheritdoc/>
    public static ulong ShiftRight(ulong a, int bits) => a >> bits;
    /// <inheritdoc/>
    public static ulong ShiftLeft(ulong a, int bits) => a << bits;
    /// <inheritdoc/>
    public static double AsDouble(ulong a) => BitConverter.UInt64BitsToDouble(a);
    /// <inheritdoc/>
    public static ulong AsBits(double a) => BitConverter.DoubleToUInt64Bits(a);
    /// <inheritdoc/>
    public static double Add(double a, double b) => a + b;
    /// <inheritdoc/>
    public static double Subtract(double a, double b) => a - b;
    /// <inheritdoc/>
    public static double Multiply(double a, double b) => a * b;
    /// <inheritdoc/>
    public static double Divide(double a, double b) => a / b;
    /// <inheritdoc/>
    public static double MultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    /// <inheritdoc/>
    public static double Sqrt(double a) => Math.Sqrt(a);
    /// <inheritdoc/>
    public static ulong LessThan(double a, double b) => a < b ? ulong.MaxValue : 0UL;
    /// <inheritdoc/>
    public static double Select(ulong mask, double ifTrue, double ifFalse) => mask != 0 ? ifTrue : ifFalse;
    /// <inheritdoc/>
    public static double Load(ref double source) => source;
    /// <inheritdoc/>
    public static void Store(double value, ref double destination) => destination = value;
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Drift.Numerics;

/// <summary>
/// The lane operations the GEMM micro-kernel needs, for one register type <typeparamref name="TV"/> holding
/// <see cref="Count"/> elements of <typeparamref name="T"/>. The micro-kernel is written once against this
/// contract, so the AVX-512, AVX2 and scalar kernels are the same code with a different type argument.
/// </summary>
internal interface IGemmLanes<T, TV>
    where T : unmanaged
    where TV : struct
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }

    /// <summary>True when the instruction set this width needs is available (and accelerated).</summary>
    static abstract bool IsSupported { get; }

    /// <summary>The all-zero register.</summary>
    static abstract TV Zero { get; }

    /// <summary>Loads <see cref="Count"/> consecutive elements (no alignment needed).</summary>
    static abstract TV Load(ref T source);

    /// <summary>Stores <see cref="Count"/> consecutive elements (no alignment needed).</summary>
    static abstract void Store(TV value, ref T destination);

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TV Broadcast(T value);

    /// <summary>a·b per lane, rounded once.</summary>
    static abstract TV Multiply(TV a, TV b);

    /// <summary>a·b + c per lane, rounded once (fused), so every width gives the same bits.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);
}

/// <summary>
/// Sixteen floats (AVX-512). Built only from cross-platform Vector512 operations, which are exact in software
/// too, so tests can run this kernel, slowly, on a machine without AVX-512 and hold it to the same bits.
/// </summary>
internal readonly struct GemmLanes512F : IGemmLanes<float, Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
}

/// <summary>Eight doubles (AVX-512); like <see cref="GemmLanes512F"/>, exact in software too.</summary>
internal readonly struct GemmLanes512D : IGemmLanes<double, Vector512<double>>
{
    public static int Count => Vector512<double>.Count;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    public static Vector512<double> Zero => Vector512<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
}

/// <summary>Eight floats (AVX2 + FMA).</summary>
internal readonly struct GemmLanes256F : IGemmLanes<float, Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);
}

/// <summary>Four doubles (AVX2 + FMA).</summary>
internal readonly struct GemmLanes256D : IGemmLanes<double, Vector256<double>>
{
    public static int Count => Vector256<double>.Count;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;
    public static Vector256<double> Zero => Vector256<double>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Fma.MultiplyAdd(a, b, c);
}

/// <summary>
/// One element per "register": the portable fallback. <see cref="IFloatingPointIeee754{TSelf}.FusedMultiplyAdd"/>
/// is correctly rounded with or without FMA hardware, so this kernel gives the same bits as the vector ones.
/// </summary>
internal readonly struct GemmLanes1<T> : IGemmLanes<T, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static bool IsSupported => true;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);
}

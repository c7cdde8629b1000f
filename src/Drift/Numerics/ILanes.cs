namespace Drift.Numerics;

/// <summary>
/// A register of lanes seen both as 64-bit unsigned integers (<typeparamref name="TU"/>) and as
/// doubles (<typeparamref name="TD"/>): the small instruction set that the generator kernels are
/// written against once and instantiated for AVX-512, AVX2, 128-bit vectors (SSE2 on x64, AdvSimd on
/// ARM64) and plain scalars.
/// </summary>
/// <remarks>
/// Every operation here is exact or correctly rounded lane by lane (IEEE add, multiply, divide,
/// square root, fused multiply-add, bit operations), so a kernel written against this interface
/// gives bit-identical results at every width: the reproducibility contract rests on that.
/// </remarks>
public interface ILanes<TU, TD>
    where TU : struct
    where TD : struct
{
    /// <summary>Number of lanes in one register.</summary>
    static abstract int Count { get; }
    /// <summary>Whether this width is accelerated on the running machine.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>Every lane set to an integer.</summary>
    static abstract TU Broadcast(ulong value);
    /// <summary>Every lane set to a double.</summary>
    static abstract TD Broadcast(double value);
    /// <summary>Lane i holds <c>start + i</c>.</summary>
    static abstract TU Sequence(ulong start);

    /// <summary>Full 64-bit product of the low 32 bits of each lane.</summary>
    static abstract TU MultiplyLow32(TU a, TU b);
    /// <summary>Lane-wise integer sum modulo 2⁶⁴.</summary>
    static abstract TU Add(TU a, TU b);
    /// <summary>Lane-wise integer difference modulo 2⁶⁴.</summary>
    static abstract TU Subtract(TU a, TU b);
    /// <summary>Bitwise and.</summary>
    static abstract TU And(TU a, TU b);
    /// <summary>Bitwise or.</summary>
    static abstract TU Or(TU a, TU b);
    /// <summary>Bitwise exclusive or.</summary>
    static abstract TU Xor(TU a, TU b);
    /// <summary>Logical right shift.</summary>
    static abstract TU ShiftRight(TU a, int bits);
    /// <summary>Left shift.</summary>
    static abstract TU ShiftLeft(TU a, int bits);

    /// <summary>The same bits read as doubles.</summary>
    static abstract TD AsDouble(TU a);
    /// <summary>The same bits read as integers.</summary>
    static abstract TU AsBits(TD a);

    /// <summary>IEEE sum.</summary>
    static abstract TD Add(TD a, TD b);
    /// <summary>IEEE difference.</summary>
    static abstract TD Subtract(TD a, TD b);
    /// <summary>IEEE product.</summary>
    static abstract TD Multiply(TD a, TD b);
    /// <summary>IEEE quotient.</summary>
    static abstract TD Divide(TD a, TD b);
    /// <summary>a·b + c rounded once.</summary>
    static abstract TD MultiplyAdd(TD a, TD b, TD c);
    /// <summary>IEEE square root.</summary>
    static abstract TD Sqrt(TD a);

    /// <summary>All bits set in the lanes where a &lt; b (IEEE ordered compare: false when either is NaN), none elsewhere.</summary>
    static abstract TU LessThan(TD a, TD b);
    /// <summary>Per lane, <paramref name="ifTrue"/> where every bit of <paramref name="mask"/> is set, <paramref name="ifFalse"/> where none is (a mask from <see cref="LessThan"/>).</summary>
    static abstract TD Select(TU mask, TD ifTrue, TD ifFalse);

    /// <summary>Loads Count doubles starting at a reference.</summary>
    static abstract TD Load(ref double source);
    /// <summary>Stores Count doubles starting at a reference.</summary>
    static abstract void Store(TD value, ref double destination);
}

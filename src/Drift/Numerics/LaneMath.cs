using System.Runtime.CompilerServices;

namespace Drift.Numerics;

/// <summary>
/// Elementary functions written once against <see cref="ILanes{TU,TD}"/> from IEEE-exact lane operations only
/// (add, multiply, fused multiply-add, compares, bit operations), so every width — AVX-512, AVX2, 128-bit and
/// scalar — returns the same bits for the same argument. (<see cref="Math.Exp(double)"/> and
/// <c>Vector512.Exp</c> do not: they are different algorithms.)
/// </summary>
public static class LaneMath<TL, TU, TD>
    where TL : struct, ILanes<TU, TD>
    where TU : struct
    where TD : struct
{
    /// <summary>Arguments below this give exactly 0 from <see cref="Exp"/> (e^−690 ≈ 2.2e-300, above the subnormal range).</summary>
    public const double ExpLow = -690.0;
    /// <summary>Arguments above this give +∞ from <see cref="Exp"/> (e^709 ≈ 8.2e307 is the last finite power reached).</summary>
    public const double ExpHigh = 709.0;

    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.693147180369123816490;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double RoundMagic = 6755399441055744.0; // 1.5·2⁵²: adding it rounds to an integer in the low mantissa bits

    /// <summary>
    /// eᵗ per lane. t &lt; −690 gives exactly 0 (results below 3e-300 are flushed so that products with weights
    /// stay out of slow subnormal arithmetic), t &gt; 709 gives +∞, NaN gives NaN. Method: t = k·ln2 + r with
    /// k = round(t·log₂e) and |r| ≤ ln2/2 (Cody–Waite two-part ln2, the fdlibm constants), eʳ by its degree-13
    /// Taylor polynomial in Horner form with fused multiply-adds (truncation r¹⁴/14! &lt; 5e-18, below half an
    /// ulp), and 2ᵏ assembled in the exponent bits. Relative error ≲ 2 ulp against a correctly rounded eᵗ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD Exp(TD t)
    {
        TU low = TL.LessThan(t, TL.Broadcast(ExpLow));
        TU high = TL.LessThan(TL.Broadcast(ExpHigh), t);
        TD x = TL.Select(TL.Or(low, high), TL.Broadcast(0.0), t);
        TD magic = TL.Broadcast(RoundMagic);
        TD kr = TL.MultiplyAdd(x, TL.Broadcast(Log2E), magic);
        TD k = TL.Subtract(kr, magic);
        TD r = TL.MultiplyAdd(k, TL.Broadcast(-Ln2Hi), x);
        r = TL.MultiplyAdd(k, TL.Broadcast(-Ln2Lo), r);
        TD p = TL.Broadcast(1.0 / 6227020800.0);
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 479001600.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 39916800.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 3628800.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 362880.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 40320.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 5040.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 720.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 120.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 24.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0 / 6.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(0.5));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0));
        p = TL.MultiplyAdd(p, r, TL.Broadcast(1.0));
        // The integer k sits in the low mantissa bits of kr: (bits(kr) − bits(magic) + 1023) << 52 is 2ᵏ.
        TU bits = TL.ShiftLeft(TL.Add(TL.Subtract(TL.AsBits(kr), TL.AsBits(magic)), TL.Broadcast(1023UL)), 52);
        TD e = TL.Multiply(p, TL.AsDouble(bits));
        e = TL.Select(low, TL.Broadcast(0.0), e);
        return TL.Select(high, TL.Broadcast(double.PositiveInfinity), e);
    }
}

using System.Runtime.CompilerServices;
using Drift.Numerics;

namespace Drift.Random;

/// <summary>
/// Philox4x32-10 followed by the Box–Muller transform, written once against <see cref="ILanes{TU,TD}"/>
/// so that the AVX-512, AVX2 and scalar instances compute the same bits.
/// </summary>
/// <remarks>
/// Uniforms take the top 52 bits of each 64-bit half of the block: u = (k + ½)·2⁻⁵², never 0 or 1,
/// so |z| ≤ √(2·53·ln 2) ≈ 8.57. The logarithm is fdlibm's (Lg1–Lg7, error below 1 ulp); the sine and
/// cosine are fdlibm's kernels on [−π/4, π/4] after an exact reduction of the angle in turns.
/// </remarks>
internal static class NormalKernel<TL, TU, TD>
    where TL : struct, ILanes<TU, TD>
    where TU : struct
    where TD : struct
{
    private const ulong Low32 = 0xFFFF_FFFFUL;

    /// <summary>The ten round keys, broadcast once per fill.</summary>
    [InlineArray(2 * Philox4x32.Rounds)]
    internal struct RoundKeys
    {
        private TU _element;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static RoundKeys Create(ulong seed)
        {
            var keys = default(RoundKeys);
            uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
            for (int r = 0; r < Philox4x32.Rounds; r++)
            {
                keys[2 * r] = TL.Broadcast((ulong)k0);
                keys[2 * r + 1] = TL.Broadcast((ulong)k1);
                k0 += Philox4x32.W0;
                k1 += Philox4x32.W1;
            }
            return keys;
        }
    }

    /// <summary>Two standard normals per lane for counters (stream, block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normals(in RoundKeys keys, TU stream, TU block, out TD z0, out TD z1)
    {
        Philox(in keys, stream, block, out TU a, out TU b);
        TD u1 = ToOpenUniform(a);
        TD u2 = ToOpenUniform(b);
        TD radius = TL.Sqrt(TL.Multiply(TL.Broadcast(-2.0), Log(u1)));
        SinCosTurns(u2, out TD sin, out TD cos);
        z0 = TL.Multiply(radius, cos);
        z1 = TL.Multiply(radius, sin);
    }

    /// <summary>The 128-bit block as two 64-bit words: (x0·2³² + x1, x2·2³² + x3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Philox(in RoundKeys keys, TU stream, TU block, out TU a, out TU b)
    {
        TU mask = TL.Broadcast(Low32);
        TU m0 = TL.Broadcast((ulong)Philox4x32.M0);
        TU m1 = TL.Broadcast((ulong)Philox4x32.M1);
        // Words live in 64-bit lanes. Lanes of c1 and c3 may carry garbage above bit 32: it only
        // reaches the high halves of c0 and c2, which the 32-bit multiply ignores and the final
        // shift discards.
        TU c0 = stream;
        TU c1 = TL.ShiftRight(stream, 32);
        TU c2 = block;
        TU c3 = TL.ShiftRight(block, 32);
        for (int r = 0; r < Philox4x32.Rounds; r++)
        {
            TU p0 = TL.MultiplyLow32(c0, m0);
            TU p1 = TL.MultiplyLow32(c2, m1);
            c0 = TL.Xor(TL.Xor(TL.ShiftRight(p1, 32), c1), keys[2 * r]);
            c2 = TL.Xor(TL.Xor(TL.ShiftRight(p0, 32), c3), keys[2 * r + 1]);
            c1 = p1;
            c3 = p0;
        }
        a = TL.Or(TL.ShiftLeft(c0, 32), TL.And(c1, mask));
        b = TL.Or(TL.ShiftLeft(c2, 32), TL.And(c3, mask));
    }

    /// <summary>(top 52 bits + ½)·2⁻⁵² ∈ (0, 1), computed exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD ToOpenUniform(TU bits)
    {
        TD oneToTwo = TL.AsDouble(TL.Or(TL.ShiftRight(bits, 12), TL.Broadcast(0x3FF0_0000_0000_0000UL)));
        return TL.Subtract(oneToTwo, TL.Broadcast(1.0 - 1.0 / 9007199254740992.0));
    }

    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;

    /// <summary>Natural logarithm of positive normal doubles (fdlibm's e_log reduction and polynomial).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD Log(TD x)
    {
        // Scale the mantissa into [√2/2, √2) and read off the exponent k.
        TU ix = TL.Add(TL.AsBits(x), TL.Broadcast(0x0009_5F62_0000_0000UL));
        TD exponent = TL.Subtract(TL.AsDouble(TL.Or(TL.ShiftRight(ix, 52), TL.Broadcast(0x4330_0000_0000_0000UL))), TL.Broadcast(4503599627370496.0 + 1023.0));
        TD m = TL.AsDouble(TL.Add(TL.And(ix, TL.Broadcast(0x000F_FFFF_FFFF_FFFFUL)), TL.Broadcast(0x3FE6_A09E_0000_0000UL)));
        TD f = TL.Subtract(m, TL.Broadcast(1.0));
        TD hfsq = TL.Multiply(TL.Multiply(TL.Broadcast(0.5), f), f);
        TD s = TL.Divide(f, TL.Add(TL.Broadcast(2.0), f));
        TD z = TL.Multiply(s, s);
        TD w = TL.Multiply(z, z);
        TD t1 = TL.Multiply(w, TL.MultiplyAdd(w, TL.MultiplyAdd(w, TL.Broadcast(Lg6), TL.Broadcast(Lg4)), TL.Broadcast(Lg2)));
        TD t2 = TL.Multiply(z, TL.MultiplyAdd(w, TL.MultiplyAdd(w, TL.MultiplyAdd(w, TL.Broadcast(Lg7), TL.Broadcast(Lg5)), TL.Broadcast(Lg3)), TL.Broadcast(Lg1)));
        TD r = TL.Add(t2, t1);
        // k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo)) − f)
        TD inner = TL.MultiplyAdd(s, TL.Add(hfsq, r), TL.Multiply(exponent, TL.Broadcast(Ln2Lo)));
        return TL.Subtract(TL.Multiply(exponent, TL.Broadcast(Ln2Hi)), TL.Subtract(TL.Subtract(hfsq, inner), f));
    }

    private const double S1 = -1.66666666666666324348e-01;
    private const double S2 = 8.33333333332248946124e-03;
    private const double S3 = -1.98412698298579493134e-04;
    private const double S4 = 2.75573137070700676789e-06;
    private const double S5 = -2.50507602534068634195e-08;
    private const double S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02;
    private const double C2 = -1.38888888888741095749e-03;
    private const double C3 = 2.48015872894767294178e-05;
    private const double C4 = -2.75573143513906633035e-07;
    private const double C5 = 2.08757232129817482790e-09;
    private const double C6 = -1.13596475577881948265e-11;

    /// <summary>sin(2πu) and cos(2πu) for u ∈ [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCosTurns(TD u, out TD sin, out TD cos)
    {
        // q = round(4u) by the 1.5·2⁵² trick; r = u − q/4 ∈ [−1/8, 1/8] is exact.
        TD shifted = TL.MultiplyAdd(u, TL.Broadcast(4.0), TL.Broadcast(6755399441055744.0));
        TU q = TL.AsBits(shifted);
        TD qd = TL.Subtract(shifted, TL.Broadcast(6755399441055744.0));
        TD x = TL.Multiply(TL.MultiplyAdd(qd, TL.Broadcast(-0.25), u), TL.Broadcast(2 * Math.PI));
        TD z = TL.Multiply(x, x);
        TD sp = TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.Broadcast(S6), TL.Broadcast(S5)), TL.Broadcast(S4)), TL.Broadcast(S3)), TL.Broadcast(S2)), TL.Broadcast(S1));
        TD s = TL.MultiplyAdd(TL.Multiply(x, z), sp, x);
        TD cp = TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.MultiplyAdd(z, TL.Broadcast(C6), TL.Broadcast(C5)), TL.Broadcast(C4)), TL.Broadcast(C3)), TL.Broadcast(C2)), TL.Broadcast(C1));
        TD c = TL.MultiplyAdd(TL.Multiply(z, z), cp, TL.MultiplyAdd(TL.Broadcast(-0.5), z, TL.Broadcast(1.0)));
        // Quadrant: odd q swaps sine and cosine; signs follow (q+1)&2 for cos and q&2 for sin.
        TU one = TL.Broadcast(1UL);
        TU two = TL.Broadcast(2UL);
        TU swap = TL.Subtract(TL.Broadcast(0UL), TL.And(q, one));
        TU sb = TL.AsBits(s), cb = TL.AsBits(c);
        TU diff = TL.And(TL.Xor(sb, cb), swap);
        TU cosBits = TL.Xor(cb, diff);
        TU sinBits = TL.Xor(sb, diff);
        cos = TL.AsDouble(TL.Xor(cosBits, TL.ShiftLeft(TL.And(TL.Add(q, one), two), 62)));
        sin = TL.AsDouble(TL.Xor(sinBits, TL.ShiftLeft(TL.And(q, two), 62)));
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Numerics;

namespace Drift.Learning.Autodiff;

/// <summary>
/// eˣ and tanh x over spans, vectorised through the core lane abstraction (<see cref="Elementwise"/>,
/// <see cref="LaneMath{TL,TU,TD}"/>): every operation is IEEE-exact per lane, so an element gets the same bits
/// at every alignment, span length and instruction set (AVX-512, AVX2, 128-bit, scalar). Float spans are
/// widened exactly to double, evaluated by the same double kernel and rounded once back to float, so there is
/// one implementation for both precisions.
/// </summary>
/// <remarks>
/// Accuracy (measured in tests against <see cref="Math.Exp"/>/<see cref="Math.Tanh"/>): double within 2 ulp,
/// float within 1 ulp. Double eˣ inherits the core's flush: x &lt; −690 gives exactly 0 (true values below
/// 2.3e-300 are not produced), x &gt; 709 gives +∞. Float eˣ has no flush: float subnormals and overflow
/// (x &gt; 88.72… → +∞) come out as a correctly rounded float would.
/// </remarks>
internal static class LaneKernels
{
    const int Block = 256;

    /// <summary>destination[i] = e^{x[i]}.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(new ExpOp(), x, destination);

    /// <summary>destination[i] = tanh x[i].</summary>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(new TanhOp(), x, destination);

    static void Run<TOp, T>(TOp op, ReadOnlySpan<T> x, Span<T> destination)
        where TOp : struct, IElementwise1
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            Elementwise.Map(in op, MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(destination));
            return;
        }
        if (typeof(T) != typeof(float))
            throw new NotSupportedException($"element type {typeof(T).Name}: only float and double are supported.");
        var xf = MemoryMarshal.Cast<T, float>(x);
        var yf = MemoryMarshal.Cast<T, float>(destination);
        Span<double> buffer = stackalloc double[Block];
        for (int start = 0; start < yf.Length; start += Block)
        {
            int n = Math.Min(Block, yf.Length - start);
            var b = buffer[..n];
            // float → double is exact and double → float rounds once to nearest on every ISA, so these conversions
            // keep the bits independent of the path.
            Widen(xf.Slice(start, n), b);
            Elementwise.Map(in op, b, b);
            Narrow(b, yf.Slice(start, n));
        }
    }

    /// <summary>d[i] = (double)x[i], exact.</summary>
    static void Widen(ReadOnlySpan<float> x, Span<double> d)
    {
        int i = 0, w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; i <= x.Length - w; i += w)
            {
                Vector.Widen(new Vector<float>(x[i..]), out var low, out var high);
                low.CopyTo(d[i..]);
                high.CopyTo(d[(i + w / 2)..]);
            }
        for (; i < x.Length; i++) d[i] = x[i];
    }

    /// <summary>y[i] = (float)d[i], rounded to nearest (the same rounding in vector and scalar conversion).</summary>
    static void Narrow(ReadOnlySpan<double> d, Span<float> y)
    {
        int i = 0, w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
            for (; i <= d.Length - w; i += w)
                Vector.Narrow(new Vector<double>(d[i..]), new Vector<double>(d[(i + w / 2)..])).CopyTo(y[i..]);
        for (; i < d.Length; i++) y[i] = (float)d[i];
    }

    /// <summary>eᵗ by <see cref="LaneMath{TL,TU,TD}.Exp"/>.</summary>
    internal readonly struct ExpOp : IElementwise1
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TD Apply<TL, TU, TD>(TD a) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct =>
            LaneMath<TL, TU, TD>.Exp(a);
    }

    /// <summary>
    /// tanh x = sign(x)·t(|x|). For |x| ≤ ln3/2 ≈ 0.549 the Cody–Waite rational form t = f + f·g·P(g)/Q(g), g = f²
    /// (W. J. Cody and W. Waite, <i>Software Manual for the Elementary Functions</i>, 1980, ch. 13, the
    /// coefficients for 49–60 bits); above, t = 1 − 2e/(1 + e) with e = e^{−2|x|}, which never overflows and
    /// saturates to exactly 1 once e flushes to 0. The sign is copied from x by its bit, so tanh(−0) = −0;
    /// NaN propagates, ±∞ give ±1.
    /// </summary>
    internal readonly struct TanhOp : IElementwise1
    {
        const double LnThreeHalf = 0.54930614433405484570;
        const double P0 = -0.16134119023996228053e+4, P1 = -0.99225929672236083313e+2, P2 = -0.96437492777225469787e+0;
        const double Q0 = 0.48402357071988688686e+4, Q1 = 0.22337720718962312926e+4, Q2 = 0.11274474380534949335e+3;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TD Apply<TL, TU, TD>(TD x) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        {
            TU bits = TL.AsBits(x);
            TU sign = TL.And(bits, TL.Broadcast(0x8000_0000_0000_0000UL));
            TD f = TL.AsDouble(TL.And(bits, TL.Broadcast(0x7FFF_FFFF_FFFF_FFFFUL)));
            // Small |x|: rational form (its NaN also carries a NaN argument through).
            TD g = TL.Multiply(f, f);
            TD p = TL.MultiplyAdd(TL.Broadcast(P2), g, TL.Broadcast(P1));
            p = TL.MultiplyAdd(p, g, TL.Broadcast(P0));
            p = TL.Multiply(p, g);
            TD q = TL.Add(g, TL.Broadcast(Q2));
            q = TL.MultiplyAdd(q, g, TL.Broadcast(Q1));
            q = TL.MultiplyAdd(q, g, TL.Broadcast(Q0));
            TD small = TL.MultiplyAdd(f, TL.Divide(p, q), f);
            // Large |x|: 1 − 2e/(1 + e), e = e^{−2|x|}.
            TD e = LaneMath<TL, TU, TD>.Exp(TL.Multiply(TL.Broadcast(-2.0), f));
            TD large = TL.Subtract(TL.Broadcast(1.0), TL.Divide(TL.Add(e, e), TL.Add(TL.Broadcast(1.0), e)));
            TD t = TL.Select(TL.LessThan(TL.Broadcast(LnThreeHalf), f), large, small);
            return TL.AsDouble(TL.Or(TL.AsBits(t), sign));
        }
    }
}

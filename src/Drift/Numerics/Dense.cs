using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Numerics;

/// <summary>
/// Dense vector kernels over contiguous spans — dot products, a·x + y and short linear combinations — written
/// once against <see cref="ILanes{TU,TD}"/> and run at the widest lane width the machine has. Every product is
/// fused with its addition (one rounding) in the vector body and in the scalar tail alike, and
/// <see cref="Dot"/> sums in an order fixed by the element index alone, so each result has the same bits at
/// every vector width (AVX-512, AVX2, 128-bit, scalar) — the reproducibility contract of the core.
/// </summary>
public static class Dense
{
    /// <summary>Partial sums in <see cref="Dot"/>: element i goes to sum i mod 16, whatever the lane width.</summary>
    public const int DotResidues = 16;

    /// <summary>
    /// Σᵢ aᵢ·bᵢ. Summation order (fixed, independent of the vector width): sₖ = fma(aᵢ, bᵢ, sₖ) over
    /// i ≡ k (mod 16) in increasing i, starting from sₖ = 0; then the sixteen partial sums are added pairwise,
    /// ((s₀+s₁)+(s₂+s₃)) + …, as a balanced binary tree. NaN and ±∞ propagate as in IEEE arithmetic.
    /// </summary>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"the vectors have lengths {a.Length} and {b.Length}; a dot product needs equal lengths.", nameof(b));
        ref double ra = ref MemoryMarshal.GetReference(a);
        ref double rb = ref MemoryMarshal.GetReference(b);
        if (Lanes512.IsSupported) return Dot<Lanes512, Vector512<ulong>, Vector512<double>>(ref ra, ref rb, a.Length);
        if (Lanes256.IsSupported) return Dot<Lanes256, Vector256<ulong>, Vector256<double>>(ref ra, ref rb, a.Length);
        if (Lanes128.IsSupported) return Dot<Lanes128, Vector128<ulong>, Vector128<double>>(ref ra, ref rb, a.Length);
        return Dot<Lanes1, ulong, double>(ref ra, ref rb, a.Length);
    }

    /// <summary>y ← fma(α, x, y) = α·x + y rounded once per element.</summary>
    /// <exception cref="ArgumentException">When the lengths differ or x partially overlaps y.</exception>
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} elements and y {y.Length}; they must be equal.", nameof(x));
        Elementwise.Map(new AxpyOp(alpha), x, y, y);
    }

    /// <summary>yᵢ = fma(a, xᵢ, b·uᵢ) for every i &lt; y.Length (y may be exactly x or u).</summary>
    /// <exception cref="ArgumentException">When an input is shorter than y or partially overlaps it.</exception>
    public static void Combine(Span<double> y, double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> u) =>
        Elementwise.Map(new Combine2Op(a, b), x, u, y);

    /// <summary>yᵢ = fma(a, xᵢ, fma(b, uᵢ, c·wᵢ)) for every i &lt; y.Length (y may be exactly an input).</summary>
    /// <exception cref="ArgumentException">When an input is shorter than y or partially overlaps it.</exception>
    public static void Combine(Span<double> y, double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> u, double c, ReadOnlySpan<double> w) =>
        Elementwise.Map(new Combine3Op(a, b, c), x, u, w, y);

    /// <summary>
    /// The sixteen partial sums of <see cref="Dot"/> in their fixed tree order — shared with every other kernel
    /// that accumulates per residue, so all of them sum the same way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double SumResidues(ReadOnlySpan<double> s)
    {
        double e0 = (s[0] + s[1]) + (s[2] + s[3]), e1 = (s[4] + s[5]) + (s[6] + s[7]);
        double e2 = (s[8] + s[9]) + (s[10] + s[11]), e3 = (s[12] + s[13]) + (s[14] + s[15]);
        return (e0 + e1) + (e2 + e3);
    }

    private static double Dot<TL, TU, TD>(ref double a, ref double b, int n)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count, i = 0;
        TD zero = TL.Broadcast(0.0);
        TD s0 = zero, s1 = zero, s2 = zero, s3 = zero, s4 = zero, s5 = zero, s6 = zero, s7 = zero;
        TD s8 = zero, s9 = zero, s10 = zero, s11 = zero, s12 = zero, s13 = zero, s14 = zero, s15 = zero;
        // Registers r = 0 … 16/w − 1 cover elements i + r·w …; the branches on w are JIT-time constants.
        for (; i <= n - DotResidues; i += DotResidues)
        {
            s0 = Fma<TL, TU, TD>(ref a, ref b, i, s0);
            s1 = Fma<TL, TU, TD>(ref a, ref b, i + w, s1);
            if (w <= 4)
            {
                s2 = Fma<TL, TU, TD>(ref a, ref b, i + 2 * w, s2);
                s3 = Fma<TL, TU, TD>(ref a, ref b, i + 3 * w, s3);
            }
            if (w <= 2)
            {
                s4 = Fma<TL, TU, TD>(ref a, ref b, i + 4 * w, s4);
                s5 = Fma<TL, TU, TD>(ref a, ref b, i + 5 * w, s5);
                s6 = Fma<TL, TU, TD>(ref a, ref b, i + 6 * w, s6);
                s7 = Fma<TL, TU, TD>(ref a, ref b, i + 7 * w, s7);
            }
            if (w == 1)
            {
                s8 = Fma<TL, TU, TD>(ref a, ref b, i + 8, s8);
                s9 = Fma<TL, TU, TD>(ref a, ref b, i + 9, s9);
                s10 = Fma<TL, TU, TD>(ref a, ref b, i + 10, s10);
                s11 = Fma<TL, TU, TD>(ref a, ref b, i + 11, s11);
                s12 = Fma<TL, TU, TD>(ref a, ref b, i + 12, s12);
                s13 = Fma<TL, TU, TD>(ref a, ref b, i + 13, s13);
                s14 = Fma<TL, TU, TD>(ref a, ref b, i + 14, s14);
                s15 = Fma<TL, TU, TD>(ref a, ref b, i + 15, s15);
            }
        }
        Span<double> s = stackalloc double[DotResidues];
        StoreResidues<TL, TU, TD>(s, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
        for (int k = 0; i < n; i++, k++)
            s[k] = Math.FusedMultiplyAdd(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i), s[k]);
        return SumResidues(s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TD Fma<TL, TU, TD>(ref double a, ref double b, int i, TD acc)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
        => TL.MultiplyAdd(TL.Load(ref Unsafe.Add(ref a, i)), TL.Load(ref Unsafe.Add(ref b, i)), acc);

    /// <summary>Writes the 16/Count live registers of a residue accumulator so that s[k] is partial sum k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreResidues<TL, TU, TD>(Span<double> s, TD s0, TD s1, TD s2, TD s3, TD s4, TD s5, TD s6, TD s7,
        TD s8, TD s9, TD s10, TD s11, TD s12, TD s13, TD s14, TD s15)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int w = TL.Count;
        ref double r = ref MemoryMarshal.GetReference(s);
        TL.Store(s0, ref r);
        TL.Store(s1, ref Unsafe.Add(ref r, w));
        if (w <= 4)
        {
            TL.Store(s2, ref Unsafe.Add(ref r, 2 * w));
            TL.Store(s3, ref Unsafe.Add(ref r, 3 * w));
        }
        if (w <= 2)
        {
            TL.Store(s4, ref Unsafe.Add(ref r, 4 * w));
            TL.Store(s5, ref Unsafe.Add(ref r, 5 * w));
            TL.Store(s6, ref Unsafe.Add(ref r, 6 * w));
            TL.Store(s7, ref Unsafe.Add(ref r, 7 * w));
        }
        if (w == 1)
        {
            TL.Store(s8, ref Unsafe.Add(ref r, 8));
            TL.Store(s9, ref Unsafe.Add(ref r, 9));
            TL.Store(s10, ref Unsafe.Add(ref r, 10));
            TL.Store(s11, ref Unsafe.Add(ref r, 11));
            TL.Store(s12, ref Unsafe.Add(ref r, 12));
            TL.Store(s13, ref Unsafe.Add(ref r, 13));
            TL.Store(s14, ref Unsafe.Add(ref r, 14));
            TL.Store(s15, ref Unsafe.Add(ref r, 15));
        }
    }

    private readonly struct AxpyOp(double alpha) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD x, TD y) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.MultiplyAdd(TL.Broadcast(alpha), x, y);
    }

    private readonly struct Combine2Op(double a, double b) : IElementwise2
    {
        public TD Apply<TL, TU, TD>(TD x, TD u) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.MultiplyAdd(TL.Broadcast(a), x, TL.Multiply(TL.Broadcast(b), u));
    }

    private readonly struct Combine3Op(double a, double b, double c) : IElementwise3
    {
        public TD Apply<TL, TU, TD>(TD x, TD u, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
            => TL.MultiplyAdd(TL.Broadcast(a), x, TL.MultiplyAdd(TL.Broadcast(b), u, TL.Multiply(TL.Broadcast(c), w)));
    }
}

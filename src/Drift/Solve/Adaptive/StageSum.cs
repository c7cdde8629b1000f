using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drift.Solve.Adaptive;

/// <summary>
/// Stage sums of explicit Runge–Kutta methods over one trajectory's state (spans of length d):
/// dst = y + Σ w_j k_j with the weights w_j = h·a_j already multiplied out. Inlined into each
/// method so that the tableau's constants fold into the loop; no bounds checks (the callers'
/// workspace guarantees every span has length ≥ dst.Length). The weights are copied into locals before the loop:
/// passed straight through, an argument such as h·a_j was substituted into the loop body by the inliner and
/// multiplied again at every component (seen in the JIT's code for DP5 on Lorenz-63); the loop index is native-sized
/// so no sign extension is repeated per access. Same operations in the same order: results are unchanged to the bit.
/// </summary>
internal static class StageSum
{

    /// <summary>dst = y + Σ w_j k_j (1 term).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1)
    {
        double c1 = w1;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i));
    }

    /// <summary>dst = y + Σ w_j k_j (2 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2)
    {
        double c1 = w1, c2 = w2;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i));
    }

    /// <summary>dst = y + Σ w_j k_j (3 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3)
    {
        double c1 = w1, c2 = w2, c3 = w3;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i));
    }

    /// <summary>dst = y + Σ w_j k_j (4 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i));
    }

    /// <summary>dst = y + Σ w_j k_j (5 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i));
    }

    /// <summary>dst = y + Σ w_j k_j (6 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i));
    }

    /// <summary>dst = y + Σ w_j k_j (7 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6, double w7, ReadOnlySpan<double> k7)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6, c7 = w7;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        ref double r7 = ref MemoryMarshal.GetReference(k7);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i) + c7 * Unsafe.Add(ref r7, i));
    }

    /// <summary>dst = y + Σ w_j k_j (8 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6, double w7, ReadOnlySpan<double> k7, double w8, ReadOnlySpan<double> k8)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6, c7 = w7, c8 = w8;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        ref double r7 = ref MemoryMarshal.GetReference(k7);
        ref double r8 = ref MemoryMarshal.GetReference(k8);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i) + c7 * Unsafe.Add(ref r7, i) + c8 * Unsafe.Add(ref r8, i));
    }

    /// <summary>dst = y + Σ w_j k_j (9 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> dst, ReadOnlySpan<double> y, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6, double w7, ReadOnlySpan<double> k7, double w8, ReadOnlySpan<double> k8, double w9, ReadOnlySpan<double> k9)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6, c7 = w7, c8 = w8, c9 = w9;
        ref double rd = ref MemoryMarshal.GetReference(dst);
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        ref double r7 = ref MemoryMarshal.GetReference(k7);
        ref double r8 = ref MemoryMarshal.GetReference(k8);
        ref double r9 = ref MemoryMarshal.GetReference(k9);
        for (nint i = 0, n = dst.Length; i < n; i++)
            Unsafe.Add(ref rd, i) = Unsafe.Add(ref ry, i) + (c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i) + c7 * Unsafe.Add(ref r7, i) + c8 * Unsafe.Add(ref r8, i) + c9 * Unsafe.Add(ref r9, i));
    }
}

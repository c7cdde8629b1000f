using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The inversion step of the direct and rejection methods: the first index j in [start, end) with
/// s + Σ_{start ≤ k ≤ j} wₖ &gt; r for non-negative weights w, the partial sums taken left to right, or with the
/// prefix sums already at hand, the number of them ≤ r.
/// </summary>
internal static class CumulativeSearch
{
    /// <summary>Ranges up to this length are searched without branches.</summary>
    public const int BranchFree = 32;

    /// <summary>
    /// The first j in [start, end) whose partial sum (from <paramref name="sum"/>) exceeds r, or −1 when none does
    /// (rounding left r at or above the total). As the partial sums never decrease, j is the number of partial sums
    /// ≤ r; short ranges count them without a branch per weight (the chosen index is random, so a branch would be
    /// mispredicted about once per search), long ones stop at the first sum above r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int First(double[] w, int start, int end, double sum, double r)
    {
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        if (end - start <= BranchFree)
        {
            int below = 0;
            for (int j = start; j < end; j++)
            {
                sum += Unsafe.Add(ref w0, j);
                below += sum <= r ? 1 : 0;
            }
            return below < end - start ? start + below : -1;
        }
        for (int j = start; j < end; j++)
        {
            sum += Unsafe.Add(ref w0, j);
            if (sum > r) return j;
        }
        return -1;
    }

    /// <summary>How many of the non-decreasing values c[start .. end) are ≤ r: the index of the first above r, counted without branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountAtMost(double[] c, int start, int end, double r)
    {
        ref double c0 = ref MemoryMarshal.GetArrayDataReference(c);
        int count = 0;
        for (int j = start; j < end; j++) count += Unsafe.Add(ref c0, j) <= r ? 1 : 0;
        return count;
    }

    /// <summary>Entries per chunk of <see cref="ChunkedPrefix"/>; lengths of its arrays are multiples of it.</summary>
    public const int Chunk = 4;

    /// <summary>
    /// Prefix sums of non-negative weights w (length a multiple of <see cref="Chunk"/>) with short dependency chains:
    /// inside chunk l the partial sums sₖ = w[4l] + … + w[4l + k] are taken left to right, and
    /// prefix[4l + k] = C_l + sₖ with the carry C₀ = 0, C_{l+1} = prefix[4l + 3]. Returns the total (the last prefix).
    /// The chunks' inner sums are independent, so the serial chain is one addition per chunk instead of one per weight.
    /// Rounding keeps what inversion needs: the prefix sums never decrease (each is a rounded sum of non-negative terms
    /// with the same carry, and the next chunk starts from the previous chunk's last value), and a zero weight repeats
    /// the previous prefix exactly, so <see cref="CountAtMost"/> never lands on it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ChunkedPrefix(double[] w, double[] prefix)
    {
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref double p0 = ref MemoryMarshal.GetArrayDataReference(prefix);
        double carry = 0;
        for (int j = 0; j < w.Length; j += Chunk)
        {
            double s0 = Unsafe.Add(ref w0, j);
            double s1 = s0 + Unsafe.Add(ref w0, j + 1);
            double s2 = s1 + Unsafe.Add(ref w0, j + 2);
            double s3 = s2 + Unsafe.Add(ref w0, j + 3);
            Unsafe.Add(ref p0, j) = carry + s0;
            Unsafe.Add(ref p0, j + 1) = carry + s1;
            Unsafe.Add(ref p0, j + 2) = carry + s2;
            Unsafe.Add(ref p0, j + 3) = carry += s3;
        }
        return carry;
    }

    /// <summary>
    /// <see cref="CountAtMost"/> over a whole array whose length is a multiple of <see cref="Chunk"/>, four comparisons
    /// at a time where the hardware has 256-bit vectors (comparisons are exact, so the count is the same either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountAtMostChunked(double[] c, double r)
    {
        if (!Vector256.IsHardwareAccelerated) return CountAtMost(c, 0, c.Length, r);
        ref double c0 = ref MemoryMarshal.GetArrayDataReference(c);
        var bound = Vector256.Create(r);
        int count = 0;
        for (int j = 0; j < c.Length; j += Chunk)
            count += BitOperations.PopCount(Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref c0, (nuint)j), bound).ExtractMostSignificantBits());
        return count;
    }
}

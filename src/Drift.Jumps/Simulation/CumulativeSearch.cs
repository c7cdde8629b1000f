using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Gillespie's direct method (Gillespie 1977): waiting time τ = −ln(u₁)/a₀ with a₀ = Σⱼ aⱼ, reaction the first j
/// with Σ_{k≤j} aₖ &gt; u₂a₀. After a firing only the propensities in its dependency-graph row are re-evaluated and
/// a₀ is updated by their differences (recomputed from scratch every 256 events and whenever it has lost 9 digits
/// to cancellation). With <c>sorting</c>, the search order is adapted as in McCollum et al. (2006): the fired
/// reaction swaps places with its predecessor, so frequent reactions drift to the front.
/// <para>
/// The loop is written for the per-event cost (tens of nanoseconds on small networks): the waiting-time variate
/// −ln u₁ and u₂ come as one pair from a buffer filled 128 pairs at a time with the logarithm vectorised (the floor's
/// fdlibm log, so no libm call per event), the save test is one comparison with the next save time, the propensities are the table's
/// kind-specialised kernels, the dependency row and the state change are flat arrays walked without bounds checks,
/// and without sorting the search runs over the propensities directly. Only the logarithm differs from the general loop
/// (fdlibm's instead of the C library's, both within an ulp), so the law is unchanged and a seed's bits are the same
/// on every instruction set and thread count.
/// </para>
/// </summary>
internal sealed class DirectSimulator(PropensityTable table, ulong seed, bool sorting) : RunSimulator(table, seed, exponentialPairs: true)
{
    private readonly int[] _order = new int[table.Reactions];

    /// <summary>The counts and a last slot holding 1, for the branch-free kernel of low-order networks.</summary>
    private readonly double[] _padded = new double[table.Species + 1];

    /// <summary>How a dependent propensity is re-evaluated after a firing; a struct, so the event loop is specialised per kind.</summary>
    private interface IKernel
    {
        double Evaluate(PropensityTable table, int j, double[] x);
    }

    private readonly struct GeneralKernel : IKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(PropensityTable table, int j, double[] x) => table.Evaluate(j, x);
    }

    /// <summary>cⱼ·x[f]·x[s] with the padding slot for missing factors (<see cref="PropensityTable.EvaluateLowOrder"/>): no switch per propensity.</summary>
    private readonly struct LowOrderKernel : IKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(PropensityTable table, int j, double[] x) => table.EvaluateLowOrder(j, ref MemoryMarshal.GetArrayDataReference(x));
    }

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        if (!Table.IsLowOrder) return Run<GeneralKernel>(run, x, saves, output, maxEvents);
        // low-order networks (order ≤ 2, no dimerisation): the same arithmetic in the same order, on padded counts
        x.AsSpan().CopyTo(_padded);
        _padded[^1] = 1;
        var outcome = Run<LowOrderKernel>(run, _padded, saves, output, maxEvents);
        _padded.AsSpan(0, x.Length).CopyTo(x);
        return outcome;
    }

    private RunOutcome Run<TKernel>(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents) where TKernel : struct, IKernel
    {
        var uniforms = Uniforms;
        var table = Table;
        double[] a = A;
        int[] dependentStart = table.DependentStart, dependents = table.DependentList;
        var sink = EventSink;
        uniforms.Reset(run);
        for (int j = 0; j < _order.Length; j++) _order[j] = j;
        double a0 = EvaluateAll(x), reference = a0, t = 0;
        int s = 0;
        long events = 0;
        if (saves.Length == 0) return new RunOutcome(0, false, 0);
        double nextSave = saves[0];
        while (true)
        {
            uniforms.NextExponentialPair(out double e, out double u2);
            double next = a0 > 0 ? t + e / a0 : double.PositiveInfinity;
            if (nextSave < next)
            {
                s = RecordBefore(next, s, saves, x, output);
                if (s == saves.Length) return new RunOutcome(events, false, t);
                nextSave = saves[s];
            }
            if (events >= maxEvents) return Stop(s, saves, x, output, events, t);
            t = next;
            int position = sorting ? Select(u2 * a0) : SelectLinear(a, u2 * a0);
            if (position < 0)
            {
                a0 = EvaluateAll(x); // rounding left a0 above the true sum: resample the event from exact sums
                reference = a0;
                position = sorting ? Select(u2 * a0) : SelectLinear(a, u2 * a0);
                if (position < 0) continue;
            }
            int fired = sorting ? _order[position] : position;
            table.FireChecked(fired, x);
            sink?.Invoke(t, fired);
            ref double a00 = ref MemoryMarshal.GetArrayDataReference(a);
            ref int row = ref MemoryMarshal.GetArrayDataReference(dependents);
            int end = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dependentStart), fired + 1);
            for (int q = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dependentStart), fired); q < end; q++)
            {
                int k = Unsafe.Add(ref row, q);
                double updated = default(TKernel).Evaluate(table, k, x);
                ref double ak = ref Unsafe.Add(ref a00, k);
                a0 += updated - ak;
                ak = updated;
            }
            if (sorting && position > 0) (_order[position], _order[position - 1]) = (_order[position - 1], _order[position]);
            events++;
            if ((events & 255) == 0 || a0 < 1e-9 * reference)
            {
                a0 = EvaluateAll(x);
                reference = a0;
            }
        }
    }

    /// <summary>
    /// The first reaction whose cumulative propensity exceeds r, or −1 (the search order is the reactions' own).
    /// Zero propensities add nothing, so they are never chosen; when rounding leaves r at or above the total, the
    /// last positive reaction is taken if r ≤ total·(1 + 10⁻¹²), as in <see cref="Select"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SelectLinear(double[] a, double r) => CumulativeSearch.First(a, 0, a.Length, 0, r) is int p and >= 0 ? p : Fallback(a, r);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fallback(double[] a, double r)
    {
        double sum = 0;
        foreach (double v in a) sum += v;
        for (int p = a.Length - 1; p >= 0; p--)
            if (a[p] > 0) return r <= sum * (1 + 1e-12) ? p : -1;
        return -1;
    }

    /// <summary>The position in the search order of the first reaction whose cumulative propensity exceeds r, or −1.</summary>
    private int Select(double r)
    {
        double sum = 0;
        int last = -1;
        for (int p = 0; p < _order.Length; p++)
        {
            double a = A[_order[p]];
            if (a <= 0) continue;
            sum += a;
            last = p;
            if (sum > r) return p;
        }
        return last >= 0 && r <= sum * (1 + 1e-12) ? last : -1;
    }
}

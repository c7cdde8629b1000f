using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Gillespie's direct method (Gillespie 1977): waiting time τ = −ln(u₁)/a₀ with a₀ = Σⱼ aⱼ, reaction the first j
/// with Σ_{k≤j} aₖ &gt; u₂a₀. After a firing only the propensities in its dependency-graph row are re-evaluated.
/// With <c>sorting</c>, the search order is adapted as in McCollum et al. (2006): the fired reaction swaps places with
/// its predecessor, so frequent reactions drift to the front.
/// <para>
/// The loop is written for the per-event cost (tens of nanoseconds on small networks): the waiting-time variate
/// −ln u₁ and u₂ come as one pair from a buffer filled 128 pairs at a time with the logarithm vectorised (the floor's
/// fdlibm log, so no libm call per event), the save test is one comparison with the next save time, the propensities
/// are the table's kind-specialised kernels, and the dependency row and the state change are flat arrays walked without
/// bounds checks.
/// </para>
/// <para>
/// Without sorting, every event recomputes the prefix sums of all propensities by <see cref="CumulativeSearch.ChunkedPrefix"/>
/// (partial sums inside chunks of four, one carry addition per chunk: a serial chain of about M/4 additions instead of
/// M) and takes a₀ as their total, so a₀ never drifts and needs no periodic recomputation or cancellation guard; the
/// reaction is the number of prefix sums ≤ u₂a₀, counted four at a time. With sorting, a₀ is updated by the
/// differences of the re-evaluated propensities (recomputed from scratch every 256 events and whenever it has lost 9
/// digits to cancellation) and the search walks the adapted order until the running sum exceeds u₂a₀.
/// Both are pure functions of (seed, run): the same bits on every instruction set and thread count.
/// </para>
/// </summary>
internal sealed class DirectSimulator(PropensityTable table, ulong seed, bool sorting) : RunSimulator(table, seed, exponentialPairs: true)
{
    private readonly int[] _order = new int[table.Reactions];

    /// <summary>The propensities and their prefix sums for <see cref="CumulativeSearch.ChunkedPrefix"/>, padded with zero weights to whole chunks.</summary>
    private readonly double[] _weights = new double[(table.Reactions + CumulativeSearch.Chunk - 1) / CumulativeSearch.Chunk * CumulativeSearch.Chunk],
        _prefix = new double[(table.Reactions + CumulativeSearch.Chunk - 1) / CumulativeSearch.Chunk * CumulativeSearch.Chunk];

    /// <summary>The counts and a last slot holding 1, for the branch-free kernel of low-order networks.</summary>
    private readonly double[] _padded = new double[table.Species + 1];

    /// <summary>
    /// How a dependent propensity is re-evaluated after a firing; a struct, so the event loop is specialised per kind,
    /// created once per run with the table's arrays in its fields (held in registers, not reloaded per propensity).
    /// </summary>
    private interface IKernel<TSelf> where TSelf : struct, IKernel<TSelf>
    {
        static abstract TSelf For(PropensityTable table);

        double Evaluate(int j, double[] x);
    }

    private readonly struct GeneralKernel(PropensityTable table) : IKernel<GeneralKernel>
    {
        public static GeneralKernel For(PropensityTable table) => new(table);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(int j, double[] x) => table.Evaluate(j, x);
    }

    /// <summary>cⱼ·x[f]·x[s] with the padding slot for missing factors (<see cref="PropensityTable.EvaluateLowOrder"/>, the same operations): no switch per propensity.</summary>
    private readonly struct LowOrderKernel(double[] constant, int[] first, int[] second) : IKernel<LowOrderKernel>
    {
        public static LowOrderKernel For(PropensityTable table) => new(table.Constants, table.LowFirst, table.LowSecond);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Evaluate(int j, double[] x)
        {
            ref double counts = ref MemoryMarshal.GetArrayDataReference(x);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(constant), j)
                   * Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(first), j))
                   * Unsafe.Add(ref counts, Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(second), j));
        }
    }

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        if (!Table.IsLowOrder) return sorting ? RunSorting<GeneralKernel>(run, x, saves, output, maxEvents) : RunScan<GeneralKernel>(run, x, saves, output, maxEvents);
        // low-order networks (order ≤ 2, no dimerisation): the same arithmetic in the same order, on padded counts
        x.AsSpan().CopyTo(_padded);
        _padded[^1] = 1;
        var outcome = sorting ? RunSorting<LowOrderKernel>(run, _padded, saves, output, maxEvents) : RunScan<LowOrderKernel>(run, _padded, saves, output, maxEvents);
        _padded.AsSpan(0, x.Length).CopyTo(x);
        return outcome;
    }

    /// <summary>
    /// The direct method in the reactions' own order: a₀ and the search from <see cref="CumulativeSearch.ChunkedPrefix"/>
    /// every event. Compiled fully optimised at once: a trajectory is one call whose loop would otherwise run as
    /// on-stack-replacement code, which kept the loop's state in stack slots and reloaded the table's arrays per propensity.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RunOutcome RunScan<TKernel>(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents) where TKernel : struct, IKernel<TKernel>
    {
        var uniforms = Uniforms;
        var table = Table;
        double[] w = _weights, prefix = _prefix;
        int m = table.Reactions;
        int[] dependentStart = table.DependentStart, dependents = table.DependentList;
        var kernel = TKernel.For(table);
        var sink = EventSink;
        uniforms.Reset(run);
        if (saves.Length == 0) return new RunOutcome(0, false, 0);
        for (int j = 0; j < m; j++) w[j] = table.Evaluate(j, x); // the padding past m stays 0
        double t = 0, nextSave = saves[0];
        int s = 0;
        long events = 0;
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref int row = ref MemoryMarshal.GetArrayDataReference(dependents);
        ref int rowStart = ref MemoryMarshal.GetArrayDataReference(dependentStart);
        while (true)
        {
            double a0 = CumulativeSearch.ChunkedPrefix(w, prefix);
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
            // u₂ < 1, so u₂a₀ ≤ a₀; only when the product rounds up to a₀ are all prefix sums ≤ it: take the last positive reaction
            int fired = CumulativeSearch.CountAtMostChunked(prefix, u2 * a0);
            if (fired >= m) fired = LastPositive(w, m);
            table.FireChecked(fired, x);
            sink?.Invoke(t, fired);
            int end = Unsafe.Add(ref rowStart, fired + 1);
            for (int q = Unsafe.Add(ref rowStart, fired); q < end; q++)
            {
                int k = Unsafe.Add(ref row, q);
                Unsafe.Add(ref w0, k) = kernel.Evaluate(k, x);
            }
            events++;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int LastPositive(double[] w, int m)
    {
        for (int j = m - 1; j > 0; j--)
            if (w[j] > 0) return j;
        return 0;
    }

    /// <summary>Sorting direct: a₀ updated by differences, the search in the adapted order with an early exit (fully optimised at once, as <see cref="RunScan{TKernel}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RunOutcome RunSorting<TKernel>(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents) where TKernel : struct, IKernel<TKernel>
    {
        var uniforms = Uniforms;
        var table = Table;
        double[] a = A;
        int[] dependentStart = table.DependentStart, dependents = table.DependentList;
        var kernel = TKernel.For(table);
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
            int position = Select(u2 * a0);
            if (position < 0)
            {
                a0 = EvaluateAll(x); // rounding left a0 above the true sum: resample the event from exact sums
                reference = a0;
                position = Select(u2 * a0);
                if (position < 0) continue;
            }
            int fired = _order[position];
            table.FireChecked(fired, x);
            sink?.Invoke(t, fired);
            ref double a00 = ref MemoryMarshal.GetArrayDataReference(a);
            ref int row = ref MemoryMarshal.GetArrayDataReference(dependents);
            int end = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dependentStart), fired + 1);
            for (int q = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dependentStart), fired); q < end; q++)
            {
                int k = Unsafe.Add(ref row, q);
                double updated = kernel.Evaluate(k, x);
                ref double ak = ref Unsafe.Add(ref a00, k);
                a0 += updated - ak;
                ak = updated;
            }
            if (position > 0) (_order[position], _order[position - 1]) = (_order[position - 1], _order[position]);
            events++;
            if ((events & 255) == 0 || a0 < 1e-9 * reference)
            {
                a0 = EvaluateAll(x);
                reference = a0;
            }
        }
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

using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Gillespie's direct method (Gillespie 1977): waiting time τ = −ln(u₁)/a₀ with a₀ = Σⱼ aⱼ, reaction the first j
/// with Σ_{k≤j} aₖ &gt; u₂a₀. After a firing only the propensities in its dependency-graph row are re-evaluated and
/// a₀ is updated by their differences (recomputed from scratch every 256 events and whenever it has lost 9 digits
/// to cancellation). With <c>sorting</c>, the search order is adapted as in McCollum et al. (2006): the fired
/// reaction swaps places with its predecessor, so frequent reactions drift to the front.
/// </summary>
internal sealed class DirectSimulator(PropensityTable table, ulong seed, bool sorting) : RunSimulator(table, seed)
{
    private readonly int[] _order = new int[table.Reactions];

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        Uniforms.Reset(run);
        for (int j = 0; j < _order.Length; j++) _order[j] = j;
        double a0 = EvaluateAll(x), reference = a0, t = 0;
        int s = 0;
        long events = 0;
        while (true)
        {
            double u1 = Uniforms.Next(), u2 = Uniforms.Next();
            double next = a0 > 0 ? t - Math.Log(u1) / a0 : double.PositiveInfinity;
            s = RecordBefore(next, s, saves, x, output);
            if (s == saves.Length) return new RunOutcome(events, false, t);
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
            Table.FireChecked(fired, x);
            EventSink?.Invoke(t, fired);
            foreach (int k in Table.Dependents[fired])
            {
                double updated = Table.Evaluate(k, x);
                a0 += updated - A[k];
                A[k] = updated;
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

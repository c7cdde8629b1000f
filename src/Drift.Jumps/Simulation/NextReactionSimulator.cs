using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Gibson &amp; Bruck's (2000) next-reaction method. Each reaction j holds an absolute putative firing time Tⱼ in an
/// indexed binary min-heap; the earliest fires. After reaction μ fires at t, every other reaction α in μ's
/// dependency row keeps its time rescaled, T_α ← t + (a_α,old/a_α,new)(T_α − t) (exact by the memorylessness of the
/// exponential law; a fresh Exp(1)/a_α,new when a_α,old was 0), and μ draws T_μ = t + Exp(1)/a_μ. One uniform per
/// event (plus one per reaction that wakes up), O(log M) heap work.
/// </summary>
internal sealed class NextReactionSimulator(PropensityTable table, ulong seed) : RunSimulator(table, seed)
{
    private readonly double[] _time = new double[table.Reactions];
    private readonly int[] _heap = new int[table.Reactions];
    private readonly int[] _position = new int[table.Reactions];

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        Uniforms.Reset(run);
        int m = A.Length;
        for (int j = 0; j < m; j++)
        {
            A[j] = Table.Evaluate(j, x);
            _time[j] = A[j] > 0 ? Uniforms.Exponential() / A[j] : double.PositiveInfinity;
            _heap[j] = j;
            _position[j] = j;
        }
        for (int i = m / 2 - 1; i >= 0; i--) SiftDown(i);
        int s = 0;
        long events = 0;
        double t = 0;
        while (true)
        {
            int fired = _heap[0];
            double next = _time[fired];
            s = RecordBefore(next, s, saves, x, output);
            if (s == saves.Length) return new RunOutcome(events, false, t);
            if (events >= maxEvents) return Stop(s, saves, x, output, events, t);
            t = next;
            Table.FireChecked(fired, x);
            EventSink?.Invoke(t, fired);
            foreach (int k in Table.Dependents[fired])
            {
                if (k == fired) continue;
                double old = A[k], updated = Table.Evaluate(k, x);
                A[k] = updated;
                double tk;
                if (updated <= 0) tk = double.PositiveInfinity;
                else if (old > 0 && !double.IsPositiveInfinity(_time[k])) tk = t + old / updated * (_time[k] - t);
                else tk = t + Uniforms.Exponential() / updated;
                Update(k, tk);
            }
            double own = A[fired] = Table.Evaluate(fired, x);
            Update(fired, own > 0 ? t + Uniforms.Exponential() / own : double.PositiveInfinity);
            events++;
        }
    }

    private void Update(int j, double time)
    {
        double old = _time[j];
        _time[j] = time;
        if (time < old) SiftUp(_position[j]);
        else SiftDown(_position[j]);
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!(_time[_heap[i]] < _time[_heap[parent]])) break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        int n = _heap.Length;
        while (true)
        {
            int left = 2 * i + 1, smallest = i;
            if (left < n && _time[_heap[left]] < _time[_heap[smallest]]) smallest = left;
            if (left + 1 < n && _time[_heap[left + 1]] < _time[_heap[smallest]]) smallest = left + 1;
            if (smallest == i) return;
            Swap(i, smallest);
            i = smallest;
        }
    }

    private void Swap(int i, int j)
    {
        (_heap[i], _heap[j]) = (_heap[j], _heap[i]);
        _position[_heap[i]] = i;
        _position[_heap[j]] = j;
    }
}

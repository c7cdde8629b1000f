using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The rejection-based SSA (RSSA) of Thanh, Priami &amp; Zunino, J. Chem. Phys. 141, 134116 (2014). Each species
/// count is enclosed in a fluctuation interval [x̲ᵢ, x̄ᵢ] = [x − max(δx, 4), x + max(δx, 4)] (δ = 0.1, clamped at
/// 0), and each propensity in bounds a̲ⱼ = aⱼ(x̲) ≤ aⱼ(x) ≤ āⱼ = aⱼ(x̄) (mass-action propensities are
/// non-decreasing in every count). A trial picks j with probability āⱼ/Σā, advances time by Exp(Σā), and
/// accepts with probability aⱼ(x)/āⱼ, evaluating aⱼ(x) only when the squeeze u ≤ a̲ⱼ/āⱼ fails. Bounds are
/// recomputed only for the reactions that read a species that left its interval, so most events evaluate no
/// propensity at all: the method for large networks with many reactions.
/// </summary>
internal sealed class RejectionSimulator : RunSimulator
{
    private const double Delta = 0.1;
    private readonly double[] _low, _high, _lowX, _highX;
    private readonly int[][] _readers;
    private readonly bool[] _stale;

    public RejectionSimulator(PropensityTable table, ulong seed) : base(table, seed)
    {
        for (int j = 0; j < table.Reactions; j++)
            if (!table.IsMassAction(j)) throw new ArgumentException("the rejection-based SSA needs mass-action propensities (bounds come from monotonicity); use direct or nrm for explicit propensities.");
        _low = new double[table.Reactions];
        _high = new double[table.Reactions];
        _lowX = new double[table.Species];
        _highX = new double[table.Species];
        _stale = new bool[table.Reactions];
        var readers = Enumerable.Range(0, table.Species).Select(_ => new List<int>()).ToArray();
        for (int j = 0; j < table.Reactions; j++)
            foreach (int i in table.Reads[j]) readers[i].Add(j);
        _readers = [.. readers.Select(r => r.ToArray())];
    }

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        Uniforms.Reset(run);
        int m = A.Length;
        for (int i = 0; i < D; i++) SetInterval(i, x[i]);
        for (int j = 0; j < m; j++) Bound(j);
        double high0 = SumHigh(), t = 0;
        int s = 0;
        long events = 0;
        while (true)
        {
            if (high0 <= 0)
            {
                RecordBefore(double.PositiveInfinity, s, saves, x, output);
                return new RunOutcome(events, false, t);
            }
            // trials until one is accepted; every trial advances time
            int fired;
            while (true)
            {
                t -= Math.Log(Uniforms.Next()) / high0;
                if (t > saves[^1])
                {
                    RecordBefore(double.PositiveInfinity, s, saves, x, output); // nothing changes before the next acceptance
                    return new RunOutcome(events, false, t);
                }
                double r = Uniforms.Next() * high0, sum = 0;
                fired = -1;
                for (int j = 0; j < m; j++)
                {
                    if (_high[j] <= 0) continue;
                    sum += _high[j];
                    fired = j;
                    if (sum > r) break;
                }
                double u = Uniforms.Next() * _high[fired];
                if (u <= _low[fired] || u <= Table.Evaluate(fired, x)) break;
            }
            s = RecordBefore(t, s, saves, x, output);
            if (s == saves.Length) return new RunOutcome(events, false, t);
            if (events >= maxEvents) return Stop(s, saves, x, output, events, t);
            Table.FireChecked(fired, x);
            EventSink?.Invoke(t, fired);
            events++;
            bool changed = false;
            for (int k = Table.ChangeStart[fired]; k < Table.ChangeStart[fired + 1]; k++)
            {
                int i = Table.ChangeSpecies[k];
                if (x[i] >= _lowX[i] && x[i] <= _highX[i]) continue;
                SetInterval(i, x[i]);
                foreach (int j in _readers[i]) _stale[j] = true;
                changed = true;
            }
            if (!changed) continue;
            for (int j = 0; j < m; j++)
                if (_stale[j])
                {
                    _stale[j] = false;
                    Bound(j);
                }
            high0 = SumHigh();
        }
    }

    private void SetInterval(int i, double x)
    {
        double width = Math.Max(Math.Ceiling(Delta * x), 4);
        _lowX[i] = Math.Max(0, x - width);
        _highX[i] = x + width;
    }

    private void Bound(int j)
    {
        _low[j] = Table.Evaluate(j, _lowX);
        _high[j] = Table.Evaluate(j, _highX);
    }

    private double SumHigh()
    {
        double sum = 0;
        foreach (double a in _high) sum += a;
        return sum;
    }
}

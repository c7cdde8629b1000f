using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Extrande (Voliotis, Thomas, Grima &amp; Bowsher, PLOS Comput. Biol. 12, e1004923 (2016)): exact simulation of a
/// network whose propensities aⱼ(x, t) depend on time explicitly, by thinning (Lewis &amp; Shedler 1979) with an
/// extra "null" reaction. On a look-ahead window [t, W] a bound B ≥ Σⱼ aⱼ(x, s) for every s ∈ [t, W] is formed from
/// the time-homogeneous propensities (their values) and an interval-arithmetic bound of each time-dependent one over
/// the window (<see cref="PropensityBound"/>). Candidates arrive at rate B: τ = −ln(u₁)/B; a candidate beyond W
/// moves t to W and opens the next window (exact by memorylessness); at a candidate s ≤ W the propensities are
/// evaluated at (x, s) and with u₂B &lt; a₀(x, s) reaction j = the first with Σ_{k≤j} aₖ &gt; u₂B fires, else the null
/// reaction (nothing changes). After a firing the bounds of the time-dependent reactions that read a changed
/// species are recomputed over [t, W].
/// <para>
/// The window: W = t + L with L = 8/a₀(x, t) (about eight candidates; the rest of the run when a₀ = 0), at most to
/// the last save time, halved while the bound is infinite or exceeds 4·a₀(x, t) with more than two candidates
/// expected (a tight bound makes few null events), at most 60 times; a bound still infinite is an
/// <see cref="InvalidOperationException"/> naming the reaction. A propensity found above its bound (impossible
/// unless the bound is wrong) is one too. One (−ln u, u) pair per candidate.
/// </para>
/// <para>
/// A user-set window length L (<see cref="JumpOptions.ExtrandeWindow"/>) replaces the automatic choice: W = min(t + L,
/// last save), halved only while the bound is infinite. The law is the same for every L (thinning is exact for any
/// bound); L trades the cost of opening windows (one interval bound per time-dependent propensity, every L time
/// units at most) against null events (a loose bound over a long window).
/// </para>
/// </summary>
internal sealed class ExtrandeSimulator : RunSimulator
{
    private const double Candidates = 8;
    private readonly int[] _timed;
    private readonly bool[] _isTimed;
    private readonly double[] _bound;
    private readonly double? _window;

    /// <param name="table">The network's propensities.</param>
    /// <param name="seed">The seed of every run's stream.</param>
    /// <param name="window">The look-ahead window length (positive, finite), or null for the automatic choice.</param>
    public ExtrandeSimulator(PropensityTable table, ulong seed, double? window = null) : base(table, seed, exponentialPairs: true)
    {
        _window = window;
        _timed = table.TimeDependent;
        _isTimed = new bool[table.Reactions];
        foreach (int j in _timed) _isTimed[j] = true;
        _bound = new double[table.Reactions];
    }

    /// <summary>Null (thinned) candidates of the runs simulated so far by this instance.</summary>
    public long NullEvents { get; private set; }

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        var table = Table;
        double[] a = A;
        var sink = EventSink;
        Uniforms.Reset(run);
        if (saves.Length == 0) return new RunOutcome(0, false, 0);
        double end = saves[^1], t = 0;
        double homogeneous = Homogeneous(x), timedBound = 0, window = double.NegativeInfinity;
        int s = 0;
        long events = 0;
        while (true)
        {
            if (t >= window)
            {
                window = OpenWindow(x, t, end, homogeneous, out timedBound);
            }
            double bound = homogeneous + timedBound;
            Uniforms.NextExponentialPair(out double e, out double u);
            double candidate = bound > 0 ? t + e / bound : double.PositiveInfinity;
            if (candidate > window)
            {
                // no event in (t, W]: the state holds through W
                while (s < saves.Length && saves[s] <= window)
                {
                    x.AsSpan().CopyTo(output.Slice(s * D, D));
                    s++;
                }
                if (s == saves.Length) return new RunOutcome(events, false, t);
                t = window;
                continue;
            }
            s = RecordBefore(candidate, s, saves, x, output);
            t = candidate;
            double a0 = homogeneous;
            foreach (int j in _timed)
            {
                double v = a[j] = table.EvaluateAt(j, x, t);
                if (v > _bound[j]) throw Exceeded(j, v, x, t);
                a0 += v;
            }
            double r = u * bound;
            if (r >= a0)
            {
                NullEvents++;
                continue;
            }
            int fired = CumulativeSearch.First(a, 0, a.Length, 0, r);
            if (fired < 0) continue; // rounding put r at the exact total: a null event
            if (events >= maxEvents) return Stop(s, saves, x, output, events, t);
            table.FireChecked(fired, x);
            sink?.Invoke(t, fired);
            events++;
            bool rebound = false;
            for (int q = table.DependentStart[fired]; q < table.DependentStart[fired + 1]; q++)
            {
                int k = table.DependentList[q];
                if (_isTimed[k])
                {
                    _bound[k] = Bound(k, x, t, window);
                    rebound = true;
                }
                else
                {
                    double updated = table.Evaluate(k, x);
                    homogeneous += updated - a[k];
                    a[k] = updated;
                }
            }
            if ((events & 255) == 0) homogeneous = Homogeneous(x);
            if (rebound) timedBound = TimedBound();
        }
    }

    /// <summary>Σ of the time-homogeneous propensities, refreshed into A.</summary>
    private double Homogeneous(double[] x)
    {
        double sum = 0;
        for (int j = 0; j < A.Length; j++)
            if (!_isTimed[j]) sum += A[j] = Table.Evaluate(j, x);
        return sum;
    }

    private double TimedBound()
    {
        double sum = 0;
        foreach (int j in _timed) sum += _bound[j];
        return sum;
    }

    /// <summary>Chooses the window end W for time t and fills the time-dependent bounds over [t, W].</summary>
    private double OpenWindow(double[] x, double t, double end, double homogeneous, out double timedBound)
    {
        double now = homogeneous;
        foreach (int j in _timed) now += Table.EvaluateAt(j, x, t);
        double w = _window is { } length ? Math.Min(t + length, end) : now > 0 ? Math.Min(t + Candidates / now, end) : end;
        if (!(w > t)) w = end; // a window too short to advance t in floating point
        for (int halvings = 0; ; halvings++)
        {
            foreach (int j in _timed) _bound[j] = Bound(j, x, t, w);
            timedBound = TimedBound();
            double total = homogeneous + timedBound;
            bool infinite = double.IsPositiveInfinity(total);
            bool tight = !infinite && (_window is not null || !(total > 4 * now && total * (w - t) > 2));
            double half = t + (w - t) / 2;
            if (tight || halvings == 60 || half <= t)
            {
                if (infinite) throw Unbounded(x, t, w);
                return w;
            }
            w = half;
        }
    }

    private double Bound(int j, double[] x, double t0, double t1) => Table.UpperBound(j, x, t0, t1);

    private InvalidOperationException Unbounded(double[] x, double t0, double t1)
    {
        int j = _timed.First(k => double.IsPositiveInfinity(_bound[k]));
        return new InvalidOperationException(FormattableString.Invariant(
            $"the time-dependent propensity of the reaction on line {Table.Line(j)} has no finite bound on [{t0:R}, {t1:R}] at counts ({string.Join(", ", x)}) (a division by an interval holding 0, a pole, or a root or logarithm of negatives); extrande needs a finite bound over a short window."));
    }

    private InvalidOperationException Exceeded(int j, double value, double[] x, double t) =>
        new(FormattableString.Invariant(
            $"the time-dependent propensity of the reaction on line {Table.Line(j)} is {value:R} at t = {t:R}, counts ({string.Join(", ", x)}), above its interval bound {_bound[j]:R}; this is a bug in the bound."));
}

using Drift.Solve;
using Drift.Solve.Events;

namespace Drift.Ensembles;

/// <summary>
/// What a fixed-step ensemble with events shares between its workers: the events and callbacks, and the records of
/// every path's events (rare, so one lock).
/// </summary>
internal sealed class EventSink(ContinuousEvents? events, DiscreteCallbacks? callbacks)
{
    private readonly List<EventRecord> _records = [];

    public ContinuousEvents Events { get; } = events ?? ContinuousEvents.None;

    public DiscreteCallbacks? Callbacks { get; } = callbacks;

    public void Add(List<EventRecord> records, long path)
    {
        lock (_records)
            foreach (var r in records) _records.Add(r with { Path = path });
        records.Clear();
    }

    /// <summary>Every record, by path then time (so the order does not depend on threads).</summary>
    public IReadOnlyList<EventRecord> Sorted()
    {
        lock (_records)
            return [.. _records.OrderBy(r => r.Path).ThenBy(r => r.Time).ThenBy(r => r.Index)];
    }
}

/// <summary>
/// A fixed-step scheme with continuous events and discrete callbacks: after each step of the wrapped scheme, every path
/// whose event function changed sign is rewound to the crossing, found by the Illinois method on g of the state
/// interpolated linearly between the grid points, x̃(t + θh) = (1 − θ)x(t) + θx(t + h) (see <see cref="ContinuousEvents"/>);
/// the affected state is put at the step's end, and a terminated path is held there. Callback times are grid points
/// (<see cref="EnsembleOptions.StopTimes"/>) and run on every live path after the step that ends on them. Without
/// events or callbacks the ensemble loop never sees this type.
/// </summary>
internal struct EventStepper<TStepper>(TStepper inner, EventSink sink) : IEnsembleStepper
    where TStepper : struct, IEnsembleStepper
{
    private TStepper _inner = inner;

    public readonly int Dimension => _inner.Dimension;
    public readonly int NoiseDimension => _inner.NoiseDimension;
    public readonly bool NeedsLevyArea => _inner.NeedsLevyArea;
    public readonly SolveCounters CountersPerStep => _inner.CountersPerStep;

    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
        _inner.Start(scratch, t, x, paths);
        if (scratch.Attachment is not Lanes lanes || lanes.Capacity < paths)
            scratch.Attachment = lanes = new Lanes(sink, Dimension, paths);
        lanes.Begin(scratch.FirstPath, t, x, paths);
    }

    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        var lanes = (Lanes)scratch.Attachment!;
        double slack = 1e-9 * h;
        lanes.RunCallbacks(t, slack, x, paths); // only callback times at t0 are still due here
        if (lanes.Count > 0) x.CopyTo(lanes.Before);
        _inner.Step(scratch, t, h, dW, levy, x, paths);
        lanes.AfterStep(t, h, x, paths);
        lanes.RunCallbacks(t + h, slack, x, paths);
    }

    /// <summary>One worker's event state for the chunk it is stepping: g at the last grid point per lane, held lanes.</summary>
    private sealed class Lanes
    {
        private readonly EventSink _sink;
        private readonly EventLocator _locator;
        private readonly CallbackSchedule? _schedule;
        private readonly int _d, _k;
        private readonly double[] _g, _held, _x, _xOld;
        private readonly bool[] _stopped;
        private long _first;
        private bool _anyStopped;

        public Lanes(EventSink sink, int d, int capacity)
        {
            _sink = sink;
            _locator = sink.Events.CreateLocator(d);
            _schedule = sink.Callbacks is { } c ? new CallbackSchedule(c) : null;
            _d = d;
            _k = _locator.Count;
            Capacity = capacity;
            _g = new double[_k * capacity];
            _held = new double[d * capacity];
            _stopped = new bool[capacity];
            Before = _k > 0 ? new double[d * capacity] : [];
            _x = new double[d];
            _xOld = new double[d];
        }

        public int Capacity { get; }

        public int Count => _k;

        /// <summary>The chunk's state before the current step (component-major, d·paths), when there are continuous events.</summary>
        public double[] Before { get; }

        public void Begin(long first, double t, ReadOnlySpan<double> x, int paths)
        {
            _first = first;
            _schedule?.Reset();
            Array.Clear(_stopped, 0, paths);
            _anyStopped = false;
            for (int p = 0; p < paths && _k > 0; p++)
            {
                Gather(x, p, paths, _x);
                _locator.Start(t, _x);
                _locator.Previous.CopyTo(_g.AsSpan(p * _k, _k));
            }
        }

        public void AfterStep(double t, double h, Span<double> x, int paths)
        {
            if (_k == 0 && !_anyStopped) return;
            double tNew = t + h;
            for (int p = 0; p < paths; p++)
            {
                if (_stopped[p])
                {
                    Scatter(_held.AsSpan(p * _d, _d), x, p, paths);
                    continue;
                }
                if (_k == 0) continue;
                var g = _g.AsSpan(p * _k, _k);
                Gather(x, p, paths, _x);
                g.CopyTo(_locator.Previous);
                if (_locator.Begin(t, tNew, _x, scan: 0))
                {
                    Gather(Before, p, paths, _xOld);
                    var trial = _locator.Trial;
                    while (_locator.NextTrial(out double s))
                    {
                        double theta = (s - t) / h;
                        for (int i = 0; i < _d; i++) trial[i] = _xOld[i] + theta * (_x[i] - _xOld[i]);
                    }
                    if (!_locator.Found) continue;
                    if (_locator.Fire(_x) == EventAction.Terminate) Stop(p);
                    _sink.Add(_locator.Records, _first + p);
                    Scatter(_x, x, p, paths);
                }
                _locator.Previous.CopyTo(g);
            }
        }

        /// <summary>Runs the callbacks due at t on every live lane.</summary>
        public void RunCallbacks(double t, double slack, Span<double> x, int paths)
        {
            if (_schedule is null) return;
            for (int index = _schedule.TakeDue(t, slack); index >= 0; index = _schedule.TakeDue(t, slack))
                for (int p = 0; p < paths; p++)
                {
                    if (_stopped[p]) continue;
                    Gather(x, p, paths, _x);
                    if (_schedule.Apply(index, _x) == EventAction.Terminate) Stop(p);
                    Scatter(_x, x, p, paths);
                    if (_k == 0) continue;
                    _locator.Start(t, _x);
                    _locator.Previous.CopyTo(_g.AsSpan(p * _k, _k));
                }
        }

        private void Stop(int p)
        {
            _stopped[p] = true;
            _anyStopped = true;
            _x.CopyTo(_held.AsSpan(p * _d, _d));
        }

        private void Gather(ReadOnlySpan<double> x, int p, int paths, Span<double> lane)
        {
            for (int i = 0; i < _d; i++) lane[i] = x[i * paths + p];
        }

        private void Scatter(ReadOnlySpan<double> lane, Span<double> x, int p, int paths)
        {
            for (int i = 0; i < _d; i++) x[i * paths + p] = lane[i];
        }
    }
}

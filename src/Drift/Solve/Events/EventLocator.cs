namespace Drift.Solve.Events;

/// <summary>
/// Finds and fires the continuous events of one path (or of one lane at a time of a fixed-step chunk), whatever the
/// loop: the loop reports each accepted step's end (<see cref="Begin"/>), fills <see cref="Trial"/> with its
/// interpolant at the times <see cref="NextTrial"/> asks for, then calls <see cref="Fire"/>. The event function is
/// evaluated struct-specialised in <see cref="EventLocator{TFunction}"/>; the loop pays one virtual call per step.
/// </summary>
internal abstract class EventLocator
{
    private readonly EventDirection[] _directions;
    private readonly EventAffect? _affect;
    private readonly double _tolerance;
    private readonly double[] _gOld, _gNew, _gTrial, _ga, _gb, _state, _trial, _end;
    private double _a, _b, _start, _tEnd, _pending = double.NaN, _wa = 1, _wb = 1;
    private int _lastMoved, _iterations, _scan, _next;
    private bool _scanning;
    private readonly List<EventRecord> _records = [];

    protected EventLocator(ContinuousEvents events, int dimension)
    {
        int k = events.Count;
        _directions = [.. events.Directions];
        _affect = events.Affect;
        _tolerance = events.TimeTolerance;
        ScanPoints = events.ScanPoints;
        _gOld = new double[k];
        _gNew = new double[k];
        _gTrial = new double[k];
        _ga = new double[k];
        _gb = new double[k];
        _state = new double[dimension];
        _trial = new double[dimension];
        _end = new double[dimension];
        Count = k;
    }

    /// <summary>Number K of event components.</summary>
    public int Count { get; }

    /// <summary>Interior points of an adaptive step at which g is checked (<see cref="ContinuousEvents.ScanPoints"/>).</summary>
    public int ScanPoints { get; }

    /// <summary>Where the loop writes its interpolant at the time <see cref="NextTrial"/> returned.</summary>
    public Span<double> Trial => _trial;

    /// <summary>The located event time t* (valid after <see cref="NextTrial"/> returned false).</summary>
    public double Time => _b;

    /// <summary>Every event fired so far (path index 0; the caller renumbers).</summary>
    public List<EventRecord> Records => _records;

    /// <summary>g at the last accepted point of the current path (K values).</summary>
    public Span<double> Previous => _gOld;

    protected abstract void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g);

    /// <summary>Starts a path at (t0, x0): evaluates g there.</summary>
    public void Start(double t, ReadOnlySpan<double> x) => Evaluate(t, x, _gOld);

    /// <summary>
    /// Takes in the end (tNew, xNew) of an accepted step from t: evaluates g there and, with <paramref name="scan"/> &gt; 0,
    /// asks (through <see cref="NextTrial"/>) for g at the interior points t + jh/(scan + 1), j = 1 … scan, so that a
    /// pair of crossings inside one step is seen when a scan point falls between them. False when no trial is needed
    /// and no crossing counts (g(tNew) is then the reference for the next step); otherwise true, and the loop runs
    /// <see cref="NextTrial"/> until it returns false, after which <see cref="Found"/> says whether an event lies in the step.
    /// </summary>
    public bool Begin(double t, double tNew, ReadOnlySpan<double> xNew, int scan)
    {
        Evaluate(tNew, xNew, _gNew);
        _a = _start = t;
        _tEnd = tNew;
        _gOld.CopyTo(_ga);
        xNew.CopyTo(_end);
        _pending = double.NaN;
        _scan = scan;
        _next = 1;
        Found = false;
        if (scan > 0)
        {
            _scanning = true;
            return true;
        }
        return EndInterval();
    }

    /// <summary>Whether the last step holds an event (valid once <see cref="NextTrial"/> returned false); then <see cref="Time"/> is t*.</summary>
    public bool Found { get; private set; }

    /// <summary>Checks the last interval [a, tNew]: sets up the root search when it holds a crossing, else makes g(tNew) the reference.</summary>
    private bool EndInterval()
    {
        _scanning = false;
        if (!AnyCrossing(_ga, _gNew))
        {
            _gNew.CopyTo(_gOld);
            return false;
        }
        _b = _tEnd;
        _gNew.CopyTo(_gb);
        _end.CopyTo(_state);
        StartRoot();
        return true;
    }

    private void StartRoot()
    {
        Found = true;
        _wa = _wb = 1;
        _lastMoved = 0;
        _iterations = 0;
    }

    private bool AnyCrossing(ReadOnlySpan<double> ga, ReadOnlySpan<double> gb)
    {
        for (int i = 0; i < Count; i++)
            if (Crosses(i, ga[i], gb[i])) return true;
        return false;
    }

    /// <summary>
    /// The next time at which the loop must write its interpolant into <see cref="Trial"/>: a scan point, or one
    /// Illinois iteration (taking in g at the last trial, narrowing the bracket, proposing the next point). False when
    /// done: no event in the step, or the bracket is no wider than the tolerance (then <see cref="Time"/> is t*).
    /// </summary>
    public bool NextTrial(out double tTrial)
    {
        if (_scanning)
        {
            if (!double.IsNaN(_pending))
            {
                Evaluate(_pending, _trial, _gTrial);
                if (AnyCrossing(_ga, _gTrial))
                {
                    _b = _pending;
                    _gTrial.CopyTo(_gb);
                    _trial.CopyTo(_state);
                    _scanning = false;
                    _pending = double.NaN;
                    StartRoot();
                    return NextTrial(out tTrial);
                }
                _a = _pending;
                _gTrial.CopyTo(_ga);
                _pending = double.NaN;
            }
            if (_next <= _scan)
            {
                double h = _tEnd - _start;
                _pending = tTrial = _start + h * _next++ / (_scan + 1);
                return true;
            }
            if (!EndInterval())
            {
                tTrial = double.NaN;
                return false;
            }
        }
        if (!Found)
        {
            tTrial = double.NaN;
            return false;
        }
        if (!double.IsNaN(_pending))
        {
            Evaluate(_pending, _trial, _gTrial);
            if (AnyCrossing(_ga, _gTrial))
            {
                _b = _pending;
                _gTrial.CopyTo(_gb);
                _trial.CopyTo(_state);
                if (_lastMoved == 2) _wa *= 0.5; else _wa = 1;
                _wb = 1;
                _lastMoved = 2;
            }
            else
            {
                _a = _pending;
                _gTrial.CopyTo(_ga);
                if (_lastMoved == 1) _wb *= 0.5; else _wb = 1;
                _wa = 1;
                _lastMoved = 1;
            }
            _pending = double.NaN;
        }
        double width = _b - _a;
        if (width <= Math.Max(_tolerance, 4 * (Math.BitIncrement(Math.Abs(_b)) - Math.Abs(_b))) || ++_iterations > 200)
        {
            tTrial = double.NaN;
            return false;
        }
        // The earliest secant root over the components that cross in [a, b].
        double next = double.PositiveInfinity;
        for (int i = 0; i < Count; i++)
        {
            if (!Crosses(i, _ga[i], _gb[i])) continue;
            double fa = _wa * _ga[i], fb = _wb * _gb[i];
            double s = _a + width * (fa / (fa - fb));
            if (s < next) next = s;
        }
        if (!(next > _a && next < _b)) next = _a + 0.5 * width;
        _pending = tTrial = next;
        return true;
    }

    /// <summary>
    /// Fires the events at t*: writes the state at t* into <paramref name="x"/>, runs the affect of every component
    /// that crossed in the final bracket (index order; the first <see cref="EventAction.Terminate"/> stops), records
    /// them, and takes g at the (affected) state as the reference for the next step.
    /// </summary>
    /// <remarks>An affect that leaves the state non-finite fails the path there, as any NaN does.</remarks>
    public EventAction Fire(Span<double> x)
    {
        _state.CopyTo(x);
        var action = EventAction.Continue;
        for (int i = 0; i < Count && action == EventAction.Continue; i++)
        {
            if (!Crosses(i, _ga[i], _gb[i])) continue;
            action = _affect is null ? EventAction.Terminate : _affect(i, _b, x);
            _records.Add(new EventRecord(0, _b, i, action == EventAction.Terminate));
        }
        Evaluate(_b, x, _gOld);
        return action;
    }

    /// <summary>Whether component i's move from ga to gb is a crossing in its direction (NaN never is).</summary>
    private bool Crosses(int i, double ga, double gb) => _directions[i] switch
    {
        EventDirection.Up => ga < 0 && gb >= 0,
        EventDirection.Down => ga > 0 && gb <= 0,
        _ => (ga < 0 && gb >= 0) || (ga > 0 && gb <= 0),
    };
}

/// <summary>The locator specialised for a struct event function.</summary>
internal sealed class EventLocator<TFunction>(ContinuousEvents<TFunction> events, int dimension) : EventLocator(events, dimension)
    where TFunction : struct, IEventFunction
{
    private TFunction _function = events.Function;

    protected override void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g) => _function.Evaluate(t, x, g);
}

namespace Drift.Solve.Events;

/// <summary>
/// Continuous events of a solve: K event functions gᵢ(t, x) (a struct <see cref="IEventFunction"/>), the crossing
/// direction that counts for each, and the affect run at each located event (none: the path terminates).
/// Set on <c>SolveOptions.Events</c> (or <see cref="Adaptive.AdaptiveOptions.Events"/>).
/// </summary>
/// <remarks>
/// <para><b>Location.</b> After every accepted step [t, t + h] the loop evaluates g at the step's end. Where some gᵢ
/// changed sign in an allowed direction, the earliest crossing t* is found by the Illinois method (regula falsi with
/// the stale end's value halved when the same end is kept twice; a bisection step whenever the secant point leaves the
/// bracket) on g(s, x̃(s)), x̃ being the solver's interpolant: the method's dense output for the adaptive ODE
/// solvers (Tsit5, DP5, DP853, BS3) and the Rosenbrock methods (Rosenbrock23, Rodas4), linear interpolation
/// x̃(t + θh) = (1 − θ)x(t) + θx(t + h) between the grid points of fixed-step ODE and SDE ensembles. Iteration stops
/// when the bracket [a, b] is no wider than max(<see cref="TimeTolerance"/>, 4 ulp(b)); t* = b, the first point at
/// which the crossing has happened (gᵢ has its new sign or is zero), so an affect that leaves gᵢ alone does not fire
/// twice. The located time is therefore as accurate as the interpolant: for dense output, the solver's local error
/// over the step divided by |dgᵢ/dt|; on a fixed grid the error of linear interpolation, and for an SDE also the
/// excursions across zero that the grid does not see (a first-passage time on a grid of step h is late by about
/// 0.5826·σ·√h / |drift|: Broadie, Glasserman &amp; Kou 1997).</para>
/// <para><b>Action.</b> At t* every component that crossed in the final bracket fires in index order: the affect may
/// change the state and returns <see cref="EventAction.Continue"/> or <see cref="EventAction.Terminate"/>; without an
/// affect each event terminates. A terminated path keeps status <see cref="SolveStatus.Success"/>, stops at t*, and
/// holds its state at later save times. After a continued event the step restarts at t* from the new state (the
/// adaptive loops re-evaluate f there; a fixed grid continues from the next grid point with the affected state put
/// at the step's end — the part of the step after t* is not re-integrated, an O(h) error per event). Every event is
/// recorded (<see cref="EventRecord"/>).</para>
/// </remarks>
public abstract record ContinuousEvents
{
    private protected ContinuousEvents(EventDirection[] directions, EventAffect? affect, int count)
    {
        if (count < 0) throw new ArgumentException($"the event function has {count} components; it needs at least 0.", nameof(count));
        if (directions.Length != count)
            throw new ArgumentException($"{directions.Length} directions given for {count} event components; give one per component.", nameof(directions));
        foreach (var direction in directions)
            if (!Enum.IsDefined(direction)) throw new ArgumentException($"unknown event direction {(int)direction}.", nameof(directions));
        Directions = directions;
        Affect = affect;
    }

    /// <summary>Creates events from a struct event function; every component counts crossings in <paramref name="direction"/>.</summary>
    /// <param name="function">The event functions g(t, x).</param>
    /// <param name="direction">The crossing direction for every component.</param>
    /// <param name="affect">What happens at an event; null terminates the path.</param>
    /// <exception cref="ArgumentException">The function reports fewer than one component, or the direction is unknown.</exception>
    public static ContinuousEvents<TFunction> Create<TFunction>(TFunction function, EventDirection direction = EventDirection.Either, EventAffect? affect = null)
        where TFunction : struct, IEventFunction
    {
        int count = function.Count;
        if (count < 1) throw new ArgumentException($"the event function has {count} components; it needs at least 1.", nameof(function));
        return new ContinuousEvents<TFunction>(function, Enumerable.Repeat(direction, count).ToArray(), affect);
    }

    /// <summary>Creates events with one direction per component.</summary>
    /// <exception cref="ArgumentException">The number of directions differs from the function's component count, or one is unknown.</exception>
    public static ContinuousEvents<TFunction> Create<TFunction>(TFunction function, EventDirection[] directions, EventAffect? affect = null)
        where TFunction : struct, IEventFunction
    {
        ArgumentNullException.ThrowIfNull(directions);
        if (function.Count < 1) throw new ArgumentException($"the event function has {function.Count} components; it needs at least 1.", nameof(function));
        return new ContinuousEvents<TFunction>(function, (EventDirection[])directions.Clone(), affect);
    }

    /// <summary>No continuous event (K = 0), for a solve with discrete callbacks only.</summary>
    internal static ContinuousEvents None { get; } = new ContinuousEvents<NoEventFunction>(default, [], null);

    /// <summary>Number K of event components.</summary>
    public int Count => Directions.Count;

    /// <summary>The direction that counts, per component.</summary>
    public IReadOnlyList<EventDirection> Directions { get; }

    /// <summary>Run at each event; null: the path terminates.</summary>
    public EventAffect? Affect { get; }

    /// <summary>
    /// Absolute tolerance on the located time: root finding stops when the bracket is no wider than
    /// max(TimeTolerance, 4 ulp(t)). Default 0: locate to machine precision in t (about 10 Illinois iterations).
    /// </summary>
    /// <exception cref="ArgumentException">The value is negative or not finite.</exception>
    public double TimeTolerance
    {
        get => _timeTolerance;
        init => _timeTolerance = value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentException($"the event time tolerance must be finite and non-negative, got {value}.", nameof(value));
    }

    private readonly double _timeTolerance;

    /// <summary>
    /// Interior points t + jh/(n + 1), j = 1 … n, of each accepted adaptive step at which g is also evaluated on the
    /// dense output (default 4; 0: the step's ends only), so that two crossings inside one step are seen when a point
    /// falls between them (DifferentialEquations.jl's <c>interp_points</c>). Costs n evaluations of g and of the
    /// interpolant per step, and for DP853 the three extra evaluations of f that its interpolant needs. Crossings closer
    /// together than h/(n + 1) can still be missed: bound the step (<c>PidController.MaxStep</c>) where g turns fast.
    /// Fixed grids check the grid points only (a linear interpolant has no interior turning point).
    /// </summary>
    /// <exception cref="ArgumentException">The value is negative or above 1000.</exception>
    public int ScanPoints
    {
        get => _scanPoints;
        init => _scanPoints = value is >= 0 and <= 1000 ? value
            : throw new ArgumentException($"scan points must be in [0, 1000], got {value}.", nameof(value));
    }

    private readonly int _scanPoints = 4;

    /// <summary>A fresh locator for one path (or one worker) of dimension d.</summary>
    internal abstract EventLocator CreateLocator(int dimension);
}

/// <summary>Continuous events with the event function type <typeparamref name="TFunction"/>; see <see cref="ContinuousEvents"/>.</summary>
public sealed record ContinuousEvents<TFunction> : ContinuousEvents
    where TFunction : struct, IEventFunction
{
    internal ContinuousEvents(TFunction function, EventDirection[] directions, EventAffect? affect)
        : base(directions, affect, function.Count) => Function = function;

    /// <summary>The event functions.</summary>
    public TFunction Function { get; }

    internal override EventLocator CreateLocator(int dimension) => new EventLocator<TFunction>(this, dimension);
}

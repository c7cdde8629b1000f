using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// Automatic stiffness switching inside one solve, as LSODA and DifferentialEquations.jl's
/// <c>AutoTsit5(Rodas5P())</c> do: the explicit pair integrates while Hairer's stiffness test (h·|λ| estimated from the
/// stages, above 0.75 of the pair's stability boundary on 15 checks, now made on every accepted step) and a check of
/// h·ρ(J) by power iteration every 25 accepted steps (above the same fraction twice in a row; it sees the stiff modes
/// that have decayed out of the stages, as on Robertson after its transient) stay quiet; when either fires, the stiff Rosenbrock method takes over at that step's end — the current t and state, not t0 — and
/// hands back to the explicit pair after 10 consecutive accepted steps with h·‖J‖∞ ≤ half that boundary (‖J‖∞ bounds the
/// spectral radius, so the explicit method would have been stable there). Each segment starts with its method's own
/// initial-step guess. Save times and every-step saves are continued across segments; the switch times are in
/// <see cref="OdeStatistics.SwitchTimes"/> (the first is the explicit-to-stiff one) and the counts are summed.
/// Events and callbacks are not supported (an <see cref="ArgumentException"/>), nor <see cref="PidController.FixedStep"/>.
/// </summary>
/// <typeparam name="TExplicit">The explicit embedded pair (Tsit5 by default in the CLI's <c>auto</c>); it must have a stability boundary.</typeparam>
/// <typeparam name="TStiff">The Rosenbrock method (Rodas5P in the CLI's <c>auto</c>).</typeparam>
public readonly struct AutoSwitch<TExplicit, TStiff>(TExplicit nonStiff, TStiff stiff) : IStiffMethod
    where TExplicit : struct, IEmbeddedMethod
    where TStiff : struct, IRosenbrockMethod
{
    private readonly TExplicit _explicit = nonStiff;
    private readonly TStiff _stiff = stiff;

    /// <inheritdoc/>
    public string Name => $"auto({_explicit.Name}, {_stiff.Name})";

    /// <inheritdoc/>
    public int Order => Math.Min(_explicit.Order, _stiff.Order);

    /// <inheritdoc/>
    public OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new AdaptiveOptions();
        StiffCommon.Validate(problem, options, allowFixedStep: false);
        if (options.SaveSteps && options.SaveTimes is not null) throw new ArgumentException("a switching solve saves either at given times or at every step, not both.", nameof(options));
        double boundary = _explicit.StabilityBoundary;
        if (!double.IsFinite(boundary)) throw new ArgumentException($"'{_explicit.Name}' has no stiffness test (no stability boundary), so it cannot switch.", nameof(options));
        int d = problem.Dimension;
        var f = problem.Drift;
        var saveTimes = options.SaveTimes;
        var times = new List<double>();
        var states = new List<double>();
        var records = options.RecordSteps ? new List<StepRecord>() : null;
        var switches = new List<double>();
        long nfev = 0, accepted = 0, rejected = 0, njac = 0, nlu = 0;
        double t = problem.T0, t1 = problem.T1;
        double[] y = (double[])problem.InitialState.Clone();
        int nextSave = 0;
        bool stiffMode = false;
        OdeSolution segment;
        while (true)
        {
            // The save times this segment owns: those after t (and t0 itself in the first one).
            List<double>? own = null;
            if (saveTimes is not null)
            {
                own = [];
                for (int k = nextSave; k < saveTimes.Count; k++) own.Add(saveTimes[k]);
            }
            var o = options with { SaveTimes = own, Controller = options.Controller with { MaxSteps = Math.Max(1, options.Controller.MaxSteps - accepted - rejected) }, StopWhenStiff = !stiffMode, Progress = null };
            segment = stiffMode
                ? StiffOde.Run(ref f, _stiff, y, t, t1, o, problem.JacobianSparsity, handBack: boundary)
                : AdaptiveLoop.Run(ref f, _explicit, y, t, t1, o);
            nfev += segment.Statistics.FunctionEvaluations;
            accepted += segment.Statistics.AcceptedSteps;
            rejected += segment.Statistics.RejectedSteps;
            njac += segment.Statistics.JacobianEvaluations;
            nlu += segment.Statistics.Factorizations;
            if (segment.Statistics.Steps is { } steps) records!.AddRange(steps);
            bool ended = segment.Status != SolveStatus.Success || segment.FinalTime >= t1;
            for (int k = 0; k < segment.Count; k++)
            {
                double ts = segment.Times[k];
                if (saveTimes is null && !options.SaveSteps && !ended) continue; // only the final state is kept
                if (options.SaveSteps && saveTimes is null && times.Count > 0 && ts <= times[^1]) continue; // a segment's first point is the last one's end
                times.Add(ts);
                states.AddRange(segment.State(k));
            }
            if (saveTimes is not null) nextSave += segment.Count;
            if (ended) break;
            switches.Add(segment.FinalTime);
            t = segment.FinalTime;
            segment.FinalState.CopyTo(y);
            stiffMode = !stiffMode;
        }
        options.Progress?.Report(new SolveProgress(1, 1));
        var statistics = new OdeStatistics(nfev, accepted, rejected, switches.Count > 0 ? switches[0] : double.NaN, records?.ToArray())
        {
            JacobianEvaluations = njac,
            Factorizations = nlu,
            SwitchTimes = [.. switches],
        };
        return new OdeSolution(d, [.. times], [.. states], times.Count, segment.FinalTime, segment.FinalState.ToArray(), segment.Status, segment.Message, statistics);
    }
}

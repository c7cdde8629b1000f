namespace Drift.Solve.Adaptive;

/// <summary>
/// Adaptive integration of dy/dt = f(t, y) with an embedded Runge–Kutta pair
/// (<see cref="BogackiShampine3"/>, <see cref="Tsitouras5"/>, <see cref="DormandPrince5"/>,
/// <see cref="DormandPrince853"/>) under a <see cref="PidController"/>.
/// </summary>
/// <remarks>
/// Each trajectory integrates with its own step sequence: a step is accepted when the scaled RMS
/// error norm of its embedded estimate is ≤ 1, states at requested times come from the method's
/// dense output, and the solve stops with a status (never an exception) when steps run out, the
/// step underflows, or the right-hand side produces NaN/±∞. The drift is called with one path per
/// call (<c>paths = 1</c>, a span of length d). Per step there is no allocation and no virtual or
/// delegate call beyond what the drift itself does: the method and drift are struct type arguments.
/// </remarks>
/// <example>
/// <code>
/// var problem = new OdeProblem&lt;Lorenz&gt;(new Lorenz(), [1.0, 1.0, 1.0], 0, 100);
/// var options = new AdaptiveOptions
/// {
///     Controller = new PidController { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9 },
///     SaveTimes = [1.0, 10.0, 100.0],
/// };
/// OdeSolution s = AdaptiveOde.Solve(problem, new Tsitouras5(), options);
/// // s.Status, s.State(0) (at t = 1), s.Statistics.AcceptedSteps, s.Statistics.FunctionEvaluations
/// </code>
/// </example>
public static class AdaptiveOde
{
    /// <summary>Integrates the problem's initial state from T0 to T1.</summary>
    /// <exception cref="ArgumentException">Invalid controller settings or save times.</exception>
    public static OdeSolution Solve<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, AdaptiveOptions? options = null)
        where TDrift : struct, IDrift
        where TMethod : struct, IEmbeddedMethod
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new AdaptiveOptions();
        Validate(options, problem.T0, problem.T1);
        var f = problem.Drift;
        var solution = AdaptiveLoop.Run(ref f, method, problem.InitialState, problem.T0, problem.T1, options);
        options.Progress?.Report(new SolveProgress(1, 1));
        return solution;
    }

    /// <summary>
    /// Integrates <paramref name="paths"/> trajectories, each adapting its own step, from the
    /// problem's per-path initial states (<see cref="OdeProblem{TDrift}.PathInitialStates"/>, written
    /// component-major for the whole batch) or its shared initial state. Paths run in parallel on
    /// <see cref="AdaptiveOptions.Threads"/> workers; each path's result is independent of the others. After
    /// <see cref="AdaptiveOptions.CancellationToken"/> fires, running paths stop at their next step and paths not yet
    /// started stop before their first, all with <see cref="SolveStatus.Cancelled"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid settings, save times, path count, or a non-finite initial state (naming the path).</exception>
    public static OdeBatchSolution SolveBatch<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, int paths, AdaptiveOptions? options = null)
        where TDrift : struct, IDrift
        where TMethod : struct, IEmbeddedMethod
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        options ??= new AdaptiveOptions();
        Validate(options, problem.T0, problem.T1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Threads, nameof(options.Threads));
        int d = problem.Dimension;
        var x0 = new double[d * paths];
        if (problem.PathInitialStates is { } init) init(0, paths, x0);
        else
            for (int i = 0; i < d; i++) x0.AsSpan(i * paths, paths).Fill(problem.InitialState[i]);
        for (int j = 0; j < x0.Length; j++)
            if (!double.IsFinite(x0[j]))
                throw new ArgumentException($"initial state of path {j % paths}, component {j / paths}, is {x0[j]}; it must be finite.", nameof(problem));

        var results = new OdeSolution[paths];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads };
        var drift = problem.Drift;
        var progress = options.Progress;
        long done = 0, every = Math.Max(1, paths / 100);
        Parallel.For(0, paths, parallel, () => new double[d], (p, _, state) =>
        {
            for (int i = 0; i < d; i++) state[i] = x0[i * paths + p];
            var f = drift;
            // After cancellation a path stops before its first step, with status Cancelled.
            results[p] = AdaptiveLoop.Run(ref f, method, state, problem.T0, problem.T1, options);
            if (progress is not null)
            {
                long n = Interlocked.Increment(ref done);
                if (n % every == 0 || n == paths) progress.Report(new SolveProgress(n, paths));
            }
            return state;
        }, _ => { });
        return new OdeBatchSolution(results);
    }

    /// <summary>Checks the controller and that the save times are non-decreasing and lie in [t0, t1].</summary>
    internal static void Validate(AdaptiveOptions options, double t0, double t1)
    {
        ArgumentNullException.ThrowIfNull(options.Controller, nameof(options.Controller));
        options.Controller.Validate();
        options.Callbacks?.Validate(t0, t1, nameof(options));
        if (options.SaveTimes is not { } times) return;
        double previous = t0;
        for (int i = 0; i < times.Count; i++)
        {
            double ts = times[i];
            if (!(ts >= t0 && ts <= t1))
                throw new ArgumentException($"save time {i} is {ts}; it must lie in [t0, t1] = [{t0}, {t1}].", nameof(options));
            if (ts < previous)
                throw new ArgumentException($"save time {i} = {ts} is before save time {i - 1} = {previous}; save times must be non-decreasing.", nameof(options));
            previous = ts;
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using Drift.Solve.Events;

namespace Drift.Solve.Adaptive;

/// <summary>The step loop for one trajectory: allocation happens here once, never per step.</summary>
internal static class AdaptiveLoop
{
    internal const int StiffnessInterval = 1000;

    /// <summary>A step at ≥ 75 % of the stability boundary is taken as limited by stability rather than accuracy.</summary>
    internal const double StiffnessFraction = 0.75;

    /// <summary>
    /// In a switching solve, accepted steps between two power-iteration checks of the spectral radius (see
    /// <see cref="SpectralRadius"/>); each check costs <see cref="PowerIterations"/> + 1 evaluations of f.
    /// </summary>
    private const int PowerCheckInterval = 25;

    /// <summary>Power iterations per check: enough for the dominant eigenvalue of a stiff problem, whose gap is wide.</summary>
    private const int PowerIterations = 8;

    /// <summary>
    /// The spectral radius ρ(J) of the Jacobian J = ∂f/∂x at (t, y), estimated by <see cref="PowerIterations"/> steps of
    /// the power iteration v ← J v / ‖J v‖₂ with Jacobian–vector products by forward differences,
    /// J v ≈ (f(t, y + δ v̂) − f(t, y)) / δ with ‖δ v̂‖₂ = √ε·(1 + ‖y‖₂); returns ‖J v‖₂ / ‖v‖₂ of the last step. The start
    /// vector v₀ᵢ = (−1)ⁱ (1 + i mod 3) is fixed, so the estimate is deterministic. <paramref name="fy"/> holds f(t, y);
    /// <paramref name="scratch"/> has room for three states.
    /// </summary>
    private static double SpectralRadius<TDrift>(ref TDrift f, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> fy, Span<double> scratch)
        where TDrift : struct, IDrift
    {
        int d = y.Length;
        Span<double> v = scratch[..d], probe = scratch.Slice(d, d), fp = scratch.Slice(2 * d, d);
        double ynorm = 0;
        for (int i = 0; i < d; i++)
        {
            v[i] = (i % 2 == 0 ? 1 : -1) * (1 + i % 3);
            ynorm += y[i] * y[i];
        }
        double delta = Math.Sqrt(2.220446049250313e-16) * (1 + Math.Sqrt(ynorm));
        double rho = 0;
        for (int it = 0; it < PowerIterations; it++)
        {
            double vnorm = 0;
            for (int i = 0; i < d; i++) vnorm += v[i] * v[i];
            vnorm = Math.Sqrt(vnorm);
            if (!(vnorm > 0) || !double.IsFinite(vnorm)) return rho;
            double scale = delta / vnorm;
            for (int i = 0; i < d; i++) probe[i] = y[i] + scale * v[i];
            f.Evaluate(t, probe, fp, 1);
            double wnorm = 0;
            for (int i = 0; i < d; i++)
            {
                double w = (fp[i] - fy[i]) / delta; // J v̂ with ‖v̂‖₂ = 1
                v[i] = w;
                wnorm += w * w;
            }
            rho = Math.Sqrt(wnorm);
            if (!double.IsFinite(rho)) return 0;
        }
        return rho;
    }

    public static OdeSolution Run<TDrift, TMethod>(ref TDrift f, TMethod m, ReadOnlySpan<double> x0, double t0, double t1, AdaptiveOptions o)
        where TDrift : struct, IDrift
        where TMethod : struct, IEmbeddedMethod
    {
        var c = o.Controller;
        int d = x0.Length;
        // DP5 on a register right-hand side (d ≤ 4) without dense output: the same steps to the bit, stages in registers.
        if (typeof(TMethod) == typeof(DormandPrince5) && f is IVectorDrift && RegisterDormandPrince5.Applies(d, o))
            return RegisterDormandPrince5.Run(ref f, x0, t0, t1, o);
        var work = new double[(2 + m.StageRows) * d];
        Span<double> y = work.AsSpan(0, d), yNew = work.AsSpan(d, d);
        Span<double> stages = work.AsSpan(2 * d, m.StageRows * d);
        Span<double> k1 = stages[..d], endpoint = stages.Slice(m.EndpointRow * d, d);
        x0.CopyTo(y);

        var saveTimes = o.SaveTimes;
        int nSave = saveTimes?.Count ?? 0, si = 0;
        var save = new SaveBuffer(d, nSave > 0 || o.SaveSteps ? nSave + (o.SaveSteps ? 64 : 0) : 1);
        List<StepRecord>? records = o.RecordSteps ? new List<StepRecord>() : null;

        double rtol = c.RelativeTolerance, atol = c.AbsoluteTolerance;
        double k = m.ErrorOrder + 1;
        double e1 = -c.Beta1 / k, e2 = -c.Beta2 / k, e3 = -c.Beta3 / k;
        bool fixedStep = c.FixedStep > 0;
        bool stiffTest = !double.IsNaN(m.StabilityBoundary) && (o.DetectStiffness || o.RecordSteps || o.StopWhenStiff);
        long nfev = 0, accepted = 0, rejected = 0;
        int suspicious = 0, calm = 0;
        double stiffAt = double.NaN;
        var status = SolveStatus.Success;
        string message = string.Empty;
        double t = t0;

        f.Evaluate(t0, y, k1, 1);
        nfev++;
        int bad = FirstNonFinite(k1);
        if (bad >= 0)
            return Finish(d, save, y, t, SolveStatus.NonFinite, NonFiniteStartMessage(t0, bad, k1[bad]), nfev, accepted, rejected, stiffAt, records);

        while (si < nSave && saveTimes![si] == t0)
        {
            save.Add(t0, y);
            si++;
        }
        if (o.SaveSteps && (save.Count == 0 || save.LastTime != t0)) save.Add(t0, y);

        // Events and callbacks (null without them: then the loop below runs as it always did, one null test per step).
        var events = o.Events?.CreateLocator(d);
        var callbacks = o.Callbacks is { } given ? new CallbackSchedule(given) : null;
        bool terminated = false;
        if (callbacks is not null && callbacks.Next == t0)
        {
            terminated = callbacks.Run(t0, y) == EventAction.Terminate;
            f.Evaluate(t0, y, k1, 1);
            nfev++;
        }
        events?.Start(t0, y);

        double h;
        if (fixedStep) h = c.FixedStep;
        else if (c.InitialStep > 0) h = c.InitialStep;
        else
        {
            h = InitialStep(ref f, t0, t1, y, k1, yNew, stages.Slice(m.EndpointRow * d, d), rtol, atol, k);
            nfev++;
        }
        h = Math.Min(h, c.MaxStep);

        double safety = c.Safety, minFactor = c.MinFactor, maxFactor = c.MaxFactor, maxStep = c.MaxStep, minStep = c.MinStep;
        long maxSteps = c.MaxSteps;
        bool saveSteps = o.SaveSteps, recordSteps = o.RecordSteps, detectStiffness = o.DetectStiffness || o.StopWhenStiff, endpointInStep = m.EndpointInStep;
        int interval = o.StopWhenStiff ? 1 : StiffnessInterval;
        bool handOver = false;
        // A switching solve also checks h·ρ(J) by power iteration: Hairer's two-stage estimate sees only the
        // eigen-directions the stages excite, and on a problem whose stiff mode has decayed (Robertson after its
        // transient) it reads far below the true h·ρ while the step is already held at the stability boundary.
        double[]? power = o.StopWhenStiff ? new double[3 * d] : null;
        int powerHits = 0;
        double logOld1 = 0, logOld2 = 0;
        bool lastRejected = false;
        string? nonFiniteCause = null;
        var cancellation = o.CancellationToken;
        while (t < t1 && !terminated && !handOver)
        {
            if (cancellation.IsCancellationRequested)
            {
                status = SolveStatus.Cancelled;
                message = CancelledMessage(t, accepted);
                break;
            }
            if (accepted + rejected >= maxSteps)
            {
                status = SolveStatus.MaxSteps;
                message = MaxStepsMessage(c.MaxSteps, accepted, rejected, t1, t);
                break;
            }
            bool last = false;
            double target = callbacks is null ? t1 : Math.Min(t1, callbacks.Next);
            if (fixedStep ? t + h >= target - 1e-9 * h : t + 1.01 * h >= target)
            {
                h = target - t;
                last = true;
            }
            else if (!fixedStep && BelowMinimumStep(h, minStep, t))
            {
                (status, message) = MinimumStepFailure(t, h, minStep, nonFiniteCause);
                break;
            }

            double err = m.Step(ref f, t, h, y, yNew, stages, rtol, atol);
            nfev += m.EvaluationsPerStep;
            double tNew = last ? target : t + h;
            bad = FirstNonFinite(yNew);
            if (bad >= 0 || !double.IsFinite(err))
            {
                rejected++;
                records?.Add(new StepRecord(t, h, double.NaN, double.NaN, false));
                nonFiniteCause = NonFiniteStepCause(t, h, bad, bad >= 0 ? yNew[bad] : double.NaN);
                if (fixedStep)
                {
                    status = SolveStatus.NonFinite;
                    message = nonFiniteCause;
                    break;
                }
                h *= minFactor;
                lastRejected = true;
                continue;
            }

            if (fixedStep || err <= 1)
            {
                if (!endpointInStep)
                {
                    f.Evaluate(tNew, yNew, endpoint, 1);
                    nfev++;
                }
                accepted++;
                nonFiniteCause = null;
                bool denseReady = false;
                bool hit = false;
                if (events is not null && events.Begin(t, tNew, yNew, events.ScanPoints))
                {
                    m.PrepareDense(ref f, t, h, y, yNew, stages);
                    nfev += m.DenseEvaluations;
                    denseReady = true;
                    while (events.NextTrial(out double trial)) m.Interpolate((trial - t) / h, h, y, yNew, stages, events.Trial);
                    hit = events.Found;
                }
                // Saves up to the event time, or before a callback time (the state after the callback is saved there).
                bool callbackDue = callbacks?.Next <= tNew;
                double saveUntil = hit ? events!.Time : callbackDue ? Math.BitDecrement(tNew) : tNew;
                while (si < nSave && saveTimes![si] <= saveUntil)
                {
                    double ts = saveTimes[si];
                    var dst = save.Add(ts, yNew);
                    si++;
                    if (ts < tNew)
                    {
                        if (!denseReady)
                        {
                            m.PrepareDense(ref f, t, h, y, yNew, stages);
                            nfev += m.DenseEvaluations;
                            denseReady = true;
                        }
                        m.Interpolate((ts - t) / h, h, y, yNew, stages, dst);
                    }
                }
                if (saveSteps && !hit && save.LastTime != tNew) save.Add(tNew, yNew);

                double stiffness = double.NaN;
                if (stiffTest && (recordSteps || accepted % interval == 0 || suspicious > 0))
                {
                    stiffness = m.StiffnessEstimate(h, yNew, stages);
                    if (detectStiffness && double.IsNaN(stiffAt) && (accepted % interval == 0 || suspicious > 0))
                    {
                        if (stiffness > StiffnessFraction * m.StabilityBoundary)
                        {
                            calm = 0;
                            if (++suspicious == 15)
                            {
                                stiffAt = t;
                                handOver = o.StopWhenStiff && !last;
                            }
                        }
                        else if (++calm == 6)
                        {
                            suspicious = 0;
                        }
                    }
                }
                if (power is not null && double.IsNaN(stiffAt) && !last && accepted % PowerCheckInterval == 0)
                {
                    double rho = SpectralRadius(ref f, tNew, yNew, endpoint, power);
                    nfev += PowerIterations;
                    // Two checks in a row (at least one interval of steps) above the same fraction as Hairer's test.
                    if (h * rho > StiffnessFraction * m.StabilityBoundary)
                    {
                        if (++powerHits == 2)
                        {
                            stiffAt = t;
                            handOver = true;
                        }
                    }
                    else
                    {
                        powerHits = 0;
                    }
                }
                records?.Add(new StepRecord(t, h, err, stiffness, true));

                if (hit || callbackDue)
                {
                    // The step ends at the event time t* (its state from the dense output) or on a callback time.
                    var action = EventAction.Continue;
                    if (hit)
                    {
                        action = events!.Fire(yNew);
                        tNew = events.Time;
                        if (saveSteps) save.Add(tNew, yNew);
                    }
                    if (callbacks is not null && action == EventAction.Continue) action = callbacks.Run(tNew, yNew);
                    while (si < nSave && saveTimes![si] <= tNew) save.Add(saveTimes[si++], yNew);
                    terminated = action == EventAction.Terminate;
                    f.Evaluate(tNew, yNew, endpoint, 1);
                    nfev++;
                    bad = terminated ? -1 : FirstNonFinite(endpoint);
                }
                // FSAL pairs fold f(t + h, ŷ) into the error estimate, so it is finite here; others check it.
                else bad = endpointInStep ? -1 : FirstNonFinite(endpoint);
                for (int i = 0; i < k1.Length; i++) k1[i] = endpoint[i];
                var swap = y;
                y = yNew;
                yNew = swap;
                t = tNew;
                if (bad >= 0)
                {
                    status = SolveStatus.NonFinite;
                    message = Text($"f(t = {t}, x) component {bad} is {k1[bad]} at a finite state.");
                    break;
                }

                if (!fixedStep)
                {
                    // err is finite and ≥ 0 here (a non-finite one was rejected above) and h·factor is finite and positive,
                    // so plain comparisons give Math.Max's and Math.Min's results; they sit on the step's critical path
                    // (err → h → the next step's stages), where Math.Max/Min's NaN and signed-zero blend costs latency.
                    double logErr = Math.Log(err > 1e-300 ? err : 1e-300);
                    double factor = err == 0 ? maxFactor : safety * Math.Exp(e1 * logErr + e2 * logOld1 + e3 * logOld2);
                    factor = Math.Clamp(factor, minFactor, maxFactor);
                    if (lastRejected) factor = Math.Min(factor, 1.0);
                    logOld2 = logOld1;
                    logOld1 = Math.Max(logErr, LogFloor);
                    double hNext = h * factor;
                    h = hNext < maxStep ? hNext : maxStep;
                }
                lastRejected = false;
            }
            else
            {
                rejected++;
                records?.Add(new StepRecord(t, h, err, double.NaN, false));
                h *= Math.Max(minFactor, safety * Math.Pow(err, e1));
                lastRejected = true;
            }
        }

        // A terminated path holds its state at the save times after it stopped.
        if (terminated) while (si < nSave) save.Add(saveTimes![si++], y);
        if (status == SolveStatus.Success && nSave == 0 && !o.SaveSteps) save.Add(t, y);
        var solution = Finish(d, save, y, t, status, message, nfev, accepted, rejected, stiffAt, records);
        if (events is not null) solution.Events = events.Records;
        return solution;
    }

    internal static string CancelledMessage(double t, long accepted) => Text($"cancelled at t = {t} after {accepted} accepted steps.");

    internal static string MaxStepsMessage(long maxSteps, long accepted, long rejected, double t1, double t)
        => Text($"{maxSteps} steps attempted ({accepted} accepted, {rejected} rejected) without reaching t1 = {t1}; stopped at t = {t}.");

    internal static string NonFiniteStartMessage(double t0, int component, double value) => Text($"f(t0 = {t0}, x0) component {component} is {value}.");

    /// <summary>Why a step was rejected as non-finite: state component <paramref name="bad"/> (≥ 0) was <paramref name="value"/>, or (−1) a stage or the error estimate was.</summary>
    internal static string NonFiniteStepCause(double t, double h, int bad, double value) => bad >= 0
        ? Text($"the step from t = {t} with h = {h} gave state component {bad} = {value}.")
        : Text($"the step from t = {t} with h = {h} produced a non-finite stage or error estimate.");

    /// <summary>The status and message when the controller's step falls below the minimum (after a non-finite step, that cause).</summary>
    internal static (SolveStatus, string) MinimumStepFailure(double t, double h, double minStep, string? nonFiniteCause)
    {
        double hMin = MinimumStep(minStep, t);
        return nonFiniteCause is null
            ? (SolveStatus.StepTooSmall, Text($"at t = {t} the controller asked for h = {h}, below the minimum {hMin}; the tolerance cannot be met."))
            : (SolveStatus.NonFinite, Text($"{nonFiniteCause} Shrinking the step to the minimum {hMin} did not help."));
    }

    internal static readonly double LogFloor = Math.Log(1e-4);

    internal static OdeSolution Finish(int d, SaveBuffer save, ReadOnlySpan<double> y, double t, SolveStatus status, string message,
        long nfev, long accepted, long rejected, double stiffAt, List<StepRecord>? records)
        => new(d, save.Times, save.States, save.Count, t, y.ToArray(), status, message,
            new OdeStatistics(nfev, accepted, rejected, stiffAt, records?.ToArray()));

    /// <summary>
    /// Hairer's starting step (HNW I §II.4): h₀ = 0.01·‖y₀‖/‖f₀‖ (or 10⁻⁶), one Euler step to estimate
    /// ‖f′‖, then h₁ = (0.01 / max(‖f₀‖, ‖f′‖))^(1/k); returns min(100h₀, h₁, t1 − t0).
    /// </summary>
    internal static double InitialStep<TDrift>(ref TDrift f, double t0, double t1, ReadOnlySpan<double> y0, ReadOnlySpan<double> f0,
        Span<double> y1, Span<double> f1, double rtol, double atol, double k)
        where TDrift : struct, IDrift
    {
        int d = y0.Length;
        double d0 = 0, d1 = 0;
        for (int i = 0; i < d; i++)
        {
            double sc = atol + rtol * Math.Abs(y0[i]);
            d0 += y0[i] / sc * (y0[i] / sc);
            d1 += f0[i] / sc * (f0[i] / sc);
        }
        d0 = Math.Sqrt(d0 / d);
        d1 = Math.Sqrt(d1 / d);
        double span = t1 - t0;
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        h0 = Math.Min(h0, span);
        for (int i = 0; i < d; i++) y1[i] = y0[i] + h0 * f0[i];
        f.Evaluate(t0 + h0, y1, f1, 1);
        double d2 = 0;
        for (int i = 0; i < d; i++)
        {
            double sc = atol + rtol * Math.Abs(y0[i]);
            double q = (f1[i] - f0[i]) / sc;
            d2 += q * q;
        }
        d2 = Math.Sqrt(d2 / d) / h0;
        double h1 = d1 <= 1e-15 && d2 <= 1e-15 ? Math.Max(1e-6, h0 * 1e-3) : Math.Pow(0.01 / Math.Max(d1, d2), 1.0 / k);
        double h = Math.Min(Math.Min(100 * h0, h1), span);
        return double.IsFinite(h) && h > 0 ? h : h0;
    }

    /// <summary>The smallest step allowed at t: max(<paramref name="minStep"/>, 10 ulp(t)).</summary>
    internal static double MinimumStep(double minStep, double t) => Math.Max(minStep, 10 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)));

    /// <summary>
    /// h &lt; <see cref="MinimumStep"/>(minStep, t), with the ulp computed only when h could be that small: 10 ulp(t) ≤
    /// 10·2⁻⁵²|t| &lt; 10⁻¹⁴|t| for normal t (and a few subnormal ulps at t = 0), so a larger h is never below it. The
    /// answer is exactly that of the comparison with <see cref="MinimumStep"/>; only the per-step cost of
    /// <see cref="Math.BitIncrement"/> is saved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool BelowMinimumStep(double h, double minStep, double t)
        => h < minStep || (h < 1e-14 * Math.Abs(t) + 1e-300 && h < MinimumStep(minStep, t));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstNonFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
            if (!double.IsFinite(v[i])) return i;
        return -1;
    }

    internal static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

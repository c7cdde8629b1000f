using Drift.Numerics;
using Drift.Solve.Adaptive;
using Drift.Solve.Events;
using static Drift.Solve.Stiff.StiffCommon;

namespace Drift.Solve.Stiff;

/// <summary>
/// Adaptive integration of stiff ODEs dy/dt = f(t, y) with a Rosenbrock method (<see cref="Rosenbrock23"/>,
/// <see cref="Rodas4"/>, <see cref="Rodas5P"/>). Each step evaluates J = ∂f/∂y — from the drift's <see cref="IJacobian"/> when it has
/// one (the catalogue flows and text models do: analytic or symbolic), else by forward differences with
/// δⱼ = √(ε·max(10⁻⁵, |yⱼ|)) (Hairer's choice) — and ∂f/∂t by a forward difference, factors W = I/(γh) − J by
/// dense LU with partial pivoting (<see cref="DenseLu"/>; O(d³), meant for d up to a few hundred) or, when the problem
/// gives a <see cref="OdeProblem{TDrift}.JacobianSparsity"/>, differences J in column groups and factors W by
/// <see cref="SparseLu"/> (minimum-degree order, refactored on its fixed pattern) or <see cref="BandedLu"/> (after
/// reverse Cuthill–McKee), whichever costs fewer multiply-adds, and
/// controls the step with the scaled RMS error norm and h ← h·clamp(safety·err^(−1/(q + 1)), minFactor, maxFactor).
/// A rejected step reuses J and refactors W. Results use the same <see cref="OdeSolution"/>, statuses and
/// options (<see cref="AdaptiveOptions"/>) as <see cref="AdaptiveOde"/>; save times come from dense output.
/// </summary>
public static class StiffOde
{
    /// <summary>Integrates the problem's initial state from T0 to T1.</summary>
    /// <exception cref="ArgumentException">Invalid controller settings or save times.</exception>
    public static OdeSolution Solve<TDrift, TMethod>(OdeProblem<TDrift> problem, TMethod method, AdaptiveOptions? options = null)
        where TDrift : struct, IDrift
        where TMethod : struct, IRosenbrockMethod
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new AdaptiveOptions();
        StiffCommon.Validate(problem, options, allowFixedStep: false, allowEvents: true);
        var f = problem.Drift;
        return Run(ref f, method, problem.InitialState, problem.T0, problem.T1, options, problem.JacobianSparsity);
    }

    private const int MaxSingularRetries = 10;

    /// <summary>Consecutive accepted steps with h·‖J‖∞ below half the explicit method's stability boundary before a switching solve hands back.</summary>
    internal const int CalmStepsBeforeHandBack = 10;

    /// <summary>
    /// The Rosenbrock loop. With a finite <paramref name="handBack"/> (an explicit method's stability boundary, from
    /// <see cref="AutoSwitch{TExplicit, TStiff}"/>) it ends early, with <see cref="SolveStatus.Success"/> and
    /// <see cref="OdeSolution.FinalTime"/> before t1, once <see cref="CalmStepsBeforeHandBack"/> consecutive accepted
    /// steps had h·‖J‖∞ ≤ handBack/2 (‖J‖∞ ≥ the spectral radius, so an explicit method would have been stable there).
    /// </summary>
    internal static OdeSolution Run<TDrift, TMethod>(ref TDrift f, TMethod m, ReadOnlySpan<double> x0, double t0, double t1, AdaptiveOptions o, SparsityPattern? sparsity, double handBack = double.NaN)
        where TDrift : struct, IDrift
        where TMethod : struct, IRosenbrockMethod
    {
        bool switching = double.IsFinite(handBack);
        int calmSteps = 0;
        double jacobianNorm = 0;
        var c = o.Controller;
        int d = x0.Length;
        IJacobian? analytic = f as IJacobian; // boxed once per solve
        var w = new IterationMatrix(d, sparsity, analytic is not null);
        var work = new double[(8 + m.StageRows) * d];
        Span<double> y = work.AsSpan(0, d), yNew = work.AsSpan(d, d), f0 = work.AsSpan(2 * d, d), fNew = work.AsSpan(3 * d, d);
        Span<double> dfdt = work.AsSpan(4 * d, d), error = work.AsSpan(5 * d, d), scratch = work.AsSpan(6 * d, 2 * d);
        Span<double> stages = work.AsSpan(8 * d, m.StageRows * d);
        x0.CopyTo(y);

        var output = new StiffOutput(d, o);
        var records = output.Records;
        double rtol = c.RelativeTolerance, atol = c.AbsoluteTolerance;
        double exponent = -1.0 / (m.ErrorOrder + 1);
        long nfev = 0, njac = 0, nlu = 0, accepted = 0, rejected = 0;
        var status = SolveStatus.Success;
        string message = string.Empty;
        double t = t0;

        if (output.Start(ref f, t0, y, f0) is { } failedAtStart) return failedAtStart;
        // Events and callbacks (null without them: one null test per step).
        var events = o.Events?.CreateLocator(d);
        var callbacks = o.Callbacks is { } given ? new CallbackSchedule(given) : null;
        bool terminated = false;
        if (callbacks is not null && callbacks.Next == t0)
        {
            terminated = callbacks.Run(t0, y) == EventAction.Terminate;
            f.Evaluate(t0, y, f0, 1);
            nfev++;
        }
        events?.Start(t0, y);

        double h = c.InitialStep > 0 ? c.InitialStep : InitialStep(y, f0, rtol, atol, m.ErrorOrder + 1, t1 - t0);
        h = Math.Min(h, c.MaxStep);
        bool haveJacobian = false, lastRejected = false;
        int singular = 0;
        while (t < t1 && !terminated)
        {
            if (o.CancellationToken.IsCancellationRequested)
            {
                status = SolveStatus.Cancelled;
                message = Text($"cancelled at t = {t} after {accepted} accepted steps.");
                break;
            }
            if (accepted + rejected >= c.MaxSteps)
            {
                status = SolveStatus.MaxSteps;
                message = Text($"{c.MaxSteps} steps attempted ({accepted} accepted, {rejected} rejected) without reaching t1 = {t1}; stopped at t = {t}.");
                break;
            }
            double hMin = Math.Max(c.MinStep, 10 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)));
            bool last = false;
            double target = callbacks is null ? t1 : Math.Min(t1, callbacks.Next);
            if (t + 1.01 * h >= target) { h = target - t; last = true; }
            else if (h < hMin)
            {
                status = SolveStatus.StepTooSmall;
                message = Text($"at t = {t} the controller asked for h = {h}, below the minimum {hMin}; the tolerance cannot be met (largest scaled error in component {Largest(error, y, yNew, rtol, atol)}).");
                break;
            }
            if (!haveJacobian)
            {
                w.Evaluate(ref f, analytic, t, y, f0, dfdt, scratch, ref nfev);
                njac++;
                haveJacobian = true;
                if (switching) jacobianNorm = w.NormInf();
            }
            nlu++;
            int column = w.Factor(1.0 / (m.Gamma * h), 1.0);
            if (column >= 0)
            {
                if (++singular > MaxSingularRetries)
                {
                    status = SolveStatus.SingularJacobian;
                    message = Text($"at t = {t} the iteration matrix I/(γh) − J is singular in component {column} (no non-zero pivot), even after {MaxSingularRetries} step halvings to h = {h}.");
                    break;
                }
                rejected++;
                h *= 0.5;
                continue;
            }
            singular = 0;

            m.Step(ref f, w, t, h, y, f0, dfdt, yNew, error, fNew, stages, scratch);
            nfev += m.EvaluationsPerStep;
            double err = Norm(error, y, yNew, rtol, atol);
            if (!double.IsFinite(err) || FirstNonFinite(yNew) >= 0)
            {
                rejected++;
                records?.Add(new StepRecord(t, h, double.NaN, double.NaN, false));
                h *= c.MinFactor;
                lastRejected = true;
                if (h < hMin)
                {
                    int component = Math.Max(0, FirstNonFinite(yNew));
                    status = SolveStatus.NonFinite;
                    message = Text($"the step from t = {t} gave a non-finite state in component {component}; shrinking the step to the minimum did not help.");
                    break;
                }
                continue;
            }
            records?.Add(new StepRecord(t, h, err, double.NaN, err <= 1));
            if (err <= 1)
            {
                double tNew = last ? target : t + h;
                if (!m.EndpointInStep)
                {
                    f.Evaluate(tNew, yNew, fNew, 1);
                    nfev++;
                }
                accepted++;
                bool hit = false;
                if (events is not null && events.Begin(t, tNew, yNew, events.ScanPoints))
                {
                    while (events.NextTrial(out double trial)) m.Interpolate((trial - t) / h, h, y, yNew, stages, events.Trial);
                    hit = events.Found;
                }
                // Saves up to the event time, or before a callback time (the state after the callback is saved there).
                bool callbackDue = callbacks?.Next <= tNew;
                while (output.Next(hit ? events!.Time : callbackDue ? Math.BitDecrement(tNew) : tNew, yNew, out double ts, out var dst))
                {
                    if (ts < tNew) m.Interpolate((ts - t) / h, h, y, yNew, stages, dst);
                }
                if (hit || callbackDue)
                {
                    // The step ends at the event time t* (its state from the dense output) or on a callback time.
                    var action = EventAction.Continue;
                    if (hit)
                    {
                        action = events!.Fire(yNew);
                        tNew = events.Time;
                    }
                    if (callbacks is not null && action == EventAction.Continue) action = callbacks.Run(tNew, yNew);
                    while (output.Next(tNew, yNew, out _, out _)) { }
                    terminated = action == EventAction.Terminate;
                    f.Evaluate(tNew, yNew, fNew, 1);
                    nfev++;
                }
                output.Step(tNew, yNew);
                yNew.CopyTo(y);
                fNew.CopyTo(f0);
                t = tNew;
                haveJacobian = false;
                int bad = FirstNonFinite(f0);
                if (bad >= 0)
                {
                    status = SolveStatus.NonFinite;
                    message = Text($"f(t = {t}, x) component {bad} is {f0[bad]} at a finite state.");
                    break;
                }
                if (switching && !last)
                {
                    calmSteps = h * jacobianNorm <= 0.5 * handBack ? calmSteps + 1 : 0;
                    if (calmSteps >= CalmStepsBeforeHandBack) break;
                }
                double factor = err == 0 ? c.MaxFactor : Math.Clamp(c.Safety * Math.Pow(err, exponent), c.MinFactor, c.MaxFactor);
                if (lastRejected) factor = Math.Min(factor, 1.0);
                h = Math.Min(h * factor, c.MaxStep);
                lastRejected = false;
            }
            else
            {
                rejected++;
                h *= Math.Max(c.MinFactor, c.Safety * Math.Pow(err, exponent));
                lastRejected = true;
            }
        }
        if (terminated) output.Hold(y);
        var solution = output.Finish(t, y, status, message, nfev, accepted, rejected, njac, nlu);
        if (events is not null) solution.Events = events.Records;
        return solution;
    }

}

using Drift.Numerics;
using Drift.Solve.Adaptive;
using static Drift.Solve.Stiff.StiffCommon;

namespace Drift.Solve.Stiff;

/// <summary>
/// The 3-stage Radau IIA implicit Runge–Kutta method of order 5 (L-stable, stiffly accurate, stage order 3) with
/// Hairer &amp; Wanner's RADAU5 strategy (Solving ODEs II, §IV.8; code <c>radau5.f</c>).
/// <para>Stages: c = ((4 − √6)/10, (4 + √6)/10, 1); the stage increments Z = (z₁, z₂, z₃), zᵢ = Yᵢ − y, solve
/// Z = h(A ⊗ I)F(Z) with A the Radau IIA matrix, and y_new = y + z₃. With T⁻¹A⁻¹T = diag(γ̂, [[α̂, −β̂], [β̂, α̂]])
/// (γ̂ = 1/u₁ ≈ 3.6378, α̂ ± iβ̂ ≈ 2.6811 ± 3.0504i; T and T⁻¹ to 20 digits as in radau5.f) the simplified
/// Newton iteration in W = T⁻¹Z needs one real system (γ̂/h·I − J)ΔW₁ = r₁ and one complex system
/// ((α̂ + iβ̂)/h·I − J)(ΔW₂ + iΔW₃) = r₂ + ir₃ per iteration, with J = ∂f/∂y held fixed over the step. The complex
/// system is solved as its real 2d × 2d form [[α̂/h·I − J, −β̂/h·I], [β̂/h·I, α̂/h·I − J]] with
/// <see cref="DenseLu"/> (twice the flops of complex arithmetic; one LU routine for the library), or, when the problem
/// gives a <see cref="OdeProblem{TDrift}.JacobianSparsity"/>, by a <see cref="SparseLu"/> on the doubled pattern (the real
/// system takes the sparse, banded or dense path of the other stiff methods).</para>
/// <para>Newton: starting values extrapolated from the previous step's collocation polynomial; at most 7 iterations;
/// convergence when θ/(1 − θ)·‖ΔW‖ ≤ κ = max(10ε/rtol′, min(0.03, √rtol′)), θ the observed contraction rate;
/// a predicted failure shrinks h by 0.8·q^(−1/(4 + 7 − 1 − k)); divergence (θ ≥ 0.99) halves h.</para>
/// <para>Error estimate (radau5's ESTRAD): err = (γ̂/h·I − J)⁻¹[f(t, y) + (e₁z₁ + e₂z₂ + e₃z₃)/h], with
/// e = (−(13 + 7√6)/3, (−13 + 7√6)/3, −1/3); on the first step and after a rejection, when err &gt; 1, the
/// estimate is filtered once more through f(t, y + err). Tolerances are mapped as radau5 does:
/// rtol′ = 0.1·rtol^(2/3), atol′ = rtol′·atol/rtol, and ‖·‖ is the RMS norm with weights atol′ + rtol′·|yᵢ|.</para>
/// <para>Step size: h_new = h·clamp(fac·err^(−1/4), MinFactor, MaxFactor), fac = min(safety, safety·(1 + 2·7)/(k + 2·7))
/// for k Newton iterations, and Gustafsson's predictive controller (h/h_prev)·(err_prev/err²)^(1/4) after accepted
/// steps, taking the smaller. Jacobian reuse: after an accepted step J is kept when Newton contracted with
/// θ ≤ 0.001, and the LU factors too when moreover h_new/h ∈ [1, 1.2] (h then stays). A rejected step keeps
/// J if it was computed at this step's start.</para>
/// <para>Dense output (order 3, the collocation polynomial): y(t + θh) = y_new + s(q₁ + (s − c₂ + 1)(q₂ + (s − c₁ + 1)q₃)),
/// s = θ − 1, with q from the stage values (radau5's CONTR5). <see cref="PidController.FixedStep"/> &gt; 0 takes
/// steps of that size with Newton iterated to κ (up to 50 iterations; <see cref="SolveStatus.NotConverged"/> if it
/// does not converge) and no error control, which is how the order is measured.</para>
/// </summary>
public readonly struct RadauIIA5 : IStiffMethod
{
    private static readonly double Sq6 = Math.Sqrt(6.0);
    private static readonly double C1 = (4.0 - Sq6) / 10.0, C2 = (4.0 + Sq6) / 10.0;
    private static readonly double C1M1 = C1 - 1.0, C2M1 = C2 - 1.0, C1MC2 = C1 - C2;
    private static readonly double Dd1 = -(13.0 + 7.0 * Sq6) / 3.0, Dd2 = (-13.0 + 7.0 * Sq6) / 3.0, Dd3 = -1.0 / 3.0;
    private static readonly double U1 = 30.0 / (6.0 + Math.Cbrt(81.0) - Math.Cbrt(9.0));
    private static readonly double Alph, Beta;
    private const double T11 = 9.1232394870892942792e-02, T12 = -0.14125529502095420843, T13 = -3.0029194105147424492e-02;
    private const double T21 = 0.24171793270710701896, T22 = 0.20412935229379993199, T23 = 0.38294211275726193779;
    private const double T31 = 0.96604818261509293619;
    private const double Ti11 = 4.3255798900631553510, Ti12 = 0.33919925181580986954, Ti13 = 0.54177053993587487119;
    private const double Ti21 = -4.1787185915519047273, Ti22 = -0.32768282076106238708, Ti23 = 0.47662355450055045196;
    private const double Ti31 = -0.50287263494578687595, Ti32 = 2.5719269498556054292, Ti33 = -0.59603920482822492497;
    private const int NewtonIterations = 7, FixedStepNewtonIterations = 50, MaxSingular = 5;
    private const double Thet = 0.001, Quot1 = 1.0, Quot2 = 1.2;

    static RadauIIA5()
    {
        double a = (12.0 - Math.Cbrt(81.0) + Math.Cbrt(9.0)) / 60.0;
        double b = (Math.Cbrt(81.0) + Math.Cbrt(9.0)) * Math.Sqrt(3.0) / 60.0;
        double cno = a * a + b * b;
        Alph = a / cno;
        Beta = b / cno;
    }

    /// <inheritdoc/>
    public string Name => "radau";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new AdaptiveOptions();
        Validate(problem, options, allowFixedStep: true);
        var f = problem.Drift;
        return Run(ref f, problem.InitialState, problem.T0, problem.T1, options, problem.JacobianSparsity);
    }

    private static OdeSolution Run<TDrift>(ref TDrift f, ReadOnlySpan<double> x0, double t0, double t1, AdaptiveOptions o, SparsityPattern? sparsity) where TDrift : struct, IDrift
    {
        var c = o.Controller;
        int d = x0.Length;
        IJacobian? analytic = f as IJacobian;
        var lu = new IterationMatrix(d, sparsity, analytic is not null);
        lu.EnablePair();
        var work = new double[19 * d];
        Span<double> y = work.AsSpan(0, d), y0 = work.AsSpan(d, d), scal = work.AsSpan(2 * d, d), tmp = work.AsSpan(3 * d, d);
        Span<double> z1 = work.AsSpan(4 * d, d), z2 = work.AsSpan(5 * d, d), z3 = work.AsSpan(6 * d, d);
        Span<double> w1 = work.AsSpan(7 * d, d), w2 = work.AsSpan(8 * d, d), w3 = work.AsSpan(9 * d, d);
        Span<double> f1 = work.AsSpan(10 * d, d), f2 = work.AsSpan(11 * d, d), f3 = work.AsSpan(12 * d, d);
        Span<double> r23 = work.AsSpan(13 * d, 2 * d), cont = work.AsSpan(15 * d, 3 * d), yNew = work.AsSpan(18 * d, d);
        Span<double> cont1 = cont[..d], cont2 = cont.Slice(d, d), cont3 = cont.Slice(2 * d, d);
        x0.CopyTo(y);

        bool fixedStep = c.FixedStep > 0;
        // radau5's tolerance map: its error estimate is O(h⁴), so rtol′ = 0.1·rtol^(2/3) makes the global error ≈ rtol.
        double rtol = 0.1 * Math.Pow(c.RelativeTolerance, 2.0 / 3.0);
        double atol = rtol * c.AbsoluteTolerance / c.RelativeTolerance;
        double fnewt = Math.Max(10 * Unit / rtol, Math.Min(0.03, Math.Sqrt(rtol)));
        int nit = fixedStep ? FixedStepNewtonIterations : NewtonIterations;
        double safe = c.Safety, facr = 1.0 / c.MaxFactor, facl = 1.0 / c.MinFactor, cfac = safe * (1 + 2 * nit);

        var output = new StiffOutput(d, o);
        var records = output.Records;
        long nfev = 1, njac = 0, nlu = 0, accepted = 0, rejected = 0;
        var status = SolveStatus.Success;
        string message = string.Empty;
        double t = t0;

        if (output.Start(ref f, t0, y, y0) is { } failedAtStart) return failedAtStart;
        Scale(y, rtol, atol, scal);

        double h = fixedStep ? c.FixedStep : c.InitialStep > 0 ? c.InitialStep : InitialStep(y, y0, rtol, atol, 4, t1 - t0);
        h = Math.Min(h, c.MaxStep);
        double hold = h, hacc = 0, erracc = 0, faccon = 1, theta = Thet, thqold = 0, fac1 = 0, alphn = 0, betan = 0;
        bool first = true, reject = false, needJac = true, needLu = true, caljac = false;
        int nsing = 0;
        string why = "the error estimate stayed above the tolerance";
        while (t < t1)
        {
            if (o.CancellationToken.IsCancellationRequested)
            {
                status = SolveStatus.Cancelled;
                message = Text($"cancelled at t = {t} after {accepted} accepted steps.");
                break;
            }
            // Land on t1 exactly (radau5: when t + 1.0001h passes it).
            if (t + 1.0001 * h >= t1 && h != t1 - t) { h = t1 - t; needLu = true; }
            if (accepted + rejected >= c.MaxSteps)
            {
                status = SolveStatus.MaxSteps;
                message = Text($"{c.MaxSteps} steps attempted ({accepted} accepted, {rejected} rejected) without reaching t1 = {t1}; stopped at t = {t}.");
                break;
            }
            double hMin = Math.Max(c.MinStep, 10 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)));
            if (h < hMin && t + h < t1)
            {
                status = why.StartsWith("f ", StringComparison.Ordinal) ? SolveStatus.NonFinite : SolveStatus.StepTooSmall;
                message = Text($"at t = {t} the step fell to h = {h}, below the minimum {hMin}: {why}.");
                break;
            }
            if (needJac)
            {
                lu.Evaluate(ref f, analytic, t, y, y0, default, tmp, ref nfev);
                njac++;
                caljac = true;
                needJac = false;
                needLu = true;
            }
            if (needLu)
            {
                fac1 = U1 / h;
                alphn = Alph / h;
                betan = Beta / h;
                nlu++;
                int column = lu.Factor(fac1, 1.0);
                if (column < 0) column = lu.FactorPair(alphn, betan);
                if (column >= 0)
                {
                    if (++nsing > MaxSingular || fixedStep)
                    {
                        status = SolveStatus.SingularJacobian;
                        message = Text($"at t = {t} the Radau iteration matrix (γ/h)I − J is singular in component {column} (no non-zero pivot), even after {nsing - 1} step halvings to h = {h}.");
                        break;
                    }
                    h *= 0.5;
                    reject = true;
                    rejected++;
                    continue;
                }
                needLu = false;
            }

            // Starting values of the Newton iteration: zero, or the last collocation polynomial extrapolated.
            if (first || fixedStep && accepted == 0)
            {
                z1.Clear(); z2.Clear(); z3.Clear(); w1.Clear(); w2.Clear(); w3.Clear();
            }
            else
            {
                double c3q = h / hold, c1q = C1 * c3q, c2q = C2 * c3q;
                for (int i = 0; i < d; i++)
                {
                    double ak1 = cont1[i], ak2 = cont2[i], ak3 = cont3[i];
                    double a = c1q * (ak1 + (c1q - C2M1) * (ak2 + (c1q - C1M1) * ak3));
                    double b = c2q * (ak1 + (c2q - C2M1) * (ak2 + (c2q - C1M1) * ak3));
                    double e = c3q * (ak1 + (c3q - C2M1) * (ak2 + (c3q - C1M1) * ak3));
                    z1[i] = a; z2[i] = b; z3[i] = e;
                    w1[i] = Ti11 * a + Ti12 * b + Ti13 * e;
                    w2[i] = Ti21 * a + Ti22 * b + Ti23 * e;
                    w3[i] = Ti31 * a + Ti32 * b + Ti33 * e;
                }
            }

            // Simplified Newton iteration in the transformed variables W = T⁻¹Z.
            faccon = Math.Pow(Math.Max(faccon, Unit), 0.8);
            theta = Thet;
            int newt = 0;
            double dynold = 0;
            bool converged = false;
            double shrinkFactor = 0.5;
            while (true)
            {
                if (newt >= nit) { why = "the Newton iteration did not converge"; break; }
                for (int i = 0; i < d; i++) tmp[i] = y[i] + z1[i];
                f.Evaluate(t + C1 * h, tmp, f1, 1);
                for (int i = 0; i < d; i++) tmp[i] = y[i] + z2[i];
                f.Evaluate(t + C2 * h, tmp, f2, 1);
                for (int i = 0; i < d; i++) tmp[i] = y[i] + z3[i];
                f.Evaluate(t + h, tmp, f3, 1);
                nfev += 3;
                if (FirstNonFinite(f1) >= 0 || FirstNonFinite(f2) >= 0 || FirstNonFinite(f3) >= 0)
                {
                    why = Text($"f is not finite at a stage (component {Math.Max(FirstNonFinite(f1), Math.Max(FirstNonFinite(f2), FirstNonFinite(f3)))})");
                    break;
                }
                var r1 = tmp;
                var r2 = r23[..d];
                var r3 = r23.Slice(d, d);
                for (int i = 0; i < d; i++)
                {
                    double a = f1[i], b = f2[i], e = f3[i];
                    r1[i] = Ti11 * a + Ti12 * b + Ti13 * e - fac1 * w1[i];
                    double s2 = Ti21 * a + Ti22 * b + Ti23 * e, s3 = Ti31 * a + Ti32 * b + Ti33 * e;
                    r2[i] = s2 - alphn * w2[i] + betan * w3[i];
                    r3[i] = s3 - alphn * w3[i] - betan * w2[i];
                }
                lu.Solve(r1);
                lu.SolvePair(r23);
                newt++;
                double dyno = 0;
                for (int i = 0; i < d; i++)
                {
                    double q1 = r1[i] / scal[i], q2 = r2[i] / scal[i], q3 = r3[i] / scal[i];
                    dyno += q1 * q1 + q2 * q2 + q3 * q3;
                }
                dyno = Math.Sqrt(dyno / (3 * d));
                if (!double.IsFinite(dyno)) { why = "the Newton iteration diverged"; break; }
                if (newt > 1 && newt < nit)
                {
                    double thq = dyno / dynold;
                    theta = newt == 2 ? thq : Math.Sqrt(thq * thqold);
                    thqold = thq;
                    if (theta < 0.99)
                    {
                        faccon = theta / (1.0 - theta);
                        double dyth = faccon * dyno * Math.Pow(theta, nit - 1 - newt) / fnewt;
                        if (dyth >= 1.0 && !fixedStep)
                        {
                            double qnewt = Math.Clamp(dyth, 1e-4, 20.0);
                            shrinkFactor = 0.8 * Math.Pow(qnewt, -1.0 / (4.0 + nit - 1 - newt));
                                    why = "the Newton iteration converged too slowly";
                            break;
                        }
                    }
                    else { why = "the Newton iteration diverged"; break; }
                }
                dynold = Math.Max(dyno, Unit);
                for (int i = 0; i < d; i++)
                {
                    double a = w1[i] + r1[i], b = w2[i] + r2[i], e = w3[i] + r3[i];
                    w1[i] = a; w2[i] = b; w3[i] = e;
                    z1[i] = T11 * a + T12 * b + T13 * e;
                    z2[i] = T21 * a + T22 * b + T23 * e;
                    z3[i] = T31 * a + b;
                }
                if (faccon * dyno <= fnewt) { converged = true; break; }
            }
            if (!converged)
            {
                records?.Add(new StepRecord(t, h, double.NaN, double.NaN, false));
                if (fixedStep)
                {
                    status = SolveStatus.NotConverged;
                    message = Text($"at t = {t} with the fixed step h = {h}: {why}.");
                    break;
                }
                rejected++;
                h *= shrinkFactor;
                reject = true;
                needLu = true;
                needJac = !caljac;
                continue;
            }

            // radau5's error estimate (ESTRAD), filtered through (γ/h)I − J.
            double err = 0;
            if (!fixedStep)
            {
                double hee1 = Dd1 / h, hee2 = Dd2 / h, hee3 = Dd3 / h;
                var f2e = f2;
                var ce = tmp;
                for (int i = 0; i < d; i++)
                {
                    f2e[i] = hee1 * z1[i] + hee2 * z2[i] + hee3 * z3[i];
                    ce[i] = f2e[i] + y0[i];
                }
                lu.Solve(ce);
                err = Math.Max(Rms(ce, scal), 1e-10);
                if (err >= 1 && (first || reject))
                {
                    for (int i = 0; i < d; i++) ce[i] += y[i];
                    f.Evaluate(t, ce, f1, 1);
                    nfev++;
                    for (int i = 0; i < d; i++) ce[i] = f1[i] + f2e[i];
                    lu.Solve(ce);
                    err = Math.Max(Rms(ce, scal), 1e-10);
                }
                if (!double.IsFinite(err)) err = 1e10;
            }
            double fac = Math.Min(safe, cfac / (newt + 2 * nit));
            double quot = Math.Max(facr, Math.Min(facl, Math.Pow(err, 0.25) / fac));
            double hnew = h / quot;
            records?.Add(new StepRecord(t, h, fixedStep ? double.NaN : err, double.NaN, err < 1));
            if (err < 1)
            {
                if (!fixedStep && !first)
                {
                    double facgus = hacc / h * Math.Pow(err * err / erracc, 0.25) / safe;
                    facgus = Math.Max(facr, Math.Min(facl, facgus));
                    quot = Math.Max(quot, facgus);
                    hnew = h / quot;
                }
                hacc = h;
                erracc = Math.Max(1e-2, err);
                first = false;
                accepted++;
                double tNew = t + h >= t1 || t + 1.0001 * h >= t1 ? t1 : t + h;
                for (int i = 0; i < d; i++)
                {
                    double a = z1[i], b = z2[i], e = z3[i];
                    yNew[i] = y[i] + e;
                    cont1[i] = (b - e) / C2M1;
                    double ak = (a - b) / C1MC2;
                    double acont3 = (ak - a / C1) / C2;
                    cont2[i] = (ak - cont1[i]) / C1M1;
                    cont3[i] = cont2[i] - acont3;
                }
                while (output.Next(tNew, yNew, out double ts, out var dst))
                {
                    if (ts < tNew) Dense((ts - tNew) / h, yNew, cont, dst);
                }
                output.Step(tNew, yNew);
                yNew.CopyTo(y);
                hold = h;
                t = tNew;
                Scale(y, rtol, atol, scal);
                f.Evaluate(t, y, y0, 1);
                nfev++;
                int bad = FirstNonFinite(y0);
                if (bad >= 0)
                {
                    status = SolveStatus.NonFinite;
                    message = Text($"f(t = {t}, x) component {bad} is {y0[bad]} at a finite state.");
                    break;
                }
                caljac = false;
                why = "the error estimate stayed above the tolerance";
                if (fixedStep) { h = c.FixedStep; needJac = true; continue; }
                hnew = Math.Min(hnew, c.MaxStep);
                if (reject) hnew = Math.Min(hnew, h);
                reject = false;
                double qt = hnew / h;
                if (theta <= Thet && qt >= Quot1 && qt <= Quot2) continue; // keep h, J and the LU factors
                h = hnew;
                needLu = true;
                needJac = theta > Thet;
            }
            else
            {
                reject = true;
                rejected++;
                h = first ? h * 0.1 : hnew;
                needLu = true;
                needJac = !caljac;
            }
        }
        return output.Finish(t, y, status, message, nfev, accepted, rejected, njac, nlu);
    }

    /// <summary>radau5's CONTR5: the collocation polynomial at s = (t − t_new)/h ∈ [−1, 0].</summary>
    private static void Dense(double s, ReadOnlySpan<double> yNew, ReadOnlySpan<double> cont, Span<double> output)
    {
        int d = yNew.Length;
        for (int i = 0; i < d; i++)
            output[i] = yNew[i] + s * (cont[i] + (s - C2M1) * (cont[d + i] + (s - C1M1) * cont[2 * d + i]));
    }

    private static void Scale(ReadOnlySpan<double> y, double rtol, double atol, Span<double> scal)
    {
        for (int i = 0; i < y.Length; i++) scal[i] = atol + rtol * Math.Abs(y[i]);
    }
}

using Drift.Numerics;
using Drift.Solve.Adaptive;
using static Drift.Solve.Stiff.StiffCommon;

namespace Drift.Solve.Stiff;

/// <summary>
/// Variable-order (1 to <see cref="MaxOrder"/> ≤ 5), quasi-constant-step backward differentiation formulas in the
/// numerical-differentiation-formula (NDF) form of Shampine &amp; Reichelt (1997, "The MATLAB ODE Suite"; MATLAB's
/// <c>ode15s</c>, scipy's <c>BDF</c>).
/// <para>The history is the array of backward differences D = (y, ∇y, ∇²y, …) on the current step h. A step of
/// order k predicts y⁽⁰⁾ = Σⱼ₌₀ᵏ ∇ʲyₙ and solves (1 − κₖ)γₖ(y − y⁽⁰⁾) + Σⱼ₌₁ᵏ γⱼ∇ʲyₙ = h f(tₙ₊₁, y) with
/// γₖ = Σⱼ₌₁ᵏ 1/j and κ = (−0.1850, −1/9, −0.0823, −0.0415, 0) (Klopfenstein–Shampine; κ = 0 is BDF). Newton
/// (at most 4 iterations) uses M = I − h/((1 − κₖ)γₖ)·J with J kept from step to step and recomputed only when
/// Newton fails; a second failure with a fresh J halves h. Convergence: rate/(1 − rate)·‖Δ‖ &lt; max(10ε/rtol,
/// min(0.03, √rtol)).</para>
/// <para>Error of order k: (κₖγₖ + 1/(k + 1))·∇ᵏ⁺¹yₙ₊₁ in the RMS norm with weights atol + rtol·|yₙ₊₁|. A rejected
/// step shrinks h by max(MinFactor, s·err^(−1/(k+1))), s = 0.9·(2·4 + 1)/(2·4 + Newton iterations). After k + 1
/// steps at the same h and order the errors of orders k − 1 and k + 1 (from ∇ᵏ and ∇ᵏ⁺²) are compared and the
/// order with the largest step factor err^(−1/(order+1)) is taken, with h ← h·min(MaxFactor, s·that factor).
/// Changing h rescales D by the interpolation matrices (the quasi-constant-step form), so the history stays on a
/// uniform grid. Dense output: the order-k interpolating polynomial through the last k + 1 points.</para>
/// <para>Cheaper per step than <see cref="RadauIIA5"/> (one LU of size d instead of sizes d and 2d, Jacobians
/// reused across steps) and the usual choice for large systems at moderate tolerances; only A(α)-stable for
/// k ≥ 3, so problems with eigenvalues near the imaginary axis (oscillatory stiff systems) favour Radau.</para>
/// </summary>
public readonly struct Bdf : IStiffMethod
{
    private readonly int _maxOrder;

    /// <summary>A BDF that uses orders 1 to <paramref name="maxOrder"/>.</summary>
    /// <param name="maxOrder">The highest order used, 1 to 5 (default 5; <c>new Bdf()</c> and <c>default</c> mean 5).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOrder"/> is outside 1..5.</exception>
    public Bdf(int maxOrder = Orders)
    {
        if (maxOrder is < 1 or > Orders) throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, $"the BDF order must lie in 1..{Orders}.");
        _maxOrder = maxOrder;
    }

    internal const int Orders = 5;
    private const int NewtonMaxIterations = 4;
    private static readonly double[] Kappa = [0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0];
    private static readonly double[] Gamma = BuildGamma();
    private static readonly double[] Alpha = [.. Enumerable.Range(0, Orders + 1).Select(k => (1 - Kappa[k]) * Gamma[k])];
    private static readonly double[] ErrorConstant = [.. Enumerable.Range(0, Orders + 1).Select(k => Kappa[k] * Gamma[k] + 1.0 / (k + 1))];

    private static double[] BuildGamma()
    {
        var g = new double[Orders + 1];
        for (int k = 1; k <= Orders; k++) g[k] = g[k - 1] + 1.0 / k;
        return g;
    }

    /// <summary>The highest order used (the default struct value means 5).</summary>
    public int MaxOrder => _maxOrder == 0 ? Orders : _maxOrder;

    /// <inheritdoc/>
    public string Name => "bdf";

    /// <inheritdoc/>
    public int Order => MaxOrder;

    /// <inheritdoc/>
    public OdeSolution Solve<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions? options = null) where TDrift : struct, IDrift
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new AdaptiveOptions();
        Validate(problem, options, allowFixedStep: false);
        var f = problem.Drift;
        return Run(ref f, problem.InitialState, problem.T0, problem.T1, options, MaxOrder, problem.JacobianSparsity);
    }

    private static OdeSolution Run<TDrift>(ref TDrift f, ReadOnlySpan<double> x0, double t0, double t1, AdaptiveOptions o, int maxOrder, SparsityPattern? sparsity) where TDrift : struct, IDrift
    {
        var c = o.Controller;
        int d = x0.Length;
        IJacobian? analytic = f as IJacobian;
        var lu = new IterationMatrix(d, sparsity, analytic is not null);
        var history = new double[(Orders + 3) * d];
        var work = new double[7 * d];
        Span<double> y = work.AsSpan(0, d), f0 = work.AsSpan(d, d), yNew = work.AsSpan(2 * d, d), delta = work.AsSpan(3 * d, d);
        Span<double> scale = work.AsSpan(4 * d, d), psi = work.AsSpan(5 * d, d), scratch = work.AsSpan(6 * d, d);
        Span<double> D = history;
        var rScratch = new double[4 * (Orders + 1) * (Orders + 1)];
        x0.CopyTo(y);

        double rtol = c.RelativeTolerance, atol = c.AbsoluteTolerance;
        double newtonTol = Math.Max(10 * Unit / rtol, Math.Min(0.03, Math.Sqrt(rtol)));
        var output = new StiffOutput(d, o);
        var records = output.Records;
        long nfev = 1, njac = 0, nlu = 0, accepted = 0, rejected = 0;
        var status = SolveStatus.Success;
        string message = string.Empty;
        double t = t0;

        if (output.Start(ref f, t0, y, f0) is { } failedAtStart) return failedAtStart;

        double h = c.InitialStep > 0 ? c.InitialStep : InitialStep(y, f0, rtol, atol, 2, t1 - t0);
        h = Math.Min(Math.Min(h, c.MaxStep), t1 - t0);
        y.CopyTo(D[..d]);
        for (int i = 0; i < d; i++) D[d + i] = h * f0[i];
        int order = 1, equalSteps = 0, singular = 0;
        lu.Evaluate(ref f, analytic, t, y, f0, default, scratch, ref nfev);
        njac++;
        bool luValid = false, currentJacobian = true;
        while (t < t1)
        {
            if (o.CancellationToken.IsCancellationRequested)
            {
                status = SolveStatus.Cancelled;
                message = Text($"cancelled at t = {t} after {accepted} accepted steps.");
                break;
            }
            double hMin = Math.Max(c.MinStep, 10 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)));
            if (h > c.MaxStep) Rescale(D, d, order, c.MaxStep / h, rScratch, ref h, ref equalSteps, ref luValid);
            bool stepAccepted = false, failed = false;
            double err = 0, safety = 0.9, tNew = t;
            string why = "the error estimate stayed above the tolerance";
            while (!stepAccepted)
            {
                if (accepted + rejected >= c.MaxSteps)
                {
                    status = SolveStatus.MaxSteps;
                    message = Text($"{c.MaxSteps} steps attempted ({accepted} accepted, {rejected} rejected) without reaching t1 = {t1}; stopped at t = {t}.");
                    failed = true;
                    break;
                }
                if (t + 1.0001 * h >= t1 && h != t1 - t) Rescale(D, d, order, (t1 - t) / h, rScratch, ref h, ref equalSteps, ref luValid);
                tNew = t + h >= t1 - 1e-4 * h ? t1 : t + h;
                if (h < hMin && tNew < t1)
                {
                    status = why.StartsWith("f ", StringComparison.Ordinal) ? SolveStatus.NonFinite : SolveStatus.StepTooSmall;
                    message = Text($"at t = {t} the step fell to h = {h}, below the minimum {hMin}: {why}.");
                    failed = true;
                    break;
                }
                Predict(D, d, order, yNew, psi);
                for (int i = 0; i < d; i++) scale[i] = atol + rtol * Math.Abs(yNew[i]);
                double cc = h / Alpha[order];
                if (!luValid)
                {
                    nlu++;
                    int column = lu.Factor(1.0, cc);
                    if (column >= 0)
                    {
                        if (++singular > 10)
                        {
                            status = SolveStatus.SingularJacobian;
                            message = Text($"at t = {t} the BDF iteration matrix I − (h/α)J is singular in component {column} (no non-zero pivot), even after 10 step halvings to h = {h}.");
                            failed = true;
                            break;
                        }
                        rejected++;
                        Rescale(D, d, order, 0.5, rScratch, ref h, ref equalSteps, ref luValid);
                        continue;
                    }
                    singular = 0;
                    luValid = true;
                }
                var (converged, iterations, nonFinite) = Newton(ref f, lu, tNew, cc, psi, scale, newtonTol, NewtonMaxIterations, yNew, delta, scratch, ref nfev);
                if (!converged)
                {
                    why = nonFinite ? "f is not finite at the Newton iterate" : "the Newton iteration did not converge";
                    if (!currentJacobian)
                    {
                        Predict(D, d, order, yNew, psi);
                        f.Evaluate(tNew, yNew, scratch, 1);
                        nfev++;
                        lu.Evaluate(ref f, analytic, tNew, yNew, scratch, default, delta, ref nfev);
                        njac++;
                        currentJacobian = true;
                        luValid = false;
                        continue;
                    }
                    records?.Add(new StepRecord(t, h, double.NaN, double.NaN, false));
                    rejected++;
                    Rescale(D, d, order, 0.5, rScratch, ref h, ref equalSteps, ref luValid);
                    continue;
                }
                safety = 0.9 * (2 * NewtonMaxIterations + 1) / (2 * NewtonMaxIterations + iterations);
                for (int i = 0; i < d; i++) scale[i] = atol + rtol * Math.Abs(yNew[i]);
                err = ErrorConstant[order] * Rms(delta, scale);
                records?.Add(new StepRecord(t, h, err, double.NaN, err <= 1));
                if (!(err <= 1))
                {
                    double factor = double.IsFinite(err) ? Math.Max(c.MinFactor, safety * Math.Pow(err, -1.0 / (order + 1))) : c.MinFactor;
                    rejected++;
                    why = "the error estimate stayed above the tolerance";
                    Rescale(D, d, order, factor, rScratch, ref h, ref equalSteps, ref luValid);
                    continue;
                }
                stepAccepted = true;
            }
            if (failed) break;

            accepted++;
            equalSteps++;
            currentJacobian = false;
            t = tNew;
            yNew.CopyTo(y);
            // D ← differences of the new point: ∇ᵏ⁺²y = δ − ∇ᵏ⁺¹y, ∇ᵏ⁺¹y = δ, then ∇ʲy += ∇ʲ⁺¹y downwards.
            var dk2 = D.Slice((order + 2) * d, d);
            var dk1 = D.Slice((order + 1) * d, d);
            for (int i = 0; i < d; i++) { dk2[i] = delta[i] - dk1[i]; dk1[i] = delta[i]; }
            for (int j = order; j >= 0; j--)
            {
                var dj = D.Slice(j * d, d);
                var dj1 = D.Slice((j + 1) * d, d);
                for (int i = 0; i < d; i++) dj[i] += dj1[i];
            }
            while (output.Next(t, y, out double ts, out var dst))
            {
                if (ts < t) Interpolate(D, d, order, t, h, ts, dst);
            }
            output.Step(t, y);
            if (FirstNonFinite(y) is var nf && nf >= 0)
            {
                status = SolveStatus.NonFinite;
                message = Text($"the step to t = {t} gave a non-finite state in component {nf}.");
                break;
            }
            if (t >= t1) break;
            if (equalSteps < order + 1) continue;

            // Order selection: the orders k − 1, k, k + 1 by the step factor each would allow.
            double errMinus = order > 1 ? ErrorConstant[order - 1] * Rms(D.Slice(order * d, d), scale) : double.PositiveInfinity;
            double errPlus = order < maxOrder ? ErrorConstant[order + 1] * Rms(D.Slice((order + 2) * d, d), scale) : double.PositiveInfinity;
            double fMinus = Math.Pow(errMinus, -1.0 / order), fSame = Math.Pow(err, -1.0 / (order + 1)), fPlus = Math.Pow(errPlus, -1.0 / (order + 2));
            double best = fSame;
            int change = 0;
            if (fMinus > best) { best = fMinus; change = -1; }
            if (fPlus > best) { best = fPlus; change = 1; }
            order += change;
            Rescale(D, d, order, Math.Min(c.MaxFactor, safety * best), rScratch, ref h, ref equalSteps, ref luValid);
        }
        return output.Finish(t, y, status, message, nfev, accepted, rejected, njac, nlu);
    }

    /// <summary>y⁽⁰⁾ = Σⱼ₌₀ᵏ ∇ʲy and ψ = Σⱼ₌₁ᵏ γⱼ∇ʲy / αₖ.</summary>
    private static void Predict(ReadOnlySpan<double> D, int d, int order, Span<double> yPredict, Span<double> psi)
    {
        D[..d].CopyTo(yPredict);
        psi.Clear();
        for (int j = 1; j <= order; j++)
        {
            var dj = D.Slice(j * d, d);
            double g = Gamma[j] / Alpha[order];
            for (int i = 0; i < d; i++) { yPredict[i] += dj[i]; psi[i] += g * dj[i]; }
        }
    }

    /// <summary>
    /// Newton for y = y⁽⁰⁾ + δ with (I − cJ)Δ = c f(t, y) − ψ − δ (c = h/αₖ), starting at δ = 0 from the prediction in
    /// <paramref name="y"/>; returns whether it converged, the iterations, and whether f was not finite.
    /// </summary>
    private static (bool Converged, int Iterations, bool NonFinite) Newton<TDrift>(ref TDrift f, ILinearSolver lu, double t, double c, ReadOnlySpan<double> psi,
        ReadOnlySpan<double> scale, double tol, int maxIterations, Span<double> y, Span<double> delta, Span<double> dy, ref long nfev) where TDrift : struct, IDrift
    {
        int d = y.Length;
        delta.Clear();
        double normOld = double.NaN;
        int k = 0;
        while (k < maxIterations)
        {
            k++;
            f.Evaluate(t, y, dy, 1);
            nfev++;
            if (FirstNonFinite(dy) >= 0) return (false, k, true);
            for (int i = 0; i < d; i++) dy[i] = c * dy[i] - psi[i] - delta[i];
            lu.Solve(dy);
            double norm = Rms(dy, scale);
            double rate = double.IsNaN(normOld) ? double.NaN : norm / normOld;
            if (!double.IsNaN(rate) && (rate >= 1 || Math.Pow(rate, maxIterations - k + 1) / (1 - rate) * norm > tol)) return (false, k, false);
            for (int i = 0; i < d; i++) { y[i] += dy[i]; delta[i] += dy[i]; }
            if (norm == 0 || (!double.IsNaN(rate) && rate / (1 - rate) * norm < tol)) return (true, k, false);
            normOld = norm;
        }
        return (false, k, false);
    }

    /// <summary>
    /// Rescales the differences of order ≤ k from step h to step factor·h: D ← (RU)ᵀD with Rᵢⱼ = Πₘ₌₁ⁱ (m − 1 − factor·j)/m
    /// and U the same at factor 1 (Shampine &amp; Reichelt's quasi-constant-step update); h ← factor·h.
    /// </summary>
    private static void Rescale(Span<double> D, int d, int order, double factor, double[] scratch, ref double h, ref int equalSteps, ref bool luValid)
    {
        int n = order + 1;
        var r = scratch.AsSpan(0, n * n);
        var u = scratch.AsSpan(n * n, n * n);
        var ru = scratch.AsSpan(2 * n * n, n * n);
        Fill(r, n, factor);
        Fill(u, n, 1.0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += r[i * n + k] * u[k * n + j];
                ru[i * n + j] = s;
            }
        var old = scratch.AsSpan(3 * n * n, n);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < n; j++) old[j] = D[j * d + i];
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += ru[k * n + j] * old[k];
                D[j * d + i] = s;
            }
        }
        h *= factor;
        equalSteps = 0;
        luValid = false;
    }

    private static void Fill(Span<double> r, int n, double factor)
    {
        // M₀ⱼ = 1, Mᵢ₀ = 0, Mᵢⱼ = (i − 1 − factor·j)/i (i, j ≥ 1); R = cumulative product of M down the columns.
        for (int j = 0; j < n; j++) r[j] = 1.0;
        for (int i = 1; i < n; i++)
            for (int j = 0; j < n; j++)
                r[i * n + j] = r[(i - 1) * n + j] * (j == 0 ? 0.0 : (i - 1 - factor * j) / i);
    }

    /// <summary>The interpolating polynomial y(s) = D₀ + Σⱼ₌₁ᵏ Dⱼ Πₘ₌₀ʲ⁻¹ (s − (t − mh))/((m + 1)h).</summary>
    private static void Interpolate(ReadOnlySpan<double> D, int d, int order, double t, double h, double s, Span<double> output)
    {
        D[..d].CopyTo(output);
        double p = 1;
        for (int j = 1; j <= order; j++)
        {
            p *= (s - (t - (j - 1) * h)) / (j * h);
            var dj = D.Slice(j * d, d);
            for (int i = 0; i < d; i++) output[i] += dj[i] * p;
        }
    }

    /// <summary>
    /// Test hook: <paramref name="steps"/> steps of fixed size h and fixed order k from exact history
    /// (<paramref name="past"/>[j] = y(t0 − jh), j = 0..k), to measure the order of the formula itself.
    /// </summary>
    internal static double[] FixedSteps<TDrift>(TDrift f, double[][] past, double t0, double h, int order, int steps) where TDrift : struct, IDrift
    {
        int d = past[0].Length;
        var D = new double[(Orders + 3) * d];
        // ∇ʲyₙ from the exact values: ∇ʲyₙ = Σₘ (−1)ᵐ C(j, m) yₙ₋ₘ.
        for (int j = 0; j <= order; j++)
            for (int mm = 0; mm <= j; mm++)
            {
                double coefficient = Binomial(j, mm) * (mm % 2 == 0 ? 1 : -1);
                for (int i = 0; i < d; i++) D[j * d + i] += coefficient * past[mm][i];
            }
        var lu = new DenseLu(d);
        var jac = new double[d * d];
        var mat = new double[d * d];
        double[] y = new double[d], psi = new double[d], scale = new double[d], delta = new double[d], scratch = new double[d];
        double cc = h / Alpha[order];
        long nfev = 0;
        double t = t0;
        for (int s = 0; s < steps; s++)
        {
            Predict(D, d, order, y, psi);
            f.Evaluate(t + h, y, scratch, 1);
            Jacobian(ref f, f as IJacobian, t + h, y, scratch, jac, default, delta, ref nfev);
            for (int k = 0; k < mat.Length; k++) mat[k] = -cc * jac[k];
            for (int i = 0; i < d; i++) mat[i * d + i] += 1.0;
            lu.Factor(mat);
            Array.Fill(scale, 1.0);
            var (converged, _, _) = Newton(ref f, lu, t + h, cc, psi, scale, 1e-13, 50, y, delta, scratch, ref nfev);
            if (!converged) throw new InvalidOperationException("Newton did not converge in the fixed-step test hook.");
            var dk2 = D.AsSpan((order + 2) * d, d);
            var dk1 = D.AsSpan((order + 1) * d, d);
            for (int i = 0; i < d; i++) { dk2[i] = delta[i] - dk1[i]; dk1[i] = delta[i]; }
            for (int j = order; j >= 0; j--)
                for (int i = 0; i < d; i++) D[j * d + i] += D[(j + 1) * d + i];
            t += h;
        }
        return D[..d];
    }

    private static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}

using System.Runtime.InteropServices;
using Drift.Numerics;

namespace Drift.Solve.Sde;

/// <summary>
/// The nonlinear solve shared by the implicit SDE solvers, for a batch of paths at once: the stage equation
/// y = r + c·f(t_c, y) (c = θh for the θ-methods, γh for an SDIRK stage) by simplified Newton,
/// yₖ₊₁ = yₖ − M⁻¹ (yₖ − r − c f(t_c, yₖ)), with one iteration matrix M = I − c J per path, J = ∂f/∂x at the start of
/// the step: from the drift's <see cref="IJacobian"/> when it has one, else forward differences
/// δⱼ = √(ε·max(10⁻⁵, |xⱼ|)) (Hairer's choice, as the stiff ODE solvers take it), d batched drift evaluations.
/// M is LU-factored once per step (<see cref="DenseLu.FactorInPlace"/>) and reused by every iteration and stage.
/// </summary>
/// <remarks>
/// <para>Convergence, per path (Hairer &amp; Wanner IV.8): with νₖ = √((1/d) Σ (Δᵢ/(1 + |yᵢ|))²) the size of the k-th
/// correction and ρ = νₖ/νₖ₋₁ its contraction, the path stops when νₖ ≤ tol or, after the first iteration,
/// ρ/(1 − ρ)·νₖ ≤ tol (the remaining error of a contraction); it fails with <see cref="SolveStatus.NotConverged"/>
/// when ρ ≥ 1 with νₖ above tol, or when the iteration budget runs out, and with
/// <see cref="SolveStatus.SingularJacobian"/> when M has a zero or non-finite pivot. A path that has stopped is never
/// touched again, so its result does not depend on which other paths share its batch (the same bits for any chunk
/// size or thread count). A failed path's state is replaced by <see cref="StepFailure.Signal"/>, which the loops
/// report with its cause, path and time.</para>
/// <para>A path whose iteration diverges (ρ ≥ 1) or exhausts its budget gets a fresh Jacobian at its current iterate
/// and a new budget (the noise can carry a stage far from the step's start, where J(t, x) no longer contracts), up to
/// three times per stage; only then is the failure final.</para>
/// <para>Scratch slots 5–10 and 25–27 hold the per-path factors, pivots, status and the iteration's rows; callers use other slots.</para>
/// </remarks>
internal static class ImplicitStage
{
    private const int LuSlot = 5, PivotSlot = 6, StatusSlot = 7, DriftSlot = 8, WorkSlot = 9, NormSlot = 10;
    private const int ShiftedDriftSlot = 25, CountSlot = 26, RefreshedSlot = 27;
    // Status during an iteration: Ok = iterating, Stopped = converged this stage, Refresh = wants a fresh Jacobian,
    // else the SolveStatus of a failure (kept).
    private const double Ok = 0, Stopped = 1, Refresh = -1;
    private const int MaxRefreshes = 3;

    /// <summary>
    /// Evaluates J(t, x) for every path, forms M = I − c J and factors it. <paramref name="f0"/> = f(t, x) is read only
    /// for finite differences. Paths whose M is singular are marked failed; every other path's status is reset.
    /// </summary>
    public static void Factor<TDrift>(ref TDrift drift, SolverScratch scratch, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> f0, double c, int paths)
        where TDrift : struct, IDrift
    {
        scratch.Slot(StatusSlot, paths).Clear();
        scratch.Slot(RefreshedSlot, paths).Clear();
        FactorWhere(ref drift, scratch, t, x, f0, c, paths, Ok);
    }

    /// <summary>J, M = I − cJ and its LU for the paths whose status is <paramref name="which"/> (their status becomes Ok, or SingularJacobian).</summary>
    private static void FactorWhere<TDrift>(ref TDrift drift, SolverScratch scratch, double t, ReadOnlySpan<double> x, ReadOnlySpan<double> f0, double c, int paths, double which)
        where TDrift : struct, IDrift
    {
        int d = drift.Dimension, dd = d * d;
        var lu = scratch.Slot(LuSlot, dd * paths);
        var status = scratch.Slot(StatusSlot, paths);
        var pivots = MemoryMarshal.Cast<double, int>(scratch.Slot(PivotSlot, (d * paths + 1) / 2))[..(d * paths)];
        if (drift is IJacobian)
        {
            var point = scratch.Slot(WorkSlot, d);
            for (int p = 0; p < paths; p++)
            {
                if (status[p] != which) continue;
                for (int i = 0; i < d; i++) point[i] = x[i * paths + p];
                ((IJacobian)drift).Jacobian(t, point, lu.Slice(p * dd, dd));
            }
        }
        else
        {
            // Column j of every path's J from one batched evaluation with x_j shifted (paths not asked for keep their factors).
            var shifted = scratch.Slot(WorkSlot, d * paths);
            var fp = scratch.Slot(ShiftedDriftSlot, d * paths);
            var delta = scratch.Slot(NormSlot, paths);
            x.CopyTo(shifted);
            for (int j = 0; j < d; j++)
            {
                var row = shifted.Slice(j * paths, paths);
                for (int p = 0; p < paths; p++)
                {
                    double saved = x[j * paths + p];
                    row[p] = saved + Math.Sqrt(Epsilon * Math.Max(1e-5, Math.Abs(saved)));
                    delta[p] = row[p] - saved; // the step actually taken
                }
                drift.Evaluate(t, shifted, fp, paths);
                x.Slice(j * paths, paths).CopyTo(row);
                for (int p = 0; p < paths; p++)
                {
                    if (status[p] != which) continue;
                    for (int i = 0; i < d; i++) lu[p * dd + i * d + j] = (fp[i * paths + p] - f0[i * paths + p]) / delta[p];
                }
            }
        }
        for (int p = 0; p < paths; p++)
        {
            if (status[p] != which) continue;
            var m = lu.Slice(p * dd, dd);
            for (int k = 0; k < dd; k++) m[k] = -c * m[k];
            for (int i = 0; i < d; i++) m[i * d + i] += 1.0;
            status[p] = DenseLu.FactorInPlace(m, d, pivots.Slice(p * d, d)) >= 0 ? (double)SolveStatus.SingularJacobian : Ok;
        }
    }

    /// <summary>
    /// Solves y = r + c·f(t, y) in place for every path still in good standing (<paramref name="y"/> holds the starting
    /// guess), with the factors of the last <see cref="Factor"/> (made with the same c).
    /// </summary>
    public static void Solve<TDrift>(ref TDrift drift, SolverScratch scratch, double t, double c, ReadOnlySpan<double> r, Span<double> y, int paths,
        double tolerance, int maxIterations)
        where TDrift : struct, IDrift
    {
        int d = drift.Dimension, dd = d * d;
        var lu = scratch.Slot(LuSlot, dd * paths);
        var status = scratch.Slot(StatusSlot, paths);
        var pivots = MemoryMarshal.Cast<double, int>(scratch.Slot(PivotSlot, (d * paths + 1) / 2))[..(d * paths)];
        var f = scratch.Slot(DriftSlot, d * paths);
        var correction = scratch.Slot(WorkSlot, d);
        var previous = scratch.Slot(NormSlot, paths);
        var count = scratch.Slot(CountSlot, paths);
        var refreshed = scratch.Slot(RefreshedSlot, paths);
        count.Clear();
        int active = 0;
        for (int p = 0; p < paths; p++) if (status[p] == Ok) active++;
        while (active > 0)
        {
            drift.Evaluate(t, y, f, paths);
            int refresh = 0;
            for (int p = 0; p < paths; p++)
            {
                if (status[p] != Ok) continue;
                for (int i = 0; i < d; i++)
                {
                    int at = i * paths + p;
                    correction[i] = -(y[at] - r[at] - c * f[at]);
                }
                DenseLu.SolveFactored(lu.Slice(p * dd, dd), d, pivots.Slice(p * d, d), correction);
                double sum = 0;
                for (int i = 0; i < d; i++)
                {
                    int at = i * paths + p;
                    y[at] += correction[i];
                    double q = correction[i] / (1.0 + Math.Abs(y[at]));
                    sum += q * q;
                }
                double norm = Math.Sqrt(sum / d);
                if (!double.IsFinite(norm)) { status[p] = Stopped; active--; continue; } // a non-finite state speaks for itself
                bool done = norm <= tolerance, diverging = false;
                if (!done && count[p] > 0)
                {
                    double rate = norm / previous[p];
                    diverging = rate >= 1.0;
                    done = !diverging && rate / (1.0 - rate) * norm <= tolerance;
                }
                previous[p] = norm;
                count[p]++;
                if (done) { status[p] = Stopped; active--; }
                else if (diverging || count[p] >= maxIterations)
                {
                    if (refreshed[p] < MaxRefreshes) { status[p] = Refresh; refreshed[p]++; count[p] = 0; refresh++; }
                    else { status[p] = (double)SolveStatus.NotConverged; active--; }
                }
            }
            if (refresh > 0)
            {
                // A fresh Jacobian at the current iterate for the paths that asked (f(t, y) is the base of its differences).
                if (drift is not IJacobian) drift.Evaluate(t, y, f, paths);
                for (int p = 0; p < paths; p++) if (status[p] == Refresh) count[p] = -1;
                FactorWhere(ref drift, scratch, t, y, f, c, paths, Refresh);
                for (int p = 0; p < paths; p++)
                {
                    if (count[p] != -1) continue;
                    count[p] = 0;
                    if (status[p] != Ok) active--; // singular at the new iterate
                }
            }
        }
        for (int p = 0; p < paths; p++) if (status[p] == Stopped) status[p] = Ok; // ready for the next stage
    }

    /// <summary>Writes <see cref="StepFailure.Signal"/> into the first component of every path whose solve failed; false if none did.</summary>
    public static bool MarkFailures(SolverScratch scratch, Span<double> x, int paths)
    {
        var status = scratch.Slot(StatusSlot, paths);
        bool any = false;
        for (int p = 0; p < paths; p++)
        {
            if (status[p] == Ok) continue;
            x[p] = StepFailure.Signal((SolveStatus)(int)status[p]);
            any = true;
        }
        return any;
    }

    private const double Epsilon = 2.220446049250313e-16; // 2⁻⁵²
}

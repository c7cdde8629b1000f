#!/usr/bin/python3
"""Stiff work-precision, side by side: Drift's stiff solvers, SUNDIALS CVODE and scipy on three problems.

One command regenerates the table and the plot (docs/img/stiff_work_precision.png):

    /usr/bin/python3 bench/compare/stiff_work_precision.py [repeats] [--no-build] [--no-brusselator] [--json FILE]
    /usr/bin/python3 bench/compare/stiff_work_precision.py [rounds] --brusselator-only [--no-scipy] [--no-build]
        (the Brusselator alone: `rounds` rounds that alternate a Drift run and a CVODE run over all tolerances, so that
        both see the same load, keeping each row's best time; scipy once unless --no-scipy)
    /usr/bin/python3 bench/compare/stiff_work_precision.py --replot FILE     (redraw the plot from a --json file)

Problems (the same equations, parameters, initial states and tolerances on every side):
  robertson    a' = -0.04a + 1e4 bc, b' = 0.04a - 1e4 bc - 3e7 b^2, c' = 3e7 b^2, (1, 0, 0) on [0, 1e5],
               atol = 1e-6 rtol; analytic Jacobian everywhere.
  vanderpol    y1' = y2, y2' = mu (1 - y1^2) y2 - y1, mu = 1000, (2, 0) on [0, 2000], atol = rtol; analytic Jacobian.
  brusselator  the 2-D Brusselator of src/Drift/Models/Physics/Brusselator2D.cs (Hairer & Wanner II §IV.10, the
               DiffEq.jl/SUNDIALS benchmark form): u_t = 1 + u^2 v - 4.4u + alpha Lap u + F, v_t = 3.4u - u^2 v +
               alpha Lap v, alpha = 10, periodic unit square, N = 32 grid x_i = i/(N-1) (2048 unknowns, u block then
               v block), five-point Laplacian, F = 5 in the disc (x-0.3)^2 + (y-0.6)^2 <= 0.1^2 for t >= 1.1,
               u0 = 22 (y(1-y))^1.5, v0 = 27 (x(1-x))^1.5, on [0, 11.5], atol = rtol. Sparse Jacobians: Drift by
               grouped finite differences on the problem's pattern (11 evaluations) with a sparse LU in minimum-degree
               order (Drift.Numerics.SparseLu, refactored on a fixed pattern); CVODE the analytic CSR Jacobian with KLU; scipy finite differences on jac_sparsity
               (its grouped scheme) with SuperLU.

Implementations: Drift Rodas4, Rodas5P, Radau IIA 5, BDF (bench/compare/drift-stiff; the Brusselator with Rodas5P and
BDF on the sparse path), CVODE 6.4 BDF + Newton (bench/compare/cvode/cvode_driver), scipy solve_ivp Radau, BDF, LSODA
(LSODA is left out of the Brusselator: it takes no sparsity pattern, only a band, and the periodic grid's natural band
is the whole matrix).

Error: max_i |y_i - ref_i| / |ref_i| of the final state. References: scipy Radau at rtol 1e-12 for Robertson and Van der
Pol, cross-checked against Drift Rodas4 at 1e-12 (the script stops if they differ by more than 1e-7 relative); Drift
Rodas5P at rtol 1e-10 for the Brusselator, cross-checked against CVODE at 1e-12 (stops above 1e-7 relative; measured
1.8e-8, while CVODE at 1e-10 is still 5e-7 away: BDF's global error is larger at equal rtol). Time: the best of `repeats` solves (default
3; the Brusselator once, scipy's only at rtol 1e-4 and 1e-6), wall clock, one thread. On a loaded machine the times
are noisy and slow on every side alike; the output says when it was taken and the load average.
"""
import json, os, subprocess, sys, time
import numpy as np
import scipy
import scipy.sparse as sp
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DRIFT = os.path.join(ROOT, "bench", "compare", "drift-stiff", "bin", "Release", "net10.0", "drift-stiff.dll")
CVODE = os.path.join(HERE, "cvode", "cvode_driver")
PLOT = os.path.join(ROOT, "docs", "img", "stiff_work_precision.png")
RTOLS = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9]
BRU_RTOLS = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8]
SCIPY_BRU_RTOLS = [1e-4, 1e-6]  # scipy takes minutes per Brusselator solve
MU = 1000.0


def robertson(t, x):
    a, b, c = x
    return [-0.04 * a + 1e4 * b * c, 0.04 * a - 1e4 * b * c - 3e7 * b * b, 3e7 * b * b]


def robertson_jac(t, x):
    a, b, c = x
    return [[-0.04, 1e4 * c, 1e4 * b], [0.04, -1e4 * c - 6e7 * b, -1e4 * b], [0.0, 6e7 * b, 0.0]]


def vdp(t, x):
    return [x[1], MU * (1 - x[0] ** 2) * x[1] - x[0]]


def vdp_jac(t, x):
    return [[0.0, 1.0], [-2 * MU * x[0] * x[1] - 1, MU * (1 - x[0] ** 2)]]


# The Brusselator, vectorised: arrays indexed [j, i] so that ravel() gives i + N j, Drift's and CVODE's order.
BN = 32
SQ = BN * BN
BH = 1.0 / (BN - 1)
BC = 10.0 / (BH * BH)
_I, _J = np.meshgrid(np.arange(BN), np.arange(BN), indexing="xy")
_X, _Y = _I * BH, _J * BH
_DISC = np.where((_X - 0.3) * (_X - 0.3) + (_Y - 0.6) * (_Y - 0.6) <= 0.1 * 0.1, 5.0, 0.0)


def bru(t, z):
    u, v = z[:SQ].reshape(BN, BN), z[SQ:].reshape(BN, BN)
    lu = np.roll(u, 1, 1) + np.roll(u, -1, 1) + np.roll(u, 1, 0) + np.roll(u, -1, 0) - 4 * u
    lv = np.roll(v, 1, 1) + np.roll(v, -1, 1) + np.roll(v, 1, 0) + np.roll(v, -1, 0) - 4 * v
    uuv = u * u * v
    du = 1 + uuv - 4.4 * u + BC * lu + (_DISC if t >= 1.1 else 0.0)
    return np.concatenate([du.ravel(), (3.4 * u - uuv + BC * lv).ravel()])


def bru_sparsity():
    rows, cols = [], []
    for j in range(BN):
        for i in range(BN):
            p = i + BN * j
            for q in (p, (i - 1) % BN + BN * j, (i + 1) % BN + BN * j, i + BN * ((j - 1) % BN), i + BN * ((j + 1) % BN)):
                rows += [p, SQ + p]
                cols += [q, SQ + q]
            rows += [p, SQ + p]
            cols += [SQ + p, p]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(2 * SQ, 2 * SQ))


BRU_X0 = np.concatenate([(22 * (_Y * (1 - _Y)) ** 1.5).ravel(), (27 * (_X * (1 - _X)) ** 1.5).ravel()])

PROBLEMS = {
    "robertson": dict(f=robertson, jac=robertson_jac, y0=[1.0, 0.0, 0.0], t1=1e5, atol=lambda r: 1e-6 * r),
    "vanderpol": dict(f=vdp, jac=vdp_jac, y0=[2.0, 0.0], t1=2000.0, atol=lambda r: r),
    "brusselator": dict(f=bru, jac=None, y0=BRU_X0, t1=11.5, atol=lambda r: r),
}


def scipy_solve(name, method, rtol):
    p = PROBLEMS[name]
    kw = {}
    if p["jac"] is not None:
        kw["jac"] = p["jac"]
    elif method != "LSODA":
        kw["jac_sparsity"] = bru_sparsity()
    return solve_ivp(p["f"], (0, p["t1"]), p["y0"], method=method, rtol=rtol, atol=p["atol"](rtol), **kw)


def scipy_rows(name, rtols, repeats):
    rows = []
    methods = ["Radau", "BDF"] + ([] if name == "brusselator" else ["LSODA"])
    for rtol in rtols:
        for method in methods:
            best, sol = float("inf"), None
            for _ in range(1 if name == "brusselator" else repeats):
                start = time.perf_counter()
                sol = scipy_solve(name, method, rtol)
                best = min(best, time.perf_counter() - start)
            rows.append({"problem": name, "impl": f"scipy {method}", "rtol": rtol, "status": "Success" if sol.success else sol.message,
                         "seconds": best, "steps": len(sol.t) - 1, "nfev": int(sol.nfev), "njev": int(sol.njev),
                         "nlu": int(sol.nlu), "final": list(sol.y[:, -1])})
    return rows


def rows_of(text):
    text = text.strip()
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def run(cmd):
    return rows_of(subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout)


def rel_error(final, ref):
    return float(np.max(np.abs(np.asarray(final) - ref) / np.abs(ref)))


def plot(rows, problems, path, label):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    titles = {"robertson": "Robertson (d = 3, t1 = 1e5)", "vanderpol": "Van der Pol, μ = 1000 (d = 2)",
              "brusselator": "2-D Brusselator, N = 32 (d = 2048)"}
    styles = {"Drift": ("-", "o"), "CVODE": ("--", "s"), "scipy": (":", "^")}
    fig, axes = plt.subplots(1, len(problems), figsize=(5.2 * len(problems), 4.4), squeeze=False)
    for ax, name in zip(axes[0], problems):
        impls = sorted({r["impl"] for r in rows if r["problem"] == name})
        for impl in impls:
            pts = sorted((r["rtol"], r["error"], r["seconds"]) for r in rows if r["problem"] == name and r["impl"] == impl)
            ls, mk = styles[impl.split()[0]]
            ax.loglog([p[1] for p in pts], [p[2] for p in pts], ls, marker=mk, ms=4, label=impl.replace("CVODE 6.4.1 ", "CVODE "))
        ax.set_title(titles[name], fontsize=10)
        ax.set_xlabel("relative error of the final state")
        ax.set_ylabel("wall time [s] (best of several)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Stiff work–precision, tolerances 1e-4 … 1e-9, lower left is better ({label})", fontsize=10)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110)


def main():
    flags = [a for a in sys.argv[1:] if a.startswith("--")]
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    json_out = None
    if "--json" in sys.argv:
        json_out = sys.argv[sys.argv.index("--json") + 1]
        args = [a for a in args if a != json_out]
    if "--replot" in sys.argv:
        # Redraw the figure from a --json file of an earlier run (no solving).
        with open(sys.argv[sys.argv.index("--replot") + 1]) as fh:
            saved = json.load(fh)
        rows = saved["rows"]
        plot(rows, [p for p in PROBLEMS if any(r["problem"] == p for r in rows)], PLOT, saved["label"])
        return 0
    repeats = int(args[0]) if args else 3
    only_bru = "--brusselator-only" in flags
    problems = ([] if only_bru else ["robertson", "vanderpol"]) + ([] if "--no-brusselator" in flags else ["brusselator"])
    if "--no-build" not in flags:
        subprocess.run(["make", "-s", "-C", os.path.join(HERE, "cvode")], check=True)
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "-nologo", os.path.join(HERE, "drift-stiff")], check=True,
                       stdout=subprocess.DEVNULL)
    load = os.getloadavg()[0]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    small_rtols = "rtols=" + ",".join(f"{r:g}" for r in RTOLS)
    bru_rtols = "rtols=" + ",".join(f"{r:g}" for r in BRU_RTOLS)

    rows, refs = [], {}
    small = [] if only_bru else ["robertson", "vanderpol"]
    if small:
        drift = run(["dotnet", DRIFT, str(repeats), "small", small_rtols])
        cvode = run([CVODE, str(repeats), "robertson", "vanderpol", small_rtols])
    for name in small:
        ref = scipy_solve(name, "Radau", 1e-12) if name == "vanderpol" else solve_ivp(
            robertson, (0, 1e5), [1.0, 0.0, 0.0], method="Radau", rtol=1e-12, atol=1e-20, jac=robertson_jac)
        ref = ref.y[:, -1]
        ours = next(r["final"] for r in drift if r["problem"] == name and r["impl"] == "Drift reference rodas4")
        if rel_error(ours, ref) > 1e-7:
            sys.exit(f"{name}: scipy Radau and Drift Rodas4 references differ by {rel_error(ours, ref):.2e} relative")
        refs[name] = (ref, f"scipy Radau 1e-12 (Drift Rodas4 1e-12 within {rel_error(ours, ref):.1e})")
    if small:
        rows += [r for r in drift if not r["impl"].startswith("Drift reference") and r["impl"] != "Drift auto"] + cvode
    for name in small:
        rows += scipy_rows(name, RTOLS, repeats)
    if "brusselator" in problems and only_bru:
        # Alternate Drift and CVODE so that both see the same load; keep each row's best time.
        best = {}
        for _ in range(repeats):
            for side in (["dotnet", DRIFT, "1", "brusselator", bru_rtols, "noref"], [CVODE, "1", "brusselator", bru_rtols]):
                for r in run(side):
                    key = (r["impl"], r["rtol"])
                    if key not in best or r["seconds"] < best[key]["seconds"]:
                        best[key] = r
        reference = [r for r in run(["dotnet", DRIFT, "1", "brusselator", "rtols=1e-4"]) if r["impl"].startswith("Drift reference")]
        drift_b = [r for r in best.values() if r["impl"].startswith("Drift")] + reference
        cvode_b = [r for r in best.values() if not r["impl"].startswith("Drift")]
    elif "brusselator" in problems:
        drift_b = run(["dotnet", DRIFT, "1", "brusselator", bru_rtols])
        cvode_b = run([CVODE, "1", "brusselator", bru_rtols])
    if "brusselator" in problems:
        cvode_ref = run([CVODE, "1", "brusselator", "rtols=1e-12"])[0]["final"]
        ref = np.asarray(next(r["final"] for r in drift_b if r["impl"].startswith("Drift reference")))
        gap = rel_error(cvode_ref, ref)
        if gap > 1e-7:
            sys.exit(f"brusselator: Drift Rodas5P 1e-10 and CVODE 1e-12 differ by {gap:.2e} relative")
        refs["brusselator"] = (ref, f"Drift Rodas5P 1e-10 (CVODE 1e-12 within {gap:.1e})")
        rows += [r for r in drift_b if not r["impl"].startswith("Drift reference")] + cvode_b
        if "--no-scipy" not in flags:
            rows += scipy_rows("brusselator", SCIPY_BRU_RTOLS, repeats)

    for r in rows:
        r["error"] = rel_error(r["final"], refs[r["problem"]][0])
        r["steps"] = r.get("steps", r.get("accepted"))
        r["impl"] = r["impl"].replace("Drift rodas5p banded", "Drift Rodas5P (banded)").replace("Drift bdf banded", "Drift BDF (banded)") \
            .replace("Drift rodas5p sparse", "Drift Rodas5P (sparse)").replace("Drift bdf sparse", "Drift BDF (sparse)") \
            .replace("Drift rodas4", "Drift Rodas4").replace("Drift rodas5p", "Drift Rodas5P").replace("Drift radau", "Drift Radau IIA") \
            .replace("Drift bdf", "Drift BDF")
    rows.sort(key=lambda r: (problems.index(r["problem"]), r["impl"], -r["rtol"]))
    label = f"taken {started}, load average {load:.0f} on {os.cpu_count()} cores" + (" — under load" if load > 1.5 else "")
    if json_out:
        with open(json_out, "w") as fh:
            json.dump({"label": label, "rows": rows}, fh, indent=1)
    plot(rows, problems, "/tmp/stiff_work_precision_brusselator.png" if only_bru else PLOT, label)

    print(f"Taken {started}, load average {load:.1f} on {os.cpu_count()} cores; scipy {scipy.__version__}, numpy {np.__version__}; " +
          (f"Brusselator only: best of {repeats} alternating Drift/CVODE rounds, scipy once." if only_bru else
           f"best of {repeats} (Brusselator: one solve each)."))
    for name in problems:
        print(f"- {name}: reference {refs[name][1]}")
    print()
    print("| problem | implementation | rtol | error | seconds | steps | f | J | LU | status |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['problem']} | {r['impl']} | {r['rtol']:.0e} | {r['error']:.1e} | {r['seconds']:.4g} | {r['steps']} | {r['nfev']} | "
              f"{r['njev']} | {r['nlu']} | {r['status']} |")
    print()
    print("Time at equal error (log-log interpolation of each curve at the errors Drift reaches), ratio other / Drift best:")
    for name in problems:
        drift_best = {}
        for r in rows:
            if r["problem"] == name and r["impl"].startswith("Drift"):
                drift_best.setdefault(r["impl"], []).append((r["error"], r["seconds"]))
        for impl in sorted({r["impl"] for r in rows if r["problem"] == name and not r["impl"].startswith("Drift")}):
            pts = sorted((r["error"], r["seconds"]) for r in rows if r["problem"] == name and r["impl"] == impl)
            for d_impl, dpts in sorted(drift_best.items()):
                ratios = []
                for e, s in dpts:
                    t = interpolate(pts, e)
                    if t is not None:
                        ratios.append(t / s)
                if ratios:
                    print(f"  {name}: {impl} / {d_impl}: {', '.join(f'{x:.2g}' for x in ratios)}")
    print("Plot: /tmp/stiff_work_precision_brusselator.png" if only_bru else f"Plot: {os.path.relpath(PLOT, ROOT)}")
    return 0


def interpolate(pts, e):
    """The time a curve of (error, seconds) points needs for error e, by log-log interpolation; None outside its range."""
    pts = sorted(pts)
    for (e0, s0), (e1, s1) in zip(pts, pts[1:]):
        if e0 <= e <= e1 and e0 > 0 and e1 > e0:
            w = (np.log(e) - np.log(e0)) / (np.log(e1) - np.log(e0))
            return float(np.exp((1 - w) * np.log(s0) + w * np.log(s1)))
    return None


if __name__ == "__main__":
    sys.exit(main())

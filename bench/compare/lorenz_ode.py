#!/usr/bin/python3
"""Adaptive ODE side by side: Lorenz-63 from (1, 1, 1) over [0, 100] at rtol = atol = 1e-6 and 1e-9.

scipy solve_ivp (RK45, DOP853), Drift (Tsit5, Dopri5, DOP853 via bench/compare/drift-ode) and a
compiled C++ Dormand-Prince 5(4) with Drift's controller (bench/compare/cpp/dopri5.cpp) as the
per-step speed reference. Reports best wall time, steps, evaluations and the error at t = 1 against
a DOP853 rtol = atol = 1e-13 reference (scipy's, cross-checked against Drift's). Timings on a
shared machine are noisy: each figure is the best of several runs.

Run from the repository root: /usr/bin/python3 bench/compare/lorenz_ode.py
"""
import json, os, subprocess, sys, time
import numpy as np
import scipy
from scipy.integrate import solve_ivp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
Y0 = [1.0, 1.0, 1.0]
TOLS = [1e-6, 1e-9]


def lorenz(t, x):
    return [10.0 * (x[1] - x[0]), x[0] * (28.0 - x[2]) - x[1], x[0] * x[1] - 8.0 / 3.0 * x[2]]


def scipy_rows(repeats=3):
    rows = []
    for tol in TOLS:
        for method in ["RK45", "DOP853"]:
            best, sol = float("inf"), None
            for _ in range(repeats):
                start = time.perf_counter()
                sol = solve_ivp(lorenz, (0, 100), Y0, method=method, rtol=tol, atol=tol)
                best = min(best, time.perf_counter() - start)
            at1 = solve_ivp(lorenz, (0, 1), Y0, method=method, rtol=tol, atol=tol)
            steps = len(sol.t) - 1
            rows.append({"impl": f"scipy {method}", "tol": tol, "seconds": best, "accepted": steps,
                         "rejected": None, "nfev": sol.nfev, "y1": list(at1.y[:, -1])})
    return rows


def drift_rows():
    proj = os.path.join(ROOT, "bench", "compare", "drift-ode")
    subprocess.run(["dotnet", "build", proj, "-c", "Release", "-v", "q", "-nologo"], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, DOTNET_TC_CallCountingDelayMs="0")
    out = subprocess.run(["dotnet", os.path.join(proj, "bin", "Release", "net10.0", "drift-ode.dll"), "50"],
                         check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def cpp_rows():
    src = os.path.join(ROOT, "bench", "compare", "cpp", "dopri5.cpp")
    exe = os.path.join("/tmp", "drift_bench_dopri5")
    subprocess.run(["g++", "-O3", "-march=native", "-o", exe, src], check=True)
    return json.loads(subprocess.run([exe, "300"], check=True, capture_output=True, text=True).stdout)


def main():
    reference = solve_ivp(lorenz, (0, 1), Y0, method="DOP853", rtol=1e-13, atol=1e-13).y[:, -1]
    rows = scipy_rows() + drift_rows() + cpp_rows()
    drift_ref = next(r for r in rows if r["impl"].startswith("Drift dop853 reference"))
    ref_gap = float(np.max(np.abs(np.array(drift_ref["y1"]) - reference)))
    assert ref_gap < 1e-10, f"references disagree by {ref_gap}"
    rows = [r for r in rows if "tol" in r]
    cpp = {(r["controller"], r["tol"]): r["seconds"] / (r["accepted"] + r["rejected"]) for r in rows if r["impl"].startswith("C++")}
    print(f"scipy {scipy.__version__}, numpy {np.__version__}; reference gap scipy vs Drift DOP853 1e-13: {ref_gap:.1e}")
    print("| implementation | tol | seconds | accepted | rejected | f evals | error at t = 1 | ns per step | per step ÷ C++ |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        err = float(np.max(np.abs(np.array(r["y1"]) - reference)))
        attempts = r["accepted"] + (r["rejected"] or 0)
        per_step = r["seconds"] / attempts
        controller = "integral" if "integral" in r["impl"] else "pi"
        ratio = per_step / cpp[(controller, r["tol"])]
        rej = "—" if r["rejected"] is None else str(r["rejected"])
        print(f"| {r['impl']} | {r['tol']:.0e} | {r['seconds']:.5f} | {r['accepted']} | {rej} | {r['nfev']} | {err:.1e} | {per_step * 1e9:.0f} | {ratio:.2f} |")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Stiff work-precision, side by side: scipy solve_ivp (Radau, BDF, LSODA) and Drift (Rodas4, Radau IIA 5, BDF via
bench/compare/drift-stiff) on Robertson (t1 = 1e5, atol = 1e-6 rtol) and Van der Pol (mu = 1000, t1 = 2000,
atol = rtol) at rtol = 1e-4, 1e-6, 1e-8, both with analytic Jacobians.

Error: the largest relative error of the final state, max_i |y_i - ref_i| / |ref_i|, against scipy Radau at
rtol = 1e-12 (cross-checked against Drift's Rodas4 at rtol = 1e-12; the script stops if they disagree by more
than 1e-8 relative). Prints a table (problem, implementation, rtol, error, best seconds, steps, f, J, LU) and,
with --json, the rows as JSON. Timings are only meaningful on an idle machine: each is the best of several runs.

Run from the repository root: /usr/bin/python3 bench/compare/stiff_work_precision.py [repeats] [--json]
"""
import json, os, subprocess, sys, time
import numpy as np
import scipy
from scipy.integrate import solve_ivp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTOLS = [1e-4, 1e-6, 1e-8]
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


PROBLEMS = {
    "robertson": (robertson, robertson_jac, [1.0, 0.0, 0.0], 1e5, lambda rtol: 1e-6 * rtol),
    "vanderpol": (vdp, vdp_jac, [2.0, 0.0], 2000.0, lambda rtol: rtol),
}


def solve(name, method, rtol, atol):
    f, jac, y0, t1, _ = PROBLEMS[name]
    kw = {} if method == "RK45" else {"jac": jac}
    return solve_ivp(f, (0, t1), y0, method=method, rtol=rtol, atol=atol, **kw)


def scipy_rows(repeats):
    rows = []
    for rtol in RTOLS:
        for name, (_, _, _, _, atol_of) in PROBLEMS.items():
            for method in ["Radau", "BDF", "LSODA"]:
                best, sol = float("inf"), None
                for _ in range(repeats):
                    start = time.perf_counter()
                    sol = solve(name, method, rtol, atol_of(rtol))
                    best = min(best, time.perf_counter() - start)
                rows.append({"problem": name, "impl": f"scipy {method}", "rtol": rtol, "status": "Success" if sol.success else sol.message,
                             "seconds": best, "accepted": len(sol.t) - 1, "rejected": None, "nfev": int(sol.nfev),
                             "njev": int(sol.njev), "nlu": int(sol.nlu), "final": list(sol.y[:, -1])})
    return rows


def drift_rows(repeats):
    out = subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "bench/compare/drift-stiff"), "--", str(repeats)],
                         check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeats = int(args[0]) if args else 3
    drift = drift_rows(repeats)
    references = {}
    for name in PROBLEMS:
        sol = solve(name, "Radau", 1e-12, 1e-20 if name == "robertson" else 1e-12)
        ref = sol.y[:, -1]
        ours = np.array(next(r["final"] for r in drift if r["problem"] == name and r["impl"] == "Drift reference rodas4"))
        gap = np.max(np.abs(ours - ref) / np.abs(ref))
        if gap > 1e-8:
            sys.exit(f"{name}: scipy Radau and Drift Rodas4 references differ by {gap:.2e} relative")
        references[name] = ref
    rows = [r for r in drift if not r["impl"].startswith("Drift reference")] + scipy_rows(repeats)
    for r in rows:
        ref = references[r["problem"]]
        r["error"] = float(np.max(np.abs(np.array(r["final"]) - ref) / np.abs(ref)))
    rows.sort(key=lambda r: (r["problem"], r["rtol"], r["impl"]))
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=1))
        return
    print(f"scipy {scipy.__version__}; errors against scipy Radau rtol 1e-12 (agrees with Drift Rodas4 1e-12)")
    print(f"{'problem':10} {'impl':16} {'rtol':>7} {'error':>9} {'seconds':>9} {'steps':>6} {'f':>7} {'J':>5} {'LU':>5}")
    for r in rows:
        print(f"{r['problem']:10} {r['impl']:16} {r['rtol']:7.0e} {r['error']:9.2e} {r['seconds']:9.4f} {r['accepted']:6d} {r['nfev']:7d} {r['njev']:5d} {r['nlu']:5d}")


if __name__ == "__main__":
    main()

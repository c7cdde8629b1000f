#!/usr/bin/python3
"""CVODE against Drift on the stiff benchmark problems, at the same tolerances.

Runs bench/compare/cvode/cvode_driver (SUNDIALS CVODE, BDF with Newton; dense LU for Robertson and Van der Pol,
KLU with the analytic sparse Jacobian for the Brusselator) and the Drift side bench/compare/drift-stiff (Rodas4,
Rodas5P, Radau IIA 5, BDF and auto = Tsit5/Rodas5P switching in place; the Brusselator with Rodas5P and BDF on the
banded path) at rtol = 1e-4, 1e-6, 1e-8:

  robertson    t1 = 1e5, atol = 1e-6 rtol        vanderpol  mu = 1000, t1 = 2000, atol = rtol
  brusselator  2-D, N = 32 (2048 unknowns), alpha = 10, periodic, t1 = 11.5, atol = rtol

Error: max_i |y_i - ref_i| / max(|ref_i|, atol/rtol), the reference being Drift's Rodas4 at rtol = 1e-12
(Robertson, Van der Pol) or Rodas5P at rtol = 1e-10 (Brusselator). Every row must be within 1000 rtol of the
reference (both codes control local errors, so the global error can exceed rtol by a problem-dependent factor);
the script exits non-zero otherwise. Prints a table with steps, f and J evaluations, LU factorisations and the best
wall time of `repeats` runs: timings only mean something on an idle machine.

Run from the repository root:
    make -C bench/compare/cvode && dotnet build -c Release bench/compare/drift-stiff
    /usr/bin/python3 bench/compare/cvode/compare.py [repeats] [--no-brusselator] [--json]
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ROOT = os.path.dirname(ROOT)
DRIFT = os.path.join(ROOT, "bench", "compare", "drift-stiff", "bin", "Release", "net10.0", "drift-stiff.dll")
sys.path.insert(0, os.path.dirname(HERE))
from stiff_work_precision import run  # noqa: E402 (one JSON-rows runner for both scripts)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    repeats = args[0] if args else "3"
    problems = ["robertson", "vanderpol"] + ([] if "--no-brusselator" in sys.argv else ["brusselator"])
    cvode = run([os.path.join(HERE, "cvode_driver"), repeats] + problems)
    drift = run(["dotnet", DRIFT, repeats])
    if "brusselator" in problems:
        drift += run(["dotnet", DRIFT, repeats, "brusselator"])
    refs = {r["problem"]: r["final"] for r in drift if r["impl"].startswith("Drift reference")}
    table, bad = [], []
    for r in cvode + drift:
        if r["impl"].startswith("Drift reference") or r["problem"] not in refs:
            continue
        ref = refs[r["problem"]]
        rtol = r["rtol"]
        atol = 1e-6 * rtol if r["problem"] == "robertson" else rtol
        floor = atol / rtol
        err = max(abs(a - b) / max(abs(b), floor) for a, b in zip(r["final"], ref))
        r["error"] = err
        steps = r.get("steps", r.get("accepted"))
        table.append((r["problem"], r["impl"], rtol, err, r["seconds"], steps, r["nfev"], r["njev"], r["nlu"], r["status"]))
        if r["status"] != "Success" or not err <= 1000 * rtol:
            bad.append(f'{r["problem"]} {r["impl"]} rtol {rtol}: status {r["status"]}, error {err:.3g}')
    if "--json" in sys.argv:
        print(json.dumps(cvode + drift, indent=1))
    else:
        print(f'{"problem":12} {"implementation":28} {"rtol":>7} {"error":>9} {"seconds":>9} {"steps":>7} {"f":>8} {"J":>6} {"LU":>6}')
        for p, impl, rtol, err, sec, steps, nf, nj, nlu, st in table:
            print(f"{p:12} {impl:28} {rtol:7.0e} {err:9.2e} {sec:9.4f} {steps:7} {nf:8} {nj:6} {nlu:6}")
    for b in bad:
        print("DISAGREES: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

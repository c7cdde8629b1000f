#!/usr/bin/env python3
"""Side-by-side optimal-transport benchmark: Drift.Transport against POT (Python Optimal Transport).

Problem (as in the issue): n points uniform on [0,1]^2 against n standard Gaussian points, uniform weights,
squared-Euclidean cost divided by its maximum, reg (epsilon) 0.01 and 0.001, n = 1000 and 2000.

For every case the script writes x.npy / y.npy, runs POT in this process and the Drift side as a separate
process (bench/compare/ot_drift, built in Release), checks that both report the same transport cost within
tolerance, and prints ratios. Per-iteration times are marginal: (t(K2) - t(K1)) / (K2 - K1) with the iteration
count forced (stopping threshold 0), so set-up (kernel, plan) is excluded on both sides. Times are best of
--repeats. Use /usr/bin/python3 (Debian python3-pot).

    /usr/bin/python3 bench/compare/ot_pot.py [--sizes 1000 2000] [--regs 0.01 0.001] [--threads N]
"""
import argparse
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import ot

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.path.join(ROOT, "bench", "compare", "ot_drift")
warnings.filterwarnings("ignore", message="Sinkhorn did not converge")


def best_time(fn, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def drift(exe, x, y, method, reg, max_iter, tol, repeats, threads):
    cmd = [exe, x, y, method, repr(reg), str(max_iter), repr(tol), str(repeats), str(threads)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def check(name, a, b, rtol):
    ok = abs(a - b) <= rtol * max(abs(a), abs(b))
    print(f"    {name}: POT {a:.12g}  Drift {b:.12g}  {'OK' if ok else 'MISMATCH'} (rtol {rtol:g})")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    ap.add_argument("--regs", type=float, nargs="+", default=[0.01, 0.001])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--workdir", default="/tmp/drift-ot-bench")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "--nologo", "-v", "q", PROJECT], check=True,
                       stdout=subprocess.DEVNULL)
    exe = os.path.join(PROJECT, "bin", "Release", "net10.0", "ot_drift")
    print(f"POT {ot.__version__}, numpy {np.__version__}, {os.cpu_count()} cores, Drift threads {args.threads}")
    all_ok = True
    for n in args.sizes:
        rng = np.random.default_rng(0)
        xs, ys = rng.uniform(size=(n, 2)), rng.normal(size=(n, 2))
        xp, yp = os.path.join(args.workdir, f"x{n}.npy"), os.path.join(args.workdir, f"y{n}.npy")
        np.save(xp, xs)
        np.save(yp, ys)
        M = ot.dist(xs, ys)
        M /= M.max()
        a = np.full(n, 1.0 / n)
        b = np.full(n, 1.0 / n)
        print(f"\nn = {n}")

        t_pot, G = best_time(lambda: ot.emd(a, b, M, numItermax=10_000_000), args.repeats)
        cost_pot = float(np.sum(G * M))
        d = drift(exe, xp, yp, "Exact", 0.01, 1, 1e-9, args.repeats, args.threads)
        print(f"  exact OT: POT ot.emd {t_pot * 1e3:.1f} ms, Drift network simplex {d['seconds'] * 1e3:.1f} ms "
              f"({d['iterations']} pivots); Drift/POT time = {d['seconds'] / t_pot:.2f} (target <= 1.5)")
        all_ok &= check("exact cost", cost_pot, d["cost"], 1e-9)

        for reg in args.regs:
            print(f"  reg = {reg}")
            # Per-iteration cost, iteration count forced (stopThr = 0).
            rows = []
            for name, pot_method, drift_method, k1, k2 in [
                ("sinkhorn (scaling)", "sinkhorn", "Sinkhorn", 10, 110),
                ("sinkhorn log-domain", "sinkhorn_log", "SinkhornLog", 5, 25),
            ]:
                def pot_run(k):
                    return best_time(lambda: ot.sinkhorn(a, b, M, reg, method=pot_method, numItermax=k, stopThr=0.0),
                                     args.repeats)[0]
                with np.errstate(all="ignore"):
                    p_it = (pot_run(k2) - pot_run(k1)) / (k2 - k1)
                d1 = drift(exe, xp, yp, drift_method, reg, k1, 1e-300, args.repeats, args.threads)
                d2 = drift(exe, xp, yp, drift_method, reg, k2, 1e-300, args.repeats, args.threads)
                d_it = (d2["seconds"] - d1["seconds"]) / (k2 - k1)
                rows.append((name, p_it, d_it))
                print(f"    {name:22s} per iteration: POT {p_it * 1e3:7.3f} ms  Drift {d_it * 1e3:7.3f} ms  "
                      f"speed-up {p_it / d_it:5.1f}x")
            # Convergence to 1e-9 and agreement of the cost.
            with np.errstate(all="ignore"):
                t_c, (G, log) = best_time(lambda: ot.sinkhorn(a, b, M, reg, numItermax=100_000, stopThr=1e-9, log=True), 1)
            cost_s = float(np.sum(G * M))
            ds = drift(exe, xp, yp, "Sinkhorn", reg, 100_000, 1e-9, 1, args.threads)
            dl = drift(exe, xp, yp, "SinkhornLog", reg, 100_000, 1e-9, 1, args.threads)
            dn = drift(exe, xp, yp, "SinkhornNewtonSparse", reg, 100_000, 1e-9, 1, args.threads)
            print(f"    to tolerance 1e-9: POT sinkhorn {log['niter']} it ({t_c:.2f} s, its stop test: 2-norm of the "
                  f"column error); Drift Sinkhorn {ds['iterations']} it ({ds['seconds']:.2f} s, {ds['status']}); "
                  f"Drift log {dl['iterations']} it ({dl['seconds']:.2f} s)")
            print(f"    Sinkhorn-Newton-Sparse: {dn['iterations']} it ({dn['newton']} Newton steps, {dn['cg']} CG), "
                  f"{dn['seconds']:.2f} s, marginal error {dn['err']:.2g}, {dn['status']}; "
                  f"iteration ratio vs Drift Sinkhorn {dl['iterations'] / dn['iterations']:.1f}x, "
                  f"vs POT sinkhorn {log['niter'] / dn['iterations']:.1f}x (target >= 10x at reg 0.001)")
            all_ok &= check("entropic cost (POT sinkhorn vs Drift log)", cost_s, dl["cost"], 1e-6)
            all_ok &= check("entropic cost (Drift log vs Drift SNS)", dl["cost"], dn["cost"], 1e-8)
    print("\nall costs agree" if all_ok else "\nCOST MISMATCH")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())

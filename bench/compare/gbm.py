#!/usr/bin/env python3
"""Side-by-side GBM benchmark: Drift vs vectorised numpy vs PyTorch (CPU).

dX = 0.05 X dt + 0.2 X dW, X0 = 1, T = 1, Euler-Maruyama, double precision.
Each implementation reports its best wall time over a few runs and the strong error
E|X_N - X(T)| against the exact solution on its own Brownian paths; the errors must agree
within Monte Carlo tolerance, and the script prints the throughput ratios.

Run from the repository root:  /usr/bin/python3 bench/compare/gbm.py [paths] [steps]
"""
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

MU, SIGMA = 0.05, 0.2


def numpy_gbm(paths, steps, repeats=3):
    rng = np.random.default_rng(7)
    h = 1.0 / steps
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        x = np.ones(paths)
        w = np.zeros(paths)
        for _ in range(steps):
            dw = rng.standard_normal(paths) * np.sqrt(h)
            x += MU * x * h + SIGMA * x * dw
            w += dw
        best = min(best, time.perf_counter() - start)
    exact = np.exp((MU - 0.5 * SIGMA**2) + SIGMA * w)
    return best, float(np.mean(np.abs(x - exact))), float(np.mean(x))


def torch_gbm(paths, steps, repeats=3):
    import torch

    torch.manual_seed(7)
    h = 1.0 / steps
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        x = torch.ones(paths, dtype=torch.float64)
        w = torch.zeros(paths, dtype=torch.float64)
        for _ in range(steps):
            dw = torch.randn(paths, dtype=torch.float64) * h**0.5
            x += MU * x * h + SIGMA * x * dw
            w += dw
        best = min(best, time.perf_counter() - start)
    exact = torch.exp((MU - 0.5 * SIGMA**2) + SIGMA * w)
    return best, float(torch.mean(torch.abs(x - exact))), float(torch.mean(x)), torch.__version__, torch.get_num_threads()


def drift_gbm(paths, steps, threads):
    out = subprocess.run(
        ["dotnet", "run", "-c", "Release", "--project", "bench/compare/drift-gbm", "--", str(paths), str(steps), "5", str(threads)],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    paths = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    work = paths * steps
    print(f"GBM Euler-Maruyama, {paths} paths x {steps} steps, float64; {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
    print(f"numpy {np.__version__}")
    rows = []
    np_t, np_err, np_mean = numpy_gbm(paths, steps)
    rows.append(("numpy (vectorised, 1 thread)", np_t, np_err, np_mean))
    try:
        t_t, t_err, t_mean, version, t_threads = torch_gbm(paths, steps)
        rows.append((f"PyTorch {version} CPU ({t_threads} threads)", t_t, t_err, t_mean))
    except ImportError:
        print("PyTorch not installed; skipping")
    for threads in (1, 0):
        d = drift_gbm(paths, steps, threads)
        rows.append((f"Drift ({d['threads']} thread{'s' if d['threads'] > 1 else ''})", d["seconds"], d["strong_error"], d["mean"]))

    print(f"{'implementation':38} {'seconds':>9} {'path-steps/s':>14} {'strong error':>13} {'mean X(T)':>10}")
    for name, t, err, mean in rows:
        print(f"{name:38} {t:9.4f} {work / t:14.3e} {err:13.3e} {mean:10.5f}")
    ref_err = rows[0][2]
    drift_t = rows[-1][1]
    for name, t, err, _ in rows[:-1]:
        print(f"Drift (all cores) is {t / drift_t:6.1f}x faster than {name}")
    # Strong errors of EM are about 7.5e-4 here; independent runs must agree to ~10 %.
    for name, _, err, _ in rows:
        assert abs(err - ref_err) < 0.1 * ref_err, f"{name}: strong error {err} disagrees with numpy's {ref_err}"
    print("strong errors agree within 10 %")


if __name__ == "__main__":
    main()

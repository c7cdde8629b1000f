#!/usr/bin/env python3
"""Side-by-side Gillespie benchmark: Drift (direct method, all cores) vs vectorised numpy over runs vs a
numba-compiled Gillespie loop (what a Python user would write).

Networks: the DSMTS 001-01 birth-death process (examples/jumps/birth-death.rn, t1 = 50) and a 10-species linear
chain (examples/jumps/chain10.rn, t1 = 10). Every implementation runs the exact direct method and reports its best
wall time, the events it fired and the mean counts at t1; the means must agree within 5 standard errors, and the
script prints events per second and the ratios. numba is optional (Debian python3-numba); without it its column is
skipped.

Each side also reports the process CPU time of its best repeat (Drift: all its threads). On a loaded machine wall
times measure the load; CPU seconds per event (the per-core cost) are then the fairer comparison, and the script
prints both ratios. The wall ratio is the issue's target (Drift on all cores, numba and numpy on one).

Run from the repository root:  /usr/bin/python3 bench/compare/ssa.py [runs] [repeats] [drift-method] [drift-threads]
"""
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

NETWORKS = {
    # name: (file, t1, initial counts, stoichiometry rows (reactions x species), propensity function spec)
    "birth-death": ("examples/jumps/birth-death.rn", 50.0),
    "chain10": ("examples/jumps/chain10.rn", 10.0),
}


def birth_death():
    x0 = np.array([100.0])
    nu = np.array([[1.0], [-1.0]])
    # propensities: 0.1 X, 0.11 X
    reactant = np.array([0, 0])
    rate = np.array([0.1, 0.11])
    immigration = np.array([0.0, 0.0])
    return x0, nu, reactant, rate, immigration


def chain10():
    d = 10
    x0 = np.zeros(d)
    m = d + 1
    nu = np.zeros((m, d))
    reactant = np.full(m, -1)
    rate = np.ones(m)
    immigration = np.zeros(m)
    nu[0, 0] = 1.0  # 0 -> A1 at 100
    immigration[0] = 100.0
    rate[0] = 0.0
    for i in range(d - 1):  # A_i -> A_{i+1} at 1
        nu[i + 1, i] = -1.0
        nu[i + 1, i + 1] = 1.0
        reactant[i + 1] = i
    nu[d, d - 1] = -1.0  # A10 -> 0 at 0.5
    reactant[d] = d - 1
    rate[d] = 0.5
    return x0, nu, reactant, rate, immigration


def propensities(x, reactant, rate, immigration):
    """First-order mass action or constant: a_j = immigration_j + rate_j * x[reactant_j] (x is runs x species)."""
    a = np.tile(immigration, (x.shape[0], 1))
    first = reactant >= 0
    a[:, first] += rate[first] * x[:, reactant[first]]
    return a


def numpy_ssa(spec, t1, runs, seed=7):
    x0, nu, reactant, rate, immigration = spec
    rng = np.random.default_rng(seed)
    x = np.tile(x0, (runs, 1))
    t = np.zeros(runs)
    active = np.arange(runs)
    events = 0
    while active.size:
        xa = x[active]
        a = propensities(xa, reactant, rate, immigration)
        a0 = a.sum(axis=1)
        tau = np.where(a0 > 0, rng.exponential(1.0, active.size) / np.where(a0 > 0, a0, 1), np.inf)
        tn = t[active] + tau
        done = tn > t1
        go = ~done
        r = rng.random(active.size) * a0
        j = (np.cumsum(a, axis=1) <= r[:, None]).sum(axis=1)
        j = np.minimum(j, nu.shape[0] - 1)
        idx = active[go]
        x[idx] += nu[j[go]]
        t[idx] = tn[go]
        events += int(go.sum())
        active = idx
    return x, events


NUMBA_SOURCE = '''
import numpy as np
from numba import njit

@njit  # no cache: the source is exec()-ed, so numba has no file to cache against
def gillespie(x0, nu, reactant, rate, immigration, t1, runs, seed):
    np.random.seed(seed)
    m, d = nu.shape
    out = np.empty((runs, d))
    a = np.empty(m)
    events = 0
    for run in range(runs):
        x = x0.copy()
        t = 0.0
        while True:
            a0 = 0.0
            for j in range(m):
                v = immigration[j]
                if reactant[j] >= 0:
                    v += rate[j] * x[reactant[j]]
                a[j] = v
                a0 += v
            if a0 <= 0.0:
                break
            t += np.random.exponential(1.0) / a0
            if t > t1:
                break
            r = np.random.random() * a0
            j = 0
            s = a[0]
            while s <= r and j < m - 1:
                j += 1
                s += a[j]
            for i in range(d):
                x[i] += nu[j, i]
            events += 1
        out[run] = x
    return out, events
'''


def numba_ssa(spec, t1, runs, repeats):
    """Best wall time, the CPU time of that repeat, events and final states of the numba loop (None without numba)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return None
    namespace = {}
    exec(NUMBA_SOURCE, namespace)
    gillespie = namespace["gillespie"]
    x0, nu, reactant, rate, immigration = spec
    gillespie(x0, nu, reactant, rate, immigration, t1, 10, 1)  # compile
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        x, events = gillespie(x0, nu, reactant, rate, immigration, t1, runs, 7)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, events, x


def drift_ssa(path, t1, runs, repeats, method, threads):
    exe = "bench/compare/drift-ssa/bin/Release/net10.0/drift-ssa"
    out = subprocess.run([exe, path, str(runs), repr(t1), method, str(repeats), str(threads)], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    method = sys.argv[3] if len(sys.argv) > 3 else "direct"
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    subprocess.run(["dotnet", "build", "-c", "Release", "bench/compare/drift-ssa", "-v", "q", "--nologo"], check=True, stdout=subprocess.DEVNULL)
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}; Drift method {method}, threads {threads or os.cpu_count()}")
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, python {platform.python_version()}")
    ok = True
    for name, build in (("birth-death", birth_death), ("chain10", chain10)):
        path, t1 = NETWORKS[name]
        spec = build()
        drift = drift_ssa(path, t1, runs, repeats, method, threads)
        best, best_cpu = float("inf"), float("inf")
        for _ in range(repeats):
            start, cpu = time.perf_counter(), time.process_time()
            x, events = numpy_ssa(spec, t1, runs)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        rows = [("drift", drift["seconds"], drift["cpu_seconds"], drift["events"], [m["mean"] for m in drift["means"]], [m["stderr"] for m in drift["means"]]),
                ("numpy", best, best_cpu, events, list(x.mean(axis=0)), list(x.std(axis=0, ddof=1) / np.sqrt(runs)))]
        nb = numba_ssa(spec, t1, runs, repeats)
        if nb is None:
            print(f"# {name}: numba not installed (apt-get install python3-numba); its column is skipped")
        else:
            rows.append(("numba", nb[0], nb[1], nb[2], list(nb[3].mean(axis=0)), list(nb[3].std(axis=0, ddof=1) / np.sqrt(runs))))
        print(f"{name}: {runs} runs, t1 = {t1}")
        for label, seconds, cpu, ev, means, ses in rows:
            print(f"  {label:6s} {seconds:9.4f} s  {ev / seconds:10.3e} events/s  {1e9 * cpu / ev:7.1f} CPU ns/event"
                  f"  mean[0] = {means[0]:.3f} ± {ses[0]:.3f}  mean[-1] = {means[-1]:.3f}")
        ref_means, ref_ses = rows[0][4], rows[0][5]
        for label, _, _, _, means, ses in rows[1:]:
            for i, (a, b) in enumerate(zip(ref_means, means)):
                se = np.hypot(ref_ses[i], ses[i])
                if abs(a - b) > 5 * se + 1e-12:
                    ok = False
                    print(f"  MISMATCH {label} species {i}: drift {a} vs {b} (5 SE = {5 * se})")
        d_rate, d_cpu = rows[0][3] / rows[0][1], rows[0][2] / rows[0][3]
        for label, seconds, cpu, ev, *_ in rows[1:]:
            print(f"  ratio drift vs {label}: {d_rate / (ev / seconds):.2f}x events/s (wall), {cpu / ev / d_cpu:.2f}x per CPU-second")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Side by side with Stan (issue 13): bulk-ESS per second of the slowest parameter, NUTS with Stan's warm-up on both
sides (δ = 0.8, 4 chains, 1000 warm-up + 1000 draws, seed 1; the same metric on both sides), on

  eight schools (non-centred)       bench/compare/stan/eight_schools_nc.stan  vs examples/mcmc/eight_schools.drift   diag
  logistic regression, n=5000, d=25 bench/compare/stan/logistic.stan          vs examples/mcmc/logistic.drift        diag
  100-d correlated Gaussian (ρ=0.9) bench/compare/stan/gaussian100.stan       vs `drift mcmc correlated --dim 100`   dense

The Gaussian runs the dense metric on both sides (Stan's dense_e, Drift's --metric dense): with a diagonal metric
neither sampler can undo ρ = 0.9 in 100 dimensions and both bulk-ESS fall below 35, too few to compare.

Both sides' draws are summarised by the same independent numpy diagnostics (diagnostics_reference.py), and the
posterior means of every shared parameter must agree: |mean_Drift − mean_Stan| / √(MCSE_D² + MCSE_S²) < 4.
Times: Stan's own per-chain times (warm-up + sampling, from get_elapsed_time; compilation excluded — the compiled
model is cached by run_stan.R — and R's worker start-up excluded) summed over the chains and divided by
min(chains, cores), i.e. Stan credited with perfect parallelism; against Drift's own `seconds` (warm-up + sampling
of all chains on all cores, process start excluded).

Stan's chain times behave as CPU times (Stan's services of that era time chains with clock(); under a load average
of 80 on 2 cores they rose about 20 % while wall times rose fivefold), so on a loaded machine they barely move while
Drift's wall-clock `seconds` grows with the load. The script therefore also prints a CPU ratio: Drift's
process CPU time (user + sys, from the kernel's accounting of the child process) minus that of a run that only
starts, parses, binds and checks the gradient (`--check-gradient`, so start-up and model compilation are excluded
as Stan's compilation is, but the sampler's JIT compilation is counted), divided by min(chains, cores) as Stan's.
On a quiet machine the two ratios agree; under load only the CPU ratio means anything.

Usage:  /usr/bin/python3 bench/compare/stan_compare.py [--quick] [--only NAME]
        (DRIFT_CLI='path/to/drift' or 'dotnet path/to/Drift.Cli.dll'; default: the Release build's Drift.Cli, else `dotnet run`)
Timings only on a quiet machine; --quick (200 + 200) only checks that both sides run and agree.
"""
import json
import math
import os
import resource
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import diagnostics_reference as ref  # noqa: E402

OUT = os.path.join("/tmp", "drift_stan_compare")


def logistic_data(n=5000, k=25, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, k))
    beta = rng.normal(0.0, 0.5, k)
    p = 1.0 / (1.0 + np.exp(-(0.3 + x @ beta)))
    y = (rng.random(n) < p).astype(int)
    return {"N": n, "K": k, "X": x.round(6).tolist(), "y": y.tolist()}


MODELS = {
    "eight_schools": dict(stan="eight_schools_nc.stan", drift=["examples/mcmc/eight_schools.drift"], metric="diag",
                          data=lambda: {"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, 11, 10, 18]}),
    "logistic": dict(stan="logistic.stan", drift=["examples/mcmc/logistic.drift"], metric="diag", data=logistic_data),
    "gaussian100": dict(stan="gaussian100.stan", drift=["correlated", "--dim", "100", "--rho", "0.9"], metric="dense",
                        data=lambda: {"D": 100, "rho": 0.9}),
}


def read_draws(path):
    with open(path) as f:
        header = f.readline().strip().replace('"', "").split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    chains = int(data[:, 0].max()) + 1
    return {name: data[:, i].reshape(chains, -1) for i, name in enumerate(header) if name not in ("chain", "draw")}


def drift_exe():
    exe = os.environ.get("DRIFT_CLI", os.path.join(ROOT, "src", "Drift.Cli", "bin", "Release", "net10.0", "Drift.Cli")).split()
    if not os.path.exists(exe[-1]):
        exe = ["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "src", "Drift.Cli"), "--"]
    return exe


def run_stan(name, spec, data_file, chains, warmup, draws):
    prefix = os.path.join(OUT, "stan_" + name)
    subprocess.run(["Rscript", os.path.join(HERE, "stan", "run_stan.R"), os.path.join(HERE, "stan", spec["stan"]), data_file,
                    str(chains), str(warmup), str(draws), "1", prefix, spec["metric"] + "_e"], check=True, capture_output=True, text=True)
    with open(prefix + ".json") as f:
        info = json.load(f)
    # Stan's own chain times (warm-up + sampling, summed over chains) shared over the cores as if perfectly parallel:
    # the fairest reading, since rstan's wall time also counts forking R workers (seconds on this machine).
    seconds = (info["warmup"] + info["sample"]) / min(chains, os.cpu_count())
    return read_draws(prefix + ".csv"), seconds, info


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_drift(name, spec, data_file, chains, warmup, draws):
    csv = os.path.join(OUT, "drift_" + name + ".csv")
    model = spec["drift"]
    args = [os.path.join(ROOT, model[0])] + model[1:] if model[0].endswith(".drift") else list(model)
    if model[0].endswith(".drift"):
        args += ["--data", data_file]
    common = ["--chains", str(chains), "--seed", "1", "--sampler", "nuts", "--metric", spec["metric"]]
    c0 = child_cpu()
    subprocess.run(drift_exe() + ["mcmc"] + args + common + ["--check-gradient"], check=True, capture_output=True, text=True)
    c1 = child_cpu()
    res = subprocess.run(drift_exe() + ["mcmc"] + args + common + ["--warmup", str(warmup), "--draws", str(draws),
                         "--json", "--quiet", "--output", csv], check=True, capture_output=True, text=True)
    c2 = child_cpu()
    info = json.loads(res.stdout)
    cpu = max((c2 - c1) - (c1 - c0), 1e-9) / min(chains, os.cpu_count())
    return read_draws(csv), info["seconds"], cpu, info


def summarise(draws):
    out = {}
    for p, x in draws.items():
        ess_mean = ref.ess_plain(ref.split(x))
        out[p] = dict(ess=ref.ess_plain(ref.rank_normalise(ref.split(x))), mean=float(x.mean()),
                      mcse=float(x.ravel().std(ddof=1) / math.sqrt(ess_mean)))
    return out


def main():
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    chains, warmup, draws = (4, 200, 200) if quick else (4, 1000, 1000)
    os.makedirs(OUT, exist_ok=True)
    ok = True
    for name, spec in MODELS.items():
        if only and name != only:
            continue
        data_file = os.path.join(OUT, name + ".json")
        with open(data_file, "w") as f:
            json.dump(spec["data"](), f)
        ds, td, cd, _ = run_drift(name, spec, data_file, chains, warmup, draws)
        ss, ts, info = run_stan(name, spec, data_file, chains, warmup, draws)
        common = [p for p in ds if p in ss]
        if not common:
            raise SystemExit(f"{name}: no parameter names in common: Drift {list(ds)[:5]}, Stan {list(ss)[:5]}")
        sd, sst = summarise({p: ds[p] for p in common}), summarise({p: ss[p] for p in common})
        ess_d, ess_s = min(v["ess"] for v in sd.values()), min(v["ess"] for v in sst.values())
        z = max(abs(sd[p]["mean"] - sst[p]["mean"]) / math.hypot(sd[p]["mcse"], sst[p]["mcse"]) for p in common)
        rd, rs = ess_d / td, ess_s / ts
        print(f"{name:14s} params {len(common):3d}  Drift: min bulk-ESS {ess_d:7.1f} in {td:7.3f} s = {rd:9.1f}/s   "
              f"Stan {info['rstan']}: {ess_s:7.1f} in {ts:7.3f} s = {rs:9.1f}/s (divergent {info['divergent']}, R wall {info['wall']:.1f} s)   "
              f"ratio {rd / rs:6.2f}x   (CPU: Drift {cd:7.3f} s, ratio {ess_d / cd / rs:6.2f}x)   max |Δmean|/MCSE {z:.2f}", flush=True)
        ok &= z < 4
    print("posterior means agree within 4 MCSE on every model:", ok)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

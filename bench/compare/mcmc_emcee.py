#!/usr/bin/python3
"""Side by side with emcee (python3-emcee, the affine-invariant ensemble sampler of Foreman-Mackey et al. 2013) on
targets both can sample, against Drift's NUTS (`drift mcmc TARGET`):

  gaussian100  100-d Gaussian, unit variances, every correlation 0.9 (`drift mcmc correlated --dim 100`, dense metric)
  banana       Haario's twisted Gaussian, theta1 ~ N(0, 100), theta2 | theta1 ~ N(0.03 (theta1^2 - 100), 1)
               (`drift mcmc banana`), written out here from docs/sampling.md

ESS: Drift's chains are independent, so the slowest parameter's rank-normalised bulk-ESS (diagnostics_reference.py)
is used; emcee's walkers are coupled, so its ESS is walkers x steps / tau with tau emcee's own integrated
autocorrelation time (the largest over parameters; `get_autocorr_time(tol=0)`), and the bulk-ESS computed by treating
walkers as chains is printed beside it for reference (it is not a valid ESS for an ensemble). Seconds: emcee's CPU
time of run_mcmc (vectorised log-density, one process); Drift's CPU time of the `drift mcmc` process minus that of a
`--check-gradient` run of the same target (process start, JIT of the front end, model set-up), as stan_compare.py does;
Drift's own in-process wall `seconds` is printed beside it.
Same target checked: every posterior mean on each side within 4 MCSE of the exact 0 (both targets have mean 0), and
the two sides' means within 4 combined MCSE of each other.

Usage:  /usr/bin/python3 bench/compare/mcmc_emcee.py [--quick] [--target gaussian100|banana|all]
        (DRIFT_CLI='path/to/drift' or 'dotnet path/to/Drift.Cli.dll' to use an already built tool; otherwise the
        Release build, else `dotnet run -c Release`). Timings only mean something on a quiet machine.
"""
import json
import math
import os
import resource
import subprocess
import sys
import time

import emcee
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diagnostics_reference as ref  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def gaussian100():
    d, rho = 100, 0.9
    cov = np.full((d, d), rho)
    np.fill_diagonal(cov, 1.0)
    prec = np.linalg.inv(cov)
    return d, (lambda x: -0.5 * np.einsum("ci,ij,cj->c", x, prec, x)), ["correlated", "--dim", "100", "--rho", "0.9", "--metric", "dense"]


def banana():
    s, b = 10.0, 0.03

    def logp(x):
        t1, t2 = x[:, 0], x[:, 1]
        return -0.5 * (t1 / s) ** 2 - 0.5 * (t2 - b * (t1 * t1 - s * s)) ** 2
    return 2, logp, ["banana"]


def run_emcee(d, logp, warmup, draws, seed=1):
    walkers = max(2 * d + 2, 32)
    rng = np.random.default_rng(seed)
    sampler = emcee.EnsembleSampler(walkers, d, logp, vectorize=True)
    sampler._random = np.random.mtrand.RandomState(seed)
    t = time.process_time()
    sampler.run_mcmc(rng.uniform(-2, 2, (walkers, d)), warmup + draws, progress=False)
    seconds = time.process_time() - t
    chain = sampler.get_chain(discard=warmup)            # (draws, walkers, d)
    tau = np.max(emcee.autocorr.integrated_time(chain, tol=0))
    x = np.transpose(chain, (1, 0, 2))                    # (walkers, draws, d)
    return x, walkers * draws / tau, seconds, tau, walkers


def run_drift(args, chains, warmup, draws):
    exe = os.environ.get("DRIFT_CLI", os.path.join(ROOT, "src", "Drift.Cli", "bin", "Release", "net10.0", "drift")).split()
    if not os.path.exists(exe[-1]):
        exe = ["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "src", "Drift.Cli"), "--"]
    csv = os.path.join("/tmp", "drift_mcmc_emcee.csv")
    def cpu(cmd):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        res = subprocess.run(exe + cmd, capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return res, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    _, base = cpu(["mcmc"] + args + ["--chains", str(chains), "--check-gradient"])
    res, total = cpu(["mcmc"] + args + ["--chains", str(chains), "--warmup", str(warmup), "--draws", str(draws),
                                        "--seed", "1", "--json", "--quiet", "--output", csv])
    if res.returncode != 0:
        raise SystemExit(res.stderr)
    summary = json.loads(res.stdout)
    data = np.loadtxt(csv, delimiter=",", skiprows=1)
    d = len(summary["parameters"])
    x = data[:, 2:2 + d].reshape(chains, -1, d)
    return x, max(total - base, 1e-9), summary["seconds"]


def bulk_ess_min(x):
    return min(ref.ess_plain(ref.rank_normalise(ref.split(x[:, :, i]))) for i in range(x.shape[2]))


def means_and_mcse(x):
    d = x.shape[2]
    m = np.array([x[:, :, i].mean() for i in range(d)])
    se = np.array([x[:, :, i].ravel().std(ddof=1) / math.sqrt(ref.ess_plain(ref.split(x[:, :, i]))) for i in range(d)])
    return m, se


def compare(name, quick):
    d, logp, args = {"gaussian100": gaussian100, "banana": banana}[name]()
    chains = 4
    warmup, draws = (200, 200) if quick else (1000, 1000)
    e_warm, e_draws = (500, 500) if quick else ((5000, 5000) if d > 10 else (2000, 2000))
    xe, ess_e, sec_e, tau, walkers = run_emcee(d, logp, e_warm, e_draws)
    xd, sec_d, wall_d = run_drift(args, chains, warmup, draws)
    ess_d = bulk_ess_min(xd)
    me, se_e = means_and_mcse(xe)
    # emcee's walkers are coupled: its MCSE uses walkers*draws/tau, not the per-walker ESS.
    se_e = np.array([xe[:, :, i].ravel().std(ddof=1) for i in range(d)]) / math.sqrt(ess_e)
    md, se_d = means_and_mcse(xd)
    z_e, z_d = np.max(np.abs(me) / se_e), np.max(np.abs(md) / se_d)
    z_ed = np.max(np.abs(me - md) / np.sqrt(se_e ** 2 + se_d ** 2))
    print(f"{name}: emcee {walkers} walkers x {e_draws} after {e_warm}: ESS (walkers*draws/tau, tau {tau:.1f}) {ess_e:9.1f}"
          f" in {sec_e:7.3f} s CPU -> {ess_e / sec_e:10.1f} ESS/s  (walkers-as-chains bulk-ESS {bulk_ess_min(xe):.0f}, not valid)")
    print(f"{name}: Drift NUTS {chains} chains x {draws} after {warmup}: min bulk-ESS {ess_d:9.1f} in {sec_d:7.3f}"
          f" s CPU (in-process wall {wall_d:.3f} s) -> {ess_d / sec_d:10.1f} ESS/s")
    print(f"{name}: ratio Drift/emcee ESS/s {(ess_d / sec_d) / (ess_e / sec_e):.2f}x; max |mean|/MCSE emcee {z_e:.2f},"
          f" Drift {z_d:.2f}, between {z_ed:.2f}")
    return z_e < 4 and z_d < 4 and z_ed < 4


def main():
    quick = "--quick" in sys.argv
    target = sys.argv[sys.argv.index("--target") + 1] if "--target" in sys.argv else "all"
    names = ["banana", "gaussian100"] if target == "all" else [target]
    ok = all([compare(n, quick) for n in names])
    print("posterior means agree (within 4 MCSE of 0 and of each other):", ok)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

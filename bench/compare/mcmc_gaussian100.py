#!/usr/bin/python3
"""Side-by-side MCMC on a 100-dimensional correlated Gaussian (unit variances, every correlation 0.9).

Peers: Stan (r-cran-rstan) and emcee (python3-emcee) are not installed on the build machine, so the peer here is a
numpy static HMC vectorised across chains (unit metric, 16 leapfrog steps, Stan's dual averaging of the step size)
against `drift mcmc correlated --sampler hmc --metric unit --steps 16` (the same algorithm), plus Drift's NUTS with a
dense metric for reference. Both sides are summarised by the independent numpy diagnostics of
diagnostics_reference.py: bulk-ESS per second of the slowest parameter, and posterior means within 4 MCSE of 0.

Usage:  /usr/bin/python3 bench/compare/mcmc_gaussian100.py [--quick] [--nuts]
        (DRIFT_CLI='path/to/drift' or 'dotnet path/to/Drift.Cli.dll' to use an already built tool; otherwise the Release build, else `dotnet run -c Release`)
Timings must be taken on a quiet machine; --quick only checks that both sides run and agree.
"""
import json
import math
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diagnostics_reference as ref  # noqa: E402

D, RHO = 100, 0.9
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def precision():
    cov = np.full((D, D), RHO)
    np.fill_diagonal(cov, 1.0)
    return np.linalg.inv(cov)


def numpy_hmc(chains, warmup, draws, steps=16, seed=1, delta=0.8):
    rng = np.random.default_rng(seed)
    P = precision()
    logp = lambda x: -0.5 * np.einsum("ci,ij,cj->c", x, P, x)
    grad = lambda x: -x @ P
    x = rng.uniform(-2, 2, (chains, D))
    eps = np.full(chains, 0.1)
    mu, sbar, xbar, t0, gamma, kappa = np.log(10 * eps), np.zeros(chains), np.zeros(chains), 10.0, 0.05, 0.75
    out = np.empty((chains, draws, D))
    for it in range(warmup + draws):
        p = rng.standard_normal((chains, D))
        q, g = x.copy(), grad(x)
        h0 = -logp(x) + 0.5 * (p * p).sum(1)
        e = eps[:, None]
        for _ in range(steps):
            p += 0.5 * e * g
            q += e * p
            g = grad(q)
            p += 0.5 * e * g
        h = -logp(q) + 0.5 * (p * p).sum(1)
        a = np.minimum(1.0, np.exp(np.nan_to_num(h0 - h, nan=-np.inf)))
        accept = rng.uniform(size=chains) < a
        x[accept] = q[accept]
        if it < warmup:
            m = it + 1
            eta = 1.0 / (m + t0)
            sbar = (1 - eta) * sbar + eta * (delta - a)
            logeps = mu - sbar * math.sqrt(m) / gamma
            xbar = (1 - m ** -kappa) * xbar + m ** -kappa * logeps
            eps = np.exp(logeps) if it < warmup - 1 else np.exp(xbar)
        else:
            out[:, it - warmup] = x
    return out


def drift(args):
    exe = os.environ.get("DRIFT_CLI", os.path.join(ROOT, "src", "Drift.Cli", "bin", "Release", "net10.0", "drift")).split()
    if not os.path.exists(exe[-1]):
        exe = ["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "src", "Drift.Cli"), "--"]
    csv = os.path.join("/tmp", "drift_mcmc_gaussian100.csv")
    t = time.perf_counter()
    res = subprocess.run(exe + ["mcmc", "correlated", "--dim", str(D), "--rho", str(RHO), "--json", "--quiet", "--output", csv] + args,
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    summary = json.loads(res.stdout)
    data = np.loadtxt(csv, delimiter=",", skiprows=1)
    chains = int(data[:, 0].max())
    x = data[:, 2:2 + D].reshape(chains, -1, D)
    return x, summary["seconds"], wall


def report(name, x, seconds):
    ess = [ref.ess_plain(ref.rank_normalise(ref.split(x[:, :, i]))) for i in range(D)]
    worst = []
    for i in range(D):
        xi = x[:, :, i]
        mcse = xi.ravel().std(ddof=1) / math.sqrt(ref.ess_plain(ref.split(xi)))
        worst.append(abs(xi.mean()) / mcse)
    print(flush=True, *[f"{name:28s} min bulk-ESS {min(ess):8.1f}  seconds {seconds:8.3f}  min bulk-ESS/s {min(ess) / seconds:10.1f}  max |mean|/MCSE {max(worst):.2f}"])
    return min(ess) / seconds, max(worst)


def main():
    quick = "--quick" in sys.argv
    chains, warmup, draws = (4, 200, 200) if quick else (4, 1000, 1000)
    t = time.perf_counter()
    xs = numpy_hmc(chains, warmup, draws)
    numpy_rate, numpy_z = report("numpy HMC (unit, L=16)", xs, time.perf_counter() - t)
    common = ["--chains", str(chains), "--warmup", str(warmup), "--draws", str(draws), "--seed", "1"]
    xd, sec, _ = drift(common + ["--sampler", "hmc", "--metric", "unit", "--steps", "16"])
    drift_rate, drift_z = report("Drift HMC (unit, L=16)", xd, sec)
    if "--nuts" in sys.argv:  # slow while the metric is still the identity: warm-up trees reach depth 10 in 100-d
        xn, sec_n, _ = drift(common + ["--sampler", "nuts", "--metric", "dense"])
        report("Drift NUTS (dense metric)", xn, sec_n)
    print(f"ratio Drift/numpy HMC bulk-ESS/s: {drift_rate / numpy_rate:.2f}x")
    ok = numpy_z < 4 and drift_z < 4
    print("posterior means within 4 MCSE of 0 on both sides:", ok)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Independent reference for Drift.Sampling.Diagnostics, written from Vehtari, Gelman, Simpson, Carpenter & Burkner
(2021), "Rank-normalization, folding, and localization: an improved R-hat", Bayesian Analysis 16(2), with numpy:
autocovariances by FFT (Drift sums lags directly), normal quantiles from torch.special.ndtri (Drift: Acklam + Halley),
Beta quantiles by bisection on mpmath's regularised incomplete beta (Drift: Lentz continued fraction).

Writes tests/Drift.Sampling.Tests/Fixtures/diagnostics.json: fixed draw sets and the expected statistics.
Run:  /usr/bin/python3 bench/compare/diagnostics_reference.py
"""
import json
import math
import os

import mpmath
import numpy as np
import torch

mpmath.mp.dps = 30


def split(x):  # x: (chains, draws) -> (2*chains, draws//2); the middle draw of an odd chain is dropped
    n = x.shape[1]
    h = n // 2
    return np.concatenate([x[:, :h], x[:, n - h:]], axis=0)


def average_ranks(v):
    order = np.argsort(v, kind="stable")
    sv = v[order]
    ranks = np.empty(len(v))
    uniq, first, counts = np.unique(sv, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1.0  # 1-based average rank of each tie group
    ranks[order] = np.repeat(avg, counts)
    return ranks


def rank_normalise(x):
    s = x.size
    r = average_ranks(x.ravel()).reshape(x.shape)
    p = (r - 3.0 / 8.0) / (s + 1.0 / 4.0)
    return torch.special.ndtri(torch.tensor(p, dtype=torch.float64)).numpy()


def rhat_plain(x):
    m, n = x.shape
    means = x.mean(axis=1)
    w = x.var(axis=1, ddof=1).mean()
    b_over_n = means.var(ddof=1) if m > 1 else 0.0
    return math.sqrt(((n - 1) / n * w + b_over_n) / w)


def autocov_fft(c):
    n = len(c)
    y = c - c.mean()
    size = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(y, size)
    ac = np.fft.irfft(f * np.conj(f), size)[:n]
    return ac / n  # biased: divide by n at every lag


def ess_plain(x):
    m, n = x.shape
    acov = np.array([autocov_fft(c) for c in x])  # (m, n)
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + (x.mean(axis=1).var(ddof=1) if m > 1 else 0.0)
    rho_at = lambda t: 1.0 - (mean_var - acov[:, t].mean()) / var_plus
    rho = np.zeros(n)
    even, odd = 1.0, rho_at(1)
    rho[0], rho[1] = even, odd
    t = 1
    while t < n - 3 and even + odd > 0:
        even, odd = rho_at(t + 1), rho_at(t + 2)
        if even + odd >= 0:
            rho[t + 1], rho[t + 2] = even, odd
        t += 2
    max_t = t - 2
    if even > 0:
        rho[max_t + 1] = even
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2
            rho[t + 2] = rho[t + 1]
        t += 2
    tau = -1 + 2 * rho[: max_t + 1].sum() + rho[max_t + 1]
    tau = max(tau, 1 / math.log10(m * n))
    return m * n / tau


def rhat(x):
    s = split(x)
    bulk = rhat_plain(rank_normalise(s))
    med = np.median(s)
    tail = rhat_plain(rank_normalise(np.abs(s - med)))
    return max(bulk, tail)


def ess_quantile(x, p):
    s = split(x)
    q = np.quantile(s.ravel(), p)
    return ess_plain((s <= q).astype(float))


def beta_ppf(prob, a, b):
    lo, hi = mpmath.mpf(0), mpmath.mpf(1)
    for _ in range(80):
        mid = (lo + hi) / 2
        if mpmath.betainc(a, b, 0, mid, regularized=True) < prob:
            lo = mid
        else:
            hi = mid
    return float((lo + hi) / 2)


def mcse_quantile(x, p):
    ess = ess_quantile(x, p)
    phi_m1 = float(mpmath.ncdf(-1))
    phi_p1 = float(mpmath.ncdf(1))
    a = beta_ppf(phi_m1, ess * p + 1, ess * (1 - p) + 1)
    b = beta_ppf(phi_p1, ess * p + 1, ess * (1 - p) + 1)
    srt = np.sort(x.ravel())
    s = len(srt)
    th1 = srt[max(math.floor(a * s), 1) - 1]
    th2 = srt[min(math.ceil(b * s), s) - 1]
    return (th2 - th1) / 2


def summary(x):
    ess_mean = ess_plain(split(x))
    return {
        "rhat": rhat(x),
        "ess_bulk": ess_plain(rank_normalise(split(x))),
        "ess_tail": min(ess_quantile(x, 0.05), ess_quantile(x, 0.95)),
        "ess_mean": ess_mean,
        "mcse_mean": x.ravel().std(ddof=1) / math.sqrt(ess_mean),
        "mcse_q05": mcse_quantile(x, 0.05),
        "mcse_q95": mcse_quantile(x, 0.95),
        "q05": float(np.quantile(x.ravel(), 0.05)),
        "median": float(np.quantile(x.ravel(), 0.5)),
    }


def ar1(rng, chains, n, phi, innovations):
    x = np.zeros((chains, n))
    for c in range(chains):
        e = innovations(rng, n)
        v = e[0] / math.sqrt(max(1 - phi * phi, 1e-12))
        for t in range(n):
            v = phi * v + e[t] if t else v
            x[c, t] = v
    return x


def main():
    rng = np.random.default_rng(20211207)
    chains, n = 4, 301
    sets = {
        "ar1_0.9": ar1(rng, chains, n, 0.9, lambda r, k: r.standard_normal(k)),
        "ar1_student_t_shifted": ar1(rng, chains, n, 0.7, lambda r, k: r.standard_t(3, k)) + np.array([[0.0], [0.0], [0.0], [1.5]]),
        "antithetic_-0.6": ar1(rng, chains, n, -0.6, lambda r, k: r.standard_normal(k)),
        "ties_poisson": rng.poisson(3.0, (chains, n)).astype(float),
        "iid_exponential": rng.exponential(2.0, (chains, n)),
        "scale_mismatch": rng.standard_normal((chains, n)) * np.array([[1.0], [1.0], [1.0], [3.0]]),
    }
    out = {"source": "bench/compare/diagnostics_reference.py", "chains": chains, "draws": n, "sets": []}
    for name, x in sets.items():
        entry = {"name": name, "values": [[float(v) for v in c] for c in x]}
        entry.update(summary(x))
        out["sets"].append(entry)
        print(name, {k: round(v, 6) for k, v in summary(x).items()})
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "tests", "Drift.Sampling.Tests", "Fixtures", "diagnostics.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()

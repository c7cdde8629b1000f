"""Feynman-Kac corrector for a product of experts (issue 17): the same SMC loop as Drift's FeynmanKacCorrector, written
in PyTorch (CPU, float64) on the same exact Gaussian-mixture scores, against `drift diffuse sample --steer fkc-product`.

Loop (docs/steering.md): VP linear (beta 0.1 -> 20), logSNR grid T = 1 -> 1e-3, particles from N(0, sigma_T^2/2);
at each grid time the scores s1, s2 of both experts, the rate G = d f + g^2 s1.s2, trapezoidal reweighting
log w += (G_prev + G)/2 |dt|, systematic resampling when ESS < 0.5 N, then Euler-Maruyama
x += (f x - g^2 (s1 + s2)) dt + g sqrt(|dt|) z.

Checks (different random streams, so statistics over SEEDS runs each): the mean ESS fraction over the trace, the number
of resamplings, log Z-hat and the weighted mean of x agree within 5 standard errors of their difference. It also prints
particle-steps per second for both; those timings are only meaningful on a quiet machine.
Run: dotnet build -c Release src/Drift.Cli && /usr/bin/python3 bench/compare/steer_compare.py [particles] [steps] [seeds]"""
import json, math, os, subprocess, sys, tempfile, time
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
B0, B1 = 0.1, 20.0
torch.set_default_dtype(torch.float64)

EXPERT1 = {"weights": [0.6, 0.3, 0.1], "means": [[-2.0, 0.0], [2.0, 1.0], [0.5, -2.5]],
           "covariances": [[[0.3, 0.2], [0.2, 0.4]], [[0.1, -0.05], [-0.05, 0.2]], [[0.05, 0.0], [0.0, 0.05]]]}  # skewed2d
EXPERT2 = {"weights": [0.5, 0.5], "means": [[1.5, 0.5], [0.0, -2.0]],
           "covariances": [[[0.6, 0.0], [0.0, 0.6]], [[0.5, 0.1], [0.1, 0.5]]]}


def cli():
    for cfg in ("Release", "Debug"):
        p = os.path.join(ROOT, "src", "Drift.Cli", "bin", cfg, "net10.0", "Drift.Cli.dll")
        if os.path.exists(p): return p
    sys.exit("build src/Drift.Cli first")


def log_alpha(t): return -0.25 * (B1 - B0) * t * t - 0.5 * B0 * t
def sigma_of(la): return math.sqrt(-math.expm1(2 * la))
def lam(t): la = log_alpha(t); return la - math.log(sigma_of(la))
def t_of_lam(l):
    la = -0.5 * math.log1p(math.exp(-2 * l)) if l > 0 else l - 0.5 * math.log1p(math.exp(2 * l))
    a, b, c = 0.25 * (B1 - B0), 0.5 * B0, -la
    return 2 * c / (b + math.sqrt(b * b + 4 * a * c))


class Gmm:
    def __init__(self, spec):
        self.w = torch.tensor(spec["weights"]); self.w = self.w / self.w.sum()
        self.mu = torch.tensor(spec["means"]); k, d = self.mu.shape
        self.ev, self.u = torch.linalg.eigh(torch.tensor(spec["covariances"]))
        self.umu = torch.einsum("kij,ki->kj", self.u, self.mu)

    def score(self, x, a, s):
        v = a * a * self.ev + s * s
        z = torch.einsum("kij,ni->nkj", self.u, x) - a * self.umu
        logn = -0.5 * (z * z / v).sum(-1) - 0.5 * torch.log(v).sum(-1) + torch.log(self.w)
        r = torch.softmax(logn, dim=1)
        return -torch.einsum("nkj,kij->ni", r.unsqueeze(-1) * z / v, self.u)


def systematic(W, u):
    n = W.shape[0]
    cum = torch.cumsum(W, 0); cum[-1] = 1.0
    return torch.searchsorted(cum, (torch.arange(n) + u) / n).clamp(max=n - 1)


def fkc_product(g1, g2, grid, n, seed, threshold=0.5):
    gen = torch.Generator().manual_seed(seed)
    d = g1.mu.shape[1]
    x = torch.randn(n, d, generator=gen) * sigma_of(log_alpha(grid[0])) / math.sqrt(2)
    logw = torch.zeros(n); logz = 0.0; trace = []; resamplings = 0; prev = None
    for k in range(len(grid)):
        t = grid[k]; la = log_alpha(t); a, s = math.exp(la), sigma_of(la)
        beta = B0 + (B1 - B0) * t; f = -0.5 * beta
        s1, s2 = g1.score(x, a, s), g2.score(x, a, s)
        S = s1 + s2
        rate = d * f + beta * (s1 * s2).sum(1)
        if k > 0:
            before = torch.logsumexp(logw, 0)
            logw = logw + 0.5 * (prev + rate) * abs(t - grid[k - 1])
            logz += float(torch.logsumexp(logw, 0) - before)
        W = torch.softmax(logw, 0); ess = float(1 / (W * W).sum()); trace.append(ess)
        if k == len(grid) - 1: break
        if ess < threshold * n:
            idx = systematic(W, float(torch.rand(1, generator=gen)))
            x, S, rate = x[idx], S[idx], rate[idx]; logw = torch.zeros(n); resamplings += 1
        prev = rate
        dt = grid[k + 1] - t
        x = x + (f * x - beta * S) * dt + math.sqrt(beta * -dt) * torch.randn(n, d, generator=gen)
    W = torch.softmax(logw, 0)
    return {"ess": trace, "logZ": logz, "resamplings": resamplings, "mean": (W[:, None] * x).sum(0).tolist()}


def drift(n, steps, seed, tmp):
    f1, f2 = os.path.join(tmp, "e1.json"), os.path.join(tmp, "e2.json")
    json.dump(EXPERT1, open(f1, "w")); json.dump(EXPERT2, open(f2, "w"))
    t0 = time.perf_counter()
    out = subprocess.run(["dotnet", cli(), "diffuse", "sample", "--target", "gmm:" + f1, "--target2", "gmm:" + f2, "--steer", "fkc-product",
                          "--steps", str(steps), "--particles", str(n), "--seed", str(seed), "--fkc-integrator", "euler", "--json"], check=True, capture_output=True, text=True)
    r = json.loads(out.stdout)
    return {"ess": r["essTrace"], "logZ": r["logZ"], "resamplings": r["resamplings"], "mean": r["means"], "seconds": r["seconds"]}


def stats(runs, n):
    rows = np.array([[np.mean(r["ess"]) / n, r["resamplings"], r["logZ"], r["mean"][0], r["mean"][1]] for r in runs])
    return rows.mean(0), rows.std(0, ddof=1) / math.sqrt(len(runs))


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    l0, l1 = lam(1.0), lam(1e-3)
    grid = [1.0] + [t_of_lam(l0 + (l1 - l0) * i / steps) for i in range(1, steps)] + [1e-3]
    g1, g2 = Gmm(EXPERT1), Gmm(EXPERT2)
    torch_runs, torch_sec = [], []
    for s in range(seeds):
        t0 = time.perf_counter(); torch_runs.append(fkc_product(g1, g2, grid, n, 100 + s)); torch_sec.append(time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        drift_runs = [drift(n, steps, 100 + s, tmp) for s in range(seeds)]
    mt, st = stats(torch_runs, n); md, sd = stats(drift_runs, n)
    names = ["mean ESS/N", "resamplings", "log Z", "mean x0", "mean x1"]
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), {n} particles, {steps} steps, {seeds} seeds")
    ok = True
    for j, name in enumerate(names):
        z = (mt[j] - md[j]) / math.sqrt(st[j] ** 2 + sd[j] ** 2 + 1e-300)
        ok &= abs(z) < 5
        print(f"  {name:12s} torch {mt[j]:9.4f} ± {st[j]:.4f}   drift {md[j]:9.4f} ± {sd[j]:.4f}   z {z:+.2f}")
    ps = n * (steps + 1)
    print(f"  particle-steps/s (best run): torch {ps / min(torch_sec):.3e}, drift {ps / min(r['seconds'] for r in drift_runs):.3e} "
          f"(drift's in-process run time; timings only meaningful on a quiet machine)")
    assert ok, "Drift and PyTorch disagree in the ESS-trace statistics"

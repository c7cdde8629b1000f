"""DPM-Solver++(2M), 10 steps, VP linear (beta 0.1->20), logSNR grid T=1 -> 1e-3, on the exact GMM oracle:
Drift (bench/compare/drift-diffusion, Release) against the same sampler and score written in PyTorch (CPU, float64).
Reports samples x NFE per second (best of REPEATS runs; the machine is shared, so timings are noisy) and checks both
outputs agree: coordinate means within 5 standard errors and sliced W2(torch, drift) within 1.6x the exact-vs-exact floor.
Run: dotnet build -c Release bench/compare/drift-diffusion && /usr/bin/python3 bench/compare/diffusion_torch.py"""
import json, math, os, subprocess, sys, tempfile, time
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
DLL = os.path.join(HERE, "drift-diffusion", "bin", "Release", "net10.0", "drift-diffusion.dll")
B0, B1, STEPS = 0.1, 20.0, 10
torch.set_default_dtype(torch.float64)

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
        cov = torch.tensor(spec["covariances"]).reshape(k, d, d)
        self.ev, self.u = torch.linalg.eigh(cov)           # cov = U diag(ev) U^T
        self.umu = torch.einsum("kij,ki->kj", self.u, self.mu)
    def denoise(self, x, a, s):
        v = a * a * self.ev + s * s                         # k x d
        z = torch.einsum("kij,ni->nkj", self.u, x) - a * self.umu  # n x k x d
        logn = -0.5 * (z * z / v).sum(-1) - 0.5 * torch.log(v).sum(-1) + torch.log(self.w)
        r = torch.softmax(logn, dim=1)                      # n x k
        score = -torch.einsum("nkj,kij->ni", r.unsqueeze(-1) * z / v, self.u)
        return (x + s * s * score) / a

def dpmpp_2m(g, x, grid):
    ts = grid; prev = None; hprev = None
    for i in range(STEPS):
        ls, lt = lam(ts[i]), lam(ts[i + 1]); h = lt - ls
        a_s, s_s = math.exp(log_alpha(ts[i])), sigma_of(log_alpha(ts[i]))
        a_t, s_t = math.exp(log_alpha(ts[i + 1])), sigma_of(log_alpha(ts[i + 1]))
        d0 = g.denoise(x, a_s, s_s)
        em1 = math.expm1(-h)
        order = min(2, i + 1, STEPS - i)                    # warm-up and lower_order_final (< 15 steps)
        if order == 1: x = (s_t / s_s) * x - a_t * em1 * d0
        else:
            r0 = hprev / h; c = -a_t * em1
            x = (s_t / s_s) * x + c * (1 + 1 / (2 * r0)) * d0 - c / (2 * r0) * prev
        prev, hprev = d0, h
    return x

def sliced_w2(a, b, proj=128, seed=1):
    rng = np.random.default_rng(seed); th = rng.standard_normal((a.shape[1], proj)); th /= np.linalg.norm(th, axis=0)
    pa, pb = np.sort(a @ th, axis=0), np.sort(b @ th, axis=0)
    return math.sqrt(((pa - pb) ** 2).mean())

def exact(spec, n, a, s, seed):
    rng = np.random.default_rng(seed); w = np.array(spec["weights"]); w = w / w.sum()
    mu = np.array(spec["means"]); k, d = mu.shape; cov = np.array(spec["covariances"]).reshape(k, d, d)
    comp = rng.choice(k, size=n, p=w); out = np.empty((n, d))
    for c in range(k):
        idx = comp == c; m = idx.sum()
        out[idx] = a * rng.multivariate_normal(mu[c], cov[c], size=m) + s * rng.standard_normal((m, d))
    return out

def run(target, n, repeats):
    with tempfile.TemporaryDirectory() as tmp:
        res = json.loads(subprocess.run(["dotnet", DLL, "bench", target, str(n), str(repeats), tmp], check=True, capture_output=True, text=True).stdout)
        spec = json.load(open(os.path.join(tmp, "mixture.json")))
        drift = np.loadtxt(os.path.join(tmp, "drift_samples.csv"), delimiter=",", ndmin=2)
    g = Gmm(spec); d = g.mu.shape[1]
    l0, l1 = lam(1.0), lam(1e-3)
    grid = [1.0] + [t_of_lam(l0 + (l1 - l0) * i / STEPS) for i in range(1, STEPS)] + [1e-3]
    gen = torch.Generator().manual_seed(3)
    a_T, s_T = math.exp(log_alpha(1.0)), sigma_of(log_alpha(1.0))
    x0 = torch.tensor(exact(spec, n, a_T, s_T, 5))          # exact p_T samples (alpha_T is tiny)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter(); out = dpmpp_2m(g, x0.clone(), grid); best = min(best, time.perf_counter() - t0)
    torch_x = out.numpy()
    ex1, ex2 = exact(spec, n, spec["alpha_end"], spec["sigma_end"], 7), exact(spec, n, spec["alpha_end"], spec["sigma_end"], 8)
    floor = sliced_w2(ex1, ex2); sw_td = sliced_w2(torch_x, drift); sw_t = sliced_w2(torch_x, ex1); sw_d = sliced_w2(drift, ex1)
    se = np.sqrt(torch_x.var(0) / n + drift.var(0) / n); zmax = np.max(np.abs(torch_x.mean(0) - drift.mean(0)) / se)
    tp = n * STEPS / best; dp = res["sample_nfe_per_second"]
    print(f"{target:8s} d={d:3d} n={n:6d}: torch {best:.3f} s ({tp:.3e} sample-NFE/s, {torch.get_num_threads()} threads) | "
          f"drift {res['seconds']:.3f} s ({dp:.3e}) | ratio {dp / tp:.2f}x | SW2 torch-drift {sw_td:.4f}, torch-exact {sw_t:.4f}, "
          f"drift-exact {sw_d:.4f}, floor {floor:.4f} | max |mean diff|/SE {zmax:.2f}")
    assert res["nfe"] == STEPS, res
    assert sw_td < 1.6 * floor and zmax < 5, "Drift and PyTorch disagree"

if __name__ == "__main__":
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"torch {torch.__version__}, numpy {np.__version__}")
    run("ring8", 100_000, repeats)
    run("mix64", 10_000, repeats)

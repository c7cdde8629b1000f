"""PyTorch (CPU, float32) side of the DSM training benchmark against Drift.Generative.Training.

Network: Drift's `mlp` point network (DiffusionNetwork, NetworkKind.Mlp) for 2-D data: input [x, E(tau)] with
E(tau) = [cos(tau f_k), sin(tau f_k)], f_k = exp(-ln(10000) k / 16), k = 0..15 (Drift.Learning's SinusoidalEmbedding,
32 features), then Linear(34, W) SiLU Linear(W, W) SiLU Linear(W, W) SiLU Linear(W, 2); parameter names
net.mlp.layers.{0..3}.{weight,bias} as Drift names them. Loss: denoising score matching, VP-linear schedule
(beta 0.1 -> 20), epsilon-prediction, simple weighting: t ~ U[1e-3, 1], x_t = alpha_t x0 + sigma_t eps,
tau = 1000 (t - 1e-3)/(1 - 1e-3), loss = mean over batch and coordinates of (F(x_t, tau) - eps)^2; Adam(lr 1e-3).

1. Same computation: the script writes out/dsm_W{W}.safetensors with the initial weights (torch.manual_seed(W),
   default nn.Linear init) and one fixed batch (x [B,2] = x_t, tau [B], target [B,2] = eps; x0 from the ring of
   8 Gaussians of radius 3, std 0.25). It trains 20 Adam steps on that fixed batch and prints every loss; the Drift
   side (bench/compare/drift-dsm) loads the same file, runs the same 20 steps and must print the same losses
   (float32: agreement to ~1e-5 relative).
2. Speed: steps/s of full DSM steps (fresh x0 batch, eps, t drawn each step with torch's generator, the forward,
   backward and Adam), threads 1 and 2, best of the two; batch 512.
Run: /usr/bin/python3 bench/compare/dsm_torch.py [--seconds 2] [--widths 128] [--batch 512]
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

BETA0, BETA1, TLO = 0.1, 20.0, 1e-3


def alpha_sigma(t):
    log_alpha = -0.5 * (BETA0 * t + 0.5 * (BETA1 - BETA0) * t * t)
    alpha = torch.exp(log_alpha)
    return alpha, torch.sqrt(-torch.expm1(2 * log_alpha))


class Net(torch.nn.Module):
    def __init__(self, width):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(34, width), torch.nn.Linear(width, width),
                                           torch.nn.Linear(width, width), torch.nn.Linear(width, 2)])
        self.register_buffer("freq", torch.exp(-math.log(10000.0) * torch.arange(16, dtype=torch.float32) / 16))

    def forward(self, x, tau):
        a = tau[:, None] * self.freq[None, :]
        h = torch.cat([x, torch.cos(a), torch.sin(a)], dim=1)
        for k, layer in enumerate(self.layers):
            h = layer(h)
            if k < len(self.layers) - 1:
                h = torch.nn.functional.silu(h)
        return h


def ring(n, gen):
    k = torch.randint(0, 8, (n,), generator=gen).float()
    ang = 2 * math.pi * k / 8
    return torch.stack([3 * torch.cos(ang), 3 * torch.sin(ang)], 1) + 0.25 * torch.randn(n, 2, generator=gen)


def batch(n, gen):
    x0 = ring(n, gen)
    t = TLO + (1 - TLO) * torch.rand(n, generator=gen)
    eps = torch.randn(n, 2, generator=gen)
    a, s = alpha_sigma(t)
    return a[:, None] * x0 + s[:, None] * eps, 1000 * (t - TLO) / (1 - TLO), eps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=2)
    p.add_argument("--widths", default="128")
    p.add_argument("--batch", type=int, default=512)
    args = p.parse_args()
    out_dir = os.path.join(os.path.dirname(__file__), "out")
    os.makedirs(out_dir, exist_ok=True)
    summary = {}
    for w in [int(v) for v in args.widths.split(",")]:
        torch.manual_seed(w)
        net = Net(w)
        gen = torch.Generator().manual_seed(w + 1)
        x, tau, target = batch(args.batch, gen)
        tensors = [(f"net.mlp.layers.{k}.{n}", getattr(l, n).detach().numpy()) for k, l in enumerate(net.layers) for n in ("weight", "bias")]
        tensors += [("x", x.numpy()), ("tau", tau.numpy()), ("target", target.numpy())]
        path = os.path.join(out_dir, f"dsm_W{w}.safetensors")
        safetensors_io.save(path, tensors)
        torch.set_num_threads(1)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        losses = []
        for _ in range(20):
            opt.zero_grad(set_to_none=True)
            loss = torch.mean((net(x, tau) - target) ** 2)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        best = None
        for threads in (1, 2):
            torch.set_num_threads(threads)
            torch.manual_seed(w)
            net = Net(w)
            opt = torch.optim.Adam(net.parameters(), lr=1e-3)
            g = torch.Generator().manual_seed(0)

            def step():
                xb, tb, eb = batch(args.batch, g)
                opt.zero_grad(set_to_none=True)
                l = torch.mean((net(xb, tb) - eb) ** 2)
                l.backward()
                opt.step()
                return l
            for _ in range(20):
                step()
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < args.seconds:
                step()
                n += 1
            rate = n / (time.perf_counter() - start)
            print(f"W={w} threads={threads}: {rate:.1f} DSM steps/s (batch {args.batch})")
            best = max(best or 0, rate)
        print(f"W={w} fixed-batch losses: " + " ".join(f"{v:.8g}" for v in losses))
        summary[w] = {"losses": losses, "steps_per_s": best, "file": path}
    print(json.dumps({"torch": summary}))


if __name__ == "__main__":
    main()

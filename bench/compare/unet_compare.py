"""PyTorch (CPU, float32) side of the U-Net DSM training benchmark against Drift.Generative.Training.

Network: Drift's `unet` diffusion network (DiffusionNetwork with NetworkKind.Unet, Drift.Learning's UNet) for 1x8x8
images, written out layer by layer with the parameter names Drift gives them (net.input.weight,
net.down.0.norm1.weight, net.attention.in_proj_weight, ...):
  c = SiLU(MLP(E(tau))), E(tau) = [cos(tau f_k), sin(tau f_k)], f_k = exp(-ln(10000) k / (W/2)), MLP W -> 4W -> 4W (SiLU);
  h = Conv3x3(x); level l (channels W 2^l): ResBlock, skip kept, Conv3x3 stride 2 (all but the lowest level);
  middle: ResBlock, h + MHA(GroupNorm(h)), ResBlock; up, l = L-1..0: ResBlock([h, skip_l]), (l > 0) nearest x2 + Conv3x3;
  out = Conv3x3(SiLU(GroupNorm(h))).
  ResBlock(x, c) = Skip(x) + Conv2(SiLU(GN2(Conv1(SiLU(GN1(x))) + Linear(c)[:, :, None, None]))), Skip a 1x1 conv
  when the channels change.
Loss: denoising score matching on the VP-linear schedule (beta 0.1 -> 20), epsilon-prediction, simple weighting:
t ~ U[1e-3, 1], x_t = alpha_t x0 + sigma_t eps, tau = 1000 (t - 1e-3)/(1 - 1e-3), loss = mean (F(x_t, tau) - eps)^2,
Adam(lr 1e-3).

1. Same computation: writes out/unet_W{W}_L{L}.safetensors with the initial weights (torch.manual_seed(W), PyTorch's
   default inits) and one fixed batch (x [B,64] = x_t flattened, tau [B], target [B,64] = eps; x0 = 8x8 Gaussian blobs
   in [-1, 1]); trains 20 Adam steps on that batch and prints every loss. bench/compare/drift-unet loads the file,
   runs the same 20 steps and must print the same losses to float32 rounding.
2. Speed: DSM steps/s (fresh batch each step, forward, backward, Adam) at 1 and 2 threads, best of the two.
Run: /usr/bin/python3 bench/compare/unet_compare.py [--seconds 2] [--width 32] [--levels 2] [--heads 1] [--batch 128]
(or bash bench/compare/unet_compare.sh, which runs both sides).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

BETA0, BETA1, TLO = 0.1, 20.0, 1e-3
C, H, W_IMG = 1, 8, 8


def alpha_sigma(t):
    log_alpha = -0.5 * (BETA0 * t + 0.5 * (BETA1 - BETA0) * t * t)
    return torch.exp(log_alpha), torch.sqrt(-torch.expm1(2 * log_alpha))


class ResBlock(torch.nn.Module):
    def __init__(self, cin, cout, cond, groups):
        super().__init__()
        self.norm1 = torch.nn.GroupNorm(groups, cin)
        self.conv1 = torch.nn.Conv2d(cin, cout, 3, padding=1)
        self.condition = torch.nn.Linear(cond, cout)
        self.norm2 = torch.nn.GroupNorm(groups, cout)
        self.conv2 = torch.nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = torch.nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, c):
        h = self.conv1(F.silu(self.norm1(x))) + self.condition(c)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Mlp(torch.nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])])

    def forward(self, h):
        for k, layer in enumerate(self.layers):
            h = layer(h)
            if k < len(self.layers) - 1:
                h = F.silu(h)
        return h


class UNet(torch.nn.Module):
    def __init__(self, width, levels, groups, heads):
        super().__init__()
        embed = 4 * width
        self.width, self.levels = width, levels
        self.register_buffer("freq", torch.exp(-math.log(10000.0) * torch.arange(width // 2, dtype=torch.float32) / (width // 2)))
        self.time_mlp = Mlp([width, embed, embed])
        self.input = torch.nn.Conv2d(C, width, 3, padding=1)
        self.down = torch.nn.ModuleList()
        self.downsample = torch.nn.ModuleList()
        cur = width
        for l in range(levels):
            c = width << l
            self.down.append(ResBlock(cur, c, embed, groups))
            cur = c
            if l < levels - 1:
                self.downsample.append(torch.nn.Conv2d(c, c, 3, stride=2, padding=1))
        low = width << (levels - 1)
        self.middle1 = ResBlock(low, low, embed, groups)
        self.attention_norm = torch.nn.GroupNorm(groups, low)
        self.attention = torch.nn.MultiheadAttention(low, heads, batch_first=True)
        self.middle2 = ResBlock(low, low, embed, groups)
        self.up = torch.nn.ModuleDict()
        self.upsample = torch.nn.ModuleDict()
        for l in range(levels - 1, -1, -1):
            c = width << l
            self.up[str(l)] = ResBlock(cur + c, c, embed, groups)
            cur = c
            if l > 0:
                self.upsample[str(l)] = torch.nn.Conv2d(c, c, 3, padding=1)
        self.output_norm = torch.nn.GroupNorm(groups, width)
        self.output = torch.nn.Conv2d(width, C, 3, padding=1)

    def forward(self, x, tau):
        a = tau[:, None] * self.freq[None, :]
        c = F.silu(self.time_mlp(torch.cat([torch.cos(a), torch.sin(a)], 1)))
        h = self.input(x.reshape(-1, C, H, W_IMG))
        skips = []
        for l in range(self.levels):
            h = self.down[l](h, c)
            skips.append(h)
            if l < self.levels - 1:
                h = self.downsample[l](h)
        h = self.middle1(h, c)
        n, ch, hh, ww = h.shape
        t = self.attention_norm(h).reshape(n, ch, hh * ww).transpose(1, 2)
        h = h + self.attention(t, t, t, need_weights=False)[0].transpose(1, 2).reshape(n, ch, hh, ww)
        h = self.middle2(h, c)
        for l in range(self.levels - 1, -1, -1):
            h = self.up[str(l)](torch.cat([h, skips[l]], 1), c)
            if l > 0:
                h = self.upsample[str(l)](F.interpolate(h, scale_factor=2, mode="nearest"))
        return self.output(F.silu(self.output_norm(h))).reshape(-1, C * H * W_IMG)


def blobs(n, gen):
    centre = 1.5 + 4 * torch.rand(n, 2, generator=gen)
    i = torch.arange(8, dtype=torch.float32)
    d2 = (i[None, :, None] - centre[:, 0, None, None]) ** 2 + (i[None, None, :] - centre[:, 1, None, None]) ** 2
    return (2 * torch.exp(-d2 / (2 * 1.2 ** 2)) - 1).reshape(n, 64)


def batch(n, gen):
    x0 = blobs(n, gen)
    t = TLO + (1 - TLO) * torch.rand(n, generator=gen)
    eps = torch.randn(n, 64, generator=gen)
    a, s = alpha_sigma(t)
    return a[:, None] * x0 + s[:, None] * eps, 1000 * (t - TLO) / (1 - TLO), eps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=2)
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--levels", type=int, default=2)
    p.add_argument("--groups", type=int, default=8)
    p.add_argument("--heads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    args = p.parse_args()
    out_dir = os.path.join(os.path.dirname(__file__), "out")
    os.makedirs(out_dir, exist_ok=True)
    w, lv = args.width, args.levels
    torch.manual_seed(w)
    net = UNet(w, lv, args.groups, args.heads)
    gen = torch.Generator().manual_seed(w + 1)
    x, tau, target = batch(args.batch, gen)
    tensors = [("net." + k, v.detach().numpy()) for k, v in net.state_dict().items() if k != "freq"]
    tensors += [("x", x.numpy()), ("tau", tau.numpy()), ("target", target.numpy())]
    path = os.path.join(out_dir, f"unet_W{w}_L{lv}.safetensors")
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
    print(f"W={w} L={lv} fixed-batch losses: " + " ".join(f"{v:.8g}" for v in losses))
    best = None
    for threads in (1, 2):
        torch.set_num_threads(threads)
        torch.manual_seed(w)
        net = UNet(w, lv, args.groups, args.heads)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        g = torch.Generator().manual_seed(0)

        def step():
            xb, tb, eb = batch(args.batch, g)
            opt.zero_grad(set_to_none=True)
            l = torch.mean((net(xb, tb) - eb) ** 2)
            l.backward()
            opt.step()
            return l
        for _ in range(5):
            step()
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            step()
            n += 1
        rate = n / (time.perf_counter() - start)
        print(f"W={w} L={lv} threads={threads}: {rate:.2f} DSM steps/s (batch {args.batch})")
        best = max(best or 0, rate)
    print(json.dumps({"torch": {"losses": losses, "steps_per_s": best, "file": path}}))


if __name__ == "__main__":
    main()

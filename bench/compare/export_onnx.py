"""Exports the tiny PyTorch fixtures of Drift.Learning.Onnx (issue 12, "ONNX and interchange"), once.

CI has no torch: the tests read only the committed files this script writes to
tests/Drift.Learning.Onnx.Tests/Fixtures/ (a few KB in all).

Networks: PyTorch twins of Drift's point networks (Drift.Generative.Training.DiffusionNetwork), parameter for
parameter and named as Drift names them (the naming scheme of docs/training.md, "Importing PyTorch weights"):

  mlp     h = [x, E(tau), L(label)] -> Linear(d + 32 (+16), W) SiLU ... Linear(W, d)
          E(tau) = [cos(tau f_k), sin(tau f_k)], f_k = exp(-ln(10000) k / 16), k = 0..15 (32 features);
          L = nn.Embedding(classes + 1, 16) (row `classes` is the null label of classifier-free guidance)
          names: net.mlp.layers.{k}.weight [out, in], net.mlp.layers.{k}.bias [out], net.labels.weight
  resmlp  c = SiLU(time_mlp(E_W(tau)) (+ labels(label))), h = input(x), then per block
          h += fc2(SiLU(fc1(norm(h) * (1 + gamma) + beta))) with (gamma, beta) = film.projection(c) split in halves,
          out = output(norm(h));  E_W: the same sinusoidal embedding with W features (W even)
          names: net.time_mlp.layers.{0,1}.{weight,bias}, net.labels.weight [classes + 1, W],
          net.input.{weight,bias}, net.blocks.{k}.norm.{weight,bias}, net.blocks.{k}.film.projection.{weight,bias},
          net.blocks.{k}.fc1.{weight,bias}, net.blocks.{k}.fc2.{weight,bias}, net.norm.{weight,bias},
          net.output.{weight,bias}

The model: denoising score matching on the VP-linear schedule (beta 0.1 -> 20), epsilon prediction, so the
prediction is P(x, t) = F(x, tau) with tau = 1000 (t - 1e-3) / (1 - 1e-3) (Drift's network time; computed in float64
and rounded to float32, as Drift does).

Files per fixture NAME:
  NAME.onnx          (mlp, mlp_label only) inputs x float32 [B, 2], t float64 [B] (label int64 [B]) -> P float32
                     [B, 2]; the graph contains tau(t). metadata_props: drift.schedule=vp, drift.prediction=eps,
                     drift.classes (label fixture). Exported with torch.onnx.export, opset 17, dynamic batch.
  NAME.safetensors   float32 weights under the names above; metadata drift.objective=dsm, drift.schedule=vp,
                     drift.prediction=eps (no drift.net: the network is inferred from the names and shapes).
  NAME.inputs.npy    float64 [R, 3 or 4]: columns x0, x1, t (, label): 4 times x 8 rows
  NAME.outputs.npy   float64 [R, 2]: PyTorch's P for those rows (float32 values widened)
  NAME64.onnx, NAME64.safetensors  (mlp, mlp_label) the same network in float64 (x and P float64)
  wrong_inputs.onnx  a tiny network whose inputs are named "inputs" and "time" (the error test)

Image fixture (ONNX networks whose x is an image batch [B, C, H, W]):
  conv    h = SiLU(conv1(x) + time(E(tau))[:, :, None, None]), out = x + 0.1 conv2(h): Conv2d(1, 4, 3, padding 1),
          Linear(32, 4), Conv2d(4, 1, 3, padding 1) on 1 x 8 x 8 images (212 parameters). The skip (eps ~ x, right at
          high noise) keeps DDIM's x0 = (x - sigma eps) / alpha of this untrained net O(1): without it the samples
          reach 1e5 and float32 rounding, amplified by 1/alpha_T ~ 150, is all that the comparison would measure
  conv.onnx          inputs x float32 [B, 1, 8, 8], t float64 [B] -> P float32 [B, 1, 8, 8]; metadata as mlp
  conv.inputs.npy    float64 [32, 65]: the 64 pixels of x (row-major, C, H, W), then t; 4 times x 8 rows
  conv.outputs.npy   float64 [32, 64]: PyTorch's P, flattened the same way
  conv.ddim.npy      float64 [1 + 2n, 64] for n = 8 samples: row 0 holds the K + 1 = 11 times of a grid uniform in t
                     from T = 1 to 1e-3 (the rest of the row zero), rows 1..n the starting noise x_T = sigma(T) z, rows
                     n+1..2n PyTorch's deterministic DDIM (eta = 0) samples from it, x_{i+1} = alpha_{i+1} x0 + sigma_{i+1} eps
                     with eps = P(x_i, t_i), x0 = (x_i - sigma_i eps) / alpha_i, on vp (beta 0.1 -> 20), computed in
                     float64 around the float32 network

Run: /usr/bin/python3 bench/compare/export_onnx.py   (torch 1.13, python3-onnx)
"""
import math
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Drift.Learning.Onnx.Tests", "Fixtures")
T_LOW = 1e-3  # VP-linear's default end time, Drift's lowest training time for dsm on vp


def sinusoidal(tau, dim):
    half = dim // 2
    k = torch.arange(half, dtype=torch.float64)
    f = torch.exp(-math.log(10000.0) * k / half).to(tau.dtype)
    angles = tau[:, None] * f[None, :]
    return torch.cat([torch.cos(angles), torch.sin(angles)], dim=1)


class Layers(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])])

    def forward(self, h):
        for k, layer in enumerate(self.layers):
            h = layer(h)
            if k < len(self.layers) - 1:
                h = torch.nn.functional.silu(h)
        return h


class MlpNet(nn.Module):
    def __init__(self, d, width, depth, classes):
        super().__init__()
        self.classes = classes
        if classes:
            self.labels = nn.Embedding(classes + 1, 16)
        self.mlp = Layers([d + 32 + (16 if classes else 0)] + [width] * depth + [d])

    def forward(self, x, tau, label=None):
        parts = [x, sinusoidal(tau, 32)]
        if self.classes:
            parts.append(self.labels(label))
        return self.mlp(torch.cat(parts, dim=1))


class Film(nn.Module):
    def __init__(self, c, w):
        super().__init__()
        self.projection = nn.Linear(c, 2 * w)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.film = Film(w, w)
        self.fc1 = nn.Linear(w, 2 * w)
        self.fc2 = nn.Linear(2 * w, w)

    def forward(self, h, c):
        gamma, beta = self.film.projection(c).chunk(2, dim=1)
        z = self.norm(h) * (1 + gamma) + beta
        return h + self.fc2(torch.nn.functional.silu(self.fc1(z)))


class ResMlpNet(nn.Module):
    def __init__(self, d, width, depth, classes):
        super().__init__()
        self.width, self.classes = width, classes
        self.time_mlp = Layers([width, width, width])
        if classes:
            self.labels = nn.Embedding(classes + 1, width)
        self.input = nn.Linear(d, width)
        self.blocks = nn.ModuleList([Block(width) for _ in range(depth)])
        self.norm = nn.LayerNorm(width)
        self.output = nn.Linear(width, d)

    def forward(self, x, tau, label=None):
        c = self.time_mlp(sinusoidal(tau, self.width))
        if self.classes:
            c = c + self.labels(label)
        c = torch.nn.functional.silu(c)
        h = self.input(x)
        for b in self.blocks:
            h = b(h, c)
        return self.output(self.norm(h))


class ConvNet(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, hidden, 3, padding=1)
        self.time = nn.Linear(32, hidden)
        self.conv2 = nn.Conv2d(hidden, channels, 3, padding=1)

    def forward(self, x, tau, label=None):
        h = self.conv1(x) + self.time(sinusoidal(tau, 32))[:, :, None, None]
        return x + 0.1 * self.conv2(torch.nn.functional.silu(h))


class Model(nn.Module):
    """P(x, t) for dsm / vp / eps: the network at Drift's network time tau(t)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, t, label=None):
        tau = (1000.0 * (t.to(torch.float64) - T_LOW) / (1.0 - T_LOW)).to(x.dtype)
        return self.net(x, tau, label)


def perturb(module, gen):
    """Non-trivial values everywhere (LayerNorm gains and FiLM included), so every tensor matters to the outputs."""
    with torch.no_grad():
        for p in module.parameters():
            p.add_(0.3 * torch.randn(p.shape, generator=gen))


def export(name, net, classes, onnx_too):
    gen = torch.Generator().manual_seed(12)
    perturb(net, gen)
    model = Model(net).eval()
    times = [0.05, 0.25, 0.5, 0.875]
    rows = 8
    x = torch.randn(len(times) * rows, 2, generator=gen, dtype=torch.float32) * 1.5
    t = torch.tensor(np.repeat(times, rows), dtype=torch.float64)
    label = torch.tensor([r % (classes + 1) for r in range(len(times) * rows)], dtype=torch.int64) if classes else None
    with torch.no_grad():
        out = model(x, t, label)
    cols = [x.double(), t[:, None]] + ([label.double()[:, None]] if classes else [])
    np.save(os.path.join(OUT, name + ".inputs.npy"), torch.cat(cols, dim=1).numpy())
    np.save(os.path.join(OUT, name + ".outputs.npy"), out.double().numpy())
    meta = {"drift.objective": "dsm", "drift.schedule": "vp", "drift.prediction": "eps"}
    tensors = [(k, v.detach().numpy().astype(np.float32)) for k, v in model.state_dict().items()]
    safetensors_io.save(os.path.join(OUT, name + ".safetensors"), tensors, meta)
    if not onnx_too:
        return
    write_onnx(name, model, x, t, label, classes)
    # The float64 twin (same weights, widened): sampling comparisons between the ONNX model and the imported weights
    # are not blurred by float32 rounding, which the first steps of an ε-model amplify by 1/α_T (about 150 on vp).
    model64 = Model(net).double().eval()
    tensors64 = [(k, v.detach().numpy().astype(np.float64)) for k, v in model64.state_dict().items()]
    safetensors_io.save(os.path.join(OUT, name + "64.safetensors"), tensors64, meta)
    write_onnx(name + "64", model64, x.double(), t, label, classes)


def write_onnx(name, model, x, t, label, classes):
    path = os.path.join(OUT, name + ".onnx")
    args = (x, t, label) if classes else (x, t)
    inputs = ["x", "t", "label"] if classes else ["x", "t"]
    axes = {n: {0: "batch"} for n in inputs + ["prediction"]}
    torch.onnx.export(model, args, path, input_names=inputs, output_names=["prediction"], dynamic_axes=axes,
                      opset_version=17, do_constant_folding=True)
    m = onnx.load(path)
    props = {"drift.schedule": "vp", "drift.prediction": "eps"}
    if classes:
        props["drift.classes"] = str(classes)
    for k, v in props.items():
        e = m.metadata_props.add()
        e.key, e.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, path)


def vp_alpha_sigma(t):
    log_alpha = -0.25 * (20.0 - 0.1) * t * t - 0.5 * 0.1 * t
    return math.exp(log_alpha), math.sqrt(-math.expm1(2 * log_alpha))


def export_conv():
    torch.manual_seed(7)
    net = ConvNet(1, 4)
    gen = torch.Generator().manual_seed(13)
    perturb(net, gen)
    model = Model(net).eval()
    times = [0.05, 0.25, 0.5, 0.875]
    rows = 8
    x = torch.randn(len(times) * rows, 1, 8, 8, generator=gen, dtype=torch.float32)
    t = torch.tensor(np.repeat(times, rows), dtype=torch.float64)
    with torch.no_grad():
        out = model(x, t)
    flat = x.double().reshape(len(t), 64)
    np.save(os.path.join(OUT, "conv.inputs.npy"), torch.cat([flat, t[:, None]], dim=1).numpy())
    np.save(os.path.join(OUT, "conv.outputs.npy"), out.double().reshape(len(t), 64).numpy())
    write_onnx("conv", model, x, t, None, 0)
    # Deterministic DDIM through the float32 network, the update in float64 (as Drift's sampler does).
    n, steps, t_end = 8, 10, 1e-3
    grid = [1.0 + (i / steps) * (t_end - 1.0) for i in range(steps + 1)]
    z = torch.randn(n, 64, generator=gen, dtype=torch.float64)
    xs = z * vp_alpha_sigma(grid[0])[1]
    start = xs.clone()
    with torch.no_grad():
        for i in range(steps):
            a, s = vp_alpha_sigma(grid[i])
            a1, s1 = vp_alpha_sigma(grid[i + 1])
            eps = model(xs.float().reshape(n, 1, 8, 8), torch.full((n,), grid[i], dtype=torch.float64)).double().reshape(n, 64)
            x0 = (xs - s * eps) / a
            xs = a1 * x0 + s1 * eps
    header = np.zeros((1, 64))
    header[0, :steps + 1] = grid
    np.save(os.path.join(OUT, "conv.ddim.npy"), np.concatenate([header, start.numpy(), xs.numpy()], axis=0))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(3)
    export("mlp", MlpNet(2, 16, 2, 0), 0, True)
    torch.manual_seed(4)
    export("mlp_label", MlpNet(2, 16, 2, 3), 3, True)
    torch.manual_seed(5)
    export("resmlp_label", ResMlpNet(2, 8, 2, 3), 3, False)
    export_conv()
    # A network that breaks the input contract (inputs named "inputs" and "time"): Drift must refuse it by name.
    torch.manual_seed(6)
    wrong = Model(MlpNet(2, 4, 1, 0)).eval()
    torch.onnx.export(wrong, (torch.zeros(3, 2), torch.zeros(3, dtype=torch.float64)), os.path.join(OUT, "wrong_inputs.onnx"),
                      input_names=["inputs", "time"], output_names=["prediction"], opset_version=17)
    for f in sorted(os.listdir(OUT)):
        print(f"{f:28s} {os.path.getsize(os.path.join(OUT, f)):7d} bytes")


if __name__ == "__main__":
    main()

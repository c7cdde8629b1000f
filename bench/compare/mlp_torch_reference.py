"""Reference numbers from PyTorch for a "same numbers as PyTorch" test of Drift.Learning.

Writes three small safetensors files to tests/Drift.Learning.Tests/Data/:

  mlp_init_f64.safetensors     initial weights (F64) + X [256,18] + Y [256,2] (F64)
  mlp_after20_f64.safetensors  weights after 20 Adam steps in float64 + losses [20] (F64)
  mlp_after20_f32.safetensors  weights after 20 Adam steps in float32 + losses [20] (F32)

Weight tensors are named layers.{0..3}.weight [out, in] and layers.{0..3}.bias [out] (PyTorch's nn.Linear
convention, y = x W^T + b).

Set-up (every choice below is also written into each file's __metadata__):
  * MLP 18-128-128-128-2, nn.Linear layers, SiLU (x * sigmoid(x)) after layers 0, 1, 2, nothing after layer 3.
  * torch.manual_seed(0); the model is built with PyTorch's default nn.Linear init (kaiming_uniform(a=sqrt 5)
    weights, U(-1/sqrt(in), 1/sqrt(in)) biases) in the default float32, THEN cast to float64. So the initial
    weights are exactly representable in float32 and both runs start from bit-identical values.
  * Right after the model, X = torch.randn(256, 18) (float32 generator, same seed stream), cast to float64;
    Y = sin(X[:, :2]) + 0.1 * X[:, 2:4], computed in float64 and then rounded to float32 and back, so X and Y
    are also exactly representable in float32: the f32 and f64 runs see identical data, and their difference
    is pure arithmetic precision.
  * Loss: F.mse_loss(model(X), Y) (mean over all 256*2 elements).
  * torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0), 20 full-batch steps. In torch
    1.13 (single-tensor path) one step is, per parameter p with gradient g, t = 1, 2, ...:
        m = 0.9 m + 0.1 g;  v = 0.999 v + 0.001 g*g
        p -= (lr / (1 - 0.9^t)) * m / (sqrt(v) / sqrt(1 - 0.999^t) + eps)
    with the scalar factors computed in double and rounded to the parameter dtype.
  * losses[k] (k = 0..19) is the loss of the weights after k updates, i.e. the one computed in the forward
    pass of the (k+1)-th step: losses[0] is the initial loss, losses[19] the loss after 19 updates. The final
    weights are after 20 updates (their loss is not stored).
  * torch.set_num_threads(1). Runs twice in-process and checks the results are bitwise identical.

Tolerance yardsticks (torch 1.13.1 Debian build, written files made with the reference Netlib BLAS, 1 thread):
max |w_f32 - w_f64| after 20 steps ~ 6e-7 (weights moved up to 2.1e-2); rerunning with OpenBLAS instead (a
different summation order only) changes the f32 weights by up to ~4.5e-7 and the f64 weights by ~6e-16.

The files are checked by reading them back with the hand-written reader (and with the `safetensors` package
if it is importable). Run: /usr/bin/python3 bench/compare/mlp_torch_reference.py
"""
import os
import re
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "Drift.Learning.Tests", "Data")
SIZES = [18, 128, 128, 128, 2]
N, STEPS, LR, BETAS, EPS, SEED = 256, 20, 1e-3, (0.9, 0.999), 1e-8, 0


class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i + 1 < len(self.layers):
                x = F.silu(x)
        return x


def make_problem():
    torch.manual_seed(SEED)
    model = MLP(SIZES)  # default init, float32
    x32 = torch.randn(N, SIZES[0])
    x = x32.double()
    y = (torch.sin(x[:, :2]) + 0.1 * x[:, 2:4]).float().double()
    init = {k: v.detach().double().clone() for k, v in model.state_dict().items()}
    return init, x, y


def train(init, x, y, dtype):
    model = MLP(SIZES).to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in init.items()})
    x, y = x.to(dtype), y.to(dtype)
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS, weight_decay=0.0)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.detach().clone())
    return {k: v.detach().clone() for k, v in model.state_dict().items()}, torch.stack(losses)


def blas_library():
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({m.group(0) for m in re.finditer(r"/\S*(?:blas|mkl)\S*\.so\S*", f.read())})
        return ", ".join(os.path.realpath(p) for p in libs) or "none loaded"
    except OSError:
        return "unknown"


def np_(t):
    return t.detach().cpu().numpy()


def main():
    torch.set_num_threads(1)
    init, x, y = make_problem()
    names = list(init.keys())
    assert names == [f"layers.{i}.{p}" for i in range(4) for p in ("weight", "bias")], names

    w64, l64 = train(init, x, y, torch.float64)
    w32, l32 = train(init, x, y, torch.float32)
    w64b, l64b = train(init, x, y, torch.float64)
    w32b, l32b = train(init, x, y, torch.float32)
    for a, b in ((w64, w64b), (w32, w32b)):
        assert all(torch.equal(a[k], b[k]) for k in names), "training is not bitwise reproducible"
    assert torch.equal(l64, l64b) and torch.equal(l32, l32b)

    drift = max((w32[k].double() - w64[k]).abs().max().item() for k in names)
    moved = max((w64[k] - init[k]).abs().max().item() for k in names)
    loss_drift = (l32.double() - l64).abs().max().item()
    rel_drift = max(((w32[k].double() - w64[k]).abs() / w64[k].abs().clamp_min(1e-3)).max().item() for k in names)

    meta = {
        "generator": "bench/compare/mlp_torch_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "blas": blas_library(),
        "num_threads": "1",
        "model": "MLP 18-128-128-128-2, nn.Linear [out,in] y = x W^T + b, SiLU after layers 0,1,2",
        "init": "torch.manual_seed(0); default nn.Linear init in float32, cast to float64 (exactly f32-representable)",
        "data": "X = torch.randn(256,18) right after model construction (same seed stream), cast to f64; "
                "Y = sin(X[:,:2]) + 0.1*X[:,2:4] in f64, rounded to f32 and back",
        "loss": "F.mse_loss, reduction mean over all 512 elements",
        "optimizer": "torch.optim.Adam lr=1e-3 betas=(0.9,0.999) eps=1e-8 weight_decay=0 amsgrad=False, full batch",
        "adam_step": "m=b1*m+(1-b1)*g; v=b2*v+(1-b2)*g*g; p -= (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps)",
        "steps": str(STEPS),
        "losses": "losses[k] = loss of the weights after k updates (k=0..19; losses[0] = initial loss)",
        "max_abs_w_f32_minus_w_f64": repr(drift),
        "max_rel_w_f32_minus_w_f64": repr(rel_drift) + " (|diff| / max(|w64|, 1e-3))",
        "max_abs_loss_f32_minus_loss_f64": repr(loss_drift),
        "max_abs_w_f64_final_minus_init": repr(moved),
    }

    os.makedirs(OUT, exist_ok=True)
    files = {
        "mlp_init_f64.safetensors":
            [(k, np_(init[k])) for k in names] + [("X", np_(x)), ("Y", np_(y))],
        "mlp_after20_f64.safetensors":
            [(k, np_(w64[k])) for k in names] + [("losses", np_(l64))],
        "mlp_after20_f32.safetensors":
            [(k, np_(w32[k])) for k in names] + [("losses", np_(l32))],
    }
    total = 0
    for fname, tensors in files.items():
        path = os.path.join(OUT, fname)
        safetensors_io.save(path, tensors, dict(meta, contents=fname))
        total += os.path.getsize(path)
        # read back with the hand-written reader: names, dtypes, shapes and bits must match
        back, md = safetensors_io.load(path)
        assert list(back.keys()) == [n for n, _ in tensors], fname
        for n, a in tensors:
            assert back[n].dtype == a.dtype and back[n].shape == a.shape and np.array_equal(back[n], a), (fname, n)
        assert md["torch_version"] == torch.__version__
        try:
            from safetensors.numpy import load_file  # optional cross-check, not a dependency
            ref = load_file(path)
            assert all(np.array_equal(ref[n], a) for n, a in tensors), fname
            print(f"{fname}: also verified with the safetensors package")
        except ImportError:
            pass
        print(f"wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes), read back OK")
    assert total < 1 << 20, total

    print(f"torch {torch.__version__}, numpy {np.__version__}, BLAS: {meta['blas']}")
    print(f"losses f64: {' '.join(f'{v:.17g}' for v in l64.tolist())}")
    print(f"losses f32: {' '.join(f'{v:.9g}' for v in l32.tolist())}")
    print(f"max |w_f64 final - w init|         = {moved:.3e}")
    print(f"max |w_f32 final - w_f64 final|    = {drift:.3e}")
    print(f"max rel |w_f32 - w_f64|            = {rel_drift:.3e}")
    print(f"max |loss_f32 - loss_f64| (steps)  = {loss_drift:.3e}")
    print(f"total size {total} bytes")


if __name__ == "__main__":
    main()

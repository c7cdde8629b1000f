"""PyTorch (CPU, float32) side of the MLP training benchmark against Drift.Learning.

For W in (128, 256, 512): MLP 18-W-W-W-2, nn.Linear layers, SiLU after every layer but the last, batch 512,
MSE loss (mean), Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8), float32.

1. Inputs. For each W the script writes bench/compare/out/mlp_W{W}_init.safetensors (float32; hand-written
   writer in safetensors_io.py) holding the initial weights layers.{0..3}.weight [out, in] / layers.{0..3}.bias
   [out] and the data X [512,18], Y [512,2]. Generation: torch.manual_seed(W); model built with the default
   nn.Linear init; then X = torch.randn(512, 18); Y = sin(X[:, :2]) + 0.1 * X[:, 2:4]. Every run below (and the
   C# side) loads this file, so both sides start from identical inputs. out/ is not committed.
2. Loss check (deterministic, one thread): from the file, 100 training steps, then loss_after_100 = MSE of the
   updated model on (X, Y) (a no-grad forward). Also losses[0] (initial loss) and the loss in step 100's
   forward pass (= after 99 updates). Done in float32 and, as a noise yardstick, in float64 from the same
   (exactly cast) weights and data.
3. Timing. One child process per setting: threads 1 and 2 (torch.set_num_threads + OMP_NUM_THREADS +
   OPENBLAS_NUM_THREADS), each with the default environment and with OMP_WAIT_POLICY=PASSIVE. A training
   step is opt.zero_grad(set_to_none=True); loss = F.mse_loss(model(X), Y); loss.backward(); opt.step().
   30 warm-up steps, then steps until >= --seconds; steps/s = steps / elapsed (also the best 0.25 s chunk).
   GFLOP/s counts 2 * (forward MACs + backward MACs), forward MACs = B * sum(in*out), backward MACs =
   B * (sum(in*out) for dW of every layer + sum(in*out) over layers 1.. for dX); bias, SiLU, loss and Adam
   are not counted. Inference: forward only, batch 10000 (torch.manual_seed(1); randn(10000, 18)), no_grad,
   samples/s, in the same child.
4. BLAS. Debian's python3-torch links libblas.so.3, which by default is the reference (Netlib) BLAS --
   about 4.5 GFLOP/s single-thread sgemm here, not what anyone would benchmark against. With --blas auto
   (default) children run with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp when Debian's
   libopenblas0-openmp is installed (apt-get install libopenblas0-openmp), else with the system libblas.so.3;
   --blas system forces the latter, --blas both runs both. The BLAS each child actually loaded is printed.

The last line printed is a JSON summary. Timings are noisy on a shared machine.
Run: /usr/bin/python3 bench/compare/mlp_torch_bench.py [--seconds 2] [--widths 128,256,512] [--blas auto]
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
OPENBLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
BATCH, IN, OUTD, INFER_BATCH, LOSS_STEPS, WARMUP = 512, 18, 2, 10000, 100, 30
LR, BETAS, EPS = 1e-3, (0.9, 0.999), 1e-8


def sizes(w):
    return [IN, w, w, w, OUTD]


def init_path(w):
    return os.path.join(OUT, f"mlp_W{w}_init.safetensors")


def flops_per_step(w, batch=BATCH):
    s = sizes(w)
    macs = [a * b for a, b in zip(s[:-1], s[1:])]
    fwd = batch * sum(macs)
    bwd = batch * (sum(macs) + sum(macs[1:]))
    return 2 * (fwd + bwd)


def flops_forward(w, batch):
    s = sizes(w)
    return 2 * batch * sum(a * b for a, b in zip(s[:-1], s[1:]))


# ---------------------------------------------------------------- torch parts (imported lazily in children)

def torch_modules():
    # Imported lazily so the parent process never loads torch (each child picks its BLAS first); the network is
    # the one of mlp_torch_reference.py, written once.
    import torch
    import torch.nn.functional as F
    from mlp_torch_reference import MLP

    return torch, F, MLP


def loaded_blas():
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({m.group(0) for m in re.finditer(r"/\S*(?:blas|mkl)\S*\.so\S*", f.read())})
        return ", ".join(libs) or "none loaded"
    except OSError:
        return "unknown"


def write_inputs(widths):
    torch, F, MLP = torch_modules()
    sys.path.insert(0, HERE)
    import safetensors_io
    os.makedirs(OUT, exist_ok=True)
    for w in widths:
        torch.manual_seed(w)
        model = MLP(sizes(w))
        x = torch.randn(BATCH, IN)
        y = torch.sin(x[:, :2]) + 0.1 * x[:, 2:4]
        tensors = [(k, v.detach().numpy()) for k, v in model.state_dict().items()]
        tensors += [("X", x.numpy()), ("Y", y.numpy())]
        safetensors_io.save(init_path(w), tensors, {
            "generator": "bench/compare/mlp_torch_bench.py", "torch_version": torch.__version__,
            "model": f"MLP {'-'.join(map(str, sizes(w)))}, nn.Linear [out,in] y = x W^T + b, SiLU after all but the last",
            "init": f"torch.manual_seed({w}); default nn.Linear init; then X = randn({BATCH},{IN}); "
                    "Y = sin(X[:,:2]) + 0.1*X[:,2:4] (float32)",
            "train": "Adam lr=1e-3 betas=(0.9,0.999) eps=1e-8, F.mse_loss mean, full batch"})


def load_problem(w, dtype):
    torch, F, MLP = torch_modules()
    sys.path.insert(0, HERE)
    import safetensors_io
    tensors, _ = safetensors_io.load(init_path(w))
    model = MLP(sizes(w)).to(dtype)
    model.load_state_dict({k: torch.from_numpy(v).to(dtype) for k, v in tensors.items() if k.startswith("layers.")})
    return model, torch.from_numpy(tensors["X"]).to(dtype), torch.from_numpy(tensors["Y"]).to(dtype)


def child_loss(widths):
    torch, F, MLP = torch_modules()
    torch.set_num_threads(1)
    res = {}
    for w in widths:
        res[w] = {}
        for name, dtype in (("f32", torch.float32), ("f64", torch.float64)):
            model, x, y = load_problem(w, dtype)
            opt = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)
            losses = []
            for _ in range(LOSS_STEPS):
                opt.zero_grad(set_to_none=True)
                loss = F.mse_loss(model(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
            with torch.no_grad():
                after = F.mse_loss(model(x), y).item()
            res[w][name] = {"loss_initial": losses[0], "loss_step100_forward": losses[-1], "loss_after_100": after}
    return {"blas": loaded_blas(), "torch": torch.__version__, "loss": res}


def child_time(widths, threads, seconds, infer_seconds):
    torch, F, MLP = torch_modules()
    torch.set_num_threads(threads)
    info = {"threads": threads, "get_num_threads": torch.get_num_threads(),
            "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "(unset)"),
            "blas": loaded_blas(), "parallel_info": torch.__config__.parallel_info(), "widths": {}}
    for w in widths:
        model, x, y = load_problem(w, torch.float32)
        opt = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            return loss

        for _ in range(WARMUP):
            step()
        steps, best_chunk, t0 = 0, 0.0, time.perf_counter()
        while True:
            c0, cn = time.perf_counter(), 0
            while time.perf_counter() - c0 < 0.25:
                step()
                cn += 1
            now = time.perf_counter()
            best_chunk = max(best_chunk, cn / (now - c0))
            steps += cn
            if now - t0 >= seconds:
                break
        rate = steps / (now - t0)
        r = {"steps": steps, "steps_per_s": rate, "best_chunk_steps_per_s": best_chunk,
             "gflops": rate * flops_per_step(w) / 1e9, "final_loss": step().item()}

        gen = torch.Generator().manual_seed(1)
        xi = torch.randn(INFER_BATCH, IN, generator=gen)
        model.eval()
        with torch.no_grad():
            for _ in range(3):
                model(xi)
            calls, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < infer_seconds:
                model(xi)
                calls += 1
            el = time.perf_counter() - t0
        r["infer_samples_per_s"] = calls * INFER_BATCH / el
        r["infer_gflops"] = calls * flops_forward(w, INFER_BATCH) / el / 1e9
        info["widths"][w] = r
    return info


# ---------------------------------------------------------------- orchestration

def run_child(args, mode, threads=1, passive=False, blas="system"):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(threads)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    env.pop("OMP_WAIT_POLICY", None)
    if passive:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    if blas == "openblas":
        env["LD_LIBRARY_PATH"] = OPENBLAS_DIR + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    cmd = [sys.executable, os.path.abspath(__file__), "--child", mode, "--threads", str(threads),
           "--widths", ",".join(map(str, args.widths)), "--seconds", str(args.seconds),
           "--infer-seconds", str(args.infer_seconds)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit(f"child {mode} threads={threads} passive={passive} blas={blas} failed")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", default="128,256,512")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--infer-seconds", type=float, default=1.0)
    ap.add_argument("--blas", choices=("auto", "system", "openblas", "both"), default="auto")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--child", choices=("loss", "time"))
    args = ap.parse_args()
    args.widths = [int(w) for w in args.widths.split(",")]

    if args.child == "loss":
        print(json.dumps(child_loss(args.widths)))
        return
    if args.child == "time":
        print(json.dumps(child_time(args.widths, args.threads, args.seconds, args.infer_seconds)))
        return

    have_openblas = os.path.exists(os.path.join(OPENBLAS_DIR, "libblas.so.3"))
    if args.blas == "auto":
        blases = ["openblas"] if have_openblas else ["system"]
    elif args.blas == "both":
        blases = ["openblas", "system"] if have_openblas else ["system"]
    else:
        blases = [args.blas]
    if "openblas" in blases and not have_openblas:
        raise SystemExit(f"{OPENBLAS_DIR}/libblas.so.3 missing: apt-get install libopenblas0-openmp")

    write_inputs(args.widths)
    print(f"inputs: {', '.join(os.path.relpath(init_path(w)) for w in args.widths)}")
    print(f"machine: {os.cpu_count()} logical CPUs; timings are noisy if anything else runs")

    summary = {"bench": "mlp_train_torch", "batch": BATCH, "infer_batch": INFER_BATCH, "seconds": args.seconds,
               "warmup_steps": WARMUP, "widths": {}}
    loss = run_child(args, "loss", 1, False, blases[0])
    summary["torch"] = loss["torch"]
    summary["loss_blas"] = loss["blas"]
    print(f"torch {loss['torch']}; deterministic loss run (1 thread, BLAS {loss['blas']}):")
    for w in args.widths:
        l = loss["loss"][str(w)]
        print(f"  W={w:4d}  loss_initial f32 {l['f32']['loss_initial']:.9g}  loss_after_100 "
              f"f32 {l['f32']['loss_after_100']:.9g}  f64 {l['f64']['loss_after_100']:.17g}  "
              f"|f32-f64| {abs(l['f32']['loss_after_100'] - l['f64']['loss_after_100']):.2e}")
        summary["widths"][w] = {"loss": l, "flop_per_step": flops_per_step(w), "runs": []}

    printed_info = False
    for blas in blases:
        for threads in (1, 2):
            for passive in (False, True):
                r = run_child(args, "time", threads, passive, blas)
                if not printed_info:
                    print("torch.__config__.parallel_info() in the first child:")
                    print("  " + r["parallel_info"].strip().replace("\n", "\n  "))
                    printed_info = True
                cfg = f"blas={blas} threads={threads} OMP_WAIT_POLICY={r['OMP_WAIT_POLICY']}"
                print(f"{cfg}  (get_num_threads={r['get_num_threads']}, loaded {r['blas']})")
                for w in args.widths:
                    t = r["widths"][str(w)]
                    print(f"  W={w:4d}  train {t['steps_per_s']:9.1f} steps/s (best 0.25 s chunk "
                          f"{t['best_chunk_steps_per_s']:9.1f})  {t['gflops']:6.1f} GFLOP/s  "
                          f"infer {t['infer_samples_per_s']:11.0f} samples/s {t['infer_gflops']:6.1f} GFLOP/s")
                    summary["widths"][w]["runs"].append(dict(t, blas=blas, threads=threads,
                                                             omp_wait_policy=r["OMP_WAIT_POLICY"]))
    print("best per width:")
    for w in args.widths:
        runs = summary["widths"][w]["runs"]
        bt = max(runs, key=lambda t: t["steps_per_s"])
        bi = max(runs, key=lambda t: t["infer_samples_per_s"])
        summary["widths"][w]["best_train"] = {k: bt[k] for k in ("steps_per_s", "gflops", "blas", "threads",
                                                                  "omp_wait_policy")}
        summary["widths"][w]["best_infer"] = {k: bi[k] for k in ("infer_samples_per_s", "infer_gflops", "blas",
                                                                  "threads", "omp_wait_policy")}
        print(f"  W={w:4d}  train {bt['steps_per_s']:9.1f} steps/s {bt['gflops']:6.1f} GFLOP/s "
              f"[{bt['blas']}, {bt['threads']}t, {bt['omp_wait_policy']}]   infer {bi['infer_samples_per_s']:11.0f} "
              f"samples/s [{bi['blas']}, {bi['threads']}t, {bi['omp_wait_policy']}]")
    print(json.dumps(summary, separators=(",", ":")))


if __name__ == "__main__":
    main()

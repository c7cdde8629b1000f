#!/usr/bin/env bash
# Side-by-side MLP training/inference benchmark: PyTorch CPU (best of its thread settings, OpenBLAS when
# Debian's libopenblas0-openmp is installed) and Drift.Learning, on the same weights and data, in one run.
# Both sides print the loss after 100 Adam steps from the shared initial weights: they must agree.
# Run from the repository root: bash bench/compare/mlp_compare.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-2}
/usr/bin/python3 bench/compare/mlp_torch_bench.py --seconds "$seconds" --widths 128,256,512 | tee /tmp/mlp_torch.txt
dotnet build -c Release bench/compare/drift-mlp -v q -nologo > /dev/null
dotnet bench/compare/drift-mlp/bin/Release/net10.0/drift-mlp.dll --seconds "$seconds" --widths 128,256,512 --shard-rows 64,256 | tee /tmp/mlp_drift.txt
/usr/bin/python3 - <<'PY'
import json
torch = json.loads(open('/tmp/mlp_torch.txt').read().strip().splitlines()[-1])["widths"]
drift = json.loads(open('/tmp/mlp_drift.txt').read().strip().splitlines()[-1])["drift"]
print("\nW     loss@100 torch / drift        train steps/s torch / drift (ratio)   inference samples/s torch / drift (ratio)")
for w, t in torch.items():
    w = int(w)
    dt = max((r for r in drift if r.get("width") == w and "steps_per_s" in r), key=lambda r: r["steps_per_s"])
    di = max((r for r in drift if r.get("width") == w and "inference_samples_per_s" in r), key=lambda r: r["inference_samples_per_s"])
    tt, ti = t["best_train"]["steps_per_s"], t["best_infer"]["infer_samples_per_s"]
    print(f"{w:<5} {t['loss']['f32']['loss_after_100']:.9f} / {dt['loss_after_100']:.9f}   "
          f"{tt:8.1f} / {dt['steps_per_s']:8.1f} ({dt['steps_per_s'] / tt:4.2f}x)   {ti:9.0f} / {di['inference_samples_per_s']:9.0f} ({di['inference_samples_per_s'] / ti:4.2f}x)")
PY

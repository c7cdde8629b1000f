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
torch = json.loads(open('/tmp/mlp_torch.txt').read().strip().splitlines()[-1])
drift = json.loads(open('/tmp/mlp_drift.txt').read().strip().splitlines()[-1])["drift"]
print(json.dumps(torch)[:2000])
PY

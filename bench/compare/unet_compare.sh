#!/usr/bin/env bash
# Side-by-side DSM training of the small image U-Net: PyTorch CPU and Drift.Generative.Training, same network (Drift's
# parameter names), same weights, same fixed batch. Both print the 20 losses of Adam on that batch (they must agree to
# float32 rounding: the script checks a relative difference below 1e-3 at every step), then DSM steps/s at 1 and 2
# threads and the ratio of the best of each. Timings need a quiet machine.
# Run from the repository root: bash bench/compare/unet_compare.sh [seconds] [width] [levels] [batch]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-2}; width=${2:-32}; levels=${3:-2}; batch=${4:-128}
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [ -e "$openblas/libblas.so.3" ]; then export LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; echo "torch BLAS: OpenBLAS ($openblas)"; else echo "torch BLAS: system libblas.so.3"; fi
LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-} /usr/bin/python3 bench/compare/unet_compare.py --seconds "$seconds" --width "$width" --levels "$levels" --batch "$batch" | tee /tmp/unet_torch.txt
unset LD_LIBRARY_PATH
dotnet build -c Release bench/compare/drift-unet -v q -nologo > /dev/null
dotnet bench/compare/drift-unet/bin/Release/net10.0/drift-unet.dll --seconds "$seconds" --width "$width" --levels "$levels" --batch "$batch" | tee /tmp/unet_drift.txt
/usr/bin/python3 - <<'PY'
import json
def losses(path):
    line = next(l for l in open(path) if "fixed-batch losses:" in l)
    return [float(v) for v in line.split(":", 1)[1].split()]
t, d = losses('/tmp/unet_torch.txt'), losses('/tmp/unet_drift.txt')
worst = max(abs(a - b) / abs(a) for a, b in zip(t, d))
print(f"\n20 fixed-batch losses: torch {t[-1]:.8g}, drift {d[-1]:.8g} at step 20; worst relative difference {worst:.2e}")
rt = json.loads(open('/tmp/unet_torch.txt').read().strip().splitlines()[-1])["torch"]["steps_per_s"]
rd = json.loads(open('/tmp/unet_drift.txt').read().strip().splitlines()[-1])["drift"]["steps_per_s"]
print(f"DSM steps/s (best thread setting): torch {rt:.2f}, drift {rd:.2f} ({rd / rt:.2f}x)")
assert worst < 1e-3, "the two sides do not compute the same losses"
PY

#!/usr/bin/env bash
# The quality table of docs/training.md: every objective × coupling trained on one 2-D exact mixture (skewed2d: three
# modes, weights 0.6/0.3/0.1, full covariances) with the same network and budget, then measured against exact answers:
#   sliced W2 of 2000 samples to exact samples, next to the exact-vs-exact noise floor (drift diffuse sample --json);
#   PF-ODE NLL of 500 held-out exact points against the exact mixture NLL of the same points, paired gap ± SE
#   (drift diffuse likelihood --json).
# Not a timing: the figures are reproducible bit for bit (fixed seeds) whatever the load.
# Run from the repository root: bash bench/compare/training_quality.sh [steps] [out.md] ["objectives"]
#   (a subset of objectives, e.g. "dsm edm", lets two halves of the table run side by side)
#   DRIFT="dotnet path/to/Drift.Cli.dll" to use an existing build (default: builds Release).
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-800}; out=${2:-/dev/stdout}; objectives=${3:-dsm edm flow interpolant}
if [ -z "${DRIFT:-}" ]; then
  dotnet build -c Release src/Drift.Cli -v q -nologo > /dev/null
  DRIFT="dotnet src/Drift.Cli/bin/Release/net10.0/Drift.Cli.dll"
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
data=skewed2d
{
echo "| objective | coupling | training steps | sliced W2 (floor) | W2 / floor | max mode-mass error | PF-ODE NLL ± SE | gap to exact ± SE (nats) |"
echo "|---|---|---|---|---|---|---|---|"
for objective in $objectives; do
  case $objective in
    dsm) extra=(--schedule vp); sample=(--sampler dpmpp-2m --steps 30) ;;
    edm) extra=(); sample=(--sampler heun --steps 18) ;;
    flow) extra=(); sample=(--sampler ode-rk4 --steps 16) ;;
    interpolant) extra=(--interpolant trig --interpolant-noise 0.5); sample=(--sampler ode-rk4 --steps 16) ;;
  esac
  for coupling in independent ot sb immiscible; do
    ck="$work/$objective-$coupling.safetensors"
    $DRIFT diffuse train --data $data --n 20000 --objective $objective "${extra[@]}" --coupling $coupling --net mlp --width 64 --depth 3 \
      --steps "$steps" --batch 256 --lr 2e-3 --ema 0.995 --seed 1 --threads 2 --checkpoint "$ck" --no-progress > /dev/null
    $DRIFT diffuse sample --model "$ck" "${sample[@]}" --n 2000 --seed 3 --json > "$work/s.json"
    $DRIFT diffuse likelihood --model "$ck" --data $data --n 500 --steps 32 --seed 4 --json > "$work/l.json"
    /usr/bin/python3 - "$objective" "$coupling" "$steps" "${sample[1]}" "$work/s.json" "$work/l.json" <<'PY'
import json, sys
objective, coupling, steps, sampler, sf, lf = sys.argv[1:]
s = json.load(open(sf)); l = json.load(open(lf))
print(f"| {objective} | {coupling} | {steps} | {s['slicedW2']:.4f} ({s['noiseFloor']:.4f}) | {s['slicedW2'] / s['noiseFloor']:.2f} "
      f"| {s['maxModeMassError']:.3f} | {l['nll']:.3f} ± {l['standardError']:.3f} | {l['gap']:+.3f} ± {l['gapStandardError']:.3f} |")
PY
  done
done
echo
echo "exact NLL (entropy estimate) of the 500 held-out points: $(/usr/bin/python3 -c "import json; print(round(json.load(open('$work/l.json'))['exactNll'], 4))") nats"
} > "$out"

#!/usr/bin/env bash
# Which exact method for which network (issue 14, "state when each method is the right choice"): events per second
# and CPU nanoseconds per event of direct, sorting direct, next reaction, RSSA and RSSA-CR on the birth-death process,
# the 10-species chain and the Catalyst multistate and multisite2 networks, one thread, best of N repeats, from one
# binary (bench/compare/drift-ssa), every method with the same seed. Sizes are chosen for a few million events per cell;
# on a loaded machine read the CPU column (wall time then measures the load). The last column checks that the methods
# simulate the same law: the largest two-sample |z| = |mean − mean_direct| / √(SE² + SE_direct²) over the species'
# means at t1 (runs differ between methods, so this is a statistical check: |z| ≲ 4 expected, ≥ 5 is a failure).
# Run from the repository root:  bash bench/compare/ssa_methods.sh [repeats]
set -euo pipefail
repeats=${1:-3}
dotnet build bench/compare/drift-ssa -c Release -v q >/dev/null
bin=bench/compare/drift-ssa/bin/Release/net10.0/drift-ssa
echo "date: $(date -u +%FT%TZ)  load average: $(cut -d' ' -f1 /proc/loadavg)  machine: $(nproc) cores $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  dotnet $(dotnet --version)"
printf '%-12s %-8s %10s %12s %14s %14s\n' network method events events/s "CPU ns/event" "max|z| vs direct"
fail=0
for spec in "birth-death.rn 2000 50" "chain10.rn 500 10" "multistate.rn 8 250" "multisite2.rn 8 12"; do
  set -- $spec
  reference=
  for method in direct sorting nrm rssa rssa-cr; do
    json=$("$bin" "examples/jumps/$1" "$2" "$3" "$method" "$repeats" 1)
    [ -z "$reference" ] && reference=$json
    python3 - "$json" "$reference" "${1%.rn}" "$method" <<'PY' || fail=1
import json, math, sys
j, ref = json.loads(sys.argv[1]), json.loads(sys.argv[2])
z = 0.0
for a, b in zip(j["means"], ref["means"]):
    v = (a["stderr"] or 0) ** 2 + (b["stderr"] or 0) ** 2
    if v > 0: z = max(z, abs(a["mean"] - b["mean"]) / math.sqrt(v))
    elif a["mean"] != b["mean"]: z = math.inf
print(f"{sys.argv[3]:<12s} {sys.argv[4]:<8s} {j['events']:10.3g} {j['events']/j['seconds']:12.3e} {1e9*j['cpu_seconds']/j['events']:14.1f} {z:14.2f}")
sys.exit(1 if z >= 5 else 0)
PY
  done
done
[ $fail = 0 ] || { echo "some method's means differ from direct's by 5 standard errors or more" >&2; exit 1; }

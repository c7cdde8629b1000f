#!/usr/bin/env bash
# Which exact method for which network (issue 14, "state when each method is the right choice"): events per second
# and CPU nanoseconds per event of direct, sorting direct, next reaction, RSSA and RSSA-CR on the birth-death process, the
# 10-species chain and the Catalyst multistate and multisite2 networks, one thread, best of N repeats, from one binary
# (bench/compare/drift-ssa). Sizes are chosen for a few million events per cell; on a loaded machine read the CPU
# column (wall time then measures the load).
# Run from the repository root:  bash bench/compare/ssa_methods.sh [repeats]
set -euo pipefail
repeats=${1:-3}
dotnet build bench/compare/drift-ssa -c Release -v q >/dev/null
bin=bench/compare/drift-ssa/bin/Release/net10.0/drift-ssa
echo "date: $(date -u +%FT%TZ)  load average: $(cut -d' ' -f1 /proc/loadavg)  machine: $(nproc) cores $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
printf '%-12s %-8s %12s %14s\n' network method events/s "CPU ns/event"
for spec in "birth-death.rn 2000 50" "chain10.rn 500 10" "multistate.rn 1 2e3" "multisite2.rn 1 100"; do
  set -- $spec
  for method in direct sorting nrm rssa rssa-cr; do
    json=$("$bin" "examples/jumps/$1" "$2" "$3" "$method" "$repeats" 1)
    python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(f"{sys.argv[2]:<12s} {sys.argv[3]:<8s} {j[\"events\"]/j[\"seconds\"]:12.3e} {1e9*j[\"cpu_seconds\"]/j[\"events\"]:14.1f}")' "$json" "${1%.rn}" "$method"
  done
done

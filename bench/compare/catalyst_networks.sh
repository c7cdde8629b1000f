#!/usr/bin/env bash
# Wall time of ONE trajectory of the Catalyst/SciMLBenchmarks large networks in Drift, single thread, RSSA:
#   multistate (9 species, 18 reactions) to t = 1e5, multisite2 (66 species, 288 reactions) to t = 1e4,
# against Catalyst's published single-thread medians (issue 14: multistate 8.9 s RSSA, multisite2 74 s).
# The networks are examples/jumps/{multistate,multisite2}.rn, converted by bench/compare/bng_net_to_rn.py from the
# BioNetGen .net files of SciML/SciMLBenchmarks.jl (benchmarks/Bio/Models). The machines differ: the ratio is indicative.
# Run on a quiet machine from the repository root:  bash bench/compare/catalyst_networks.sh [repeats] [method]
set -euo pipefail
repeats=${1:-3}
method=${2:-rssa}
dotnet build bench/compare/drift-ssa -c Release -v q >/dev/null
bin=bench/compare/drift-ssa/bin/Release/net10.0/drift-ssa
run() { # file t1 published-seconds
  json=$("$bin" "examples/jumps/$1" 1 "$2" "$method" "$repeats" 1)
  seconds=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$json")
  events=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["events"])' "$json")
  python3 -c "import sys; s,e,p=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'$1 t1=$2 $method: {s:.3f} s best of $repeats, {e:.3g} events, {e/s:.3g} events/s; Catalyst published {p} s -> ratio {p/s:.2f}x')" "$seconds" "$events" "$3"
}
echo "date: $(date -u +%FT%TZ)  machine: $(uname -m) $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  dotnet $(dotnet --version)"
run multistate.rn 1e5 8.9
run multisite2.rn 1e4 74

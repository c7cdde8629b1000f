#!/usr/bin/env bash
# Wall time of ONE trajectory of the Catalyst/SciMLBenchmarks large networks in Drift, single thread, each with the
# method measured fastest on it (docs/jumps.md; method "auto", the default): direct on multistate (sorting direct before the chunked prefix sums of 2026-12-08), RSSA on multisite2:
#   multistate (9 species, 18 reactions) to t = 1e5, multisite2 (66 species, 288 reactions) to t = 1e4,
# against Catalyst's published single-thread medians (issue 14: multistate 8.9 s RSSA, multisite2 74 s).
# The networks are examples/jumps/{multistate,multisite2}.rn, converted by bench/compare/bng_net_to_rn.py from the
# BioNetGen .net files of SciML/SciMLBenchmarks.jl (benchmarks/Bio/Models). The machines differ: the ratio is indicative.
# Run on a quiet machine from the repository root:  bash bench/compare/catalyst_networks.sh [repeats] [method] [acceptance]
# With "acceptance" (rssa), one more untimed run reports the RSSA trials and the acceptance rate (events / trials).
# The CPU seconds of the best repeat are printed too: on a loaded machine they, not the wall time, measure Drift.
set -euo pipefail
repeats=${1:-3}
method=${2:-auto}
acceptance=${3:-}
dotnet build bench/compare/drift-ssa -c Release -v q >/dev/null
bin=bench/compare/drift-ssa/bin/Release/net10.0/drift-ssa
run() { # file t1 published-seconds auto-method
  local method=$method
  [ "$method" = auto ] && method=$4
  json=$("$bin" "examples/jumps/$1" 1 "$2" "$method" "$repeats" 1 $acceptance)
  python3 -c "
import json, sys
j, p, m = json.loads(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
s, c, e = j['seconds'], j['cpu_seconds'], j['events']
extra = f', acceptance {e / j[\"trials\"]:.3f} ({j[\"trials\"]:.3g} trials)' if j.get('trials') else ''
print(f'$1 t1=$2 {m}: {s:.3f} s best of $repeats ({c:.3f} CPU s), {e:.3g} events, {e/s:.3g} events/s{extra}; Catalyst published {p} s -> ratio {p/s:.2f}x (by CPU time {p/c:.2f}x)')" "$json" "$3" "$method"
}
echo "date: $(date -u +%FT%TZ)  machine: $(uname -m) $(nproc) cores  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  dotnet $(dotnet --version)"
run multistate.rn 1e5 8.9 direct
run multisite2.rn 1e4 74 rssa

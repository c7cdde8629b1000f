#!/usr/bin/env bash
# Where the per-step gap between Drift's DP5 and dopri5.cpp comes from (issue 15): the same C++ solver built three
# more ways, each changing one thing the JIT's code has and g++'s does not.
#   base    dopri5.cpp as is (d = 3 a compile-time constant, lorenz inlined, stages in registers, FMA contraction)
#   nofma   base with -ffp-contract=off: no fused multiply-adds, so it computes Drift's bits (same x(100), same
#           accepted/rejected counts as Drift's DP5; the FMA build takes a different trajectory)
#   membar  lorenz inlined but its arguments and results forced through memory (a compiler barrier around it), as a
#           right-hand side written against spans is in Drift
#   noinl   lorenz not inlined: memory round trip plus a call per stage
#   rtd     noinl plus d read at run time (stage loops not unrolled), the general span path's shape
# Prints ns per attempted step for (pi 1e-6, pi 1e-9, integral 1e-6, integral 1e-9), best of 300 solves, `rounds` times.
# Usage: bash bench/compare/cpp/dopri5_variants.sh [rounds]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); out=$(mktemp -d); rounds=${1:-2}
cp "$here/dopri5.cpp" "$out/base.cpp"
python3 - "$out" <<'PY'
import sys; d = sys.argv[1]; s = open(f"{d}/base.cpp").read()
barrier = '    asm volatile("" ::: "memory");\n'
m = s.replace("static inline void lorenz(const double* x, double* dx) {\n", "static inline void lorenz(const double* x, double* dx) {\n" + barrier)
m = m.replace("    dx[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];\n}", "    dx[2] = x[0] * x[1] - 8.0 / 3.0 * x[2];\n" + barrier + "}")
open(f"{d}/membar.cpp", "w").write(m)
n = s.replace("static inline void lorenz", "__attribute__((noinline)) static void lorenz")
open(f"{d}/noinl.cpp", "w").write(n)
r = n.replace("constexpr int D = 3;", "volatile int DV = 3; static int D;").replace("int main(int argc, char** argv) {", "int main(int argc, char** argv) { D = DV;")
r = r.replace("double y[D] = {1.0, 1.0, 1.0}, yn[D], s[D], k1[D], k2[D], k3[D], k4[D], k5[D], k6[D], k7[D];", "double y[3] = {1.0, 1.0, 1.0}, yn[3], s[3], k1[3], k2[3], k3[3], k4[3], k5[3], k6[3], k7[3];")
r = r.replace("struct Result { double y[D]", "struct Result { double y[3]")
open(f"{d}/rtd.cpp", "w").write(r)
PY
for v in base membar noinl rtd; do g++ -O3 -march=native -o "$out/$v" "$out/$v.cpp"; done
g++ -O3 -march=native -ffp-contract=off -o "$out/nofma" "$out/base.cpp"
for ((i = 0; i < rounds; i++)); do
  for v in base nofma membar noinl rtd; do
    echo -n "$v "; "$out/$v" 300 | python3 -c "import json,sys; rows = json.load(sys.stdin); print(' '.join(f\"{r['seconds']/(r['accepted']+r['rejected'])*1e9:.1f}\" for r in rows), 'steps (pi 1e-6)', rows[0]['accepted'], rows[0]['rejected'], 'x(100)', rows[0]['y100'][0])"
  done
done
rm -rf "$out"

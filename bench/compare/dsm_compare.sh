#!/usr/bin/env bash
# Side-by-side DSM training on the 2-D point MLP: PyTorch CPU and Drift.Generative.Training, same network, same loss.
# Both print the 20 losses of Adam on one fixed batch from the same initial weights (they must agree to float32
# rounding), then DSM steps/s at 1 and 2 threads. Timings need a quiet machine.
# Run from the repository root: bash bench/compare/dsm_compare.sh [seconds] [widths] [batch]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-2}; widths=${2:-128}; batch=${3:-512}
# PyTorch's CPU matmul goes to the system BLAS: use Debian's OpenBLAS when installed (libopenblas0-openmp), as
# bench/compare/mlp_torch_bench.py does; the reference BLAS would make the comparison meaningless.
openblas=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [ -e "$openblas/libblas.so.3" ]; then export LD_LIBRARY_PATH="$openblas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; echo "torch BLAS: OpenBLAS ($openblas)"; else echo "torch BLAS: system libblas.so.3"; fi
LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-} /usr/bin/python3 bench/compare/dsm_torch.py --seconds "$seconds" --widths "$widths" --batch "$batch"
unset LD_LIBRARY_PATH
dotnet build -c Release bench/compare/drift-dsm -v q -nologo > /dev/null
dotnet bench/compare/drift-dsm/bin/Release/net10.0/drift-dsm.dll --seconds "$seconds" --widths "$widths" --batch "$batch"

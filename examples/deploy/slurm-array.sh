#!/bin/bash
# A sharded Drift run as a Slurm job array (not run on a cluster here; see docs/scale-out.md).
#   sbatch examples/deploy/slurm-array.sh
# Each array task runs one shard into $OUT; the merge job starts when every task succeeded.
#SBATCH --job-name=drift-shards
#SBATCH --array=0-15
#SBATCH --cpus-per-task=8
#SBATCH --time=01:00:00
#SBATCH --output=drift-%A_%a.log
set -euo pipefail

SHARDS=16
OUT=${OUT:-$PWD/drift-run}
mkdir -p "$OUT"

# Every shard must get the same run options; only --shard and --state differ.
drift simulate heston --paths "${DRIFT_PATHS:-100000000}" --steps 250 --seed 42 --threads "$SLURM_CPUS_PER_TASK" \
  --no-progress --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" --state "$OUT/shard-$SLURM_ARRAY_TASK_ID.state" \
  > "$OUT/shard-$SLURM_ARRAY_TASK_ID.txt"

# Task 0 queues the merge behind the whole array (afterok: it starts only when every task succeeded).
if [ "$SLURM_ARRAY_TASK_ID" -eq 0 ]; then
  sbatch --dependency=afterok:"$SLURM_ARRAY_JOB_ID" --job-name=drift-merge --output="$OUT/merge.log" \
    --wrap "drift merge $OUT/shard-*.state --json > $OUT/result.json"
fi

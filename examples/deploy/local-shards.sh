#!/bin/bash
# N shard processes on one machine through the installed `drift`, merged and compared with the unsharded run
# (the same commands the Slurm and Kubernetes recipes run). Needs jq.
#   examples/deploy/local-shards.sh 7
set -euo pipefail
N=${1:-4}
RUN=(simulate lorenz --paths 20000 --t1 1 --steps 100 --seed 5 --no-progress)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

for ((i = 0; i < N; i++)); do
  drift "${RUN[@]}" --threads 1 --shard "$i/$N" --state "$DIR/shard-$i.state" > /dev/null &
done
wait

drift merge "$DIR"/shard-*.state --json | jq -S 'del(.seconds, .pathStepsPerSecond)' > "$DIR/merged.json"
drift "${RUN[@]}" --json | jq -S 'del(.seconds, .pathStepsPerSecond)' > "$DIR/whole.json"
diff "$DIR/whole.json" "$DIR/merged.json" && echo "merge of $N shards = unsharded run"

#!/bin/bash
# Runs the deploy recipes' own commands on this machine, as far as one machine allows, through the installed
# `drift` on PATH (CI installs it from the packed tool), and checks each merge against the unsharded run:
#   1. local-shards.sh with 7 background processes;
#   2. slurm-array.sh itself, once per array task with SLURM_ARRAY_TASK_ID set, and a stub `sbatch` that records the
#      merge job; the merge job's --wrap command then runs as afterok would run it;
#   3. the Kubernetes manifest's container commands, read from k8s-indexed-job.yaml, once per completion index with
#      JOB_COMPLETION_INDEX set and /states mapped to a temporary folder, then the merge Job's command.
# Only the path count is cut (10⁸ paths are for a cluster); shard counts, seeds and every other option are the
# recipes' own. Needs /usr/bin/python3 with PyYAML (Debian python3-yaml) and jq.
#   PATH=/path/to/tool:$PATH examples/deploy/check-recipes.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
PATHS=32000
strip() { jq -S 'del(.seconds, .pathStepsPerSecond)'; }

# 1. N processes on one machine.
bash "$HERE/local-shards.sh" 7

# 2. Slurm: every array task in turn, then the recorded merge job.
mkdir -p "$DIR/bin" "$DIR/slurm"
cat > "$DIR/bin/sbatch" <<'STUB'
#!/bin/bash
# Records the dependent merge job instead of queueing it.
while [ $# -gt 0 ]; do
  case "$1" in
    --wrap) printf '%s\n' "$2" > "$SBATCH_LOG"; shift 2 ;;
    --dependency=afterok:*) shift ;;
    *) shift ;;
  esac
done
STUB
chmod +x "$DIR/bin/sbatch"
tasks=$(sed -n 's/^#SBATCH --array=0-\([0-9]*\)$/\1/p' "$HERE/slurm-array.sh")
for ((i = 0; i <= tasks; i++)); do
  PATH="$DIR/bin:$PATH" SBATCH_LOG="$DIR/slurm/merge.cmd" SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_JOB_ID=1 \
    SLURM_CPUS_PER_TASK=1 OUT="$DIR/slurm" DRIFT_PATHS=$PATHS bash "$HERE/slurm-array.sh"
done
[ -s "$DIR/slurm/merge.cmd" ] || { echo "slurm-array.sh did not queue the merge job"; exit 1; }
bash -c "$(cat "$DIR/slurm/merge.cmd")"
slurm_run=$(sed -n '/^drift simulate/,/^$/p' "$HERE/slurm-array.sh" | tr -d '\\\n' | sed 's/--shard.*//')
(export DRIFT_PATHS=$PATHS SLURM_CPUS_PER_TASK=1; eval "$slurm_run --json") | strip > "$DIR/slurm/whole.json"
strip < "$DIR/slurm/result.json" > "$DIR/slurm/merged.json"
diff "$DIR/slurm/whole.json" "$DIR/slurm/merged.json"
echo "slurm-array.sh: merge of $((tasks + 1)) array tasks = unsharded run"

# 3. Kubernetes: the Indexed Job's command per completion index, then the merge Job's command.
mkdir -p "$DIR/states"
/usr/bin/python3 - "$HERE/k8s-indexed-job.yaml" "$DIR/k8s" <<'PY'
import sys, yaml
jobs = {d["metadata"]["name"]: d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d.get("kind") == "Job"}
def command(job):
    container = jobs[job]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["/bin/sh", "-c"], container["command"]
    return container["args"][0]
with open(sys.argv[2] + ".shard", "w") as f: f.write(command("drift-shards"))
with open(sys.argv[2] + ".merge", "w") as f: f.write(command("drift-merge"))
with open(sys.argv[2] + ".n", "w") as f: f.write(str(jobs["drift-shards"]["spec"]["completions"]))
PY
shard_cmd=$(sed -e "s#/states#$DIR/states#g" -e "s/--paths 100000000/--paths $PATHS/" "$DIR/k8s.shard")
merge_cmd=$(sed -e "s#/states#$DIR/states#g" -e 's/|| {.*}//' "$DIR/k8s.merge")
n=$(cat "$DIR/k8s.n")
grep -q -- "--paths $PATHS" <<< "$shard_cmd" || { echo "k8s manifest: the shard command has no --paths 100000000 to scale down"; exit 1; }
for ((i = 0; i < n; i++)); do JOB_COMPLETION_INDEX=$i /bin/sh -c "$shard_cmd" > /dev/null; done
/bin/sh -c "$merge_cmd"
strip < "$DIR/states/result.json" > "$DIR/k8s-merged.json"
/bin/sh -c "$(sed 's/--shard.*//' <<< "$shard_cmd") --json" | strip > "$DIR/k8s-whole.json"
diff "$DIR/k8s-whole.json" "$DIR/k8s-merged.json"
echo "k8s-indexed-job.yaml: merge of $n completion indexes = unsharded run"

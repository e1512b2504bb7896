#!/bin/bash
# Submit a sweep as an N-task job array plus a merge job that runs after it.
#   examples/slurm/submit-sweep.sh SWEEP.yaml N [PARTS_DIR [OUT.h5]]
# Prints the two job ids ("ARRAY_ID MERGE_ID"). Set BUZZSIM to the binary's
# path if it is not on PATH (sbatch passes the environment to the jobs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SWEEP=${1:?usage: submit-sweep.sh SWEEP.yaml N [PARTS_DIR [OUT.h5]]}
N=${2:?number of array tasks}
PARTS=${3:-parts}
OUT=${4:-sweep.h5}
array=$(sbatch --parsable --array=1-"$N" "$here/sweep-array.sbatch" "$SWEEP" "$PARTS" | cut -d';' -f1)
merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/sweep-merge.sbatch" "$PARTS" "$OUT" |
    cut -d';' -f1)
echo "$array $merge"

#!/usr/bin/env bash
# The Slurm mechanics the sweep test relies on, with a trivial job: a 3-task
# job array sees SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, and a job
# submitted with --dependency=afterok on the array runs after all of it.
# Skips (77) unless root and Slurm can be started (scripts/slurm-up.sh).
#   bash tests/cluster/test_slurm_mechanics.sh [BUZZSIM [SOURCE_DIR]]
# (BUZZSIM is not used: the same arguments as the other cluster tests.)
set -u
SRC=$(realpath "${2:-$(dirname "$0")/../..}")
export BZ_SCRIPTS=$SRC/scripts
WORK=$(mktemp -d /tmp/bz-slurm-XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=lib.sh
. "$SRC/tests/cluster/lib.sh"
bz_slurm_up
cd "$WORK" || fail "cd $WORK"

cat >array.sh <<'JOB'
#!/bin/bash
#SBATCH --job-name=bz-trivial
#SBATCH --output=array-%a.log
#SBATCH --time=00:02:00
sleep 1
echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT" >"task-$SLURM_ARRAY_TASK_ID.txt"
JOB
cat >after.sh <<'JOB'
#!/bin/bash
#SBATCH --job-name=bz-after
#SBATCH --output=after.log
#SBATCH --time=00:01:00
# Runs only after every array task succeeded: all three files must exist.
ls task-*.txt | wc -l >after.txt
cat task-*.txt >>after.txt
JOB

array=$(bz_submit --array=0-2 array.sh) || fail "sbatch of the array failed"
after=$(bz_submit --dependency=afterok:"$array" after.sh) || fail "sbatch of the dependent job failed"
echo "array job $array, dependent job $after"
bz_wait_jobs 120 "$array" "$after"

for i in 0 1 2; do
    [ "$(cat "task-$i.txt" 2>/dev/null)" = "$i 3" ] || fail "task-$i.txt: '$(cat "task-$i.txt" 2>/dev/null)', want '$i 3'"
done
[ "$(head -1 after.txt)" = "3" ] || fail "dependent job saw $(head -1 after.txt) task files, want 3"
# The dependent job started after the array's last task ended.
end_array=$(scontrol show job "$array" | grep -o 'EndTime=[^ ]*' | sort | tail -1 | cut -d= -f2)
start_after=$(scontrol show job "$after" | grep -o 'StartTime=[^ ]*' | cut -d= -f2)
[[ "$start_after" > "$end_array" || "$start_after" == "$end_array" ]] ||
    fail "dependent job started $start_after before the array ended $end_array"
echo "PASS: array tasks 0-2 of 3 ran; the afterok job ran after them ($end_array <= $start_after)"

#!/usr/bin/env bash
# A sweep as a real Slurm job array: brings up a one-node cluster
# (scripts/slurm-up.sh), submits the job-array script of docs/cluster.md
# (examples/slurm/sweep-array.sbatch) for configs/sweep_demo.yaml with 3
# tasks and the merge job with --dependency=afterok, waits, and requires the
# merged /sweep/params, /sweep/outcomes and /sweep/done to equal a serial
# run's (h5dump text). Brings Slurm down again if it started it.
#   bash tests/cluster/test_slurm.sh BUZZSIM [SOURCE_DIR]
# Exit 77 (skipped) unless root and Slurm can be started here.
set -u
BUZZSIM=$(realpath "${1:?usage: test_slurm.sh BUZZSIM [SOURCE_DIR]}")
SRC=$(realpath "${2:-$(dirname "$0")/../..}")
export BUZZSIM BZ_SCRIPTS=$SRC/scripts
SWEEP=$SRC/configs/sweep_demo.yaml
TASKS=3
WORK=$(mktemp -d /tmp/bz-slurm-XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=lib.sh
. "$SRC/tests/cluster/lib.sh"

[ -x "$BUZZSIM" ] || fail "no buzzsim binary at $BUZZSIM"
[ -f "$SWEEP" ] || fail "no $SWEEP"
command -v h5dump >/dev/null || skip "h5dump (hdf5-tools) is not installed"
# The scripts submitted are the ones the docs show, verbatim.
for f in sweep-array.sbatch sweep-merge.sbatch; do
    python3 - "$SRC/docs/cluster.md" "$SRC/examples/slurm/$f" <<'PY' || fail "docs/cluster.md does not show examples/slurm/$f verbatim"
import sys
doc, script = (open(p).read() for p in sys.argv[1:])
sys.exit(0 if script in doc else 1)
PY
done

bz_slurm_up
cd "$WORK" || fail "cd $WORK"

# The serial reference, outside Slurm.
"$BUZZSIM" sweep "$SWEEP" -o serial.h5 --quiet >serial.log 2>&1 || {
    cat serial.log >&2
    fail "serial sweep failed"
}

read -r array merge < <("$SRC/examples/slurm/submit-sweep.sh" "$SWEEP" "$TASKS" parts merged.h5) ||
    fail "submission failed"
[ -n "$merge" ] || fail "submission printed no job ids"
echo "array job $array ($TASKS tasks), merge job $merge (afterok:$array)"
bz_wait_jobs 900 "$array" "$merge" || exit 1

for i in $(seq 1 $TASKS); do
    [ -f "parts/part.$i-of-$TASKS.h5" ] || {
        cat slurm-*.out >&2
        fail "no parts/part.$i-of-$TASKS.h5"
    }
done
[ -f merged.h5 ] || {
    cat slurm-*.out >&2
    fail "the merge job wrote no merged.h5"
}
for ds in /sweep/params /sweep/outcomes /sweep/done; do
    # Drop the first line: it names the file.
    h5dump -d "$ds" serial.h5 | tail -n +2 >serial.txt || fail "h5dump $ds serial.h5"
    h5dump -d "$ds" merged.h5 | tail -n +2 >merged.txt || fail "h5dump $ds merged.h5"
    [ "$(wc -l <serial.txt)" -gt 5 ] || fail "h5dump $ds printed almost nothing"
    if ! diff -q serial.txt merged.txt >/dev/null; then
        diff serial.txt merged.txt | head -20 >&2
        fail "$ds of the merged job-array run differs from the serial run"
    fi
done
# A shard alone is not the whole sweep: the comparison can fail.
h5dump -d /sweep/done "parts/part.1-of-$TASKS.h5" | tail -n +2 >part1.txt
diff -q part1.txt merged.txt >/dev/null && fail "shard 1 alone has every point done?"
echo "PASS: $TASKS-task job array + afterok merge equals the serial sweep"

# shellcheck shell=bash
# Helpers for the Slurm tests (sourced). Exit status 77 means "skipped".
# BZ_SCRIPTS: the repo's scripts/ directory, set by the sourcing test.

skip() {
    echo "SKIP: $*" >&2
    exit 77
}
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Bring Slurm up, or skip with the reason slurm-up.sh printed. Registers an
# EXIT trap that brings it down again if this test brought it up.
bz_slurm_up() {
    [ "$(id -u)" -eq 0 ] || skip "needs root to start Slurm (slurm-up.sh)"
    local was_up=0
    if sinfo -h >/dev/null 2>&1 && [ -f "${BZ_SLURM_STATE:-/run/buzzsim-slurm}/started" ]; then
        was_up=1
    fi
    "$BZ_SCRIPTS/slurm-up.sh" >"$WORK/slurm-up.log" 2>&1
    local rc=$?
    if [ $rc -ne 0 ]; then
        cat "$WORK/slurm-up.log" >&2
        skip "Slurm cannot be started here (slurm-up.sh exit $rc)"
    fi
    if [ $was_up -eq 0 ]; then
        trap '"$BZ_SCRIPTS/slurm-down.sh" >&2; rm -rf "$WORK"' EXIT
    else
        trap 'rm -rf "$WORK"' EXIT
    fi
}

# sbatch wrapper: prints the job id only.
bz_submit() {
    sbatch --parsable "$@" | cut -d';' -f1
}

# Wait until every job (and array task) with these ids has left the queue,
# then require each to have ended COMPLETED. Timeout in seconds ($1).
bz_wait_jobs() {
    local timeout=$1 id
    shift
    local t0=$SECONDS
    while [ -n "$(squeue -h -j "$(
        IFS=,
        echo "$*"
    )" 2>/dev/null)" ]; do
        if [ $((SECONDS - t0)) -ge "$timeout" ]; then
            squeue >&2
            fail "jobs $* still queued after ${timeout}s"
        fi
        sleep 1
    done
    for id in "$@"; do
        local states
        states=$(scontrol show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u)
        [ -n "$states" ] || fail "no record of job $id (MinJobAge too small?)"
        if [ "$states" != "JobState=COMPLETED" ]; then
            scontrol show job "$id" >&2
            fail "job $id ended $states"
        fi
    done
}

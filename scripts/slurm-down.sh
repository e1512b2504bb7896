#!/usr/bin/env bash
# Stop the one-node Slurm cluster that scripts/slurm-up.sh started.
#
#   sudo scripts/slurm-down.sh               # slurmd, slurmctld, then munged
#   sudo scripts/slurm-down.sh --slurm-only  # keep munged (used on reconfigure)
#
# Only daemons listed in $BZ_SLURM_STATE/started (default /run/buzzsim-slurm)
# are stopped, each by the pid in its pid file and only if that pid still
# runs the expected program: a munge or Slurm this script did not start is
# left alone. SIGTERM first, SIGKILL after 15 s. Running jobs are killed with
# slurmd. Exit status 0 when nothing of ours is left running, 1 otherwise;
# running it twice is harmless.
set -u

STATE=${BZ_SLURM_STATE:-/run/buzzsim-slurm}
say() { printf 'slurm-down: %s\n' "$*" >&2; }

daemons="slurmd slurmctld munged"
[ "${1:-}" = "--slurm-only" ] && daemons="slurmd slurmctld"

if [ ! -f "$STATE/started" ]; then
    say "nothing to stop (no $STATE/started)"
    exit 0
fi

status=0
for d in $daemons; do
    grep -qx "$d" "$STATE/started" || continue
    f="$STATE/$d.pid"
    pid=$(cat "$f" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$d" ]; then
        kill -TERM "$pid" 2>/dev/null
        for ((i = 0; i < 150; i++)); do
            [ -d "/proc/$pid" ] || break
            sleep 0.1
        done
        if [ -d "/proc/$pid" ]; then
            say "$d (pid $pid) ignored SIGTERM for 15 s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null
            sleep 0.5
        fi
        if [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$d" ]; then
            say "$d (pid $pid) is still running"
            status=1
            continue
        fi
        say "stopped $d (pid $pid)"
    else
        say "$d is not running"
    fi
    rm -f "$f"
    sed -i "/^$d\$/d" "$STATE/started"
done
exit $status

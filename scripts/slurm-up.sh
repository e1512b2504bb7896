#!/usr/bin/env bash
# Bring up a real one-node Slurm cluster on this machine (Debian slurm-wlm +
# munge), for job-array tests and for trying docs/cluster.md locally.
#
#   sudo scripts/slurm-up.sh      # install if needed, configure, start, wait for the node
#   sudo scripts/slurm-down.sh    # stop exactly the daemons this script started
#
# Idempotent: when the cluster it configured is already answering, it says so
# and exits 0. It writes /etc/slurm/slurm.conf only when there is none or the
# existing one was written by this script (marker line below), so it never
# takes over a real cluster's configuration.
#
# Exit status: 0 the node is idle and accepts jobs; 77 this machine cannot run
# it (not root, no apt-get, packages unavailable, a foreign slurm.conf: the
# reason is printed); 1 the daemons were started but the node did not come up
# (the log tails are printed).
#
# Daemon process ids go to $BZ_SLURM_STATE (default /run/buzzsim-slurm), one
# <daemon>.pid file each, plus `started` listing the daemons this script
# launched; slurm-down.sh stops those by pid and nothing else.
set -u

STATE=${BZ_SLURM_STATE:-/run/buzzsim-slurm}
CONF=/etc/slurm/slurm.conf
MARK="# written by buzzsim scripts/slurm-up.sh"
LOGDIR=/var/log/slurm
TIMEOUT=${BZ_SLURM_TIMEOUT:-60}

say() { printf 'slurm-up: %s\n' "$*" >&2; }
cannot() {
    say "cannot bring up Slurm here: $*"
    exit 77
}

[ "$(id -u)" -eq 0 ] || cannot "needs root (daemons, /etc/slurm, munge key); run it with sudo"

# alive NAME: the daemon whose pid is recorded in $STATE/NAME.pid is running.
alive() {
    local f="$STATE/$1.pid" pid
    [ -s "$f" ] || return 1
    pid=$(cat "$f")
    [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ]
}

node_ready() {
    sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'
}

# --- already up? -----------------------------------------------------------
if alive slurmctld && alive slurmd && node_ready; then
    say "already up (slurmctld pid $(cat "$STATE/slurmctld.pid"), slurmd pid $(cat "$STATE/slurmd.pid"))"
    sinfo
    exit 0
fi

# --- packages --------------------------------------------------------------
PATH=$PATH:/usr/sbin:/sbin
need_install=0
for cmd in slurmctld slurmd sbatch munged mungekey; do
    command -v "$cmd" >/dev/null 2>&1 || need_install=1
done
if [ "$need_install" -eq 1 ]; then
    command -v apt-get >/dev/null 2>&1 ||
        cannot "slurm-wlm and munge are not installed and there is no apt-get to install them"
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    pkgs=(slurm-wlm munge)
    if ! apt-get install -y --no-install-recommends "${pkgs[@]}" >/tmp/bz-slurm-apt.log 2>&1; then
        say "install failed; running apt-get update first"
        if ! { apt-get update && apt-get install -y --no-install-recommends "${pkgs[@]}"; } \
            >>/tmp/bz-slurm-apt.log 2>&1; then
            tail -5 /tmp/bz-slurm-apt.log >&2
            cannot "apt-get could not install ${pkgs[*]} (log: /tmp/bz-slurm-apt.log)"
        fi
    fi
    for cmd in slurmctld slurmd sbatch munged mungekey; do
        command -v "$cmd" >/dev/null 2>&1 || cannot "$cmd missing after installing ${pkgs[*]}"
    done
fi

# --- configuration ---------------------------------------------------------
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    cannot "$CONF exists and was not written by this script; not touching a real cluster"
fi
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd "$LOGDIR" /run/munge \
    /var/log/munge /var/lib/munge "$STATE" || cannot "cannot create the spool/state directories"
if [ ! -f /etc/munge/munge.key ]; then
    mungekey --create >/dev/null 2>&1 || cannot "mungekey --create failed"
fi
if id munge >/dev/null 2>&1; then
    chown munge:munge /etc/munge/munge.key /run/munge /var/log/munge /var/lib/munge
fi
chmod 400 /etc/munge/munge.key

host=$(hostname -s)
cpus=$(nproc)
# Slurm drains a node whose RealMemory exceeds what slurmd finds: claim 90%.
mem=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
new=$(mktemp)
cat >"$new" <<CONF
$MARK
# A one-node cluster for tests; see docs/cluster.md. Remove with slurm-down.sh.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
if ! cmp -s "$new" "$CONF"; then
    { mv "$new" "$CONF" && chmod 644 "$CONF"; } || cannot "cannot write $CONF"
    changed=1
else
    rm -f "$new"
    changed=0
fi

# --- daemons ---------------------------------------------------------------
# Daemons of an older configuration must restart to read the new one.
if [ "$changed" -eq 1 ] && { alive slurmctld || alive slurmd; }; then
    say "configuration changed: restarting the Slurm daemons"
    "$(dirname "$0")/slurm-down.sh" --slurm-only || true
fi

touch "$STATE/started"
started() { grep -qx "$1" "$STATE/started" || echo "$1" >>"$STATE/started"; }

if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    # As root munged needs --force, and a root-owned log directory.
    munged --force --pid-file="$STATE/munged.pid" --log-file="$LOGDIR/munged.log" || {
        tail -5 "$LOGDIR/munged.log" >&2 2>/dev/null
        exit 1
    }
    started munged
    say "munged started (pid $(cat "$STATE/munged.pid"))"
else
    say "munge already answers; using it"
fi

if ! alive slurmctld; then
    slurmctld || {
        tail -20 "$LOGDIR/slurmctld.log" >&2
        exit 1
    }
    started slurmctld
fi
if ! alive slurmd; then
    slurmd || {
        tail -20 "$LOGDIR/slurmd.log" >&2
        exit 1
    }
    started slurmd
fi

# --- wait for the node -----------------------------------------------------
for ((i = 0; i < TIMEOUT; i++)); do
    if node_ready; then
        say "up: slurmctld pid $(cat "$STATE/slurmctld.pid"), slurmd pid $(cat "$STATE/slurmd.pid")"
        sinfo
        exit 0
    fi
    # A node left DOWN/DRAINED by an earlier run comes back on request.
    if [ $((i % 5)) -eq 4 ]; then
        scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    fi
    sleep 1
done
say "the node did not become idle within ${TIMEOUT}s"
sinfo -N -l >&2 2>/dev/null
tail -10 "$LOGDIR/slurmctld.log" "$LOGDIR/slurmd.log" >&2 2>/dev/null
exit 1

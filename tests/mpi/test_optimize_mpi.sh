#!/usr/bin/env bash
# `mpirun -n 2/3 buzzsim optimize` and `calibrate` (the MPI build): every
# rank runs the search and the ranks split each evaluation's replicates
# (src/optimize/mpi.h); the /optimize datasets must equal the serial run's
# bit for bit, including a calibration's bootstrap (refits spread over the
# ranks) and a search resumed under mpirun from the journal of a serial
# search killed half-way. Bad input still exits 2 under mpirun, written once.
# Args: BUZZSIM SRC MPIEXEC SHIM. Runs as root through OMPI_ALLOW_RUN_AS_ROOT.
. "$(dirname "$0")/../cli/lib.sh"
MPIEXEC=${3:-mpirun}
SHIM=$4
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
cd "$TMP" || exit 1
flash_sale_base dbase.yaml
# 5 search replicates over 2 or 3 ranks: uneven ranges; 7 final ones.
cat >plan.yaml <<'YAML'
base: dbase.yaml
arm: sale
variables:
  - { key: arms.sale.0.discount, min: 0, max: 0.6 }
  - { key: arms.sale.0.stock, min: 200, max: 2000, integer: true }
budget: 1500
constraints: [ { outcome: unmet_demand, max: 800 } ]
search: { evaluations: 14, replicates: 5 }
final: { candidates: 2, replicates: 7 }
YAML
bass_calibration 3 5 # bootstrap 5 over 2 or 3 ranks: uneven too
# The datasets, without the attributes (seconds, command line differ).
dump() {
  for d in candidates final replicates fit observed; do
    h5dump -d /optimize/$d "$1" 2>/dev/null | tail -n +2
  done
}
"$BZ" optimize plan.yaml -o s.h5 -q >/dev/null 2>&1 || bad "serial optimize"
"$BZ" calibrate cal.yaml -o c.h5 -q >/dev/null 2>&1 || bad "serial calibrate"
[ "$(dump s.h5 | wc -l)" -gt 20 ] && ok "serial results dumped" || bad "nothing to compare"
for n in 2 3; do
  "$MPIEXEC" -n $n "$BZ" optimize plan.yaml -o m$n.h5 -q >log.m$n 2>&1
  st=$?
  [ $st -eq 0 ] && [ "$(dump m$n.h5)" = "$(dump s.h5)" ] && ok "optimize: mpirun -n $n == serial, bit for bit" ||
    bad "optimize mpirun -n $n: exit $st $(tail -2 log.m$n)"
  "$MPIEXEC" -n $n "$BZ" calibrate cal.yaml -o cm$n.h5 -q >log.c$n 2>&1
  st=$?
  [ $st -eq 0 ] && [ "$(dump cm$n.h5)" = "$(dump c.h5)" ] && ok "calibrate (bootstrap 5): mpirun -n $n == serial" ||
    bad "calibrate mpirun -n $n: exit $st $(tail -2 log.c$n)"
done
# Only rank 0 prints: one report.
"$MPIEXEC" -n 2 "$BZ" optimize plan.yaml -o one.h5 -q >one.out 2>&1
[ "$(grep -c '^Recommended: plan 1' one.out)" -eq 1 ] && ok "one report from 2 ranks" ||
  bad "report printed $(grep -c '^Recommended' one.out) times"

# Resume under mpirun the journal of a serial search killed two thirds of
# the way through its file-changing calls (tests/fault/bz_fault.c; MPI's
# own start-up makes some of them, so they are counted first).
if [ -n "$SHIM" ] && [ -f "$SHIM" ]; then
  BZ_FAULT_COUNT=n.txt LD_PRELOAD="$SHIM" "$BZ" optimize plan.yaml -o cnt.h5 -q >/dev/null 2>&1
  k=$(($(cat n.txt) * 2 / 3))
  BZ_FAULT_KILL_AT=$k LD_PRELOAD="$SHIM" "$BZ" optimize plan.yaml -o r.h5 -q >/dev/null 2>&1
  before=-1
  [ -f r.h5.journal ] && before=$(($(wc -l <r.h5.journal) - 1))
  [ "$before" -ge 1 ] && ok "a killed search left $before plans in its journal" || bad "no journal ($before)"
  "$MPIEXEC" -n 2 "$BZ" optimize plan.yaml -o r.h5 --resume >r.out 2>&1
  st=$?
  [ $st -eq 0 ] && [ "$(dump r.h5)" = "$(dump s.h5)" ] && [ ! -e r.h5.journal ] &&
    ok "--resume under mpirun -n 2 == the uninterrupted serial search" || bad "resume: exit $st $(tail -2 r.out)"
  grep -q ": $before plans from" r.out && ok "the journal's plans were not simulated again" ||
    bad "resume did not report the journal: $(head -3 r.out)"
fi

# Bad input and existing outputs: exit 2 under mpirun, said once.
sed 's/budget: 1500/budget: 0/' plan.yaml >bad.yaml
"$MPIEXEC" -n 2 "$BZ" optimize bad.yaml -o bad.h5 -q >bad.out 2>&1
st=$?
[ $st -eq 2 ] && [ "$(grep -c 'bad.yaml:.*budget' bad.out)" -eq 1 ] && [ ! -e bad.h5 ] &&
  ok "budget 0 under mpirun: exit 2, one message" || bad "budget 0: exit $st: $(cat bad.out)"
"$MPIEXEC" -n 2 "$BZ" optimize plan.yaml -o s.h5 -q >ex.out 2>&1
st=$?
[ $st -eq 2 ] && grep -q "s.h5" ex.out && ok "an existing output under mpirun: exit 2" ||
  bad "existing output: exit $st: $(cat ex.out)"
finish

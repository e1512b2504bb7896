#!/usr/bin/env bash
# `mpirun -n 2 buzzsim sweep` (the MPI build) gives the same /sweep datasets,
# bit for bit, as the serial sweep, and so do 3 shards merged.
# Args: BUZZSIM SRC MPIEXEC. Runs as root through OMPI_ALLOW_RUN_AS_ROOT.
. "$(dirname "$0")/../cli/lib.sh"
MPIEXEC=${3:-mpirun}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMP_NUM_THREADS=1
cd "$TMP" || exit 1
SW=$SRC/configs/sweep_demo.yaml
dump() { h5dump -d /sweep/params -d /sweep/outcomes -d /sweep/done "$1" | tail -n +2; }
"$BZ" sweep "$SW" -o serial.h5 -q 2>log.serial || bad "serial sweep: $(tail -1 log.serial)"
for n in 2 3; do
  "$MPIEXEC" -n $n "$BZ" sweep "$SW" -o mpi$n.h5 -q >log.mpi$n 2>&1
  st=$?
  if [ $st -eq 0 ] && [ "$(dump mpi$n.h5)" = "$(dump serial.h5)" ]; then
    ok "mpirun -n $n == serial, bit for bit"
  else
    bad "mpirun -n $n: exit $st $(tail -2 log.mpi$n)"
  fi
done
for i in 1 2 3; do "$BZ" sweep "$SW" -o part.h5 --shard $i/3 -q 2>/dev/null || bad "shard $i"; done
"$BZ" merge part.*-of-3.h5 -o merged.h5 >/dev/null 2>&1 || bad "merge"
[ "$(dump merged.h5)" = "$(dump serial.h5)" ] && ok "3 shards merged == serial" || bad "merged differs"
finish

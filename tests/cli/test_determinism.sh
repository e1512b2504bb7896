#!/usr/bin/env bash
# The same seed gives identical HDF5 datasets for 1 and 2 threads, both when
# replicates run in parallel (small population) and when agents do (large);
# a different seed gives different results.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
same() { h5diff -q "$1" "$2" /arms /arms && h5diff -q "$1" "$2" /comparison /comparison \
         && h5diff -q "$1" "$2" /network /network; }
for agents in 3000 30000; do
  AGENTS=$agents small_experiment e$agents.yaml
  OMP_NUM_THREADS=1 $BZ run e$agents.yaml -o t1_$agents.h5 --quiet || bad "run 1 thread"
  OMP_NUM_THREADS=2 $BZ run e$agents.yaml -o t2_$agents.h5 --quiet || bad "run 2 threads"
  $BZ run e$agents.yaml -o t3_$agents.h5 --quiet --threads 3 || bad "run 3 threads"
  same t1_$agents.h5 t2_$agents.h5 && ok "$agents agents: 1 and 2 threads identical" \
    || bad "$agents agents: 1 and 2 threads differ"
  same t1_$agents.h5 t3_$agents.h5 && ok "$agents agents: 1 and 3 threads identical" \
    || bad "$agents agents: 1 and 3 threads differ"
  $BZ run e$agents.yaml -o s2_$agents.h5 --quiet --seed 6 || bad "run seed 6"
  if h5diff -q t1_$agents.h5 s2_$agents.h5 /arms /arms >/dev/null; then
    bad "$agents agents: seeds 5 and 6 gave identical results"
  else
    ok "$agents agents: another seed gives other results"
  fi
done
finish

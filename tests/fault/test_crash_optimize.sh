#!/usr/bin/env bash
# Crash safety of `buzzsim optimize` (tests/fault/bz_fault.c, LD_PRELOAD):
# the search is killed before every file-changing call (journal appends,
# syncs, renames) and, separately, in the middle of every write; then
# `optimize --resume` must complete without --force, give the candidates
# and the final table of an uninterrupted search exactly, simulate no plan
# of the journal again, and leave no journal or temporary file behind.
. "$(dirname "$0")/../cli/lib.sh"
SHIM=$3
cd "$TMP"
cat >base.yaml <<'YAML'
seed: 3
time: { step: 12h, horizon: 8d }
replicates: 1
population: { agents: 300 }
network: { layers: [ { name: g, generator: { model: erdos_renyi, mean_degree: 4 } } ] }
diffusion: { model: bass, p: 0.01, q: 0.4 }
market: { price: 10 }
arms:
  baseline: []
  ads: [ { campaign: advertising, at: 1d, duration: 2d, reach: 0.2, cpm: 50 } ]
YAML
cat >plan.yaml <<'YAML'
base: base.yaml
arm: ads
variables:
  - { key: arms.ads.0.reach, min: 0.05, max: 2, scale: log }
  - { key: arms.ads.0.duration, values: [1d, 2d, 4d] }
search: { evaluations: 8, replicates: 1 }
final: { candidates: 1, replicates: 2 }
YAML
fault() { env LD_PRELOAD="$SHIM" "$@"; }
dump() { "$BZ" export "$1" /optimize/candidates && "$BZ" export "$1" /optimize/final; }

"$BZ" optimize plan.yaml -o ref.h5 -q >/dev/null || { bad "reference search"; finish; exit 1; }
dump ref.h5 >ref.txt || bad "reference export"
BZ_FAULT_COUNT=n.txt fault "$BZ" optimize plan.yaml -o count.h5 -q >/dev/null
N=$(cat n.txt)
[ "$N" -ge 8 ] && ok "a search of 8 plans makes $N file-changing calls" || bad "only '$N' calls counted"

for mode in kill tear; do
  fails=0
  for k in $(seq 1 "$N"); do
    rm -rf out.h5 out.h5.* out.plan.yaml out.plan.yaml.*
    if [ $mode = kill ]; then
      BZ_FAULT_KILL_AT=$k fault "$BZ" optimize plan.yaml -o out.h5 -q >/dev/null 2>&1
    else
      BZ_FAULT_KILL_AT=$k BZ_FAULT_TEAR=1 fault "$BZ" optimize plan.yaml -o out.h5 -q >/dev/null 2>&1
    fi
    before=0
    [ -f out.h5.journal ] && before=$(($(wc -l <out.h5.journal) - 1))
    if ! "$BZ" optimize plan.yaml -o out.h5 --resume >r.out 2>r.err; then
      bad "$mode at call $k: --resume failed: $(tail -1 r.err)"; fails=$((fails + 1)); continue
    fi
    if ! dump out.h5 >out.txt 2>/dev/null || ! cmp -s ref.txt out.txt; then
      bad "$mode at call $k: the resumed search differs from the uninterrupted one"; fails=$((fails + 1))
    fi
    # Every plan of the journal answered from it, none simulated again.
    # (Killed after OUT was written: the resume only removes the journal.)
    if [ "$before" -gt 0 ] && ! grep -q ": $before plans from\|is complete: nothing to resume" r.err; then
      bad "$mode at call $k: $before plans in the journal, resume said: $(head -1 r.err)"
      fails=$((fails + 1))
    fi
    left=$(ls out.h5.* out.plan.yaml.* 2>/dev/null)
    [ -z "$left" ] || { bad "$mode at call $k: leftovers: $left"; fails=$((fails + 1)); }
  done
  [ $fails -eq 0 ] && ok "$mode at each of $N calls: --resume completes, same result, nothing run twice, no leftovers"
done
finish

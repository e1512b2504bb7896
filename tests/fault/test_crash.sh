#!/usr/bin/env bash
# Crash safety, by fault injection (tests/fault/bz_fault.c, LD_PRELOAD): the
# process is killed before every file-changing call (write, fsync, rename,
# unlink, ...) and, separately, in the middle of every write, of
#   1. a small sweep from scratch,
#   2. a resume of a half-done sweep,
#   3. the documented `merge --partial` then `sweep --resume` path,
#   4. a merge, and 5. a run;
# and the disk is made to fill up at every such call of a sweep and a run.
# Asserted every time: `--resume` completes without --force, its outcomes and
# series equal an uninterrupted sweep's bit for bit (exported with shortest
# round-trip numbers), no finished point is run twice, no leftover files
# remain; a killed merge or run leaves either no file or a complete one; a
# full disk exits 1 with one line and never a crash.
. "$(dirname "$0")/../cli/lib.sh"
SHIM=$3
cd "$TMP"

cat >base.yaml <<'YAML'
name: tiny
seed: 3
time: { step: 12h, horizon: 8d }
replicates: 2
population: { agents: 300 }
network: { layers: [ { name: g, generator: { model: erdos_renyi, mean_degree: 4 } } ] }
diffusion: { model: bass, p: 0.01, q: 0.4 }
arms:
  baseline: []
  ads: [ { campaign: advertising, at: 1d, duration: 2d, reach: 0.2 } ]
YAML
cat >sw.yaml <<'YAML'
name: crash
base: base.yaml
axes: [ { key: diffusion.q, values: [0.1, 0.2, 0.4, 0.8] } ]
keep_series: true
outcomes: [final_adopters, peak_time]
YAML

# A sweep file's content: outcomes of every point and replicate, and series.
dump() {
  "$BZ" export "$1" /sweep && "$BZ" export "$1" /sweep/series/baseline &&
    "$BZ" export "$1" /sweep/series/ads
}
# Points a run reported done ("point P done"), one per line.
points() { grep -ho '^point [0-9]* done' "$@" 2>/dev/null | awk '{print $2}'; }
# The shim around buzzsim.
fault() { env LD_PRELOAD="$SHIM" "$@"; }

"$BZ" sweep sw.yaml -o ref.h5 -q || { bad "reference sweep"; finish; exit 1; }
dump ref.h5 >ref.txt || bad "reference export"
BZ_FAULT_COUNT=n.txt fault "$BZ" sweep sw.yaml -o count.h5 -q
N=$(cat n.txt)
[ "$N" -ge 10 ] && ok "a sweep of 4 points makes $N file-changing calls" || bad "only '$N' calls counted"

# check_resumed LABEL ERRFILES...: resume out.h5, then compare and look for
# points run twice and for leftovers.
check_resumed() {
  local label=$1; shift
  if ! "$BZ" sweep sw.yaml -o out.h5 --resume >/dev/null 2>r.err; then
    bad "$label: --resume failed: $(tail -1 r.err)"
    return
  fi
  if ! dump out.h5 >out.txt 2>/dev/null || ! cmp -s out.txt ref.txt; then
    bad "$label: resumed outcomes differ from the uninterrupted sweep"
    return
  fi
  local twice
  twice=$(points "$@" r.err | sort | uniq -d | tr '\n' ' ')
  if [ -n "$twice" ]; then
    bad "$label: points run twice: $twice"
    return
  fi
  if ls out.h5.* >/dev/null 2>&1; then
    bad "$label: leftovers $(ls out.h5.*)"
    return
  fi
  return 0
}

# 1. A sweep from scratch, killed before every call and inside every write.
fails=$FAIL
for tear in 0 1; do
  for k in $(seq 1 "$N"); do
    rm -f out.h5*
    BZ_FAULT_KILL_AT=$k BZ_FAULT_TEAR=$tear fault "$BZ" sweep sw.yaml -o out.h5 >/dev/null 2>k.err
    st=$?
    [ $st -eq 137 ] || { bad "sweep kill $k tear $tear: exit $st, expected 137"; continue; }
    check_resumed "sweep kill $k tear $tear" k.err
  done
done
[ $FAIL -eq $fails ] && ok "sweep killed at each of $N calls (and torn at each write): resume always completes, bit-identical, no point twice"

# 2. A resume killed at every call, from three half-done states.
fails=$FAIL
states=0
for k1 in $((N / 3)) $((N / 2)) $((2 * N / 3)); do
  rm -rf state probe && mkdir state
  (cd state && BZ_FAULT_KILL_AT=$k1 fault "$BZ" sweep ../sw.yaml -o out.h5 >/dev/null 2>../k1.err)
  cp -r state probe
  (cd probe && BZ_FAULT_COUNT=m.txt fault "$BZ" sweep ../sw.yaml -o out.h5 --resume >/dev/null 2>&1)
  M=$(cat probe/m.txt)
  for tear in 0 1; do
    for k2 in $(seq 1 "$M"); do
      rm -f out.h5* && cp state/out.h5* . 2>/dev/null
      BZ_FAULT_KILL_AT=$k2 BZ_FAULT_TEAR=$tear fault "$BZ" sweep sw.yaml -o out.h5 --resume \
        >/dev/null 2>k2.err
      st=$?
      [ $st -eq 137 ] || { bad "resume after $k1, kill $k2: exit $st"; continue; }
      check_resumed "resume after kill $k1, killed at $k2 tear $tear" k1.err k2.err
      states=$((states + 1))
    done
  done
done
[ $FAIL -eq $fails ] && ok "resumes killed at every call ($states cases): the next resume completes, bit-identical, no point twice"

# 3. merge --partial, then sweep --resume killed at every call.
fails=$FAIL
rm -f part.*
"$BZ" sweep sw.yaml --shard 1/2 -o part.h5 >/dev/null 2>s1.err || bad "shard 1/2"
BZ_FAULT_KILL_AT=$((N / 2)) fault "$BZ" sweep sw.yaml --shard 2/2 -o part.h5 >/dev/null 2>s2.err
"$BZ" merge --partial part.1-of-2.h5 part.2-of-2.h5.partial -o merged.h5 -q ||
  bad "merge --partial of a killed shard"
rm -f probe.h5* && cp merged.h5 probe.h5
BZ_FAULT_COUNT=m.txt fault "$BZ" sweep sw.yaml -o probe.h5 --resume >/dev/null 2>&1
M=$(cat m.txt)
for tear in 0 1; do
  for k in $(seq 1 "$M"); do
    rm -f out.h5* && cp merged.h5 out.h5
    BZ_FAULT_KILL_AT=$k BZ_FAULT_TEAR=$tear fault "$BZ" sweep sw.yaml -o out.h5 --resume \
      >/dev/null 2>k.err
    [ $? -eq 137 ] || { bad "merged resume kill $k: not killed"; continue; }
    check_resumed "merge --partial, resume killed at $k tear $tear" s1.err s2.err k.err
  done
done
[ $FAIL -eq $fails ] && ok "merge --partial then resume killed at each of $M calls: completes, bit-identical, no point twice"

# 4. A merge killed at every call: no file, or the complete merged file.
fails=$FAIL
"$BZ" merge part.1-of-2.h5 part.2-of-2.h5.partial --partial -o mref.h5 -q && dump mref.h5 >mref.txt
BZ_FAULT_COUNT=m.txt fault "$BZ" merge part.1-of-2.h5 part.2-of-2.h5.partial --partial -o mc.h5 -q
M=$(cat m.txt)
for k in $(seq 1 "$M"); do
  rm -f m.h5*
  BZ_FAULT_KILL_AT=$k fault "$BZ" merge part.1-of-2.h5 part.2-of-2.h5.partial --partial -o m.h5 -q 2>/dev/null
  if [ -e m.h5 ] && ! { dump m.h5 >m.txt 2>/dev/null && cmp -s m.txt mref.txt; }; then
    bad "merge killed at $k left an incomplete m.h5"
  fi
  "$BZ" merge part.1-of-2.h5 part.2-of-2.h5.partial --partial -o m.h5 -q 2>/dev/null ||
    [ -e m.h5 ] || bad "merge after a kill at $k: cannot write m.h5"
done
[ $FAIL -eq $fails ] && ok "merge killed at each of $M calls: m.h5 absent or complete, and a rerun needs no --force when absent"

# 5. A run killed at every call: no file, or the complete one.
fails=$FAIL
"$BZ" run base.yaml -o rref.h5 -q && "$BZ" export rref.h5 /arms/ads/outcomes >rref.txt
BZ_FAULT_COUNT=m.txt fault "$BZ" run base.yaml -o rc.h5 -q
M=$(cat m.txt)
for tear in 0 1; do
  for k in $(seq 1 "$M"); do
    rm -f r.h5*
    BZ_FAULT_KILL_AT=$k BZ_FAULT_TEAR=$tear fault "$BZ" run base.yaml -o r.h5 -q 2>/dev/null
    if [ -e r.h5 ]; then
      "$BZ" export r.h5 /arms/ads/outcomes >r.txt 2>/dev/null && cmp -s r.txt rref.txt ||
        bad "run killed at $k left an r.h5 that is not the complete result"
    else
      "$BZ" run base.yaml -o r.h5 -q 2>/dev/null || bad "rerun after a kill at $k needs --force"
    fi
  done
done
[ $FAIL -eq $fails ] && ok "run killed at each of $M calls: r.h5 absent or complete; a rerun needs no --force"

# 6. A full disk at every call: exit 1, one line, no crash; the previous
# result survives; a resume completes once there is room again.
fails=$FAIL
"$BZ" run base.yaml -o keep.h5 -q && cp keep.h5 keep.orig
for k in $(seq 1 "$N"); do
  rm -f out.h5*
  BZ_FAULT_ENOSPC_AT=$k fault "$BZ" sweep sw.yaml -o out.h5 >/dev/null 2>e.err
  st=$?
  if [ $st -eq 0 ]; then # only calls that cannot fail with ENOSPC were left
    dump out.h5 >out.txt && cmp -s out.txt ref.txt || bad "sweep, disk full at $k: exit 0 but not complete"
    continue
  fi
  if [ $st -ne 1 ] || ! tail -1 e.err | grep -q "no space left on device writing '"; then
    bad "sweep, disk full at $k: exit $st, $(tail -1 e.err)"
    continue
  fi
  check_resumed "sweep, disk full at $k" e.err
done
BZ_FAULT_COUNT=m.txt fault "$BZ" run base.yaml -o rc2.h5 -q
M=$(cat m.txt)
for k in $(seq 1 "$M"); do
  cp keep.orig keep.h5
  BZ_FAULT_ENOSPC_AT=$k fault "$BZ" run base.yaml -o keep.h5 --force -q 2>e.err
  st=$?
  lines=$(wc -l <e.err)
  if [ $st -eq 0 ]; then # the new keep.h5 was in place before the failing calls
    "$BZ" info keep.h5 >/dev/null || bad "run, disk full at $k: exit 0 but keep.h5 unreadable"
  elif [ $st -ne 1 ] || [ "$lines" -ne 1 ] || ! grep -q "no space left on device writing 'keep.h5'" e.err; then
    bad "run, disk full at $k: exit $st, $lines lines: $(head -2 e.err)"
  elif ! cmp -s keep.h5 keep.orig || ls keep.h5.* >/dev/null 2>&1; then
    bad "run, disk full at $k: the previous keep.h5 was damaged or a partial file was left"
  fi
done
[ $FAIL -eq $fails ] && ok "disk full at each call of a sweep ($N) and a run ($M): exit 1 with one line, previous result kept, resume completes"

# 7. A real full disk: a 64 KiB tmpfs (root only, as in CI).
if mkdir -p full && mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
  head -c 40000 /dev/zero >full/filler
  expect_fail "run on a full tmpfs" 1 "no space left on device writing 'full/r.h5'" \
    "$BZ" run base.yaml -o full/r.h5 -q
  expect_fail "sweep on a full tmpfs" 1 "no space left on device writing 'full/s.h5" \
    "$BZ" sweep sw.yaml -o full/s.h5 -q
  if [ -e full/r.h5 ] || [ -e full/r.h5.partial ] || [ -e full/s.h5 ]; then
    bad "a full tmpfs holds a file that looks complete: $(ls full | tr '\n' ' ')"
  else
    rm full/filler
    "$BZ" sweep sw.yaml -o full/s.h5 --resume -q && dump full/s.h5 >out.txt && cmp -s out.txt ref.txt &&
      ok "full tmpfs: no file looks complete; with room again --resume completes" ||
      bad "full tmpfs: resume after freeing space failed"
  fi
  umount full
else
  echo "skip real tmpfs: cannot mount one here (not root)"
fi

finish

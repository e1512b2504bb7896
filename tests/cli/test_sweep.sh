# buzzsim sweep / merge: serial run, 3 shards merged equal to it, Slurm array
# variables, merge refusals, SIGKILL + --resume, SIGINT, bad axes.
# Usage: test_sweep.sh BUZZSIM SRCDIR
. "$(dirname "$0")/lib.sh"
cd "$TMP" || exit 1
export BUZZSIM_NO_MEMORY_CHECK=1

AGENTS=800 small_experiment base.yaml
# 6 points: q x p; three arms (baseline, ads, kol) -> columns arm.outcome.
cat >sweep.yaml <<'YAML'
name: t
base: base.yaml
axes:
  - { key: diffusion.q, values: [0.2, 0.5, 0.9] }
  - { key: diffusion.p, range: [0.005, 0.02], scale: log, levels: 2 }
replicates: 2
seed: 11
outcomes: [final_adopters, peak_time]
YAML

# The datasets that must be bit-identical, without the file name line.
dump() { h5dump -d /sweep/params -d /sweep/outcomes -d /sweep/done "$1" | tail -n +2; }

# ---- serial run
"$BZ" sweep sweep.yaml -o full.h5 -q 2>log.full
st=$?
if [ $st -eq 0 ] && [ -f full.h5 ] && [ ! -f full.h5.partial ]; then ok "serial sweep"; else bad "serial sweep: exit $st $(head -3 log.full)"; fi
rows=$("$BZ" export full.h5 /sweep | grep -vc '^#')
[ "$rows" -eq 12 ] && ok "export: 6 points x 2 replicates rows" || bad "export gave $rows rows, expected 12"
hdr=$("$BZ" export full.h5 /sweep | head -1)
case "$hdr" in
  "# point	diffusion.q	diffusion.p	replicate	baseline.final_adopters	baseline.peak_time"*) ok "export header" ;;
  *) bad "export header: $hdr" ;;
esac
"$BZ" info full.h5 | grep -q "6 of 6 points done, complete" && ok "info: complete" || bad "info: $("$BZ" info full.h5 2>&1 | head -12)"

# Same outcomes with one thread (the engine is deterministic; so is the sweep).
"$BZ" sweep sweep.yaml -o t1.h5 --threads 1 -q 2>/dev/null
[ "$(dump t1.h5)" = "$(dump full.h5)" ] && ok "1 thread == 2 threads" || bad "thread count changes the outcomes"

# ---- existing output is kept without --force
expect_fail "refuses to overwrite" 2 "full.h5' exists" "$BZ" sweep sweep.yaml -o full.h5 -q

# ---- 3 shards merged == serial
for i in 1 2 3; do "$BZ" sweep sweep.yaml -o part.h5 --shard $i/3 -q 2>/dev/null || bad "shard $i/3"; done
[ -f part.1-of-3.h5 ] && [ -f part.3-of-3.h5 ] && ok "shard files named part.I-of-3.h5" || bad "shard files: $(ls)"
"$BZ" merge part.1-of-3.h5 part.2-of-3.h5 part.3-of-3.h5 -o merged.h5 -q
[ "$(dump merged.h5)" = "$(dump full.h5)" ] && ok "3 shards merged == serial (h5dump)" || bad "merged differs from serial"
"$BZ" info merged.h5 | grep -q "6 of 6 points done, complete" && ok "merged file complete" || bad "merged info"

# Slurm array variables (array 1-3: TASK_MIN=1) give the same shard file.
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_COUNT=3 \
  "$BZ" sweep sweep.yaml -o slurm.h5 -q 2>/dev/null
[ -f slurm.2-of-3.h5 ] && [ "$(dump slurm.2-of-3.h5)" = "$(dump part.2-of-3.h5)" ] &&
  ok "SLURM_ARRAY_TASK_ID/MIN/COUNT == --shard 2/3" || bad "slurm shard: $(ls slurm* 2>&1)"

# ---- merge refusals
sed 's/^seed: 11/seed: 12/' sweep.yaml >other.yaml
"$BZ" sweep other.yaml -o other.h5 --shard 1/3 -q 2>/dev/null
expect_fail "merge refuses another sweep" 2 "another sweep" \
  "$BZ" merge part.2-of-3.h5 part.3-of-3.h5 other.1-of-3.h5 -o bad.h5
expect_fail "merge refuses missing points" 2 "points are in none of the files" \
  "$BZ" merge part.1-of-3.h5 part.2-of-3.h5 -o bad.h5
"$BZ" merge part.1-of-3.h5 part.2-of-3.h5 -o half.h5 --partial -q &&
  "$BZ" info half.h5 | grep -q "4 of 6 points done, incomplete" && ok "merge --partial" || bad "merge --partial"
[ ! -e bad.h5 ] && ok "refused merges wrote nothing" || bad "bad.h5 exists"

# ---- SIGKILL mid-way, then --resume: same outcomes, no finished point rerun.
# Slow points: more agents and steps.
AGENTS=100000 small_experiment slowbase.yaml
sed -i 's/horizon: 10d/horizon: 40d/' slowbase.yaml
sed 's/base.yaml/slowbase.yaml/' sweep.yaml >slow.yaml
"$BZ" sweep slow.yaml -o ref.h5 -q 2>/dev/null || bad "slow reference run"
"$BZ" sweep slow.yaml -o killed.h5 2>log.killed &
pid=$!
for _ in $(seq 1 300); do
  [ "$(grep -c '^point .* done' log.killed)" -ge 2 ] && break
  sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
before=$(grep -c '^point .* done' log.killed)
if [ -f killed.h5.partial ] && [ ! -f killed.h5 ] && [ "$before" -ge 2 ] && [ "$before" -lt 6 ]; then
  ok "killed after $before points: partial file left"
else
  bad "kill: before=$before files: $(ls killed* 2>&1)"
fi
stored=$("$BZ" info killed.h5.partial | sed -n 's/^progress *\([0-9]*\) of 6.*/\1/p')
[ -n "$stored" ] && [ "$stored" -ge "$before" ] && ok "partial file holds $stored finished points" ||
  bad "partial file unreadable: $("$BZ" info killed.h5.partial 2>&1 | head -3)"
"$BZ" sweep slow.yaml -o killed.h5 --resume 2>log.resumed >/dev/null
st=$?
after=$(grep -c '^point .* done' log.resumed)
[ $st -eq 0 ] && [ -f killed.h5 ] && [ ! -f killed.h5.partial ] && ok "resume finished" || bad "resume: exit $st $(tail -2 log.resumed)"
[ $((after + stored)) -eq 6 ] && ok "resume ran only the $after missing points" ||
  bad "resume ran $after points, $stored were stored"
rerun=$(grep -ho '^point [0-9]*' log.killed log.resumed | sort | uniq -d)
[ -z "$rerun" ] && ok "no finished point rerun" || bad "rerun: $rerun"
[ "$(dump killed.h5)" = "$(dump ref.h5)" ] && ok "killed + resumed == uninterrupted" || bad "resumed outcomes differ"
"$BZ" sweep slow.yaml -o killed.h5 --resume >out.again 2>&1
grep -q "already done" out.again && ok "resume of a complete file does nothing" || bad "resume again: $(cat out.again)"

# ---- SIGINT: finish the point in flight, leave a resumable file, exit 130.
"$BZ" sweep slow.yaml -o int.h5 2>log.int &
pid=$!
for _ in $(seq 1 300); do
  [ "$(grep -c '^point .* done' log.int)" -ge 1 ] && break
  sleep 0.1
done
kill -INT $pid
wait $pid
st=$?
if [ $st -eq 130 ] && grep -q "interrupted by SIGINT.*resumable" log.int && [ -f int.h5.partial ]; then
  ok "SIGINT: exit 130, resumable"
else
  bad "SIGINT: exit $st, $(tail -1 log.int)"
fi
# A second signal drops the point in flight at once (SIGTERM: exit 143).
# Much slower points (about 5 s each), so that the point in flight is still
# running when the second signal comes, even in an optimised build.
AGENTS=1000000 small_experiment slowerbase.yaml
sed -i 's/horizon: 10d/horizon: 200d/' slowerbase.yaml
sed 's/base.yaml/slowerbase.yaml/' sweep.yaml >slower.yaml
"$BZ" sweep slower.yaml -o term.h5 2>log.term &
pid=$!
for _ in $(seq 1 300); do
  [ "$(grep -c '^point .* done' log.term)" -ge 1 ] && break
  sleep 0.1
done
kill -TERM $pid
sleep 0.2
kill -TERM $pid
wait $pid
st=$?
if [ $st -eq 143 ] && grep -q "interrupted twice: dropped the point in flight" log.term; then
  ok "second SIGTERM: exit 143 at once"
else
  bad "second SIGTERM: exit $st, $(tail -1 log.term)"
fi
# The file it left is a valid, resumable checkpoint (kill -9 + resume above
# checks that resuming reproduces an uninterrupted run).
"$BZ" info term.h5.partial >info.term 2>&1 && grep -qi "incomplete\|resumable\|done" info.term &&
  ok "after SIGTERM twice the checkpoint reads back" || bad "after SIGTERM: $(head -3 info.term)"
expect_fail "partial file needs --resume or --force" 2 "interrupted sweep: use --resume" \
  "$BZ" sweep slow.yaml -o int.h5 -q

# ---- plots: a sweep file gets the sweep figures (heatmap over the two
# varying axes, outcomes against the first) and none of the arm figures.
if "$BZ" plot full.h5 --outdir figs >plot.out 2>plot.err && [ -s figs/sweep_heatmap.png ] &&
  [ -s figs/sweep_axis.png ] && [ ! -e figs/adoption.png ] && [ ! -s plot.err ]; then
  ok "plot: sweep_heatmap and sweep_axis, nothing on stderr"
else
  bad "plot: $(head -3 plot.err) $(ls figs 2>&1)"
fi

# ---- bad sweep files exit 2 with FILE:LINE:COL: key: ...
bad_axis() { # NAME PATTERN AXIS-LINE [EXTRA-LINE]
  printf 'base: base.yaml\naxes:\n  - %s\n%s\n' "$3" "${4:-}" >bad.yaml
  expect_fail "$1" 2 "$2" "$BZ" sweep bad.yaml -o never.h5
}
bad_axis "unknown axis key" "^buzzsim: bad.yaml:3:5: diffusion.qq: unknown key" "{ key: diffusion.qq, values: [1] }"
bad_axis "empty range" "^buzzsim: bad.yaml:3:[0-9]+: diffusion.q: empty range" "{ key: diffusion.q, range: [2, 1], levels: 2 }"
bad_axis "empty list" "^buzzsim: bad.yaml:3:[0-9]+: diffusion.q: expected a non-empty list" "{ key: diffusion.q, values: [] }"
bad_axis "value out of bounds" "^buzzsim: bad.yaml:3:5: diffusion.response: expected a probability.*'1.5'.*point 1" \
  "{ key: diffusion.response, values: [0.5, 1.5] }"
bad_axis "log range at 0" "^buzzsim: bad.yaml:3:[0-9]+: diffusion.q: a log range needs low > 0" \
  "{ key: diffusion.q, range: [0, 1], scale: log, levels: 3 }"
bad_axis "unknown top-level key" "^buzzsim: bad.yaml:4:1: replicate: unknown key" \
  "{ key: diffusion.q, values: [1] }" "replicate: 3"
bad_axis "unknown axis field" "^buzzsim: bad.yaml:3:40: axes.0.level: unknown key" \
  "{ key: diffusion.q, range: [1, 2], level: 3 }"
bad_axis "distribution on a grid" "^buzzsim: bad.yaml:3:[0-9]+: diffusion.q: a distribution needs" \
  "{ key: diffusion.q, dist: uniform, params: [0, 1] }"
[ ! -e never.h5 ] && [ ! -e never.h5.partial ] && ok "bad sweeps wrote nothing" || bad "never.h5 written"
expect_fail "bad --shard" 2 "--shard: expected I/N" "$BZ" sweep sweep.yaml --shard 0/3 -o x.h5

finish

#!/usr/bin/env bash
# Output paths and checkpoints from the command line: only regular files are
# ever replaced, names cannot escape the results directory, -o creates its
# directories, contradictory or repeated options are refused, a stale partial
# file never blocks a rerun, and a sweep's journal is honoured and checked.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
AGENTS=300 small_experiment good.yaml
sed -i 's/replicates: 3/replicates: 2/' good.yaml
cat >sw.yaml <<'YAML'
name: outs
base: good.yaml
axes: [ { key: diffusion.q, values: [0.2, 0.4, 0.6] } ]
YAML

# Only regular files are replaced, even with --force.
expect_fail "--force onto a device" 2 "'/dev/null' is not a regular file" \
  "$BZ" run good.yaml -o /dev/null --force -q
[ -c /dev/null ] && ok "/dev/null is still a character device" || bad "/dev/null was replaced"
mkfifo fifo
expect_fail "--force onto a FIFO" 2 "'fifo' is not a regular file" "$BZ" run good.yaml -o fifo --force -q
[ -p fifo ] && ok "the FIFO is still a FIFO" || bad "the FIFO was replaced"
mkdir adir
expect_fail "-o a directory" 2 "'adir' is a directory" "$BZ" run good.yaml -o adir --force -q
expect_fail "sweep --force onto a device" 2 "'/dev/null' is not a regular file" \
  "$BZ" sweep sw.yaml -o /dev/null --force -q
"$BZ" sweep sw.yaml --shard 1/2 -o p.h5 -q && "$BZ" sweep sw.yaml --shard 2/2 -o p.h5 -q
expect_fail "merge --force onto a device" 2 "'/dev/null' is not a regular file" \
  "$BZ" merge p.1-of-2.h5 p.2-of-2.h5 -o /dev/null --force -q

# Names are names: no path escapes through the default output results/NAME.h5.
mkdir -p deep/down && cp good.yaml sw.yaml deep/down/
(
  cd deep/down
  sed 's/^name: small/name: ..\/..\/evil/' good.yaml >evil.yaml
  expect_fail "name ../../evil" 2 "evil.yaml:1:7: name: expected a name .*'/'" "$BZ" run evil.yaml -q
  printf 'name: "a\\tb"\n' >ctl.yaml && sed 1d good.yaml >>ctl.yaml
  expect_fail "name with a tab" 2 "ctl.yaml:1:7: name: expected a name .*control" "$BZ" validate ctl.yaml
  sed 's/^name: outs/name: ..\/x/' sw.yaml >evil_sw.yaml
  expect_fail "sweep name ../x" 2 "evil_sw.yaml:1:7: name: expected a name" "$BZ" sweep evil_sw.yaml -q
  sed 's/^name: small/name: ../' good.yaml >dots.yaml
  expect_fail "name .." 2 "dots.yaml:1:7: name: .*'\.' and '\.\.'" "$BZ" run dots.yaml -q
  exit $FAIL
) || FAIL=$((FAIL + $?))
[ ! -e evil.h5 ] && [ ! -e results/evil.h5 ] && [ ! -e deep/evil.h5 ] && ok "nothing written outside" ||
  bad "a bad name wrote outside its results directory"

# -o creates the directories it needs.
"$BZ" run good.yaml -o new/nested/dir/r.h5 -q && [ -s new/nested/dir/r.h5 ] &&
  ok "run -o creates missing directories" || bad "run -o new/nested/dir/r.h5"
"$BZ" sweep sw.yaml -o snew/a/s.h5 -q && [ -s snew/a/s.h5 ] && ! ls snew/a/s.h5.* >/dev/null 2>&1 &&
  ok "sweep -o creates missing directories and leaves no journal" || bad "sweep -o snew/a/s.h5"
"$BZ" merge p.1-of-2.h5 p.2-of-2.h5 -o mnew/b/m.h5 -q && [ -s mnew/b/m.h5 ] &&
  ok "merge -o creates missing directories" || bad "merge -o mnew/b/m.h5"

# Repeated and contradictory options.
expect_fail "run -o twice" 2 "-o given twice \('a.h5' and 'b.h5'\)" "$BZ" run good.yaml -o a.h5 -o b.h5
expect_fail "sweep -o twice" 2 "-o given twice" "$BZ" sweep sw.yaml -o a.h5 --output=b.h5
expect_fail "merge -o twice" 2 "-o given twice" "$BZ" merge p.1-of-2.h5 -o a.h5 -o b.h5
expect_fail "--quiet --progress" 2 "--quiet and --progress contradict" "$BZ" run good.yaml -q --progress
[ ! -e a.h5 ] && [ ! -e b.h5 ] && ok "refused options wrote nothing" || bad "a refused command wrote a file"

# A stale partial file (a killed run) is not a result: a rerun needs no --force.
echo "garbage from a killed run" >stale.h5.partial
"$BZ" run good.yaml -o stale.h5 -q && "$BZ" info stale.h5 >/dev/null && [ ! -e stale.h5.partial ] &&
  ok "a stale .partial does not block a rerun and is replaced" || bad "stale .partial"

# Sweep journals.
"$BZ" sweep sw.yaml -o ref.h5 -q && "$BZ" export ref.h5 /sweep >ref.tsv
printf 'BZSWJNL1 but nothing else of a journal, long enough to pass for a header at a first glance...\n' >j.h5.journal
expect_fail "sweep with a journal, no --resume" 2 "'j.h5.journal' holds an interrupted sweep: use --resume" \
  "$BZ" sweep sw.yaml -o j.h5 -q
expect_fail "resume from a foreign journal" 2 "j.h5.journal: not a buzzsim sweep journal" \
  "$BZ" sweep sw.yaml -o j.h5 --resume -q
"$BZ" sweep sw.yaml -o j.h5 --force -q && "$BZ" export j.h5 /sweep | cmp -s - ref.tsv &&
  [ ! -e j.h5.journal ] && ok "--force starts over, equal to the reference, journal gone" ||
  bad "sweep --force over a foreign journal"
# Another sweep stopped by SIGTERM once it has started (its 200 points take
# seconds; the first signal lets the point in flight finish, then stops).
sed 's/values: \[0.2, 0.4, 0.6\]/range: [0.1, 0.9], levels: 200/' sw.yaml >other.yaml
"$BZ" sweep other.yaml -o o.h5 2>o.err &
pid=$!
i=0
while ! grep -q 'to run' o.err 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $pid
wait $pid
st=$?
[ $st -eq 143 ] && ok "SIGTERM stops a sweep with exit 143: $(tail -1 o.err)" || bad "SIGTERM: exit $st"
if [ -e o.h5.journal ]; then
  expect_fail "resume another sweep's journal" 2 "o.h5.(partial|journal): (written by|journal of) another sweep" \
    "$BZ" sweep sw.yaml -o o.h5 --resume -q
  "$BZ" info o.h5.partial >info.txt && grep -q "recorded in the journal" info.txt &&
    ok "info on a killed sweep's snapshot counts the journal: $(grep progress info.txt)" ||
    bad "info does not read the journal: $(grep progress info.txt)"
  "$BZ" sweep other.yaml -o o.h5 --resume -q && [ ! -e o.h5.journal ] && [ ! -e o.h5.partial ] &&
    ok "the killed sweep resumes and cleans up" || bad "resume of the killed sweep"
else
  bad "the sweep killed after its first point left no journal"
fi
expect_fail "--resume with --force" 2 "--resume and --force contradict" \
  "$BZ" sweep sw.yaml -o x.h5 --resume --force

finish

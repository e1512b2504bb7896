#!/usr/bin/env bash
# Bad input, part 2 (issue 14): inputs that are not regular files, limits on
# what is read, quoting of binary text, numbers out of a double's range,
# memory limits, thread counts and outputs that cannot be written. Each
# failure exits with the right status (2 bad input, 1 runtime failure),
# prints one line naming the key or file, and leaves no output behind.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
small_experiment good.yaml
FORGE=$(dirname "$BZ")/tests/bz_h5_forge
ROOT=0
[ "$(id -u)" -eq 0 ] && ROOT=1
# An ASan build (make test-asan) reserves terabytes of shadow address space:
# no ulimit -v for it, and no valgrind.
ASAN=0
grep -q __asan_init "$BZ" && ASAN=1

# no_output NAME PATH...: none of the paths exists (files a failure must not leave).
no_output() {
  local name=$1 left=""; shift
  for p in "$@"; do [ -e "$p" ] && left="$left $p"; done
  [ -z "$left" ] && ok "$name: no output left" || bad "$name: left behind:$left"
}
# empty_dir NAME DIR [KEEP]: DIR holds nothing but KEEP.
empty_dir() {
  local left
  left=$(ls -A "$2" | grep -vx "${3:-}" | tr '\n' ' ')
  [ -z "$left" ] && ok "$1: nothing written in $2" || bad "$1: left in $2: $left"
}
# An experiment whose one layer is the edge list $2 (extra generator keys $3).
edges_experiment() {
  cat >"$1" <<YAML
name: edges
time: { step: 1d, horizon: 5d }
network: { layers: [ { name: g, generator: { model: edge_list, path: "$2"${3:+, $3} } } ] }
diffusion: { model: sir }
YAML
}
# tmpfs_at DIR OPTIONS: a small tmpfs mounted at DIR (0), or 1 after
# printing why not (only allowed when not root).
MOUNTS=()
cleanup_mounts() { for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done; rm -rf "$TMP"; }
trap cleanup_mounts EXIT
tmpfs_at() {
  mkdir -p "$1"
  if mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null; then
    MOUNTS+=("$1")
    return 0
  fi
  if [ $ROOT -eq 1 ]; then bad "mount -t tmpfs -o $2 failed as root"; else
    echo "skip $1: mount -t tmpfs needs root"; fi
  return 1
}

# ---- 1. inputs that cannot be read: directory, FIFO, device -------------------
mkdir dir.yaml
mkfifo fifo.yaml
expect_fail "config is a directory" 2 "^buzzsim: dir.yaml: is a directory, expected a regular file$" \
  $BZ run dir.yaml -o o1.h5
expect_fail "config is a FIFO (no hang)" 2 "^buzzsim: fifo.yaml: is a FIFO \(named pipe\), expected a regular file$" \
  timeout 20 $BZ run fifo.yaml -o o2.h5
expect_fail "config is /dev/zero" 2 "^buzzsim: /dev/zero: is a character device, expected a regular file$" \
  $BZ validate /dev/zero
expect_fail "graph: config is /dev/null" 2 "/dev/null: is a character device" $BZ graph /dev/null
if [ $ROOT -eq 0 ]; then
  cp good.yaml secret.yaml && chmod 000 secret.yaml
  expect_fail "config unreadable" 2 "cannot open 'secret.yaml': Permission denied" $BZ validate secret.yaml
else
  echo "skip unreadable config: root reads any file (FIFOs and devices are tested instead)"
fi
mkdir edir
mkfifo efifo
edges_experiment e_dir.yaml edir
expect_fail "edge list is a directory" 2 "edir: is a directory, expected a regular file$" \
  $BZ run e_dir.yaml -o o3.h5
edges_experiment e_fifo.yaml efifo
expect_fail "edge list is a FIFO (no hang)" 2 "efifo: is a FIFO \(named pipe\), expected a regular file$" \
  timeout 20 $BZ run e_fifo.yaml -o o4.h5
mkfifo h5fifo
expect_fail "info: a FIFO (no hang)" 2 "^buzzsim: h5fifo: is a FIFO" timeout 20 $BZ info h5fifo
expect_fail "export: a directory" 2 "^buzzsim: edir: is a directory, expected a regular file$" \
  $BZ export edir /comparison
expect_fail "export sweep: a FIFO (no hang)" 2 "^buzzsim: h5fifo: is a FIFO" timeout 20 $BZ export h5fifo /sweep
expect_fail "plot: a device" 2 "^buzzsim: /dev/null: is a character device" $BZ plot /dev/null --outdir p0
no_output "unreadable inputs" o1.h5 o2.h5 o3.h5 o4.h5 p0

# ---- 2. edge lists: no endless device, bounded decompression -------------------
edges_experiment e_zero.yaml /dev/zero
expect_fail "edge list /dev/zero (no 8 GiB read)" 2 "/dev/zero: is a character device, expected a regular file$" \
  timeout 20 $BZ run e_zero.yaml -o o5.h5
head -c 20000000 /dev/zero | gzip -c >bomb.gz # 20 MB of zeros in 20 KB
edges_experiment e_bomb.yaml bomb.gz "max_bytes: 1000000"
start=$(date +%s)
expect_fail "gzip bomb stops at max_bytes" 2 \
  "bomb.gz: more than 1000000 bytes decompressed \(limit: the edge_list key max_bytes, 1000000\)$" \
  $BZ run e_bomb.yaml -o o6.h5
[ $(($(date +%s) - start)) -lt 10 ] && ok "gzip bomb refused quickly" || bad "gzip bomb took $(($(date +%s) - start)) s"
seq 0 20000 | sed 's/$/ 1/' >long.txt
edges_experiment e_long.yaml long.txt "max_bytes: 1000"
expect_fail "plain edge list over max_bytes" 2 "long.txt: [0-9]+ bytes, more than the limit of 1000 \(the edge_list key max_bytes\)$" \
  $BZ run e_long.yaml -o o7.h5
edges_experiment e_bad_limit.yaml long.txt "max_bytes: 0"
expect_fail "max_bytes 0" 2 "network.layers.0.generator.max_bytes: expected a number in \[1, 1000000000000000\], got '0'" \
  $BZ validate e_bad_limit.yaml
: >empty.txt
edges_experiment e_empty.yaml empty.txt
expect_fail "empty edge list" 2 "empty.txt:1: no edges found \(empty file\)$" $BZ run e_empty.yaml -o o8.h5
no_output "edge-list limits" o5.h5 o6.h5 o7.h5 o8.h5

# ---- 3. binary edge-list text is quoted, escaped and cut -------------------------
printf '0 1\n\001\002\377\033[31mRED\033[0m and a very long tail of binary garbage \x80\x81 that goes on\n' >bin.txt
edges_experiment e_bin.yaml bin.txt
expect_fail "binary edge-list line escaped" 2 \
  "bin.txt:2: expected two integer node ids \(non-negative integers\), got '\\\\x01\\\\x02\\\\xff\\\\x1b\[31mRED\\\\x1b\[0m and a very long tail of \.\.\.'$" \
  $BZ run e_bin.yaml -o o9.h5
if LC_ALL=C grep -q $'[\001-\010\033\177-\377]' "$TMP/err"; then bad "raw bytes in the message"; else ok "no raw bytes in the message"; fi
head -c 3000 /dev/urandom | tr -d '\n' >rnd.txt
edges_experiment e_rnd.yaml rnd.txt
expect_fail "random bytes as an edge list" 2 "rnd.txt:1: .*got '.*\.\.\.'$" $BZ run e_rnd.yaml -o o10.h5
len=$(wc -c <"$TMP/err")
[ "$len" -lt 400 ] && ok "random bytes: message of $len bytes" || bad "random bytes: message of $len bytes"
no_output "binary edge lists" o9.h5 o10.h5

# ---- 4. underflow is an error, like overflow ---------------------------------------
sed 's/p: 0.01/p: 1e-400/' good.yaml >under.yaml
expect_fail "p: 1e-400 underflows" 2 \
  "under.yaml:[0-9]+:[0-9]+: diffusion.p: '1e-400' is too close to 0 to be represented .*write 0 if you mean zero$" \
  $BZ run under.yaml -o o11.h5
sed 's/q: 0.4/q: 4e-320/' good.yaml >subnormal.yaml
expect_fail "q: 4e-320 (subnormal)" 2 "subnormal.yaml:[0-9]+:[0-9]+: diffusion.q: '4e-320' is too close to 0" \
  $BZ run subnormal.yaml -o o12.h5
expect_fail "--set underflow" 2 "^buzzsim: --set diffusion.q: '1e-999' is too close to 0" \
  $BZ run good.yaml --set diffusion.q=1e-999 -o o13.h5
sed 's/at: 1d, duration: 3d/at: 1e-310s, duration: 3d/' good.yaml >under_at.yaml
expect_fail "at: 1e-310s underflows" 2 "under_at.yaml:[0-9]+:[0-9]+: arms.ads.0.at: '1e-310s' is too close to 0" \
  $BZ validate under_at.yaml
sed 's/p: 0.01/p: 1e400/' good.yaml >over.yaml
expect_fail "p: 1e400 overflows" 2 "over.yaml:[0-9]+:[0-9]+: diffusion.p: expected a rate per day in \[0, 1000000\], got '1e400'$" \
  $BZ validate over.yaml
sed 's/p: 0.01/p: 0e-400/' good.yaml >zero.yaml
$BZ validate zero.yaml >/dev/null 2>&1 && ok "p: 0e-400 is zero, accepted" || bad "p: 0e-400 refused"
no_output "underflow" o11.h5 o12.h5 o13.h5

# ---- 5. numbers with surrounding spaces are strings, not numbers --------------------
sed 's/agents: 2000/agents: " 2000"/' good.yaml >spaced.yaml
expect_fail "agents: \" 2000\"" 2 \
  "spaced.yaml:[0-9]+:[0-9]+: population.agents: expected an integer in \[0, 4294967294\] without spaces around it, got ' 2000'$" \
  $BZ run spaced.yaml -o o14.h5
sed "s/q: 0.4/q: '0.4 '/" good.yaml >spaced_q.yaml
expect_fail "q: '0.4 '" 2 "spaced_q.yaml:[0-9]+:[0-9]+: diffusion.q: .*without spaces around it, got '0.4 '$" \
  $BZ validate spaced_q.yaml
sed 's/step: 6h/step: "\\t6h"/' good.yaml >spaced_step.yaml
expect_fail "step: \"\\t6h\"" 2 "spaced_step.yaml:[0-9]+:[0-9]+: time.step: .*without spaces around it, got '\\\\t6h'$" \
  $BZ validate spaced_step.yaml
no_output "spaces" o14.h5

# ---- 6. durations and counts far out of range: short messages ---------------------
sed 's/horizon: 10d/horizon: 1e300d/' good.yaml >h300.yaml
expect_fail "horizon: 1e300d" 2 "h300.yaml:[0-9]+:[0-9]+: time.horizon: expected a duration in \[0d, 10000000d\], got '1e300d'$" \
  $BZ run h300.yaml -o o15.h5
sed 's/step: 6h/step: 1e-300d/' good.yaml >tiny.yaml
expect_fail "step: 1e-300d (steps bounded)" 2 "tiny.yaml:[0-9]+:[0-9]+: time.step: time.horizon / time.step gives 1e\+301 steps, more than 10000000: use a longer step$" \
  $BZ run tiny.yaml -o o16.h5
sed 's/count: 5/count: 99999999999999999999999999/' good.yaml >count.yaml
expect_fail "count: 10^26" 2 "count.yaml:[0-9]+:[0-9]+: arms.kol.0.count: expected an integer in \[1, [0-9]+\], got '99999999999999999999999999'$" \
  $BZ run count.yaml -o o17.h5
for f in h300 tiny count; do
  $BZ validate $f.yaml 2>"$TMP/len" >/dev/null
  [ "$(wc -c <"$TMP/len")" -lt 300 ] && ok "$f: message under 300 bytes" || bad "$f: $(wc -c <"$TMP/len") bytes"
done
no_output "out of range" o15.h5 o16.h5 o17.h5

# ---- 7. graph --stats on a directed layer does not leak (valgrind) ----------------
if [ $ASAN -eq 1 ]; then
  echo "skip valgrind: an ASan build (ASan checks leaks itself)"
elif command -v valgrind >/dev/null; then
  AGENTS=300 small_experiment vg.yaml
  valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q \
    $BZ graph vg.yaml --stats -o vg.h5 --threads 1 >/dev/null 2>"$TMP/vg"
  st=$?
  [ $st -eq 0 ] && ok "graph --stats (directed layer): no leak under valgrind" ||
    bad "graph --stats under valgrind: exit $st: $(grep -m3 'lost' "$TMP/vg")"
else
  echo "skip valgrind: not installed"
fi

# ---- 8. the memory estimate honours ulimit -v and ulimit -d ------------------------
if [ $ASAN -eq 1 ]; then
  echo "skip ulimit -v/-d and --threads under a limit: an ASan build needs its shadow memory"
else
  AGENTS=10000000 small_experiment big.yaml
  expect_fail "ulimit -v" 2 \
    "^buzzsim: the experiment needs about [0-9.]+ GiB .* but [0-9.]+ GiB are left under ulimit -v \(RLIMIT_AS 1.0 GiB, .*raise the limit$" \
    bash -c "ulimit -v 1048576 && exec $BZ run big.yaml -o o18.h5"
  expect_fail "ulimit -d" 2 "GiB are left under ulimit -d \(RLIMIT_DATA 0.8 GiB" \
    bash -c "ulimit -d 838860 && exec $BZ run big.yaml -o o19.h5"
  expect_fail "graph --dry-run under ulimit -v" 2 "left under ulimit -v" \
    bash -c "ulimit -v 1048576 && exec $BZ graph big.yaml --dry-run"
  grep -q "total (peak) .* left under ulimit -v" "$TMP/out" && ok "--dry-run names the limit" ||
    bad "--dry-run: $(tail -1 "$TMP/out")"
  no_output "memory limits" o18.h5 o19.h5 o18.h5.partial o19.h5.partial

  # ---- 9. --threads far above the processors: capped with a warning ------------------
  cap=$((8 * $(nproc)))
  bash -c "ulimit -v 3000000 && exec $BZ run good.yaml -o t4096.h5 --quiet --threads 4096" >/dev/null 2>"$TMP/thr"
  st=$?
  if [ $st -eq 0 ] && [ "$(cat "$TMP/thr")" = "buzzsim: --threads 4096 is more than 8 per processor: using $cap" ] && [ -s t4096.h5 ]; then
    ok "--threads 4096 under ulimit -v: one warning, capped at $cap, run complete"
  else
    bad "--threads 4096 under ulimit -v: exit $st: $(head -3 "$TMP/thr")"
  fi
  OMP_NUM_THREADS=5000 $BZ graph good.yaml --threads=3000 >/dev/null 2>"$TMP/thr"
  [ "$(wc -l <"$TMP/thr")" -eq 2 ] && grep -q "OMP_NUM_THREADS 5000 .*using $cap" "$TMP/thr" &&
    grep -q -- "--threads 3000 .*using $cap" "$TMP/thr" && ok "OMP_NUM_THREADS and --threads= capped" ||
    bad "threads capped: $(cat "$TMP/thr")"
  expect_fail "--threads 0" 2 "graph: --threads: expected an integer in \[1, 4096\], got '0'" $BZ graph good.yaml --threads 0
  expect_fail "--threads 4097" 2 "run: --threads: expected an integer in \[1, 4096\], got '4097'" \
    $BZ run good.yaml --threads 4097 -o o20.h5
  $BZ run --help | grep -q "more than 8 per processor" && ok "--threads cap in run --help" || bad "run --help: no --threads note"
  no_output "threads" o20.h5
fi

# ---- 10. plot: unusable output directory, full disk ---------------------------------
$BZ run good.yaml -o r.h5 --quiet >/dev/null 2>&1 || bad "good run failed"
: >notadir
expect_fail "plot --outdir is a file" 2 "cannot create directory 'notadir/x': Not a directory" \
  $BZ plot r.h5 --outdir notadir/x
if tmpfs_at ro "ro,size=64k"; then
  expect_fail "plot --outdir read-only" 2 "^buzzsim: cannot write to directory 'ro': Read-only file system$" \
    $BZ plot r.h5 --outdir ro
  expect_fail "plot --outdir below read-only" 2 "cannot create directory 'ro/sub': Read-only file system$" \
    $BZ plot r.h5 --outdir ro/sub
  empty_dir "read-only plot" ro
fi
if tmpfs_at full "size=200k"; then
  dd if=/dev/zero of=full/filler bs=4k 2>/dev/null # fills it
  expect_fail "plot on a full disk" 1 \
    "^buzzsim: gnuplot failed writing /.*/full/adoption.png: No space left on device$" \
    $BZ plot r.h5 --outdir full
  empty_dir "full-disk plot" full filler
fi

# ---- 11. export: forged sizes, writes checked; graph --save-edges ------------------
if [ -x "$FORGE" ]; then
  cp r.h5 forged.h5
  "$FORGE" forged.h5 /arms/baseline/huge 1000000000000 && "$FORGE" forged.h5 /arms/baseline/wide 4 1000000000000 ||
    bad "bz_h5_forge failed"
  expect_fail "export of a forged 1e12-row dataset" 2 \
    "^buzzsim: forged.h5: /arms/baseline/huge: declares 1000000000000 x 1 values \(8e\+12 bytes\) but stores only 0 bytes" \
    timeout 20 $BZ export forged.h5 /arms/baseline/huge
  [ ! -s "$TMP/out" ] && ok "forged dataset: nothing streamed" || bad "forged dataset streamed $(wc -c <"$TMP/out") bytes"
  expect_fail "export of a forged 1e12-column dataset" 2 "declares 4 x 1000000000000 values" \
    timeout 20 $BZ export forged.h5 /arms/baseline/wide
  [ ! -s "$TMP/out" ] && ok "forged columns: no header streamed" || bad "forged columns streamed $(wc -c <"$TMP/out") bytes"
else
  echo "skip forged datasets: $FORGE not built"
fi
expect_fail "export > /dev/full" 1 "^buzzsim: no space left on device writing standard output$" \
  bash -c "exec $BZ export r.h5 /arms/baseline/adopters >/dev/full"
expect_fail "export names > /dev/full" 1 "^buzzsim: no space left on device writing standard output$" \
  bash -c "exec $BZ export r.h5 arms >/dev/full"
expect_fail "info > /dev/full" 1 "^buzzsim: no space left on device writing standard output$" \
  bash -c "exec $BZ info r.h5 >/dev/full"
printf 'not hdf5\n' >fake.h5
expect_fail "export of a text file" 2 "fake.h5: not an HDF5 file" $BZ export fake.h5 /comparison
expect_fail "graph --save-edges /dev/full" 1 "^buzzsim: no space left on device writing '/dev/full'$" \
  $BZ graph good.yaml --save-edges /dev/full --layer follow
[ -c /dev/full ] && ok "/dev/full is still a device" || bad "/dev/full was replaced"
if tmpfs_at small "size=16k"; then
  expect_fail "graph --save-edges on a full disk" 1 "^buzzsim: no space left on device writing 'small/e.txt'$" \
    $BZ graph good.yaml --save-edges small/e.txt --layer follow
  empty_dir "full-disk edge list" small
fi
expect_fail "graph --save-edges into a missing directory" 2 "--save-edges nodir/e.txt: cannot open 'nodir': No such file or directory" \
  $BZ graph good.yaml --save-edges nodir/e.txt --layer follow
expect_fail "graph --save-edges to a directory" 2 "--save-edges: 'edir' is a directory" \
  $BZ graph good.yaml --save-edges edir --layer follow
no_output "save-edges" nodir

# ---- more: text files that are not YAML, and a huge sparse file ----------------------
printf 'name: x\0\nseed: 1\n' >nul.yaml
expect_fail "NUL byte in the experiment" 2 "^buzzsim: nul.yaml: file contains NUL bytes; not an experiment file$" \
  $BZ run nul.yaml -o o21.h5
truncate -s 65M huge.yaml
expect_fail "65 MiB experiment file" 2 "^buzzsim: huge.yaml: file is larger than 64 MiB; not an experiment file$" \
  $BZ validate huge.yaml
no_output "not YAML" o21.h5
finish

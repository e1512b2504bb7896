#!/usr/bin/env bash
# Run the libFuzzer harnesses of tests/fuzz (docs/testing.md, "Fuzzing").
#
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS [HARNESS...]
#        tests/fuzz/run.sh BUILD_DIR --replay FILE...   (which harness: the FILE's directory
#                                                       name under crashes/, or fuzz_NAME-*)
#   BUILD_DIR  a build with -DBUZZSIM_FUZZ=ON (make fuzz: build-fuzz)
#   SECONDS    fuzzing time of each harness (-max_total_time)
#   HARNESS    experiment sweep edgelist edgelist_gz h5 (default: all, one after another)
# Environment:
#   FUZZ_KEEP=DIR  copy each harness's final corpus to DIR/NAME (default: discarded)
#   FUZZ_NICE=N    run the harnesses under `nice -n N` (default: no nice)
#
# Each harness fuzzes a scratch copy of tests/fuzz/corpus/NAME (the repository's
# seeds are never modified); what it finds goes to BUILD_DIR/fuzz-artifacts/NAME/
# (emptied first) with its log, last.log. Any crash, sanitizer report, leak,
# oracle failure, timeout or out-of-memory input fails the run, except for
# fuzz_h5: libhdf5 itself crashes on some damaged files, so fuzz_h5 runs in
# fork mode (-fork=1, going on after a crash) and every crash or timeout is
# replayed and classified by the first stack frame that is neither the
# sanitizer runtime nor libc/zlib: inside libhdf5 it is listed as a known
# libhdf5 crash (see docs/testing.md), anywhere else it fails the run, as
# does every leak that lsan.supp does not name. Artifacts that do not fail
# again when replayed alone are listed and do not fail the run.
# Exit status: 0 when nothing failed, 1 otherwise, 2 for usage errors.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '3,12p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
build=$(cd "$1" && pwd) || exit 2
shift

# ASan: an allocation above 2 GiB fails (returns NULL) instead of aborting,
# as it would on a machine with less memory, so the code's ENOMEM paths are
# what gets tested; libFuzzer's own limits (-rss_limit_mb, -malloc_limit_mb)
# are above that and catch inputs that make the process grow past 3 GiB.
export ASAN_OPTIONS="allocator_may_return_null=1:max_allocation_size_mb=2048:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:${LSAN_OPTIONS:-}"

# Per harness: the largest input (bytes), the time one input may take (s),
# and extra libFuzzer flags. The limits keep one input from taking long: see
# the comments at the top of each harness.
flags_of() {
  case $1 in
    experiment)  echo "-max_len=16384 -timeout=10 -dict=$here/yaml.dict" ;;
    sweep)       echo "-max_len=8192 -timeout=20 -dict=$here/yaml.dict" ;;
    # 30 s: ids up to 2^24 take the dense remapping, O(max id) by design (a
    # 16M-entry table, done three times per input): 1 s of CPU under the
    # sanitizers, more on a loaded machine.
    edgelist)    echo "-max_len=65536 -timeout=30" ;;
    edgelist_gz) echo "-max_len=16384 -timeout=10" ;;
    # `info` prints one error line per damaged file: -close_fd_mask=2.
    h5)          echo "-max_len=200000 -timeout=20 -close_fd_mask=2 -fork=1 -ignore_crashes=1" ;;
    *) return 1 ;;
  esac
}
# ASAN_OPTIONS added for one harness. fuzz_h5: the slow unwinder, so leak
# stacks go through libhdf5 (no frame pointers) and lsan.supp can name it.
asan_of() {
  case $1 in
    h5) echo "fast_unwind_on_malloc=0" ;;
    *) echo "" ;;
  esac
}

# "libhdf5 SIGNATURE", "ours SIGNATURE" or "unreproducible" for an artifact:
# replayed alone (with the harness's -timeout), classified by the first frame
# of the report outside the sanitizer runtime (frames in the fuzz binary
# without a source file), libc, libm, libz and the loader.
classify() {
  local bin=$1 file=$2 name out
  name=${bin##*/fuzz_}
  out=$(ASAN_OPTIONS="$ASAN_OPTIONS:$(asan_of "$name")" "$bin" -timeout=20 "$file" 2>&1) &&
    { echo "unreproducible"; return; }
  awk -v bin="$bin" '
      /fuzz oracle:/ { print "ours oracle: " substr($0, index($0, ":") + 2); found = 1; exit }
      /runtime error:/ { sub(/^.*runtime error: /, ""); print "ours ubsan: " $0; found = 1; exit }
      /^ *#[0-9]+ 0x/ {
        line = $0
        if (index(line, "(" bin "+")) next               # sanitizer runtime, libFuzzer
        if (line ~ /libc\.so|libm\.so|libz\.so|ld-linux|libstdc\+\+/) next
        if (line ~ /\/sysdeps\/|__interceptor_/) next   # libc by its sources, interceptors
        fn = $4
        if (line ~ /libhdf5/) { sig = sig (sig ? " <- " : "") (fn == "" || fn ~ /^\(/ ? "?" : fn); n++
                                if (n < 4) next; print "libhdf5 " sig; found = 1; exit }
        if (n > 0) { print "libhdf5 " sig; found = 1; exit }
        print "ours " fn " " $NF; found = 1; exit
      }
      END { if (!found) print (n > 0 ? "libhdf5 " sig : "ours (no stack: see the log)") }' <<<"$out"
}

harness_of() { # the harness of a reproducer: crashes/NAME/..., or fuzz_NAME-...
  local d; d=$(basename "$(dirname "$1")")
  case $d in experiment|sweep|edgelist|edgelist_gz|h5) echo "$d"; return ;; esac
  basename "$1" | sed -n 's/^fuzz_\([a-z_]*\)-.*/\1/p'
}

if [ "$1" = "--replay" ]; then
  shift
  [ $# -gt 0 ] || usage
  rc=0
  for f in "$@"; do
    name=$(harness_of "$f")
    [ -n "$name" ] || { echo "$f: cannot tell the harness" >&2; rc=1; continue; }
    printf '%s (fuzz_%s): ' "$f" "$name"
    if ASAN_OPTIONS="$ASAN_OPTIONS:$(asan_of "$name")" \
        "$build/tests/fuzz/fuzz_$name" "$f" >/dev/null 2>&1; then
      echo "passes (fixed?)"
    else
      echo "fails: $(classify "$build/tests/fuzz/fuzz_$name" "$f")"
      rc=1
    fi
  done
  exit $rc
fi

seconds=$1
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(experiment sweep edgelist edgelist_gz h5)
nice_cmd=()
[ -n "${FUZZ_NICE:-}" ] && nice_cmd=(nice -n "$FUZZ_NICE")

failed=()
for name in "${names[@]}"; do
  bin=$build/tests/fuzz/fuzz_$name
  flags=$(flags_of "$name") || { echo "run.sh: unknown harness '$name'" >&2; exit 2; }
  [ -x "$bin" ] || { echo "run.sh: $bin not built (make fuzz)" >&2; exit 2; }
  art=$build/fuzz-artifacts/$name
  rm -rf "$art"
  mkdir -p "$art"
  scratch=$(mktemp -d)
  mkdir -p "$scratch/corpus"
  cp "$here/corpus/$name/"* "$scratch/corpus/"
  # Our fixed findings (crashes/NAME/k*) are seeds too: a regression fails
  # the run at once. (libhdf5's own crashes are not: they are not fixed.)
  for f in "$here/crashes/$name"/k*; do [ -e "$f" ] && cp "$f" "$scratch/corpus/"; done
  log=$art/last.log
  echo "fuzz_$name: ${seconds}s from $(ls "$scratch/corpus" | wc -l) seeds"
  # shellcheck disable=SC2086
  ASAN_OPTIONS="$ASAN_OPTIONS:$(asan_of "$name")" TMPDIR=$scratch "${nice_cmd[@]}" "$bin" \
    $flags -max_total_time="$seconds" -rss_limit_mb=3072 -malloc_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$art/" "$scratch/corpus" >"$log" 2>&1
  rc=$?
  stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$stats")
  echo "  ${stats:-no statistics (see $log)}"
  echo "  executions: ${execs:-?} ($(( ${execs:-0} / (seconds > 0 ? seconds : 1) )) per second), libFuzzer exit status $rc"
  bad=0
  [ $rc -eq 0 ] || bad=1
  if [[ $flags == *-fork=* ]]; then # triage: only crashes outside libhdf5 fail
    bad=0
    [ $rc -eq 0 ] || grep -q 'crash-\|leak-\|timeout-\|oom-' <(ls "$art") || bad=1
    for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
      [ -e "$f" ] || continue
      verdict=$(classify "$bin" "$f")
      # A leak's stack ends where the memory was allocated, often inside
      # libhdf5 even when our code forgot to release it: every leak not in
      # lsan.supp fails.
      case ${f##*/} in leak-*) [ "$verdict" = unreproducible ] || verdict="ours leak: $verdict" ;; esac
      case $verdict in
        libhdf5*) echo "  known: crash inside ${verdict}: $(basename "$f")" ;;
        unreproducible) echo "  not reproducible alone (HDF5 state from earlier inputs?): $f" ;;
        *) echo "  FOUND: $verdict: $f" >&2; bad=1 ;;
      esac
    done
  fi
  if [ $bad -ne 0 ]; then
    failed+=("$name")
    echo "  FOUND SOMETHING: see $log and $art/" >&2
    grep -E 'ERROR|SUMMARY|fuzz oracle|runtime error|Test unit written|ALARM|out-of-memory' \
      "$log" | head -20 >&2
  fi
  if [ -n "${FUZZ_KEEP:-}" ]; then
    mkdir -p "$FUZZ_KEEP/$name" && cp "$scratch/corpus/"* "$FUZZ_KEEP/$name/"
  fi
  rm -rf "$scratch"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: nothing found in ${names[*]} (${seconds}s each)"

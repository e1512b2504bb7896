#!/usr/bin/env bash
# compare-demo.sh BUZZSIM_A BUZZSIM_B [EXPERIMENT.yaml]
#
# Runs the demo (configs/demo.yaml, or the experiment given) with two
# buzzsim binaries, e.g. the build of main and the build of a branch, and
# shows that they agree: the printed table byte for byte (but the run's
# wall time in its first lines), and the HDF5
# files object for object (h5dump of both, data included) except the
# provenance attributes of the root group, which say who wrote the file and
# when: buzzsim_version, created, command_line. Exit status 0 when both
# agree, 1 when they differ (the first differences are printed), 2 on bad
# arguments or a failed run. Needs h5dump (hdf5-tools).
set -u
usage() { echo "usage: scripts/compare-demo.sh BUZZSIM_A BUZZSIM_B [EXPERIMENT.yaml]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
root=$(cd "$(dirname "$0")/.." && pwd)
cfg=${3:-$root/configs/demo.yaml}
for bin in "$1" "$2"; do
  [ -x "$bin" ] || { echo "compare-demo: '$bin' is not an executable" >&2; exit 2; }
done
[ -f "$cfg" ] || { echo "compare-demo: no experiment '$cfg'" >&2; exit 2; }
command -v h5dump >/dev/null || { echo "compare-demo: h5dump not found (apt-get install hdf5-tools)" >&2; exit 2; }
cfg=$(cd "$(dirname "$cfg")" && pwd)/$(basename "$cfg")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The root attributes that differ from run to run or build to build.
provenance='buzzsim_version|created|command_line'

# h5dump of FILE without the provenance attributes: an attribute's block is
# dropped from its ATTRIBUTE line to its closing brace.
dump() {
  h5dump "$1" | awk -v skip="^ *ATTRIBUTE \"($provenance)\" \\\\{$" '
    depth == 0 && $0 ~ skip { depth = 1; next }
    depth > 0 { depth += gsub(/\{/, "{") - gsub(/\}/, "}"); next }
    { print }'
}

status=0
for side in a b; do
  bin=$1
  [ "$side" = b ] && bin=$2
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  mkdir "$work/$side"
  # The same relative paths on both sides, so the table names the same file.
  if ! (cd "$work/$side" && "$bin" run "$cfg" -o demo.h5 >table.raw 2>stderr.txt); then
    echo "compare-demo: $bin run failed: $(head -3 "$work/$side/stderr.txt")" >&2
    exit 2
  fi
  # The wall time of the run ("60 days (63.4 s)") is not a result.
  sed -E 's/ \([0-9.]+ s\)$/ (TIME s)/' "$work/$side/table.raw" >"$work/$side/table.txt"
  (cd "$work/$side" && dump demo.h5 >dump.txt) || { echo "compare-demo: h5dump failed" >&2; exit 2; }
done

# agree NAME FILE WHAT: side a's FILE equals side b's, or the first differences.
agree() {
  if cmp -s "$work/a/$2" "$work/b/$2"; then
    echo "same   $1 ($(wc -l <"$work/a/$2") lines$3)"
  else
    echo "DIFFER $1:"
    diff "$work/a/$2" "$work/b/$2" | head -20
    status=1
  fi
}
agree "demo table" table.txt ""
agree "HDF5 file" dump.txt " of h5dump; provenance attributes left out: $provenance"
for attr in buzzsim_version created command_line; do
  for side in a b; do
    printf '       %s %s: %s\n' "$side" "$attr" \
      "$(h5dump -a "/$attr" "$work/$side/demo.h5" 2>/dev/null | sed -n 's/^ *(0): //p' | head -1)"
  done
done
exit $status

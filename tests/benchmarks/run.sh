#!/usr/bin/env bash
# Run every benchmark of a build directory configured with
# -DBUZZSIM_BENCHMARKS=ON (make bench does this). Extra arguments are passed
# to each benchmark, e.g. `--n 10000000`. Run on an otherwise idle machine.
set -euo pipefail
dir=${1:-build-bench}; shift || true
for b in "$dir"/tests/benchmarks/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b") $*"
  "$b" "$@"
  echo
done

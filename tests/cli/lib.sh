# Shared helpers for the CLI tests. Source it; $BZ is the buzzsim binary.
set -u
BZ=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }

# expect_fail NAME STATUS PATTERN CMD...: the command exits with STATUS, prints
# exactly one line on stderr matching PATTERN (grep -E), and nothing on stdout.
expect_fail() {
  local name=$1 want=$2 pat=$3; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local st=$?
  local lines
  lines=$(wc -l <"$TMP/err")
  if [ "$st" -ne "$want" ]; then
    bad "$name: exit $st, expected $want; stderr: $(head -3 "$TMP/err")"
  elif [ "$lines" -ne 1 ]; then
    bad "$name: expected one line on stderr, got $lines: $(head -3 "$TMP/err")"
  elif ! grep -Eq -- "$pat" "$TMP/err"; then
    bad "$name: stderr '$(cat "$TMP/err")' does not match '$pat'"
  else
    ok "$name: $(cat "$TMP/err")"
  fi
}

finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

# A small valid experiment; $1 = file, then extra YAML lines may follow.
small_experiment() {
  local f=$1; shift
  cat >"$f" <<YAML
name: small
seed: 5
time: { step: 6h, horizon: 10d }
replicates: 3
population: { agents: ${AGENTS:-2000}, cities: 4 }
network:
  layers:
    - { name: follow, directed: true, generator: { model: barabasi_albert, m: 3 } }
    - { name: friends, directed: false, generator: { model: erdos_renyi, mean_degree: 6 } }
diffusion: { model: bass, p: 0.01, q: 0.4 }
arms:
  baseline: []
  ads: [ { campaign: advertising, at: 1d, duration: 3d, reach: 0.2 } ]
  kol: [ { campaign: kol_seeding, count: 5, layer: follow } ]
YAML
  for line in "$@"; do echo "$line" >>"$f"; done
}

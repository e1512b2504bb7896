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

# bass_calibration REPLICATES BOOTSTRAP [EXTRA-LINES...]: in the current
# directory, cbase.yaml (Bass p = 0.01, q = 0.3, 3,000 agents well mixed),
# obs.tsv (its adopters, days 1-20: 20 observations) and cal.yaml, a
# calibration plan fitting p and q back with REPLICATES replicates per
# candidate and BOOTSTRAP refits; the extra lines are appended to cal.yaml.
bass_calibration() {
  local reps=$1 boot=$2; shift 2
  cat >cbase.yaml <<'YAML'
seed: 41
time: { step: 1d, horizon: 20d }
replicates: 1
population: { agents: 3000 }
network: { layers: [ { name: all, generator: { model: well_mixed } } ] }
diffusion: { model: bass, p: 0.01, q: 0.3 }
YAML
  "$BZ" run cbase.yaml -o cdata.h5 -q >/dev/null 2>&1
  "$BZ" export cdata.h5 /arms/baseline/adopters | awk '!/^#/ && $1 > 0 { print $1 "\t" $2 }' >obs.tsv
  cat >cal.yaml <<YAML
base: cbase.yaml
arm: baseline
variables:
  - { key: diffusion.p, min: 0.001, max: 0.1, scale: log }
  - { key: diffusion.q, min: 0.05, max: 1, scale: log }
observed: { file: obs.tsv, series: adopters }
search: { evaluations: 24, replicates: $reps }
uncertainty: { bootstrap: $boot }
final: { candidates: 1, replicates: $reps }
YAML
  for line in "$@"; do echo "$line" >>cal.yaml; done
}

# flash_sale_base FILE: 3,000 agents, buzz_funnel, three flash sales of
# 1,000 units at a price of 100 (unit cost 50); arm `sale` gives 10% off.
flash_sale_base() {
  cat >"$1" <<'YAML'
seed: 3
time: { step: 6h, horizon: 20d }
replicates: 2
population: { agents: 3000 }
network: { layers: [ { name: f, generator: { model: erdos_renyi, mean_degree: 8 } } ] }
diffusion: { model: buzz_funnel, seeds: 100, interest: 0.2, buy: 0.5 }
market: { price: 100, value: 100, unit_cost: 50, availability: flash_only }
arms:
  baseline:
    - { campaign: flash_sale, at: 2d, duration: 1h, stock: 1000, repeat: 3, every: 5d }
  sale:
    - { campaign: flash_sale, at: 2d, duration: 1h, stock: 1000, repeat: 3, every: 5d, discount: 0.1 }
YAML
}

#!/usr/bin/env bash
# `buzzsim schema` and `buzzsim schema --sweep`: valid JSON Schemas
# (draft-07) that accept every file in configs/ (experiments, and sweep
# files: those with an `axes:` key) and the resolved form of every experiment,
# that refuse what the loader refuses (unknown keys, wrong choices,
# out-of-range numbers, a model's keys under another model) and accept what
# it accepts (units, YAML 1.1 words, exponents); every property has a
# description and every default is valid. Needs python3-jsonschema and
# python3-yaml (scripts/install-deps.sh).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema, yaml' 2>"$TMP/py.err"; then
  bad "python3-jsonschema and python3-yaml are needed (scripts/install-deps.sh): $(tail -1 "$TMP/py.err")"
  finish
  exit 1
fi

$BZ schema >"$TMP/experiment.json" 2>"$TMP/err" && [ ! -s "$TMP/err" ] &&
  ok "schema: exit 0, nothing on stderr" || bad "schema: $(head -3 "$TMP/err")"
$BZ schema --sweep >"$TMP/sweep.json" 2>"$TMP/err" && [ ! -s "$TMP/err" ] &&
  ok "schema --sweep: exit 0, nothing on stderr" || bad "schema --sweep: $(head -3 "$TMP/err")"
$BZ schema --help | grep -q "usage: buzzsim schema \[--sweep\]" && ok "schema --help" || bad "schema --help"
expect_fail "schema: unknown option" 2 "buzzsim schema: unknown option '--nope'" $BZ schema --nope
expect_fail "schema: no file argument" 2 "buzzsim schema: takes no file" $BZ schema x.yaml

# The checker: `check.py EXPERIMENT_SCHEMA SWEEP_SCHEMA MODE FILE...` prints
# one "ok ..." or "FAIL ..." line per check. MODE valid: each file must
# validate (against the sweep schema if it has `axes:`); invalid: each must not.
cat >"$TMP/check.py" <<'PY'
import json, sys, yaml
from jsonschema import Draft7Validator as V

exp, sweep = (json.load(open(p)) for p in sys.argv[1:3])
mode, files = sys.argv[3], sys.argv[4:]
if mode == "schemas":
    for name, s in (("experiment", exp), ("sweep", sweep)):
        try:
            V.check_schema(s)
            print(f"ok   {name} schema is a valid draft-07 schema")
        except Exception as e:
            print(f"FAIL {name} schema: {str(e)[:300]}")
        # Every property has a description; every default validates.
        missing, bad_defaults, n = [], [], 0
        def walk(node, path):
            global n
            if isinstance(node, dict):
                for key, sub in node.get("properties", {}).items():
                    n += 1
                    if not (isinstance(sub, dict) and sub.get("description")):
                        missing.append(path + "." + key)
                if "default" in node:
                    sub = dict(node, **{"definitions": s.get("definitions", {})})
                    if not V(sub).is_valid(node["default"]):
                        bad_defaults.append(f"{path}: {node['default']!r}")
                for k, v in node.items():
                    if k != "if":  # the conditions name keys, they do not describe them
                        walk(v, path + "/" + k)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{path}/{i}")
        walk(s, "")
        print(("ok   " if not missing else "FAIL ") +
              f"{name} schema: {n} properties, without a description: {missing[:5]}")
        print(("ok   " if not bad_defaults else "FAIL ") +
              f"{name} schema: defaults that do not validate: {bad_defaults[:5]}")
    sys.exit(0)
for f in files:
    doc = yaml.safe_load(open(f))
    is_sweep = isinstance(doc, dict) and "axes" in doc
    errors = sorted(V(sweep if is_sweep else exp).iter_errors(doc), key=lambda e: list(e.path))
    kind = "sweep" if is_sweep else "experiment"
    if mode == "valid":
        why = "; ".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:3])
        print(("ok   " if not errors else "FAIL ") + f"{f} ({kind}) validates {why}")
    else:
        print(("ok   " if errors else "FAIL ") + f"{f} ({kind}) refused by the schema" +
              (f": {errors[0].message[:120]}" if errors else ""))
PY
check() {
  local out
  out=$($PY "$TMP/check.py" "$TMP/experiment.json" "$TMP/sweep.json" "$@" 2>&1)
  [ -n "$out" ] || { bad "check.py $1 printed nothing"; return; }
  while IFS= read -r line; do
    case $line in
      "ok   "*) ok "${line#ok   }" ;;
      "FAIL "*) bad "${line#FAIL }" ;;
      *) bad "check.py: $line" ;;
    esac
  done <<<"$out"
}
check schemas

# Every file of configs/ validates, and so does every experiment's resolved
# form (every key written out, defaults included).
# (Plan files of `buzzsim optimize` are not experiments or sweeps: test_optimize.)
configs=()
for f in "$SRC"/configs/*.yaml; do grep -q '^variables:' "$f" || configs+=("$f"); done
check valid "${configs[@]}"
for f in "${configs[@]}"; do
  grep -q '^axes:' "$f" && continue
  $BZ validate "$f" >"$TMP/resolved_$(basename "$f")" 2>/dev/null || bad "validate $(basename "$f")"
done
check valid "$TMP"/resolved_*.yaml

# Files the loader accepts are accepted: each is checked by `buzzsim
# validate` too, so the schema is no stricter than the loader.
mkdir -p "$TMP/good" "$TMP/bad"
good() {
  local name=$1; shift
  AGENTS=500 small_experiment "$TMP/good/$name.yaml"
  $PY - "$TMP/good/$name.yaml" "$@" <<'PY'
import sys, yaml
path, edits = sys.argv[1], sys.argv[2:]
doc = yaml.safe_load(open(path))
for e in edits:  # KEY.PATH=YAML (a numeric component indexes a list)
    key, value = e.split("=", 1)
    *parents, last = key.split(".")
    node = doc
    for p in parents:
        node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
    if isinstance(node, list):
        node[int(last)] = yaml.safe_load(value)
    else:
        node[last] = yaml.safe_load(value)
yaml.safe_dump(doc, open(path, "w"), sort_keys=False)
PY
}
good plain
good units 'time.step=90s' 'network.layers.1.share=0.5/h' 'arms.ads.0.at=0' 'arms.ads.0.duration=2w'
good words 'network.layers.1.directed="no"' 'network.resample="off"' 'network.layers.0.directed=yes'
good exponent 'diffusion.p="1e-3"' 'diffusion.q=4e-1'
good cities 'population.cities=[{name: a, share: 1}, {name: b, share: 2.5}]'
good attributes 'population.attributes={activity: {dist: gamma, shape: 2, scale: 0.5}, threshold: 0.4}'
good market 'market={price: 10, value: 12, availability: from, from: 3d, local: [{cities: {top: 2}, price: 8, value: 9}]}'
good attribution 'attribution={ads: shapley, kol: leave_one_out}'
good funnel 'diffusion={model: buzz_funnel}' 'network.layers.0.persuasion=0.3' 'network.layers.0.feed=2/h'
for f in "$TMP"/good/*.yaml; do
  $BZ validate "$f" >/dev/null 2>"$TMP/v.err" && ok "loader accepts $(basename "$f")" ||
    bad "loader refuses $(basename "$f"): $(head -c 300 "$TMP/v.err")"
done
check valid "$TMP"/good/*.yaml

# Files the loader refuses with a key or value the schema knows about are
# refused by the schema too.
bad_file() {
  good "$@" && mv "$TMP/good/$1.yaml" "$TMP/bad/"
}
bad_file unknown_top 'colour=blue'
bad_file unknown_key 'time.stepp=1h'
bad_file unknown_model_key 'diffusion.qq=0.3'
bad_file other_generators_key 'network.layers.1.generator.m=3'
bad_file unknown_campaign_key 'arms.kol.0.cuont=3'
bad_file wrong_enum 'market={availability: sometimes}'
bad_file wrong_strategy 'arms.kol.0.strategy=loudest'
bad_file unknown_model 'diffusion.model=basss'
bad_file unknown_campaign 'arms.ads.0.campaign=billboard'
bad_file probability_above_1 'arms.ads.0.persuasion=1.5'
bad_file negative_probability 'network.layers.0.persuasion=-0.1'
bad_file replicates_0 'replicates=0'
bad_file duration_without_unit 'time.step=6'
bad_file bad_rate 'network.layers.0.share=fast'
bad_file bad_bool 'network.resample=maybe'
bad_file no_horizon 'time={step: 1h}'
bad_file bad_attribution 'attribution=everyone'
bad_file unknown_dist 'population.attributes={activity: {dist: weibull, k: 2}}'
for f in "$TMP"/bad/*.yaml; do
  $BZ validate "$f" >/dev/null 2>&1
  st=$?
  [ "$st" -eq 2 ] && ok "loader refuses $(basename "$f")" || bad "loader: exit $st for $(basename "$f")"
done
check invalid "$TMP"/bad/*.yaml

# Sweep files: what the loader refuses in the sweep's own keys.
sweep() {
  local name=$1; shift
  { echo "base: $SRC/configs/bass.yaml"; printf '%s\n' "$@"; } >"$TMP/$name.yaml"
}
sweep good_sweep 'axes: [ { key: diffusion.q, range: [1e-2, 0.4], scale: log, levels: 3 } ]' \
  'design: { kind: grid }' 'outcomes: [final_adopters]' 'keep_series: yes'
check valid "$TMP/good_sweep.yaml"
sweep sweep_unknown_key 'axes: [ { key: diffusion.q, values: [0.1] } ]' 'colour: blue'
sweep sweep_axis_key 'axes: [ { key: diffusion.q, values: [0.1], stride: 2 } ]'
sweep sweep_design 'axes: [ { key: diffusion.q, values: [0.1] } ]' 'design: { kind: cube }'
sweep sweep_two_kinds 'axes: [ { key: diffusion.q, values: [0.1], range: [0.1, 0.2] } ]'
sweep sweep_scale_alone 'axes: [ { key: diffusion.q, values: [0.1], scale: log } ]'
sweep sweep_outcome 'axes: [ { key: diffusion.q, values: [0.1] } ]' 'outcomes: [happiness]'
sweep sweep_inline_base_key 'axes: [ { key: diffusion.q, values: [0.1] } ]'
sed -i "s|^base: .*|base: { time: { horizon: 10d }, network: { layers: [ { name: a, generator: { model: well_mixed } } ] }, diffusion: { model: bass, qq: 1 } }|" \
  "$TMP/sweep_inline_base_key.yaml"
for f in "$TMP"/sweep_*.yaml; do
  $BZ sweep "$f" -o "$TMP/never.h5" >/dev/null 2>&1
  st=$?
  [ "$st" -eq 2 ] && ok "sweep loader refuses $(basename "$f")" ||
    bad "sweep loader: exit $st for $(basename "$f")"
done
check invalid "$TMP"/sweep_*.yaml

# The schemas name every registered generator, model and campaign (an
# entry of "definitions"), as the registries' source files list them.
for reg in networks:netgen:generator diffusion:model:diffusion campaigns:campaign:campaign; do
  IFS=: read -r dir sym prefix <<<"$reg"
  names=$(sed -n "s/^ *&bz_${sym}_\([a-z0-9_]*\),.*/\1/p" "$SRC/models/$dir/registry.c")
  [ -n "$names" ] || bad "no entries found in models/$dir/registry.c"
  for n in $names; do
    grep -q "\"$prefix\.$n\": {" "$TMP/experiment.json" && grep -q "\"$prefix\.$n\": {" "$TMP/sweep.json" &&
      ok "schemas define $prefix.$n" || bad "schemas lack $prefix.$n"
  done
done
finish

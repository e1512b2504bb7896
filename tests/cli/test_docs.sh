#!/usr/bin/env bash
# docs/reference.md is generated from the parameter tables
# (`buzzsim models --markdown`): it must not drift from the code. Regenerate
# it with: { head -n 6 docs/reference.md; build/buzzsim models --markdown; } > new
# (scripts/update-docs.sh regenerates it and every generated block of docs/).
. "$(dirname "$0")/lib.sh"
ref=$SRC/docs/reference.md
[ -f "$ref" ] || { bad "missing docs/reference.md"; finish; exit 1; }
$BZ models --markdown >"$TMP/models.md" || bad "buzzsim models --markdown failed"
# The file starts with a 6-line preamble written by hand.
if tail -n +7 "$ref" | cmp -s - "$TMP/models.md"; then
  ok "docs/reference.md matches buzzsim models --markdown"
else
  bad "docs/reference.md is out of date: $(tail -n +7 "$ref" | diff - "$TMP/models.md" | head -5)"
fi
# docs/output.md embeds the outputs tables of `buzzsim models --outputs
# --markdown` between two markers.
out=$SRC/docs/output.md
$BZ models --outputs --markdown >"$TMP/outputs.md" || bad "buzzsim models --outputs --markdown failed"
sed -n '/^<!-- generated: buzzsim models --outputs --markdown -->$/,/^<!-- end of generated -->$/p' "$out" |
  sed '1d;$d' >"$TMP/embedded.md"
if [ -s "$TMP/embedded.md" ] && cmp -s "$TMP/embedded.md" "$TMP/outputs.md"; then
  ok "docs/output.md embeds buzzsim models --outputs --markdown"
else
  bad "docs/output.md outputs tables are out of date: $(diff "$TMP/embedded.md" "$TMP/outputs.md" | head -5)"
fi
# docs/campaigns.md and docs/models.md embed the lever table of `buzzsim
# models --levers --markdown` between the same markers.
$BZ models --levers --markdown >"$TMP/levers.md" || bad "buzzsim models --levers --markdown failed"
for doc in campaigns models; do
  sed -n '/^<!-- generated: buzzsim models --levers --markdown -->$/,/^<!-- end of generated -->$/p' \
    "$SRC/docs/$doc.md" | sed '1d;$d' >"$TMP/embedded_levers.md"
  if [ -s "$TMP/embedded_levers.md" ] && cmp -s "$TMP/embedded_levers.md" "$TMP/levers.md"; then
    ok "docs/$doc.md embeds buzzsim models --levers --markdown"
  else
    bad "docs/$doc.md lever table is out of date: $(diff "$TMP/embedded_levers.md" "$TMP/levers.md" | head -5)"
  fi
done
# The key tables of docs/config.md (experiment file) and docs/cluster.md
# (sweep file) are blocks of `buzzsim models --config-tables` between
# "<!-- generated: config-table NAME -->" (or sweep-table) and "<!-- end of
# generated -->": each block equals the generator's block NAME, and each
# generated block is embedded somewhere. Regenerate: scripts/update-docs.sh.
$BZ models --config-tables >"$TMP/tables.md" || bad "buzzsim models --config-tables failed"
expect_fail "models --config-tables NAME" 2 "^buzzsim models: --config-tables takes no model name" \
  $BZ models --config-tables market
/usr/bin/python3 - "$TMP/tables.md" "$SRC" docs/config.md docs/cluster.md >"$TMP/tables_check" <<'PY' ||
import os, re, sys
start = re.compile(r"^<!-- generated: ((?:config|sweep)-table \S+) -->$", re.M)
block = re.compile(r"^<!-- generated: ((?:config|sweep)-table \S+) -->\n(.*?)^<!-- end of generated -->$",
                   re.M | re.S)
gen = open(sys.argv[1]).read()
tables = {m.group(1): m.group(2) for m in block.finditer(gen)}
if len(tables) < 12 or len(tables) != len(start.findall(gen)):
    print(f"FAIL buzzsim models --config-tables gave {len(tables)} well-formed blocks")
used = set()
for doc in sys.argv[3:]:
    text = open(os.path.join(sys.argv[2], doc)).read()
    found = list(block.finditer(text))
    if len(found) != len(start.findall(text)):
        print(f"FAIL {doc}: a generated block has no '<!-- end of generated -->' line")
    for m in found:
        name, body = m.group(1), m.group(2)
        used.add(name)
        if name not in tables:
            print(f"FAIL {doc}: block '{name}' is not one buzzsim models --config-tables makes")
        elif body != tables[name]:
            want = tables[name].splitlines()
            have = body.splitlines()
            diff = next((f"line {i + 1}: has '{a}', expected '{b}'" for i, (a, b) in
                         enumerate(zip(have, want)) if a != b),
                        f"{len(have)} lines, expected {len(want)}")
            print(f"FAIL {doc}: block '{name}' is out of date (scripts/update-docs.sh): {diff}")
        else:
            print(f"ok   {doc}: block '{name}' matches buzzsim models --config-tables")
for name in tables:
    if name not in used:
        print(f"FAIL no doc embeds the block '{name}' of buzzsim models --config-tables")
PY
  bad "key table check failed to run"
while IFS= read -r line; do
  case $line in "ok   "*) ok "${line#ok   }" ;; *) bad "${line#FAIL }" ;; esac
done <"$TMP/tables_check"
[ "$(grep -c '^ok' "$TMP/tables_check")" -ge 14 ] ||
  bad "the key table check saw only $(grep -c '^ok' "$TMP/tables_check") blocks"
# Every entry of every registry, walked from the registries' source
# (models/*/registry.c: one `&bz_KIND_NAME,` line each), answers `buzzsim
# models NAME`, and the plain listing has exactly these entries.
registry_names() { # DIR SYMBOL: the names of one registry, in its order
  sed -n "s/^ *&bz_$2_\([a-z0-9_]*\),.*/\1/p" "$SRC/models/$1/registry.c"
}
: >"$TMP/registered"
for reg in networks:netgen:network diffusion:model:diffusion campaigns:campaign:campaign; do
  IFS=: read -r dir sym kind <<<"$reg"
  names=$(registry_names "$dir" "$sym")
  [ "$(echo "$names" | wc -w)" -ge 5 ] || bad "models/$dir/registry.c: found only '$names'"
  for name in $names; do
    echo "$kind $name" >>"$TMP/registered"
    $BZ models "$name" >"$TMP/one" 2>"$TMP/err" && grep -q "^$kind $name\$" "$TMP/one" &&
      ok "models $name" || bad "models $name: $(head -2 "$TMP/err" "$TMP/one")"
  done
done
$BZ models | grep -E '^(network|diffusion|campaign) ' >"$TMP/listed"
cmp -s "$TMP/registered" "$TMP/listed" && ok "buzzsim models lists every registered entry, in order" ||
  bad "buzzsim models and the registries differ: $(diff "$TMP/registered" "$TMP/listed" | head -5)"
# Every entry and each of its parameters is documented in docs/reference.md
# (its own section), the parameters taken from the experiment schema
# (`buzzsim schema`, made from the tables by other code than the
# reference), and so are the market's.
$BZ schema >"$TMP/schema.json" || bad "buzzsim schema failed"
/usr/bin/python3 - "$TMP/schema.json" "$ref" >"$TMP/documented" <<'PY' || bad "reference check failed to run"
import json, re, sys
schema, text = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
sections = {}  # "### KIND `NAME`" -> the text up to the next heading
for m in re.finditer(r"^### (\w+(?: \w+)?) `([\w.]+)`\n(.*?)(?=^#)", text + "\n#", re.M | re.S):
    sections[(m.group(1), m.group(2))] = m.group(3)
kinds = {"generator": "network", "diffusion": "diffusion", "campaign": "campaign"}
entries = [(kinds[k.split(".")[0]], k.split(".", 1)[1], list(d["properties"])[1:])
           for k, d in schema["definitions"].items() if k.split(".")[0] in kinds]
market = schema["properties"]["market"]
entries.append(("section", "market", [p for p in market["properties"] if p != "local"]))
entries.append(("section", "market.local", list(market["properties"]["local"]["items"]["properties"])))
for kind, name, params in entries:
    body = sections.get((kind, name))
    if body is None:
        print(f"FAIL docs/reference.md has no section '### {kind} `{name}`'")
        continue
    missing = [p for p in params if f"| `{p}` |" not in body]
    print(("FAIL" if missing else "ok  ") + f" docs/reference.md documents {kind} {name} and its "
          f"{len(params)} parameters" + (f"; missing: {missing}" if missing else ""))
PY
while IFS= read -r line; do
  case $line in "ok   "*) ok "${line#ok   }" ;; *) bad "${line#FAIL }" ;; esac
done <"$TMP/documented"
[ "$(grep -c . "$TMP/documented")" -ge 20 ] || bad "the reference check saw only $(grep -c . "$TMP/documented") entries"
# Every command of the command table (src/cli/main.c) answers --help with
# its usage line and exit 0, and `buzzsim --help` lists exactly these.
commands=$(sed -n 's/^ *{"\([a-z]*\)", bz_cmd_.*/\1/p' "$SRC/src/cli/main.c")
[ "$(echo "$commands" | wc -w)" -ge 9 ] || bad "src/cli/main.c: found only commands '$commands'"
for c in $commands; do
  $BZ "$c" --help >"$TMP/help" 2>"$TMP/err" && grep -q "^usage: buzzsim $c " "$TMP/help" && [ ! -s "$TMP/err" ] &&
    ok "buzzsim $c --help" || bad "buzzsim $c --help: $(head -2 "$TMP/err" "$TMP/help")"
done
$BZ --help | sed -n 's/^  buzzsim \([a-z]*\) .*/\1/p' >"$TMP/helped"
[ "$(echo $commands)" = "$(echo $(cat "$TMP/helped"))" ] && ok "buzzsim --help lists every command" ||
  bad "buzzsim --help lists '$(echo $(cat "$TMP/helped"))', the table has '$(echo $commands)'"
$BZ models sir | grep -q "honours: expose, seed$" && ok "models sir: honours" || bad "models sir: honours"
$BZ models festival | grep -q "levers: expose, engage, boost (only when share_boost != 1 and boost_for != 0)" &&
  ok "models festival: levers" || bad "models festival: levers"
expect_fail "unknown model name" 2 "no generator, model or campaign named 'nope'" $BZ models nope
# Every experiment in configs/ validates (sweep specs are checked by test_sweep).
for f in "$SRC"/configs/*.yaml; do
  case $(basename "$f") in
    sweep_*) continue ;;
    calibrate_*)
      $BZ calibrate --dry-run "$f" >/dev/null 2>"$TMP/v.err" && ok "calibrate --dry-run $(basename "$f")" ||
        bad "calibrate --dry-run $(basename "$f"): $(head -c 300 "$TMP/v.err")"
      continue
      ;;
    optimize_*)
      $BZ optimize --dry-run "$f" >/dev/null 2>"$TMP/v.err" && ok "optimize --dry-run $(basename "$f")" ||
        bad "optimize --dry-run $(basename "$f"): $(head -c 300 "$TMP/v.err")"
      continue
      ;;
  esac
  $BZ validate "$f" >/dev/null 2>"$TMP/v.err" && ok "validate $(basename "$f")" ||
    bad "validate $(basename "$f"): $(head -c 300 "$TMP/v.err")"
done
# docs/architecture.md names every folder of src/ as a layer (that no file
# includes a header of a higher layer is test_layers.sh's check).
for d in "$SRC"/src/*/; do
  d=$(basename "$d")
  grep -q "^| [0-9] | \`src/$d/\` |" "$SRC/docs/architecture.md" &&
    ok "docs/architecture.md: layer src/$d" || bad "docs/architecture.md: no layer for src/$d"
done
finish

#!/usr/bin/env bash
# docs/reference.md is generated from the parameter tables
# (`buzzsim models --markdown`): it must not drift from the code. Regenerate
# it with: { head -n 6 docs/reference.md; build/buzzsim models --markdown; } > new
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
# Every registered model appears in the plain listing, with its parameters.
for name in community customer_service bass sir independent_cascade erdos_renyi barabasi_albert chung_lu sbm advertising kol_seeding buzz_funnel festival referral flash_sale partnership social_game; do
  $BZ models "$name" | grep -q "$name" && ok "models $name" || bad "models $name"
done
$BZ models sir | grep -q "honours: expose, seed$" && ok "models sir: honours" || bad "models sir: honours"
$BZ models festival | grep -q "levers: expose, engage, boost (only when share_boost != 1 and boost_for != 0)" &&
  ok "models festival: levers" || bad "models festival: levers"
expect_fail "unknown model name" 2 "no generator, model or campaign named 'nope'" $BZ models nope
# Every experiment in configs/ validates (sweep specs are checked by test_sweep).
for f in "$SRC"/configs/*.yaml; do
  case $(basename "$f") in sweep_*) continue ;; esac
  $BZ validate "$f" >/dev/null 2>"$TMP/v.err" && ok "validate $(basename "$f")" ||
    bad "validate $(basename "$f"): $(head -c 300 "$TMP/v.err")"
done
finish

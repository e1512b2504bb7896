#!/usr/bin/env bash
# The option tables (src/cli/options.h): every option of every command is
# in its --help and accepted by its parser; the parser's forms and errors;
# README.md's command list is the generated `buzzsim --help`.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
# `buzzsim --debug-options`: per option of every command, a command line
# that gives it (with its sample value, what it needs, the required ones).
$BZ --debug-options >samples 2>err && [ -s samples ] && [ ! -s err ] || bad "--debug-options: $(head -3 err)"
[ "$(wc -l <samples)" -ge 30 ] || bad "--debug-options lists only $(wc -l <samples) options"
while read -r cmd args; do
  opt=$(echo "$args" | grep -o -- '--[a-z-]*' | head -1)
  if ! $BZ "$cmd" --help | grep -q -- "$opt"; then
    bad "buzzsim $cmd --help does not show $opt"
  elif ! $BZ --debug-parse "$cmd" $args >parsed 2>err; then
    bad "buzzsim $cmd $args: refused: $(cat err)"
  elif ! grep -q -e "^$opt" -e "^--set=${opt#--}=" parsed; then
    bad "buzzsim $cmd $args: $opt not parsed: $(cat parsed)"
  else
    ok "$cmd $opt: in --help, parsed"
  fi
done <samples
# Every command's --help: exit 0, usage line first, every listed option
# known to the parser (a short form too).
for cmd in $(sed 's/ .*//' samples | uniq); do
  $BZ "$cmd" --help >help 2>err && [ ! -s err ] && head -1 help | grep -q "^usage: buzzsim $cmd " ||
    bad "$cmd --help: $(head -2 err help)"
  for opt in $(sed -n 's/^  -\(.\), --.*/-\1/p' help); do
    $BZ --debug-parse "$cmd" "$opt" 2>&1 | grep -q "unknown option" && bad "$cmd: $opt in --help is unknown"
  done
done
# Forms: --name VALUE, --name=VALUE and -x VALUE are one; `--` ends the
# options; --seed and --replicates are --set overrides in their place.
$BZ --debug-parse run e.yaml --set a=1 --seed 3 --set=b=2 --replicates=4 -t 2 -o o.h5 >p1
printf '%s\n' EXPERIMENT.yaml=e.yaml --output=o.h5 --set=a=1 --set=seed=3 --set=b=2 \
  --set=replicates=4 --threads=2 >want
cmp -s p1 want && ok "forms and the order of overrides" || bad "parsed: $(cat p1)"
$BZ --debug-parse run -- -e.yaml | grep -qx "EXPERIMENT.yaml=-e.yaml" && ok "-- ends the options" || bad "--"
$BZ --debug-parse graph e.yaml --stats | grep -qx -- "--stats=full" && ok "bare --stats is full" || bad "--stats"
$BZ --debug-parse graph e.yaml --stats=basic | grep -qx -- "--stats=basic" && ok "--stats=basic" || bad "--stats=basic"
$BZ run e.yaml -o x.h5 --help >help 2>err && grep -q "^usage: buzzsim run " help && [ ! -s err ] &&
  [ ! -e x.h5 ] && ok "--help after other arguments" || bad "--help after other arguments: $(cat err)"
expect_fail "flag with a value" 2 "^buzzsim run: --force takes no value, got '--force=1' \(usage: 'buzzsim run --help'\)$" \
  $BZ run e.yaml --force=1
expect_fail "value missing" 2 "^buzzsim export: --format needs a value \(tsv or csv\)" $BZ export a b --format
expect_fail "bad --stats level" 2 "^buzzsim graph: --stats: expected basic or full, got 'x'" $BZ graph e.yaml --stats=x
expect_fail "merge -o required" 2 "^buzzsim merge: missing -o out.h5" $BZ merge a.h5
expect_fail "--seed not a number" 2 "^buzzsim run: --seed: expected a non-negative integer, got '-1'" $BZ run e.yaml --seed -1
expect_fail "two model names" 2 "^buzzsim models: unexpected argument 'b'" $BZ models a b
expect_fail "sweep --threads empty" 2 "^buzzsim sweep: --threads needs a value" $BZ sweep s.yaml --threads
# README.md embeds the command list of `buzzsim --help` between markers.
$BZ --help | sed -n '/^usage:$/,/^$/p' | sed '1d;$d' >listing
sed -n '/^<!-- generated: buzzsim --help -->$/,/^<!-- end of generated -->$/p' "$SRC/README.md" |
  sed '1,2d;$d' | sed '$d' >embedded
[ -s embedded ] && cmp -s embedded listing && ok "README.md embeds the command list of buzzsim --help" ||
  bad "README.md command list is out of date: $(diff embedded listing | head -5)"
# Usage lines quoted in docs/ are the generated ones.
for cmd in export plot; do
  usage=$($BZ "$cmd" --help | head -1 | sed 's/^usage: //')
  grep -qF -- "    $usage" "$SRC/docs/output.md" && ok "docs/output.md: $usage" || bad "docs/output.md lacks '$usage'"
done
finish

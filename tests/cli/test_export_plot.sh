#!/usr/bin/env bash
# `info`, `export` and `plot` on a small real run: exit codes, table shapes,
# figures written, and the error paths (bad files, unknown datasets, no
# gnuplot, unsafe paths).
. "$(dirname "$0")/lib.sh"
cd "$TMP"

# expect NAME STATUS CMD...: exit status only (usage errors print two lines,
# which expect_fail refuses); stdout in out, stderr in err.
expect() {
  local name=$1 want=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local st=$?
  if [ "$st" -eq "$want" ]; then ok "$name"; else bad "$name: exit $st, expected $want: $(head -3 "$TMP/err")"; fi
}
# has FILE TEXT NAME: the file contains TEXT (fixed string).
has() {
  if grep -qF -- "$2" "$1"; then ok "$3"; else bad "$3: no '$2' in: $(head -3 "$1")"; fi
}
# same NAME GOT WANT
same() {
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', expected '$3'"; fi
}
TAB=$(printf '\t')

small_experiment x.yaml
expect "run writes a results file" 0 $BZ run x.yaml -o out.h5 --quiet
[ -f out.h5 ] || { bad "no results file: stopping"; finish; exit 1; }
[ ! -e out.h5.partial ] && ok "no .partial left" || bad "a .partial file was left"
expect_fail "run refuses to overwrite" 2 "out.h5' exists \(use --force to overwrite\)" \
  $BZ run x.yaml -o out.h5 --quiet

# info
expect "info" 0 $BZ info out.h5
has out "final_adopters" "info lists the outcomes"
has out "follow: barabasi_albert, directed, 2,000 agents" "info describes a layer"
has out "difference vs baseline 'baseline'" "info has the comparison"
expect_fail "info: missing file" 2 "missing.h5" $BZ info missing.h5
printf 'not hdf5\n' >text.h5
expect_fail "info: text file" 2 "text.h5: not an HDF5 file" $BZ info text.h5
head -c 3000 out.h5 >trunc.h5
expect_fail "info: truncated file" 2 "trunc.h5" $BZ info trunc.h5
expect "info: no file (usage)" 2 $BZ info
has err "missing the results file" "info usage message"

# export
expect "export arms" 0 $BZ export out.h5 arms
same "arm names in order" "$(cat out)" "$(printf 'baseline\nads\nkol')"
expect "export a summary" 0 $BZ export out.h5 /arms/ads/summary/adopters
same "summary header" "$(head -1 out)" "# time_days${TAB}mean${TAB}sd${TAB}q05${TAB}q50${TAB}q95"
# 10 days of 6 h steps: 40 steps, 41 times, plus the header line.
same "summary rows" "$(wc -l <out)" "42"
same "last time is day 10" "$(tail -1 out | cut -f1)" "10"
expect "export a series as CSV" 0 $BZ export out.h5 arms/baseline/adopters --format csv
same "series CSV header" "$(head -1 out)" "time_days,rep0,rep1,rep2"
expect "export the comparison" 0 $BZ export out.h5 /comparison
same "comparison rows" "$(grep -c "final_adopters" out)" "2"
has out "kol${TAB}cost_per_adopter${TAB}" "comparison names arm and outcome"
expect "export outcomes" 0 $BZ export out.h5 /arms/kol/outcomes
same "one row per replicate" "$(grep -vc '^#' out)" "3"
expect_fail "export: unknown dataset" 2 "no dataset '/nope' \(try buzzsim info out.h5\)" \
  $BZ export out.h5 /nope
expect "export: bad format (usage)" 2 $BZ export out.h5 arms --format xml
has err "expected tsv or csv, got 'xml'" "bad format message"
expect "export: no dataset (usage)" 2 $BZ export out.h5
has err "missing the dataset" "missing dataset message"

# plot
if command -v gnuplot >/dev/null; then
  expect "plot (png, default directory)" 0 $BZ plot out.h5
  for f in adoption comparison attribution states network; do
    p="$TMP/out_plots/$f.png"
    if [ -s "$p" ] && [ "$(head -c 4 "$p" | tail -c 3)" = "PNG" ]; then ok "$f.png"; else bad "$f.png missing or not a PNG"; fi
    has out "$p" "plot lists $f.png"
  done
  expect "plot svg into --outdir" 0 $BZ plot out.h5 --format svg --outdir figs
  [ -s figs/comparison.svg ] && ok "comparison.svg" || bad "figs/comparison.svg missing"
  expect "single-arm run" 0 $BZ run x.yaml -o one.h5 --arms baseline --quiet
  expect "plot a single-arm file" 0 $BZ plot one.h5
  [ -s one_plots/adoption.png ] && [ ! -e one_plots/comparison.png ] &&
    ok "single arm: no comparison figure" || bad "single arm: wrong figures"
fi
expect_fail "plot without gnuplot" 1 "gnuplot not found: install gnuplot-nox" \
  env PATH=/nonexistent $BZ plot out.h5
expect "plot: bad format (usage)" 2 $BZ plot out.h5 --format bmp
has err "expected png, svg or pdf, got 'bmp'" "plot format message"
cp out.h5 "it's.h5"
expect_fail "plot: quote in the path" 2 "single quote" $BZ plot "it's.h5"
expect_fail "plot: not a results file" 2 "text.h5: not an HDF5 file" $BZ plot text.h5

# Per city: an ambassador of cities 1 and 2 with no word of mouth (bass p =
# q = 0, response 1) makes adopters only among the followers it reaches
# there: none elsewhere; per-city adopters and revenue add up exactly to the
# outcomes of every replicate; cities.gp draws the per-city figure.
cat >cities.yaml <<'YAML'
name: cities
seed: 3
time: { step: 1d, horizon: 5d }
replicates: 3
population: { agents: 3000, cities: 5 }
network:
  layers:
    - { name: follow, directed: true, generator: { model: barabasi_albert, m: 4 } }
diffusion: { model: bass, p: 0, q: 0, response: 1 }
market: { price: 100, local: [ { cities: [2], price: 70, value: 0 } ] }
arms:
  baseline: []
  amb: [ { campaign: ambassador, cities: [1, 2], count: 3, reach: 1, seed: false, fee: 10, fee_per_follower: 2 } ]
YAML
expect "run with an ambassador" 0 $BZ run cities.yaml -o cities.h5 --quiet
$BZ export cities.h5 /arms/amb/cities >percity
same "no adopter outside the ambassador's cities" \
  "$(awk -F'\t' 'NR > 1 && $2 != 1 && $2 != 2 { s += $3 } END { print s + 0 }' percity)" "0"
inside=$(awk -F'\t' 'NR > 1 && ($2 == 1 || $2 == 2) { s += $3 } END { print s + 0 }' percity)
[ "$inside" -gt 0 ] && ok "adopters inside its cities ($inside)" || bad "no adopter inside its cities"
$BZ export cities.h5 /arms/amb/outcomes >outc
sums=$(awk -F'\t' 'NR > 1 { a[$1] += $3; r[$1] += $6 } END { for (i in a) printf "%d %.17g\n", i, a[i] + 0 * r[i] }' percity | sort)
tot=$(awk -F'\t' 'NR > 1 { printf "%d %.17g\n", $1, $2 }' outc | sort)
same "per-city adopters sum to final_adopters" "$sums" "$tot"
rsum=$(awk -F'\t' 'NR > 1 { r[$1] += $6 } END { for (i in r) printf "%d %.17g\n", i, r[i] }' percity | sort)
rtot=$(awk -F'\t' 'NR > 1 { printf "%d %.17g\n", $1, $7 }' outc | sort)
same "per-city revenue sums to revenue" "$rsum" "$rtot"
expect "info shows the cities" 0 $BZ info cities.h5
has out "Where the extra adopters are" "info lists the top cities"
if command -v gnuplot >/dev/null; then
  expect "plot the per-city figure" 0 $BZ plot cities.h5
  p="$TMP/cities_plots/cities.png"
  if [ -s "$p" ] && [ "$(head -c 4 "$p" | tail -c 3)" = "PNG" ]; then ok "cities.png"; else bad "cities.png missing or not a PNG"; fi
fi
finish

#!/usr/bin/env bash
# buzzsim optimize end to end: bad plans exit 2 with FILE:LINE:COL: key and
# write nothing; a small search writes the HDF5 file and the recommended
# plan, which `run` accepts and which respects the budget; `info` and
# `export` read the file; outputs are never overwritten without --force.
. "$(dirname "$0")/lib.sh"
cd "$TMP"
AGENTS=400 small_experiment base.yaml
sed -i 's/replicates: 3/replicates: 2/; s/reach: 0.2 }/reach: 0.2, cpm: 50 }/' base.yaml
echo "market: { price: 10 }" >>base.yaml

plan() { # plan FILE EXTRA-LINES...
  local f=$1; shift
  {
    echo "base: base.yaml"
    echo "arm: ads"
    echo "variables:"
    echo "  - { key: arms.ads.0.reach, min: 0.01, max: 1, scale: log }"
    echo "  - { key: arms.ads.0.duration, values: [1d, 3d, 6d] }"
    echo "search: { evaluations: 6, replicates: 2 }"
    echo "final: { candidates: 2, replicates: 3 }"
    for l in "$@"; do echo "$l"; done
  } >"$f"
}

# The issue's four bad plans, and more: exit 2, one line, nothing written.
plan p1.yaml "budget: 0"
expect_fail "budget 0" 2 "^buzzsim: p1.yaml:8:9: budget: expected a budget > 0" "$BZ" optimize p1.yaml -q
plan p2.yaml "objective: fun"
expect_fail "objective not an outcome" 2 "^buzzsim: p2.yaml:8:12: objective: expected an outcome" \
  "$BZ" optimize p2.yaml -q
sed 's/arms.ads.0.reach, min: 0.01, max: 1/arms.ads.0.colour, min: 0.01, max: 1/' p1.yaml | sed '$d' >p3.yaml
expect_fail "unknown key as a variable" 2 \
  "^buzzsim: p3.yaml:4:12: variables.0.key: arms.ads.0.colour=0.01: --set arms.ads.0.colour: unknown key" \
  "$BZ" optimize p3.yaml -q
sed 's/min: 0.01, max: 1,/min: 1, max: 0.01,/' p3.yaml | sed 's/colour/reach/' >p4.yaml
expect_fail "bounds reversed" 2 "^buzzsim: p4.yaml:4:43: variables.0.max: expected max > min \(1\), got 0.01" \
  "$BZ" optimize p4.yaml -q
plan p5.yaml "arm2: x"
expect_fail "unknown top-level key" 2 "^buzzsim: p5.yaml:8:1: arm2: unknown key" "$BZ" optimize p5.yaml -q
expect_fail "missing plan" 2 "nothere.yaml" "$BZ" optimize nothere.yaml -q
expect_fail "no plan" 2 "missing the plan file" "$BZ" optimize -q
expect_fail "unknown option" 2 "unknown option '--fast'" "$BZ" optimize p1.yaml --fast
[ ! -e results ] && ok "bad plans wrote nothing" || bad "bad plans left $(ls -R results)"

# A small search with a budget.
plan good.yaml "budget: 60" "output: { file: res/opt.h5 }"
if "$BZ" optimize good.yaml -q >run.out 2>run.err; then
  ok "optimize ran: $(grep -c . run.out) lines"
else
  bad "optimize failed: $(cat run.err)"
fi
[ -s res/opt.h5 ] && ok "wrote res/opt.h5" || bad "no res/opt.h5"
[ -s res/opt.plan.yaml ] && ok "wrote res/opt.plan.yaml" || bad "no res/opt.plan.yaml"
grep -q "^Recommended: plan 1" run.out && ok "a plan is recommended" || bad "no recommendation: $(cat run.out)"
# The recommended plan is an experiment; its spend stays within the budget
# on the final replicates (column spend_max of /optimize/final, row 1).
"$BZ" validate res/opt.plan.yaml >/dev/null 2>&1 && ok "the recommended plan validates" ||
  bad "the recommended plan does not validate"
"$BZ" export res/opt.h5 /optimize/final >final.tsv 2>final.err && ok "export /optimize/final" ||
  bad "export failed: $(cat final.err)"
spend=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "spend_max") c = i } NR == 3 { print $c }' final.tsv)
feasible=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "feasible") c = i } NR == 3 { print $c }' final.tsv)
awk -v s="$spend" 'BEGIN { exit !(s != "" && s <= 60) }' && ok "recommended spend $spend <= budget 60" ||
  bad "recommended spend '$spend' over the budget 60"
[ "$feasible" = 1 ] && ok "recommended plan feasible" || bad "feasible = '$feasible'"
"$BZ" export res/opt.h5 /optimize/candidates >cand.tsv 2>/dev/null
n=$(($(grep -vc '^#' cand.tsv)))
[ "$n" -ge 3 ] && [ "$n" -le 6 ] && ok "$n candidates (at most search.evaluations 6)" || bad "$n candidates"
"$BZ" info res/opt.h5 >info.out 2>&1 && grep -q "optimize results of plan 'good'" info.out &&
  ok "info describes the file" || bad "info: $(cat info.out)"
"$BZ" run res/opt.plan.yaml -o rec.h5 -q && ok "the recommended plan runs" || bad "run of the plan failed"

# Outputs are not overwritten without --force; with it they are.
before=$(md5sum res/opt.h5)
expect_fail "existing output" 2 "res/opt.h5' exists \(use --force to overwrite\)" "$BZ" optimize good.yaml -q
[ "$(md5sum res/opt.h5)" = "$before" ] && ok "the existing file is untouched" || bad "res/opt.h5 changed"
"$BZ" optimize good.yaml -q --force >/dev/null 2>&1 && ok "--force replaces" || bad "--force failed"
# The two optimize figures, and nothing on stderr (the scripts read the
# file through `buzzsim export`: no broken pipe).
if command -v gnuplot >/dev/null; then
  "$BZ" plot res/opt.h5 --outdir ofigs >oplot.out 2>oplot.err && [ -s ofigs/optimize_search.png ] &&
    [ -s ofigs/optimize_variables.png ] && [ ! -s oplot.err ] && ok "plot: optimize_search and optimize_variables" ||
    bad "plot of an optimize file: $(head -3 oplot.err)"
fi

# Same plan, same bits: the search is deterministic.
"$BZ" export res/opt.h5 /optimize/candidates >cand2.tsv 2>/dev/null
cmp -s cand.tsv cand2.tsv && ok "a rerun gives the same candidates" || bad "the candidates changed on rerun"
"$BZ" optimize good.yaml -q --force --threads 1 -o t1.h5 >/dev/null 2>&1
"$BZ" export t1.h5 /optimize/final >f1.tsv 2>/dev/null
cmp -s final.tsv f1.tsv && ok "--threads 1 gives the same final table" || bad "thread count changed the result"

# The budget counts discounts: more discount sells more, but a discount is
# money given away (spend), so the budget caps it.
flash_sale_base dbase.yaml
cat >dplan.yaml <<'YAML'
base: dbase.yaml
arm: sale
variables: [ { key: arms.sale.0.discount, min: 0, max: 0.6 } ]
objective: final_adopters
budget: 1500
search: { evaluations: 12, replicates: 2 }
final: { candidates: 2, replicates: 4 }
YAML
"$BZ" optimize dplan.yaml -o disc.h5 -q >/dev/null 2>&1 && ok "discount plan ran" || bad "discount plan failed"
"$BZ" export disc.h5 /optimize/candidates >dc.tsv 2>/dev/null
"$BZ" export disc.h5 /optimize/final >df.tsv 2>/dev/null
awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "spend_max") s = i; if ($i == "feasible") f = i } next }
  $(s - 0) > 1500 && $(f - 0) != 0 { bad++ } $(s - 0) > 1500 { over++ } END { exit !(over > 0 && bad == 0) }' dc.tsv &&
  ok "plans over the budget (discounts counted) were seen and refused" || bad "over-budget plans accepted: $(cat dc.tsv)"
read -r d spend <<<"$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "arms.sale.0.discount") c = i; if ($i == "spend_max") s = i } next }
  NR == 3 { print $(c - 0), $(s - 0) }' df.tsv)"
awk -v d="$d" -v s="$spend" 'BEGIN { exit !(d > 0.05 && d < 0.2 && s <= 1500) }' &&
  ok "the budget binds: discount $d, spend $spend <= 1500" || bad "discount '$d' spend '$spend'"

# Per-campaign caps: the flash sale's own spend (its discounts) is capped
# below the total budget. Plans within the total but over the cap are
# refused; the recommended plan keeps the cap in every fresh replicate; the
# budget split is printed and its parts add up to the arm's spend.
flash_sale_base cbudget.yaml
sed -i 's/^  sale:$/  sale:\n    - { campaign: advertising, at: 1d, duration: 5d, reach: 0.2, cpm: 50 }/' cbudget.yaml
cat >caps.yaml <<'YAML'
base: cbudget.yaml
arm: sale
variables:
  - { key: arms.sale.1.discount, min: 0, max: 0.6 }
  - { key: arms.sale.0.reach, min: 0.01, max: 2, scale: log }
objective: final_adopters
budget: { total: 5000, campaigns: { flash_sale: 1200 } }
search: { evaluations: 16, replicates: 2 }
final: { candidates: 2, replicates: 4 }
YAML
"$BZ" optimize caps.yaml -o caps.h5 >caps.out 2>caps.err && ok "capped plan ran" || bad "capped plan: $(tail -1 caps.err)"
"$BZ" export caps.h5 /optimize/candidates >cc.tsv 2>/dev/null
"$BZ" export caps.h5 /optimize/final >cf.tsv 2>/dev/null
col() { awk -F'\t' -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) print i - 1 }' "$2"; }
S=$(col spend_max cc.tsv) F=$(col feasible cc.tsv) C=$(col spend_max.1.flash_sale cc.tsv)
[ -n "$C" ] && ok "candidates carry each campaign's spend" || bad "no spend_max.1.flash_sale column: $(head -1 cc.tsv)"
awk -F'\t' -v s="$S" -v f="$F" -v c="$C" 'NR > 1 && $(c + 1) > 1200 && $(s + 1) <= 5000 { within++; if ($(f + 1) != 0) bad++ }
  NR > 1 && $(f + 1) != 0 && $(c + 1) > 1200 { bad++ } END { exit !(within > 0 && bad == 0) }' cc.tsv &&
  ok "plans within the budget but over the flash sale's cap were refused" || bad "cap not enforced: $(cat cc.tsv)"
S=$(col spend_max cf.tsv) F=$(col feasible cf.tsv) C=$(col spend_max.1.flash_sale cf.tsv) A=$(col spend_max.0.advertising cf.tsv)
awk -F'\t' -v s="$S" -v f="$F" -v c="$C" -v a="$A" 'NR == 3 { ok = $(f + 1) == 1 && $(c + 1) <= 1200 && $(s + 1) <= 5000 &&
  $(c + 1) + $(a + 1) >= $(s + 1) - 1e-6 * $(s + 1) } END { exit !ok }' cf.tsv &&
  ok "the recommended plan keeps the cap in every fresh replicate" || bad "recommended plan: $(sed -n 3p cf.tsv)"
grep -q "caps: campaign 1 (flash_sale) at most 1200" caps.out && grep -q "^Budget split of plan 1" caps.out &&
  grep -Eq "^ +1 flash_sale .*\(capped\)" caps.out && ok "report shows the caps and the budget split" ||
  bad "report: $(cat caps.out)"
# Per replicate the campaigns' spends add up to the arm's spend (the
# results' exact identity; rounding of the sum only).
"$BZ" run caps.plan.yaml -o capsrun.h5 -q >/dev/null 2>&1 || bad "run of the capped plan"
"$BZ" export capsrun.h5 /arms/sale/campaign_spend >cs.tsv 2>/dev/null
"$BZ" export capsrun.h5 /arms/sale/outcomes >co.tsv 2>/dev/null
awk -F'\t' 'FNR == 1 && /^#/ { if (FILENAME ~ /cs/) { for (i = 1; i <= NF; i++) if ($i == "spend") sc = i } else { for (i = 1; i <= NF; i++) if ($i == "spend") oc = i } next }
  FILENAME ~ /cs/ { sum[$1] += $sc; next } { tot[$1] = $oc } END { for (r in tot) { n++; d = sum[r] - tot[r]; if (d < 0) d = -d; if (d > 1e-9 * (tot[r] + 1)) bad++ } exit !(n > 0 && bad == 0) }' cs.tsv co.tsv &&
  ok "campaign spends add up to the arm's spend in every replicate" || bad "split does not add up: $(head -3 cs.tsv) / $(head -3 co.tsv)"
plan q1.yaml "budget: { total: 100, campaigns: { kol_seeding: 5 } }"
expect_fail "cap on a campaign the arm lacks" 2 \
  "^buzzsim: q1.yaml:8:36: budget.campaigns.kol_seeding: arm 'ads' has no campaign 'kol_seeding' \(it has: 0 advertising\)" \
  "$BZ" optimize q1.yaml -q
plan q2.yaml "budget: { campaigns: { 0: 0 } }"
expect_fail "cap 0" 2 "^buzzsim: q2.yaml:8:27: budget.campaigns.0: expected a cap > 0" "$BZ" optimize q2.yaml -q
plan q3.yaml "budget: { campaigns: { 0: 10, advertising: 20 } }"
expect_fail "campaign capped twice" 2 "budget.campaigns.advertising: campaign 0 \(advertising\) is capped twice" \
  "$BZ" optimize q3.yaml -q

# Campaign on/off: a choice of the ads' `enabled`. Ads bring adopters, so
# the search keeps them on; the plan written says which.
cat >onoff.yaml <<'YAML'
base: base.yaml
arm: ads
objective: final_adopters
variables:
  - { key: arms.ads.0.enabled, values: [false, true] }
  - { key: arms.ads.0.reach, min: 0.01, max: 1, scale: log }
search: { evaluations: 8, replicates: 2 }
final: { candidates: 2, replicates: 3 }
YAML
"$BZ" optimize onoff.yaml -o onoff.h5 -q >onoff.out 2>onoff.err || bad "on/off plan: $(tail -1 onoff.err)"
"$BZ" export onoff.h5 /optimize/candidates >oc.tsv 2>/dev/null
"$BZ" export onoff.h5 /optimize/final >of.tsv 2>/dev/null
E=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "arms.ads.0.enabled") print i }' of.tsv)
awk -F'\t' -v e="$E" 'NR > 1 { seen[$e]++ } END { exit !(seen[0] > 0 && seen[1] > 0) }' oc.tsv &&
  ok "the search tried the ads off and on" || bad "on/off not searched: $(cat oc.tsv)"
[ "$(awk -F'\t' -v e="$E" 'NR == 3 { print $e }' of.tsv)" = 1 ] && ! grep -q "enabled: false" onoff.plan.yaml &&
  ok "the recommended plan keeps the ads on" || bad "recommended: $(sed -n 3p of.tsv); $(grep -n enabled onoff.plan.yaml)"

# Calibration: a synthetic series of the model itself is fitted back.
bass_calibration 2 3 "output: { file: res/cal.h5 }"
[ "$(wc -l <obs.tsv)" -eq 20 ] && ok "20 observations" || bad "obs.tsv: $(wc -l <obs.tsv) lines"
if "$BZ" calibrate cal.yaml -q >cal.out 2>cal.err; then ok "calibrate ran"; else bad "calibrate: $(cat cal.err)"; fi
grep -q "^diffusion.p " cal.out && grep -q "^diffusion.q " cal.out && ok "fitted parameters printed" ||
  bad "no fitted parameters: $(head -20 cal.out)"
grep -q "parametric bootstrap" cal.out && ok "bootstrap intervals" || bad "interval method not said"
"$BZ" export res/cal.h5 /optimize/observed >obs_fit.tsv 2>/dev/null && [ "$(grep -vc '^#' obs_fit.tsv)" -eq 20 ] &&
  ok "export /optimize/observed: 20 rows" || bad "export /optimize/observed"
"$BZ" export res/cal.h5 /optimize/fit >fit.tsv 2>/dev/null && [ "$(grep -vc '^#' fit.tsv)" -eq 2 ] &&
  ok "export /optimize/fit: 2 parameters" || bad "export /optimize/fit"
# The estimates' correlation matrix: columns corr.KEY, unit diagonal,
# symmetric, inside [-1, 1], and printed.
awk -F'\t' 'NR == 1 { ok = ($7 == "corr.diffusion.p" && $8 == "corr.diffusion.q"); next }
  { c[NR - 1, 1] = $7; c[NR - 1, 2] = $8 }
  END { exit !(ok && c[1, 1] == 1 && c[2, 2] == 1 && c[1, 2] == c[2, 1] && c[1, 2] >= -1 && c[1, 2] <= 1) }' fit.tsv &&
  grep -q "^  diffusion.p ~ diffusion.q: [-+][01]\.[0-9][0-9]$" cal.out &&
  ok "the estimates' correlations: symmetric, unit diagonal, printed" || bad "correlations: $(cat fit.tsv)"
"$BZ" info res/cal.h5 >cal.info 2>&1 && grep -q "^  loss: least squares on the increments of 'adopters'" cal.info &&
  grep -q "/optimize/fit, /optimize/observed" cal.info && ! grep -q "budget\|profit" cal.info &&
  ok "info on a calibration: the loss and its tables" || bad "info: $(cat cal.info)"
"$BZ" calibrate --dry-run cal.yaml >dry.out 2>&1 && grep -q "valid calibration plan .* fitted to 20 observations of 'adopters'" dry.out &&
  ! grep -q "finalists" dry.out && ok "calibrate --dry-run describes the fit" || bad "dry-run: $(cat dry.out)"
[ -s res/cal.plan.yaml ] && "$BZ" validate res/cal.plan.yaml >/dev/null 2>&1 && ok "the fitted model validates" ||
  bad "no valid res/cal.plan.yaml"
expect_fail "optimize on a calibration plan" 2 "cal.yaml: a calibration plan \(observed:\): use buzzsim calibrate" \
  "$BZ" optimize cal.yaml -q --force
expect_fail "calibrate on an optimize plan" 2 "good.yaml: not a calibration plan" "$BZ" calibrate good.yaml -q --force
# The Xiaomi fit of docs/optimize.md (configs/calibrate_xiaomi.yaml; 139 s,
# so not rerun here): its fitted values reproduce the two sell-outs of the
# data (300 s and 600 s) within 15 s on replicates of another seed.
"$BZ" run "$SRC/configs/xiaomi_flash_fit.yaml" --set arms.launches.0.announce_reach=1.588 \
  --set diffusion.interest=0.1110 --set replicates=3 --set seed=7 -o xf.h5 -q --force >/dev/null 2>xf.err ||
  bad "xiaomi_flash_fit: $(tail -1 xf.err)"
"$BZ" export xf.h5 /arms/launches/windows >xf.tsv 2>/dev/null
awk -F'\t' 'NR > 1 { n[$2]++; s[$2] += $7; if ($6 != $5) short++ }
  END { a = s[0] / n[0]; b = s[1] / n[1]; print a, b; exit !(n[0] == 3 && n[1] == 3 && !short &&
        a > 285 && a < 315 && b > 585 && b < 615) }' xf.tsv >xf.out &&
  ok "the fitted Xiaomi model sells out in 300 s and 600 s ($(cat xf.out))" ||
  bad "Xiaomi fit: sell-outs $(cat xf.out) s"
printf '1 10\n1 12\n' >bad.tsv
sed 's/obs.tsv/bad.tsv/' cal.yaml >calbad.yaml
expect_fail "observed times not increasing" 2 "bad.tsv:2: times must increase" "$BZ" calibrate calbad.yaml -q
finish

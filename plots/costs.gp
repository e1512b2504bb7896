# What an extra adopter costs, per arm: the extra spend (campaign costs and
# discounts given) per extra adopter against the baseline (ratio of paired
# mean differences, 95% delta-method CI; see docs/campaigns.md), one row per
# arm.
# Arms whose extra adopters are not significantly above zero have no
# estimate and are listed as such.
# Input: /comparison/<arm> (row cost_per_extra_adopter), /arms/<arm>/outcomes.
# Output: costs.<fmt>; nothing (a note on stderr) with a single arm.
load plotsdir.'/style.gp'

if (narms < 2) {
    set print
    print sprintf("costs.gp: %s has one arm only: no cost figure", file)
    exit
}
row(i) = sprintf("< %s export %s %s | awk '$1 == \"cost_per_extra_adopter\"'", bz_q(buzzsim), \
                 bz_q(file), bz_q('/comparison/'.word(arms, i)))
xmax = 0
nvalid = 0
do for [i=2:narms] {
    stats row(i) using (valid(4) ? $4 : (valid(2) ? $2 : 0)) nooutput
    if (STATS_max > xmax) { xmax = STATS_max }
    stats row(i) using (valid(2) ? 1 : 0) nooutput
    nvalid = nvalid + STATS_sum
}
if (xmax <= 0) { xmax = 1 }
set xrange [0 : xmax * 1.35]
set yrange [0.4 : narms - 0.4]
set ytics scale 0 noenhanced
set grid noytics
set key off
set output bz_out('costs')
set title sprintf("Spend per extra adopter vs '%s' (campaign costs + discounts, 95%% CI)", word(arms, 1))
set xlabel "Currency per extra adopter"
y(i) = narms - i + 1
LO = 'valid(3) ? $3 : $2'
HI = 'valid(4) ? $4 : $2'
if (nvalid == 0) { set label 1 "no arm adds adopters significantly" at graph 0.5, graph 0.5 center }
plot for [i=2:narms] row(i) using ($2):(y(i)):(@LO):(@HI):ytic(word(arms, i)) \
         with xerrorbars lt i pt 7 ps 2 lw 3, \
     for [i=2:narms] row(i) using ($2):(y(i)):(sprintf("%.3g [%.3g, %.3g]", $2, $3, $4)) \
         with labels offset 0, 1.3 font ",12" textcolor rgb '#333333', \
     for [i=2:narms] row(i) using (0):(y(i)):(valid(2) ? "" : "no significant gain") \
         with labels left offset 1, 0 font ",12" textcolor rgb '#777777'
unset output
print bz_out('costs')

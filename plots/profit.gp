# What each arm earns against the baseline: the extra profit (paired
# difference of profit = revenue - unit costs - campaign costs - fixed
# costs, 95% CI) and the return on spend (extra profit per unit of extra
# spend, spend = campaign costs + discounts; delta-method 95% CI), one row
# per arm. Arms whose extra spend is not surely positive have no return.
# Input: /comparison/<arm> (rows profit and return_on_spend).
# Output: profit.<fmt>; nothing (a note on stderr) with a single arm or an
# unpriced product.
load plotsdir.'/style.gp'

if (narms < 2) {
    set print
    print sprintf("profit.gp: %s has one arm only: no profit figure", file)
    exit
}
row(i, name) = sprintf("< %s export %s %s | awk -F '\t' '$1 == \"%s\"'", bz_q(buzzsim), \
                       bz_q(file), bz_q('/comparison/'.word(arms, i)), name)
LO = 'valid(3) ? $3 : $2'
HI = 'valid(4) ? $4 : $2'
# Ranges of both panels over every arm.
pmin = 0; pmax = 0; rmin = 0; rmax = 0; nret = 0
do for [i=2:narms] {
    # One column per stats call: two columns would fit a line to one point.
    stats row(i, "profit") using (@LO) nooutput
    if (STATS_min < pmin) { pmin = STATS_min }
    stats row(i, "profit") using (@HI) nooutput
    if (STATS_max > pmax) { pmax = STATS_max }
    stats row(i, "return_on_spend") using (valid(2) ? @LO : 0) nooutput
    if (STATS_min < rmin) { rmin = STATS_min }
    stats row(i, "return_on_spend") using (valid(2) ? @HI : 0) nooutput
    if (STATS_max > rmax) { rmax = STATS_max }
    stats row(i, "return_on_spend") using (valid(2) ? 1 : 0) nooutput
    nret = nret + STATS_sum
}
if (pmin == 0 && pmax == 0) {
    set print
    print sprintf("profit.gp: %s has no money outcomes (market.price not set): no figure", file)
    exit
}
big = abs(pmax) > abs(pmin) ? abs(pmax) : abs(pmin)
scale = big >= 1e6 ? 1e6 : (big >= 1e3 ? 1e3 : 1)
unit = big >= 1e6 ? " (millions)" : (big >= 1e3 ? " (thousands)" : "")
y(i) = narms - i + 1

set output bz_out('profit')
set multiplot layout 1, 2 title sprintf("What each arm earns against '%s' (paired, 95%% CI)", \
    word(arms, 1)) font ",16"
set yrange [0.4 : narms - 0.4]
set ytics scale 0 noenhanced
set grid noytics
set key off
pspan = (pmax - pmin) > 0 ? pmax - pmin : 1
set xrange [(pmin - 0.1 * pspan) / scale : (pmax + 0.35 * pspan) / scale]
set title "Extra profit" font ",13"
set xlabel "Currency".unit
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#555555' dt 2 lw 1.5 back
plot for [i=2:narms] row(i, "profit") using ($2/scale):(y(i)):((@LO)/scale):((@HI)/scale):ytic(word(arms, i)) \
         with xerrorbars lt i pt 7 ps 2 lw 3, \
     for [i=2:narms] row(i, "profit") using ($2/scale):(y(i)):(sprintf("%+.3g", $2/scale)) \
         with labels offset 0, 1.3 font ",12" textcolor rgb '#333333'
rspan = (rmax - rmin) > 0 ? rmax - rmin : 1
set xrange [rmin - 0.1 * rspan : rmax + 0.35 * rspan]
set title "Return on spend (extra profit per unit of extra spend)" font ",13"
set xlabel "Currency per currency spent"
set ytics format ""
if (nret == 0) { set label 1 "no arm spends surely more than the baseline" at graph 0.5, graph 0.5 center }
plot for [i=2:narms] row(i, "return_on_spend") using ($2):(y(i)):(@LO):(@HI) \
         with xerrorbars lt i pt 7 ps 2 lw 3, \
     for [i=2:narms] row(i, "return_on_spend") using ($2):(y(i)):(sprintf("%.3g", $2)) \
         with labels offset 0, 1.3 font ",12" textcolor rgb '#333333', \
     for [i=2:narms] row(i, "return_on_spend") using (0):(y(i)):(valid(2) ? "" : "no extra spend") \
         with labels left offset 1, 0 font ",12" textcolor rgb '#777777'
unset label 1
unset multiplot
unset output
print bz_out('profit')

# Flash sales: for every arm with sale windows, the units each window brought
# (outline) and sold (filled bar, mean over replicates), how fast it sold
# out (mean seconds from opening, over the replicates where it did), and the
# demand the stock could not serve over time: buyers refused for want of
# stock and still waiting (unmet demand, solid) and those who gave up
# waiting (lost sales, cumulative, dashed), mean over replicates.
# Input: /arms/<arm>/windows (replicate window start_days end_days stock sold
# sellout_seconds price discount), /arms/<arm>/summary/unmet and lost.
# Output: sales.<fmt>; nothing (a note on stderr) when no arm has a window.
load plotsdir.'/style.gp'

# Arms with windows: export fails (and prints nothing) for the others.
has(a) = system(sprintf("%s export %s %s 2>/dev/null | wc -l", bz_q(buzzsim), bz_q(file), \
                        bz_q('/arms/'.word(arms, a).'/windows'))) + 0 > 1
sale_arms = ""
do for [a=1:narms] { if (has(a)) { sale_arms = sale_arms.' '.word(arms, a) } }
ns = words(sale_arms)
if (ns < 1) {
    set print
    print sprintf("sales.gp: %s has no flash-sale windows: no sales figure", file)
    exit
}
src(k) = bz_src('/arms/'.word(sale_arms, k).'/windows')
nw = 0
smax = 0
nsold = 0
do for [k=1:ns] {
    stats src(k) using (valid(7) ? 1 : 0) nooutput
    nsold = nsold + STATS_sum
    stats src(k) using 2 nooutput
    if (STATS_max + 1 > nw) { nw = STATS_max + 1 }
    stats src(k) using 5 nooutput
    if (STATS_max > smax) { smax = STATS_max }
}
scale = bz_scale(smax)
bw = 0.8 / ns                       # bar width: the arms of a window side by side
x(k, w) = w + 1 - 0.4 + (k - 0.5) * bw

@bz_tall
set output bz_out('sales')
set multiplot layout 3, 1 title "Flash-sale windows: units on sale and sold, time to sell out, " \
    ."demand not served" font ",16"
set xrange [0.4:nw + 0.6]
set xtics 1 scale 0
set grid noxtics
set key outside right top vertical
set style fill solid 0.75 border -1
set boxwidth bw
set ylabel "Units".bz_unit(smax)
set yrange [0:smax * 1.15 / scale]
set xlabel ""
set title "Units per window (outline: stock it brought; bar: sold, mean; unsold units carry over)" font ",13"
plot for [k=1:ns] src(k) using (x(k, $2)):($5/scale) smooth unique with boxes fs empty \
         lt k notitle, \
     for [k=1:ns] src(k) using (x(k, $2)):($6/scale) smooth unique with boxes lt k \
         title word(sale_arms, k)
set title "Seconds from opening to sell-out (mean where it sold out)" font ",13"
set ylabel "Seconds"
set xlabel "Sale window"
set style fill solid 0.75 border -1
if (nsold == 0) {
    set yrange [0:1]
    set label 1 "no window sold out in any replicate" at graph 0.5, graph 0.5 center
    plot NaN notitle
    unset label 1
} else {
set yrange [0:*]
plot for [k=1:ns] src(k) using (x(k, $2)):(valid(7) ? $7 : 1/0) smooth unique with boxes lt k \
         title word(sale_arms, k)
}
# Demand not served, over time (days): the arms that have any.
sum(k, what) = bz_src('/arms/'.word(sale_arms, k).'/summary/'.what)
umax = 0
short = ""
do for [k=1:ns] {
    m = 0
    stats sum(k, 'unmet') using 2 nooutput
    if (STATS_max > m) { m = STATS_max }
    stats sum(k, 'lost') using 2 nooutput
    if (STATS_max > m) { m = STATS_max }
    if (m > 0) { short = short.' '.k }
    if (m > umax) { umax = m }
}
nshort = words(short)
uscale = bz_scale(umax)
set title "Buyers refused for want of stock: still waiting (solid) and gave up (dashed), mean" \
    font ",13"
set xlabel "Days"
set ylabel "Agents".bz_unit(umax)
set xrange [*:*]
set xtics auto
set grid xtics
set yrange [0:(umax > 0 ? umax * 1.1 / uscale : 1)]
if (nshort == 0) {
    set label 1 "the stock served every buyer in every arm" at graph 0.5, graph 0.5 center
    plot NaN notitle
    unset label 1
} else {
plot for [j=1:nshort] sum(word(short, j) + 0, 'unmet') using ($1):($2/uscale) with lines \
         lt (word(short, j) + 0) lw 2.5 title word(sale_arms, word(short, j) + 0).' unmet', \
     for [j=1:nshort] sum(word(short, j) + 0, 'lost') using ($1):($2/uscale) with lines \
         lt (word(short, j) + 0) lw 2 dt 2 title word(sale_arms, word(short, j) + 0).' lost'
}
unset multiplot
unset output
print bz_out('sales')

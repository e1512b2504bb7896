# Flash sales: for every arm with sale windows, the units each window brought
# (outline) and sold (filled bar, mean over replicates), and how fast it sold
# out (mean seconds from opening, over the replicates where it did; the
# share of replicates that sold out is printed on the bar).
# Input: /arms/<arm>/windows (replicate window start_days end_days stock sold
# sellout_seconds price).
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

set output bz_out('sales')
set multiplot layout 2, 1 title "Flash-sale windows: units on sale and sold, and time to sell out" \
    font ",16"
set xrange [0.4:nw + 0.6]
set xtics 1 scale 0
set grid noxtics
set key top right
set style fill solid 0.75 border -1
set boxwidth bw
set ylabel "Units".bz_unit(smax)
set yrange [0:smax * 1.15 / scale]
set xlabel ""
set title "Units per window (outline: stock it brought; bar: sold, mean)" font ",13"
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
unset multiplot
unset output
print bz_out('sales')

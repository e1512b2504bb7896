# Effect of each campaign arm on final adopters: the paired difference from
# the baseline arm (the first arm) with its 95% confidence interval, one row
# per arm, as a dot-and-whisker chart. Paired: arms share each replicate's
# network and random streams, so the interval reflects campaign effects only.
# Input: /comparison/<arm> (outcome mean ci_low ci_high; row 0 is
# final_adopters) and /arms/<baseline>/outcomes for the baseline mean.
# Output: comparison.<fmt>; nothing (a note on stderr) with a single arm.
load plotsdir.'/style.gp'

if (narms < 2) {
    set print    # back to stderr
    print sprintf("comparison.gp: %s has one arm only: no comparison figure", file)
    exit
}
base = word(arms, 1)
stats bz_src('/arms/'.base.'/outcomes') using 2 nooutput
R = STATS_records
base_mean = STATS_mean

cmp(i) = bz_src('/comparison/'.word(arms, i))
# NaN interval ends (fewer than 2 replicates) collapse onto the mean. Any
# reference to a NaN column voids the point, hence valid() before $3 / $4.
LO = 'valid(3) ? $3 : $2'
HI = 'valid(4) ? $4 : $2'
pct(d) = base_mean > 0 ? sprintf(" (%+.1f%%)", 100 * d / base_mean) : ""

# Axis range: every interval end and zero, plus room for the labels
# (centred on the dots, so they need more room on the right).
xmin = 0
xmax = 0
do for [i=2:narms] {
    stats cmp(i) every ::0::0 using (@LO) nooutput
    if (STATS_min < xmin) { xmin = STATS_min }
    stats cmp(i) every ::0::0 using (@HI) nooutput
    if (STATS_max > xmax) { xmax = STATS_max }
}
span = (xmax - xmin) > 0 ? xmax - xmin : 1
scale = bz_scale(abs(xmax) > abs(xmin) ? abs(xmax) : abs(xmin))
set xrange [(xmin - 0.12 * span) / scale : (xmax + 0.25 * span) / scale]
set yrange [0.4 : narms - 0.4]
set ytics scale 0 noenhanced
set grid noytics
set key off

set output bz_out('comparison')
set title sprintf("Extra adopters vs '%s' (mean over %d paired replicate%s, 95%% CI)", \
                  base, R, R == 1 ? "" : "s")
set xlabel sprintf("Difference in final adopters%s   (baseline mean: %.0f adopters)", \
                   bz_unit(abs(xmax) > abs(xmin) ? abs(xmax) : abs(xmin)), base_mean)
set ylabel ""
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#555555' dt 2 lw 1.5 back
y(i) = narms - i + 1
plot for [i=2:narms] cmp(i) every ::0::0 \
         using ($2/scale):(y(i)):((@LO)/scale):((@HI)/scale):ytic(word(arms, i)) \
         with xerrorbars lt i pt 7 ps 2 lw 3, \
     for [i=2:narms] cmp(i) every ::0::0 \
         using ($2/scale):(y(i)):(valid(3) ? sprintf("%+.0f [%.0f, %.0f]%s", $2, $3, $4, pct($2)) \
                                            : sprintf("%+.0f%s (no CI: one replicate)", $2, pct($2))) \
         with labels offset 0, 1.3 font ",12" textcolor rgb '#333333'
unset output
print bz_out('comparison')

# Adoption curves: for every arm, the mean number of adopters over time with
# a shaded band from the 5% to the 95% quantile over replicates.
# Input: /arms/<arm>/summary/adopters (time_days mean sd q05 q50 q95).
# Output: adoption.<fmt>
load plotsdir.'/style.gp'

summ(i) = bz_src('/arms/'.word(arms, i).'/summary/adopters')

# Largest upper quantile over arms: picks the unit of the y axis.
ymax = 0
do for [i=1:narms] {
    stats summ(i) using 6 nooutput
    if (STATS_max > ymax) { ymax = STATS_max }
}
stats bz_src('/arms/'.word(arms, 1).'/outcomes') using 1 nooutput
R = STATS_records
scale = bz_scale(ymax)

set output bz_out('adoption')
set title sprintf("Adopters over time: mean and 5–95%% range over %d replicate%s", \
                  R, R == 1 ? "" : "s")
set xlabel "Time since start (days)"
set ylabel "Adopters".bz_unit(ymax)
set xrange [0:*]
set autoscale xfixmax
set yrange [0:*]
set format y "%g"
# Many arms: the key goes outside, where it hides no curve.
if (narms > 5) { set key outside right top }
plot for [i=1:narms] summ(i) using ($1):($4/scale):($6/scale) \
         with filledcurves lc i notitle, \
     for [i=1:narms] summ(i) using ($1):($2/scale) with lines lt i title word(arms, i), \
     keyentry with filledcurves lc rgb '#777777' title "5–95% of replicates"
unset output
print bz_out('adoption')

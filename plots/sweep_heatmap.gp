# A sweep's first outcome over its first two varying axes: one coloured
# square per point (mean over replicates), so a grid design gives a heatmap
# and a Latin hypercube or Sobol design a coloured scatter. Other varying
# axes are not averaged: their points overlap.
# Input: /sweep/summary (point, axis values, then mean sd q05 q50 q95 per
# outcome). Output: sweep_heatmap.<fmt>; a note on stderr when fewer than two
# axes vary.
load plotsdir.'/style.gp'

src = bz_src('/sweep/summary')
hdr = system(sprintf("%s export %s /sweep/summary | sed -n 1p", bz_q(buzzsim), bz_q(file)))
# Words of the header: '#', 'point', the axes, then '<outcome>.mean', ...
first = 0
do for [k=3:words(hdr)] { if (first == 0 && strstrt(word(hdr, k), '.mean') > 0) { first = k } }
if (first == 0) {
    set print
    print sprintf("sweep_heatmap.gp: %s has no outcome summaries", file)
    exit
}
mcol = first - 1                        # column of the first outcome's mean
outcome = word(hdr, first)[1:strlen(word(hdr, first)) - 5]
ax1 = 0
ax2 = 0
do for [c=2:mcol-1] {
    stats src using c nooutput
    if (STATS_max > STATS_min) { if (ax1 == 0) { ax1 = c } else { if (ax2 == 0) { ax2 = c } } }
}
if (ax2 == 0) {
    set print
    print sprintf("sweep_heatmap.gp: %s varies fewer than two axes: no heatmap", file)
    exit
}
name(c) = word(hdr, c + 1)
# Logarithmic axes when the range spans a factor of 5 or more.
do for [c in sprintf("%d %d", ax1, ax2)] {
    stats src using (column(c+0)) nooutput
    if (STATS_min > 0 && STATS_max / STATS_min >= 5) {
        if (c+0 == ax1) { set logscale x } else { set logscale y }
    }
}
set output bz_out('sweep_heatmap')
set title sprintf("%s (mean over replicates) by %s and %s", outcome, name(ax1), name(ax2))
set xlabel name(ax1)
set ylabel name(ax2)
set cblabel outcome noenhanced
set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21908d', 0.75 '#5dc963', 1 '#fde725')
set key off
set autoscale fix
set format y "%g"
set offsets graph 0.08, graph 0.08, graph 0.1, graph 0.1
plot src using ax1:ax2:mcol with points pt 5 ps 6 lc palette notitle, \
     src using ax1:ax2:(abs(column(mcol)) >= 100 ? sprintf("%.0f", column(mcol)) : sprintf("%.3g", column(mcol))) \
         with labels offset 0, -2.2 font ",10" textcolor rgb '#333333' notitle
unset output
print bz_out('sweep_heatmap')

# A sweep's outcomes against its first varying axis: mean over replicates
# with a band from the 5% to the 95% quantile, one line per level of the
# second varying axis when it has at most 8 levels (a grid), else points.
# One panel per outcome. Input: /sweep/summary. Output: sweep_axis.<fmt>.
load plotsdir.'/style.gp'

src = bz_src('/sweep/summary')
hdr = system(sprintf("%s export %s /sweep/summary | sed -n 1p", bz_q(buzzsim), bz_q(file)))
first = 0
do for [k=3:words(hdr)] { if (first == 0 && strstrt(word(hdr, k), '.mean') > 0) { first = k } }
if (first == 0) {
    set print
    print sprintf("sweep_axis.gp: %s has no outcome summaries", file)
    exit
}
nout = (words(hdr) - first + 1) / 5
if (nout > 4) { nout = 4 }
ax1 = 0
ax2 = 0
do for [c=2:first-2] {
    stats src using c nooutput
    if (STATS_max > STATS_min) { if (ax1 == 0) { ax1 = c } else { if (ax2 == 0) { ax2 = c } } }
}
if (ax1 == 0) {
    set print
    print sprintf("sweep_axis.gp: %s varies no axis: no figure", file)
    exit
}
name(c) = word(hdr, c + 1)
levels = ax2 > 0 ? system(sprintf("%s export %s /sweep/summary | awk '!/^#/{print $%d}' | sort -gu | tr '\\n' ' '", \
                                  bz_q(buzzsim), bz_q(file), ax2)) : ""
nlev = words(levels)
stats src using ax1 nooutput
if (STATS_min > 0 && STATS_max / STATS_min >= 5) { set logscale x }
# The rows of one level of the second axis (awk compares the numbers).
lev(i) = sprintf("< %s export %s /sweep/summary | awk '!/^#/ && $%d == %s'", bz_q(buzzsim), \
                 bz_q(file), ax2, word(levels, i))
set output bz_out('sweep_axis')
set multiplot layout 1, nout title sprintf("Outcomes by %s (mean over replicates, 5-95%% band)", name(ax1)) font ",16"
set xlabel name(ax1)
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
set key top left
do for [o=1:nout] {
    m = first - 1 + (o - 1) * 5         # mean column; q05 = m + 2, q95 = m + 4
    oname = word(hdr, m + 1)[1:strlen(word(hdr, m + 1)) - 5]
    set title oname noenhanced
    set ylabel ""
    if (nlev >= 2 && nlev <= 8) {
        plot for [i=1:nlev] lev(i) using ax1:(column(m+2)):(column(m+4)) with filledcurves lt i notitle, \
             for [i=1:nlev] lev(i) using ax1:m with linespoints lt i \
                 title sprintf("%s = %s", name(ax2), word(levels, i))
    } else {
        plot src using ax1:m:(column(m+2)):(column(m+4)) with yerrorbars lt 1 pt 7 notitle
    }
}
unset multiplot
unset output
print bz_out('sweep_axis')

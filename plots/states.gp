# The model's agent states over time (e.g. potential / adopted, or a funnel
# unaware -> aware -> interested -> adopted): mean number of agents in each
# state, one panel per arm, same axes everywhere.
# Input: /arms/<arm>/summary/states.<state> (mean per time).
# Output: states.<fmt>
load plotsdir.'/style.gp'

states = bz_names("states")
nst = words(states)
if (nst < 1) {
    set print
    print sprintf("states.gp: %s records no states: no figure", file)
    exit
}
st(a, s) = bz_src('/arms/'.word(arms, a).'/summary/states.'.word(states, s))
ymax = 0
do for [s=1:nst] {
    stats st(1, s) using 2 nooutput
    if (STATS_max > ymax) { ymax = STATS_max }
}
scale = bz_scale(ymax)
cols = narms < 3 ? narms : 3
rows = (narms + cols - 1) / cols

# Manual layout: a top strip for the title and one shared key, then a grid
# of panels; axis labels only on the outer panels.
top = 0.86
pw = 1.0 / cols
ph = top / rows
set output bz_out('states')
set multiplot
set label 98 "Agents in each model state over time (mean over replicates)" \
    at screen 0.5, screen 0.965 center font ",16"
set xrange [0:*]
set autoscale xfixmax
set yrange [0:ymax * 1.05 / scale]
set format y "%g"
set key off
unset label 99  # the source caption would collide with the bottom-right panel
# Same margins everywhere, so every panel has the same width and height.
set lmargin 10
set rmargin 3
set tmargin 2.5
set bmargin 3.5
do for [a=1:narms] {
    col = (a - 1) % cols
    row = (a - 1) / cols
    set origin col * pw, top - (row + 1) * ph
    set size pw, ph
    set title word(arms, a) font ",14" noenhanced offset 0, -0.5
    if (a + cols > narms) { set xlabel "Time since start (days)" } else { unset xlabel }
    if (col == 0) { set ylabel "Agents".bz_unit(ymax) } else { unset ylabel }
    if (a > 1) { unset label 98 }
    plot for [s=1:nst] st(a, s) using ($1):($2/scale) with lines lt s title word(states, s)
}
# The shared key: an empty plot across the top strip.
unset lmargin
unset rmargin
unset tmargin
unset bmargin
set origin 0, top
set size 1, 1 - top - 0.06
unset title
unset xlabel
unset ylabel
unset border
unset tics
unset grid
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 1 samplen 2 noenhanced nobox
plot for [s=1:nst] 2 with lines lt s title word(states, s)
unset multiplot
unset output
print bz_out('states')

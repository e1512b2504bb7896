# The buzz funnel over time: for every arm, the mean number of agents in each
# model state stacked from the deepest state (advocates, adopters) at the
# bottom to the unaware at the top, so the height of each band is the state's
# size and the top edge is the whole population.
# Input: /arms/<arm>/states exported as means ("time_days state...").
# Output: funnel.<fmt>; nothing (a note on stderr) for models with fewer
# than three states (states.gp shows those).
load plotsdir.'/style.gp'

states = bz_names("states")
nst = words(states)
if (nst < 3) {
    set print
    print sprintf("funnel.gp: %s has a %d-state model: no funnel figure", file, nst)
    exit
}
src(a) = bz_src('/arms/'.word(arms, a).'/states')
stats src(1) using (sum [j=2:nst+1] column(j)) nooutput
total = STATS_max
scale = bz_scale(total)
cols = narms < 3 ? narms : 3
rows = (narms + cols - 1) / cols

# Funnel colours: pale for the unaware, darker for deeper states.
array fc[8] = ['#e8e8e8', '#cfe3f3', '#8cbfe6', '#3a8fd0', '#0b5a99', '#06365c', '#444444', '#222222']
top = 0.86
pw = 1.0 / cols
ph = top / rows
set output bz_out('funnel')
set multiplot
set label 98 "The funnel: agents in each state over time, stacked (mean over replicates)" \
    at screen 0.5, screen 0.965 center font ",16"
set style fill solid 1.0 noborder
set xrange [0:*]
set autoscale xfixmax
set yrange [0:total * 1.02 / scale]
set key off
unset label 99
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
    if (col == 0) { set ylabel "Agents".bz_unit(total) } else { unset ylabel }
    if (a > 1) { unset label 98 }
    # Band k covers states k..nst stacked: draw the tallest first.
    plot for [k=1:nst] src(a) using ($1):((sum [j=k:nst] column(j+1))/scale) \
        with filledcurves x1 fc rgb fc[(k - 1) % 8 + 1] title word(states, k)
}
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
plot for [k=1:nst] NaN with boxes fc rgb fc[(k - 1) % 8 + 1] title word(states, k)
unset multiplot
unset output
print bz_out('funnel')

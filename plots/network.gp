# Degree distribution of every network layer (out-degree for directed
# layers): the share of agents with degree k, on log-log axes, so heavy
# tails (a few accounts with very many followers) stand out. Degree 0 cannot
# be drawn on a log axis and is left out.
# Input: /network/<layer>/degree_histogram (degree count).
# Output: network.<fmt>; nothing (a note on stderr) without layers.
load plotsdir.'/style.gp'

layers = bz_names("layers")
nl = words(layers)
if (nl < 1) {
    set print
    print sprintf("network.gp: %s has no network layers (well mixed): no figure", file)
    exit
}
hist(l) = bz_src('/network/'.word(layers, l).'/degree_histogram')
array agents[nl]
do for [l=1:nl] {
    stats hist(l) using 2 nooutput
    agents[l] = STATS_sum
}

set output bz_out('network')
set title "Degree distribution of the network layers"
set xlabel "Degree k (number of ties; followers reached for directed layers)"
set ylabel "Share of agents with degree k"
set logscale xy
set format y "10^{%T}"
set format x "%g"
set key top right noenhanced
plot for [l=1:nl] hist(l) using ($1 > 0 && $2 > 0 ? $1 : NaN):($2 / agents[l]) \
         with points lt l pt 7 ps 0.9 title word(layers, l)
unset output
print bz_out('network')

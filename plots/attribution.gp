# Last touch, descriptive: for every arm, the mean number of adoptions per
# replicate by the channel that last reached the adopter before it bought
# (advertising, a KOL post, word of mouth on a network layer, ...), stacked.
# It says which channels were there, not what they caused: shapley.gp and
# the person-by-person outcomes answer that (docs/campaigns.md).
# Channels that tipped no adoption in any arm are left out.
# Input: /arms/<arm>/summary/adoptions_by.<channel> (mean per step).
# Output: attribution.<fmt>
load plotsdir.'/style.gp'

channels = bz_names("channels")
nch = words(channels)
if (nch < 1) {
    set print
    print sprintf("attribution.gp: %s records no channels: no attribution figure", file)
    exit
}
# tot[(a-1)*nch + c]: sum over time of the mean adoptions per step.
array tot[narms * nch]
array used[nch]
ymax = 0
do for [c=1:nch] { used[c] = 0 }
do for [a=1:narms] {
    arm_total = 0
    do for [c=1:nch] {
        stats bz_src('/arms/'.word(arms, a).'/summary/adoptions_by.'.word(channels, c)) \
            using 2 nooutput
        tot[(a-1)*nch + c] = STATS_sum
        arm_total = arm_total + STATS_sum
        if (STATS_sum > 0) { used[c] = 1 }
    }
    if (arm_total > ymax) { ymax = arm_total }
}
kept = ""
do for [c=1:nch] { if (used[c]) { kept = kept.' '.word(channels, c) } }
nkept = words(kept)
if (nkept == 0) {
    set print
    print sprintf("attribution.gp: no adoption was attributed in %s: no figure", file)
    exit
}
scale = bz_scale(ymax)

# One row per arm: name, then the kept channels' totals.
set print $attr
do for [a=1:narms] {
    row = word(arms, a)
    do for [c=1:nch] {
        if (used[c]) { row = row.sprintf(" %.6g", tot[(a-1)*nch + c] / scale) }
    }
    print row
}
set print '-'

set output bz_out('attribution')
set title "Adoptions by the channel that last reached the buyer (descriptive, mean per replicate)"
set xlabel "Arm"
set ylabel "Adoptions".bz_unit(ymax)
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border lc rgb 'white'
set boxwidth 0.6 relative
set yrange [0:*]
set grid noxtics
set xtics noenhanced scale 0
set key outside right top vertical Left reverse noenhanced title "channel"
plot for [k=1:nkept] $attr using (column(k + 1)):xtic(1) title word(kept, k) lc k
unset output
print bz_out('attribution')

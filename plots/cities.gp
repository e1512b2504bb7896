# Where each arm's extra adopters live: per city, the mean extra adopters
# against the baseline (paired over replicates, 95% CI), one bar per arm
# after the baseline, for the largest cities (at most 20, by agents).
# Input: /cities_summary/<arm> (columns city agents adopters[_low, _high]
# extra_adopters[_low, _high] ...).
# Output: cities.<fmt>; nothing (a note on stderr) with a single arm, a
# single city or a file without per-city results.
load plotsdir.'/style.gp'

if (narms < 2) {
    set print
    print sprintf("cities.gp: %s has one arm only: no per-city figure", file)
    exit
}
ncities = system(sprintf("%s export %s /cities 2>/dev/null | grep -vc '^#'", bz_q(buzzsim), \
                         bz_q(file))) + 0
if (ncities < 2) {
    set print
    print sprintf("cities.gp: %s has %d cities: no per-city figure", file, ncities)
    exit
}
TOP = 20
# The rows of arm k, largest cities first (ties in city order), at most TOP.
src(k) = sprintf("< %s export %s %s | grep -v '^#' | sort -s -t '\t' -k2,2gr | head -n %d", \
                 bz_q(buzzsim), bz_q(file), bz_q('/cities_summary/'.word(arms, k)), TOP)
set datafile separator "\t"
set output bz_out('cities')
shown = ncities < TOP ? ncities : TOP
set title sprintf("Extra adopters per city vs '%s' (mean per replicate, 95%% CI; %d largest of %d cities)", \
                  word(arms, 1), shown, ncities)
set ylabel "Extra adopters"
set xlabel "City (largest first)"
set style data histogram
set style histogram errorbars gap 1.5 lw 1.5
set style fill solid 0.75 border -1
set boxwidth 0.9
set xtics rotate by -45 noenhanced scale 0
set grid ytics noxtics
set key top right noenhanced
set yrange [*:*]
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb '#555555' lw 1 back
plot for [k=2:narms] src(k) using 6:(valid(7) ? $7 : $6):(valid(8) ? $8 : $6):xtic(1) \
         lt k title word(arms, k)
unset output
print bz_out('cities')

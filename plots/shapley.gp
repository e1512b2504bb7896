# Which campaign of an arm caused what: for every arm with attribution
# (shapley or leave_one_out), each campaign's share of the arm's extra
# adopters and extra profit against the baseline, mean over replicates with
# its 95% CI. Shapley shares add up to the arm's effect (the last, grey
# row); leave-one-out effects need not.
# Input: /attribution/<arm> (campaign final_adopters[_low, _high]
# profit[_low, _high]; last row "sum").
# Output: shapley.<fmt> (one figure, a row of two panels per arm); nothing
# (a note on stderr) when no arm has attribution.
load plotsdir.'/style.gp'

has(a) = system(sprintf("%s export %s %s 2>/dev/null | wc -l", bz_q(buzzsim), bz_q(file), \
                        bz_q('/attribution/'.word(arms, a)))) + 0 > 1
att = ""
do for [a=2:narms] { if (has(a)) { att = att.' '.word(arms, a) } }
na = words(att)
if (na < 1) {
    set print
    print sprintf("shapley.gp: %s has no attribution (attribution: shapley): no figure", file)
    exit
}
set datafile separator "\t"
# Interval ends of the value in column c (NaN ends collapse onto the mean).
lo_of(c) = valid(c + 1) ? column(c + 1) : column(c)
hi_of(c) = valid(c + 2) ? column(c + 2) : column(c)
src(k) = bz_src('/attribution/'.word(att, k))
set output bz_out('shapley')
set multiplot layout na, 2 title "Attribution: each campaign's share of the arm's effect " \
    ."(mean per replicate, 95% CI)" font ",16"
set ytics scale 0 noenhanced
set grid noytics
set key off
do for [k=1:na] {
    set xrange [*:*]
    set yrange [*:*]
    stats src(k) using 3 nooutput
    np = STATS_records   # players + the sum row
    y(i) = np - 1 - i    # i = index column (0-based): first player on top
    do for [panel=1:2] {
        col = panel == 1 ? 3 : 6
        set xrange [*:*]
        set yrange [*:*]
        stats src(k) using (valid(col + 1) ? column(col + 1) : column(col)) nooutput
        lo = STATS_min < 0 ? STATS_min : 0
        stats src(k) using (valid(col + 2) ? column(col + 2) : column(col)) nooutput
        hi = STATS_max > 0 ? STATS_max : 0
        span = hi - lo > 0 ? hi - lo : 1
        big = abs(hi) > abs(lo) ? abs(hi) : abs(lo)
        sc = big >= 1e6 ? 1e6 : (big >= 1e3 ? 1e3 : 1)
        un = big >= 1e6 ? " (millions)" : (big >= 1e3 ? " (thousands)" : "")
        set yrange [-0.6 : np - 0.4]
        set xrange [(lo - 0.08 * span) / sc : (hi + 0.3 * span) / sc]
        set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#555555' dt 2 lw 1.5 back
        set title sprintf("'%s': extra %s", word(att, k), panel == 1 ? "adopters" : "profit") font ",13"
        set xlabel (panel == 1 ? "Adopters" : "Currency").un
        # Fixed columns: room on the left for the campaign labels.
        if (panel == 1) { set lmargin at screen 0.27; set rmargin at screen 0.60 }
        if (panel == 2) { set lmargin at screen 0.66; set rmargin at screen 0.97 }
        if (panel == 1) {
            plot src(k) using (column(col)/sc):(y($1)):(lo_of(col)/sc):(hi_of(col)/sc):($1 == np - 1 ? 7 : $1 + 1):ytic(stringcolumn(2)) \
                     with xerrorbars lc variable pt 7 ps 1.6 lw 3, \
                 src(k) using (column(col)/sc):(y($1)):(sprintf("%+.3g", column(col)/sc)) \
                     with labels offset 0, 1.1 font ",11" textcolor rgb '#333333'
        } else {
            plot src(k) using (column(col)/sc):(y($1)):(lo_of(col)/sc):(hi_of(col)/sc):($1 == np - 1 ? 7 : $1 + 1):ytic("") \
                     with xerrorbars lc variable pt 7 ps 1.6 lw 3, \
                 src(k) using (column(col)/sc):(y($1)):(sprintf("%+.3g", column(col)/sc)) \
                     with labels offset 0, 1.1 font ",11" textcolor rgb '#333333'
        }
    }
}
unset multiplot
unset lmargin
unset rmargin
unset output
print bz_out('shapley')

# The objective of every feasible plan the search simulated against each
# decision variable (at most four panels), the recommended plan marked:
# how flat the objective is near the optimum, variable by variable.
# Input: /optimize/candidates, /optimize/final. Output: optimize_variables.<fmt>.
load plotsdir.'/style.gp'

src = bz_src('/optimize/candidates')
fin = bz_src('/optimize/final')
hdr = system(sprintf("%s export %s /optimize/candidates | sed -n 1p", bz_q(buzzsim), bz_q(file)))
obj = 0
do for [k=2:words(hdr)] { if (word(hdr, k) eq 'objective') { obj = k - 1 } }
if (obj <= 3) {
    set print
    print sprintf("optimize_variables.gp: %s has no variables", file)
    exit
}
feas = obj + 2
nv = obj - 3
if (nv > 4) { nv = 4 }
name(c) = word(hdr, c + 1)
rows = nv > 2 ? 2 : 1
cols = nv > 1 ? 2 : 1
if (rows == 2) { eval bz_tall }
set output bz_out('optimize_variables')
set format y "%.4s%c"
set format x "%.3g"
set xtics font ",11"
set multiplot layout rows, cols title "Objective against each variable (feasible plans; square: the recommended plan)" font ",16"
set key off
set ylabel "objective"
do for [v=1:nv] {
    c = 3 + v
    set xlabel name(c) noenhanced
    set autoscale xfix
    set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
    plot src using c:(column(feas) > 0.5 ? column(obj) : 1/0) with points lt 1 pt 7, \
         fin using ($2 == 0 ? column(c) : 1/0):(column(obj)) with points lt 2 pt 5 ps 2
}
unset multiplot
unset output
print bz_out('optimize_variables')

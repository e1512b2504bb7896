# The search path of `buzzsim optimize`: the objective of every plan
# simulated, in order, global phase and local phase apart, infeasible plans
# (over the budget or a constraint) hollow, the best feasible so far as a
# line, and the finalists' figures on fresh replicates (with their 95%
# intervals against the base plan, shifted by the base plan's objective) at
# the right. Input: /optimize/candidates, /optimize/final.
# Output: optimize_search.<fmt>.
load plotsdir.'/style.gp'

src = bz_src('/optimize/candidates')
fin = bz_src('/optimize/final')
hdr = system(sprintf("%s export %s /optimize/candidates | sed -n 1p", bz_q(buzzsim), bz_q(file)))
obj = 0
do for [k=2:words(hdr)] { if (word(hdr, k) eq 'objective') { obj = k - 1 } }
if (obj == 0) {
    set print
    print sprintf("optimize_search.gp: %s has no objective column", file)
    exit
}
feas = obj + 2
n = system(sprintf("%s export %s /optimize/candidates | grep -vc '^#'", bz_q(buzzsim), bz_q(file))) + 0
set output bz_out('optimize_search')
set title "Search path: objective of every plan simulated (hollow: over budget or a constraint)"
set xlabel "plan simulated (in order)"
set ylabel "objective"
set format y "%.4s%c"
set key bottom right
set xrange [-0.5:n + 3.5]
best = -1e300
bestf(y, f) = (f > 0.5 && y > best) ? (best = y) : best
plot src using ($2):(column(feas) > 0.5 && $3 == 0 ? column(obj) : 1/0) with points lt 1 pt 7 title "global phase", \
     src using ($2):(column(feas) > 0.5 && $3 == 1 ? column(obj) : 1/0) with points lt 2 pt 7 title "local phase", \
     src using ($2):(column(feas) < 0.5 ? column(obj) : 1/0) with points lt 7 pt 6 title "infeasible", \
     src using ($2):(b = bestf(column(obj), column(feas)), b > -1e299 ? b : 1/0) with steps lt 3 lw 2 title "best feasible so far", \
     fin using ($2 >= 0 ? n + 1 + $2 : 1/0):(column(obj)) with points lt 4 pt 5 ps 1.6 title "finalists, fresh replicates"
unset output
print bz_out('optimize_search')

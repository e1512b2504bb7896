/* Searching a plan's variables for the best campaign plan (docs/optimize.md).
 *
 * Evaluation uses common random numbers: every candidate runs its
 * replicates with the same seed, so two candidates meet the same networks,
 * populations and streams (sample-average approximation), their comparison
 * is paired, and the objective is a deterministic function of the
 * variables for a fixed seed and replicate count. A candidate's objective
 * is the mean over replicates of
 *     sum_k w_k (outcome_k(arm) - outcome_k(baseline))     (relative)
 *     sum_k w_k outcome_k(arm)                              (otherwise)
 * It is feasible when the arm's spend (campaign costs plus discounts) is at
 * most the budget, and each capped campaign's own spend (its cost plus the
 * discounts of its sales) at most its cap, in every replicate, and every
 * constraint holds for the arm's mean (its paired difference with the
 * baseline when relative).
 *
 * Search: NLopt on the unit cube of the variables (each mapped linearly or
 * on a log scale onto [min, max]); integers are rounded to the nearest and
 * choices taken as floor(u n) before simulating, so the simulator only sees
 * valid values and a cache makes repeated roundings free. Infeasible
 * candidates get the objective minus a penalty proportional to their
 * relative violation. Methods: DIRECT-L (global, deterministic) for 60% of
 * the evaluations then BOBYQA (local) from the best feasible point; or one
 * of DIRECT-L, CRS2 (global), BOBYQA, COBYLA (local, from the base plan's
 * values when they are inside the bounds, else the centre).
 *
 * Calibration (pl->calibrate): the objective is minus the sum of squared
 * differences between the observed values and the arm's mean series
 * (linearly interpolated at the observed times). DIRECT-L searches the
 * first 60% of the evaluations (the method key is ignored), then
 * Levenberg-Marquardt with finite-difference Jacobians of the series (a
 * least-squares method: far fewer evaluations than BOBYQA on this
 * objective) the rest; the intervals come from the Jacobian at the fit (see
 * bz_opt_result).
 *
 * Final answer: the best `finalists` distinct feasible candidates and the
 * base plan (the base experiment as written) are run again with a seed the
 * search never used and `final_replicates` replicates; the reported
 * figures, the feasibility check and the choice come from those runs only
 * (no winner's curse), with paired 95% intervals against the base plan and
 * against the runner-up.
 */
#ifndef BZ_OPTIMIZE_H
#define BZ_OPTIMIZE_H

#include <signal.h>

#include "base/stats.h"
#include "optimize/plan.h"

/* One simulated candidate. */
typedef struct bz_opt_eval {
    double u[BZ_OPT_VARS_MAX];     /* position in the unit cube (the first that gave it) */
    double value[BZ_OPT_VARS_MAX]; /* the variables' values (choice index for choices) */
    char text[BZ_OPT_VARS_MAX][BZ_OPT_VALUE_MAX]; /* as --set text */
    int phase;                                    /* 0 global, 1 local, 2 final, 3 base */
    uint32_t R;
    double objective;             /* mean over replicates */
    double spend_max;             /* largest spend of the arm over replicates */
    double cons[BZ_OPT_CONS_MAX]; /* constraint values (means) */
    /* Each campaign's spend (pl->campaign): largest and mean over the
     * replicates; a cap holds when camp_max <= pl->cap. */
    double camp_max[BZ_OPT_CAMPAIGNS_MAX], camp_mean[BZ_OPT_CAMPAIGNS_MAX];
    int feasible;
    double *per_rep; /* [R] objective per replicate (final and base only), owned */
    double *spend;   /* [R] spend of the arm per replicate (final and base), owned */
    double *series;  /* calibration, final and base: [n_obs] mean series, owned */
} bz_opt_eval;

typedef struct bz_opt_result {
    size_t n_evals;
    bz_opt_eval *evals; /* every distinct candidate of the search, in order, owned */
    size_t n_final;
    bz_opt_eval *final; /* finalists re-run on fresh replicates, best first, owned */
    bz_opt_eval base;   /* the base plan on the same fresh replicates */
    long chosen;        /* index in final of the recommended plan, -1 if none is feasible */
    uint64_t final_seed;
    bz_compare vs_base;      /* chosen - base, paired over the final replicates */
    bz_compare vs_runner_up; /* chosen - final[1] (NaN if only one) */
    char *plan_yaml;         /* the recommended experiment, resolved (arms of the plan), owned */
    /* Calibration: the least SSE, each variable's approximate 95% interval
     * as values, its standard error in the unit cube, and at_edge[i] when
     * the interval reaches a bound of the variable (cut there): by
     * parametric bootstrap (pl->bootstrap refits, optimize.c bootstrap()),
     * else Gauss-Newton's sigma^2 (J^T J)^-1, sigma^2 = SSE / (n - k),
     * Student t with n - k degrees of freedom (Bates & Watts 1988), which
     * assumes independent errors and is too narrow for cumulative series. fitted: the chosen
     * plan's mean series at the observed times (fresh replicates). */
    double sse_min;
    double fit_low[BZ_OPT_VARS_MAX], fit_high[BZ_OPT_VARS_MAX], se_u[BZ_OPT_VARS_MAX];
    size_t bootstrap_done; /* refits behind the intervals (0: Gauss-Newton's) */
    /* The estimates' correlations (in the unit cube, so the same for values
     * on a linear scale): the refits' sample correlation, or Gauss-Newton's
     * from (J^T J)^-1; NAN when unknown. Near +-1: the data tell the two
     * apart poorly (a ridge), and the per-variable intervals are not a
     * joint region. */
    double fit_corr[BZ_OPT_VARS_MAX][BZ_OPT_VARS_MAX];
    int at_edge[BZ_OPT_VARS_MAX];
    double *fitted; /* [n_obs], owned */
    double seconds;
    uint64_t simulations; /* replicates simulated in all (both arms count once) */
    size_t resumed;       /* evaluations answered from a journal (bz_opt_opts.preload) */
} bz_opt_result;

/* Processes that share the work (MPI ranks: optimize/mpi.h), SPMD: every
 * rank runs the same search with the same plan and preload, and each
 * evaluation's replicates are split into contiguous ranges, one per rank
 * (rank r: [R r / size, R (r + 1) / size)). The ranks exchange one row of
 * figures per replicate and every rank reduces all R rows in replicate
 * order, exactly as one process does, so every rank takes the same path
 * and the results are bit-identical for any rank count. The bootstrap's
 * refits (one replicate each) are spread instead: refit b on rank
 * b mod size. Every function is collective: all ranks call it, in the
 * same order. */
typedef struct bz_opt_comm {
    int rank, size;
    void *ctx;
    /* all = the concatenation in rank order of every rank's n[r] doubles
     * (mine: this rank's n[rank]); on every rank. */
    int (*allgather)(void *ctx, const double *mine, const int *n, double *all, bz_error *err);
    /* The first failing status in rank order (BZ_OK if none), on every
     * rank; err then holds that rank's message on every rank. */
    int (*agree)(void *ctx, int status, bz_error *err);
    /* Nonzero on every rank when flag is nonzero on any. */
    int (*any)(void *ctx, int flag);
} bz_opt_comm;

/* Progress: called after each distinct evaluation (may be NULL). */
typedef void (*bz_opt_progress_fn)(void *ctx, const bz_opt_eval *e, size_t done, size_t total);

typedef struct bz_opt_opts {
    bz_opt_progress_fn progress;
    void *progress_ctx;
    volatile sig_atomic_t *stop; /* checked between evaluations; may be NULL */
    /* Resuming (optimize/journal.h): plans simulated before, answered from
     * memory when the search asks for them again (they count as
     * evaluations, cost no simulation); and a callback given every plan the
     * search simulates, as soon as it is simulated (an error stops the
     * search with it). Both may be NULL. */
    const bz_opt_eval *preload;
    size_t n_preload;
    int (*record)(void *ctx, const bz_opt_eval *e, bz_error *err);
    void *record_ctx;
    /* NULL: this process alone. With ranks, every rank passes the same
     * preload; record and progress are usually given on rank 0 only (a
     * record error stops every rank). */
    const bz_opt_comm *comm;
} bz_opt_opts;

/* Run the search and the final re-evaluation. res is initialised here
 * (destroy with bz_opt_result_destroy even on failure). Errors: those of
 * loading and running the experiment (a candidate that fails to load is an
 * error naming its values), BZ_EINTERNAL when NLopt fails. */
int bz_optimize(const bz_opt_plan *pl, const bz_opt_opts *opts, bz_opt_result *res, bz_error *err);

/* Evaluate one candidate (variables as --set texts, n = pl->n_vars; NULL:
 * the base plan) with `seed` and R replicates; keep_reps fills per_rep and
 * spend. comm (may be NULL) splits the replicates (collective then). */
int bz_opt_evaluate(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], uint64_t seed,
                    uint32_t R, int keep_reps, const bz_opt_comm *comm, bz_opt_eval *e,
                    bz_error *err);

void bz_opt_eval_destroy(bz_opt_eval *e);
void bz_opt_result_destroy(bz_opt_result *res);

#endif

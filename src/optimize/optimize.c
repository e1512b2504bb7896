/* The search and the final re-evaluation (contracts in optimize/optimize.h). */
#include "optimize/optimize.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <nlopt.h>

#include "base/clock.h"
#include "base/text.h"
#include "engine/run.h"

#define SET_MAX (BZ_OPT_KEY_MAX + BZ_OPT_VALUE_MAX + 2)
#define WORST 1e30 /* score of a candidate whose objective is undefined */

void bz_opt_eval_destroy(bz_opt_eval *e)
{
    if (!e) return;
    free(e->per_rep);
    free(e->spend);
    free(e->series);
    e->per_rep = e->spend = e->series = NULL;
}

void bz_opt_result_destroy(bz_opt_result *res)
{
    if (!res) return;
    for (size_t i = 0; i < res->n_evals; i++)
        bz_opt_eval_destroy(&res->evals[i]);
    for (size_t i = 0; i < res->n_final; i++)
        bz_opt_eval_destroy(&res->final[i]);
    bz_opt_eval_destroy(&res->base);
    free(res->evals);
    free(res->final);
    free(res->plan_yaml);
    free(res->fitted);
    memset(res, 0, sizeof *res);
}

/* "key=value, ..." of a candidate, for messages. */
static void describe(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; text && i < pl->n_vars && used < size; i++)
        used = bz_text_add(buf, size, used, ", ", "%s=%s", pl->vars[i].key, text[i]);
    if (!text) snprintf(buf, size, "the base plan");
}

/* The sets of a candidate: its variables, then seed and replicates. */
static size_t candidate_sets(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], uint64_t seed,
                             uint32_t R, char (*sets)[SET_MAX], const char **setp)
{
    size_t n = 0;
    for (size_t i = 0; text && i < pl->n_vars; i++, n++)
        snprintf(sets[n], SET_MAX, "%s=%s", pl->vars[i].key, text[i]);
    if (R) {
        snprintf(sets[n++], SET_MAX, "seed=%llu", (unsigned long long)seed);
        snprintf(sets[n++], SET_MAX, "replicates=%u", (unsigned)R);
    }
    for (size_t i = 0; i < n; i++)
        setp[i] = sets[i];
    return n;
}

/* Calibration compares increments: y[0] = the value at the first
 * observed time, y[o] = value(t_o) - value(t_{o-1}). Cumulative counts
 * have strongly autocorrelated errors, and least squares on them gives
 * intervals far too narrow; per-period counts are close to independent
 * (Srinivasan & Mason 1986 fit the Bass model to per-period sales). */
static double obs_inc(const bz_opt_plan *pl, size_t o)
{
    return pl->obs_v[o] - (o ? pl->obs_v[o - 1] : 0);
}

/* The figures of one replicate, the unit the ranks exchange (bz_opt_comm):
 *   optimize:    objective, spend, each constraint's outcome, then each
 *                campaign's spend
 *   calibration: the arm's increments at the observed times, then their
 *                sum of squared differences with the observed increments */
static size_t row_width(const bz_opt_plan *pl)
{
    return pl->calibrate ? pl->n_obs + 1 : 2 + pl->n_cons + pl->n_campaigns;
}

/* Calibration's row of replicate k: the arm's series at the observed times
 * (linear interpolation between samples, the last value after the
 * horizon) as increments, then their SSE. */
static void fit_row(const bz_opt_plan *pl, const bz_results *r, const bz_arm_result *A, uint32_t k,
                    double *row)
{
    const uint32_t T = r->T;
    const int64_t *s = A->series[pl->observed_series] + (size_t)k * T;
    double prev = 0, e2 = 0;
    size_t j = 0;
    for (size_t o = 0; o < pl->n_obs; o++) {
        const double t = pl->obs_t[o];
        while (j + 1 < T && r->time_days[j + 1] < t)
            j++;
        double w = 0;
        if (j + 1 < T && t > r->time_days[j])
            w = (t - r->time_days[j]) / (r->time_days[j + 1] - r->time_days[j]);
        if (w > 1) w = 1;
        const size_t j1 = j + 1 < T ? j + 1 : j;
        const double v = (1 - w) * (double)s[j] + w * (double)s[j1], y = v - prev;
        prev = v;
        row[o] = y;
        e2 += (y - obs_inc(pl, o)) * (y - obs_inc(pl, o));
    }
    row[pl->n_obs] = e2;
}

/* The rows of replicates [r0, r1) of one candidate's results (arm last). */
static void fill_rows(const bz_opt_plan *pl, const bz_results *r, uint32_t r0, uint32_t r1,
                      double *rows)
{
    const size_t W = row_width(pl);
    const bz_arm_result *A = &r->arms[r->n_arms - 1], *B = pl->relative ? &r->arms[0] : NULL;
    for (uint32_t k = r0; k < r1; k++) {
        double *row = rows + (size_t)(k - r0) * W;
        if (pl->calibrate) {
            fit_row(pl, r, A, k, row);
            continue;
        }
        const double *a = A->outcomes[k].v, *b = B ? B->outcomes[k].v : NULL;
        double obj = 0;
        for (size_t t = 0; t < pl->n_terms; t++) {
            int o = pl->terms[t].outcome;
            obj += pl->terms[t].weight * (a[o] - (b ? b[o] : 0));
        }
        row[0] = obj;
        row[1] = a[BZ_OUT_SPEND];
        for (size_t c = 0; c < pl->n_cons; c++)
            row[2 + c] = a[pl->cons[c].outcome];
        for (uint32_t j = 0; j < pl->n_campaigns; j++)
            row[2 + pl->n_cons + j] =
                j < A->n_campaigns ? bz_arm_campaign(A, k, j)->v[BZ_CAMP_SPEND] : 0;
    }
}

/* A candidate's figures from the rows of all R replicates, summed in
 * replicate order (the same bits however the rows were computed).
 * Optimize: the mean objective, feasible when the arm's spend is within
 * the budget in every replicate and each constraint holds for the mean.
 * Calibration: minus the SSE of the mean series (spend and constraints do
 * not apply). keep: per_rep and spend per replicate (calibration: minus
 * each replicate's own SSE), and calibration's mean series. */
static int reduce_rows(const bz_opt_plan *pl, const double *rows, uint32_t R, int keep,
                       bz_opt_eval *e, bz_error *err)
{
    const size_t W = row_width(pl);
    e->R = R;
    if (keep) {
        e->per_rep = malloc(R * sizeof *e->per_rep);
        e->spend = malloc(R * sizeof *e->spend);
        if (!e->per_rep || !e->spend)
            return bz_error_oom(err, NULL, 2 * (size_t)R * sizeof(double), "%u replicates' figures",
                                (unsigned)R);
    }
    if (pl->calibrate) {
        double *series = calloc(pl->n_obs ? pl->n_obs : 1, sizeof *series);
        if (!series) return bz_error_oom(err, NULL, pl->n_obs * sizeof *series, "a series");
        for (uint32_t k = 0; k < R; k++)
            for (size_t o = 0; o < pl->n_obs; o++)
                series[o] += rows[(size_t)k * W + o] / R;
        double sse = 0;
        for (size_t o = 0; o < pl->n_obs; o++)
            sse += (series[o] - obs_inc(pl, o)) * (series[o] - obs_inc(pl, o));
        e->objective = -sse;
        e->feasible = isfinite(sse);
        e->spend_max = 0;
        for (uint32_t k = 0; keep && k < R; k++) {
            e->per_rep[k] = -rows[(size_t)k * W + pl->n_obs];
            e->spend[k] = 0;
        }
        if (keep)
            e->series = series;
        else
            free(series);
        return BZ_OK;
    }
    double sum = 0, cons_sum[BZ_OPT_CONS_MAX] = {0}, camp_sum[BZ_OPT_CAMPAIGNS_MAX] = {0};
    size_t n_ok = 0;
    const size_t C = pl->n_campaigns;
    e->spend_max = -INFINITY;
    for (size_t j = 0; j < C; j++)
        e->camp_max[j] = -INFINITY;
    for (uint32_t k = 0; k < R; k++) {
        const double *row = rows + (size_t)k * W, obj = row[0], spend = row[1];
        const double *camp = row + 2 + pl->n_cons;
        if (keep) {
            e->per_rep[k] = obj;
            e->spend[k] = spend;
        }
        if (isfinite(obj)) sum += obj, n_ok++;
        if (spend > e->spend_max) e->spend_max = spend;
        for (size_t c = 0; c < pl->n_cons; c++)
            cons_sum[c] += row[2 + c];
        for (size_t j = 0; j < C; j++) {
            camp_sum[j] += camp[j];
            if (camp[j] > e->camp_max[j]) e->camp_max[j] = camp[j];
        }
    }
    e->objective = n_ok == R && R ? sum / R : NAN;
    e->feasible = isfinite(e->objective) && e->spend_max <= pl->budget;
    for (size_t j = 0; j < C; j++) {
        e->camp_mean[j] = camp_sum[j] / R;
        if (!(e->camp_max[j] <= pl->cap[j])) e->feasible = 0;
    }
    for (size_t c = 0; c < pl->n_cons; c++) {
        e->cons[c] = cons_sum[c] / R;
        if (!(e->cons[c] >= pl->cons[c].min && e->cons[c] <= pl->cons[c].max)) e->feasible = 0;
    }
    return BZ_OK;
}

/* n, or 1 for 0 (malloc(0) may return NULL). */
static size_t at_least_1(size_t n)
{
    return n ? n : 1;
}

/* Replicates [*r0, *r1) of R that `rank` of `size` runs. */
static void rank_range(uint32_t R, int rank, int size, uint32_t *r0, uint32_t *r1)
{
    *r0 = (uint32_t)((uint64_t)R * (uint64_t)rank / (uint64_t)size);
    *r1 = (uint32_t)((uint64_t)R * (uint64_t)(rank + 1) / (uint64_t)size);
}

/* This rank's replicates [r0, r1) of the candidate into rows. */
static int simulate_rows(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], uint64_t seed,
                         uint32_t R, uint32_t r0, uint32_t r1, double *rows, bz_error *err)
{
    int status = BZ_OK, loaded = 0, ran = 0;
    char sets[BZ_OPT_VARS_MAX + 2][SET_MAX], what[2048];
    const char *setp[BZ_OPT_VARS_MAX + 2] = {NULL};
    bz_experiment x;
    bz_results res;
    memset(&res, 0, sizeof res);
    size_t n = candidate_sets(pl, text, seed, R, sets, setp);
    status = bz_opt_plan_experiment(pl, setp, n, &x, err);
    if (status != BZ_OK) {
        describe(pl, text, what, sizeof what);
        bz_error_prefix(err, "%s: candidate (%s): ", pl->path, what);
        goto cleanup;
    }
    loaded = 1;
    /* Attribution splits an arm's effect among its campaigns by running
     * sub-arms; the search needs the arm's outcomes only. */
    for (size_t a = 0; a < x.n_arms; a++)
        x.arms[a].attribution = BZ_ATTRIB_NONE;
    bz_run_opts ro = {NULL, NULL, r0, r1};
    status = bz_run_experiment(&x, &ro, &res, err);
    ran = 1;
    if (status != BZ_OK) goto cleanup;
    fill_rows(pl, &res, r0, r1, rows);
cleanup:
    if (ran) bz_results_destroy(&res);
    if (loaded) bz_experiment_destroy(&x);
    return status;
}

int bz_opt_evaluate(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], uint64_t seed,
                    uint32_t R, int keep_reps, const bz_opt_comm *comm, bz_opt_eval *e,
                    bz_error *err)
{
    int status = BZ_OK;
    const int size = comm ? comm->size : 1, rank = comm ? comm->rank : 0;
    const size_t W = row_width(pl);
    double *rows = NULL, *mine = NULL;
    int *counts = NULL;
    uint32_t r0, r1;
    for (size_t i = 0; text && i < pl->n_vars; i++)
        snprintf(e->text[i], BZ_OPT_VALUE_MAX, "%s", text[i]);
    rank_range(R, rank, size, &r0, &r1);
    if (!(rows = malloc(at_least_1((size_t)R * W) * sizeof *rows)))
        status = bz_error_oom(err, NULL, (size_t)R * W * sizeof *rows, "%u replicates' figures",
                              (unsigned)R);
    if (size > 1) {
        if ((size_t)R * W > INT_MAX) /* the same on every rank: no rank waits */
            BZ_FAIL(err, BZ_ETOOBIG, "%u replicates of %zu figures: too many to exchange",
                    (unsigned)R, W);
        counts = malloc((size_t)size * sizeof *counts);
        mine = malloc(at_least_1((r1 - r0) * W) * sizeof *mine);
        if (status == BZ_OK && (!counts || !mine))
            status = bz_error_oom(err, NULL, (size_t)size * sizeof *counts + (r1 - r0) * W * 8,
                                  "the exchange of %u replicates' figures", (unsigned)R);
    }
    if (status == BZ_OK && r1 > r0)
        status = simulate_rows(pl, text, seed, R, r0, r1, size > 1 ? mine : rows, err);
    if (size > 1) {
        BZ_CHECK(comm->agree(comm->ctx, status, err));
        for (int q = 0; q < size; q++) {
            uint32_t q0, q1;
            rank_range(R, q, size, &q0, &q1);
            counts[q] = (int)((q1 - q0) * W);
        }
        BZ_CHECK(comm->allgather(comm->ctx, mine, counts, rows, err));
    }
    BZ_CHECK(status);
    BZ_CHECK(reduce_rows(pl, rows, R, keep_reps, e, err));
cleanup:
    free(rows);
    free(mine);
    free(counts);
    return status;
}

/* ------------------------------------------------------------------ search */

typedef struct search {
    const bz_opt_plan *pl;
    const bz_opt_opts *o;
    bz_opt_result *res;
    size_t cap;
    size_t stop_at; /* distinct evaluations at which this phase stops */
    int phase;
    double scale; /* penalty unit: |objective of the base plan|, at least 1 */
    nlopt_opt opt;
    int status;
    bz_error *err;
    const bz_opt_comm *comm; /* NULL: this process alone */
} search;

/* The first failure of any rank (or st alone): every rank then stops at
 * the same point. Collective with ranks. */
static int agree(const search *s, int st)
{
    return s->comm ? s->comm->agree(s->comm->ctx, st, s->err) : st;
}

/* A stop request on any rank. Collective with ranks. */
static int stopped(const search *s)
{
    const int f = s->o->stop && *s->o->stop;
    return s->comm ? s->comm->any(s->comm->ctx, f) : f;
}

static double score(const search *s, const bz_opt_eval *e)
{
    const bz_opt_plan *pl = s->pl;
    if (!isfinite(e->objective)) return WORST;
    if (e->feasible) return -e->objective;
    double viol = 0;
    if (e->spend_max > pl->budget) viol += e->spend_max / pl->budget - 1;
    for (size_t j = 0; j < pl->n_campaigns; j++)
        if (e->camp_max[j] > pl->cap[j]) viol += e->camp_max[j] / pl->cap[j] - 1;
    for (size_t c = 0; c < pl->n_cons; c++) {
        double lo = pl->cons[c].min, hi = pl->cons[c].max, v = e->cons[c];
        if (v < lo) viol += (lo - v) / fmax(fabs(lo), 1);
        if (v > hi) viol += (v - hi) / fmax(fabs(hi), 1);
    }
    return -e->objective + s->scale * (1 + 10 * viol);
}

static int same_candidate(const bz_opt_plan *pl, const bz_opt_eval *e,
                          char (*text)[BZ_OPT_VALUE_MAX])
{
    for (size_t i = 0; i < pl->n_vars; i++)
        if (strcmp(e->text[i], text[i])) return 0;
    return 1;
}

/* Stop the NLopt run in progress, if any (the uncertainty phase runs
 * without one). */
static void stop_search(search *s)
{
    if (s->opt) nlopt_force_stop(s->opt);
}

/* The candidate at u (rounded to valid values), from the cache or
 * simulated now on the search's replicates; NULL when the phase's budget
 * is spent, on a stop request or an error (s->status). Calibration keeps
 * every candidate's series (for the Jacobian). The pointer is valid until
 * the next call (res->evals grows). */
static const bz_opt_eval *evaluate_u(search *s, const double *u)
{
    const bz_opt_plan *pl = s->pl;
    bz_opt_result *res = s->res;
    const size_t n = pl->n_vars;
    char text[BZ_OPT_VARS_MAX][BZ_OPT_VALUE_MAX];
    double value[BZ_OPT_VARS_MAX];
    for (size_t i = 0; i < n; i++)
        bz_opt_var_text(&pl->vars[i], u[i], text[i], &value[i]);
    for (size_t k = 0; k < res->n_evals; k++)
        if (same_candidate(pl, &res->evals[k], text)) return &res->evals[k];
    if (s->status != BZ_OK || res->n_evals >= s->stop_at || stopped(s)) return NULL;
    const bz_opt_eval *known = NULL; /* simulated before the search was killed */
    for (size_t k = 0; k < s->o->n_preload && !known; k++)
        if (same_candidate(pl, &s->o->preload[k], text)) known = &s->o->preload[k];
    if (res->n_evals == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        bz_opt_eval *ev = realloc(res->evals, cap * sizeof *ev);
        int st = ev ? BZ_OK : bz_error_oom(s->err, NULL, cap * sizeof *ev, "%zu evaluations", cap);
        if (ev) {
            res->evals = ev;
            s->cap = cap;
        }
        if ((s->status = agree(s, st)) != BZ_OK) return NULL;
    }
    bz_opt_eval *e = &res->evals[res->n_evals];
    memset(e, 0, sizeof *e);
    if (known) {
        *e = *known;
        e->per_rep = e->spend = NULL;
        e->series = NULL;
        int st = BZ_OK;
        if (known->series) {
            if ((e->series = malloc(pl->n_obs * sizeof *e->series)))
                memcpy(e->series, known->series, pl->n_obs * sizeof *e->series);
            else
                st = bz_error_oom(s->err, NULL, pl->n_obs * sizeof *e->series,
                                  "a journal plan's series");
        }
        if ((s->status = agree(s, st)) != BZ_OK) return NULL;
        res->n_evals++;
        res->resumed++;
        if (s->o->progress) s->o->progress(s->o->progress_ctx, e, res->n_evals, pl->evaluations);
        return e;
    }
    int st = bz_opt_evaluate(pl, text, pl->seed, pl->replicates, pl->calibrate, s->comm, e, s->err);
    if (st != BZ_OK) {
        bz_opt_eval_destroy(e);
        s->status = st;
        return NULL;
    }
    memcpy(e->u, u, n * sizeof *u);
    memcpy(e->value, value, n * sizeof *value);
    e->phase = s->phase;
    res->n_evals++;
    res->simulations += (uint64_t)pl->replicates * (pl->relative ? 2 : 1);
    if (s->o->record) st = s->o->record(s->o->record_ctx, e, s->err);
    if ((s->status = agree(s, st)) != BZ_OK) return NULL;
    if (s->o->progress) s->o->progress(s->o->progress_ctx, e, res->n_evals, pl->evaluations);
    return e;
}

static double objective_fn(unsigned n, const double *u, double *grad, void *data)
{
    search *s = data;
    (void)n;
    (void)grad;
    const bz_opt_eval *e = evaluate_u(s, u);
    if (!e) {
        stop_search(s);
        return WORST;
    }
    return score(s, e);
}

/* One NLopt run of `alg` from u0 until stop_at distinct evaluations. */
static int run_phase(search *s, nlopt_algorithm alg, double *u0, size_t stop_at, int phase)
{
    const unsigned n = (unsigned)s->pl->n_vars;
    double lo[BZ_OPT_VARS_MAX], hi[BZ_OPT_VARS_MAX], step[BZ_OPT_VARS_MAX], f;
    for (unsigned i = 0; i < n; i++)
        lo[i] = 0, hi[i] = 1, step[i] = 0.2;
    s->opt = nlopt_create(alg, n);
    if (!s->opt) return bz_error_set(s->err, BZ_ENOMEM, "out of memory for the NLopt optimiser");
    s->stop_at = stop_at;
    s->phase = phase;
    nlopt_set_lower_bounds(s->opt, lo);
    nlopt_set_upper_bounds(s->opt, hi);
    nlopt_set_min_objective(s->opt, objective_fn, s);
    nlopt_set_initial_step(s->opt, step);
    /* Repeats of cached candidates are free but still calls: bound them. */
    nlopt_set_maxeval(s->opt, (int)(50 * (stop_at + 1) < 1000000 ? 50 * (stop_at + 1) : 1000000));
    nlopt_set_xtol_abs1(s->opt, 1e-4);
    nlopt_set_population(s->opt, 0);
    nlopt_srand(s->pl->seed); /* CRS2's random points: from the plan's seed */
    nlopt_result r = nlopt_optimize(s->opt, u0, &f);
    nlopt_destroy(s->opt);
    s->opt = NULL;
    if (s->status != BZ_OK) return s->status;
    if (r < 0 && r != NLOPT_FORCED_STOP && r != NLOPT_ROUNDOFF_LIMITED)
        return bz_error_set(s->err, BZ_EINTERNAL, "NLopt (%s) failed: %s",
                            nlopt_algorithm_name(alg), nlopt_result_to_string(r));
    return BZ_OK;
}

/* The best candidate so far by score (feasible first), or NULL. */
static const bz_opt_eval *best_eval(const search *s)
{
    const bz_opt_eval *best = NULL;
    for (size_t k = 0; k < s->res->n_evals; k++)
        if (!best || score(s, &s->res->evals[k]) < score(s, best)) best = &s->res->evals[k];
    return best;
}

/* Calibration: the Jacobian J[o][i] of the mean series at u with respect
 * to u (central differences of half-width `step` in the unit cube, one
 * sided at a bound); 2k candidates. 0 if the budget ran out. */
static int jacobian(search *s, const double *u, double step, double *J)
{
    const bz_opt_plan *pl = s->pl;
    const size_t k = pl->n_vars, n = pl->n_obs;
    double v[BZ_OPT_VARS_MAX];
    for (size_t i = 0; i < k; i++) {
        double lo = fmax(0, u[i] - step), hi = fmin(1, u[i] + step);
        memcpy(v, u, k * sizeof *v);
        v[i] = hi;
        const bz_opt_eval *e = evaluate_u(s, v);
        if (!e) return 0;
        for (size_t o = 0; o < n; o++)
            J[o * k + i] = e->series[o];
        v[i] = lo;
        if (!(e = evaluate_u(s, v))) return 0;
        for (size_t o = 0; o < n; o++)
            J[o * k + i] = (J[o * k + i] - e->series[o]) / (hi - lo);
    }
    return 1;
}

/* A = J^T J (+ lambda diag), g = J^T r for the residuals r = series - obs. */
static void normal_equations(const bz_opt_plan *pl, const double *J, const double *series,
                             double lambda, gsl_matrix *A, gsl_vector *g)
{
    const size_t k = pl->n_vars, n = pl->n_obs;
    for (size_t i = 0; i < k; i++) {
        double gi = 0;
        for (size_t o = 0; o < n; o++)
            gi += J[o * k + i] * (series[o] - obs_inc(pl, o));
        gsl_vector_set(g, i, gi);
        for (size_t j = 0; j < k; j++) {
            double a = 0;
            for (size_t o = 0; o < n; o++)
                a += J[o * k + i] * J[o * k + j];
            gsl_matrix_set(A, i, j, a);
        }
        gsl_matrix_set(A, i, i, gsl_matrix_get(A, i, i) * (1 + lambda) + 1e-12);
    }
}

/* Calibration's local phase and intervals: Levenberg-Marquardt on the
 * least-squares fit from the best candidate (each step a finite-difference
 * Jacobian, 2k candidates, and one trial), until the evaluations are spent
 * or a step changes no variable by 1e-4 of its range; then the
 * Gauss-Newton covariance sigma^2 (J^T J)^-1 at the best, sigma^2 =
 * SSE / (n - k), and each variable's 95% interval u_i +- t(n-k) se_i in
 * the unit cube, mapped to the variable's values (bz_opt_result). */
static int fit_least_squares(search *s, size_t stop_at, int intervals)
{
    int status = BZ_OK;
    const bz_opt_plan *pl = s->pl;
    bz_opt_result *res = s->res;
    const size_t k = pl->n_vars, n = pl->n_obs;
    const double step = 0.01;
    double u[BZ_OPT_VARS_MAX], trial[BZ_OPT_VARS_MAX], lambda = 1e-2, sse;
    double *J = malloc(n * k * sizeof *J), *series = malloc(n * sizeof *series);
    gsl_matrix *A = gsl_matrix_alloc(k, k), *inv = gsl_matrix_alloc(k, k);
    gsl_vector *g = gsl_vector_alloc(k), *d = gsl_vector_alloc(k);
    gsl_permutation *perm = gsl_permutation_alloc(k);
    if (!J || !series || !A || !inv || !g || !d || !perm)
        BZ_FAIL(s->err, BZ_ENOMEM, "out of memory for the least-squares fit (%zu bytes)",
                (n * k + n + 2 * k * k + 2 * k) * sizeof(double));
    s->stop_at = stop_at;
    s->phase = 1;
    const bz_opt_eval *b = best_eval(s);
    memcpy(u, b->u, k * sizeof *u);
    memcpy(series, b->series, n * sizeof *series);
    sse = -b->objective;
    for (int iter = 0; iter < 100; iter++) {
        if (!jacobian(s, u, step, J)) break;
        normal_equations(pl, J, series, lambda, A, g);
        int sign;
        if (gsl_linalg_LU_decomp(A, perm, &sign) || gsl_linalg_LU_solve(A, perm, g, d)) break;
        double moved = 0;
        for (size_t i = 0; i < k; i++) {
            trial[i] = fmin(1, fmax(0, u[i] - gsl_vector_get(d, i)));
            moved = fmax(moved, fabs(trial[i] - u[i]));
        }
        if (moved < 1e-4) break;
        const bz_opt_eval *e = evaluate_u(s, trial);
        if (!e) break;
        if (-e->objective < sse) { /* accept: trust the model more */
            memcpy(u, trial, k * sizeof *u);
            memcpy(series, e->series, n * sizeof *series);
            sse = -e->objective;
            lambda = fmax(lambda / 10, 1e-6);
        } else {
            lambda *= 10;
        }
    }
    if (s->status != BZ_OK) BZ_CHECK(s->status);
    if (!intervals) goto cleanup;
    /* Intervals at the best candidate of all (the Jacobian there). */
    b = best_eval(s);
    memcpy(u, b->u, k * sizeof *u);
    memcpy(series, b->series, n * sizeof *series);
    res->sse_min = -b->objective;
    s->stop_at = res->n_evals + 2 * k; /* the Jacobian may need 2k more */
    for (size_t i = 0; i < k; i++) {
        res->fit_low[i] = res->fit_high[i] = NAN;
        for (size_t j = 0; j < k; j++)
            res->fit_corr[i][j] = NAN;
    }
    if (!jacobian(s, u, step, J)) BZ_CHECK(s->status);
    normal_equations(pl, J, series, 0, A, g);
    int sign;
    if (gsl_linalg_LU_decomp(A, perm, &sign) || gsl_linalg_LU_invert(A, perm, inv)) goto cleanup;
    const double sigma2 = res->sse_min / (double)(n - k);
    const double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - k));
    for (size_t i = 0; i < k; i++) {
        const double var = sigma2 * gsl_matrix_get(inv, i, i);
        if (!(var >= 0)) continue;
        double half = t * sqrt(var), v;
        char text[BZ_OPT_VALUE_MAX];
        bz_opt_var_text(&pl->vars[i], u[i] - half, text, &v);
        res->fit_low[i] = v;
        bz_opt_var_text(&pl->vars[i], u[i] + half, text, &v);
        res->fit_high[i] = v;
        res->at_edge[i] = u[i] - half <= 0 || u[i] + half >= 1;
        res->se_u[i] = sqrt(var);
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            const double r = gsl_matrix_get(inv, i, j) /
                             sqrt(gsl_matrix_get(inv, i, i) * gsl_matrix_get(inv, j, j));
            res->fit_corr[i][j] = isfinite(r) ? r : NAN;
        }
cleanup:
    free(J);
    free(series);
    gsl_matrix_free(A);
    gsl_matrix_free(inv);
    gsl_vector_free(g);
    gsl_vector_free(d);
    gsl_permutation_free(perm);
    return status;
}

/* A seed the search never used for the final runs. */
static uint64_t final_seed(uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    z &= 0x7fffffffffffffffull; /* seeds are non-negative int64 in the experiment */
    return z == seed ? (z + 1) & 0x7fffffffffffffffull : z;
}

/* Calibration's intervals by parametric bootstrap (Efron & Tibshirani
 * 1993): B series of the fitted model (one replicate each, seeds the
 * search never used), each refitted by least squares from the fit on the
 * search's replicates (common random numbers, as the fit itself); each
 * variable's standard error is the sd of its B refits in the unit cube and
 * its interval u +- t(B-1) se. This captures what the Gauss-Newton
 * interval misses: the data's errors are not independent (a stochastic
 * early phase shifts the whole curve). The refits' correlations go to
 * res->fit_corr. Cost: B (2k + 1) to B (4k + 2) simulated plans. */
static int bootstrap(search *s)
{
    int status = BZ_OK;
    const bz_opt_plan *pl = s->pl;
    bz_opt_result *res = s->res;
    const size_t k = pl->n_vars, n = pl->n_obs, B = pl->bootstrap, W = k + 2;
    const int size = s->comm ? s->comm->size : 1, rank = s->comm ? s->comm->rank : 0;
    static const bz_opt_opts quiet = {NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    double u_fit[BZ_OPT_VARS_MAX], sum[BZ_OPT_VARS_MAX] = {0}, sum2[BZ_OPT_VARS_MAX] = {0};
    char text[BZ_OPT_VARS_MAX][BZ_OPT_VALUE_MAX];
    /* One row per refit: done (0 or 1), the refit's u, its simulations.
     * Refit b runs on rank b mod size, alone (common random numbers within
     * it, as for the fit); rows[b] after the exchange. */
    const size_t mine_n = B / (size_t)size + 1;
    double *synth = malloc(n * sizeof *synth), *rows = calloc(B * W + 1, sizeof *rows);
    double *mine = calloc(mine_n * W, sizeof *mine);
    int *counts = calloc((size_t)size, sizeof *counts);
    if (!synth || !rows || !mine || !counts)
        status = bz_error_oom(s->err, NULL, (n + B * W + 1 + mine_n * W) * sizeof(double),
                              "the bootstrap");
    const bz_opt_eval *fit = best_eval(s);
    memcpy(u_fit, fit->u, k * sizeof *u_fit);
    memcpy(text, fit->text, sizeof text);
    size_t j = 0;
    for (size_t b = (size_t)rank; status == BZ_OK && b < B; b += (size_t)size, j++) {
        if (s->o->stop && *s->o->stop) break;
        double *row = mine + j * W;
        bz_opt_eval data;
        memset(&data, 0, sizeof data);
        status = bz_opt_evaluate(pl, text, final_seed(pl->seed + 1 + b), 1, 1, NULL, &data, s->err);
        for (size_t o = 0; status == BZ_OK && o < n; o++) /* the increments summed back */
            synth[o] = (o ? synth[o - 1] : 0) + data.series[o];
        bz_opt_eval_destroy(&data);
        if (status != BZ_OK) break;
        bz_opt_plan pb = *pl; /* shares the variables: never destroyed */
        pb.obs_v = synth;
        bz_opt_result rb;
        memset(&rb, 0, sizeof rb);
        search sb = {&pb, &quiet, &rb, 0, 1, 0, 1, NULL, BZ_OK, s->err, NULL};
        if (evaluate_u(&sb, u_fit)) status = fit_least_squares(&sb, 2 + 6 * (2 * k + 1), 0);
        if (sb.status != BZ_OK) status = sb.status;
        const bz_opt_eval *best = status == BZ_OK ? best_eval(&sb) : NULL;
        row[0] = best != NULL;
        for (size_t i = 0; best && i < k; i++)
            row[1 + i] = best->u[i];
        row[k + 1] = (double)(1 + rb.simulations);
        bz_opt_result_destroy(&rb);
    }
    BZ_CHECK(agree(s, status));
    if (stopped(s)) goto cleanup;
    if (s->comm) {
        for (int q = 0; q < size; q++)
            counts[q] = (int)(((B > (size_t)q ? (B - (size_t)q - 1) / (size_t)size + 1 : 0)) * W);
        BZ_CHECK(s->comm->allgather(s->comm->ctx, mine, counts, rows, s->err));
        /* From rank order (rank q's refits q, q + size, ...) to refit order. */
        double *ordered = calloc(B * W + 1, sizeof *ordered);
        if (!ordered) status = bz_error_oom(s->err, NULL, B * W * sizeof *ordered, "the bootstrap");
        BZ_CHECK(agree(s, status));
        size_t at = 0;
        for (int q = 0; q < size; q++)
            for (size_t b = (size_t)q; b < B; b += (size_t)size, at++)
                memcpy(ordered + b * W, rows + at * W, W * sizeof *rows);
        free(rows);
        rows = ordered;
    } else {
        memcpy(rows, mine, B * W * sizeof *rows);
    }
    size_t done = 0;
    for (size_t b = 0; b < B; b++) {
        const double *row = rows + b * W;
        res->simulations += (uint64_t)row[k + 1];
        if (!row[0]) continue;
        for (size_t i = 0; i < k; i++) {
            sum[i] += row[1 + i];
            sum2[i] += row[1 + i] * row[1 + i];
        }
        done++;
    }
    res->bootstrap_done = done;
    if (done < 2) goto cleanup;
    const double t = gsl_cdf_tdist_Pinv(0.975, (double)(done - 1));
    for (size_t i = 0; i < k; i++) {
        const double mean = sum[i] / done;
        const double se = sqrt(fmax(0, (sum2[i] - done * mean * mean) / (done - 1)));
        double v;
        char buf[BZ_OPT_VALUE_MAX];
        res->se_u[i] = se;
        bz_opt_var_text(&pl->vars[i], u_fit[i] - t * se, buf, &v);
        res->fit_low[i] = v;
        bz_opt_var_text(&pl->vars[i], u_fit[i] + t * se, buf, &v);
        res->fit_high[i] = v;
        res->at_edge[i] = u_fit[i] - t * se <= 0 || u_fit[i] + t * se >= 1;
    }
    /* The refits' sample correlations (two passes over the rows: the means
     * first, so no cancellation). */
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            const double mi = sum[i] / done, mj = sum[j] / done;
            double sij = 0, sii = 0, sjj = 0;
            for (size_t b = 0; b < B; b++) {
                const double *row = rows + b * W;
                if (!row[0]) continue;
                sij += (row[1 + i] - mi) * (row[1 + j] - mj);
                sii += (row[1 + i] - mi) * (row[1 + i] - mi);
                sjj += (row[1 + j] - mj) * (row[1 + j] - mj);
            }
            const double r = sij / sqrt(sii * sjj);
            res->fit_corr[i][j] = isfinite(r) ? r : NAN;
        }
cleanup:
    free(synth);
    free(rows);
    free(mine);
    free(counts);
    return status;
}

static int by_objective(const void *a, const void *b)
{
    const bz_opt_eval *x = *(const bz_opt_eval *const *)a, *y = *(const bz_opt_eval *const *)b;
    return (x->objective < y->objective) - (x->objective > y->objective);
}

static int final_round(search *s)
{
    int status = BZ_OK;
    const bz_opt_plan *pl = s->pl;
    bz_opt_result *res = s->res;
    const bz_opt_eval **order = NULL;
    size_t n_feasible = 0;
    order = malloc((res->n_evals ? res->n_evals : 1) * sizeof *order);
    res->final = calloc(pl->finalists, sizeof *res->final);
    if (!order || !res->final)
        BZ_FAIL(s->err, BZ_ENOMEM, "out of memory for the final round (%zu bytes)",
                res->n_evals * sizeof *order + pl->finalists * sizeof *res->final);
    for (size_t k = 0; k < res->n_evals; k++)
        if (res->evals[k].feasible) order[n_feasible++] = &res->evals[k];
    qsort(order, n_feasible, sizeof *order, by_objective);
    res->final_seed = final_seed(pl->seed);
    const uint32_t R = pl->final_replicates;
    BZ_CHECK(bz_opt_evaluate(pl, NULL, res->final_seed, R, 1, s->comm, &res->base, s->err));
    res->base.phase = 3;
    res->simulations += (uint64_t)R * (pl->relative ? 2 : 1);
    for (size_t k = 0; k < n_feasible && res->n_final < pl->finalists; k++) {
        bz_opt_eval *f = &res->final[res->n_final];
        memset(f, 0, sizeof *f);
        memcpy(f->u, order[k]->u, sizeof f->u);
        memcpy(f->value, order[k]->value, sizeof f->value);
        BZ_CHECK(bz_opt_evaluate(pl, (char(*)[BZ_OPT_VALUE_MAX])order[k]->text, res->final_seed, R,
                                 1, s->comm, f, s->err));
        f->phase = 2;
        res->n_final++;
        res->simulations += (uint64_t)R * (pl->relative ? 2 : 1);
    }
    /* Best first by the fresh replicates; the feasible ones before the rest. */
    for (size_t i = 1; i < res->n_final; i++)
        for (size_t j = i; j > 0; j--) {
            bz_opt_eval *a = &res->final[j - 1], *b = &res->final[j];
            int swap = (b->feasible > a->feasible) ||
                       (b->feasible == a->feasible && b->objective > a->objective);
            if (!swap) break;
            bz_opt_eval t = *a;
            *a = *b;
            *b = t;
        }
    res->chosen = res->n_final && res->final[0].feasible ? 0 : -1;
    res->vs_base.mean = res->vs_base.ci_low = res->vs_base.ci_high = NAN;
    res->vs_runner_up = res->vs_base;
    if (res->chosen == 0) {
        const bz_opt_eval *c = &res->final[0];
        res->vs_base = bz_stats_paired(c->per_rep, res->base.per_rep, R);
        if (res->n_final > 1)
            res->vs_runner_up = bz_stats_paired(c->per_rep, res->final[1].per_rep, R);
    }
cleanup:
    free(order);
    return status;
}

/* The recommended experiment as resolved text: the base with the chosen
 * values (its own seed and replicates), the arms the plan compares. */
static int plan_text(const bz_opt_plan *pl, bz_opt_result *res, bz_error *err)
{
    char sets[BZ_OPT_VARS_MAX + 2][SET_MAX];
    const char *setp[BZ_OPT_VARS_MAX + 2];
    bz_experiment x;
    if (res->chosen < 0) return BZ_OK;
    size_t n = candidate_sets(pl, res->final[res->chosen].text, 0, 0, sets, setp);
    int status = bz_opt_plan_experiment(pl, setp, n, &x, err);
    if (status != BZ_OK) return status;
    const size_t len = strlen(x.resolved_yaml) + 1;
    res->plan_yaml = strdup(x.resolved_yaml);
    bz_experiment_destroy(&x);
    if (!res->plan_yaml) return bz_error_oom(err, NULL, len, "the recommended plan's text");
    return BZ_OK;
}

int bz_optimize(const bz_opt_plan *pl, const bz_opt_opts *opts, bz_opt_result *res, bz_error *err)
{
    int status = BZ_OK;
    static const bz_opt_opts none = {NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    double t0 = bz_clock_seconds(), u0[BZ_OPT_VARS_MAX];
    memset(res, 0, sizeof *res);
    res->chosen = -1;
    search s = {pl, opts ? opts : &none, res, 0, 0, 0, 1, NULL, BZ_OK, err, NULL};
    s.comm = s.o->comm && s.o->comm->size > 1 ? s.o->comm : NULL;
    /* The base plan on the search's replicates: the penalty's unit. */
    bz_opt_eval base;
    memset(&base, 0, sizeof base);
    BZ_CHECK(bz_opt_evaluate(pl, NULL, pl->seed, pl->replicates, 0, s.comm, &base, err));
    res->simulations += (uint64_t)pl->replicates * (pl->relative ? 2 : 1);
    s.scale = isfinite(base.objective) ? fmax(fabs(base.objective), 1) : 1;
    for (size_t i = 0; i < pl->n_vars; i++)
        u0[i] = 0.5;
    const size_t total = pl->evaluations;
    switch (pl->calibrate ? -1 : pl->method) {
    case -1: /* calibration: DIRECT-L, then least squares */
        BZ_CHECK(run_phase(&s, NLOPT_GN_DIRECT_L, u0, (total * 6 + 9) / 10, 0));
        if (best_eval(&s)) BZ_CHECK(fit_least_squares(&s, total, 1));
        if (pl->bootstrap && best_eval(&s)) BZ_CHECK(bootstrap(&s));
        break;
    case BZ_OPT_DIRECT_BOBYQA: {
        size_t global = (total * 6 + 9) / 10;
        BZ_CHECK(run_phase(&s, NLOPT_GN_DIRECT_L, u0, global, 0));
        const bz_opt_eval *b = best_eval(&s);
        if (b && res->n_evals < total) {
            memcpy(u0, b->u, pl->n_vars * sizeof *u0);
            /* BOBYQA needs two or more variables; one is searched by COBYLA. */
            BZ_CHECK(
                run_phase(&s, pl->n_vars > 1 ? NLOPT_LN_BOBYQA : NLOPT_LN_COBYLA, u0, total, 1));
        }
        break;
    }
    case BZ_OPT_DIRECT:
        BZ_CHECK(run_phase(&s, NLOPT_GN_DIRECT_L, u0, total, 0));
        break;
    case BZ_OPT_CRS2:
        BZ_CHECK(run_phase(&s, NLOPT_GN_CRS2_LM, u0, total, 0));
        break;
    case BZ_OPT_BOBYQA:
        BZ_CHECK(run_phase(&s, pl->n_vars > 1 ? NLOPT_LN_BOBYQA : NLOPT_LN_COBYLA, u0, total, 1));
        break;
    default:
        BZ_CHECK(run_phase(&s, NLOPT_LN_COBYLA, u0, total, 1));
        break;
    }

    if (stopped(&s)) BZ_FAIL(err, BZ_EINTERNAL, "optimize: stopped by a signal");
    BZ_CHECK(final_round(&s));
    if (pl->calibrate && res->chosen >= 0 && res->final[res->chosen].series) {
        res->fitted = malloc(pl->n_obs * sizeof *res->fitted);
        if (!res->fitted)
            BZ_FAIL(err, BZ_ENOMEM, "out of memory for the fitted series (%zu bytes)",
                    pl->n_obs * sizeof *res->fitted);
        for (size_t o = 0; o < pl->n_obs; o++) /* the increments summed back */
            res->fitted[o] = (o ? res->fitted[o - 1] : 0) + res->final[res->chosen].series[o];
    }
    BZ_CHECK(plan_text(pl, res, err));
cleanup:
    res->seconds = bz_clock_seconds() - t0;
    return status;
}

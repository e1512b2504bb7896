/* The search and the final re-evaluation (contracts in optimize/optimize.h). */
#include "optimize/optimize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nlopt.h>

#include "base/clock.h"
#include "engine/run.h"

#define SET_MAX (BZ_OPT_KEY_MAX + BZ_OPT_VALUE_MAX + 2)
#define WORST 1e30 /* score of a candidate whose objective is undefined */

void bz_opt_eval_destroy(bz_opt_eval *e)
{
    if (!e) return;
    free(e->per_rep);
    free(e->spend);
    e->per_rep = e->spend = NULL;
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
    memset(res, 0, sizeof *res);
}

/* "key=value, ..." of a candidate, for messages. */
static void describe(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; text && i < pl->n_vars && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", i ? ", " : "", pl->vars[i].key,
                                 text[i]);
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

/* Fill e's figures from the results of one candidate (arm last). */
static int score_results(const bz_opt_plan *pl, const bz_results *r, int keep, bz_opt_eval *e,
                         bz_error *err)
{
    const uint32_t R = r->R;
    const bz_arm_result *A = &r->arms[r->n_arms - 1], *B = pl->relative ? &r->arms[0] : NULL;
    double sum = 0, cons_sum[BZ_OPT_CONS_MAX] = {0};
    size_t n_ok = 0;
    e->R = R;
    e->spend_max = -INFINITY;
    if (keep) {
        e->per_rep = malloc(R * sizeof *e->per_rep);
        e->spend = malloc(R * sizeof *e->spend);
        if (!e->per_rep || !e->spend)
            return bz_error_set(err, BZ_ENOMEM,
                                "out of memory for %u replicates' figures (%zu bytes)", (unsigned)R,
                                2 * (size_t)R * sizeof(double));
    }
    for (uint32_t k = 0; k < R; k++) {
        const double *a = A->outcomes[k].v, *b = B ? B->outcomes[k].v : NULL;
        double obj = 0;
        for (size_t t = 0; t < pl->n_terms; t++) {
            int o = pl->terms[t].outcome;
            obj += pl->terms[t].weight * (a[o] - (b ? b[o] : 0));
        }
        double spend = a[BZ_OUT_SPEND];
        if (keep) {
            e->per_rep[k] = obj;
            e->spend[k] = spend;
        }
        if (isfinite(obj)) sum += obj, n_ok++;
        if (spend > e->spend_max) e->spend_max = spend;
        for (size_t c = 0; c < pl->n_cons; c++)
            cons_sum[c] += a[pl->cons[c].outcome];
    }
    e->objective = n_ok == R && R ? sum / R : NAN;
    e->feasible = isfinite(e->objective) && e->spend_max <= pl->budget;
    for (size_t c = 0; c < pl->n_cons; c++) {
        e->cons[c] = cons_sum[c] / R;
        if (!(e->cons[c] >= pl->cons[c].min && e->cons[c] <= pl->cons[c].max)) e->feasible = 0;
    }
    return BZ_OK;
}

int bz_opt_evaluate(const bz_opt_plan *pl, char (*text)[BZ_OPT_VALUE_MAX], uint64_t seed,
                    uint32_t R, int keep_reps, bz_opt_eval *e, bz_error *err)
{
    int status = BZ_OK, loaded = 0, ran = 0;
    char sets[BZ_OPT_VARS_MAX + 2][SET_MAX], what[2048];
    const char *setp[BZ_OPT_VARS_MAX + 2];
    bz_experiment x;
    bz_results res;
    memset(&res, 0, sizeof res);
    size_t n = candidate_sets(pl, text, seed, R, sets, setp);
    for (size_t i = 0; text && i < pl->n_vars; i++)
        snprintf(e->text[i], BZ_OPT_VALUE_MAX, "%s", text[i]);
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
    bz_run_opts ro = {NULL, NULL};
    status = bz_run_experiment(&x, &ro, &res, err);
    ran = 1;
    if (status != BZ_OK) goto cleanup;
    BZ_CHECK(score_results(pl, &res, keep_reps, e, err));
cleanup:
    if (ran) bz_results_destroy(&res);
    if (loaded) bz_experiment_destroy(&x);
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
} search;

static double score(const search *s, const bz_opt_eval *e)
{
    const bz_opt_plan *pl = s->pl;
    if (!isfinite(e->objective)) return WORST;
    if (e->feasible) return -e->objective;
    double viol = 0;
    if (e->spend_max > pl->budget) viol += e->spend_max / pl->budget - 1;
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

static double objective_fn(unsigned n, const double *u, double *grad, void *data)
{
    search *s = data;
    const bz_opt_plan *pl = s->pl;
    bz_opt_result *res = s->res;
    char text[BZ_OPT_VARS_MAX][BZ_OPT_VALUE_MAX];
    double value[BZ_OPT_VARS_MAX];
    (void)grad;
    for (unsigned i = 0; i < n; i++)
        bz_opt_var_text(&pl->vars[i], u[i], text[i], &value[i]);
    for (size_t k = 0; k < res->n_evals; k++)
        if (same_candidate(pl, &res->evals[k], text)) return score(s, &res->evals[k]);
    if (s->status != BZ_OK || res->n_evals >= s->stop_at || (s->o->stop && *s->o->stop)) {
        nlopt_force_stop(s->opt);
        return WORST;
    }
    if (res->n_evals == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        bz_opt_eval *ev = realloc(res->evals, cap * sizeof *ev);
        if (!ev) {
            s->status =
                bz_error_set(s->err, BZ_ENOMEM, "out of memory for %zu evaluations (%zu bytes)",
                             cap, cap * sizeof *ev);
            nlopt_force_stop(s->opt);
            return WORST;
        }
        res->evals = ev;
        s->cap = cap;
    }
    bz_opt_eval *e = &res->evals[res->n_evals];
    memset(e, 0, sizeof *e);
    int st = bz_opt_evaluate(pl, text, pl->seed, pl->replicates, 0, e, s->err);
    if (st != BZ_OK) {
        s->status = st;
        nlopt_force_stop(s->opt);
        return WORST;
    }
    memcpy(e->u, u, n * sizeof *u);
    memcpy(e->value, value, n * sizeof *value);
    e->phase = s->phase;
    res->n_evals++;
    res->simulations += (uint64_t)pl->replicates * (pl->relative ? 2 : 1);
    if (s->o->progress) s->o->progress(s->o->progress_ctx, e, res->n_evals, pl->evaluations);
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

static int by_objective(const void *a, const void *b)
{
    const bz_opt_eval *x = *(const bz_opt_eval *const *)a, *y = *(const bz_opt_eval *const *)b;
    return (x->objective < y->objective) - (x->objective > y->objective);
}

/* A seed the search never used for the final runs. */
static uint64_t final_seed(uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z == seed ? z + 1 : z;
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
    BZ_CHECK(bz_opt_evaluate(pl, NULL, res->final_seed, R, 1, &res->base, s->err));
    res->base.phase = 3;
    res->simulations += (uint64_t)R * (pl->relative ? 2 : 1);
    for (size_t k = 0; k < n_feasible && res->n_final < pl->finalists; k++) {
        bz_opt_eval *f = &res->final[res->n_final];
        memset(f, 0, sizeof *f);
        memcpy(f->u, order[k]->u, sizeof f->u);
        memcpy(f->value, order[k]->value, sizeof f->value);
        BZ_CHECK(bz_opt_evaluate(pl, (char(*)[BZ_OPT_VALUE_MAX])order[k]->text, res->final_seed, R,
                                 1, f, s->err));
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
    static const bz_opt_opts none = {NULL, NULL, NULL};
    double t0 = bz_clock_seconds(), u0[BZ_OPT_VARS_MAX];
    memset(res, 0, sizeof *res);
    res->chosen = -1;
    search s = {pl, opts ? opts : &none, res, 0, 0, 0, 1, NULL, BZ_OK, err};
    /* The base plan on the search's replicates: the penalty's unit. */
    bz_opt_eval base;
    memset(&base, 0, sizeof base);
    BZ_CHECK(bz_opt_evaluate(pl, NULL, pl->seed, pl->replicates, 0, &base, err));
    res->simulations += (uint64_t)pl->replicates * (pl->relative ? 2 : 1);
    s.scale = isfinite(base.objective) ? fmax(fabs(base.objective), 1) : 1;
    for (size_t i = 0; i < pl->n_vars; i++)
        u0[i] = 0.5;
    const size_t total = pl->evaluations;
    switch (pl->method) {
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
    if (s.o->stop && *s.o->stop) BZ_FAIL(err, BZ_EINTERNAL, "optimize: stopped by a signal");
    BZ_CHECK(final_round(&s));
    BZ_CHECK(plan_text(pl, res, err));
cleanup:
    res->seconds = bz_clock_seconds() - t0;
    return status;
}

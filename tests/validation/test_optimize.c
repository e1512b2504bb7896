/* buzzsim optimize against a known optimum, the budget, and the final
 * re-evaluation (docs/optimize.md).
 *
 * The problem: Bass diffusion on a well-mixed population of N agents, an
 * advertising campaign over the whole horizon T exposing every agent at
 * rate r per day, each exposure converting with probability rho (the
 * model's response), so the external influence is p + rho r. Revenue is
 * price x adopters, the media cost cpm x exposures / 1000 = cpm N r T /
 * 1000. The extra profit over the baseline is analytic (Bass 1969):
 *     g(r) = price N (F(T; p + rho r, q) - F(T; p, q)) - cpm N r T / 1000,
 *     F(t; p, q) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}),
 * maximised at r* = 0.419 for the values below (golden section on g).
 * Tolerance: the plan found has g(r) >= 0.98 g(r*) and |r - r*| <= 0.2
 * (g is flat: g >= 0.98 g(r*) on [0.28, 0.62]; the search sees g through
 * 8 replicates, the paired noise of the ads arm is about 1% of g).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "optimize/optimize.h"

static const double N = 20000, T = 30, P = 0.001, Q = 0.25, RHO = 0.02, PRICE = 100, CPM = 100;

static const char BASE[] =
    "seed: 11\n"
    "time: { step: 1h, horizon: 30d }\n"
    "replicates: 4\n"
    "population: { agents: 20000 }\n"
    "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"
    "diffusion: { model: bass, p: 0.001, q: 0.25, response: 0.02 }\n"
    "market: { price: 100 }\n"
    "arms:\n"
    "  baseline: []\n"
    "  ads: [ { campaign: advertising, reach: 0.3, cpm: 100 } ]\n";

static char dir[] = "/tmp/bz_test_optXXXXXX";
static char base_path[64];

static double bass_F(double t, double p, double q)
{
    double e = exp(-(p + q) * t);
    return (1 - e) / (1 + q / p * e);
}

static double gain(double r)
{
    return PRICE * N * (bass_F(T, P + RHO * r, Q) - bass_F(T, P, Q)) - CPM * N * r * T / 1000;
}

static double argmax_gain(void)
{
    double a = 0, b = 1;
    for (int i = 0; i < 200; i++) {
        double c = b - (b - a) * 0.6180339887, d = a + (b - a) * 0.6180339887;
        if (gain(c) > gain(d))
            b = d;
        else
            a = c;
    }
    return (a + b) / 2;
}

static int setup(void)
{
    if (!mkdtemp(dir)) return -1;
    snprintf(base_path, sizeof base_path, "%s/base.yaml", dir);
    FILE *f = fopen(base_path, "w");
    if (!f) return -1;
    fputs(BASE, f);
    return fclose(f);
}

/* The plan of every test; `search` replaces the search and final keys. */
static int load_plan(bz_opt_plan *pl, const char *extra, const char *search, bz_error *err)
{
    char text[4096], name[128];
    snprintf(text, sizeof text,
             "base: base.yaml\n"
             "arm: ads\n"
             "variables:\n"
             "  - { key: arms.ads.0.reach, min: 0, max: 1 }\n"
             "%s%s",
             search ? search
                    : "search: { evaluations: 24, replicates: 8 }\n"
                      "final: { candidates: 3, replicates: 16 }\n",
             extra);
    snprintf(name, sizeof name, "%s/plan.yaml", dir);
    return bz_opt_plan_load_string(pl, text, name, err);
}

static void test_known_optimum(void)
{
    bz_opt_plan pl;
    bz_opt_result res;
    bz_error err;
    int st = load_plan(&pl, "", NULL, &err);
    if (st != BZ_OK) fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, BZ_OK);
    st = bz_optimize(&pl, NULL, &res, &err);
    if (st != BZ_OK) fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, BZ_OK);
    CU_ASSERT_EQUAL_FATAL(res.chosen, 0);
    double r_star = argmax_gain(), r = res.final[0].value[0];
    fprintf(stderr,
            "\n  r* = %.4f (g = %.0f), found r = %.4f (g = %.0f, reported %.0f [%.0f, %.0f]) in "
            "%zu evaluations\n",
            r_star, gain(r_star), r, gain(r), res.final[0].objective, res.vs_base.ci_low,
            res.vs_base.ci_high, res.n_evals);
    CU_ASSERT(fabs(r_star - 0.4187) < 1e-3);
    CU_ASSERT(gain(r) >= 0.98 * gain(r_star));
    CU_ASSERT(fabs(r - r_star) <= 0.2);
    CU_ASSERT(res.n_evals <= pl.evaluations);
    /* The recommended experiment loads and has the value found. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(res.plan_yaml);
    CU_ASSERT_PTR_NOT_NULL(strstr(res.plan_yaml, "campaign: advertising"));
    bz_opt_result_destroy(&res);
    bz_opt_plan_destroy(&pl);
}

/* The budget binds: spend = cpm N r T / 1000 = 60000 r (Poisson), so a
 * budget of 10000 allows r up to about 0.167, below r*. The recommended
 * plan spends at most the budget in every final replicate. */
static void test_budget(void)
{
    bz_opt_plan pl;
    bz_opt_result res;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(load_plan(&pl, "budget: 10000\n", NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_optimize(&pl, NULL, &res, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(res.chosen, 0);
    const bz_opt_eval *c = &res.final[0];
    for (uint32_t k = 0; k < c->R; k++)
        CU_ASSERT(c->spend[k] <= 10000);
    for (size_t k = 0; k < res.n_evals; k++) /* infeasible ones were seen and refused */
        if (res.evals[k].spend_max > 10000) CU_ASSERT_FALSE(res.evals[k].feasible);
    fprintf(stderr, "\n  budget 10000: r = %.4f, spend at most %.0f\n", c->value[0], c->spend_max);
    CU_ASSERT(c->value[0] > 0.12 && c->value[0] < 10000.0 / 60000);
    bz_opt_result_destroy(&res);
    bz_opt_plan_destroy(&pl);
}

/* The reported figures come from replicates the search never saw: another
 * seed, final.replicates of them, and evaluating the chosen values afresh
 * with that seed gives the reported numbers bit for bit, while the
 * search's own evaluation of the same values differs. */
static void test_final_is_fresh(void)
{
    bz_opt_plan pl;
    bz_opt_result res;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(load_plan(&pl, "",
                                    "search: { evaluations: 8, replicates: 4 }\n"
                                    "final: { candidates: 2, replicates: 6 }\n",
                                    &err),
                          BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_optimize(&pl, NULL, &res, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(res.chosen, 0);
    CU_ASSERT_NOT_EQUAL(res.final_seed, pl.seed);
    const bz_opt_eval *c = &res.final[0];
    CU_ASSERT_EQUAL(c->R, 6);
    bz_opt_eval again, seen;
    memset(&again, 0, sizeof again);
    memset(&seen, 0, sizeof seen);
    char(*text)[BZ_OPT_VALUE_MAX] = (char(*)[BZ_OPT_VALUE_MAX])c->text;
    CU_ASSERT_EQUAL(bz_opt_evaluate(&pl, text, res.final_seed, 6, 1, NULL, &again, &err), BZ_OK);
    CU_ASSERT_EQUAL(memcmp(again.per_rep, c->per_rep, 6 * sizeof(double)), 0);
    CU_ASSERT_EQUAL(again.objective, c->objective);
    CU_ASSERT_EQUAL(bz_opt_evaluate(&pl, text, pl.seed, 6, 1, NULL, &seen, &err), BZ_OK);
    CU_ASSERT_NOT_EQUAL(memcmp(seen.per_rep, c->per_rep, 6 * sizeof(double)), 0);
    /* vs_base is the paired difference over those same replicates. */
    bz_compare d = bz_stats_paired(c->per_rep, res.base.per_rep, 6);
    CU_ASSERT_EQUAL(d.mean, res.vs_base.mean);
    CU_ASSERT_EQUAL(d.ci_low, res.vs_base.ci_low);
    bz_opt_eval_destroy(&again);
    bz_opt_eval_destroy(&seen);
    bz_opt_result_destroy(&res);
    bz_opt_plan_destroy(&pl);
}

static CU_TestInfo tests[] = {
    {"Bass with advertising: the analytic optimum of the extra profit", test_known_optimum},
    {"the budget is never exceeded by the recommended plan", test_budget},
    {"reported figures come from fresh replicates", test_final_is_fresh},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (setup() != 0) return 1;
    return bz_test_main("optimize", tests);
}

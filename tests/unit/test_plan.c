/* Plan files (optimize/plan.h): what they accept and their one-line errors
 * naming FILE:LINE:COL and the key. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "optimize/plan.h"

static const char BASE[] =
    "seed: 3\n"
    "time: { step: 1d, horizon: 10d }\n"
    "replicates: 2\n"
    "population: { agents: 200 }\n"
    "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"
    "diffusion: { model: bass, p: 0.01, q: 0.3 }\n"
    "market: { price: 10 }\n"
    "arms:\n"
    "  baseline: []\n"
    "  ads: [ { campaign: advertising, reach: 0.3, cpm: 100 } ]\n";

static char dir[] = "/tmp/bz_test_planXXXXXX";
static char plan_name[64];

static int setup(void)
{
    char path[64];
    if (!mkdtemp(dir)) return -1;
    snprintf(path, sizeof path, "%s/base.yaml", dir);
    snprintf(plan_name, sizeof plan_name, "%s/plan.yaml", dir);
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(BASE, f);
    return fclose(f);
}

static const char GOOD[] = "base: base.yaml\n"
                           "arm: ads\n"
                           "variables:\n"
                           "  - { key: arms.ads.0.reach, min: 0.01, max: 1, scale: log }\n"
                           "  - { key: arms.ads.0.cities, values: [all, \"{top: 1}\"] }\n"
                           "  - { key: population.agents, min: 100, max: 300, integer: true }\n"
                           "budget: 5000\n"
                           "objective: { weights: { profit: 1, final_adopters: 2 } }\n"
                           "constraints: [ { outcome: spend, max: 4000 } ]\n"
                           "search: { method: crs2, evaluations: 10, replicates: 3 }\n"
                           "final: { candidates: 2, replicates: 5 }\n"
                           "seed: 9\n";

static void test_good(void)
{
    bz_opt_plan pl;
    bz_error err;
    int st = bz_opt_plan_load_string(&pl, GOOD, plan_name, &err);
    if (st) fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, BZ_OK);
    CU_ASSERT_STRING_EQUAL(pl.name, "plan"); /* the file's stem */
    CU_ASSERT_EQUAL(pl.n_vars, 3);
    CU_ASSERT_EQUAL(pl.vars[0].log, 1);
    CU_ASSERT_EQUAL(pl.vars[1].kind, BZ_VAR_CHOICE);
    CU_ASSERT_EQUAL(pl.vars[1].n_choices, 2);
    CU_ASSERT_EQUAL(pl.vars[2].kind, BZ_VAR_INT);
    CU_ASSERT_EQUAL(pl.budget, 5000);
    CU_ASSERT_EQUAL(pl.n_terms, 2);
    CU_ASSERT_EQUAL(pl.terms[1].outcome, BZ_OUT_FINAL_ADOPTERS);
    CU_ASSERT_EQUAL(pl.terms[1].weight, 2);
    CU_ASSERT_EQUAL(pl.n_cons, 1);
    CU_ASSERT(isinf(pl.cons[0].min) && pl.cons[0].max == 4000);
    CU_ASSERT_EQUAL(pl.method, BZ_OPT_CRS2);
    CU_ASSERT_EQUAL(pl.seed, 9);
    CU_ASSERT_EQUAL(pl.relative, 1);
    /* The values a variable takes. */
    char buf[BZ_OPT_VALUE_MAX];
    double v;
    bz_opt_var_text(&pl.vars[0], 0, buf, &v);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.01, 1e-15);
    bz_opt_var_text(&pl.vars[0], 0.5, buf, &v);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.1, 1e-12); /* log scale: the geometric middle */
    bz_opt_var_text(&pl.vars[1], 1, buf, &v);
    CU_ASSERT_STRING_EQUAL(buf, "{top: 1}");
    bz_opt_var_text(&pl.vars[2], 0.2513, buf, &v);
    CU_ASSERT_STRING_EQUAL(buf, "150");
    bz_opt_plan_destroy(&pl);
    /* Defaults: profit, direct+bobyqa, the base's seed. */
    st = bz_opt_plan_load_string(&pl,
                                 "base: base.yaml\narm: ads\n"
                                 "variables: [ { key: arms.ads.0.reach, min: 0, max: 1 } ]\n",
                                 plan_name, &err);
    CU_ASSERT_EQUAL_FATAL(st, BZ_OK);
    CU_ASSERT(pl.n_terms == 1 && pl.terms[0].outcome == BZ_OUT_PROFIT);
    CU_ASSERT_EQUAL(pl.method, BZ_OPT_DIRECT_BOBYQA);
    CU_ASSERT_EQUAL(pl.seed, 3);
    CU_ASSERT(isinf(pl.budget));
    CU_ASSERT_EQUAL(pl.evaluations, 60);
    bz_opt_plan_destroy(&pl);
}

/* A plan with `line` as its variables entry (or extra top-level lines)
 * fails with exactly `want` after "PLAN:". */
static void expect_error(const char *vars, const char *extra, const char *want)
{
    char text[2048], full[512];
    bz_opt_plan pl;
    bz_error err;
    snprintf(text, sizeof text, "base: base.yaml\narm: ads\nvariables:\n%s%s", vars, extra);
    int st = bz_opt_plan_load_string(&pl, text, plan_name, &err);
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    snprintf(full, sizeof full, "%s:%s", plan_name, want);
    if (st != BZ_EINVAL || strcmp(err.msg, full) != 0)
        fprintf(stderr, "\n  got:  %s\n  want: %s\n", st ? err.msg : "(ok)", full);
    CU_ASSERT_STRING_EQUAL(err.msg, full);
    if (st == BZ_OK) bz_opt_plan_destroy(&pl);
}

static const char VAR[] = "  - { key: arms.ads.0.reach, min: 0, max: 1 }\n";

static void test_errors(void)
{
    /* the four: an unknown key as a variable, bounds reversed, a
     * budget <= 0, an objective that is not an outcome */
    expect_error(
        "  - { key: arms.ads.0.colour, min: 0, max: 1 }\n", "",
        "4:12: variables.0.key: arms.ads.0.colour=0: --set arms.ads.0.colour: unknown "
        "key (expected one of: campaign, enabled, at, duration, reach, cities, cpm, persuasion, "
        "fixed)");
    expect_error("  - { key: arms.ads.0.reach, min: 1, max: 0.5 }\n", "",
                 "4:43: variables.0.max: expected max > min (1), got 0.5");
    expect_error(VAR, "budget: 0\n",
                 "5:9: budget: expected a budget > 0 (the most the arm may spend, discounts "
                 "included), got '0'");
    expect_error(VAR, "budget: -5\n",
                 "5:9: budget: expected a budget > 0 (the most the arm may spend, discounts "
                 "included), got '-5'");
    expect_error(VAR, "objective: happiness\n",
                 "5:12: objective: expected an outcome (buzzsim models --outputs: profit, "
                 "final_adopters, revenue, spend, ...), got 'happiness'");
    expect_error(VAR, "objective: { weights: { profit: 1, joy: 2 } }\n",
                 "5:36: objective.weights.joy: expected an outcome name (buzzsim models "
                 "--outputs), got 'joy'");
    /* and more */
    expect_error("  - { key: arms.ads.0.reach, min: 0, max: 9e9 }\n", "",
                 "4:12: variables.0.key: arms.ads.0.reach=9000000000: --set arms.ads.0.reach: "
                 "expected a rate per day in [0, 1000000], got '9000000000'");
    expect_error("  - { key: arms.ads.0.reach, min: 0 }\n", "",
                 "4:5: variables.0.max: missing required key (a number)");
    expect_error("  - { key: arms.ads.0.reach, values: [0.1], min: 0 }\n", "",
                 "4:45: variables.0.min: give either values or min and max, not both");
    expect_error("  - { key: arms.ads.0.reach, min: 0, max: 1, scale: log }\n", "",
                 "4:35: variables.0.min: expected min > 0 on a log scale, got 0");
    expect_error(VAR, VAR, "5:12: variables.1.key: 'arms.ads.0.reach' is already variable 0");
    expect_error(
        VAR, "arm2: x\n",
        "5:1: arm2: unknown key (expected one of: base, variables, budget, objective, "
        "constraints, search, final, seed, output, observed, uncertainty, name, arm, relative)");
    expect_error(VAR, "search: { method: annealing }\n",
                 "5:19: search.method: expected one of (direct+bobyqa, direct, crs2, bobyqa, "
                 "cobyla), got 'annealing'");
    expect_error(VAR, "final: { replicates: 1 }\n",
                 "5:22: final.replicates: expected an integer in [2, 100000], got '1'");
    expect_error(VAR, "constraints: [ { outcome: spend } ]\n",
                 "5:16: constraints.0.max: missing key: give min, max or both");
    expect_error(VAR, "relative: false\nsearch: { evaluations: 0 }\n",
                 "6:24: search.evaluations: expected an integer in [1, 100000], got '0'");
}

static void test_arms(void)
{
    bz_opt_plan pl;
    bz_error err;
    char want[256];
    CU_ASSERT_EQUAL(bz_opt_plan_load_string(&pl,
                                            "base: base.yaml\narm: kol\n"
                                            "variables: [ { key: seed, min: 0, max: 1 } ]\n",
                                            plan_name, &err),
                    BZ_EINVAL);
    snprintf(want, sizeof want, "%s:2:6: arm: 'kol' is not an arm of %s/base.yaml", plan_name, dir);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    CU_ASSERT_EQUAL(bz_opt_plan_load_string(&pl,
                                            "base: nothere.yaml\narm: kol\n"
                                            "variables: [ { key: seed, min: 0, max: 1 } ]\n",
                                            plan_name, &err),
                    BZ_ENOENT);
}

static CU_TestInfo tests[] = {
    {"a plan with every kind of variable, objective and constraint", test_good},
    {"errors name FILE:LINE:COL and the key", test_errors},
    {"the arm and the base", test_arms},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (setup() != 0) return 1;
    return bz_test_main("plan", tests);
}

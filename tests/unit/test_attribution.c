/* Money, causal counts and attribution add up, replicate by replicate:
 *   profit = revenue - unit_costs - campaign_cost - fixed_costs,
 *   spend = campaign_cost + discount, unit_costs = unit_cost x (purchases +
 *   gifted), final_adopters = purchases + gifted, revenue + discount =
 *   purchases x list price (one price everywhere);
 *   converted - displaced = the paired difference of final adopters;
 *   Shapley shares sum to the arm's paired difference (efficiency), two
 *   identical campaigns get equal shares (symmetry), a campaign that does
 *   nothing gets 0 (null player); leave-one-out is the arm minus the arm
 *   without each campaign; the limits of the methods are bad input. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/compare.h"
#include "engine/run.h"

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res, bz_error *err)
{
    int st = bz_experiment_load_string(x, yaml, "attr.yaml", NULL, 0, err);
    if (st != BZ_OK) return st;
    st = bz_run_experiment(x, NULL, res, err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err->msg);
    return st;
}

#define HEAD                                                                                       \
    "seed: 31\ntime: { step: 1d, horizon: 30d }\nreplicates: 4\n"                                  \
    "population: { agents: 12000, cities: 6 }\n"                                                   \
    "network: { layers: [ { name: follow, directed: true, share: 0.05, generator: { model: "       \
    "chung_lu, mean_degree: 15, out_exponent: 2.3, in_exponent: 3 } },\n"                          \
    "  { name: friends, share: 0.1, generator: { model: sbm, mean_degree: 8, within_city: 0.8 } "  \
    "} ] }\n"                                                                                      \
    "diffusion: { model: buzz_funnel, seeds: 10, interest: 0.05, buy: 0.3 }\n"                     \
    "market: { price: 2000, value: 2500, unit_cost: 1250, fixed_cost: 100000, availability: "      \
    "flash_only, patience: 0.2 }\n"

#define SALE "{ campaign: flash_sale, at: 5d, duration: 10m, stock: 500, repeat: 3, every: 7d }"
#define MARKETED                                                                                   \
    "{ campaign: flash_sale, at: 5d, duration: 10m, stock: 500, repeat: 3, every: 7d, "            \
    "discount: 0.25, announce: 2d, announce_reach: 0.1, news_reach: 0.3, cost: 1000 }"

static void test_money_and_people(void)
{
    const char *yaml = HEAD "arms:\n  base: [ " SALE " ]\n"
                            "  all: [ " MARKETED ",\n"
                            "    { campaign: advertising, at: 0d, duration: 7d, reach: 0.05 },\n"
                            "    { campaign: kol_seeding, at: 1d, count: 20, layer: follow },\n"
                            "    { campaign: referral, at: 0d, reward: 20 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, &err) == BZ_OK);
    for (size_t a = 0; a < r.n_arms; a++)
        for (uint32_t rep = 0; rep < r.R; rep++) {
            const double *o = r.arms[a].outcomes[rep].v;
            CU_ASSERT_EQUAL(o[BZ_OUT_PROFIT], o[BZ_OUT_REVENUE] - o[BZ_OUT_UNIT_COSTS] -
                                                  o[BZ_OUT_CAMPAIGN_COST] - o[BZ_OUT_FIXED_COSTS]);
            CU_ASSERT_EQUAL(o[BZ_OUT_SPEND], o[BZ_OUT_CAMPAIGN_COST] + o[BZ_OUT_DISCOUNT]);
            CU_ASSERT_EQUAL(o[BZ_OUT_UNIT_COSTS], 1250 * (o[BZ_OUT_PURCHASES] + o[BZ_OUT_GIFTED]));
            CU_ASSERT_EQUAL(o[BZ_OUT_FIXED_COSTS], 100000);
            CU_ASSERT_EQUAL(o[BZ_OUT_FINAL_ADOPTERS], o[BZ_OUT_PURCHASES] + o[BZ_OUT_GIFTED]);
            /* Prices 2000 and 1500 (25% off) are exact in binary: the sums are too. */
            CU_ASSERT_EQUAL(o[BZ_OUT_REVENUE] + o[BZ_OUT_DISCOUNT], 2000 * o[BZ_OUT_PURCHASES]);
            CU_ASSERT(o[BZ_OUT_PURCHASES] <= 3 * 500);
            const double *b = r.arms[0].outcomes[rep].v;
            CU_ASSERT_EQUAL(o[BZ_OUT_CONVERTED] - o[BZ_OUT_DISPLACED],
                            o[BZ_OUT_FINAL_ADOPTERS] - b[BZ_OUT_FINAL_ADOPTERS]);
            CU_ASSERT(o[BZ_OUT_ACCELERATED] <= o[BZ_OUT_FINAL_ADOPTERS]);
        }
    const double *o = r.arms[1].outcomes[0].v;
    CU_ASSERT(o[BZ_OUT_DISCOUNT] > 0 && o[BZ_OUT_GIFTED] == 30); /* 10 seeds + 20 KOLs */
    CU_ASSERT(o[BZ_OUT_CONVERTED] > 0);
    /* The sale sells out, so some buyers are refused: waiting or lost. */
    CU_ASSERT(o[BZ_OUT_UNMET_DEMAND] + o[BZ_OUT_LOST_SALES] > 0);
    /* Spend per extra adopter counts the discount, return on spend the
     * profit per extra spend: both from paired differences. */
    bz_comparison c;
    CU_ASSERT_FATAL(bz_comparison_compute(&r, &c, NULL) == BZ_OK);
    double ds = 0, dn = 0, dp = 0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        ds += r.arms[1].outcomes[rep].v[BZ_OUT_SPEND] - r.arms[0].outcomes[rep].v[BZ_OUT_SPEND];
        dn += r.arms[1].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] -
              r.arms[0].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS];
        dp += r.arms[1].outcomes[rep].v[BZ_OUT_PROFIT] - r.arms[0].outcomes[rep].v[BZ_OUT_PROFIT];
    }
    CU_ASSERT_DOUBLE_EQUAL(c.rows[1][BZ_CMP_ROW_RATIO(BZ_CMP_COST_PER_EXTRA_ADOPTER)].mean, ds / dn,
                           1e-9 * fabs(ds / dn));
    CU_ASSERT_DOUBLE_EQUAL(c.rows[1][BZ_CMP_ROW_RATIO(BZ_CMP_RETURN_ON_SPEND)].mean, dp / ds,
                           1e-9 * fabs(dp / ds));
    bz_comparison_destroy(&c);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Shapley on three campaigns besides the baseline's sale: two identical
 * KOL seedings (deterministic: the same hubs, no posts, no draws; the
 * second gifts nothing the first has not) and an advertising campaign
 * with no reach and no cost (it does nothing). The shares add up to the
 * arm's difference in every replicate; the two KOL seedings' shares are
 * equal, the silent campaign's is 0. */
static void test_shapley_axioms(void)
{
    const char *yaml = HEAD
        "arms:\n  base: [ " SALE " ]\n"
        "  arm: [ " SALE ",\n"
        "    { campaign: kol_seeding, at: 2d, count: 15, layer: follow, reach: 0, fee: 500 },\n"
        "    { campaign: kol_seeding, at: 2d, count: 15, layer: follow, reach: 0, fee: 500 },\n"
        "    { campaign: advertising, at: 0d, reach: 0, cpm: 0, fixed: 0 },\n"
        "    { campaign: advertising, at: 0d, duration: 5d, reach: 0.05 } ]\n"
        "attribution: shapley\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, &err) == BZ_OK);
    CU_ASSERT_EQUAL(bz_run_sub_arms(&x), 14); /* 2^4 - 2 */
    const bz_attrib_result *at = &r.arms[1].attrib;
    CU_ASSERT_EQUAL_FATAL(at->n_players, 4);
    CU_ASSERT_STRING_EQUAL(at->players[0], "kol_seeding #1");
    CU_ASSERT_STRING_EQUAL(at->players[2], "advertising #3");
    for (int o = 0; o < BZ_N_ATTRIB_OUT; o++) {
        const int k = bz_attrib_outcome[o];
        for (uint32_t rep = 0; rep < r.R; rep++) {
            const double *s = at->share + ((size_t)o * r.R + rep) * 4;
            const double delta = r.arms[1].outcomes[rep].v[k] - r.arms[0].outcomes[rep].v[k];
            CU_ASSERT_DOUBLE_EQUAL(s[0] + s[1] + s[2] + s[3], delta, 1e-9 * (1 + fabs(delta)));
            CU_ASSERT_DOUBLE_EQUAL(s[0], s[1], 1e-9 * (1 + fabs(s[0])));
            CU_ASSERT_EQUAL(s[2], 0);
            if (o == BZ_ATTRIB_ADOPTERS) CU_ASSERT(s[0] > 0 && s[3] > 0);
        }
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Leave one out: the arm minus the arm without each campaign, where
 * "without" puts the baseline's campaign back at its position; with one
 * campaign it is the arm's difference itself. */
static void test_leave_one_out(void)
{
    const char *yaml = HEAD "arms:\n  base: [ " SALE " ]\n"
                            "  one: [ " MARKETED " ]\n"
                            "  two: [ " MARKETED ",\n"
                            "    { campaign: advertising, at: 0d, duration: 5d, reach: 0.05 } ]\n"
                            "  ads: [ " SALE ",\n"
                            "    { campaign: advertising, at: 0d, duration: 5d, reach: 0.05 } ]\n"
                            "attribution: { one: leave_one_out, two: leave_one_out }\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, &err) == BZ_OK);
    CU_ASSERT_EQUAL(bz_run_sub_arms(&x), 2); /* "two" without each; "one" needs none */
    CU_ASSERT_EQUAL(r.arms[3].attrib.method, BZ_ATTRIB_NONE);
    const bz_attrib_result *one = &r.arms[1].attrib, *two = &r.arms[2].attrib;
    CU_ASSERT_EQUAL_FATAL(one->n_players, 1);
    CU_ASSERT_EQUAL_FATAL(two->n_players, 2);
    CU_ASSERT_STRING_EQUAL(one->players[0], "flash_sale (changed)");
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *o = r.arms[2].outcomes[rep].v;
        /* one: the whole difference */
        CU_ASSERT_EQUAL(one->share[rep], r.arms[1].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] -
                                             r.arms[0].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS]);
        /* two without the ads is arm "one"; without the marketed sale, arm
         * "ads": the same campaigns at the same positions, the same runs. */
        CU_ASSERT_EQUAL(two->share[rep * 2 + 1],
                        o[BZ_OUT_FINAL_ADOPTERS] -
                            r.arms[1].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS]);
        CU_ASSERT_EQUAL(two->share[rep * 2 + 0],
                        o[BZ_OUT_FINAL_ADOPTERS] -
                            r.arms[3].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS]);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

static void expect_refused(const char *yaml, const char *want)
{
    bz_experiment x;
    bz_error err;
    int st = bz_experiment_load_string(&x, yaml, "attr.yaml", NULL, 0, &err);
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    if (st == BZ_OK) {
        bz_experiment_destroy(&x);
        return;
    }
    CU_ASSERT(strstr(err.msg, want) != NULL);
    if (!strstr(err.msg, want)) fprintf(stderr, "message: %s\n(wanted '%s')\n", err.msg, want);
}

static void test_limits(void)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, HEAD "arms:\n  base: []\n  big: [ %s ]\nattribution: shapley\n",
             "{ campaign: advertising, at: 1d }, { campaign: advertising, at: 2d }, "
             "{ campaign: advertising, at: 3d }, { campaign: advertising, at: 4d }, "
             "{ campaign: advertising, at: 5d }, { campaign: advertising, at: 6d }, "
             "{ campaign: advertising, at: 7d }");
    expect_refused(yaml, "attr.yaml:");
    expect_refused(yaml, "attribution: shapley on arm 'big' would run every subset of its 7 "
                         "campaigns that differ from the baseline (126 sub-arms per replicate); "
                         "it takes at most 6: use leave_one_out");
    expect_refused(HEAD "arms: { base: [], b: [] }\nattribution: everything\n",
                   "attribution: expected none, shapley or leave_one_out, got 'everything'");
    expect_refused(HEAD "arms: { base: [], b: [] }\nattribution: { c: shapley }\n",
                   "attribution.c: no arm named 'c'");
}

int main(void)
{
    CU_TestInfo tests[] = {{"money and people add up in every replicate", test_money_and_people},
                           {"shapley: efficiency, symmetry, null player", test_shapley_axioms},
                           {"leave one out", test_leave_one_out},
                           {"attribution limits are bad input", test_limits},
                           CU_TEST_INFO_NULL};
    return bz_test_main("attribution", tests);
}

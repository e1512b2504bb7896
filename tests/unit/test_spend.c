/* Per-campaign spend (engine/results.h, bz_campaign_result) adds up to the
 * outcomes exactly, replicate by replicate, in every arm:
 *   campaign_cost == cost_0 + cost_1 + ...        (==, in campaign order)
 *   discount      == discount_0 + discount_1 + ... (==, in campaign order)
 *   spend_k       == cost_k + discount_k
 * with two discounted flash sales (overlapping windows: the deeper one
 * prices the sale) beside costed campaigns, local list prices, and an
 * attribution whose sub-arms run too. Each flash sale's discount is its
 * own windows' (units sold there x list price x its discount), the other
 * campaigns give none, and the figures survive an HDF5 round trip. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_run_test.h"
#include "bz_test.h"
#include "config/experiment.h"
#include "engine/campaign.h"
#include "engine/run.h"
#include "io/h5.h"

#define HEAD                                                                                       \
    "seed: 17\ntime: { step: 1d, horizon: 30d }\nreplicates: 4\n"                                  \
    "population: { agents: 6000, cities: 4 }\n"                                                    \
    "network: { layers: [ { name: follow, directed: true, share: 0.05, generator: { model: "       \
    "chung_lu, mean_degree: 12, out_exponent: 2.3, in_exponent: 3 } } ] }\n"                       \
    "diffusion: { model: buzz_funnel, seeds: 10, interest: 0.05, buy: 0.3 }\n"

/* market: %s (one list price, or local ones). */
#define MARKET_ONE "market: { price: 1999, value: 2500, unit_cost: 1250, stock: 1500 }\n"
#define MARKET_LOCAL                                                                               \
    "market: { price: 1999.7, value: 2500, unit_cost: 1250, stock: 1500, local: [ { cities: [1], " \
    "price: "                                                                                      \
    "1499.3, value: 1900 }, { cities: [2], price: 2333.1, value: 2800 } ] }\n"

/* Two flash sales whose windows overlap (day 8-9: the second, deeper one
 * prices the sale), advertising, KOLs and a referral reward. */
#define ARMS                                                                                       \
    "arms:\n"                                                                                      \
    "  base: [ { campaign: flash_sale, at: 5d, duration: 1d, stock: 300, repeat: 2, every: 7d, "   \
    "discount: 0.1, cost: 700 },\n"                                                                \
    "          { campaign: advertising, at: 0d, duration: 7d, reach: 0.05 } ]\n"                   \
    "  all: [ { campaign: flash_sale, at: 5d, duration: 4d, stock: 400, repeat: 3, every: 7d, "    \
    "discount: 0.15, announce: 2d, announce_reach: 0.1, cost: 1000 },\n"                           \
    "         { campaign: advertising, at: 0d, duration: 7d, reach: 0.05 },\n"                     \
    "         { campaign: flash_sale, at: 8d, duration: 1d, stock: 250, repeat: 2, every: 9d, "    \
    "discount: 0.35, cost: 500 },\n"                                                               \
    "         { campaign: kol_seeding, at: 1d, count: 15, layer: follow, fee: 300 },\n"            \
    "         { campaign: referral, at: 0d, reward: 20 } ]\n"                                      \
    "attribution: { all: leave_one_out }\n"

static void check_identities(const bz_experiment *x, const bz_results *r, int one_price,
                             double *flash_discount)
{
    for (size_t a = 0; a < r->n_arms; a++) {
        const bz_arm_result *arm = &r->arms[a];
        const bz_arm_spec *spec = &x->arms[a];
        CU_ASSERT_EQUAL_FATAL(arm->n_campaigns, spec->n_campaigns);
        CU_ASSERT_PTR_NOT_NULL_FATAL(arm->campaign_spend);
        for (uint32_t k = 0; k < arm->n_campaigns; k++)
            CU_ASSERT(strncmp(arm->campaign_names[k], spec->campaigns[k].type->name,
                              strlen(spec->campaigns[k].type->name)) == 0);
        for (uint32_t rep = 0; rep < r->R; rep++) {
            const double *o = arm->outcomes[rep].v;
            double cost = 0, discount = 0, spend = 0;
            uint32_t w = 0; /* windows are registered in campaign order */
            for (uint32_t k = 0; k < arm->n_campaigns; k++) {
                const bz_campaign_result *c = bz_arm_campaign(arm, rep, k);
                cost += c->v[BZ_CAMP_COST];
                discount += c->v[BZ_CAMP_DISCOUNT];
                spend += c->v[BZ_CAMP_SPEND];
                CU_ASSERT_EQUAL(c->v[BZ_CAMP_SPEND], c->v[BZ_CAMP_COST] + c->v[BZ_CAMP_DISCOUNT]);
                const int flash = strcmp(spec->campaigns[k].type->name, "flash_sale") == 0;
                if (!flash) {
                    CU_ASSERT_EQUAL(c->v[BZ_CAMP_DISCOUNT], 0);
                    if (strcmp(spec->campaigns[k].type->name, "referral") != 0)
                        CU_ASSERT(c->v[BZ_CAMP_COST] > 0); /* advertising, KOLs: costed */
                    continue;
                }
                flash_discount[a] += c->v[BZ_CAMP_DISCOUNT];
                const uint32_t n_win = spec->n_campaigns == 2 ? 2 : (k == 0 ? 3 : 2);
                if (one_price) { /* its windows' units at 1999 x its discount */
                    double expect = 0;
                    for (uint32_t j = 0; j < n_win; j++, w++) {
                        const double *wv = arm->windows[(size_t)rep * BZ_RESULT_WINDOWS + w].v;
                        expect += wv[BZ_WIN_SOLD] * 1999.0 * wv[BZ_WIN_DISCOUNT];
                    }
                    CU_ASSERT(fabs(c->v[BZ_CAMP_DISCOUNT] - expect) <= 1e-6 * (1 + expect));
                }
            }
            /* Exactly: the outcomes are these sums, in this order. */
            CU_ASSERT_EQUAL(o[BZ_OUT_CAMPAIGN_COST], cost);
            CU_ASSERT_EQUAL(o[BZ_OUT_DISCOUNT], discount);
            CU_ASSERT_EQUAL(o[BZ_OUT_SPEND], o[BZ_OUT_CAMPAIGN_COST] + o[BZ_OUT_DISCOUNT]);
            /* The spends' sum is the spend outcome to rounding only. */
            CU_ASSERT(fabs(spend - o[BZ_OUT_SPEND]) <= 1e-9 * o[BZ_OUT_SPEND]);
        }
    }
}

static void test_spend_adds_up(void)
{
    char yaml[4096];
    for (int local = 0; local < 2; local++) {
        snprintf(yaml, sizeof yaml, "%s%s%s", HEAD, local ? MARKET_LOCAL : MARKET_ONE, ARMS);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
        CU_ASSERT_FATAL(r.n_arms == 2 && r.R == 4);
        double flash_discount[2] = {0, 0};
        check_identities(&x, &r, !local, flash_discount);
        CU_ASSERT(flash_discount[0] > 0);
        CU_ASSERT(flash_discount[1] > 0);
        /* Both flash sales of the arm gave discounts in some replicate. */
        double d0 = 0, d2 = 0;
        for (uint32_t rep = 0; rep < r.R; rep++) {
            d0 += bz_arm_campaign(&r.arms[1], rep, 0)->v[BZ_CAMP_DISCOUNT];
            d2 += bz_arm_campaign(&r.arms[1], rep, 2)->v[BZ_CAMP_DISCOUNT];
        }
        CU_ASSERT(d0 > 0);
        CU_ASSERT(d2 > 0);
        CU_ASSERT_STRING_EQUAL(r.arms[1].campaign_names[0], "flash_sale #0");
        CU_ASSERT_STRING_EQUAL(r.arms[1].campaign_names[1], "advertising");
        CU_ASSERT_STRING_EQUAL(r.arms[1].campaign_names[2], "flash_sale #2");
        /* The sub-arms of attribution ran: shares for every player. */
        CU_ASSERT_EQUAL(r.arms[1].attrib.method, BZ_ATTRIB_LEAVE_ONE_OUT);
        CU_ASSERT(r.arms[1].attrib.n_players > 1);

        /* The HDF5 round trip keeps every figure and label. */
        char dir[] = "/tmp/bz_spend_XXXXXX", path[64];
        CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
        snprintf(path, sizeof path, "%s/s.h5", dir);
        bz_error err;
        CU_ASSERT_EQUAL_FATAL(bz_h5_write(path, &r, 1, &err), BZ_OK);
        bz_results b;
        CU_ASSERT_EQUAL_FATAL(bz_h5_read(&b, path, &err), BZ_OK);
        for (size_t a = 0; a < r.n_arms; a++) {
            CU_ASSERT_EQUAL_FATAL(b.arms[a].n_campaigns, r.arms[a].n_campaigns);
            for (uint32_t k = 0; k < r.arms[a].n_campaigns; k++)
                CU_ASSERT_STRING_EQUAL(b.arms[a].campaign_names[k], r.arms[a].campaign_names[k]);
            CU_ASSERT(memcmp(b.arms[a].campaign_spend, r.arms[a].campaign_spend,
                             (size_t)r.R * r.arms[a].n_campaigns * sizeof(bz_campaign_result)) ==
                      0);
        }
        bz_results_destroy(&b);
        unlink(path);
        rmdir(dir);
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
}

/* An arm without campaigns has no per-campaign rows, and the file no
 * dataset for it: it reads back as none. */
static void test_no_campaigns(void)
{
    const char *yaml = HEAD MARKET_ONE "arms:\n  none: []\n"
                                       "  ads: [ { campaign: advertising, reach: 0.05 } ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    CU_ASSERT_EQUAL(r.arms[0].n_campaigns, 0);
    CU_ASSERT_PTR_NULL(r.arms[0].campaign_spend);
    CU_ASSERT_EQUAL(r.arms[1].n_campaigns, 1);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        CU_ASSERT_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST], 0);
        CU_ASSERT_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_DISCOUNT], 0);
        CU_ASSERT_EQUAL(bz_arm_campaign(&r.arms[1], rep, 0)->v[BZ_CAMP_COST],
                        r.arms[1].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST]);
    }
    char dir[] = "/tmp/bz_spend_XXXXXX", path[64];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/n.h5", dir);
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_h5_write(path, &r, 1, &err), BZ_OK);
    bz_results b;
    CU_ASSERT_EQUAL_FATAL(bz_h5_read(&b, path, &err), BZ_OK);
    CU_ASSERT_EQUAL(b.arms[0].n_campaigns, 0);
    CU_ASSERT_EQUAL(b.arms[1].n_campaigns, 1);
    CU_ASSERT_STRING_EQUAL(b.arms[1].campaign_names[0], "advertising");
    bz_results_destroy(&b);
    unlink(path);
    rmdir(dir);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"per-campaign cost and discount add up to the outcomes exactly", test_spend_adds_up},
        {"an arm without campaigns", test_no_campaigns},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("spend", tests);
}

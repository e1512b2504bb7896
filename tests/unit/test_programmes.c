/* Relationship programmes (engine/sim.h): brand community and customer
 * service under buzz_funnel. Their costs are exact identities of counts
 * the results already hold; their effects go the stated way with common
 * random numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bz_run_test.h"
#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static const char *HEAD = "seed: 21\ntime: { step: 1d, horizon: 40d }\nreplicates: 4\n"
                          "population: { agents: 6000 }\n"
                          "network: { layers: [ { name: friends, share: 0.15, persuasion: 0.3,\n"
                          "  generator: { model: erdos_renyi, mean_degree: 8 } } ] }\n";

/* Every buyer dissatisfied while service runs all along: every purchase is
 * a case, so campaign cost = fee + per_case x purchases exactly; resolving
 * cases before the buyers talk leaves more adopters (less negative word of
 * mouth, some recovered advocates). */
static void test_service(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sdiffusion: { model: buzz_funnel, seeds: 40, dissatisfied: 1, neg_impact: 0.6 }\n"
             "arms:\n  none: []\n"
             "  service: [ { campaign: customer_service, resolve: 0.8, recover: 0.5, fee: 1000, "
             "per_case: 15 } ]\n",
             HEAD);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    double gain = 0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *s = r.arms[1].outcomes[rep].v, *b = r.arms[0].outcomes[rep].v;
        CU_ASSERT_EQUAL(s[BZ_OUT_CAMPAIGN_COST], 1000 + 15 * s[BZ_OUT_PURCHASES]);
        CU_ASSERT(s[BZ_OUT_PURCHASES] > 0);
        gain += s[BZ_OUT_FINAL_ADOPTERS] - b[BZ_OUT_FINAL_ADOPTERS];
    }
    printf("\n  customer service: %+.0f adopters per replicate\n", gain / r.R);
    CU_ASSERT(gain > 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* A community open all along that everyone interested joins, one per
 * member, no forgetting: members = every agent that was ever interested =
 * purchases + agents interested at the end (seeds are given the product,
 * never interested), so campaign cost = fee + members exactly. Members buy
 * sooner (buy_lift) and advocate more: more adopters by the horizon. */
static void test_community(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "%sdiffusion: { model: buzz_funnel, seeds: 40, forget: 0, buy: 0.05, "
             "dissatisfied: 0 }\n"
             "arms:\n  none: []\n"
             "  forum: [ { campaign: community, join: 1, buy_lift: 3, advocate: 0.9, fee: 500, "
             "per_member: 1 } ]\n",
             HEAD);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    double gain = 0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *c = r.arms[1].outcomes[rep].v, *b = r.arms[0].outcomes[rep].v;
        const int64_t *interested =
            bz_series_row(r.arms[1].series[BZ_SER_STATES], r.R, r.T, 2, rep);
        CU_ASSERT_EQUAL(c[BZ_OUT_CAMPAIGN_COST],
                        500 + c[BZ_OUT_PURCHASES] + (double)interested[r.T - 1]);
        gain += c[BZ_OUT_FINAL_ADOPTERS] - b[BZ_OUT_FINAL_ADOPTERS];
    }
    printf("  community: %+.0f adopters per replicate\n", gain / r.R);
    CU_ASSERT(gain > 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Refused where the model does not honour programmes, and one of each per
 * arm. */
static void test_refused(void)
{
    const char *yaml = "seed: 1\ntime: { step: 1d, horizon: 5d }\npopulation: { agents: 100 }\n"
                       "network: { layers: [ { name: f, generator: { model: erdos_renyi, "
                       "mean_degree: 4 } } ] }\n"
                       "diffusion: { model: sir }\n"
                       "arms:\n  a: [ { campaign: community } ]\n";
    bz_experiment x;
    bz_error err;
    CU_ASSERT(bz_experiment_load_string(&x, yaml, "t.yaml", NULL, 0, &err) == BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "t.yaml:7:") != NULL);
    CU_ASSERT(strstr(err.msg, "buzz_funnel") != NULL);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"customer service: cost identity, fewer lost to complaints", test_service},
        {"community: cost identity, members buy and advocate more", test_community},
        {"programmes refused under other models", test_refused},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("programmes", tests);
}

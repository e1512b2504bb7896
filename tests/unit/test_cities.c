/* Local adaptation: per-city results add up to the totals exactly (in
 * doubles), and a staggered local launch (market.local from) sells nothing
 * in its cities before its date. */
#include <math.h>
#include <stdio.h>

#include "bz_run_test.h"
#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static const char *fmt =
    "seed: 4\ntime: { step: 1d, horizon: %s }\nreplicates: 3\n"
    "population: { agents: 8000, cities: 4 }\n"
    "network: { layers: [ { name: f, share: 0.2, "
    "generator: { model: erdos_renyi, mean_degree: 8 } } ] }\n"
    "diffusion: { model: buzz_funnel, seeds: 20, aware: 0.3 }\n"
    "market: { price: 1999.5, value: 2500, local: [ { cities: [1], price: 1499.25, value: 1700, "
    "from: 10d }, { cities: [2], price: 1234.75, value: 1500 } ] }\n"
    "arms:\n  b: []\n  ads: [ { campaign: advertising, reach: 0.05, duration: 10d } ]\n";

static void test_sums_and_staggered_launch(void)
{
    char yaml[2048];
    for (int late = 0; late < 2; late++) {
        snprintf(yaml, sizeof yaml, fmt, late ? "30d" : "9d");
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
        CU_ASSERT_FATAL(r.n_cities == 4);
        for (size_t a = 0; a < r.n_arms; a++)
            for (uint32_t rep = 0; rep < r.R; rep++) {
                const double *o = r.arms[a].outcomes[rep].v;
                const bz_city_result *c = r.arms[a].cities + (size_t)rep * r.n_cities;
                double ad = 0, pu = 0, rev = 0, un = 0;
                for (uint32_t k = 0; k < r.n_cities; k++) {
                    ad += c[k].v[BZ_CITY_ADOPTERS];
                    pu += c[k].v[BZ_CITY_PURCHASES];
                    rev += c[k].v[BZ_CITY_REVENUE];
                    un += c[k].v[BZ_CITY_UNMET];
                }
                CU_ASSERT_EQUAL(ad, o[BZ_OUT_FINAL_ADOPTERS]);
                CU_ASSERT_EQUAL(pu, o[BZ_OUT_PURCHASES]);
                CU_ASSERT_EQUAL(rev, o[BZ_OUT_REVENUE]); /* the outcome is this sum */
                CU_ASSERT_EQUAL(un, o[BZ_OUT_UNMET_DEMAND]);
                /* City 2's units all sold at its own price. */
                CU_ASSERT_EQUAL(c[2].v[BZ_CITY_REVENUE], 1234.75 * c[2].v[BZ_CITY_PURCHASES]);
                /* City 1 launches at day 10: nothing sold there by day 9;
                 * after it, its own price. */
                if (!late) {
                    CU_ASSERT_EQUAL(c[1].v[BZ_CITY_PURCHASES], 0);
                    CU_ASSERT(c[0].v[BZ_CITY_PURCHASES] > 0);
                } else {
                    CU_ASSERT(c[1].v[BZ_CITY_PURCHASES] > 0);
                    CU_ASSERT_EQUAL(c[1].v[BZ_CITY_REVENUE], 1499.25 * c[1].v[BZ_CITY_PURCHASES]);
                }
            }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"per-city sums and a staggered local launch", test_sums_and_staggered_launch},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("cities", tests);
}

/* Validation: the price response. Every agent of a well-mixed population is
 * made aware, interested and wanting within a day (advertising at 50 per
 * day, awareness 1, interest and buy at 50 per day, nobody forgets, no word
 * of mouth), so every agent asks the market once; it buys when its
 * willingness to pay, value x w with w drawn from the population attribute,
 * is at least the price. The share that buys at price P must be
 * 1 - F(P / value) of the willingness distribution: within 3 standard
 * errors, sqrt(s (1 - s) / N), over a sweep of prices, for a lognormal and
 * a gamma willingness. A discount window sells to exactly those whose
 * willingness lies above the discounted price, and a local price and value
 * (market.local: a launch abroad) apply in their city only. */
#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

#define N 20000

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res)
{
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "price.yaml", NULL, 0, &err);
    if (st != BZ_OK) {
        fprintf(stderr, "config: %s\n", err.msg);
        return st;
    }
    st = bz_run_experiment(x, NULL, res, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

/* Share of the N agents that bought at `price` with willingness `dist`. */
static double share_bought(double price, const char *dist, double *priced_out)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "seed: 3\ntime: { step: 1d, horizon: 3d }\nreplicates: 1\n"
             "population: { agents: %d, attributes: { willingness: %s } }\n"
             "network: { layers: [ { name: all, share: 0, generator: { model: well_mixed } } ] }\n"
             "diffusion: { model: buzz_funnel, awareness: 1, interest: 50, buy: 50, forget: 0 }\n"
             "market: { price: %g, value: 1000 }\n"
             "arms: { ads: [ { campaign: advertising, at: 0d, duration: 1d, reach: 50 } ] }\n",
             N, dist, price);
    bz_experiment x;
    bz_results r;
    double s = NAN;
    if (run_yaml(yaml, &x, &r) == BZ_OK) {
        s = r.arms[0].outcomes[0].v[BZ_OUT_PURCHASES] / N;
        *priced_out = r.arms[0].outcomes[0].v[BZ_OUT_PRICED_OUT] / N;
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    return s;
}

static void test_demand_curve(void)
{
    const double prices[] = {600, 800, 1000, 1200, 1500, 2000};
    struct {
        const char *yaml;
        double (*F)(double); /* CDF of the willingness w */
        const char *name;
    } dists[2];
    /* lognormal(meanlog 0, sdlog 0.3); gamma(shape 8, scale 1/8): mean 1. */
    double F_lognormal(double w);
    double F_gamma(double w);
    dists[0].yaml = "{ dist: lognormal, meanlog: 0, sdlog: 0.3 }";
    dists[0].F = F_lognormal;
    dists[0].name = "lognormal(0, 0.3)";
    dists[1].yaml = "{ dist: gamma, shape: 8, scale: 0.125 }";
    dists[1].F = F_gamma;
    dists[1].name = "gamma(8, 1/8)";
    for (int d = 0; d < 2; d++) {
        printf("\n  willingness %s, value 1000, N = %d: price, share bought, 1 - F, z\n",
               dists[d].name, N);
        double prev = 2;
        for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
            double po;
            const double s = share_bought(prices[i], dists[d].yaml, &po);
            const double want = 1 - dists[d].F(prices[i] / 1000);
            const double se = sqrt(want * (1 - want) / N) + 1e-12;
            printf("  %6.0f  %.4f  %.4f  %+.2f\n", prices[i], s, want, (s - want) / se);
            CU_ASSERT(fabs(s - want) <= 3 * se + 1.0 / N);
            CU_ASSERT(s < prev);                        /* demand falls with price */
            CU_ASSERT_DOUBLE_EQUAL(s + po, 1.0, 1e-12); /* the rest wait for a lower price */
            prev = s;
        }
    }
}

double F_lognormal(double w)
{
    return gsl_cdf_lognormal_P(w, 0, 0.3);
}

double F_gamma(double w)
{
    return gsl_cdf_gamma_P(w, 8, 0.125);
}

/* A discount window [1d, 1d + 10m) at 40% off in an always-open market at
 * price 1200: the agents who want before the window and would not pay 1200
 * wait; in the window those who would pay 720 arrive and buy at 720. The
 * revenue is exactly the window's units at 720 plus the rest at 1200, the
 * discount exactly the window's units at 480, and the buyers are the
 * agents whose willingness is at least 720. */
static void test_discount_window(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "seed: 4\ntime: { step: 6h, horizon: 3d }\nreplicates: 2\n"
             "population: { agents: %d }\n"
             "network: { layers: [ { name: all, share: 0, generator: { model: well_mixed } } ] }\n"
             "diffusion: { model: buzz_funnel, awareness: 1, interest: 50, buy: 50, forget: 0 }\n"
             "market: { price: 1200, value: 1000, stock: 100000000 }\n"
             "arms: { sale: [ { campaign: advertising, at: 0d, duration: 12h, reach: 50 },\n"
             "                { campaign: flash_sale, at: 1d, duration: 10m, stock: 100000000,\n"
             "                  discount: 0.4 } ] }\n",
             N);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *o = r.arms[0].outcomes[rep].v;
        const bz_window_result *w = &r.arms[0].windows[(size_t)rep * BZ_RESULT_WINDOWS];
        const double in = w->v[BZ_WIN_SOLD], all = o[BZ_OUT_PURCHASES];
        CU_ASSERT(in > 0 && all > in);
        CU_ASSERT_EQUAL(o[BZ_OUT_REVENUE], in * 720 + (all - in) * 1200);
        CU_ASSERT_EQUAL(o[BZ_OUT_DISCOUNT], in * 480);
        const double want = 1 - F_lognormal(0.72), se = sqrt(want * (1 - want) / N);
        CU_ASSERT(fabs(all / N - want) <= 3 * se);
        printf("\n  discount window: %g bought in it at 720, %g before at 1200; share %.4f "
               "(1 - F(0.72) = %.4f)",
               in, all - in, all / N, want);
        if (rep + 1 == r.R) printf("\n");
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Two cities of N/2 agents; city 1 (a launch abroad) has its own price 500
 * and value 400. Each city's buyers follow its own 1 - F(price / value):
 * 1 - F(1) at home, 1 - F(1.25) abroad. Revenue is exactly 1000 per unit
 * at home plus 500 abroad, so the two counts are read back from purchases
 * and revenue. */
static void test_local_prices(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "seed: 5\ntime: { step: 1d, horizon: 3d }\nreplicates: 1\n"
             "population: { agents: %d, cities: [ { name: home, share: 1 },\n"
             "                                     { name: abroad, share: 1 } ] }\n"
             "network: { layers: [ { name: all, share: 0, generator: { model: well_mixed } } ] }\n"
             "diffusion: { model: buzz_funnel, awareness: 1, interest: 50, buy: 50, forget: 0 }\n"
             "market: { price: 1000, value: 1000,\n"
             "          local: [ { cities: [1], price: 500, value: 400 } ] }\n"
             "arms: { ads: [ { campaign: advertising, at: 0d, duration: 1d, reach: 50 } ] }\n",
             N);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    const double half = N / 2.0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *o = r.arms[0].outcomes[rep].v;
        const double all = o[BZ_OUT_PURCHASES];
        const double abroad = (1000 * all - o[BZ_OUT_REVENUE]) / 500, home = all - abroad;
        CU_ASSERT_EQUAL(abroad, floor(abroad)); /* the revenue is exactly 1000 h + 500 a */
        const double w_home = 1 - F_lognormal(1.0), w_abroad = 1 - F_lognormal(1.25);
        const double se_h = sqrt(w_home * (1 - w_home) / half);
        const double se_a = sqrt(w_abroad * (1 - w_abroad) / half);
        printf("\n  local prices: home %.4f (1 - F(1) = %.4f, z %+.2f), abroad %.4f "
               "(1 - F(1.25) = %.4f, z %+.2f)",
               home / half, w_home, (home / half - w_home) / se_h, abroad / half, w_abroad,
               (abroad / half - w_abroad) / se_a);
        CU_ASSERT(fabs(home / half - w_home) <= 3 * se_h);
        CU_ASSERT(fabs(abroad / half - w_abroad) <= 3 * se_a);
        CU_ASSERT_EQUAL(o[BZ_OUT_DISCOUNT], 0);
    }
    printf("\n");
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {{"share buying at price P is 1 - F(P / value)", test_demand_curve},
                           {"a discount window: its price exactly inside it", test_discount_window},
                           {"local prices and values apply in their city", test_local_prices},
                           CU_TEST_INFO_NULL};
    return bz_test_main("validation-price", tests);
}

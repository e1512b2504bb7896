/* The market and flash sales through the runner: stock caps sales at
 * min(demand, stock), sell-out times lie in the window and shrink with the
 * stock, failed buyers buy later, availability rules, thread independence,
 * and the refusal of market settings for models that do not buy. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res, int quiet)
{
    bz_error err;
    memset(res, 0, sizeof *res);
    int st = bz_experiment_load_string(x, yaml, "test.yaml", NULL, 0, &err);
    if (st != BZ_OK) {
        if (!quiet) fprintf(stderr, "config: %s\n", err.msg);
        return st;
    }
    st = bz_run_experiment(x, NULL, res, &err);
    if (st != BZ_OK && !quiet) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

/* 4000 well-mixed agents, hourly samples, 3 days; a fast market: by day 1
 * about 1 - e^-0.5 = 39% of the agents have decided to buy (p = 0.5 per
 * day; nobody adopts before a flash_only sale, so q does not act yet). */
#define HEAD                                                                                       \
    "seed: 11\ntime: { step: 1h, horizon: 3d }\nreplicates: 3\n"                                   \
    "population: { agents: 4000, cities: 2 }\n"                                                    \
    "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"                   \
    "diffusion: { model: bass, p: 0.5, q: 2, response: 0.3 }\n"

static const int64_t *row(const bz_results *r, int64_t *s, uint32_t rep)
{
    return bz_series_row(s, r->R, r->T, 0, rep);
}

/* Sales = min(demand, stock) with common random numbers across arms; more
 * stock never sells less; sell-out inside the window, earlier with less
 * stock; flash_only without a window sells nothing. */
static void test_stock_caps_sales(void)
{
    const char *yaml =
        HEAD "market: { availability: flash_only, stock: 0 }\n"
             "arms:\n  none: []\n"
             "  s1: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 300 } ]\n"
             "  s2: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 600 } ]\n"
             "  s3: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 900 } ]\n"
             "  s4: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 3000 } ]\n"
             "  big: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100000 } ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const uint32_t T = r.T;
    const int64_t stocks[] = {300, 600, 900, 3000, 100000}; /* arms 1..5 */
    for (uint32_t rep = 0; rep < r.R; rep++) {
        /* No window: nothing is ever on sale. */
        for (uint32_t t = 0; t < T; t++) {
            CU_ASSERT_EQUAL(row(&r, r.arms[0].series[BZ_SER_SALES], rep)[t], 0);
            CU_ASSERT_EQUAL(row(&r, r.arms[0].series[BZ_SER_ADOPTERS], rep)[t], 0);
        }
        CU_ASSERT(isnan(r.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS]));
        const int64_t demand = row(&r, r.arms[5].series[BZ_SER_SALES], rep)[T - 1];
        CU_ASSERT(demand > 900);
        CU_ASSERT(demand < 3000);
        CU_ASSERT(isnan(r.arms[5].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS]));
        int64_t prev_sold = 0;
        double prev_sellout = 0;
        for (int a = 1; a <= 5; a++) {
            const int64_t *sales = row(&r, r.arms[a].series[BZ_SER_SALES], rep);
            const int64_t *stock = row(&r, r.arms[a].series[BZ_SER_STOCK], rep);
            const int64_t *ad = row(&r, r.arms[a].series[BZ_SER_ADOPTERS], rep);
            const int64_t S = stocks[a - 1];
            /* Before the window: unlimited stock, nothing sold. */
            CU_ASSERT_EQUAL(stock[0], -1);
            CU_ASSERT_EQUAL(sales[24], 0);
            for (uint32_t t = 25; t < T; t++) {
                CU_ASSERT(stock[t] >= 0);
                CU_ASSERT_EQUAL(sales[t] + stock[t], S);
                CU_ASSERT_EQUAL(sales[t], ad[t]); /* every adopter bought */
            }
            const int64_t sold = sales[T - 1];
            CU_ASSERT_EQUAL(sold, demand < S ? demand : S);
            CU_ASSERT(sold >= prev_sold);
            prev_sold = sold;
            const double so = r.arms[a].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS];
            if (a <= 3) {
                CU_ASSERT(so > 0 && so <= 600);
                CU_ASSERT(so > prev_sellout); /* more stock lasts longer */
                prev_sellout = so;
            } else {
                CU_ASSERT(isnan(so));
            }
        }
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Buyers who found the stock gone stay potential and buy in the next
 * window; unsold units carry over. */
static void test_failed_buyers_buy_later(void)
{
    const char *yaml =
        HEAD "market: { availability: flash_only, stock: 0 }\n"
             "arms:\n"
             "  two: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 300 },\n"
             "         { campaign: flash_sale, at: 2d, duration: 10m, stock: 300 } ]\n"
             "  carry: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 3500 },\n"
             "           { campaign: flash_sale, at: 2d, duration: 10m, stock: 7 } ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const uint32_t T = r.T, R = r.R;
    for (uint32_t rep = 0; rep < R; rep++) {
        const int64_t *sales = row(&r, r.arms[0].series[BZ_SER_SALES], rep);
        const int64_t *pot = bz_series_row(r.arms[0].series[BZ_SER_STATES], R, T, 0, rep);
        CU_ASSERT_EQUAL(sales[25], 300);
        CU_ASSERT_EQUAL(pot[25], 4000 - 300); /* the unserved are still potential */
        CU_ASSERT_EQUAL(sales[48], 300);      /* closed between the windows */
        CU_ASSERT_EQUAL(sales[49], 600);
        CU_ASSERT(r.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS] <= 600);

        const int64_t *cs = row(&r, r.arms[1].series[BZ_SER_SALES], rep);
        const int64_t *ck = row(&r, r.arms[1].series[BZ_SER_STOCK], rep);
        const int64_t d1 = cs[25];
        CU_ASSERT(d1 > 0 && d1 < 3500);
        CU_ASSERT_EQUAL(ck[48], 3500 - d1);
        /* The second window adds 7 units to what was left, and sells. */
        CU_ASSERT_EQUAL(ck[49] + cs[49], 3507);
        CU_ASSERT(cs[49] > d1);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Sold-out news and the announcement expose agents through channel news,
 * at the right times; the fixed cost is charged once. */
static void test_announce_and_news(void)
{
    const char *yaml = HEAD "market: { availability: flash_only, stock: 0 }\n"
                            "arms:\n"
                            "  a: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: 100, "
                            "announce: 6h, announce_reach: 1, news_reach: 0.5, cost: 777 } ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const uint32_t T = r.T, R = r.R;
    for (uint32_t rep = 0; rep < R; rep++) {
        const int64_t *news =
            bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], R, T, BZ_CH_NEWS, rep);
        for (uint32_t t = 1; t <= 18; t++)
            CU_ASSERT_EQUAL(news[t], 0);
        /* Announcement [18h, 24h) at 1 per day: sample t counts (t-1, t]
         * hours, Poisson with mean 4000 / 24 = 167 per hour. */
        for (uint32_t t = 19; t <= 24; t++)
            CU_ASSERT(news[t] > 100 && news[t] < 240);
        /* 100 units sell out seconds after 24h; the news reaches about half
         * of everyone once, within news_within (6 h) of the sell-out. */
        const double so = r.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS];
        CU_ASSERT(so > 0 && so < 600);
        int64_t sum = 0;
        for (uint32_t t = 25; t <= 31; t++)
            sum += news[t];
        CU_ASSERT(sum > 1700 && sum < 2300);
        for (uint32_t t = 32; t < T; t++)
            CU_ASSERT_EQUAL(news[t], 0);
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST], 777, 1e-9);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* availability: from — nothing sold before `from`; always with a huge finite
 * stock is the same as unlimited stock (no draw changes anything). */
static void test_availability_from_and_always(void)
{
    const char *base = HEAD "arms:\n  b: []\n";
    char y1[2048], y2[2048], y3[2048];
    snprintf(y1, sizeof y1, "%s", base);
    snprintf(y2, sizeof y2, "%smarket: { availability: always, stock: 1000000 }\n", base);
    snprintf(y3, sizeof y3, "%smarket: { availability: from, from: 1d }\n", base);
    bz_experiment x1, x2, x3;
    bz_results r1, r2, r3;
    CU_ASSERT_FATAL(run_yaml(y1, &x1, &r1, 0) == BZ_OK);
    CU_ASSERT_FATAL(run_yaml(y2, &x2, &r2, 0) == BZ_OK);
    CU_ASSERT_FATAL(run_yaml(y3, &x3, &r3, 0) == BZ_OK);
    const size_t cells = (size_t)r1.R * r1.T;
    CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_ADOPTERS], r2.arms[0].series[BZ_SER_ADOPTERS],
                     cells * sizeof(int64_t)) == 0);
    CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_SALES], r2.arms[0].series[BZ_SER_SALES],
                     cells * sizeof(int64_t)) == 0);
    for (uint32_t rep = 0; rep < r1.R; rep++) {
        const int64_t *s1 = row(&r1, r1.arms[0].series[BZ_SER_SALES], rep);
        const int64_t *k2 = row(&r2, r2.arms[0].series[BZ_SER_STOCK], rep);
        const int64_t *s3 = row(&r3, r3.arms[0].series[BZ_SER_SALES], rep);
        CU_ASSERT(s1[1] > 0);
        CU_ASSERT_EQUAL(row(&r1, r1.arms[0].series[BZ_SER_STOCK], rep)[r1.T - 1], -1);
        CU_ASSERT_EQUAL(k2[r2.T - 1], 1000000 - s1[r1.T - 1]);
        CU_ASSERT_EQUAL(s3[24], 0);
        CU_ASSERT(s3[25] > 0);
        CU_ASSERT(isnan(r1.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS]));
    }
    bz_results_destroy(&r1);
    bz_results_destroy(&r2);
    bz_results_destroy(&r3);
    bz_experiment_destroy(&x1);
    bz_experiment_destroy(&x2);
    bz_experiment_destroy(&x3);
}

/* A finite market stock under availability always sells out once, when
 * the Bass curve reaches it: F(t*) = 2500 / 4000 with p = 0.5, q = 2 gives
 * t* = -ln(0.375 / 3.5) / 2.5 = 0.893 days. The sell-out time counts from
 * the start of the sale; tolerance 1 hour (the sampling error of F at
 * N = 4000 moves t* by about 17 minutes, one standard error). */
static void test_always_sellout(void)
{
    const char *yaml = HEAD "market: { availability: always, stock: 2500 }\narms:\n  b: []\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    const double t_star = -log(0.375 / 3.5) / 2.5 * 86400;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t *sales = row(&r, r.arms[0].series[BZ_SER_SALES], rep);
        CU_ASSERT_EQUAL(sales[r.T - 1], 2500);
        CU_ASSERT(sales[1] < 2500);
        double so = r.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS];
        CU_ASSERT(fabs(so - t_star) < 3600);
        if (!(fabs(so - t_star) < 3600))
            fprintf(stderr, "sell-out %.0f s, Bass closed form %.0f s\n", so, t_star);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* The same results with 1 and 2 threads, replicate-parallel or not. */
static void test_threads(void)
{
    const char *yaml = HEAD "market: { availability: flash_only, stock: 0 }\n"
                            "arms:\n  s: [ { campaign: flash_sale, at: 1d, duration: 10m, stock: "
                            "500, announce: 3h, announce_reach: 2, news_reach: 0.3 } ]\n";
    bz_experiment x1, x2;
    bz_results r1, r2;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_FATAL(run_yaml(yaml, &x1, &r1, 0) == BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_FATAL(run_yaml(yaml, &x2, &r2, 0) == BZ_OK);
    omp_set_num_threads(saved);
    const size_t cells = (size_t)r1.R * r1.T * sizeof(int64_t);
    CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_SALES], r2.arms[0].series[BZ_SER_SALES], cells) == 0);
    CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_STOCK], r2.arms[0].series[BZ_SER_STOCK], cells) == 0);
    CU_ASSERT(
        memcmp(r1.arms[0].series[BZ_SER_ADOPTERS], r2.arms[0].series[BZ_SER_ADOPTERS], cells) == 0);
    CU_ASSERT(memcmp(r1.arms[0].series[BZ_SER_ADOPTIONS_BY], r2.arms[0].series[BZ_SER_ADOPTIONS_BY],
                     cells * (size_t)r1.n_channels) == 0);
    for (uint32_t rep = 0; rep < r1.R; rep++) {
        CU_ASSERT(r1.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS] > 0);
        CU_ASSERT_EQUAL(r1.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS],
                        r2.arms[0].outcomes[rep].v[BZ_OUT_SELLOUT_SECONDS]);
    }
    bz_results_destroy(&r1);
    bz_results_destroy(&r2);
    bz_experiment_destroy(&x1);
    bz_experiment_destroy(&x2);
}

/* Models that do not buy refuse market settings and flash sales; a flash
 * sale at the horizon is refused. */
static void test_errors(void)
{
    const char *sir = "seed: 1\ntime: { step: 1h, horizon: 2d }\nreplicates: 1\n"
                      "population: { agents: 500, cities: 1 }\n"
                      "network: { layers: [ { name: all, generator: { model: well_mixed } } ] }\n"
                      "diffusion: { model: sir, beta: 0.3, gamma: 0.1, seeds: 2 }\n";
    const char *tails[] = {
        "market: { stock: 10 }\narms:\n  b: []\n",
        "market: { availability: flash_only }\narms:\n  b: []\n",
        "arms:\n  b: [ { campaign: flash_sale, at: 1d, stock: 5 } ]\n",
    };
    for (int i = 0; i < 3; i++) {
        char y[2048];
        snprintf(y, sizeof y, "%s%s", sir, tails[i]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT(run_yaml(y, &x, &r, 1) == BZ_EINVAL);
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    bz_experiment x;
    bz_results r;
    CU_ASSERT(run_yaml(HEAD "arms:\n  b: [ { campaign: flash_sale, at: 3d, stock: 5 } ]\n", &x, &r,
                       1) == BZ_EINVAL);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* A backlog of waiting buyers arrives over the whole window, so its
 * sell-out time does not depend on the step: with D waiting buyers for S
 * units in a 10-minute window, about S / D x 600 s, for 1-hour, 10-minute
 * and 1-minute steps alike. buzz_funnel without word of mouth: a one-day ad
 * makes agents interested and wanting before the sale (interest and buy
 * are fast), so nearly all demand at the opening is backlog. */
static void test_backlog_step_invariance(void)
{
    const char *steps[] = {"1h", "10m", "1m"};
    double sell[3] = {NAN, NAN, NAN}, demand = NAN;
    for (int k = 0; k < 3; k++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 5\ntime: { step: %s, horizon: 2.1d }\nreplicates: 2\n"
                 "population: { agents: 20000, cities: 2 }\n"
                 "network: { layers: [ { name: all, share: 0, generator: { model: erdos_renyi, "
                 "mean_degree: 4 } } ] }\n"
                 "diffusion: { model: buzz_funnel, awareness: 1, interest: 50, buy: 50, forget: 0 "
                 "}\n"
                 "market: { availability: flash_only }\n"
                 "arms:\n  sale:\n"
                 "    - { campaign: advertising, at: 0d, duration: 1d, reach: 1 }\n"
                 "    - { campaign: flash_sale, at: 2d, duration: 10m, stock: 4000 }\n",
                 steps[k]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
        double s = 0;
        for (uint32_t rep = 0; rep < r.R; rep++) {
            CU_ASSERT(r.arms[0].n_windows == 1);
            s += r.arms[0].windows[(size_t)rep * BZ_RESULT_WINDOWS].v[BZ_WIN_SELLOUT_SECONDS];
        }
        sell[k] = s / r.R;
        /* Agents that were made aware by the ad: 1 - e^{-1} of 20,000. */
        demand = 20000 * (1 - exp(-1.0));
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    /* Backlog D ~ 12,642 (everyone the ad reached wants by day 2): expected
     * S / D x 600 s = 190 s; the three step lengths agree within 10% of
     * each other and of that figure. */
    const double expect = 4000.0 / demand * 600.0;
    for (int k = 0; k < 3; k++) {
        CU_ASSERT(fabs(sell[k] - expect) < 0.1 * expect);
        if (!(fabs(sell[k] - expect) < 0.1 * expect))
            fprintf(stderr, "step %s: sell-out %.1f s, expected about %.1f s\n", steps[k], sell[k],
                    expect);
    }
}

/* Patience: D buyers wait for a 10-minute window of S < D units at day 1;
 * the D - S refused (after the sell-out, a minute in) are waitlisted and
 * give up at rate 0.5 per day. They never forget, so at the horizon (day 3)
 * each of them is either still waiting (unmet demand) or lost: unmet + lost
 * = D - S exactly, and the lost share is 1 - exp(-0.5 x 2) = 0.632 (the
 * refusals are spread over the window's last 9 minutes: 0.6312 to 0.6321)
 * within 4 binomial standard deviations. Lost buyers are in state lost. */
static void test_patience(void)
{
    const char *yaml =
        "seed: 14\ntime: { step: 2h, horizon: 3d }\nreplicates: 3\n"
        "population: { agents: 10000, cities: 2 }\n"
        "network: { layers: [ { name: all, share: 0, generator: { model: erdos_renyi, mean_degree: "
        "4 } } ] }\n"
        "diffusion: { model: buzz_funnel, awareness: 1, interest: 50, buy: 50, forget: 0 }\n"
        "market: { availability: flash_only, price: 100, patience: 0.5 }\n"
        "arms:\n  sale:\n"
        "    - { campaign: advertising, at: 0d, duration: 12h, reach: 50 }\n"
        "    - { campaign: flash_sale, at: 1d, duration: 10m, stock: 1000 }\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r, 0) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double *o = r.arms[0].outcomes[rep].v;
        const double refused = 10000 - 1000;
        CU_ASSERT_EQUAL(o[BZ_OUT_PURCHASES], 1000);
        CU_ASSERT_EQUAL(o[BZ_OUT_UNMET_DEMAND] + o[BZ_OUT_LOST_SALES], refused);
        const double p = 1 - exp(-0.5 * 2), sd = sqrt(p * (1 - p) / refused);
        CU_ASSERT(fabs(o[BZ_OUT_LOST_SALES] / refused - p) < 4 * sd + 0.001);
        /* the lost are in state lost (index 5), the waiting interested */
        const int64_t *lost = bz_series_row(r.arms[0].series[BZ_SER_STATES], r.R, r.T, 5, rep);
        CU_ASSERT_EQUAL(lost[r.T - 1], (int64_t)o[BZ_OUT_LOST_SALES]);
        const int64_t *unmet = bz_series_row(r.arms[0].series[BZ_SER_UNMET], r.R, r.T, 0, rep);
        const int64_t *gone = bz_series_row(r.arms[0].series[BZ_SER_LOST], r.R, r.T, 0, rep);
        CU_ASSERT_EQUAL(unmet[12], 0); /* before the window (sample at 1d) */
        CU_ASSERT_EQUAL(unmet[13] + gone[13], refused);
        CU_ASSERT_EQUAL(unmet[r.T - 1], (int64_t)o[BZ_OUT_UNMET_DEMAND]);
        for (uint32_t t = 14; t < r.T; t++)
            CU_ASSERT(gone[t] >= gone[t - 1] && unmet[t] + gone[t] == refused);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"stock caps sales at min(demand, stock)", test_stock_caps_sales},
        {"failed buyers buy in a later window", test_failed_buyers_buy_later},
        {"announcement and sold-out news", test_announce_and_news},
        {"availability from and always", test_availability_from_and_always},
        {"finite stock under always sells out", test_always_sellout},
        {"same results with 1 and 2 threads", test_threads},
        {"market refused for models that do not buy", test_errors},
        {"a backlog's sell-out time does not depend on the step", test_backlog_step_invariance},
        {"patience: refused buyers wait or are lost at the patience rate", test_patience},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("market", tests);
}

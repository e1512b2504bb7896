/* Fans and events (festival under buzz_funnel): group contagion at a table
 * against its closed form, recurring meetups, and a festival on an
 * existing fan base against the same money spent on ads. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bz_run_test.h"
#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

/* Everyone aware, S random advocates, no word of mouth and no own
 * interest: after one event that everyone attends, the interested are
 * exactly those the event engaged. With the whole event one table (a
 * complete graph) each of the N - S others is interested with probability
 * 1 - (1 - e)(1 - g)^S; with tables of 50 seated in agent order the
 * advocates at a table are Binomial(50, S/N) (up to the finite population),
 * so the chance is 1 - (1 - e)(1 - g S/N)^50. Within 4 binomial SD. */
static void test_group_contagion_closed_form(void)
{
    enum { N = 20000, S = 100 };
    const double e = 0.1, g[2] = {0.001, 0.02};
    const int table[2] = {0, 50};
    for (int c = 0; c < 2; c++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 6\ntime: { step: 6h, horizon: 3d }\nreplicates: 3\n"
                 "population: { agents: %d, cities: 1 }\n"
                 "network: { layers: [ { name: f, share: 0, "
                 "generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
                 "diffusion: { model: buzz_funnel, aware: 1, seeds: %d, interest: 0, buy: 0, "
                 "forget: 0 }\n"
                 "arms:\n  f: [ { campaign: festival, at: 1d, cities: all, attendance: 1, "
                 "bring: 0, engage: %g, group: %g, table: %d, share_boost: 1 } ]\n",
                 N, S, e, g[c], table[c]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
        const double p = table[c] == 0 ? 1 - (1 - e) * pow(1 - g[c], S)
                                       : 1 - (1 - e) * pow(1 - g[c] * S / N, table[c]);
        const double want = (N - S) * p, sd = sqrt((N - S) * p * (1 - p));
        for (uint32_t rep = 0; rep < r.R; rep++) {
            const int64_t *in = bz_series_row(r.arms[0].series[BZ_SER_STATES], r.R, r.T, 2, rep);
            if (rep == 0)
                printf("\n  table %d, group %g: %lld interested, closed form %.1f (sd %.1f)",
                       table[c], g[c], (long long)in[r.T - 1], want, sd);
            CU_ASSERT(in[0] == 0);
            CU_ASSERT(fabs((double)in[r.T - 1] - want) <= 4 * sd);
        }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    printf("\n");
}

/* Meetups every 7 days, 4 times: festival exposures happen at exactly
 * those 4 times, and the cost is 4 x cities + attendees of every event. */
static void test_recurring_meetups(void)
{
    const char *yaml =
        "seed: 3\ntime: { step: 1d, horizon: 30d }\nreplicates: 2\n"
        "population: { agents: 5000, cities: 4 }\n"
        "network: { layers: [ { name: f, share: 0.1, "
        "generator: { model: erdos_renyi, mean_degree: 6 } } ] }\n"
        "diffusion: { model: buzz_funnel, fans: 0.1 }\n"
        "arms:\n  m: [ { campaign: festival, at: 2d, every: 7d, times: 4, cities: { top: 2 }, "
        "attendance: 0.3, bring: 1, cost_per_city: 100, cost_per_attendee: 3 } ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t *f =
            bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_FESTIVAL, rep);
        int64_t people = 0;
        int events = 0;
        for (uint32_t k = 0; k < r.T; k++) {
            /* The sample of day k counts what happened in (k - 1, k]. */
            const int due = k >= 1 && (k - 1) >= 2 && (k - 1 - 2) % 7 == 0 && (k - 1) < 2 + 28;
            if (f[k] > 0) events++;
            CU_ASSERT((f[k] > 0) == due);
            people += f[k];
        }
        CU_ASSERT_EQUAL(events, 4);
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST],
                               4 * 2 * 100.0 + 3.0 * (double)people, 1e-6);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* The documented setting (docs/campaigns.md): a brand most people already
 * know (aware 0.9) with fan clubs (5% of the three largest cities). Ads can
 * only make people aware, which they already are; a festival there seats
 * fans with the friends they bring, and owners at a table persuade. The
 * same money (the festival's mean cost, spent on ads at CPM 10 over a
 * week) buys fewer extra adopters as ads. */
static void test_festival_beats_ads_on_a_fan_base(void)
{
    const char *head = "seed: 17\ntime: { step: 1d, horizon: 40d }\nreplicates: 6\n"
                       "population: { agents: 20000, cities: 10 }\n"
                       "network: { layers: [\n"
                       "  { name: weibo, directed: true, share: 0.02, "
                       "generator: { model: barabasi_albert, m: 5 } },\n"
                       "  { name: wechat, share: 0.1, persuasion: 0.3, "
                       "generator: { model: erdos_renyi, mean_degree: 8 } } ] }\n"
                       "diffusion: { model: buzz_funnel, aware: 0.95, forget: 0, fans: 0.05, "
                       "fan_cities: { top: 3 } }\n";
    const char *fest = "{ campaign: festival, at: 3d, cities: { top: 3 }, attendance: 0.5, "
                       "bring: 3 }";
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%sarms:\n  none: []\n  festival: [ %s ]\n", head, fest);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    double cost = 0;
    for (uint32_t rep = 0; rep < r.R; rep++)
        cost += r.arms[1].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] / r.R;
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    /* Ads at CPM 10 for 7 days: cost = 10 x 20000 x reach x 7 / 1000. */
    const double reach = cost * 1000 / (10 * 20000.0 * 7);
    snprintf(yaml, sizeof yaml,
             "%sarms:\n  none: []\n  festival: [ %s ]\n"
             "  ads: [ { campaign: advertising, at: 3d, duration: 7d, reach: %.17g, cpm: 10 } ]\n",
             head, fest, reach);
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    double df = 0, da = 0, ca = 0, d2 = 0;
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const double d = r.arms[1].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] -
                         r.arms[2].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS];
        d2 += d * d;
        const double b = r.arms[0].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS];
        df += (r.arms[1].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] - b) / r.R;
        da += (r.arms[2].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] - b) / r.R;
        ca += r.arms[2].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] / r.R;
    }
    /* Paired: the festival arm against the ads arm, replicate by replicate. */
    const double diff = df - da, se = sqrt((d2 / r.R - diff * diff) / (r.R - 1));
    printf("\n  festival on a fan base: cost %.0f, %+.0f adopters; the same money on ads: cost "
           "%.0f, %+.0f adopters (difference %.0f, SE %.0f)\n",
           cost, df, ca, da, diff, se);
    CU_ASSERT(fabs(ca - cost) <= 0.05 * cost);
    CU_ASSERT(diff > 3 * se);
    CU_ASSERT(df > 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"group contagion at a table: closed form", test_group_contagion_closed_form},
        {"recurring meetups", test_recurring_meetups},
        {"festival on a fan base beats the same money on ads",
         test_festival_beats_ads_on_a_fan_base},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("events", tests);
}

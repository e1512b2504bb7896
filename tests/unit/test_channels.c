/* The channels as mechanisms (buzz_funnel): limited attention on a
 * broadcast layer, per-layer persuasion and conversion, awareness at the
 * start. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_run_test.h"
#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

/* Total exposures of replicate rep on channel ch over the run. */
static double exposures(const bz_results *r, int ch, uint32_t rep)
{
    const int64_t *row = bz_series_row(r->arms[0].series[BZ_SER_EXPOSURES], r->R, r->T, ch, rep);
    double s = 0;
    for (uint32_t k = 0; k < r->T; k++)
        s += (double)row[k];
    return s;
}

/* Limited attention. 3000 accounts, all advocates (seeds = every agent)
 * talking at share 1 per tie per day with no decay; three groups of 100
 * readers follow 30, 300 and 3000 of them, each group on its own directed
 * layer. A reader following f accounts receives f posts a day about the
 * product and, with attention K = 20 and feed 1 (all they post about),
 * reads f K / (K + f) of them: 12, 18.75 and 19.87 a day, approaching K;
 * without attention, f. Checked within 4 Poisson standard deviations. */
static void test_attention_saturates(void)
{
    enum { A = 3000, G = 100, DAYS = 5 };
    const uint32_t f[3] = {30, 300, 3000};
    char path[3][64];
    for (int g = 0; g < 3; g++) {
        snprintf(path[g], sizeof path[g], "/tmp/bz_att_%d_%d.txt", (int)getpid(), g);
        FILE *fp = fopen(path[g], "w");
        CU_ASSERT_FATAL(fp != NULL);
        for (uint32_t i = 0; i < G; i++) {
            const uint32_t reader = A + (uint32_t)g * G + i;
            for (uint32_t k = 0; k < f[g]; k++) /* f distinct accounts, spread over all */
                fprintf(fp, "%u %u\n", (k * (A / f[g]) + i) % A, reader);
        }
        fclose(fp);
    }
    for (int limited = 0; limited < 2; limited++) {
        char yaml[4096], layers[2048] = "";
        for (int g = 0; g < 3; g++) {
            char one[512];
            snprintf(one, sizeof one,
                     "  { name: feed%d, directed: true, share: 1, attention: %g, feed: 1,\n"
                     "    generator: { model: edge_list, path: \"%s\" } }%s\n",
                     g, limited ? 20.0 : 0.0, path[g], g < 2 ? "," : "");
            strcat(layers, one);
        }
        snprintf(yaml, sizeof yaml,
                 "seed: 4\ntime: { step: 1d, horizon: %dd }\nreplicates: 2\n"
                 "population: { agents: %d, attributes: { activity: 1 } }\n"
                 "network: { layers: [\n%s] }\n"
                 "diffusion: { model: buzz_funnel, seeds: %d, novelty: 0 }\n",
                 DAYS, A + 3 * G, layers, A + 3 * G);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
        for (int g = 0; g < 3; g++)
            for (uint32_t rep = 0; rep < r.R; rep++) {
                const double got = exposures(&r, BZ_CH_LAYER0 + g, rep) / (G * DAYS);
                const double want = limited ? f[g] * 20.0 / (20.0 + f[g]) : f[g];
                const double sd = sqrt(want / (G * DAYS));
                if (rep == 0)
                    printf("\n  %u followees, attention %s: %.2f contacts per reader-day (theory "
                           "%.2f)",
                           f[g], limited ? "20" : "unlimited", got, want);
                CU_ASSERT(fabs(got - want) <= 4 * sd);
            }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    printf("\n");
    for (int g = 0; g < 3; g++)
        unlink(path[g]);
}

/* A layer with persuasion 0 informs but never interests; conversion makes
 * an interested agent buy at a contact although it never decides on its
 * own (buy 0). */
static void test_persuasion_and_conversion(void)
{
    const char *fmt =
        "seed: 8\ntime: { step: 1d, horizon: 20d }\nreplicates: 2\n"
        "population: { agents: 3000 }\n"
        "network: { layers: [\n"
        "  { name: friends, share: 0.3, persuasion: %g, conversion: %g,\n"
        "    generator: { model: erdos_renyi, mean_degree: 8 } },\n"
        "  { name: follows, share: 0.3, persuasion: %g,\n"
        "    generator: { model: erdos_renyi, mean_degree: 8 } } ] }\n"
        "diffusion: { model: buzz_funnel, seeds: 30, interest: %g, buy: %g, forget: 0 }\n";
    char yaml[2048];
    bz_experiment x;
    bz_results r;
    /* No persuasion anywhere and no own interest: word of mouth makes
     * agents aware, never interested, so nobody buys. */
    snprintf(yaml, sizeof yaml, fmt, 0.0, 0.0, 0.0, 0.0, 0.2);
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        CU_ASSERT(r.arms[0].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] == 30);
        CU_ASSERT(exposures(&r, BZ_CH_LAYER0, rep) > 0);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    /* Persuasion on one layer only: buyers appear. */
    snprintf(yaml, sizeof yaml, fmt, 0.0, 0.0, 0.5, 0.0, 0.2);
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++)
        CU_ASSERT(r.arms[0].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS] > 60);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    /* Interested agents that never decide on their own (buy 0): without
     * conversion nobody buys, with it the friends' contacts sell. */
    double adopters[2];
    for (int conv = 0; conv < 2; conv++) {
        snprintf(yaml, sizeof yaml, fmt, 0.5, conv ? 0.5 : 0.0, 0.5, 0.0, 0.0);
        CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
        adopters[conv] = r.arms[0].outcomes[0].v[BZ_OUT_FINAL_ADOPTERS];
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
    CU_ASSERT(adopters[0] == 30);
    CU_ASSERT(adopters[1] > 60);
}

/* aware: a share of the agents know the product at the start. */
static void test_aware_at_start(void)
{
    const char *yaml = "seed: 2\ntime: { step: 1h, horizon: 1d }\nreplicates: 3\n"
                       "population: { agents: 20000 }\n"
                       "network: { layers: [ { name: f, share: 0, "
                       "generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
                       "diffusion: { model: buzz_funnel, aware: 0.25, interest: 0, forget: 0 }\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t *aware = bz_series_row(r.arms[0].series[BZ_SER_STATES], r.R, r.T, 1, rep);
        const double want = 0.25 * 20000, sd = sqrt(20000 * 0.25 * 0.75);
        CU_ASSERT(fabs((double)aware[0] - want) <= 4 * sd);
        CU_ASSERT(aware[r.T - 1] == aware[0]);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* aware_cities: awareness before the launch only where the brand is known
 * (per-city awareness): 25% of city 1's agents, nobody elsewhere. */
static void test_aware_by_city(void)
{
    const char *yaml = "seed: 2\ntime: { step: 1h, horizon: 1d }\nreplicates: 2\n"
                       "population: { agents: 20000, cities: 4 }\n"
                       "network: { layers: [ { name: f, share: 0, "
                       "generator: { model: erdos_renyi, mean_degree: 4 } } ] }\n"
                       "diffusion: { model: buzz_funnel, aware: 0.25, aware_cities: [1], "
                       "interest: 0, forget: 0 }\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(bz_test_run_yaml(yaml, &x, &r) == BZ_OK);
    CU_ASSERT_FATAL(r.n_cities == 4);
    const double n1 = r.city_agents[1];
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t *aware = bz_series_row(r.arms[0].series[BZ_SER_STATES], r.R, r.T, 1, rep);
        CU_ASSERT(fabs((double)aware[0] - 0.25 * n1) <= 4 * sqrt(n1 * 0.25 * 0.75));
        CU_ASSERT(aware[0] > 0);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"attention: contacts per reader-day approach K", test_attention_saturates},
        {"per-layer persuasion and conversion", test_persuasion_and_conversion},
        {"aware at the start", test_aware_at_start},
        {"aware at the start, by city", test_aware_by_city},
        CU_TEST_INFO_NULL,
    };
    return bz_test_main("channels", tests);
}

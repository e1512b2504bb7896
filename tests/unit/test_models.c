/* Models and campaigns through the runner: common random numbers across
 * arms, attribution adds up, costs add up, advertising windows and rates,
 * KOL strategies pick the right agents, determinism of replicates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "engine/run.h"

static int run_yaml(const char *yaml, bz_experiment *x, bz_results *res)
{
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "test.yaml", NULL, 0, &err);
    if (st != BZ_OK) {
        fprintf(stderr, "config: %s\n", err.msg);
        return st;
    }
    st = bz_run_experiment(x, NULL, res, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    return st;
}

static int64_t series_sum(const int64_t *s, uint32_t T)
{
    int64_t sum = 0;
    for (uint32_t t = 0; t < T; t++)
        sum += s[t];
    return sum;
}

static const char *const model_lines[] = {
    "diffusion: { model: bass, p: 0.01, q: 0.5, response: 0.3 }\n",
    "diffusion: { model: independent_cascade, p: 0.05, seeds: 3, response: 0.3 }\n",
    "diffusion: { model: sir, beta: 0.3, gamma: 0.3, seeds: 3, response: 0.3 }\n",
};

/* Arms share streams: before a campaign's first action the arms are
 * identical, step for step; afterwards they differ. */
static void test_common_random_numbers(void)
{
    for (int m = 0; m < 3; m++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 3\ntime: { step: 6h, horizon: 20d }\nreplicates: 3\n"
                 "population: { agents: 4000, cities: 5 }\n"
                 "network: { layers: [ { name: a, generator: { model: erdos_renyi, mean_degree: 5 "
                 "} }, { name: b, directed: true, generator: { model: barabasi_albert, m: 2 } } ] "
                 "}\n%s"
                 "arms:\n  baseline: []\n"
                 "  ads: [ { campaign: advertising, at: 5d, duration: 2d, reach: 0.5 } ]\n"
                 "  kol: [ { campaign: kol_seeding, at: 3d, count: 20, layer: b } ]\n",
                 model_lines[m]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
        const uint32_t T = r.T, R = r.R;
        for (uint32_t rep = 0; rep < R; rep++) {
            const int64_t *b = bz_series_row(r.arms[0].series[BZ_SER_ADOPTERS], R, T, 0, rep);
            const int64_t *ads = bz_series_row(r.arms[1].series[BZ_SER_ADOPTERS], R, T, 0, rep);
            const int64_t *kol = bz_series_row(r.arms[2].series[BZ_SER_ADOPTERS], R, T, 0, rep);
            /* index t = state after t steps of 6h: ads act in step 20 (day 5). */
            for (uint32_t t = 0; t <= 20; t++)
                CU_ASSERT_EQUAL(ads[t], b[t]);
            for (uint32_t t = 0; t <= 12; t++)
                CU_ASSERT_EQUAL(kol[t], b[t]);
            for (int k = 0; k < r.n_states; k++) {
                const int64_t *sb = bz_series_row(r.arms[0].series[BZ_SER_STATES], R, T, k, rep);
                const int64_t *sa = bz_series_row(r.arms[1].series[BZ_SER_STATES], R, T, k, rep);
                CU_ASSERT(memcmp(sb, sa, 21 * sizeof *sb) == 0);
            }
            /* The campaigns do act (the ads make exposures in step 20). */
            CU_ASSERT(bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], R, T, BZ_CH_ADVERTISING,
                                    rep)[21] > 0);
            CU_ASSERT(bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], R, T, BZ_CH_ADVERTISING,
                                    rep)[20] == 0);
            CU_ASSERT(
                bz_series_row(r.arms[2].series[BZ_SER_ADOPTIONS_BY], R, T, BZ_CH_KOL, rep)[13] > 0);
        }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
}

/* Every adoption is attributed to exactly one channel: summed over channels
 * and time (index 0 holds the initial seeds) they equal the adopters at
 * the horizon; and costs follow their formulas. */
static void test_attribution_and_costs(void)
{
    for (int m = 0; m < 3; m++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 4\ntime: { step: 12h, horizon: 15d }\nreplicates: 2\n"
                 "population: { agents: 3000, cities: 3 }\n"
                 "network: { layers: [ { name: a, generator: { model: watts_strogatz, k: 6, beta: "
                 "0.2 } }, { name: b, directed: true, generator: { model: barabasi_albert, m: 3 } "
                 "} ] }\n%s"
                 "arms:\n  baseline: []\n"
                 "  both: [ { campaign: advertising, at: 1d, duration: 4d, reach: 0.3, cpm: 40, "
                 "fixed: 500 },\n"
                 "          { campaign: kol_seeding, at: 2d, count: 7, layer: b, reach: 0.5, fee: "
                 "100, fee_per_follower: 0.25 } ]\n",
                 model_lines[m]);
        bz_experiment x;
        bz_results r;
        CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
        const uint32_t T = r.T, R = r.R;
        for (size_t a = 0; a < r.n_arms; a++)
            for (uint32_t rep = 0; rep < R; rep++) {
                int64_t attributed = 0;
                for (int c = 0; c < r.n_channels; c++)
                    attributed += series_sum(
                        bz_series_row(r.arms[a].series[BZ_SER_ADOPTIONS_BY], R, T, c, rep), T);
                int64_t final =
                    bz_series_row(r.arms[a].series[BZ_SER_ADOPTERS], R, T, 0, rep)[T - 1];
                CU_ASSERT_EQUAL(attributed, final);
                CU_ASSERT_EQUAL((double) final, r.arms[a].outcomes[rep].v[BZ_OUT_FINAL_ADOPTERS]);
            }
        for (uint32_t rep = 0; rep < R; rep++) {
            double ads = (double)series_sum(
                bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], R, T, BZ_CH_ADVERTISING, rep), T);
            double kol = (double)series_sum(
                bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], R, T, BZ_CH_KOL, rep), T);
            double want = 500 + 40 * ads / 1000 + 7 * 100 + 0.25 * kol;
            CU_ASSERT(ads > 0 && kol > 0);
            CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST], want, 1e-6);
            CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST], 0, 0);
        }
        bz_results_destroy(&r);
        bz_experiment_destroy(&x);
    }
}

/* Advertising: exposures only inside the window, at the rate asked (each
 * agent a Poisson process of rate reach: a day's exposures are Poisson with
 * mean N reach, within 5 sd), only in targeted cities. */
static void test_advertising_window_and_rate(void)
{
    const char *yaml =
        "seed: 8\ntime: { step: 1d, horizon: 10d }\nreplicates: 1\n"
        "population: { agents: 20000, cities: 4, city_sizes: { zipf: 0 } }\n"
        "network: { layers: [ { name: a, generator: { model: erdos_renyi, mean_degree: 2 } } ] }\n"
        "diffusion: { model: bass, p: 0, q: 0, response: 0 }\n"
        "arms:\n  baseline: [ { campaign: advertising, at: 2d, duration: 3d, reach: 0.2 } ]\n"
        "  top: [ { campaign: advertising, at: 2d, duration: 3d, reach: 0.2, cities: { top: 1 } "
        "} ]\n";
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    const int64_t *all =
        bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], 1, r.T, BZ_CH_ADVERTISING, 0);
    const int64_t *top =
        bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], 1, r.T, BZ_CH_ADVERTISING, 0);
    const double mean = 20000 * 0.2, sd = sqrt(mean);
    for (uint32_t t = 1; t < r.T; t++) {
        int in = t >= 3 && t <= 5; /* index t records step t - 1, covering day t-1..t */
        if (in) {
            CU_ASSERT(fabs((double)all[t] - mean) < 5 * sd);
            /* One of four equal cities: a quarter of the exposures. */
            CU_ASSERT(fabs((double)top[t] - mean / 4) < 5 * sd / 2);
        } else {
            CU_ASSERT_EQUAL(all[t], 0);
            CU_ASSERT_EQUAL(top[t], 0);
        }
    }
    /* response 0, p = q = 0: nobody adopts. */
    CU_ASSERT_EQUAL(r.arms[0].outcomes[0].v[BZ_OUT_FINAL_ADOPTERS], 0);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* KOL degree strategy on a network whose answer is known: a directed edge
 * list where agent i has out-degree i (i = 1..9) follows the larger hubs.
 * With reach 1 every follower of the chosen KOLs is exposed, so the
 * exposures equal the sum of their degrees: 9 + 8 + 7 = 24 for 3 KOLs. */
static void test_kol_degree_strategy(void)
{
    char dir[] = "/tmp/bz_kol_XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char path[256], yaml[2048];
    snprintf(path, sizeof path, "%s/star.txt", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    /* Agents 100..109 are the followers; hub h (1..9) reaches h of them. */
    for (int h = 1; h <= 9; h++)
        for (int k = 0; k < h; k++)
            fprintf(f, "%d %d\n", h, 100 + k);
    fclose(f);
    snprintf(yaml, sizeof yaml,
             "seed: 1\ntime: { step: 1d, horizon: 3d }\nreplicates: 2\n"
             "network: { layers: [ { name: f, directed: true, generator: { model: edge_list, path: "
             "%s } } ] }\n"
             "diffusion: { model: bass, p: 0, q: 0, response: 0 }\n"
             "arms:\n  baseline: [ { campaign: kol_seeding, count: 3, strategy: degree, reach: 1, "
             "fee: 0, fee_per_follower: 1 } ]\n"
             "  random: [ { campaign: kol_seeding, count: 3, strategy: random, reach: 1, fee: 0, "
             "fee_per_follower: 1 } ]\n",
             path);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST], 24, 0);
        CU_ASSERT_EQUAL(
            bz_series_row(r.arms[0].series[BZ_SER_ADOPTIONS_BY], r.R, r.T, BZ_CH_KOL, rep)[1], 3);
        /* Random KOLs: a different, smaller total in general, never more. */
        CU_ASSERT(r.arms[1].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] <= 24);
    }
    /* Random picks differ between replicates or from the top three. */
    CU_ASSERT(r.arms[1].outcomes[0].v[BZ_OUT_CAMPAIGN_COST] != 24 ||
              r.arms[1].outcomes[1].v[BZ_OUT_CAMPAIGN_COST] != 24);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    remove(path);
    rmdir(dir);
}

/* Run one arm per strategy (count 1, reach 1, fee_per_follower 1) on an
 * undirected edge-list network: each arm's cost is the degree of the KOL it
 * chose. */
static void kol_costs(const char *edges, const char *const *strategies, int n, double *cost)
{
    char dir[] = "/tmp/bz_kol2_XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char path[256], yaml[4096];
    snprintf(path, sizeof path, "%s/g.txt", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(edges, f);
    fclose(f);
    int len = snprintf(yaml, sizeof yaml,
                       "seed: 1\ntime: { step: 1d, horizon: 2d }\nreplicates: 1\n"
                       "network: { layers: [ { name: f, generator: { model: edge_list, path: %s "
                       "} } ] }\ndiffusion: { model: bass, p: 0, q: 0, response: 0 }\narms:\n",
                       path);
    for (int i = 0; i < n; i++)
        len += snprintf(yaml + len, sizeof yaml - (size_t)len,
                        "  a%d: [ { campaign: kol_seeding, count: 1, strategy: %s, reach: 1, fee: "
                        "0, fee_per_follower: 1, samples: 1000 } ]\n",
                        i, strategies[i]);
    bz_experiment x;
    bz_results r;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    for (int i = 0; i < n; i++)
        cost[i] = r.arms[i].outcomes[0].v[BZ_OUT_CAMPAIGN_COST];
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
    remove(path);
    rmdir(dir);
}

/* Networks whose answers are known:
 * - a 6-clique (agents 0-5, core number 5, degree 5) and a star (hub 6 with
 *   8 leaves, core number 1): degree and PageRank pick the hub (8 followers),
 *   kcore a clique member (5);
 * - a barbell: cliques 0-4 and 5-9 joined only through agent 10 (linked to 0
 *   and 5): agent 10 carries all 25 paths between the cliques, more than any
 *   other, so bridges picks it (degree 2), degree picks agent 0 or 5 (5). */
static void test_kol_strategies(void)
{
    char edges[2048] = "";
    size_t len = 0;
    for (int a = 0; a < 6; a++)
        for (int b = a + 1; b < 6; b++)
            len += (size_t)snprintf(edges + len, 64, "%d %d\n", a, b);
    for (int leaf = 7; leaf <= 14; leaf++)
        len += (size_t)snprintf(edges + len, 64, "6 %d\n", leaf);
    const char *s1[] = {"degree", "pagerank", "kcore"};
    double c1[3];
    kol_costs(edges, s1, 3, c1);
    CU_ASSERT_DOUBLE_EQUAL(c1[0], 8, 0);
    CU_ASSERT_DOUBLE_EQUAL(c1[1], 8, 0);
    CU_ASSERT_DOUBLE_EQUAL(c1[2], 5, 0);

    len = 0;
    edges[0] = '\0';
    for (int base = 0; base <= 5; base += 5)
        for (int a = base; a < base + 5; a++)
            for (int b = a + 1; b < base + 5; b++)
                len += (size_t)snprintf(edges + len, 64, "%d %d\n", a, b);
    len += (size_t)snprintf(edges + len, 64, "0 10\n5 10\n");
    const char *s2[] = {"degree", "bridges"};
    double c2[2];
    kol_costs(edges, s2, 2, c2);
    CU_ASSERT_DOUBLE_EQUAL(c2[0], 5, 0);
    CU_ASSERT_DOUBLE_EQUAL(c2[1], 2, 0);
}

/* A replicate range (bz_run_opts.rep_begin/end, what optimize's ranks
 * use) gives exactly the rows of the whole run, for a shared network and
 * for one network per replicate; attribution refuses a range. */
static void test_replicate_range(void)
{
    for (int resample = 0; resample < 2; resample++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 8\ntime: { step: 6h, horizon: 12d }\nreplicates: 5\n"
                 "population: { agents: 2000, cities: 3 }\n"
                 "network: { resample: %s, layers: [ { name: a, generator: { model: erdos_renyi, "
                 "mean_degree: 5 } } ] }\n"
                 "diffusion: { model: bass, p: 0.01, q: 0.4 }\nmarket: { price: 10 }\n"
                 "arms:\n  baseline: []\n"
                 "  ads: [ { campaign: advertising, at: 2d, duration: 2d, reach: 0.3, cpm: 9 } ]\n",
                 resample ? "true" : "false");
        bz_experiment x;
        bz_results all, part;
        bz_error err;
        CU_ASSERT_FATAL(run_yaml(yaml, &x, &all) == BZ_OK);
        bz_run_opts o = {NULL, NULL, 1, 4};
        CU_ASSERT_FATAL(bz_run_experiment(&x, &o, &part, &err) == BZ_OK);
        const uint32_t T = all.T, R = all.R;
        for (size_t a = 0; a < x.n_arms; a++)
            for (uint32_t rep = 0; rep < R; rep++) {
                const bz_outcome *p = &part.arms[a].outcomes[rep], *w = &all.arms[a].outcomes[rep];
                const int64_t *sp = bz_series_row(part.arms[a].series[BZ_SER_SALES], R, T, 0, rep);
                const int64_t *sw = bz_series_row(all.arms[a].series[BZ_SER_SALES], R, T, 0, rep);
                if (rep >= 1 && rep < 4) {
                    CU_ASSERT(memcmp(p->v, w->v, sizeof p->v) == 0);
                    CU_ASSERT(memcmp(sp, sw, T * sizeof *sp) == 0);
                } else {
                    CU_ASSERT_EQUAL(p->v[BZ_OUT_FINAL_ADOPTERS], 0);
                }
            }
        CU_ASSERT(all.arms[1].outcomes[2].v[BZ_OUT_CAMPAIGN_COST] > 0);
        bz_run_opts bad = {NULL, NULL, 3, 6};
        bz_results r3;
        CU_ASSERT_EQUAL(bz_run_experiment(&x, &bad, &r3, &err), BZ_EINVAL);
        bz_results_destroy(&r3);
        x.arms[1].attribution = BZ_ATTRIB_SHAPLEY;
        CU_ASSERT_EQUAL(bz_run_experiment(&x, &o, &r3, &err), BZ_EINVAL);
        CU_ASSERT(strstr(err.msg, "attribution needs every replicate") != NULL);
        bz_results_destroy(&r3);
        bz_results_destroy(&all);
        bz_results_destroy(&part);
        bz_experiment_destroy(&x);
    }
}

/* enabled: false switches a campaign off where it stands: an arm whose only
 * campaign is off is the baseline bit for bit, the campaign's spend row is
 * zero, the campaigns after it draw the same numbers whatever the one
 * switched off is, and the resolved text says so and loads back. */
static void test_campaign_off(void)
{
    const char *yaml =
        "seed: 4\ntime: { step: 6h, horizon: 12d }\nreplicates: 3\n"
        "population: { agents: 2000, cities: 3 }\n"
        "network: { layers: [ { name: a, directed: true, generator: { model: barabasi_albert, m: 2 "
        "} } ] }\n"
        "diffusion: { model: bass, p: 0.01, q: 0.4 }\nmarket: { price: 10 }\n"
        "arms:\n  baseline: []\n"
        "  off: [ { campaign: advertising, at: 2d, duration: 2d, reach: 0.3, cpm: 9, enabled: "
        "false "
        "} ]\n"
        "  ads_off: [ { campaign: advertising, at: 1d, duration: 5d, reach: 0.9, cpm: 9, enabled: "
        "false }, { campaign: kol_seeding, at: 3d, count: 20, layer: a } ]\n"
        "  other_off: [ { campaign: kol_seeding, count: 5, layer: a, enabled: no }, { campaign: "
        "kol_seeding, at: 3d, count: 20, layer: a } ]\n";
    bz_experiment x, y;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(run_yaml(yaml, &x, &r) == BZ_OK);
    CU_ASSERT_EQUAL(x.arms[1].campaigns[0].enabled, 0);
    CU_ASSERT_EQUAL(x.arms[2].campaigns[1].enabled, 1);
    const uint32_t R = r.R, T = r.T;
    for (uint32_t rep = 0; rep < R; rep++) {
        CU_ASSERT(memcmp(r.arms[1].outcomes[rep].v, r.arms[0].outcomes[rep].v,
                         sizeof r.arms[0].outcomes[rep].v) == 0);
        CU_ASSERT_EQUAL(bz_arm_campaign(&r.arms[1], rep, 0)->v[BZ_CAMP_SPEND], 0);
        CU_ASSERT(memcmp(r.arms[2].outcomes[rep].v, r.arms[3].outcomes[rep].v,
                         sizeof r.arms[2].outcomes[rep].v) == 0);
        CU_ASSERT(r.arms[2].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] > 0); /* the KOLs act */
        CU_ASSERT(memcmp(bz_series_row(r.arms[2].series[BZ_SER_ADOPTERS], R, T, 0, rep),
                         bz_series_row(r.arms[3].series[BZ_SER_ADOPTERS], R, T, 0, rep),
                         T * sizeof(int64_t)) == 0);
    }
    CU_ASSERT(strstr(x.resolved_yaml, "enabled: false") != NULL);
    CU_ASSERT_FATAL(bz_experiment_load_string(&y, x.resolved_yaml, "r.yaml", NULL, 0, &err) ==
                    BZ_OK);
    CU_ASSERT_STRING_EQUAL(y.resolved_yaml, x.resolved_yaml);
    CU_ASSERT_EQUAL(y.arms[3].campaigns[0].enabled, 0);
    bz_experiment_destroy(&y);
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

int main(void)
{
    CU_TestInfo tests[] = {
        {"arms share random numbers until a campaign acts", test_common_random_numbers},
        {"attribution and costs add up", test_attribution_and_costs},
        {"advertising window, rate and cities", test_advertising_window_and_rate},
        {"KOL degree strategy picks the hubs", test_kol_degree_strategy},
        {"KOL pagerank, kcore and bridges strategies", test_kol_strategies},
        {"a replicate range gives the whole run's rows", test_replicate_range},
        {"enabled: false switches a campaign off in place", test_campaign_off},
        CU_TEST_INFO_NULL};
    return bz_test_main("models", tests);
}

/* Benchmark: the buzz funnel at country scale, the issue #4 target.
 *
 *   bench_funnel [--n N] [--days D] [--step HOURS] [--threads T] [--arm all|baseline]
 *
 * Two layers over N agents in 50 Zipf cities: a directed follower network
 * (chung_lu, mean out-degree 40, exponents 2.2/3.0) and a strong-tie friend
 * network (sbm over the cities, mean degree 12, 85% within city); the
 * buzz_funnel model with every campaign active in one arm (advertising, KOL
 * seeding with posts, a flash sale with announcement and repeats, a festival
 * in the 10 largest cities, a partnership and a referral programme); D days
 * in steps of HOURS. Builds the network once, then times one replicate of the
 * arm and prints seconds per replicate, agent-steps per second, contacts and
 * exposures per second, peak memory. There is no peer to compare against: no
 * other package simulates this funnel; bench_sir compares the engine's
 * spreading with igraph. Target (issue #4): 1M agents, 60 days hourly, under
 * a minute per replicate on this 2-core machine. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config/experiment.h"
#include "core/model.h"
#include "core/run.h"
#include "rng/rng.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    long n = 1000000;
    double days = 60, hours = 1;
    int threads = 0;
    const char *arm = "all";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = atol(argv[++i]);
        else if (!strcmp(argv[i], "--days") && i + 1 < argc)
            days = atof(argv[++i]);
        else if (!strcmp(argv[i], "--step") && i + 1 < argc)
            hours = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--arm") && i + 1 < argc)
            arm = argv[++i];
        else {
            fprintf(stderr, "usage: bench_funnel [--n N] [--days D] [--step HOURS] [--threads T] "
                            "[--arm all|baseline]\n");
            return 2;
        }
    }
    if (threads > 0) omp_set_num_threads(threads);
    char yaml[4096];
    snprintf(
        yaml, sizeof yaml,
        "name: bench_funnel\nseed: 7\ntime: { step: %gh, horizon: %gd }\nreplicates: 1\n"
        "population: { agents: %ld, cities: 50, city_sizes: { zipf: 1.0 } }\n"
        "network:\n  layers:\n"
        "    - { name: weibo, directed: true, share: 0.02, generator: { model: chung_lu, "
        "mean_degree: 40, out_exponent: 2.2, in_exponent: 3.0 } }\n"
        "    - { name: wechat, share: 0.05, generator: { model: sbm, mean_degree: 12, "
        "within_city: 0.85 } }\n"
        "diffusion: { model: buzz_funnel, seeds: 100 }\n"
        "market: { price: 1999, value: 2500, availability: flash_only, stock: 0 }\n"
        "arms:\n"
        "  baseline: [ { campaign: flash_sale, at: 7d, duration: 10m, stock: 50000, "
        "announce: 3d, announce_reach: 0.05, repeat: 4, every: 7d } ]\n"
        "  all:\n"
        "    - { campaign: flash_sale, at: 7d, duration: 10m, stock: 50000, announce: 3d, "
        "announce_reach: 0.05, news_reach: 0.2, urgency: 2, repeat: 4, every: 7d }\n"
        "    - { campaign: advertising, at: 0d, duration: 14d, reach: 0.02 }\n"
        "    - { campaign: kol_seeding, at: 1d, count: 50, strategy: degree, layer: weibo, "
        "posts: 3, period: 6d }\n"
        "    - { campaign: festival, at: 14d, cities: { top: 10 }, attendance: 0.05, bring: 2, "
        "layer: wechat }\n"
        "    - { campaign: partnership, at: 21d, share: 0.1, reach: 0.5 }\n"
        "    - { campaign: referral, at: 0d, reward: 10 }\n",
        hours, days, n);
    bz_experiment x;
    bz_error err;
    bz_world w;
    bz_results res;
    if (bz_experiment_load_string(&x, yaml, "bench_funnel", NULL, 0, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    size_t a = strcmp(arm, "baseline") == 0 ? 0 : 1;
    double t0 = now();
    if (bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    double build = now() - t0;
    if (bz_results_init(&res, 1, x.n_steps + 1, x.model->n_states, BZ_CH_LAYER0 + (int)x.n_layers,
                        x.n_arms, x.n_layers, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    t0 = now();
    if (bz_run_arm_replicate(&x, &w, a, 0, &res, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    double sim = now() - t0;
    const uint32_t T = res.T;
    double contacts = 0, expo = 0;
    for (int c = 0; c < res.n_channels; c++)
        for (uint32_t t = 0; t < T; t++) {
            double e = (double)bz_series_row(res.arms[a].series[BZ_SER_EXPOSURES], 1, T, c, 0)[t];
            if (c >= BZ_CH_LAYER0)
                contacts += e;
            else
                expo += e;
        }
    double edges = 0;
    for (size_t i = 0; i < w.net.n_layers; i++)
        edges += (double)bz_layer_edges(&w.net.layers[i]);
    printf("buzz_funnel, arm '%s': %ld agents, %.0f edges in 2 layers, %u steps of %g h, "
           "%d threads\n",
           x.arms[a].name, n, edges, x.n_steps, hours, omp_get_max_threads());
    printf("  network build        %8.2f s\n", build);
    printf("  one replicate        %8.2f s   (target < 60 s for 1M agents, 60 days hourly)\n", sim);
    printf("  agent-steps / s      %8.3g\n", (double)n * x.n_steps / sim);
    printf("  WOM contacts / s     %8.3g   (%.3g contacts)\n", contacts / sim, contacts);
    printf("  campaign exposures   %8.3g\n", expo);
    printf("  adopters at the end  %8.0f   units sold %.0f, cost %.0f\n",
           res.arms[a].outcomes[0].v[BZ_OUT_FINAL_ADOPTERS],
           res.arms[a].outcomes[0].v[BZ_OUT_PURCHASES],
           res.arms[a].outcomes[0].v[BZ_OUT_CAMPAIGN_COST]);
    printf("  first sell-out       %8.1f s after opening\n",
           res.arms[a].outcomes[0].v[BZ_OUT_SELLOUT_SECONDS]);
    printf("  peak memory          %8.0f MB\n", peak_rss_mb());
    bz_results_destroy(&res);
    bz_world_destroy(&w);
    bz_experiment_destroy(&x);
    return 0;
}

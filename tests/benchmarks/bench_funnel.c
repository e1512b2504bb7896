/* Benchmark: the buzz funnel at country scale, the issue #4 target.
 *
 *   bench_funnel [--n N] [--days D] [--step HOURS] [--threads T] [--repeat K]
 *                [--arm all|baseline|channels] [--attention K]
 * (channels: every campaign of `all` plus the channel mechanisms: campaign
 * persuasion, weekly meetups with group contagion, an exclusive partner
 * launch, community, customer service and a social game; --attention K
 * gives the follower layer limited attention, K posts a day, feed 5)
 *
 * Two layers over N agents in 50 Zipf cities: a directed follower network
 * (chung_lu, mean out-degree 40, exponents 2.2/3.0) and a strong-tie friend
 * network (sbm over the cities, mean degree 12, 85% within city); the
 * buzz_funnel model with every campaign active in one arm (advertising, KOL
 * seeding with posts, a flash sale with announcement and repeats, a festival
 * in the 10 largest cities, a partnership and a referral programme); D days
 * sampled every HOURS. Builds the network once, then times K replicates of
 * the arm one at a time on one thread (best and median seconds, events per
 * second) and K more in parallel on T threads (default 2; seconds per
 * replicate and the speed-up), and prints contacts, exposures and peak
 * memory. There is no peer to compare against: no
 * other package simulates this funnel; bench_sir compares the engine's
 * spreading with igraph. Targets (issue #12): 1M agents, 60 days: at most 5 s
 * per replicate on 1 thread, 3 s on 2 threads. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "config/experiment.h"
#include "engine/model.h"
#include "engine/run.h"
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

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long n = 1000000, repeat = 4;
    double days = 60, hours = 1, attention = 0;
    int threads = 2;
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
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atol(argv[++i]);
        else if (!strcmp(argv[i], "--arm") && i + 1 < argc)
            arm = argv[++i];
        else if (!strcmp(argv[i], "--attention") && i + 1 < argc)
            attention = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_funnel [--n N] [--days D] [--step HOURS] [--threads T] "
                            "[--repeat K] [--arm all|baseline|channels] [--attention K]\n");
            return 2;
        }
    }
    if (threads < 1 || repeat < 1 || repeat > 64) {
        fprintf(stderr, "bench_funnel: --threads >= 1, --repeat in [1, 64]\n");
        return 2;
    }
    omp_set_num_threads(threads);
    char yaml[4096];
    snprintf(
        yaml, sizeof yaml,
        "name: bench_funnel\nseed: 7\ntime: { step: %gh, horizon: %gd }\nreplicates: %ld\n"
        "population: { agents: %ld, cities: 50, city_sizes: { zipf: 1.0 } }\n"
        "network:\n  layers:\n"
        "    - { name: weibo, directed: true, share: 0.02, attention: %g, feed: 5, "
        "generator: { model: chung_lu, "
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
        "    - { campaign: partnership, at: 21d, period: 10d, share: 0.1, reach: 0.05 }\n"
        "    - { campaign: referral, at: 0d, reward: 10 }\n"
        "  channels:\n"
        "    - { campaign: flash_sale, at: 7d, duration: 10m, stock: 50000, announce: 3d, "
        "announce_reach: 0.05, news_reach: 0.2, urgency: 2, repeat: 4, every: 7d }\n"
        "    - { campaign: advertising, at: 0d, duration: 14d, reach: 0.02, persuasion: 0.05 }\n"
        "    - { campaign: kol_seeding, at: 1d, count: 50, strategy: degree, layer: weibo, "
        "posts: 3, period: 6d, persuasion: 0.05 }\n"
        "    - { campaign: festival, at: 14d, every: 7d, times: 4, cities: { top: 10 }, "
        "attendance: 0.05, bring: 2, layer: wechat }\n"
        "    - { campaign: partnership, at: 21d, period: 10d, share: 0.1, reach: 0.05, "
        "exclusive: 2d }\n"
        "    - { campaign: referral, at: 0d, reward: 10 }\n"
        "    - { campaign: community, join: 0.2 }\n"
        "    - { campaign: customer_service, resolve: 0.6 }\n"
        "    - { campaign: social_game, at: 10d, period: 20d, participation: 0.05 }\n",
        hours, days, 2 * repeat, n, attention);
    bz_experiment x;
    bz_error err;
    bz_world w;
    bz_results res;
    if (bz_experiment_load_string(&x, yaml, "bench_funnel", NULL, 0, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    size_t a = 1;
    for (size_t i = 0; i < x.n_arms; i++)
        if (strcmp(x.arms[i].name, arm) == 0) a = i;
    double t0 = now();
    if (bz_world_build(&w, &x, BZ_RNG_SHARED_REPLICATE, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    double build = now() - t0;
    if (bz_results_init(&res, (uint32_t)(2 * repeat), x.n_steps + 1, x.model->n_states,
                        BZ_CH_LAYER0 + (int)x.n_layers, x.n_arms, x.n_layers, &err) != BZ_OK) {
        fprintf(stderr, "bench_funnel: %s\n", err.msg);
        return 1;
    }
    /* 1. One replicate at a time on one thread: replicates 0 .. repeat-1. */
    double secs[64], rate[64], ev_total = 0;
    bz_run_stats st[64];
    for (long k = 0; k < repeat; k++) {
        t0 = now();
        if (bz_run_arm_replicate(&x, &w, a, (uint32_t)k, &res, &st[k], &err) != BZ_OK) {
            fprintf(stderr, "bench_funnel: %s\n", err.msg);
            return 1;
        }
        secs[k] = now() - t0;
        rate[k] = (double)st[k].events / secs[k];
        ev_total += (double)st[k].events;
    }
    qsort(secs, (size_t)repeat, sizeof secs[0], cmp_double);
    qsort(rate, (size_t)repeat, sizeof rate[0], cmp_double);
    /* 2. Replicates repeat .. 2 repeat - 1 in parallel on `threads` threads
     * (how an experiment runs them: engine/run.c). */
    int failed = 0;
    t0 = now();
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long k = repeat; k < 2 * repeat; k++) {
        bz_error e;
        if (bz_run_arm_replicate(&x, &w, a, (uint32_t)k, &res, NULL, &e) != BZ_OK) {
#pragma omp atomic write
            failed = 1;
        }
    }
    const double par = now() - t0;
    if (failed) {
        fprintf(stderr, "bench_funnel: a parallel replicate failed\n");
        return 1;
    }
    const uint32_t T = res.T;
    double contacts = 0, expo = 0;
    for (int c = 0; c < res.n_channels; c++)
        for (uint32_t t = 0; t < T; t++) {
            double e =
                (double)bz_series_row(res.arms[a].series[BZ_SER_EXPOSURES], res.R, T, c, 0)[t];
            if (c >= BZ_CH_LAYER0)
                contacts += e;
            else
                expo += e;
        }
    double edges = 0;
    for (size_t i = 0; i < w.net.n_layers; i++)
        edges += (double)bz_layer_edges(&w.net.layers[i]);
    const double med = secs[repeat / 2];
    printf("buzz_funnel, arm '%s': %ld agents, %.0f edges in 2 layers, %g days, series every "
           "%g h; %ld replicates each way\n",
           x.arms[a].name, n, edges, days, hours, repeat);
    printf("  network build (%d threads)      %8.2f s\n", threads, build);
    printf("  one replicate, 1 thread        %8.2f s best, %.2f s median   (targets: 5 s on 1 "
           "thread)\n",
           secs[0], med);
    printf("  replicates on %d threads        %8.2f s per replicate (%.2f s for %ld; %.2fx the "
           "1-thread median)   (target: 3 s on 2 threads)\n",
           threads, par / (double)repeat, par, repeat, med / (par / (double)repeat));
    printf("  events per replicate           %8.3g   (%.3g M events/s best, %.3g median, 1 "
           "thread; peak pending %.3g)\n",
           ev_total / (double)repeat, rate[repeat - 1] / 1e6, rate[repeat / 2] / 1e6,
           (double)st[0].peak_pending);
    printf("  WOM contacts (replicate 0)     %8.3g\n", contacts);
    printf("  campaign exposures             %8.3g\n", expo);
    printf("  adopters at the end            %8.0f   units sold %.0f, cost %.0f\n",
           res.arms[a].outcomes[0].v[BZ_OUT_FINAL_ADOPTERS],
           res.arms[a].outcomes[0].v[BZ_OUT_PURCHASES],
           res.arms[a].outcomes[0].v[BZ_OUT_CAMPAIGN_COST]);
    printf("  first sell-out                 %8.1f s after opening\n",
           res.arms[a].outcomes[0].v[BZ_OUT_SELLOUT_SECONDS]);
    printf("  peak memory                    %8.0f MB\n", peak_rss_mb());
    bz_results_destroy(&res);
    bz_world_destroy(&w);
    bz_experiment_destroy(&x);
    return 0;
}

/* IMM greedy KOL selection (graph/influence.h, kol_seeding's strategy
 * greedy) against Kempe, Kleinberg & Tardos (2003)'s order of strategies on
 * ego-Facebook: greedy >= degree and pagerank >= random in expected spread,
 * under IC at p = 0.01 and 0.1 and under LT (uniform thresholds, weights
 * 1 / degree), for k = 10..50. Spreads are estimated by forward Monte Carlo
 * on live-edge graphs (KKT 2003, Thm 2.2 and 2.5), every strategy on the same
 * R live-edge graphs (common random numbers), so the paired difference has a
 * small standard error SE = sd / sqrt(R), printed with every row. A
 * comparison "a >= b" fails when a - b < -3 SE (a one-sided z-test at 0.13%:
 * the strategies' order would be wrong beyond noise).
 * The cascade each diffusion model maps to (bz_kol_cascade_of) is checked
 * against its closed form. Then IMM itself: its number of RR sets is its bound lambda* / LB and
 * grows as eps shrinks, the selection is bit-identical for 1 and 2 threads, the memory cap is
 * reported; and inside the buzz funnel on the demo society, a kol_seeding arm with strategy greedy
 * against the same arm with degree.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "campaigns/kol_seeding.h"
#include "config/experiment.h"
#include "engine/run.h"
#include "graph/influence.h"
#include "rng/rng.h"

#define KMAX 50
enum { S_GREEDY, S_DEGREE, S_PAGERANK, S_RANDOM, N_STRAT };

/* ego-Facebook with diffusion `diffusion` and one arm per strategy. */
static void load_fb(bz_experiment *x, bz_world *w, const char *diffusion)
{
    char yaml[8192];
    snprintf(yaml, sizeof yaml,
             "seed: 11\ntime: { step: 1d, horizon: 2d }\nreplicates: 1\n"
             "population: { cities: 1 }\n"
             "network: { layers: [ { name: fb, share: 0.1, generator: { model: edge_list, "
             "path: '%.4000s/tests/data/facebook_combined.txt.gz' } } ] }\n"
             "diffusion: %s\n"
             "arms:\n"
             "  greedy: [ { campaign: kol_seeding, count: %d, strategy: greedy, eps: 0.1 } ]\n"
             "  degree: [ { campaign: kol_seeding, count: %d, strategy: degree } ]\n"
             "  pagerank: [ { campaign: kol_seeding, count: %d, strategy: pagerank } ]\n"
             "  random: [ { campaign: kol_seeding, count: %d, strategy: random } ]\n",
             bz_test_source_dir(), diffusion, KMAX, KMAX, KMAX, KMAX);
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "imm.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    st = bz_world_build(w, x, BZ_RNG_SHARED_REPLICATE, &err);
    if (st != BZ_OK) fprintf(stderr, "world: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
}

/* Forward live-edge graph of one run (CSR, built into reused buffers). */
typedef struct live {
    uint32_t n;
    uint64_t *off, m, cap;
    uint32_t *src, *dst, *tgt;
} live;

static void live_add(live *g, uint32_t u, uint32_t v)
{
    if (g->m == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 1 << 16;
        g->src = realloc(g->src, g->cap * sizeof *g->src);
        g->dst = realloc(g->dst, g->cap * sizeof *g->dst);
        g->tgt = realloc(g->tgt, g->cap * sizeof *g->tgt);
        CU_ASSERT_FATAL(g->src && g->dst && g->tgt);
    }
    g->src[g->m] = u;
    g->dst[g->m++] = v;
}

static void live_finish(live *g)
{
    memset(g->off, 0, ((size_t)g->n + 2) * sizeof *g->off);
    for (uint64_t a = 0; a < g->m; a++)
        g->off[g->src[a] + 2]++;
    for (uint32_t v = 0; v < g->n; v++)
        g->off[v + 2] += g->off[v + 1];
    for (uint64_t a = 0; a < g->m; a++)
        g->tgt[g->off[g->src[a] + 1]++] = g->dst[a];
}

/* Run r's live edges: IC keeps each arc u -> v with p (stream (r, u));
 * LT (p < 0) gives each v one in-arc from a uniform neighbour. */
static void live_draw(live *g, const bz_layer *l, double p, uint32_t r)
{
    g->m = 0;
    if (p >= 0) {
        const double inv = 1.0 / log1p(-p);
        for (uint32_t u = 0; u < l->n; u++) {
            bz_stream s;
            bz_stream_init(&s, 99, r, 0, u, BZ_RNG_TEST);
            const uint64_t d = bz_layer_degree(l, u);
            for (uint64_t j = bz_stream_geometric_skip(&s, inv); j < d;
                 j += 1 + bz_stream_geometric_skip(&s, inv))
                live_add(g, u, l->targets[l->offsets[u] + j]);
        }
    } else {
        for (uint32_t v = 0; v < l->n; v++) {
            const uint64_t d = bz_layer_degree(l, v); /* undirected: in = out */
            if (d == 0) continue;
            bz_stream s;
            bz_stream_init(&s, 98, r, 0, v, BZ_RNG_TEST);
            live_add(g, l->targets[l->offsets[v] + bz_stream_below(&s, d)], v);
        }
    }
    live_finish(g);
}

/* Agents reachable from seeds[k] in g. */
static uint32_t reach(const live *g, const uint32_t *seeds, uint32_t k, uint32_t *stamp,
                      uint32_t epoch, uint32_t *queue)
{
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < k; i++)
        if (stamp[seeds[i]] != epoch) {
            stamp[seeds[i]] = epoch;
            queue[tail++] = seeds[i];
        }
    while (head < tail) {
        uint32_t u = queue[head++];
        for (uint64_t a = g->off[u]; a < g->off[u + 1]; a++)
            if (stamp[g->tgt[a]] != epoch) {
                stamp[g->tgt[a]] = epoch;
                queue[tail++] = g->tgt[a];
            }
    }
    return tail;
}

/* KKT's order on ego-Facebook for one diffusion (p >= 0: IC, p < 0: LT). */
static void kkt_order(const char *diffusion, double p, uint32_t runs)
{
    bz_experiment x;
    bz_world w;
    bz_error err;
    load_fb(&x, &w, diffusion);
    const bz_layer *l = &w.net.layers[0];
    const uint32_t n = l->n;
    CU_ASSERT_EQUAL_FATAL(n, 4039);
    uint32_t sel[N_STRAT][KMAX];
    double t0 = omp_get_wtime();
    bz_influence_result res;
    CU_ASSERT_EQUAL_FATAL(bz_kol_greedy(&x, &w.net, x.arms[S_GREEDY].campaigns[0].params, x.seed,
                                        sel[S_GREEDY], &res, &err),
                          BZ_OK);
    const double t_greedy = omp_get_wtime() - t0;
    for (int s = 1; s < N_STRAT; s++)
        CU_ASSERT_EQUAL_FATAL(bz_kol_select(&x, &w.net, &w.pop, x.arms[s].campaigns[0].params,
                                            x.seed, 0, 0, sel[s], &err),
                              BZ_OK);
    printf("\n%s: IMM eps 0.1 chose %d seeds in %.2f s from %llu RR sets (target %llu%s; "
           "sampling %llu, LB %.1f, RR estimate %.1f)\n",
           diffusion, KMAX, t_greedy, (unsigned long long)res.theta_used,
           (unsigned long long)res.theta_target, res.capped ? ", capped" : "",
           (unsigned long long)res.sampling_sets, res.lower_bound, res.est_spread);

    /* sums over runs of spread (by strategy, k) and of the two paired
     * differences */
    double sum[N_STRAT][5] = {{0}}, d1[5] = {0}, d1q[5] = {0}, d2[5] = {0}, d2q[5] = {0};
    live g = {.n = n};
    g.off = malloc(((size_t)n + 2) * sizeof *g.off);
    uint32_t *stamp = calloc(n, sizeof *stamp), *queue = malloc((size_t)n * sizeof *queue);
    CU_ASSERT_FATAL(g.off && stamp && queue);
    uint32_t epoch = 0;
    for (uint32_t r = 0; r < runs; r++) {
        live_draw(&g, l, p, r);
        for (int j = 0; j < 5; j++) {
            double v[N_STRAT];
            for (int s = 0; s < N_STRAT; s++) {
                v[s] = reach(&g, sel[s], 10u * (uint32_t)(j + 1), stamp, ++epoch, queue);
                sum[s][j] += v[s];
            }
            double a = v[S_GREEDY] - v[S_DEGREE], b = v[S_PAGERANK] - v[S_RANDOM];
            d1[j] += a;
            d1q[j] += a * a;
            d2[j] += b;
            d2q[j] += b * b;
        }
    }
    printf("  k   greedy    degree   pagerank  random   greedy-degree (SE)   pagerank-random "
           "(SE)   [%u runs]\n",
           runs);
    for (int j = 0; j < 5; j++) {
        const double m1 = d1[j] / runs, m2 = d2[j] / runs;
        const double se1 = sqrt(fmax(d1q[j] / runs - m1 * m1, 0) / (runs - 1));
        const double se2 = sqrt(fmax(d2q[j] / runs - m2 * m2, 0) / (runs - 1));
        printf("  %2d %8.1f %8.1f %8.1f %8.1f   %+8.2f (%.2f)   %+8.2f (%.2f)\n", 10 * (j + 1),
               sum[S_GREEDY][j] / runs, sum[S_DEGREE][j] / runs, sum[S_PAGERANK][j] / runs,
               sum[S_RANDOM][j] / runs, m1, se1, m2, se2);
        CU_ASSERT(m1 >= -3 * se1);
        CU_ASSERT(m2 >= -3 * se2);
    }
    free(g.off);
    free(g.src);
    free(g.dst);
    free(g.tgt);
    free(stamp);
    free(queue);
    bz_world_destroy(&w);
    bz_experiment_destroy(&x);
}

static void test_kkt_ic_001(void)
{
    kkt_order("{ model: independent_cascade, p: 0.01, seeds: 0 }", 0.01, 20000);
}

static void test_kkt_ic_01(void)
{
    kkt_order("{ model: independent_cascade, p: 0.1, seeds: 0 }", 0.1, 2000);
}

static void test_kkt_lt(void)
{
    kkt_order("{ model: linear_threshold, seeds: 0 }", -1, 10000);
}

/* IMM's number of sets is lambda* / LB (ell raised by 1 + log 2 / log n),
 * grows as eps shrinks (about as 1 / eps^2), is identical for 1 and 2
 * threads, and the cap is reported. */
static void test_imm_bound(void)
{
    bz_experiment x;
    bz_world w;
    bz_error err;
    load_fb(&x, &w, "{ model: independent_cascade, p: 0.01, seeds: 0 }");
    const bz_layer *l = &w.net.layers[0];
    const double p = 0.01;
    bz_influence_model m = {
        .kind = BZ_INFLUENCE_IC, .n_layers = 1, .layers = l, .p = &p, .relay = 1, .seed_layer = -1};
    const double eps[3] = {0.5, 0.3, 0.2};
    uint64_t theta[3];
    const uint32_t k = 20, n = l->n;
    for (int i = 0; i < 3; i++) {
        bz_imm_opts o = {.eps = eps[i], .ell = 1, .seed = 5};
        uint32_t s[20];
        bz_influence_result r;
        CU_ASSERT_EQUAL_FATAL(bz_influence_imm(&m, &o, k, s, &r, &err), BZ_OK);
        theta[i] = r.theta_target;
        const double ell = 1 * (1 + log(2.0) / log((double)n));
        CU_ASSERT_EQUAL(r.theta_target,
                        (uint64_t)bz_influence_imm_theta(n, k, eps[i], ell, r.lower_bound));
        CU_ASSERT_EQUAL(r.theta_used, r.theta_target);
        CU_ASSERT(!r.capped);
        CU_ASSERT(r.lower_bound > 1);
        /* LB is a lower bound of the spread of the greedy's own seeds */
        CU_ASSERT(r.lower_bound <= r.est_spread * 1.1);
        printf("\n  eps %.1f: theta %llu (sampling %llu sets, LB %.1f, estimate %.1f)", eps[i],
               (unsigned long long)r.theta_target, (unsigned long long)r.sampling_sets,
               r.lower_bound, r.est_spread);
    }
    CU_ASSERT(theta[1] > theta[0] && theta[2] > theta[1]);
    /* lambda* ~ 1 / eps^2; LB moves little between eps */
    CU_ASSERT(theta[2] > 0.5 * theta[0] * (0.5 * 0.5) / (0.2 * 0.2));

    /* 1 and 2 threads: the same seeds and the same counts */
    bz_imm_opts o = {.eps = 0.3, .ell = 1, .seed = 8};
    uint32_t s1[20], s2[20];
    bz_influence_result r1, r2;
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(bz_influence_imm(&m, &o, k, s1, &r1, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(bz_influence_imm(&m, &o, k, s2, &r2, &err), BZ_OK);
    CU_ASSERT(memcmp(s1, s2, sizeof s1) == 0);
    CU_ASSERT_EQUAL(r1.theta_used, r2.theta_used);
    CU_ASSERT_EQUAL(r1.entries, r2.entries);
    CU_ASSERT_EQUAL(r1.covered, r2.covered);
    /* LT too, through the campaign (weights 1 / degree) */
    bz_experiment xl;
    bz_world wl;
    load_fb(&xl, &wl, "{ model: linear_threshold, seeds: 0 }");
    uint32_t t1[KMAX], t2[KMAX];
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(
        bz_kol_greedy(&xl, &wl.net, xl.arms[0].campaigns[0].params, 3, t1, NULL, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(
        bz_kol_greedy(&xl, &wl.net, xl.arms[0].campaigns[0].params, 3, t2, NULL, &err), BZ_OK);
    CU_ASSERT(memcmp(t1, t2, sizeof t1) == 0);
    bz_world_destroy(&wl);
    bz_experiment_destroy(&xl);

    /* The cap: fewer sets than asked, and said so. */
    o.max_entries = 20000;
    CU_ASSERT_EQUAL_FATAL(bz_influence_imm(&m, &o, k, s1, &r1, &err), BZ_OK);
    CU_ASSERT(r1.capped);
    CU_ASSERT(r1.theta_used < r1.theta_target);
    CU_ASSERT(r1.entries >= 20000 && r1.entries < 20000 + n);
    /* Bad eps and ell */
    o = (bz_imm_opts){.eps = 1, .ell = 1, .seed = 1};
    CU_ASSERT_EQUAL(bz_influence_imm(&m, &o, k, s1, &r1, &err), BZ_EINVAL);
    o = (bz_imm_opts){.eps = 0.5, .ell = 0, .seed = 1};
    CU_ASSERT_EQUAL(bz_influence_imm(&m, &o, k, s1, &r1, &err), BZ_EINVAL);
    printf("\n");
    bz_world_destroy(&w);
    bz_experiment_destroy(&x);
}

/* Inside the buzz funnel on the demo society (configs/demo.yaml: 60,000
 * agents, weibo and wechat, flash sales): 50 KOLs on weibo chosen by greedy
 * (IMM on the funnel's equivalent probabilities, eps 0.1) against degree,
 * same campaign otherwise, 12 replicates sharing the network (common random
 * numbers). Tolerance: greedy's extra adopters must be at least degree's
 * minus 3 SE of the paired difference and minus 2% (the equivalent cascade
 * is an approximation of the funnel: docs/campaigns.md). */
static void test_funnel_demo(void)
{
    char path[4400];
    snprintf(path, sizeof path, "%.4096s/configs/demo.yaml", bz_test_source_dir());
    FILE *f = fopen(path, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char text[65536];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = 0;
    char *arms = strstr(text, "\narms:");
    CU_ASSERT_PTR_NOT_NULL_FATAL(arms);
    const char *fs = "    - { campaign: flash_sale, at: 7d, duration: 10m, stock: 4000, repeat: 7, "
                     "every: 7d, cost: 5000 }\n";
    const char *kol = "    - { campaign: kol_seeding, at: 1d, count: 50, strategy: %s, layer: "
                      "weibo, reach: 0.3, posts: 3, period: 6d, fee: 2000 }\n";
    char *p = arms;
    p += sprintf(p, "\nreplicates: 12\narms:\n  baseline:\n%s  degree:\n%s", fs, fs);
    p += sprintf(p, kol, "degree");
    p += sprintf(p, "  greedy:\n%s", fs);
    p += sprintf(p, kol, "greedy");
    /* demo.yaml's own replicates line comes first: drop it */
    char *rep = strstr(text, "\nreplicates:");
    CU_ASSERT_FATAL(rep && rep < arms);
    rep[1] = '#';
    bz_experiment x;
    bz_error err;
    int st = bz_experiment_load_string(&x, text, "demo.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    CU_ASSERT_EQUAL_FATAL(x.n_arms, 3);
    bz_results res;
    double t0 = omp_get_wtime();
    st = bz_run_experiment(&x, NULL, &res, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    const uint32_t R = x.replicates;
    double sd = 0, sg = 0, dd = 0, dq = 0;
    for (uint32_t r = 0; r < R; r++) {
        double b = res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS];
        double d = res.arms[1].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS] - b;
        double g = res.arms[2].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS] - b;
        sd += d;
        sg += g;
        dd += g - d;
        dq += (g - d) * (g - d);
    }
    const double md = dd / R, se = sqrt(fmax(dq / R - md * md, 0) / (R - 1));
    printf("\n  funnel, demo society (%.1f s): extra adopters degree %.0f, greedy %.0f, "
           "greedy - degree %+.1f (SE %.1f, %u replicates)\n",
           omp_get_wtime() - t0, sd / R, sg / R, md, se, R);
    CU_ASSERT(sg / R >= sd / R - 3 * se - 0.02 * (sd / R));
    CU_ASSERT(sg / R > 10 * 400); /* far above random KOLs (+400 in this set-up) */
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
}

/* The cascade of each diffusion model (bz_kol_cascade_of). */
static void test_cascade_of_models(void)
{
    static const char *const models[] = {"{ model: independent_cascade, p: 0.07 }",
                                         "{ model: linear_threshold }",
                                         "{ model: sir, beta: 0.3, gamma: 0.1 }",
                                         "{ model: buzz_funnel, recommenders: 255, novelty: 7d, "
                                         "interest: 0.05, forget: 0.05, buy: 0.3 "
                                         "}",
                                         "{ model: bass }"};
    for (int i = 0; i < 5; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "seed: 3\ntime: { step: 1d, horizon: 61d }\nreplicates: 1\n"
                 "population: { agents: 10, cities: 1 }\n"
                 "network: { layers: [ { name: a, directed: true, share: 0.01, generator: { "
                 "model: erdos_renyi, mean_degree: 2 } },\n"
                 "  { name: b, share: 0.05, generator: { model: erdos_renyi, mean_degree: 2 } } "
                 "] }\n"
                 "diffusion: %s\n"
                 "arms:\n  a: [ { campaign: kol_seeding, strategy: greedy, at: 1d, reach: 0.3, "
                 "posts: 3, layer: a } ]\n",
                 models[i]);
        bz_experiment x;
        bz_error err;
        int st = bz_experiment_load_string(&x, yaml, "kol.yaml", NULL, 0, &err);
        if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
        CU_ASSERT_FATAL(st == BZ_OK);
        bz_kol_cascade c;
        int rule = bz_kol_cascade_of(&x, x.arms[0].campaigns[0].params, &c);
        switch (i) {
        case 0:
            CU_ASSERT_EQUAL(rule, BZ_KOL_CASCADE_IC);
            CU_ASSERT_DOUBLE_EQUAL(c.p[0], 0.07, 1e-15);
            CU_ASSERT_DOUBLE_EQUAL(c.p[1], 0.07, 1e-15);
            break;
        case 1:
            CU_ASSERT_EQUAL(rule, BZ_KOL_CASCADE_LT);
            CU_ASSERT_EQUAL(c.kind, BZ_INFLUENCE_LT);
            break;
        case 2:
            CU_ASSERT_EQUAL(rule, BZ_KOL_CASCADE_SIR);
            CU_ASSERT_DOUBLE_EQUAL(c.p[1], 0.75, 1e-15);
            break;
        case 3: {
            /* recommenders 255 (no word of mouth persuades at these contact counts): aware at the
             * first contact, interested on its own with 1/2, buys with 0.3 / 0.35; life = 7 (1 -
             * e^-60/7) */
            CU_ASSERT_EQUAL(rule, BZ_KOL_CASCADE_FUNNEL);
            const double life = 7 * -expm1(-60.0 / 7), a = 0.5, b = 0.3 / 0.35;
            CU_ASSERT_DOUBLE_EQUAL(c.p[0], a * -expm1(-0.01 * life) * b, 1e-12);
            CU_ASSERT_DOUBLE_EQUAL(c.p[1], a * -expm1(-0.05 * life) * b, 1e-12);
            CU_ASSERT_DOUBLE_EQUAL(c.relay, 0.95 * 0.3, 1e-12); /* defaults */
            CU_ASSERT_EQUAL(c.seed_layer, 0);
            CU_ASSERT_DOUBLE_EQUAL(c.seed_p, (1 - pow(1 - 0.3 * 0.3, 3)) * a * b, 1e-12);
            break;
        }
        default:
            CU_ASSERT_EQUAL(rule, BZ_KOL_CASCADE_SHARE);
            CU_ASSERT_DOUBLE_EQUAL(c.p[1], -expm1(-0.05 * 7), 1e-12);
        }
        bz_experiment_destroy(&x);
    }
}

int main(void)
{
    static CU_TestInfo tests[] = {{"cascade of each model", test_cascade_of_models},
                                  {"IMM: bound, threads, cap", test_imm_bound},
                                  {"KKT order, IC p = 0.01", test_kkt_ic_001},
                                  {"KKT order, IC p = 0.1", test_kkt_ic_01},
                                  {"KKT order, LT", test_kkt_lt},
                                  {"funnel: greedy >= degree on the demo", test_funnel_demo},
                                  CU_TEST_INFO_NULL};
    return bz_test_main("imm", tests);
}

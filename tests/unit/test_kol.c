/* kol_seeding: every selection strategy on small networks whose answer is
 * known by construction, the RR-set greedy engine (graph/influence.h) against
 * exact answers and a Monte Carlo cascade, its determinism over thread counts
 * and entry caps, and repeated posts through the runner (exposure times and
 * cost). */
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

/* ---- building small layers ---------------------------------------------- */

typedef struct edges {
    uint32_t *u, *v;
    size_t m, cap;
} edges;

static void add(edges *e, uint32_t u, uint32_t v)
{
    if (e->m == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 64;
        e->u = realloc(e->u, e->cap * sizeof *e->u);
        e->v = realloc(e->v, e->cap * sizeof *e->v);
        CU_ASSERT_FATAL(e->u && e->v);
    }
    e->u[e->m] = u;
    e->v[e->m++] = v;
}

static void clique(edges *e, uint32_t lo, uint32_t hi) /* agents lo..hi-1 */
{
    for (uint32_t a = lo; a < hi; a++)
        for (uint32_t b = a + 1; b < hi; b++)
            add(e, a, b);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* CSR layer as graph.h describes it: rows sorted, self-loops and duplicates
 * dropped, both directions stored when undirected. Frees the edge list. */
static void make_layer(bz_layer *l, uint32_t n, int directed, edges *e)
{
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "net");
    l->n = n;
    l->directed = directed;
    uint64_t *off = calloc((size_t)n + 2, sizeof *off);
    uint32_t *tgt = malloc((2 * e->m + 1) * sizeof *tgt);
    CU_ASSERT_FATAL(off && tgt);
    for (size_t i = 0; i < e->m; i++) {
        off[e->u[i] + 2]++;
        if (!directed) off[e->v[i] + 2]++;
    }
    for (uint32_t v = 0; v < n; v++)
        off[v + 2] += off[v + 1];
    for (size_t i = 0; i < e->m; i++) {
        tgt[off[e->u[i] + 1]++] = e->v[i];
        if (!directed) tgt[off[e->v[i] + 1]++] = e->u[i];
    }
    uint64_t k = 0, start = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t end = off[u + 1];
        qsort(tgt + start, end - start, sizeof *tgt, cmp_u32);
        off[u] = k;
        for (uint64_t a = start; a < end; a++)
            if (tgt[a] != u && (a == start || tgt[a] != tgt[a - 1])) tgt[k++] = tgt[a];
        start = end;
    }
    off[n] = k;
    l->offsets = off;
    l->targets = tgt;
    l->m = k;
    if (directed) {
        l->in_degree = calloc(n, sizeof *l->in_degree);
        CU_ASSERT_FATAL(l->in_degree != NULL);
        for (uint64_t a = 0; a < k; a++)
            l->in_degree[tgt[a]]++;
    }
    free(e->u);
    free(e->v);
    memset(e, 0, sizeof *e);
}

/* Random graph: each agent u gets `out` arcs u -> v to uniform agents v
 * (self-loops and repeats dropped). */
static void random_layer(bz_layer *l, uint32_t n, int directed, uint32_t out, uint64_t seed)
{
    edges e = {0};
    for (uint32_t u = 0; u < n; u++) {
        bz_stream s;
        bz_stream_init(&s, seed, 0, 0, u, BZ_RNG_TEST);
        for (uint32_t j = 0; j < out; j++)
            add(&e, u, (uint32_t)bz_stream_below(&s, n));
    }
    make_layer(l, n, directed, &e);
}

/* ---- selection through the campaign's parameters ------------------------ */

/* An experiment with one layer "net" of n agents (never built: the test
 * supplies the layer) and one arm with one kol_seeding campaign. */
static void load_x(bz_experiment *x, uint32_t n, int directed, const char *cities,
                   const char *campaign)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "seed: 3\ntime: { step: 1d, horizon: 2d }\nreplicates: 1\n"
             "population: { agents: %u, cities: %s }\n"
             "network: { layers: [ { name: net, directed: %s, share: 0.1,\n"
             "  generator: { model: erdos_renyi, mean_degree: 2 } } ] }\n"
             "diffusion: { model: bass }\n"
             "arms:\n  a: [ { campaign: kol_seeding, %s } ]\n",
             n, cities, directed ? "true" : "false", campaign);
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "kol.yaml", NULL, 0, &err);
    if (st != BZ_OK) fprintf(stderr, "config: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
}

/* Select with the campaign of load_x on layer l (consumed). Returns the
 * status; out gets count agents. */
static int select_on(bz_layer *l, const char *cities, const char *campaign, uint32_t replicate,
                     uint32_t *out, bz_population *pop_out)
{
    bz_experiment x;
    bz_population pop;
    bz_population_spec spec;
    bz_error err;
    load_x(&x, l->n, l->directed, cities, campaign);
    bz_experiment_population_spec(&x, &spec);
    CU_ASSERT_FATAL(bz_population_build(&pop, l->n, &spec, x.seed, &err) == BZ_OK);
    bz_network net = {.n = l->n, .n_layers = 1, .layers = l};
    int st = bz_kol_select(&x, &net, &pop, x.arms[0].campaigns[0].params, x.seed, replicate, 0, out,
                           &err);
    if (st != BZ_OK) fprintf(stderr, "select: %s\n", err.msg);
    if (pop_out)
        *pop_out = pop;
    else
        bz_population_destroy(&pop);
    bz_experiment_destroy(&x);
    return st;
}

static int contains(const uint32_t *a, uint32_t k, uint32_t v)
{
    for (uint32_t i = 0; i < k; i++)
        if (a[i] == v) return 1;
    return 0;
}

/* Two stars: centre 0 with leaves 1..10, centre 11 with leaves 12..16, and
 * isolated 17..19. */
static void two_stars(bz_layer *l)
{
    edges e = {0};
    for (uint32_t i = 1; i <= 10; i++)
        add(&e, 0, i);
    for (uint32_t i = 12; i <= 16; i++)
        add(&e, 11, i);
    make_layer(l, 20, 0, &e);
}

static void test_degree_picks_star_centres(void)
{
    bz_layer l;
    uint32_t out[2];
    two_stars(&l);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 2, strategy: degree", 0, out, NULL), BZ_OK);
    CU_ASSERT_EQUAL(out[0], 0);
    CU_ASSERT_EQUAL(out[1], 11);
    bz_layer_destroy(&l);
}

/* Follower graph (u -> v: v follows u): 1..5 follow 0, and 0 follows 6.
 * Rank flows along "follows": the leaves give theirs to 0, and 0 gives all
 * of its rank to 6, so with r = rank of a leaf, r0 = r (1 + 5d) and
 * r6 = r + d r0 > r0. Degree picks 0 (five followers), PageRank picks 6. */
static void test_pagerank_picks_the_followed_of_the_followed(void)
{
    bz_layer l;
    uint32_t out[2];
    edges e = {0};
    for (uint32_t i = 1; i <= 5; i++)
        add(&e, 0, i);
    add(&e, 6, 0);
    make_layer(&l, 7, 1, &e);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 2, strategy: pagerank", 0, out, NULL), BZ_OK);
    CU_ASSERT_EQUAL(out[0], 6);
    CU_ASSERT_EQUAL(out[1], 0);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 1, strategy: degree", 0, out, NULL), BZ_OK);
    CU_ASSERT_EQUAL(out[0], 0);
    bz_layer_destroy(&l);
}

/* A 6-clique (0..5, core 5) attached by 5-6 to a path 6..29 (core 1) and a
 * star hub 30 with 20 leaves 31..50 (degree 20, core 1). */
static void test_kcore_picks_the_clique(void)
{
    bz_layer l;
    uint32_t out[6];
    edges e = {0};
    clique(&e, 0, 6);
    for (uint32_t i = 5; i < 29; i++)
        add(&e, i, i + 1);
    for (uint32_t i = 31; i <= 50; i++)
        add(&e, 30, i);
    make_layer(&l, 51, 0, &e);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 6, strategy: kcore", 0, out, NULL), BZ_OK);
    for (uint32_t v = 0; v < 6; v++)
        CU_ASSERT(contains(out, 6, v));
    CU_ASSERT_EQUAL(out[0], 5); /* same core, one more tie (the path) */
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 1, strategy: degree", 0, out, NULL), BZ_OK);
    CU_ASSERT_EQUAL(out[0], 30);
    bz_layer_destroy(&l);
}

/* Barbell: cliques 0..5 and 7..12 joined through agent 6 (5-6, 6-7). All 36
 * cross pairs pass 6; 5 lies only on the 5 x 7 = 35 pairs from 0..4 to
 * 6..12. 64 samples >= 13 agents: exact betweenness. */
static void test_bridges_picks_the_barbell_bridge(void)
{
    bz_layer l;
    uint32_t out[3];
    edges e = {0};
    clique(&e, 0, 6);
    clique(&e, 7, 13);
    add(&e, 5, 6);
    add(&e, 6, 7);
    make_layer(&l, 13, 0, &e);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 3, strategy: bridges", 0, out, NULL), BZ_OK);
    CU_ASSERT_EQUAL(out[0], 6);
    CU_ASSERT_EQUAL(out[1], 5);
    CU_ASSERT_EQUAL(out[2], 7);
    bz_layer_destroy(&l);
}

/* Best of the members of city c by (degree, lower id), skipping `skip`. */
static uint32_t best_in_city(const bz_layer *l, const bz_population *pop, uint32_t c, uint32_t skip)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t v = 0; v < pop->n; v++) {
        if (pop->city[v] != c || v == skip) continue;
        if (best == UINT32_MAX || bz_layer_degree(l, v) > bz_layer_degree(l, best)) best = v;
    }
    return best;
}

/* City table in unsorted order: a (share 1), b (3), c (2) of 63 agents:
 * sizes 11, 31, 21 (one each, the rest by share), so the largest-first order
 * is b, c, a. */
static void test_community_spread_largest_city_first(void)
{
    bz_layer l;
    bz_population pop;
    uint32_t out[6];
    const char *cities = "[ { name: a, share: 1 }, { name: b, share: 3 }, { name: c, share: 2 } ]";
    random_layer(&l, 63, 0, 3, 77);
    CU_ASSERT_EQUAL(select_on(&l, cities, "count: 6, strategy: community_spread", 0, out, &pop),
                    BZ_OK);
    CU_ASSERT_EQUAL(pop.city_offsets[1] - pop.city_offsets[0], 11);
    CU_ASSERT_EQUAL(pop.city_offsets[2] - pop.city_offsets[1], 31);
    const uint32_t order[3] = {1, 2, 0};
    for (int i = 0; i < 3; i++) {
        uint32_t c = order[i], first = best_in_city(&l, &pop, c, UINT32_MAX);
        CU_ASSERT_EQUAL(out[i], first);
        CU_ASSERT_EQUAL(out[3 + i], best_in_city(&l, &pop, c, first));
        CU_ASSERT_EQUAL(pop.city[out[i]], c);
    }
    bz_population_destroy(&pop);
    bz_layer_destroy(&l);
}

static void test_random_distinct(void)
{
    bz_layer l;
    uint32_t a[25], b[25];
    random_layer(&l, 30, 0, 2, 5);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 25, strategy: random", 0, a, NULL), BZ_OK);
    CU_ASSERT_EQUAL(select_on(&l, "1", "count: 25, strategy: random", 1, b, NULL), BZ_OK);
    int differ = 0;
    for (int i = 0; i < 25; i++) {
        CU_ASSERT(a[i] < 30);
        for (int j = 0; j < i; j++)
            CU_ASSERT(a[i] != a[j]);
        differ |= a[i] != b[i];
    }
    CU_ASSERT(differ); /* replicates draw their own KOLs */
    /* More KOLs than agents: refused when the experiment is loaded. */
    bz_experiment x;
    bz_error err;
    const char *yaml = "seed: 1\ntime: { step: 1d, horizon: 2d }\nreplicates: 1\n"
                       "population: { agents: 30 }\n"
                       "network: { layers: [ { name: net, generator: { model: well_mixed } } ] }\n"
                       "diffusion: { model: bass }\n"
                       "arms:\n  a: [ { campaign: kol_seeding, count: 31, strategy: random } ]\n";
    CU_ASSERT_EQUAL(bz_experiment_load_string(&x, yaml, "k.yaml", NULL, 0, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "count") != NULL);
    bz_layer_destroy(&l);
}

/* ---- greedy --------------------------------------------------------------- */

/* Disjoint stars of 50 and 30 agents; centres 49 and 79 (the highest ids of
 * their stars, so ties cannot pick them by accident). */
static void stars_50_30(bz_layer *l, int directed)
{
    edges e = {0};
    for (uint32_t i = 0; i < 49; i++)
        add(&e, 49, i);
    for (uint32_t i = 50; i < 79; i++)
        add(&e, 79, i);
    make_layer(l, 80, directed, &e);
}

static void test_greedy_two_stars(void)
{
    bz_layer l;
    uint32_t s[2];
    double est;
    bz_error err;
    /* Directed (leaves follow the centre), p = 1: a centre reaches its whole
     * star, a leaf only itself; both centres cover every RR set. */
    stars_50_30(&l, 1);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.0, 20000, 9, 2, s, &est, &err), BZ_OK);
    CU_ASSERT_EQUAL(s[0], 49);
    CU_ASSERT_EQUAL(s[1], 79);
    CU_ASSERT_DOUBLE_EQUAL(est, 80.0, 1e-9);
    /* One seed: spread 50 of 80, RR estimate within 4 standard errors. */
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.0, 20000, 9, 1, s, &est, &err), BZ_OK);
    CU_ASSERT_EQUAL(s[0], 49);
    CU_ASSERT(fabs(est - 50.0) < 4 * 80 * sqrt(50.0 / 80 * 30 / 80 / 20000));
    bz_layer_destroy(&l);
    /* Undirected, p = 1: any agent covers its component; one seed in each,
     * the larger first. */
    stars_50_30(&l, 0);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.0, 20000, 9, 2, s, &est, &err), BZ_OK);
    CU_ASSERT(s[0] < 50);
    CU_ASSERT(s[1] >= 50);
    CU_ASSERT_DOUBLE_EQUAL(est, 80.0, 1e-9);
    bz_layer_destroy(&l);
}

/* Implicit complete layer (no stored arcs): with p = 1 every RR set holds
 * every agent, so any one seed reaches all 50 and greedy takes agent 0 (all
 * tie); with p = 0 a set is its root, so one seed reaches only itself. */
static void test_greedy_complete_layer(void)
{
    bz_layer l;
    bz_error err;
    uint32_t s[3];
    double est;
    memset(&l, 0, sizeof l);
    l.n = 50;
    l.complete = 1;
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.0, 1000, 3, 3, s, &est, &err), BZ_OK);
    CU_ASSERT_EQUAL(s[0], 0);
    CU_ASSERT_EQUAL(s[1], 1);
    CU_ASSERT_EQUAL(s[2], 2);
    CU_ASSERT_DOUBLE_EQUAL(est, 50.0, 1e-9);
    uint32_t one = 3;
    bz_influence_opts o = {.theta = 20000, .seed = 4};
    bz_influence_result r;
    CU_ASSERT_EQUAL(bz_influence_estimate(&l, 0.0, &o, &one, 1, &r, &err), BZ_OK);
    CU_ASSERT_EQUAL(r.entries, r.theta_used); /* roots only */
    CU_ASSERT(fabs(r.est_spread - 1.0) < 4 * 50 * sqrt(0.02 * 0.98 / 20000));
}

/* Hubs 0 and 1 are followed by the same 40 agents 3..42; hub 2 by 30 others
 * 43..72. Degree picks 0 and 1; greedy picks a shared hub and 2, for p = 1
 * (gains 41, then 31 against 1) and p = 0.5 (21, then 16 against
 * 32 - 21 = 11), through the campaign's parameters. */
static void test_greedy_avoids_overlapping_audiences(void)
{
    static const char *const cfg[] = {"count: 2, strategy: greedy, ic_prob: 1, rr_sets: 20000",
                                      "count: 2, strategy: greedy, ic_prob: 0.5, rr_sets: 50000"};
    for (int pass = 0; pass < 3; pass++) {
        bz_layer l;
        uint32_t out[2];
        edges e = {0};
        for (uint32_t i = 3; i < 43; i++) {
            add(&e, 0, i);
            add(&e, 1, i);
        }
        for (uint32_t i = 43; i < 73; i++)
            add(&e, 2, i);
        make_layer(&l, 73, 1, &e);
        const char *c = pass < 2 ? cfg[pass] : "count: 2, strategy: degree";
        CU_ASSERT_EQUAL(select_on(&l, "1", c, 0, out, NULL), BZ_OK);
        if (pass < 2) {
            CU_ASSERT(out[0] == 0 || out[0] == 1);
            CU_ASSERT_EQUAL(out[1], 2);
        } else {
            CU_ASSERT_EQUAL(out[0], 0);
            CU_ASSERT_EQUAL(out[1], 1);
        }
        bz_layer_destroy(&l);
    }
}

/* The cascade probability: ic_prob if set, else 1 - exp(-share ic_days)
 * from the layer's share (0.1 per day in load_x). */
static void test_ic_prob_from_share(void)
{
    static const struct {
        const char *cfg;
        double want;
    } cases[] = {{"strategy: greedy", 0.5034146962085905}, /* 1 - e^-0.7 */
                 {"strategy: greedy, ic_days: 2", 0.18126924692201818},
                 {"strategy: greedy, ic_prob: 0.3", 0.3}};
    for (int i = 0; i < 3; i++) {
        bz_experiment x;
        load_x(&x, 10, 1, "1", cases[i].cfg);
        CU_ASSERT_DOUBLE_EQUAL(bz_kol_ic_prob(&x, 0, x.arms[0].campaigns[0].params), cases[i].want,
                               1e-12);
        bz_experiment_destroy(&x);
    }
}

/* RR estimate of spread({0}) of model m with its standard error bound
 * (4 SE of a proportion). */
static void check_spread0(bz_influence_model *m, double want)
{
    bz_error err;
    uint32_t zero = 0;
    bz_influence_opts o = {.theta = 200000, .seed = 21};
    bz_influence_result r;
    CU_ASSERT_EQUAL_FATAL(bz_influence_estimate_model(m, &o, &zero, 1, &r, &err), BZ_OK);
    const double n = m->layers[0].n, q = want / n;
    CU_ASSERT(fabs(r.est_spread - want) <= 4 * n * sqrt(q * (1 - q) / 200000) + 1e-9);
}

/* LT RR sets (reverse walks), the relay coin and the seeds' extra arcs on
 * chains whose spreads are known: LT on 0 -> 1 -> 2 -> 3 reaches all 4; LT
 * with 2 following 0 and 1 reaches 2 with 1/2 (1.5); IC p = 1 with relay
 * 0.5 on 0 -> 1 -> 2: 1 + 1 + 0.5; p = 0 with seed arcs of probability 1:
 * the seed and its follower (2). */
static void test_lt_relay_seed_arcs(void)
{
    bz_layer l;
    edges e = {0};
    add(&e, 0, 1);
    add(&e, 1, 2);
    add(&e, 2, 3);
    make_layer(&l, 4, 1, &e);
    double one = 1, zero = 0;
    bz_influence_model m = {.kind = BZ_INFLUENCE_LT,
                            .n_layers = 1,
                            .layers = &l,
                            .p = &one,
                            .relay = 1,
                            .seed_layer = -1};
    check_spread0(&m, 4);
    /* LT on a chain is exact: every RR set from root v is {v, ..., 0} */
    bz_error err;
    uint32_t s0 = 0;
    bz_influence_opts o = {.theta = 1000, .seed = 2};
    bz_influence_result r;
    CU_ASSERT_EQUAL(bz_influence_estimate_model(&m, &o, &s0, 1, &r, &err), BZ_OK);
    CU_ASSERT_DOUBLE_EQUAL(r.est_spread, 4.0, 1e-12);
    bz_layer_destroy(&l);

    add(&e, 0, 2);
    add(&e, 1, 2);
    make_layer(&l, 3, 1, &e);
    check_spread0(&m, 1.5);
    bz_layer_destroy(&l);

    add(&e, 0, 1);
    add(&e, 1, 2);
    make_layer(&l, 3, 1, &e);
    m = (bz_influence_model){.kind = BZ_INFLUENCE_IC,
                             .n_layers = 1,
                             .layers = &l,
                             .p = &one,
                             .relay = 0.5,
                             .seed_layer = -1};
    check_spread0(&m, 2.5);
    m.p = &zero;
    m.relay = 1;
    m.seed_layer = 0;
    m.seed_p = 1;
    check_spread0(&m, 2);
    /* IMM on it: agent 0 (reaches 1) beats the rest */
    bz_imm_opts io = {.eps = 0.5, .ell = 1, .seed = 3};
    uint32_t best;
    CU_ASSERT_EQUAL(bz_influence_imm(&m, &io, 1, &best, &r, &err), BZ_OK);
    CU_ASSERT(best == 0 || best == 1); /* both reach 2 agents */
    bz_layer_destroy(&l);
}

/* Mean spread of seeds by direct IC simulation (independent of the RR code),
 * with its standard error. */
static double mc_spread(const bz_layer *l, double p, const uint32_t *seeds, uint32_t k,
                        uint32_t runs, double *se)
{
    uint32_t *mark = calloc(l->n, sizeof *mark), *queue = malloc(l->n * sizeof *queue);
    CU_ASSERT_FATAL(mark && queue);
    double sum = 0, sum2 = 0;
    for (uint32_t r = 1; r <= runs; r++) {
        bz_stream s;
        bz_stream_init(&s, 99, 0, 1, r, BZ_RNG_TEST);
        uint32_t head = 0, tail = 0;
        for (uint32_t i = 0; i < k; i++)
            if (mark[seeds[i]] != r) {
                mark[seeds[i]] = r;
                queue[tail++] = seeds[i];
            }
        while (head < tail) {
            uint32_t u = queue[head++];
            for (uint64_t a = l->offsets[u]; a < l->offsets[u + 1]; a++) {
                uint32_t v = l->targets[a];
                if (bz_stream_uniform(&s) < p && mark[v] != r) {
                    mark[v] = r;
                    queue[tail++] = v;
                }
            }
        }
        sum += tail;
        sum2 += (double)tail * tail;
    }
    free(mark);
    free(queue);
    double mean = sum / runs;
    *se = sqrt((sum2 / runs - mean * mean) / runs);
    return mean;
}

/* RR estimate of the greedy seeds (fresh, independent sets) against 20000
 * simulated cascades on a random follower graph (400 agents, 4 arcs each,
 * p = 0.2): they must agree within 4 combined standard errors, a tolerance
 * of under 5% of the spread. */
static void test_rr_estimate_matches_monte_carlo(void)
{
    bz_layer l;
    bz_error err;
    uint32_t s[5];
    const double p = 0.2;
    random_layer(&l, 400, 1, 4, 31);
    CU_ASSERT_EQUAL_FATAL(bz_influence_greedy(&l, p, 100000, 1, 5, s, NULL, &err), BZ_OK);
    bz_influence_opts o = {.theta = 200000, .seed = 2};
    bz_influence_result r;
    CU_ASSERT_EQUAL_FATAL(bz_influence_estimate(&l, p, &o, s, 5, &r, &err), BZ_OK);
    CU_ASSERT_EQUAL(r.theta_used, 200000);
    double se_mc, mc = mc_spread(&l, p, s, 5, 20000, &se_mc);
    double f = r.est_spread / l.n, se_rr = l.n * sqrt(f * (1 - f) / r.theta_used);
    double tol = 4 * sqrt(se_mc * se_mc + se_rr * se_rr);
    CU_ASSERT(mc > 10); /* a real cascade, not just the seeds */
    CU_ASSERT(tol < 0.05 * mc);
    CU_ASSERT(fabs(r.est_spread - mc) < tol);
    /* A single agent too (the sets' unbiasedness, not only the chosen set). */
    uint32_t one = 7;
    CU_ASSERT_EQUAL_FATAL(bz_influence_estimate(&l, p, &o, &one, 1, &r, &err), BZ_OK);
    mc = mc_spread(&l, p, &one, 1, 20000, &se_mc);
    f = r.est_spread / l.n;
    se_rr = l.n * sqrt(f * (1 - f) / r.theta_used);
    CU_ASSERT(fabs(r.est_spread - mc) < 4 * sqrt(se_mc * se_mc + se_rr * se_rr));
    bz_layer_destroy(&l);
}

/* Same seeds and estimates for 1 and 2 threads, over several waves of sets;
 * sets are a prefix property of the stream: a larger theta capped at the
 * entries of a smaller run uses exactly the smaller run's sets. */
static void test_greedy_deterministic(void)
{
    bz_layer l;
    bz_error err;
    random_layer(&l, 2000, 1, 5, 4);
    const int saved = omp_get_max_threads();
    uint32_t s1[10], s2[10], s3[10];
    bz_influence_result r1, r2, r3;
    bz_influence_opts o = {.theta = 40001, .seed = 17};
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL(bz_influence_greedy_ex(&l, 0.15, &o, 10, s1, &r1, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL(bz_influence_greedy_ex(&l, 0.15, &o, 10, s2, &r2, &err), BZ_OK);
    CU_ASSERT(memcmp(s1, s2, sizeof s1) == 0);
    CU_ASSERT_EQUAL(r1.theta_used, 40001);
    CU_ASSERT_EQUAL(r1.entries, r2.entries);
    CU_ASSERT_EQUAL(r1.covered, r2.covered);
    CU_ASSERT(r1.est_spread == r2.est_spread);
    CU_ASSERT(r1.entries > r1.theta_used); /* sets beyond their roots */
    /* Capped: 60000 sets asked, cap at the 40001 sets' entries. */
    bz_influence_opts c = {.theta = 60000, .seed = 17, .max_entries = r1.entries};
    CU_ASSERT_EQUAL(bz_influence_greedy_ex(&l, 0.15, &c, 10, s3, &r3, &err), BZ_OK);
    CU_ASSERT_EQUAL(r3.theta_used, 40001);
    CU_ASSERT_EQUAL(r3.entries, r1.entries);
    CU_ASSERT(memcmp(s1, s3, sizeof s1) == 0);
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL(bz_influence_greedy_ex(&l, 0.15, &c, 10, s3, &r3, &err), BZ_OK);
    CU_ASSERT_EQUAL(r3.theta_used, 40001);
    /* A different key draws different sets. */
    o.seed = 18;
    CU_ASSERT_EQUAL(bz_influence_greedy_ex(&l, 0.15, &o, 10, s3, &r3, &err), BZ_OK);
    CU_ASSERT(r3.entries != r1.entries);
    omp_set_num_threads(saved);
    bz_layer_destroy(&l);
}

static void test_influence_errors(void)
{
    bz_layer l;
    bz_error err;
    uint32_t s[81];
    double est;
    stars_50_30(&l, 1);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.5, 100, 1, 1, s, &est, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "must be in [0, 1]") != NULL);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 0.5, 0, 1, 1, s, &est, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "theta") != NULL);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 0.5, 100, 1, 0, s, &est, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 0.5, 100, 1, 81, s, &est, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "k must be") != NULL);
    uint32_t bad = 80;
    bz_influence_opts o = {.theta = 10, .seed = 1};
    bz_influence_result r;
    CU_ASSERT_EQUAL(bz_influence_estimate(&l, 0.5, &o, &bad, 1, &r, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "80") != NULL);
    /* k = n: every agent, once each (all sets covered, then lowest ids). */
    CU_ASSERT_EQUAL(bz_influence_greedy(&l, 1.0, 100, 1, 80, s, &est, &err), BZ_OK);
    uint8_t seen[80] = {0};
    for (int i = 0; i < 80; i++) {
        CU_ASSERT(s[i] < 80 && !seen[s[i]]);
        if (s[i] < 80) seen[s[i]] = 1;
    }
    bz_layer_destroy(&l);
    /* A share of 0 with ic_prob 0 cannot cascade: refused when loading. */
    bz_experiment x;
    const char *yaml = "seed: 1\ntime: { step: 1d, horizon: 2d }\nreplicates: 1\n"
                       "population: { agents: 50 }\n"
                       "network: { layers: [ { name: net, share: 0,\n"
                       "  generator: { model: well_mixed } } ] }\n"
                       "diffusion: { model: bass }\n"
                       "arms:\n  a: [ { campaign: kol_seeding, count: 2, strategy: greedy } ]\n";
    CU_ASSERT_EQUAL(bz_experiment_load_string(&x, yaml, "k.yaml", NULL, 0, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "ic_prob") != NULL);
}

/* ---- posts through the runner --------------------------------------------- */

/* 3 posts over 2 days from day 1 with 12-hour steps: posts at 1d, 2d, 3d,
 * in steps 2, 4, 6 (series indices 3, 5, 7, as index t + 1 holds step t).
 * KOL exposures happen in exactly those steps; cost = fee * count +
 * fee_per_follower * all KOL exposures. One post keeps the old behaviour:
 * its exposures equal the first post's. */
static void test_posts_over_a_period(void)
{
    const char *yaml =
        "seed: 21\ntime: { step: 12h, horizon: 4d }\nreplicates: 2\n"
        "population: { agents: 300 }\n"
        "network: { layers: [ { name: all, share: 0.01, generator: { model: well_mixed } } ] }\n"
        "diffusion: { model: bass, p: 0.001, q: 0.01 }\n"
        "arms:\n"
        "  three: [ { campaign: kol_seeding, at: 1d, count: 4, strategy: random, reach: 0.05,\n"
        "             posts: 3, period: 2d, fee: 100, fee_per_follower: 0.5 } ]\n"
        "  one: [ { campaign: kol_seeding, at: 1d, count: 4, strategy: random, reach: 0.05,\n"
        "           fee: 100, fee_per_follower: 0.5 } ]\n";
    bz_experiment x;
    bz_results r;
    bz_error err;
    CU_ASSERT_FATAL(bz_experiment_load_string(&x, yaml, "posts.yaml", NULL, 0, &err) == BZ_OK);
    memset(&r, 0, sizeof r);
    int st = bz_run_experiment(&x, NULL, &r, &err);
    if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
    CU_ASSERT_FATAL(st == BZ_OK);
    for (uint32_t rep = 0; rep < r.R; rep++) {
        const int64_t *e3 =
            bz_series_row(r.arms[0].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_KOL, rep);
        const int64_t *e1 =
            bz_series_row(r.arms[1].series[BZ_SER_EXPOSURES], r.R, r.T, BZ_CH_KOL, rep);
        int64_t total = 0;
        int nonzero = 0;
        for (uint32_t t = 0; t < r.T; t++) {
            int post = t == 3 || t == 5 || t == 7;
            CU_ASSERT_EQUAL(e3[t] > 0, post);
            nonzero += e3[t] > 0;
            total += e3[t];
            CU_ASSERT_EQUAL(e1[t] > 0, t == 3);
        }
        CU_ASSERT_EQUAL(nonzero, 3);
        CU_ASSERT_EQUAL(e1[3], e3[3]); /* the first post is the one post */
        CU_ASSERT_DOUBLE_EQUAL(r.arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST],
                               100.0 * 4 + 0.5 * (double)total, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(r.arms[1].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST],
                               100.0 * 4 + 0.5 * (double)e1[3], 1e-9);
    }
    bz_results_destroy(&r);
    bz_experiment_destroy(&x);
}

/* Greedy end to end: the campaign chooses on a generated follower graph at
 * start, its KOLs post, and the whole run is the same for 1 and 2 threads. */
static void test_greedy_through_the_runner(void)
{
    const char *yaml =
        "seed: 8\ntime: { step: 1d, horizon: 5d }\nreplicates: 2\n"
        "population: { agents: 2000 }\n"
        "network: { layers: [ { name: f, directed: true, share: 0.02,\n"
        "  generator: { model: erdos_renyi, mean_degree: 5 } } ] }\n"
        "diffusion: { model: bass, p: 0.001, q: 0.2 }\n"
        "arms:\n  g: [ { campaign: kol_seeding, count: 10, strategy: greedy, rr_sets: 5000,\n"
        "               reach: 0.5, fee: 10, fee_per_follower: 1 } ]\n";
    const int saved = omp_get_max_threads();
    bz_results r[2];
    bz_experiment x;
    bz_error err;
    CU_ASSERT_FATAL(bz_experiment_load_string(&x, yaml, "g.yaml", NULL, 0, &err) == BZ_OK);
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        memset(&r[t], 0, sizeof r[t]);
        int st = bz_run_experiment(&x, NULL, &r[t], &err);
        if (st != BZ_OK) fprintf(stderr, "run: %s\n", err.msg);
        CU_ASSERT_FATAL(st == BZ_OK);
    }
    omp_set_num_threads(saved);
    const size_t cells = (size_t)r[0].R * r[0].T;
    for (uint32_t rep = 0; rep < r[0].R; rep++) {
        const int64_t *e =
            bz_series_row(r[0].arms[0].series[BZ_SER_EXPOSURES], r[0].R, r[0].T, BZ_CH_KOL, rep);
        CU_ASSERT(e[1] > 0); /* the launch post at day 0 reached followers */
        CU_ASSERT_DOUBLE_EQUAL(r[0].arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST],
                               100.0 + (double)e[1], 1e-9);
        CU_ASSERT(r[0].arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST] ==
                  r[1].arms[0].outcomes[rep].v[BZ_OUT_CAMPAIGN_COST]);
    }
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_ADOPTERS], r[1].arms[0].series[BZ_SER_ADOPTERS],
                     cells * sizeof *r[0].arms[0].series[BZ_SER_ADOPTERS]) == 0);
    CU_ASSERT(memcmp(r[0].arms[0].series[BZ_SER_EXPOSURES], r[1].arms[0].series[BZ_SER_EXPOSURES],
                     (size_t)r[0].n_channels * cells *
                         sizeof *r[0].arms[0].series[BZ_SER_EXPOSURES]) == 0);
    bz_results_destroy(&r[0]);
    bz_results_destroy(&r[1]);
    bz_experiment_destroy(&x);
}

static CU_TestInfo tests[] = {
    {"degree picks the star centres", test_degree_picks_star_centres},
    {"pagerank picks the followed of the followed",
     test_pagerank_picks_the_followed_of_the_followed},
    {"kcore picks the clique", test_kcore_picks_the_clique},
    {"bridges picks the barbell bridge", test_bridges_picks_the_barbell_bridge},
    {"community_spread: largest city first", test_community_spread_largest_city_first},
    {"random: distinct agents", test_random_distinct},
    {"greedy: two stars", test_greedy_two_stars},
    {"greedy on a complete layer", test_greedy_complete_layer},
    {"greedy avoids overlapping audiences", test_greedy_avoids_overlapping_audiences},
    {"cascade probability from the layer's share", test_ic_prob_from_share},
    {"RR estimate matches Monte Carlo", test_rr_estimate_matches_monte_carlo},
    {"greedy: thread counts and caps", test_greedy_deterministic},
    {"influence: errors", test_influence_errors},
    {"LT walks, relay and seed arcs", test_lt_relay_seed_arcs},
    {"posts over a period", test_posts_over_a_period},
    {"greedy through the runner", test_greedy_through_the_runner},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("kol", tests);
}

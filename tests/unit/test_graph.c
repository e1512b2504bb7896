/* graph: CSR storage and the two-pass builder, driven by test-only
 * generators whose edges are known, against a naive reference built here
 * (collect every emitted pair, sort, drop self-loops and repeats). */
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bz_test.h"
#include "graph/generator.h"
#include "rng/rng.h"

/* Let ASan return NULL on a refused allocation (the ENOMEM test). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* ---- A generator that replays a list of pairs --------------------------
 * ctx->state points at a pair_list; the pairs are emitted from a parallel
 * loop with a dynamic schedule, so the fill order varies between runs. */
typedef struct pair_list {
    uint64_t count;
    const uint32_t *pairs; /* u0 v0 u1 v1 ... */
    int fail_pass;         /* >= 0: return an error in that pass */
    int short_fill;        /* emit one edge less in the fill pass */
    int mode;              /* how to emit: see list_generate */
} pair_list;

enum { EMIT_PARALLEL, EMIT_SERIAL, EMIT_BIG_TEAM, EMIT_NESTED };

static int list_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const pair_list *pl = ctx->state;
    if (pl->fail_pass == (int)sink->pass)
        return bz_error_set(err, BZ_EIO, "test generator fails in pass %d", (int)sink->pass);
    int64_t count = (int64_t)pl->count;
    if (pl->short_fill && sink->pass == BZ_PASS_FILL) count--;
    const uint32_t *p = pl->pairs;
    switch (pl->mode) {
    case EMIT_SERIAL: /* from the builder's own thread */
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
        break;
    case EMIT_BIG_TEAM: /* more threads than the builder planned for */
#pragma omp parallel for num_threads(5) schedule(dynamic, 7)
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
        break;
    case EMIT_NESTED: /* from inside nested regions */
#pragma omp parallel num_threads(2)
    {
        int outer = omp_get_thread_num();
#pragma omp parallel for num_threads(2) schedule(dynamic, 7)
        for (int64_t i = outer; i < count; i += 2)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
    } break;
    default:
#pragma omp parallel for schedule(dynamic, 7)
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
    }
    return BZ_OK;
}

static const bz_netgen_type list_type = {
    .name = "test_list", .summary = "test", .directed_ok = 1, .generate = list_generate};
static const bz_netgen_type list_type_undirected_only = {
    .name = "test_list_u", .summary = "test", .directed_ok = 0, .generate = list_generate};
static const bz_netgen_type complete_type = {
    .name = "test_complete", .summary = "test", .implicit_complete = 1};

static int build_list(bz_layer *l, const bz_netgen_type *t, uint32_t n, int directed,
                      const pair_list *pl, bz_error *err)
{
    bz_netgen_ctx ctx = {.n = n, .directed = directed, .seed = 1, .state = (void *)pl};
    return bz_layer_build(l, t, &ctx, "test", err);
}

/* ---- Hand-made graph with self-loops and repeats ---------------------- */
static const uint32_t hand_pairs[] = {0, 1, 1, 0, 0, 1, 2, 2, 3, 4, 4, 3, 1, 2, 0, 4, 2, 2, 4, 4};

static void test_hand_undirected(void)
{
    pair_list pl = {10, hand_pairs, -1, 0, EMIT_PARALLEL};
    bz_layer l;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(build_list(&l, &list_type, 5, 0, &pl, &err), BZ_OK);
    /* Edges {0,1} x3 (as 0-1, 1-0, 0-1), {3,4} x2, {1,2}, {0,4}; loops 2-2 x2, 4-4. */
    static const uint64_t off[] = {0, 2, 4, 5, 6, 8};
    static const uint32_t tg[] = {1, 4, 0, 2, 1, 4, 0, 3};
    CU_ASSERT_EQUAL(l.n, 5);
    CU_ASSERT_EQUAL(l.m, 8);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 4);
    CU_ASSERT_EQUAL(memcmp(l.offsets, off, sizeof off), 0);
    CU_ASSERT_EQUAL(memcmp(l.targets, tg, sizeof tg), 0);
    CU_ASSERT_EQUAL(l.dropped_self_loops, 3);
    CU_ASSERT_EQUAL(l.dropped_duplicates, 3); /* {0,1} twice, {3,4} once */
    CU_ASSERT_PTR_NULL(l.in_degree);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 0), 2);
    CU_ASSERT_EQUAL(bz_layer_in_degree(&l, 4), 2);
    CU_ASSERT_STRING_EQUAL(l.name, "test");
    CU_ASSERT_STRING_EQUAL(l.generator, "test_list");
    bz_layer_destroy(&l);
    CU_ASSERT_PTR_NULL(l.offsets);
    bz_layer_destroy(&l); /* safe twice */
}

static void test_hand_directed(void)
{
    pair_list pl = {10, hand_pairs, -1, 0, EMIT_PARALLEL};
    bz_layer l;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(build_list(&l, &list_type, 5, 1, &pl, &err), BZ_OK);
    /* Arcs 0->1 x2, 1->0, 3->4, 4->3, 1->2, 0->4; loops 2->2 x2, 4->4. */
    static const uint64_t off[] = {0, 2, 4, 4, 5, 6};
    static const uint32_t tg[] = {1, 4, 0, 2, 4, 3};
    static const uint32_t indeg[] = {1, 1, 1, 1, 2};
    CU_ASSERT_EQUAL(l.m, 6);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 6);
    CU_ASSERT_EQUAL(memcmp(l.offsets, off, sizeof off), 0);
    CU_ASSERT_EQUAL(memcmp(l.targets, tg, sizeof tg), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l.in_degree);
    CU_ASSERT_EQUAL(memcmp(l.in_degree, indeg, sizeof indeg), 0);
    CU_ASSERT_EQUAL(l.dropped_self_loops, 3);
    CU_ASSERT_EQUAL(l.dropped_duplicates, 1);
    CU_ASSERT_EQUAL(bz_layer_in_degree(&l, 4), 2);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 2), 0);
    bz_layer_destroy(&l);
}

/* ---- Random multigraphs against the naive reference -------------------- */
static int cmp_pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Expected CSR of the pairs: arcs (both directions when undirected), sorted,
 * without loops and repeats. Fills off (n + 1) and returns the arc array. */
static uint32_t *reference(const uint32_t *pairs, uint64_t count, uint32_t n, int directed,
                           uint64_t *off, uint64_t *m, uint64_t *loops, uint64_t *dups)
{
    uint64_t na = directed ? count : 2 * count;
    uint32_t *arcs = malloc(na * 2 * sizeof *arcs);
    uint64_t k = 0;
    for (uint64_t i = 0; i < count; i++) {
        arcs[2 * k] = pairs[2 * i], arcs[2 * k + 1] = pairs[2 * i + 1], k++;
        if (!directed) arcs[2 * k] = pairs[2 * i + 1], arcs[2 * k + 1] = pairs[2 * i], k++;
    }
    qsort(arcs, na, 2 * sizeof *arcs, cmp_pair);
    uint32_t *tg = malloc((na ? na : 1) * sizeof *tg);
    memset(off, 0, ((size_t)n + 1) * sizeof *off);
    uint64_t w = 0, lp = 0, dp = 0;
    for (uint64_t i = 0; i < na; i++) {
        uint32_t u = arcs[2 * i], v = arcs[2 * i + 1];
        if (u == v)
            lp++;
        else if (i > 0 && arcs[2 * i - 2] == u && arcs[2 * i - 1] == v)
            dp++;
        else
            tg[w++] = v, off[u + 1]++;
    }
    for (uint32_t u = 0; u < n; u++)
        off[u + 1] += off[u];
    free(arcs);
    *m = w;
    *loops = directed ? lp : lp / 2;
    *dups = directed ? dp : dp / 2;
    return tg;
}

/* count random pairs over n agents; `hub_share` of them touch agent 0 so
 * that row 0 is big enough for the radix sort path; every 1000th is a loop. */
static uint32_t *random_pairs(uint64_t count, uint32_t n, double hub_share, uint64_t seed)
{
    uint32_t *p = malloc(count * 2 * sizeof *p);
    bz_stream s;
    bz_stream_init(&s, seed, 0, 0, 0, BZ_RNG_TEST);
    for (uint64_t i = 0; i < count; i++) {
        p[2 * i] = bz_stream_uniform(&s) < hub_share ? 0 : (uint32_t)bz_stream_below(&s, n);
        p[2 * i + 1] = (uint32_t)bz_stream_below(&s, n);
        if (i % 1000 == 999) p[2 * i + 1] = p[2 * i]; /* some self-loops for sure */
    }
    return p;
}

static void check_against_reference(uint32_t n, uint64_t count, double hub, int directed, int mode)
{
    uint32_t *pairs = random_pairs(count, n, hub, 7 + n);
    pair_list pl = {count, pairs, -1, 0, mode};
    uint64_t *off = malloc(((size_t)n + 1) * sizeof *off);
    uint64_t m, loops, dups;
    uint32_t *tg = reference(pairs, count, n, directed, off, &m, &loops, &dups);
    bz_layer l;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(build_list(&l, &list_type, n, directed, &pl, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.m, m);
    CU_ASSERT(loops > 0 && dups > 0); /* the case really exercises dropping */
    CU_ASSERT_EQUAL(l.dropped_self_loops, loops);
    CU_ASSERT_EQUAL(l.dropped_duplicates, dups);
    CU_ASSERT_EQUAL(memcmp(l.offsets, off, ((size_t)n + 1) * sizeof *off), 0);
    CU_ASSERT_EQUAL(memcmp(l.targets, tg, m * sizeof *tg), 0);
    /* structural properties, checked directly */
    int sorted = 1, symmetric = 1;
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t i = l.offsets[u]; i < l.offsets[u + 1]; i++) {
            if (i > l.offsets[u] && l.targets[i - 1] >= l.targets[i]) sorted = 0;
            if (directed) continue;
            uint32_t v = l.targets[i];
            const uint32_t *row = l.targets + l.offsets[v];
            uint64_t lo = 0, hi = l.offsets[v + 1] - l.offsets[v];
            while (lo < hi) {
                uint64_t mid = (lo + hi) / 2;
                if (row[mid] < u)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == l.offsets[v + 1] - l.offsets[v] || row[lo] != u) symmetric = 0;
        }
    CU_ASSERT(sorted);
    CU_ASSERT(symmetric);
    if (directed) {
        uint64_t sum = 0;
        for (uint32_t v = 0; v < n; v++)
            sum += l.in_degree[v];
        CU_ASSERT_EQUAL(sum, l.m);
        uint32_t in0 = 0;
        for (uint64_t i = 0; i < m; i++)
            in0 += tg[i] == 0;
        CU_ASSERT_EQUAL(l.in_degree[0], in0);
    }
    bz_layer_destroy(&l);
    free(tg);
    free(off);
    free(pairs);
}

static void test_random_undirected(void)
{
    check_against_reference(2000, 30000, 0.0, 0, EMIT_PARALLEL);   /* many small rows */
    check_against_reference(50, 20000, 0.0, 0, EMIT_PARALLEL);     /* dense: repeats, medium rows */
    check_against_reference(100000, 60000, 0.5, 0, EMIT_PARALLEL); /* hub row ~30000: radix */
}

static void test_random_directed(void)
{
    check_against_reference(2000, 30000, 0.0, 1, EMIT_PARALLEL);
    check_against_reference(100000, 60000, 0.5, 1, EMIT_PARALLEL);
}

/* Layers of >= 65536 agents go through the staged sink; every way of
 * emitting (serial, planned team, larger team, nested) must give the same
 * layer as the reference. */
static void test_staged_sink_modes(void)
{
    const int modes[] = {EMIT_SERIAL, EMIT_PARALLEL, EMIT_BIG_TEAM, EMIT_NESTED};
    for (int i = 0; i < 4; i++) {
        check_against_reference(70000, 150000, 0.01, 0, modes[i]);
        check_against_reference(70000, 150000, 0.01, 1, modes[i]);
    }
}

static void test_thread_determinism(void)
{
    const uint32_t n = 100000; /* staged sink */
    const uint64_t count = 200000;
    uint32_t *pairs = random_pairs(count, n, 0.05, 99);
    pair_list pl = {count, pairs, -1, 0, EMIT_PARALLEL};
    bz_layer a, b;
    bz_error err;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(build_list(&a, &list_type, n, 0, &pl, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(build_list(&b, &list_type, n, 0, &pl, &err), BZ_OK);
    omp_set_num_threads(saved);
    CU_ASSERT_EQUAL(a.m, b.m);
    CU_ASSERT_EQUAL(memcmp(a.offsets, b.offsets, ((size_t)n + 1) * sizeof *a.offsets), 0);
    CU_ASSERT_EQUAL(memcmp(a.targets, b.targets, a.m * sizeof *a.targets), 0);
    CU_ASSERT_EQUAL(a.dropped_duplicates, b.dropped_duplicates);
    bz_layer_destroy(&a);
    bz_layer_destroy(&b);
    free(pairs);
}

static void test_complete_and_empty(void)
{
    bz_layer l;
    bz_error err;
    bz_netgen_ctx ctx = {.n = 1000};
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&l, &complete_type, &ctx, "all", &err), BZ_OK);
    CU_ASSERT(l.complete);
    CU_ASSERT_PTR_NULL(l.offsets);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 1000ull * 999 / 2);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 5), 999);
    CU_ASSERT_EQUAL(bz_layer_in_degree(&l, 5), 999);
    bz_layer_destroy(&l);

    pair_list none = {0, NULL, -1, 0, EMIT_PARALLEL};
    CU_ASSERT_EQUAL_FATAL(build_list(&l, &list_type, 10, 0, &none, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.m, 0);
    CU_ASSERT_EQUAL(l.offsets[10], 0);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 3), 0);
    bz_layer_destroy(&l);
}

static void test_errors(void)
{
    bz_layer l;
    bz_error err;
    pair_list pl = {10, hand_pairs, BZ_PASS_FILL, 0, EMIT_PARALLEL};
    CU_ASSERT_EQUAL(build_list(&l, &list_type, 5, 0, &pl, &err), BZ_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "pass 1"));
    CU_ASSERT_PTR_NULL(l.offsets); /* left destroyed */
    CU_ASSERT_PTR_NULL(l.targets);
    pl.fail_pass = BZ_PASS_COUNT;
    CU_ASSERT_EQUAL(build_list(&l, &list_type, 5, 0, &pl, &err), BZ_EIO);
    CU_ASSERT_PTR_NULL(l.offsets);

    pair_list short_fill = {10, hand_pairs, -1, 1, EMIT_PARALLEL};
    CU_ASSERT_EQUAL(build_list(&l, &list_type, 5, 0, &short_fill, &err), BZ_EINTERNAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "count and fill"));
    CU_ASSERT_PTR_NULL(l.targets);

    pair_list ok = {10, hand_pairs, -1, 0, EMIT_PARALLEL};
    CU_ASSERT_EQUAL(build_list(&l, &list_type_undirected_only, 5, 1, &ok, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "directed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "test_list_u"));
}

static void test_out_of_memory(void)
{
    /* Cap the address space just above its current size, so the 16 bytes
     * per agent of a 100M-agent layer (1.6 GB) cannot be had. */
    struct rlimit old;
    CU_ASSERT_EQUAL_FATAL(bz_test_cap_memory(&old), 0);
    pair_list none = {0, NULL, -1, 0, EMIT_PARALLEL};
    bz_layer l;
    bz_error err;
    int status = build_list(&l, &list_type, 100000000u, 0, &none, &err);
    setrlimit(RLIMIT_AS, &old);
    CU_ASSERT_EQUAL(status, BZ_ENOMEM);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bytes"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "1600000016"));
    CU_ASSERT_PTR_NULL(l.offsets);
}

static void test_network(void)
{
    bz_network net;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_network_init(&net, 5, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(net.n_layers, 2);
    pair_list pl = {10, hand_pairs, -1, 0, EMIT_PARALLEL};
    bz_netgen_ctx ctx = {.n = 5, .state = &pl};
    CU_ASSERT_EQUAL(bz_layer_build(&net.layers[0], &list_type, &ctx, "wechat", &err), BZ_OK);
    ctx.directed = 1;
    CU_ASSERT_EQUAL(bz_layer_build(&net.layers[1], &list_type, &ctx, "weibo", &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_network_find_layer(&net, "weibo"), 1);
    CU_ASSERT_EQUAL(bz_network_find_layer(&net, "wechat"), 0);
    CU_ASSERT_EQUAL(bz_network_find_layer(&net, "forum"), -1);
    bz_network_destroy(&net);
    CU_ASSERT_PTR_NULL(net.layers);
    CU_ASSERT_EQUAL(net.n_layers, 0);
    bz_network_destroy(&net);
    CU_ASSERT_EQUAL(bz_network_init(&net, 5, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_network_find_layer(&net, "x"), -1);
    bz_network_destroy(&net);
}

static CU_TestInfo tests[] = {
    {"out of memory leaves the layer destroyed", test_out_of_memory},
    {"hand-made undirected layer", test_hand_undirected},
    {"hand-made directed layer", test_hand_directed},
    {"random undirected multigraphs vs reference", test_random_undirected},
    {"random directed multigraphs vs reference", test_random_directed},
    {"staged sink: serial, team, big team, nested", test_staged_sink_modes},
    {"1 and 2 threads give identical arrays", test_thread_determinism},
    {"implicit complete and empty layers", test_complete_and_empty},
    {"generator errors and misuse", test_errors},
    {"network lifecycle and lookup", test_network},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("graph", tests);
}

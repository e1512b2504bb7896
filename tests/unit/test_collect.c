/* collect: the one-pass layer builder (src/graph/collect.c) gives exactly
 * the layer of the two-pass builder, for every single_pass generator,
 * directed and undirected, for 1 and 2 threads, and for emitters the
 * collector did not plan for (serial, a larger team, nested regions);
 * self-loops and repeats are dropped and counted the same way; a bucket
 * that outgrows its slice is reported as an overflow. */
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_net_test.h"
#include "bz_test.h"
#include "base/population.h"
#include "graph/collect.h"
#include "graph/generator.h"
#include "rng/rng.h"

/* Whether this process can reserve the collector's address space (not under
 * valgrind or a tight ulimit -v): without it every build takes two passes,
 * which the tests below then only compare with themselves. */
static int collector_available(void)
{
    struct bz_collect *c = bz_collect_new(1000, 0);
    bz_collect_free(c);
    return c != NULL;
}

/* Tests that drive the collector directly: skipped, and said so, where it
 * cannot reserve its address space. */
static int skip_without_collector(void)
{
    if (collector_available()) return 0;
    printf("\n  (no address space for the collector here: skipped)\n");
    return 1;
}

static int build_mode(bz_layer *l, const bz_netgen_type *t, const void *params, uint32_t n,
                      int directed, const bz_population *pop, void *state, bz_build_mode mode,
                      bz_error *err)
{
    bz_netgen_ctx ctx = {.n = n,
                         .directed = directed,
                         .seed = 2026,
                         .params = params,
                         .pop = pop,
                         .state = state,
                         .build = mode};
    int status = t->check ? t->check(params, n, directed, err) : BZ_OK;
    uint32_t n_agents = 0;
    int prepared = 0;
    if (status == BZ_OK && t->prepare) {
        status = t->prepare(&ctx, &ctx.state, &n_agents, err);
        prepared = status == BZ_OK;
    }
    if (status == BZ_OK) status = bz_layer_build(l, t, &ctx, "test", err);
    if (prepared && t->release) t->release(ctx.state);
    return status;
}

static int same_build(const bz_layer *a, const bz_layer *b)
{
    return same_layer(a, b) && a->dropped_self_loops == b->dropped_self_loops &&
           a->dropped_duplicates == b->dropped_duplicates;
}

/* One pass (1 and 2 threads) against two passes. */
static void check_generator(const char *name, uint32_t n, int directed, const bz_population *pop,
                            const char *const *kv, size_t nkv)
{
    const bz_netgen_type *t = gen(name);
    CU_ASSERT_TRUE(t->single_pass);
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, nkv, &err), BZ_OK);
    bz_layer two, one1, one2;
    int saved = omp_get_max_threads();
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(
        build_mode(&two, t, pb.bytes, n, directed, pop, NULL, BZ_BUILD_TWO_PASS, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(
        build_mode(&one2, t, pb.bytes, n, directed, pop, NULL, BZ_BUILD_ONE_PASS, &err), BZ_OK);
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(
        build_mode(&one1, t, pb.bytes, n, directed, pop, NULL, BZ_BUILD_ONE_PASS, &err), BZ_OK);
    omp_set_num_threads(saved);
    int want = collector_available() ? 1 : 2;
    printf("\n  %-16s %s n=%u: %llu arcs, dropped %llu self-loops %llu repeats, passes %d/%d/%d",
           name, directed ? "directed  " : "undirected", n, (unsigned long long)two.m,
           (unsigned long long)two.dropped_self_loops, (unsigned long long)two.dropped_duplicates,
           two.passes, one1.passes, one2.passes);
    CU_ASSERT(two.m > (uint64_t)n); /* a real network, not an empty one */
    CU_ASSERT_EQUAL(two.passes, 2);
    CU_ASSERT_EQUAL(one1.passes, want);
    CU_ASSERT_EQUAL(one2.passes, want);
    CU_ASSERT(same_build(&two, &one1));
    CU_ASSERT(same_build(&two, &one2));
#if defined(__linux__)
    if (want == 1) /* targets[] on the collected arcs' recycled pages */
        CU_ASSERT(one1.targets_mapped > 0 && one2.targets_mapped > 0);
#endif
    bz_layer_destroy(&two);
    bz_layer_destroy(&one1);
    bz_layer_destroy(&one2);
}

static void test_generators(void)
{
    static const char *const gnp[] = {"mean_degree", "8"};
    static const char *const gnm[] = {"edges", "90000"};
    static const char *const ws[] = {"k", "6", "beta", "0.2"};
    static const char *const ba[] = {"m", "4"};
    static const char *const cl[] = {"mean_degree", "6", "exponent", "2.2"};
    static const char *const cld[] = {"mean_degree", "6",           "out_exponent",
                                      "2.1",         "in_exponent", "2.8"};
    static const char *const sbm[] = {"mean_degree", "10", "within_city", "0.8"};
    static const char *const sbmw[] = {"mean_degree", "10",   "within_city", "0.8",
                                       "small_world", "true", "beta",        "0.3"};
    const uint32_t n = 40000;
    check_generator("erdos_renyi", n, 0, NULL, gnp, 2);
    check_generator("erdos_renyi", n, 1, NULL, gnp, 2);
    check_generator("erdos_renyi", n, 0, NULL, gnm, 2);
    check_generator("watts_strogatz", n, 0, NULL, ws, 4);
    check_generator("barabasi_albert", n, 0, NULL, ba, 2);
    check_generator("barabasi_albert", n, 1, NULL, ba, 2);
    check_generator("chung_lu", n, 0, NULL, cl, 4);
    check_generator("chung_lu", n, 1, NULL, cld, 6);
    bz_population pop;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_population_init(&pop, n, 12, 1.0, 9, &err), BZ_OK);
    check_generator("sbm", n, 0, &pop, sbm, 4);
    check_generator("sbm", n, 0, &pop, sbmw, 8);
    bz_population_destroy(&pop);

    /* edge_list: a file of random pairs with self-loops and repeats (path
     * shorter than the parameter's 63 characters). */
    char path[64] = "/tmp/bz_collect_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    bz_stream s;
    bz_stream_init(&s, 5, 0, 0, 0, BZ_RNG_TEST);
    for (int i = 0; i < 200000; i++) {
        uint32_t u = (uint32_t)bz_stream_below(&s, n), v = (uint32_t)bz_stream_below(&s, n);
        fprintf(f, "%u %u\n", u, i % 50 == 0 ? u : v);
        if (i % 70 == 0) fprintf(f, "%u %u\n", u, v);
    }
    fprintf(f, "%u %u\n", n - 1, 0u); /* every id in use: n agents */
    CU_ASSERT_EQUAL_FATAL(fclose(f), 0);
    const char *const el[] = {"path", path};
    check_generator("edge_list", n, 0, NULL, el, 2);
    check_generator("edge_list", n, 1, NULL, el, 2);
    remove(path);
    printf("\n");
}

/* Large layers take one pass on their own, unless the generator keeps its
 * edges anyway (holme_kim). */
static void test_auto(void)
{
    static const char *const gnp[] = {"mean_degree", "4"};
    static const char *const hk[] = {"m", "2", "p_triad", "0.5"};
    const uint32_t n = 70000; /* above the builder's small-layer threshold */
    params_buf pb;
    bz_error err;
    bz_layer l;
    const bz_netgen_type *t = gen("erdos_renyi");
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, gnp, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(build_mode(&l, t, pb.bytes, n, 0, NULL, NULL, BZ_BUILD_AUTO, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL(l.passes, collector_available() ? 1 : 2);
    bz_layer_destroy(&l);
    t = gen("holme_kim");
    CU_ASSERT_FALSE(t->single_pass);
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, hk, 4, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(build_mode(&l, t, pb.bytes, n, 0, NULL, NULL, BZ_BUILD_AUTO, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL(l.passes, 2);
    bz_layer_destroy(&l);
}

/* ---- A single_pass generator that replays a list of pairs -------------- */
typedef struct pair_list {
    uint64_t count;
    const uint32_t *pairs; /* u0 v0 u1 v1 ... */
    int mode;
} pair_list;

enum { EMIT_PARALLEL, EMIT_SERIAL, EMIT_BIG_TEAM, EMIT_NESTED, EMIT_MANY };

static int list_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    (void)err;
    const pair_list *pl = ctx->state;
    const int64_t count = (int64_t)pl->count;
    const uint32_t *p = pl->pairs;
    switch (pl->mode) {
    case EMIT_SERIAL:
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
        break;
    case EMIT_BIG_TEAM: /* more threads than the collector has segments for */
#pragma omp parallel for num_threads(5) schedule(dynamic, 7)
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
        break;
    case EMIT_NESTED: /* two levels below the builder */
#pragma omp parallel num_threads(2)
    {
        int outer = omp_get_thread_num();
#pragma omp parallel for num_threads(2) schedule(dynamic, 7)
        for (int64_t i = outer; i < count; i += 2)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
    } break;
    case EMIT_MANY: /* batches of up to 13 through bz_sink_add_many */
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t i = 0; i < count; i += 13) {
            uint32_t u[13], v[13];
            size_t k = 0;
            for (int64_t j = i; j < count && j < i + 13; j++, k++) {
                u[k] = p[2 * j];
                v[k] = p[2 * j + 1];
            }
            bz_sink_add_many(sink, u, v, k);
        }
        break;
    default:
#pragma omp parallel for schedule(dynamic, 7)
        for (int64_t i = 0; i < count; i++)
            bz_sink_add(sink, p[2 * i], p[2 * i + 1]);
    }
    return BZ_OK;
}

static const bz_netgen_type list_type = {.name = "test_list",
                                         .summary = "test",
                                         .directed_ok = 1,
                                         .single_pass = 1,
                                         .generate = list_generate};

/* Random pairs over n agents with many self-loops and repeats, and a hub
 * (agent 5) whose row spans many segments. */
static uint32_t *random_pairs(uint32_t n, uint64_t count)
{
    uint32_t *p = malloc(2 * count * sizeof *p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    bz_stream s;
    bz_stream_init(&s, 11, 0, 0, 0, BZ_RNG_TEST);
    for (uint64_t i = 0; i < count; i++) {
        uint32_t u = (uint32_t)bz_stream_below(&s, i % 4 == 0 ? 300 : n);
        uint32_t v = (uint32_t)bz_stream_below(&s, n);
        if (i % 17 == 0) v = u;                 /* self-loop */
        if (i % 23 == 0 && i) u = p[2 * i - 2]; /* repeat the previous pair */
        if (i % 23 == 0 && i) v = p[2 * i - 1];
        if (i % 5 == 0) u = 5; /* hub */
        p[2 * i] = u;
        p[2 * i + 1] = v;
    }
    return p;
}

static void test_emitters(void)
{
    const uint32_t n = 100000;
    const uint64_t count = 400000;
    uint32_t *pairs = random_pairs(n, count);
    int want = collector_available() ? 1 : 2;
    bz_error err;
    for (int directed = 0; directed < 2; directed++) {
        pair_list pl = {count, pairs, EMIT_SERIAL};
        bz_layer ref;
        CU_ASSERT_EQUAL_FATAL(
            build_mode(&ref, &list_type, NULL, n, directed, NULL, &pl, BZ_BUILD_TWO_PASS, &err),
            BZ_OK);
        /* about 1/17 x 4/5 of the pairs are self-loops, 1/23 x 4/5 repeats */
        CU_ASSERT(ref.dropped_self_loops > count / 30);
        CU_ASSERT(ref.dropped_duplicates > count / 40);
        CU_ASSERT(bz_layer_degree(&ref, 5) > 10000);
        for (int mode = EMIT_PARALLEL; mode <= EMIT_MANY; mode++) {
            pl.mode = mode;
            bz_layer l;
            CU_ASSERT_EQUAL_FATAL(
                build_mode(&l, &list_type, NULL, n, directed, NULL, &pl, BZ_BUILD_ONE_PASS, &err),
                BZ_OK);
            CU_ASSERT_EQUAL(l.passes, want);
            CU_ASSERT(same_build(&ref, &l));
            if (!same_build(&ref, &l))
                printf("\n  directed %d, mode %d: m %llu vs %llu\n", directed, mode,
                       (unsigned long long)l.m, (unsigned long long)ref.m);
            bz_layer_destroy(&l);
        }
        bz_layer_destroy(&ref);
    }
    free(pairs);
}

/* Buckets with more arcs than the finishing scratch holds (hubs) take the
 * direct path: the same layer, whether all buckets or only the hub's do. */
static void test_hub_buckets(void)
{
    if (skip_without_collector()) return;
    const uint32_t n = 100000;
    const uint64_t count = 400000;
    uint32_t *pairs = random_pairs(n, count);
    bz_error err;
    for (int directed = 0; directed < 2; directed++) {
        pair_list pl = {count, pairs, EMIT_PARALLEL};
        bz_layer ref;
        CU_ASSERT_EQUAL_FATAL(
            build_mode(&ref, &list_type, NULL, n, directed, NULL, &pl, BZ_BUILD_TWO_PASS, &err),
            BZ_OK);
        const uint64_t limits[] = {5000, 150000};
        for (int li = 0; li < 2; li++) {
            struct bz_collect *c = bz_collect_new(n, 0);
            CU_ASSERT_PTR_NOT_NULL_FATAL(c);
            bz_collect_set_scratch(c, limits[li]);
            bz_edge_sink sink = {BZ_PASS_ONCE, directed, n, NULL, NULL, NULL, c};
            bz_netgen_ctx ctx = {.n = n, .directed = directed, .state = &pl};
            CU_ASSERT_EQUAL_FATAL(list_generate(&ctx, &sink, &err), BZ_OK);
            bz_layer l;
            memset(&l, 0, sizeof l);
            l.n = n;
            l.directed = directed;
            uint64_t self = 0, dup = 0;
            CU_ASSERT_EQUAL_FATAL(bz_collect_finish(c, &l, &self, &dup, &err), BZ_OK);
            CU_ASSERT_FALSE(bz_collect_overflowed(c));
            l.dropped_self_loops = directed ? self : self / 2;
            l.dropped_duplicates = directed ? dup : dup / 2;
            if (directed) { /* the builder's part, after finishing */
                l.in_degree = calloc(n, sizeof *l.in_degree);
                CU_ASSERT_PTR_NOT_NULL_FATAL(l.in_degree);
                for (uint64_t i = 0; i < l.m; i++)
                    l.in_degree[l.targets[i]]++;
            }
            CU_ASSERT(same_build(&ref, &l));
            bz_layer_destroy(&l);
            bz_collect_free(c);
        }
        bz_layer_destroy(&ref);
    }
    free(pairs);
}

/* Layers with no arcs, or only self-loops. */
static void test_empty(void)
{
    static const uint32_t loops[] = {3, 3, 7, 7, 3, 3};
    bz_error err;
    bz_layer l;
    pair_list pl = {0, loops, EMIT_SERIAL};
    CU_ASSERT_EQUAL_FATAL(
        build_mode(&l, &list_type, NULL, 50, 0, NULL, &pl, BZ_BUILD_ONE_PASS, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.m, 0);
    CU_ASSERT_EQUAL(l.offsets[50], 0);
    bz_layer_destroy(&l);
    pl.count = 3;
    CU_ASSERT_EQUAL_FATAL(
        build_mode(&l, &list_type, NULL, 50, 0, NULL, &pl, BZ_BUILD_ONE_PASS, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.m, 0);
    CU_ASSERT_EQUAL(l.dropped_self_loops, 3);
    for (uint32_t u = 0; u <= 50; u++)
        CU_ASSERT_EQUAL(l.offsets[u], 0);
    bz_layer_destroy(&l);
}

/* A bucket that outgrows its slice is an overflow, never a silent loss;
 * within the slice the collector finishes the layer. */
static void test_overflow(void)
{
    if (skip_without_collector()) return;
    const uint32_t n = 100000;
    bz_edge_sink sink = {BZ_PASS_ONCE, 1, n, NULL, NULL, NULL, NULL};
    struct bz_collect *c = bz_collect_new(n, 4096);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sink.collect = c;
    for (uint32_t i = 0; i < 4096; i++)
        bz_sink_add(&sink, 7, 10000 + i);
    CU_ASSERT_FALSE(bz_collect_overflowed(c));
    bz_sink_add(&sink, 99999, 1); /* another bucket: still fine */
    CU_ASSERT_FALSE(bz_collect_overflowed(c));
    bz_layer l;
    memset(&l, 0, sizeof l);
    l.n = n;
    l.directed = 1;
    uint64_t self = 0, dup = 0;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_collect_finish(c, &l, &self, &dup, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.m, 4097);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 7), 4096);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 99999), 1);
    CU_ASSERT_EQUAL(l.targets[l.offsets[7]], 10000);
    CU_ASSERT_EQUAL(l.targets[l.offsets[7] + 4095], 10000 + 4095);
#if defined(__linux__)
    /* targets[] (16 KiB) lies mostly on the collected arcs' own pages. */
    CU_ASSERT(l.targets_mapped > 0);
    CU_ASSERT(bz_collect_recycled(c) >= 8192);
#endif
    bz_layer_destroy(&l);
    bz_collect_free(c);

    /* Arcs still staged when the generator returns may overflow only when
     * they are flushed: finish then reports the overflow, builds nothing,
     * and the builder falls back to two passes. */
    c = bz_collect_new(n, 4096);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sink.collect = c;
    for (uint32_t i = 0; i < 4096 + 10; i++)
        bz_sink_add(&sink, 7, i);
    CU_ASSERT_FALSE(bz_collect_overflowed(c));
    memset(&l, 0, sizeof l);
    l.n = n;
    l.directed = 1;
    CU_ASSERT_EQUAL_FATAL(bz_collect_finish(c, &l, &self, &dup, &err), BZ_OK);
    CU_ASSERT_TRUE(bz_collect_overflowed(c));
    CU_ASSERT_PTR_NULL(l.offsets);
    CU_ASSERT_PTR_NULL(l.targets);
    bz_collect_free(c);

    c = bz_collect_new(n, 4096);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sink.collect = c;
    for (uint32_t i = 0; i < 5000; i++)
        bz_sink_add(&sink, 7, i);
    CU_ASSERT_TRUE(bz_collect_overflowed(c));
    bz_collect_free(c);
}

int main(void)
{
    static CU_TestInfo tests[] = {{"one pass = two passes, every generator", test_generators},
                                  {"large layers take one pass", test_auto},
                                  {"every way of emitting", test_emitters},
                                  {"empty layers", test_empty},
                                  {"buckets larger than the scratch", test_hub_buckets},
                                  {"bucket overflow", test_overflow},
                                  CU_TEST_INFO_NULL};
    return bz_test_main("collect", tests);
}

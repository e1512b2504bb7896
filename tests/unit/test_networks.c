/* networks: every generator of models/networks against theory at modest
 * sizes, determinism across thread counts, and check() errors.
 * Tolerances are stated where used; sizes keep each test well under 5 s in
 * a Debug build on 2 cores. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bz_net_test.h"
#include "bz_test.h"
#include "graph/generator.h"
#include "rng/rng.h"

static int build(bz_layer *l, const bz_netgen_type *t, const params_buf *pb, uint32_t n,
                 int directed, uint64_t seed, bz_error *err)
{
    bz_netgen_ctx ctx = {.n = n,
                         .directed = directed,
                         .seed = seed,
                         .replicate = 0,
                         .layer_index = 0,
                         .params = pb->bytes};
    int status = t->check ? t->check(pb->bytes, n, directed, err) : BZ_OK;
    if (status != BZ_OK) return status;
    uint32_t n_agents = 0;
    if (t->prepare) status = t->prepare(&ctx, &ctx.state, &n_agents, err);
    if (status == BZ_OK) status = bz_layer_build(l, t, &ctx, "test", err);
    if (t->release) t->release(ctx.state);
    return status;
}

#define BUILD_OK(l, name, n, directed, seed, ...)                                                  \
    do {                                                                                           \
        static const char *const kv_[] = {__VA_ARGS__};                                            \
        params_buf pb_;                                                                            \
        bz_error e_;                                                                               \
        const bz_netgen_type *t_ = gen(name);                                                      \
        CU_ASSERT_EQUAL_FATAL(set_params(t_, &pb_, kv_, BZ_PARAMS_COUNT(kv_), &e_), BZ_OK);        \
        int s_ = build(l, t_, &pb_, n, directed, seed, &e_);                                       \
        if (s_ != BZ_OK) fprintf(stderr, "build failed: %s\n", e_.msg);                            \
        CU_ASSERT_EQUAL_FATAL(s_, BZ_OK);                                                          \
    } while (0)

static int has_arc(const bz_layer *l, uint32_t u, uint32_t v)
{
    uint64_t lo = l->offsets[u], hi = l->offsets[u + 1];
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (l->targets[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < l->offsets[u + 1] && l->targets[lo] == v;
}

/* ---- erdos_renyi -------------------------------------------------------- */
static void test_er_gnp(void)
{
    const uint32_t n = 50000;
    bz_layer l;
    BUILD_OK(&l, "erdos_renyi", n, 0, 11, "mean_degree", "12");
    double mean, var;
    degree_moments(&l, &mean, &var);
    /* Poisson(12): the sample mean has sd 0.02, variance sd ~0.1. */
    CU_ASSERT(fabs(mean - 12.0) < 0.02 * 12.0);
    CU_ASSERT(fabs(var - 12.0 * (1 - 12.0 / (n - 1))) < 0.05 * 12.0);
    /* P(k) against the Poisson law near the mode. */
    uint64_t hist[64] = {0};
    for (uint32_t u = 0; u < n; u++) {
        uint64_t k = bz_layer_degree(&l, u);
        hist[k < 63 ? k : 63]++;
    }
    for (int k = 9; k <= 15; k++) { /* within 4 binomial standard deviations */
        double p = exp(-12.0 + k * log(12.0) - lgamma(k + 1.0));
        CU_ASSERT(fabs(hist[k] / (double)n - p) < 4 * sqrt(p * (1 - p) / n));
    }
    CU_ASSERT_EQUAL(l.dropped_self_loops, 0); /* distinct pairs by construction */
    CU_ASSERT_EQUAL(l.dropped_duplicates, 0);
    bz_layer_destroy(&l);

    BUILD_OK(&l, "erdos_renyi", n, 1, 11, "mean_degree", "8");
    degree_moments(&l, &mean, &var); /* out-degrees */
    CU_ASSERT(fabs(mean - 8.0) < 0.02 * 8.0);
    CU_ASSERT(fabs(var - 8.0) < 0.05 * 8.0);
    double in_s = 0, in_s2 = 0;
    for (uint32_t v = 0; v < n; v++) {
        double k = (double)l.in_degree[v];
        in_s += k, in_s2 += k * k;
    }
    CU_ASSERT(fabs(in_s - (double)l.m) < 0.5);
    CU_ASSERT(fabs(in_s2 / n - (in_s / n) * (in_s / n) - 8.0) < 0.05 * 8.0);
    CU_ASSERT_EQUAL(l.dropped_self_loops + l.dropped_duplicates, 0);
    bz_layer_destroy(&l);
}

static void test_er_gnm(void)
{
    bz_layer l;
    BUILD_OK(&l, "erdos_renyi", 20000, 0, 5, "edges", "100000");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 100000);
    CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
    bz_layer_destroy(&l);
    BUILD_OK(&l, "erdos_renyi", 20000, 1, 5, "edges", "123457");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 123457);
    bz_layer_destroy(&l);
    /* dense: 4900 of the 4950 pairs, and all of them */
    BUILD_OK(&l, "erdos_renyi", 100, 0, 5, "edges", "4900");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 4900);
    bz_layer_destroy(&l);
    BUILD_OK(&l, "erdos_renyi", 100, 0, 5, "edges", "4950");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 4950);
    CU_ASSERT_EQUAL(max_degree(&l), 99);
    bz_layer_destroy(&l);

    /* The engine may prepare before it knows n (agents from a file): the
     * plan is made at build time, and the same without any prepare(). */
    const bz_netgen_type *t = gen("erdos_renyi");
    static const char *const kv[] = {"edges", "5000"};
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, 2, &err), BZ_OK);
    bz_netgen_ctx ctx = {.n = 0, .seed = 3, .params = pb.bytes};
    uint32_t na;
    CU_ASSERT_EQUAL_FATAL(t->prepare(&ctx, &ctx.state, &na, &err), BZ_OK);
    CU_ASSERT_EQUAL(na, 0);
    ctx.n = 3000;
    bz_layer a, b;
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&a, t, &ctx, "a", &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_layer_edges(&a), 5000);
    t->release(ctx.state);
    ctx.state = NULL;
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&b, t, &ctx, "b", &err), BZ_OK);
    CU_ASSERT(same_layer(&a, &b));
    bz_layer_destroy(&a);
    bz_layer_destroy(&b);
}

/* G(n, m) must be uniform over pairs: over R seeds each of the N pairs is
 * present about R m / N times. Chi-square with N - 1 degrees of freedom,
 * accepted within 5 standard deviations (sqrt(2 df)). */
static void test_er_gnm_uniform(void)
{
    const uint32_t n = 300;
    const uint64_t pairs = (uint64_t)n * (n - 1) / 2, m = 2000;
    const int reps = 200;
    uint32_t *count = calloc(pairs, sizeof *count);
    for (int r = 0; r < reps; r++) {
        bz_layer l;
        BUILD_OK(&l, "erdos_renyi", n, 0, 1000 + (uint64_t)r, "edges", "2000");
        CU_ASSERT_EQUAL(bz_layer_edges(&l), m);
        for (uint32_t v = 1; v < n; v++)
            for (uint64_t i = l.offsets[v]; i < l.offsets[v + 1] && l.targets[i] < v; i++)
                count[(uint64_t)v * (v - 1) / 2 + l.targets[i]]++;
        bz_layer_destroy(&l);
    }
    double expect = (double)reps * m / pairs, chi2 = 0;
    for (uint64_t i = 0; i < pairs; i++)
        chi2 += (count[i] - expect) * (count[i] - expect) / expect;
    /* The counts are hypergeometric-like (variance expect (1 - m/N)), so the
     * statistic is a bit below df; the bound is generous both ways. */
    double df = (double)pairs - 1;
    CU_ASSERT(fabs(chi2 - df * (1 - (double)m / pairs)) < 5 * sqrt(2 * df));
    free(count);
}

/* ---- barabasi_albert ---------------------------------------------------- */
static void test_ba(void)
{
    const uint32_t n = 50000, m = 4, m0 = m + 1;
    bz_layer l;
    BUILD_OK(&l, "barabasi_albert", n, 0, 3, "m", "4");
    /* exactly the clique plus m distinct targets per later agent */
    uint64_t edges = (uint64_t)m0 * (m0 - 1) / 2 + (uint64_t)(n - m0) * m;
    CU_ASSERT_EQUAL(bz_layer_edges(&l), edges);
    CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
    uint64_t min = UINT64_MAX;
    for (uint32_t u = 0; u < n; u++)
        if (bz_layer_degree(&l, u) < min) min = bz_layer_degree(&l, u);
    CU_ASSERT(min >= m);
    /* heavy tail: the largest hub grows like m sqrt(n) ~ 900 */
    CU_ASSERT(max_degree(&l) > 300);
    /* P(k) = 2m(m+1) / (k(k+1)(k+2)) for small k, within 4 binomial sd */
    uint64_t hist[8] = {0};
    for (uint32_t u = 0; u < n; u++) {
        uint64_t k = bz_layer_degree(&l, u);
        if (k < m + 8) hist[k - m]++;
    }
    for (uint32_t k = m; k < m + 4; k++) {
        double p = 2.0 * m * (m + 1) / ((double)k * (k + 1) * (k + 2));
        CU_ASSERT(fabs(hist[k - m] / (double)n - p) < 4 * sqrt(p * (1 - p) / n));
    }
    /* Power-law exponent by the discrete MLE approximation of Clauset,
     * Shalizi & Newman (2009): alpha = 1 + N / sum ln(k / (k_min - 1/2)).
     * For the exact BA law it gives 2.68 at k_min = m but 2.89 at k_min = 3m
     * (the law is k^-3 only asymptotically), so k_min = 3m; +-0.3. */
    double kmin = 3.0 * m, ntail = 0, sum = 0;
    for (uint32_t u = 0; u < n; u++) {
        double k = (double)bz_layer_degree(&l, u);
        if (k >= kmin) ntail++, sum += log(k / (kmin - 0.5));
    }
    double alpha = 1 + ntail / sum;
    CU_ASSERT(fabs(alpha - 3.0) < 0.3);
    /* old agents are the hubs */
    CU_ASSERT(bz_layer_degree(&l, 0) > 10 * m);
    bz_layer_destroy(&l);
}

static void test_ba_directed_and_m0(void)
{
    const uint32_t n = 20000;
    bz_layer l;
    BUILD_OK(&l, "barabasi_albert", n, 1, 3, "m", "3", "m0", "10");
    /* every later agent follows exactly m earlier agents: in-degree m */
    int in_ok = 1;
    for (uint32_t v = 10; v < n; v++)
        in_ok &= l.in_degree[v] == 3;
    CU_ASSERT(in_ok);
    for (uint32_t v = 0; v < 10; v++)
        CU_ASSERT_EQUAL(l.in_degree[v], v); /* clique: a -> b, a < b */
    CU_ASSERT_EQUAL(l.m, 45 + (uint64_t)(n - 10) * 3);
    /* followers (out-degree) are heavy-tailed */
    CU_ASSERT(max_degree(&l) > 100);
    /* arcs go from older to newer agents, except inside the clique */
    int old_to_new = 1;
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t i = l.offsets[u]; i < l.offsets[u + 1]; i++)
            if (l.targets[i] >= 10) old_to_new &= l.targets[i] > u;
    CU_ASSERT(old_to_new);
    bz_layer_destroy(&l);
}

/* ---- watts_strogatz ----------------------------------------------------- */
static void test_ws(void)
{
    const uint32_t n = 20000;
    const int k = 10;
    const double c0 = 3.0 * (k - 2) / (4.0 * (k - 1));
    bz_layer l;
    double avg, trans, mean, var;

    BUILD_OK(&l, "watts_strogatz", n, 0, 9, "k", "10", "beta", "0");
    degree_moments(&l, &mean, &var);
    CU_ASSERT_EQUAL(var, 0.0);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), (uint64_t)n * k / 2);
    clustering(&l, &avg, &trans);
    CU_ASSERT_DOUBLE_EQUAL(avg, c0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(trans, c0, 1e-12);
    CU_ASSERT(has_arc(&l, 0, n - 1) && has_arc(&l, 0, 5) && !has_arc(&l, 0, 6));
    bz_layer_destroy(&l);

    const double betas[] = {0.1, 0.3, 1.0};
    for (int i = 0; i < 3; i++) {
        char b[16];
        snprintf(b, sizeof b, "%g", betas[i]);
        const char *const kv[] = {"k", "10", "beta", b};
        params_buf pb;
        bz_error err;
        CU_ASSERT_EQUAL_FATAL(set_params(gen("watts_strogatz"), &pb, kv, 4, &err), BZ_OK);
        CU_ASSERT_EQUAL_FATAL(build(&l, gen("watts_strogatz"), &pb, n, 0, 9, &err), BZ_OK);
        /* no edge is lost to a repeat: mean degree exactly k */
        CU_ASSERT_EQUAL(bz_layer_edges(&l), (uint64_t)n * k / 2);
        CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
        clustering(&l, &avg, &trans);
        double expect = c0 * pow(1 - betas[i], 3);
        if (betas[i] < 1) {
            /* Barrat & Weigt: within 10% relative */
            CU_ASSERT(fabs(trans - expect) < 0.1 * expect);
        } else {
            CU_ASSERT(trans < 0.01); /* random graph: about k / n */
        }
        degree_moments(&l, &mean, &var);
        CU_ASSERT(betas[i] == 0 || var > 0);
        bz_layer_destroy(&l);
    }
}

/* Parameters at the edge of what is feasible, where agents run out of
 * distinct random choices and take the deterministic fallback. */
static void test_extremes_stay_simple(void)
{
    bz_layer l;
    /* 801 = 2k + 1: every agent must rewire onto all 200 far distances */
    BUILD_OK(&l, "watts_strogatz", 801, 0, 4, "k", "400", "beta", "1");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 801ull * 200);
    CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
    bz_layer_destroy(&l);
    /* m = 100 of an m0 = 101 clique: agent 101 needs 100 of its 101 elders */
    BUILD_OK(&l, "barabasi_albert", 400, 0, 4, "m", "100");
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 101ull * 100 / 2 + 299ull * 100);
    CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
    uint64_t min = UINT64_MAX;
    for (uint32_t u = 0; u < l.n; u++)
        if (bz_layer_degree(&l, u) < min) min = bz_layer_degree(&l, u);
    CU_ASSERT(min >= 100);
    bz_layer_destroy(&l);
    /* n = 2: the single pair, with p = 1 refused by check() but G(n, m) fine */
    BUILD_OK(&l, "erdos_renyi", 2, 0, 4, "edges", "1");
    CU_ASSERT_EQUAL(l.m, 2);
    bz_layer_destroy(&l);
}

/* ---- well_mixed --------------------------------------------------------- */
static void test_well_mixed(void)
{
    bz_layer l;
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(set_params(gen("well_mixed"), &pb, NULL, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(build(&l, gen("well_mixed"), &pb, 1000000, 0, 1, &err), BZ_OK);
    CU_ASSERT(l.complete);
    CU_ASSERT_PTR_NULL(l.targets);
    CU_ASSERT_EQUAL(bz_layer_degree(&l, 123), 999999);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 1000000ull * 999999 / 2);
    CU_ASSERT_STRING_EQUAL(l.generator, "well_mixed");
    bz_layer_destroy(&l);
    CU_ASSERT_EQUAL(build(&l, gen("well_mixed"), &pb, 100, 1, 1, &err), BZ_EINVAL);
}

/* ---- determinism -------------------------------------------------------- */
static void check_threads(const char *name, uint32_t n, int directed, const char *const *kv,
                          size_t nkv)
{
    const bz_netgen_type *t = gen(name);
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, nkv, &err), BZ_OK);
    bz_layer a, b, c;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(build(&a, t, &pb, n, directed, 77, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(build(&b, t, &pb, n, directed, 77, &err), BZ_OK);
    omp_set_num_threads(3);
    CU_ASSERT_EQUAL_FATAL(build(&c, t, &pb, n, directed, 78, &err), BZ_OK);
    omp_set_num_threads(saved);
    CU_ASSERT(same_layer(&a, &b));
    CU_ASSERT(!same_layer(&a, &c)); /* the seed matters */
    bz_layer_destroy(&a);
    bz_layer_destroy(&b);
    bz_layer_destroy(&c);
}

static void test_thread_determinism(void)
{
    static const char *const er[] = {"mean_degree", "6"};
    static const char *const gnm[] = {"edges", "70000"};
    static const char *const ba[] = {"m", "3"};
    static const char *const ws[] = {"k", "6", "beta", "0.2"};
    check_threads("erdos_renyi", 30000, 0, er, 2);
    check_threads("erdos_renyi", 30000, 1, er, 2);
    check_threads("erdos_renyi", 30000, 0, gnm, 2);
    check_threads("erdos_renyi", 30000, 1, gnm, 2);
    check_threads("barabasi_albert", 30000, 0, ba, 2);
    check_threads("barabasi_albert", 30000, 1, ba, 2);
    check_threads("watts_strogatz", 30000, 0, ws, 4);
}

static void test_layer_index_matters(void)
{
    const bz_netgen_type *t = gen("barabasi_albert");
    params_buf pb;
    bz_error err;
    static const char *const kv[] = {"m", "2"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, 2, &err), BZ_OK);
    bz_layer a, b;
    bz_netgen_ctx ctx = {.n = 1000, .seed = 5, .params = pb.bytes};
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&a, t, &ctx, "a", &err), BZ_OK);
    /* with prepare()'s state the fill pass replays the count pass: same layer */
    uint32_t na;
    CU_ASSERT_EQUAL_FATAL(t->prepare(&ctx, &ctx.state, &na, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&b, t, &ctx, "b", &err), BZ_OK);
    CU_ASSERT(same_layer(&a, &b));
    bz_layer_destroy(&b);
    ctx.seed = 6; /* the state is reused by the next build, which differs */
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&b, t, &ctx, "b", &err), BZ_OK);
    CU_ASSERT(!same_layer(&a, &b));
    bz_layer_destroy(&b);
    t->release(ctx.state);
    ctx.state = NULL;
    ctx.seed = 5;
    ctx.layer_index = 1;
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&b, t, &ctx, "b", &err), BZ_OK);
    CU_ASSERT(!same_layer(&a, &b));
    bz_layer_destroy(&b);
    ctx.layer_index = 0;
    ctx.replicate = 3;
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&b, t, &ctx, "b", &err), BZ_OK);
    CU_ASSERT(!same_layer(&a, &b));
    bz_layer_destroy(&a);
    bz_layer_destroy(&b);
}

/* ---- parameter errors --------------------------------------------------- */
static void expect_check_error(const char *name, uint32_t n, int directed, const char *const *kv,
                               size_t nkv, const char *needle)
{
    const bz_netgen_type *t = gen(name);
    params_buf pb;
    bz_error err = {0};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, nkv, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, n, directed, &err), BZ_EINVAL);
    if (!strstr(err.msg, needle)) fprintf(stderr, "message '%s' lacks '%s'\n", err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
}

static void test_check_errors(void)
{
    static const char *const md[] = {"mean_degree", "99"};
    static const char *const md0[] = {"mean_degree", "0"};
    static const char *const big[] = {"edges", "4951"};
    static const char *const k5[] = {"k", "5"};
    static const char *const k10[] = {"k", "10"};
    static const char *const m10[] = {"m", "10"};
    static const char *const m0[] = {"m", "3", "m0", "3"};
    expect_check_error("erdos_renyi", 100, 0, md, 2, "mean_degree = 99");
    expect_check_error("erdos_renyi", 100, 0, md0, 2, "mean_degree = 0");
    expect_check_error("erdos_renyi", 100, 0, big, 2, "edges = 4951");
    expect_check_error("watts_strogatz", 100, 0, k5, 2, "k = 5");
    expect_check_error("watts_strogatz", 20, 0, k10, 2, "n = 20");
    expect_check_error("barabasi_albert", 10, 0, m10, 2, "m = 10");
    expect_check_error("barabasi_albert", 100, 0, m0, 4, "m0 = 3");
    /* beta > 1 is refused by the table's bounds, when parsed */
    const bz_netgen_type *ws = gen("watts_strogatz");
    const bz_param *beta = bz_params_find(ws->params, ws->n_params, "beta");
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL(bz_param_parse(beta, "1.5", pb.bytes, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "beta"));
    /* and check() refuses it if set directly */
    CU_ASSERT_EQUAL_FATAL(set_params(ws, &pb, NULL, 0, &err), BZ_OK);
    *(double *)(pb.bytes + beta->offset) = 1.5;
    CU_ASSERT_EQUAL(ws->check(pb.bytes, 100, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "beta = 1.5"));
    /* directed watts_strogatz is refused by the builder */
    bz_layer l;
    CU_ASSERT_EQUAL_FATAL(set_params(ws, &pb, NULL, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(build(&l, ws, &pb, 100, 1, 1, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "directed"));
}

/* Every registered generator, walked from the registry
 * (tests/unit/test_registries.c checks every registry's tables in depth);
 * each test above that names a generator fails if it is not registered
 * (gen()). */
static void test_registry(void)
{
    size_t count = 0;
    for (; bz_netgen_registry[count]; count++) {
        const bz_netgen_type *t = bz_netgen_find(bz_netgen_registry[count]->name);
        CU_ASSERT_PTR_EQUAL_FATAL(t, bz_netgen_registry[count]);
        CU_ASSERT(t->name && t->name[0]);
        CU_ASSERT(t->implicit_complete || t->generate != NULL);
        CU_ASSERT(t->summary && t->summary[0]);
        params_buf pb;
        bz_error err;
        /* every default parses (edge_list's path is required: NULL default) */
        CU_ASSERT_EQUAL(bz_params_set_defaults(t->params, t->n_params, pb.bytes, &err), BZ_OK);
        for (size_t j = 0; j < t->n_params; j++)
            CU_ASSERT(t->params[j].desc != NULL);
    }
    CU_ASSERT(count >= 5);
    CU_ASSERT_PTR_NULL(bz_netgen_find("no_such_model"));
    /* estimates */
    params_buf pb;
    bz_error err;
    static const char *const ba[] = {"m", "4"};
    CU_ASSERT_EQUAL(set_params(gen("barabasi_albert"), &pb, ba, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(gen("barabasi_albert")->estimate_arcs(pb.bytes, 1000, 0), 2 * (10 + 995 * 4));
    static const char *const er[] = {"mean_degree", "10"};
    CU_ASSERT_EQUAL(set_params(gen("erdos_renyi"), &pb, er, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(gen("erdos_renyi")->estimate_arcs(pb.bytes, 1000, 0), 10000);
    static const char *const ws[] = {"k", "6"};
    CU_ASSERT_EQUAL(set_params(gen("watts_strogatz"), &pb, ws, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(gen("watts_strogatz")->estimate_arcs(pb.bytes, 1000, 0), 6000);
}

static CU_TestInfo tests[] = {
    {"erdos_renyi G(n,p): Poisson degrees", test_er_gnp},
    {"erdos_renyi G(n,m): exactly m edges", test_er_gnm},
    {"erdos_renyi G(n,m): uniform over pairs", test_er_gnm_uniform},
    {"barabasi_albert: BA degree law, exponent 3", test_ba},
    {"barabasi_albert: directed followers, m0", test_ba_directed_and_m0},
    {"watts_strogatz: degree k, clustering (1-beta)^3", test_ws},
    {"extreme parameters stay simple graphs", test_extremes_stay_simple},
    {"well_mixed: implicit complete", test_well_mixed},
    {"1, 2, 3 threads give identical layers", test_thread_determinism},
    {"layer index, replicate, seed key the streams", test_layer_index_matters},
    {"check() and parameter errors", test_check_errors},
    {"registry, defaults, estimates", test_registry},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("networks", tests);
}

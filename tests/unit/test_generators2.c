/* generators2: chung_lu, holme_kim, sbm and configuration against theory
 * at modest sizes (each case well under 5 s in a Debug build on 2 cores),
 * determinism across thread counts, and parameter/file errors. Tolerances
 * are stated and justified where used. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_net_test.h"
#include "bz_test.h"
#include "graph/generator.h"
#include "rng/rng.h"

/* Build with an optional population (sbm) and base directory (files). */
static int build_ctx(bz_layer *l, const bz_netgen_type *t, const params_buf *pb, uint32_t n,
                     int directed, uint64_t seed, const bz_population *pop, bz_error *err)
{
    bz_netgen_ctx ctx = {.n = n,
                         .directed = directed,
                         .seed = seed,
                         .replicate = 0,
                         .layer_index = 0,
                         .params = pb->bytes,
                         .pop = pop};
    int status = t->check ? t->check(pb->bytes, n, directed, err) : BZ_OK;
    if (status != BZ_OK) return status;
    uint32_t n_agents = 0;
    if (t->prepare) status = t->prepare(&ctx, &ctx.state, &n_agents, err);
    if (status == BZ_OK) status = bz_layer_build(l, t, &ctx, "test", err);
    if (t->release) t->release(ctx.state);
    return status;
}

static int build(bz_layer *l, const bz_netgen_type *t, const params_buf *pb, uint32_t n,
                 int directed, uint64_t seed, bz_error *err)
{
    return build_ctx(l, t, pb, n, directed, seed, NULL, err);
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

/* Discrete power-law exponent by maximum likelihood over degrees >= kmin
 * (Clauset, Shalizi & Newman 2009, eq. 3.7: 1 + N / sum ln(k / (kmin - 1/2))).
 * `in` selects in-degrees of a directed layer. Also returns the tail size. */
static double powerlaw_mle(const bz_layer *l, int in, uint64_t kmin, uint64_t *tail)
{
    double s = 0;
    uint64_t cnt = 0;
    for (uint32_t u = 0; u < l->n; u++) {
        uint64_t k = in ? bz_layer_in_degree(l, u) : bz_layer_degree(l, u);
        if (k < kmin) continue;
        s += log((double)k / ((double)kmin - 0.5));
        cnt++;
    }
    if (tail) *tail = cnt;
    return cnt && s > 0 ? 1.0 + (double)cnt / s : NAN;
}

/* ---- chung_lu ----------------------------------------------------------- */
static void test_cl_undirected(void)
{
    const uint32_t n = 200000;
    bz_layer l;
    BUILD_OK(&l, "chung_lu", n, 0, 5, "mean_degree", "10", "exponent", "2.5");
    double mean, var;
    degree_moments(&l, &mean, &var);
    uint64_t tail = 0;
    /* kmin = 5 x mean: well above the Poisson bulk around the smallest
     * weights (about 3.3), so the tail is the weight law; still ~3000 agents
     * (standard error (g-1)/sqrt(N) ~ 0.03). */
    double g = powerlaw_mle(&l, 0, 50, &tail);
    uint64_t kmax = max_degree(&l);
    printf("\n  chung_lu n=%u: mean %.3f (10), var %.1f, MLE exponent %.3f (2.5, tail %llu), "
           "max degree %llu, dropped %llu/%llu\n",
           n, mean, var, g, (unsigned long long)tail, (unsigned long long)kmax,
           (unsigned long long)l.dropped_self_loops, (unsigned long long)l.dropped_duplicates);
    CU_ASSERT(fabs(mean - 10.0) < 0.3);       /* 3% */
    CU_ASSERT(fabs(g - 2.5) < 0.3);           /* the brief's tolerance */
    CU_ASSERT(kmax > 700);                    /* natural cutoff sqrt(n d) = 1414 */
    CU_ASSERT(var > 10.0 * mean);             /* heavy tail, far from Poisson */
    CU_ASSERT_EQUAL(l.dropped_self_loops, 0); /* u < v by construction */
    CU_ASSERT_EQUAL(l.dropped_duplicates, 0);
    bz_layer_destroy(&l);
}

static void test_cl_directed(void)
{
    const uint32_t n = 100000;
    bz_layer l;
    BUILD_OK(&l, "chung_lu", n, 1, 6, "mean_degree", "10", "out_exponent", "2.2", "in_exponent",
             "3.0");
    double mean, var;
    degree_moments(&l, &mean, &var);
    uint64_t to = 0, ti = 0;
    double gout = powerlaw_mle(&l, 0, 50, &to);
    double gin = powerlaw_mle(&l, 1, 50, &ti);
    uint64_t kout = max_degree(&l), kin = 0;
    for (uint32_t u = 0; u < n; u++)
        if (l.in_degree[u] > kin) kin = l.in_degree[u];
    printf("  chung_lu directed: mean out %.3f, out exponent %.3f (2.2, tail %llu), in exponent "
           "%.3f (3.0, tail %llu), max out %llu, max in %llu\n",
           mean, gout, (unsigned long long)to, gin, (unsigned long long)ti,
           (unsigned long long)kout, (unsigned long long)kin);
    CU_ASSERT(fabs(mean - 10.0) < 0.3);
    CU_ASSERT(fabs(gout - 2.2) < 0.3);
    CU_ASSERT(fabs(gin - 3.0) < 0.3);
    CU_ASSERT(gin - gout > 0.4); /* the two laws really differ */
    CU_ASSERT(kout > 500);       /* a few accounts have very many followers */
    /* the largest out-weight (agent 0) is not also the largest in-weight */
    CU_ASSERT(l.in_degree[0] < kin);
    bz_layer_destroy(&l);
}

static void test_cl_errors(void)
{
    const bz_netgen_type *t = gen("chung_lu");
    params_buf pb;
    bz_error err;
    bz_layer l;
    static const char *const e2[] = {"exponent", "2"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, e2, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(build(&l, t, &pb, 1000, 0, 1, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "exponent = 2"));
    CU_ASSERT_EQUAL(bz_error_exit_code(err.code), 2);
    static const char *const md[] = {"mean_degree", "0"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, md, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mean_degree"));
    static const char *const mx[] = {"mean_degree", "10", "max_degree", "5"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, mx, 4, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "max_degree = 5"));
    static const char *const ie[] = {"in_exponent", "1.5"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, ie, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 1, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "in_exponent = 1.5"));
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_OK); /* ignored when undirected */
    static const char *const ok[] = {"exponent", "2.01"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, ok, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1, 0, &err), BZ_EINVAL);
}

/* ---- holme_kim ---------------------------------------------------------- */
static void test_hk(void)
{
    const uint32_t n = 50000;
    static const char *const pt[3] = {"0", "0.4", "0.8"};
    double c[3], t[3];
    for (int i = 0; i < 3; i++) {
        const char *kv[] = {"m", "4", "p_triad", pt[i]};
        params_buf pb;
        bz_error err;
        bz_layer l;
        const bz_netgen_type *ty = gen("holme_kim");
        CU_ASSERT_EQUAL_FATAL(set_params(ty, &pb, kv, 4, &err), BZ_OK);
        CU_ASSERT_EQUAL_FATAL(build(&l, ty, &pb, n, 0, 21, &err), BZ_OK);
        double mean, var;
        degree_moments(&l, &mean, &var);
        clustering(&l, &c[i], &t[i]);
        uint64_t tail = 0;
        /* kmin = 20 (2.5 x mean): the BA law k^-3 holds from k ~ 2m on, and
         * this keeps ~2000 agents in the tail (standard error ~0.05) */
        double g = powerlaw_mle(&l, 0, 20, &tail);
        printf("%s  holme_kim p_triad=%s: mean %.3f (8), clustering %.3f, transitivity %.3f, "
               "exponent %.3f (3, tail %llu), max %llu, dropped %llu\n",
               i ? "" : "\n", pt[i], mean, c[i], t[i], g, (unsigned long long)tail,
               (unsigned long long)max_degree(&l),
               (unsigned long long)(l.dropped_duplicates + l.dropped_self_loops));
        /* exactly 2m - m(m+1)/n: every agent attaches m distinct targets */
        CU_ASSERT_DOUBLE_EQUAL(mean, 8.0 - 20.0 / n, 1e-9);
        CU_ASSERT(fabs(g - 3.0) < 0.4);
        CU_ASSERT_EQUAL(l.dropped_duplicates + l.dropped_self_loops, 0);
        bz_layer_destroy(&l);
    }
    bz_layer ba;
    BUILD_OK(&ba, "barabasi_albert", n, 0, 21, "m", "4");
    double cba, tba;
    clustering(&ba, &cba, &tba);
    printf("  barabasi_albert m=4: clustering %.3f\n", cba);
    bz_layer_destroy(&ba);
    CU_ASSERT(c[0] < c[1] && c[1] < c[2]);
    CU_ASSERT(c[0] < 2 * cba);               /* p_triad = 0 is BA */
    CU_ASSERT(c[2] > 0.2 && c[2] > 5 * cba); /* clearly above BA's */
}

static void test_hk_directed_errors(void)
{
    const uint32_t n = 20000;
    bz_layer l;
    BUILD_OK(&l, "holme_kim", n, 1, 3, "m", "3", "p_triad", "0.5");
    /* every agent after the clique follows exactly m accounts */
    for (uint32_t u = 4; u < n; u++)
        if (l.in_degree[u] != 3) {
            CU_FAIL("in-degree is not m");
            break;
        }
    CU_ASSERT(max_degree(&l) > 100); /* followers are scale-free */
    bz_layer_destroy(&l);
    const bz_netgen_type *t = gen("holme_kim");
    params_buf pb;
    bz_error err;
    static const char *const m0[] = {"m", "5"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, m0, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 5, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "m = 5"));
    CU_ASSERT_EQUAL(t->check(pb.bytes, 6, 0, &err), BZ_OK);
    static const char *const bad[] = {"p_triad", "1.5"};
    CU_ASSERT_EQUAL(set_params(t, &pb, bad, 2, &err), BZ_EINVAL); /* a probability */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "p_triad"));
    CU_ASSERT_EQUAL(t->estimate_arcs(pb.bytes, 1000, 0), 2 * (15 + 994 * 5));
}

/* ---- sbm ---------------------------------------------------------------- */
static void within_share(const bz_layer *l, const bz_population *pop, double *share)
{
    uint64_t in = 0, all = 0;
    for (uint32_t u = 0; u < l->n; u++)
        for (uint64_t i = l->offsets[u]; i < l->offsets[u + 1]; i++) {
            all++;
            in += pop->city[u] == pop->city[l->targets[i]];
        }
    *share = all ? (double)in / (double)all : NAN;
}

static void build_sbm(bz_layer *l, const bz_population *pop, uint64_t seed, const char *const *kv,
                      size_t nkv)
{
    const bz_netgen_type *t = gen("sbm");
    params_buf pb;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, nkv, &err), BZ_OK);
    int s = build_ctx(l, t, &pb, pop->n, 0, seed, pop, &err);
    if (s != BZ_OK) fprintf(stderr, "sbm: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, BZ_OK);
}

static void test_sbm(void)
{
    const uint32_t n = 40000;
    bz_population pop;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_population_init(&pop, n, 20, 1.0, 9, &err), BZ_OK);
    static const char *const shares[] = {"0.2", "0.85", "1", "0"};
    printf("\n");
    for (int i = 0; i < 4; i++) {
        const char *kv[] = {"mean_degree", "12", "within_city", shares[i]};
        bz_layer l;
        build_sbm(&l, &pop, 31, kv, 4);
        double mean, var, share;
        degree_moments(&l, &mean, &var);
        within_share(&l, &pop, &share);
        printf("  sbm within_city=%s: mean %.3f (12), within share %.4f\n", shares[i], mean, share);
        CU_ASSERT(fabs(mean - 12.0) < 0.36); /* 3% */
        /* 0.02: the share's sampling error is ~0.002 at 240,000 edges */
        CU_ASSERT(fabs(share - atof(shares[i])) < 0.02);
        bz_layer_destroy(&l);
    }
    /* small world: same degree and share, much more clustering */
    bz_layer a, b;
    const char *kv_r[] = {"mean_degree", "10", "within_city", "0.85"};
    const char *kv_w[] = {"mean_degree", "10",   "within_city", "0.85",
                          "small_world", "true", "beta",        "0.1"};
    build_sbm(&a, &pop, 32, kv_r, 4);
    build_sbm(&b, &pop, 32, kv_w, 8);
    double ca, ta, cb, tb, mb, vb, sb;
    clustering(&a, &ca, &ta);
    clustering(&b, &cb, &tb);
    degree_moments(&b, &mb, &vb);
    within_share(&b, &pop, &sb);
    printf("  sbm small_world: mean %.3f (10), share %.4f (0.85), clustering %.3f vs %.3f random, "
           "dropped %llu\n",
           mb, sb, cb, ca, (unsigned long long)b.dropped_duplicates);
    CU_ASSERT(fabs(mb - 10.0) < 0.3);
    CU_ASSERT(fabs(sb - 0.85) < 0.02);
    CU_ASSERT(ca < 0.01);
    CU_ASSERT(cb > 0.25); /* ring of ~8.5 with beta 0.1, diluted by the 15% across cities */
    bz_layer_destroy(&a);
    bz_layer_destroy(&b);
    bz_population_destroy(&pop);
}

static void test_sbm_no_pop_threads_errors(void)
{
    /* no population: one city, G(n, p) */
    bz_layer l;
    BUILD_OK(&l, "sbm", 30000, 0, 4, "mean_degree", "8", "within_city", "0.3");
    double mean, var;
    degree_moments(&l, &mean, &var);
    CU_ASSERT(fabs(mean - 8.0) < 0.24);
    CU_ASSERT(fabs(var - 8.0) < 0.5); /* Poisson */
    bz_layer_destroy(&l);
    /* 1 vs 2 threads, with a population and both variants */
    bz_population pop;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_population_init(&pop, 30000, 50, 0.8, 5, &err), BZ_OK);
    const char *kv[] = {"mean_degree", "9", "within_city", "0.6", "small_world", "false"};
    for (int sw = 0; sw < 2; sw++) {
        kv[5] = sw ? "true" : "false";
        bz_layer a, b, c;
        int saved = omp_get_max_threads();
        omp_set_num_threads(1);
        build_sbm(&a, &pop, 77, kv, 6);
        omp_set_num_threads(2);
        build_sbm(&b, &pop, 77, kv, 6);
        build_sbm(&c, &pop, 78, kv, 6);
        omp_set_num_threads(saved);
        CU_ASSERT(same_layer(&a, &b));
        CU_ASSERT(!same_layer(&a, &c));
        bz_layer_destroy(&a);
        bz_layer_destroy(&b);
        bz_layer_destroy(&c);
    }
    /* a population of the wrong size */
    const bz_netgen_type *t = gen("sbm");
    params_buf pb;
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(build_ctx(&l, t, &pb, 20000, 0, 1, &pop, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "population"));
    bz_population_destroy(&pop);
    static const char *const md[] = {"mean_degree", "100"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, md, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 50, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mean_degree = 100"));
    static const char *const wc[] = {"within_city", "1.2"};
    CU_ASSERT_EQUAL(set_params(t, &pb, wc, 2, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "within_city"));
    CU_ASSERT_EQUAL(t->directed_ok, 0);
}

/* ---- configuration ------------------------------------------------------ */
static void test_cfg_laws(void)
{
    const uint32_t n = 100000;
    bz_layer l;
    BUILD_OK(&l, "configuration", n, 0, 8, "degrees", "poisson", "mean_degree", "10");
    double mean, var;
    degree_moments(&l, &mean, &var);
    uint64_t e = bz_layer_edges(&l), lost = l.dropped_self_loops + l.dropped_duplicates;
    double kept = (double)e / (double)(e + lost);
    printf("\n  configuration poisson(10): mean %.3f, var %.3f, kept %.5f (%llu self-loops, %llu "
           "duplicates)\n",
           mean, var, kept, (unsigned long long)l.dropped_self_loops,
           (unsigned long long)l.dropped_duplicates);
    /* stubs paired = 2(e + lost) ~ n Poisson(10): sd of the sum ~ 1000 */
    CU_ASSERT(fabs(2.0 * (double)(e + lost) / n - 10.0) < 0.1);
    CU_ASSERT(fabs(var - 10.0) < 0.5); /* Poisson degrees survive the erasure */
    CU_ASSERT(kept >= 0.99);
    CU_ASSERT(lost > 0); /* the erasure is real: expected ~ (<k^2>/<k> - 1)^2 / 4 ~ 30 edges */
    bz_layer_destroy(&l);

    BUILD_OK(&l, "configuration", n, 0, 9, "degrees", "fixed", "mean_degree", "4");
    uint64_t over = 0;
    for (uint32_t u = 0; u < n; u++)
        over += bz_layer_degree(&l, u) > 4;
    e = bz_layer_edges(&l);
    lost = l.dropped_self_loops + l.dropped_duplicates;
    printf("  configuration fixed(4): edges %llu, lost %llu\n", (unsigned long long)e,
           (unsigned long long)lost);
    CU_ASSERT_EQUAL(over, 0);
    CU_ASSERT_EQUAL(e + lost, 2 * (uint64_t)n); /* every stub paired: 4n stubs */
    CU_ASSERT(lost < 30);                       /* expected ~ (k-1)^2/4 + (k-1)/2 = 3.75 */
    bz_layer_destroy(&l);

    BUILD_OK(&l, "configuration", n, 0, 10, "degrees", "powerlaw", "mean_degree", "10", "exponent",
             "2.5");
    degree_moments(&l, &mean, &var);
    uint64_t tail;
    double g = powerlaw_mle(&l, 0, 50, &tail);
    e = bz_layer_edges(&l);
    lost = l.dropped_self_loops + l.dropped_duplicates;
    printf("  configuration powerlaw(10, 2.5): mean %.3f, exponent %.3f (tail %llu), kept %.4f, "
           "max %llu\n",
           mean, g, (unsigned long long)tail, (double)e / (double)(e + lost),
           (unsigned long long)max_degree(&l));
    CU_ASSERT(fabs(2.0 * (double)(e + lost) / n - 10.0) < 1.0); /* heavy tail: 10% */
    CU_ASSERT(fabs(g - 2.5) < 0.3);
    CU_ASSERT((double)e / (double)(e + lost) > 0.97);
    bz_layer_destroy(&l);
}

static const char *write_file(char *path, const char *text)
{
    strcpy(path, "/tmp/bz_cfg_XXXXXX");
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int build_cfg_file(bz_layer *l, const char *path, uint32_t n, bz_error *err)
{
    const bz_netgen_type *t = gen("configuration");
    params_buf pb;
    const char *kv[] = {"path", path};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, kv, 2, err), BZ_OK);
    return build(l, t, &pb, n, 0, 3, err);
}

static void test_cfg_file(void)
{
    const uint32_t n = 20000;
    char *text = malloc((size_t)n * 8 + 64), path[64];
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    size_t len = (size_t)sprintf(text, "# degrees\n\n");
    uint64_t sum = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint32_t k = 1 + (u * 7919u) % 12; /* 1..12, mean 6.5 */
        sum += k;
        len += (size_t)sprintf(text + len, u % 100 ? "%u\n" : "  %u \r\n", k);
    }
    write_file(path, text);
    bz_layer l;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(build_cfg_file(&l, path, n, &err), BZ_OK);
    uint64_t over = 0, deficit = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t want = 1 + (u * 7919u) % 12, got = bz_layer_degree(&l, u);
        over += got > want;
        deficit += got < want ? want - got : 0;
    }
    uint64_t lost = l.dropped_self_loops + l.dropped_duplicates;
    printf("  configuration file: %llu stubs, %llu edges, lost %llu\n", (unsigned long long)sum,
           (unsigned long long)bz_layer_edges(&l), (unsigned long long)lost);
    CU_ASSERT_EQUAL(over, 0);
    /* each dropped edge (or self-loop) costs two stubs; an odd sum one more */
    CU_ASSERT_EQUAL(deficit, 2 * lost + (sum & 1));
    CU_ASSERT(lost * 100 < sum / 2);
    bz_layer_destroy(&l);
    /* the same file for a different number of agents */
    CU_ASSERT_EQUAL(build_cfg_file(&l, path, n + 1, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "20000 degrees for n = 20001"));
    remove(path);
    free(text);
    /* a bad line names file:line */
    write_file(path, "# c\n3\n2\nx1\n");
    CU_ASSERT_EQUAL(build_cfg_file(&l, path, 3, &err), BZ_EINVAL);
    char want[96];
    snprintf(want, sizeof want, "%s:4:", path);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'x1'"));
    remove(path);
    write_file(path, "1\n-2\n1\n");
    CU_ASSERT_EQUAL(build_cfg_file(&l, path, 3, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":2:"));
    remove(path);
    write_file(path, "1\n1\n5\n");
    CU_ASSERT_EQUAL(build_cfg_file(&l, path, 3, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ":3: degree 5 exceeds n - 1 = 2"));
    remove(path);
    CU_ASSERT_EQUAL(build_cfg_file(&l, "/nonexistent/degrees.txt", 3, &err), BZ_ENOENT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/degrees.txt"));
    /* law errors */
    const bz_netgen_type *t = gen("configuration");
    params_buf pb;
    static const char *const pe[] = {"degrees", "powerlaw", "exponent", "2"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, pe, 4, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "exponent = 2"));
    static const char *const bl[] = {"degrees", "gaussian"};
    CU_ASSERT_EQUAL(set_params(t, &pb, bl, 2, &err), BZ_EINVAL);
    static const char *const md[] = {"mean_degree", "0"};
    CU_ASSERT_EQUAL_FATAL(set_params(t, &pb, md, 2, &err), BZ_OK);
    CU_ASSERT_EQUAL(t->check(pb.bytes, 1000, 0, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "mean_degree = 0"));
}

static void test_threads(void)
{
    static const char *const cl[] = {"mean_degree", "8", "exponent", "2.3"};
    check_threads("chung_lu", 30000, 0, cl, 4);
    check_threads("chung_lu", 30000, 1, cl, 4);
    static const char *const hk[] = {"m", "3", "p_triad", "0.6"};
    check_threads("holme_kim", 30000, 0, hk, 4);
    static const char *const cfg[] = {"degrees", "poisson", "mean_degree", "7"};
    check_threads("configuration", 30000, 0, cfg, 4);
    static const char *const cfp[] = {"degrees", "powerlaw", "mean_degree", "7"};
    check_threads("configuration", 30000, 0, cfp, 4);
}

static CU_TestInfo tests[] = {
    {"chung_lu: mean degree, exponent 2.5, hubs", test_cl_undirected},
    {"chung_lu: directed in/out laws", test_cl_directed},
    {"chung_lu: parameter errors", test_cl_errors},
    {"holme_kim: mean 2m, clustering rises with p_triad, exponent 3", test_hk},
    {"holme_kim: directed, errors", test_hk_directed_errors},
    {"sbm: mean degree, within-city share, small world", test_sbm},
    {"sbm: no population, threads, errors", test_sbm_no_pop_threads_errors},
    {"configuration: poisson, fixed, powerlaw sequences", test_cfg_laws},
    {"configuration: degree file and its errors", test_cfg_file},
    {"1, 2, 3 threads give identical layers", test_threads},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("generators2", tests);
}

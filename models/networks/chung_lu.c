/* chung_lu: random graph with given expected degrees drawn from a power law
 * (Chung & Lu 2002), generated in O(n + m) by the method of Miller & Hagberg
 * (2011).
 *
 * Weights. Agent of rank i (0 = largest) gets w_i = c (i + i0)^(-1/(g-1)),
 * g the exponent: the weights then have a power-law density with exponent g.
 * c makes the mean weight exactly mean_degree; i0 >= 1 makes the largest
 * weight about max_degree (default: the natural cutoff sqrt(n mean_degree),
 * so that w_u w_v <= S = sum of weights and no probability is capped; also
 * capped at n - 1). i0 is found by bisection on a midpoint-integral
 * approximation of the sum, c by the exact sum.
 *
 * Undirected: agent u has rank u (agent 0 is the largest hub, as in
 * barabasi_albert). Each pair u < v is linked with p = min(1, w_u w_v / S);
 * the expected degree of u is w_u (1 - w_u / S), i.e. w_u for all but the
 * largest hubs (the missing self-pair), less any capping.
 *
 * Directed: out-weights (followers: an arc u -> v means v follows u) follow
 * out_exponent and in-weights in_exponent, with the same mean. Agent u has
 * out-rank u; in-rank j belongs to agent (a j + b) mod n, a fixed affine
 * permutation (a near 0.618 n, coprime to n), so in- and out-weights are
 * nearly uncorrelated: the accounts with the most followers are not those
 * following the most. Each ordered pair u != v is an arc with probability
 * min(1, wout_u win_v / S).
 *
 * Generation (Miller & Hagberg): for row u the candidates v are visited in
 * decreasing weight order, so the current probability p bounds all later
 * ones: skip a geometric number of candidates with parameter p, then accept
 * the candidate landed on with probability q / p (q its own probability) and
 * set p = q. Expected cost O(n + m). Rows are cut into fixed blocks of about
 * 2^15 expected arcs (at most 2^16 rows); each block draws from its own
 * stream (seed, replicate, layer, block), so the graph does not depend on
 * the thread count. Weights are evaluated from their closed form when
 * needed, not stored: a table of them cost a cache miss per candidate and
 * made the generator 1.6x slower at n = 10^6. Memory: 4 bytes per block of
 * rows (at most n / 2^15 + m / 2^14 blocks) during each pass.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "graph/generator.h"
#include "rng/rng.h"

typedef struct cl_params {
    double mean_degree;
    double exponent;
    double max_degree;
    double in_exponent;
    double out_exponent;
} cl_params;

static const bz_param cl_param_table[] = {
    {"mean_degree", BZ_PT_REAL, 0, 1e9, "10", "ties per agent",
     "expected degree (mean out- and in-degree when directed)", offsetof(cl_params, mean_degree),
     NULL},
    {"exponent", BZ_PT_REAL, 0, 1000, "2.5", "",
     "power-law exponent g of the expected degrees, P(k) ~ k^-g; must be > 2 (finite mean)",
     offsetof(cl_params, exponent), NULL},
    {"max_degree", BZ_PT_REAL, 0, 4294967295.0, "0", "ties",
     "largest expected degree; 0 means the natural cutoff sqrt(n mean_degree) (no probability is "
     "capped); at most n - 1",
     offsetof(cl_params, max_degree), NULL},
    {"in_exponent", BZ_PT_REAL, 0, 1000, "0", "",
     "directed layers: exponent of the in-degrees (accounts followed); 0 means `exponent`",
     offsetof(cl_params, in_exponent), NULL},
    {"out_exponent", BZ_PT_REAL, 0, 1000, "0", "",
     "directed layers: exponent of the out-degrees (followers); 0 means `exponent`",
     offsetof(cl_params, out_exponent), NULL},
};

enum { CL_BLOCK_ARCS = 1 << 15, CL_BLOCK_ROWS = 1 << 16 };

static double cl_kmax(const cl_params *pr, uint32_t n)
{
    double k = pr->max_degree > 0 ? pr->max_degree : sqrt((double)n * pr->mean_degree);
    if (k > (double)n - 1.0) k = (double)n - 1.0;
    return k < pr->mean_degree ? pr->mean_degree : k;
}

/* A weight law w(i) = c (i + i0)^-a over ranks i < n. */
typedef struct cl_law {
    double c, i0, a;
} cl_law;

static inline double cl_w(const cl_law *l, uint64_t i)
{
    return l->c * exp(-l->a * log((double)i + l->i0));
}

/* The law with mean exactly d and w(0) about kmax. O(n). */
static void cl_law_make(cl_law *l, uint32_t n, double d, double g, double kmax)
{
    const double a = 1.0 / (g - 1.0), nn = (double)n;
    /* largest weight for offset i0, from the integral of x^-a over
     * [i0 - 1/2, n + i0 - 1/2] */
    double lo = 1.0, hi = 1e18;
    for (int it = 0; it < 200; it++) {
        double mid = sqrt(lo * hi);
        double integral = (pow(nn + mid - 0.5, 1.0 - a) - pow(mid - 0.5, 1.0 - a)) / (1.0 - a);
        double w0 = d * nn * pow(mid, -a) / integral;
        if (w0 > kmax)
            lo = mid;
        else
            hi = mid;
    }
    l->i0 = lo;
    l->a = a;
    l->c = 1.0;
    double sum = 0;
    for (uint32_t i = 0; i < n; i++)
        sum += cl_w(l, i);
    l->c = d * nn / sum;
}

static uint64_t cl_gcd(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

/* Everything both passes need, fixed by (n, directed, params). */
typedef struct cl_plan {
    uint32_t n;
    int directed;
    cl_law out, in; /* in == out when undirected */
    double S;
    uint64_t perm_a, perm_b; /* in-rank j -> agent (a j + b) mod n */
    uint32_t *block_start;   /* [n_blocks + 1] first row of each block */
    uint32_t n_blocks;
} cl_plan;

static void cl_plan_destroy(cl_plan *pl)
{
    free(pl->block_start);
}

static int cl_plan_make(cl_plan *pl, const bz_netgen_ctx *ctx, bz_error *err)
{
    const cl_params *pr = ctx->params;
    const uint32_t n = ctx->n;
    int status = BZ_OK;
    pl->n = n;
    pl->directed = ctx->directed;
    double kmax = cl_kmax(pr, n);
    double gout = pr->exponent, gin = pr->exponent;
    if (ctx->directed) {
        if (pr->out_exponent > 0) gout = pr->out_exponent;
        if (pr->in_exponent > 0) gin = pr->in_exponent;
    }
    cl_law_make(&pl->out, n, pr->mean_degree, gout, kmax);
    pl->in = pl->out;
    if (ctx->directed) cl_law_make(&pl->in, n, pr->mean_degree, gin, kmax);
    pl->S = pr->mean_degree * (double)n;
    uint64_t a = (uint64_t)(0.6180339887498949 * n);
    if (a < 1) a = 1;
    while (cl_gcd(a, n) != 1)
        a++;
    pl->perm_a = a % n;
    pl->perm_b = n / 3;
    /* blocks of rows by expected arcs per row (an upper-triangle row for
     * undirected layers) */
    double suffix = pl->S, acc = 0;
    uint32_t count = 0, rows = 0;
    for (int fill = 0; fill < 2; fill++) {
        suffix = pl->S;
        acc = 0;
        rows = 0;
        count = 0;
        for (uint32_t u = 0; u < n; u++) {
            if (rows == 0) {
                if (fill) pl->block_start[count] = u;
                count++;
            }
            double wu = cl_w(&pl->out, u);
            suffix -= wu;
            acc += ctx->directed ? wu : wu * suffix / pl->S;
            if (++rows >= CL_BLOCK_ROWS || acc >= CL_BLOCK_ARCS) rows = 0, acc = 0;
        }
        if (fill) {
            pl->block_start[count] = n;
        } else {
            pl->block_start = malloc(((size_t)count + 1) * sizeof *pl->block_start);
            if (!pl->block_start)
                BZ_FAIL_OOM(err, "chung_lu", ((size_t)count + 1) * sizeof *pl->block_start,
                            "the starts of %llu blocks", (unsigned long long)count);
        }
    }
    pl->n_blocks = count;
cleanup:
    return status;
}

/* Row u: every candidate of the row in decreasing weight order. */
static void cl_row(const cl_plan *pl, bz_stream *s, bz_edge_sink *sink, uint32_t u)
{
    const uint64_t n = pl->n;
    const double wu = cl_w(&pl->out, u) / pl->S;
    uint64_t v = pl->directed ? 0 : (uint64_t)u + 1;
    if (v >= n) return;
    double p = fmin(1.0, wu * cl_w(&pl->in, v));
    while (p > 0) {
        if (p < 1.0) {
            double g = floor(log(bz_stream_uniform_pos(s)) / log1p(-p));
            if (!(g < (double)(n - v))) return;
            v += (uint64_t)g;
        }
        double q = fmin(1.0, wu * cl_w(&pl->in, v));
        if (bz_stream_uniform(s) * p < q) {
            if (!pl->directed) {
                bz_sink_add(sink, u, (uint32_t)v);
            } else {
                uint32_t t = (uint32_t)((pl->perm_a * v + pl->perm_b) % n);
                if (t != u) bz_sink_add(sink, u, t);
            }
        }
        p = q;
        if (++v >= n) return;
    }
}

static int cl_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    cl_plan pl = {0};
    if (ctx->n < 2) return BZ_OK;
    int status = cl_plan_make(&pl, ctx, err);
    if (status != BZ_OK) {
        cl_plan_destroy(&pl);
        return status;
    }
    const int64_t nb = pl.n_blocks;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        bz_stream s;
        bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, (uint32_t)b,
                       BZ_RNG_NETWORK);
        for (uint32_t u = pl.block_start[b]; u < pl.block_start[b + 1]; u++)
            cl_row(&pl, &s, sink, u);
    }
    cl_plan_destroy(&pl);
    return BZ_OK;
}

static int cl_check_exponent(const char *name, double g, bz_error *err)
{
    if (!(g > 2.0) || !isfinite(g))
        return bz_error_set(err, BZ_EINVAL,
                            "%s = %g must be > 2 (a power law with exponent <= 2 has no finite "
                            "mean degree)",
                            name, g);
    return BZ_OK;
}

static int cl_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const cl_params *pr = params;
    if (n < 2)
        return bz_error_set(err, BZ_EINVAL, "chung_lu needs at least 2 agents, got n = %u", n);
    if (!(pr->mean_degree > 0) || !(pr->mean_degree < (double)n - 1.0))
        return bz_error_set(err, BZ_EINVAL,
                            "mean_degree = %g must be in (0, n - 1) = (0, %u) for n = %u agents",
                            pr->mean_degree, n - 1u, n);
    int status = cl_check_exponent("exponent", pr->exponent, err);
    if (status == BZ_OK && directed && pr->in_exponent != 0)
        status = cl_check_exponent("in_exponent", pr->in_exponent, err);
    if (status == BZ_OK && directed && pr->out_exponent != 0)
        status = cl_check_exponent("out_exponent", pr->out_exponent, err);
    if (status != BZ_OK) return status;
    if (pr->max_degree < 0 || (pr->max_degree > 0 && pr->max_degree < pr->mean_degree))
        return bz_error_set(err, BZ_EINVAL,
                            "max_degree = %g must be 0 (natural cutoff) or at least mean_degree = "
                            "%g",
                            pr->max_degree, pr->mean_degree);
    return BZ_OK;
}

static uint64_t cl_estimate(const void *params, uint32_t n, int directed)
{
    const cl_params *pr = params;
    (void)directed;
    return (uint64_t)(pr->mean_degree * (double)n + 0.5);
}

const bz_netgen_type bz_netgen_chung_lu = {
    .name = "chung_lu",
    .summary = "expected-degree power law P(k) ~ k^-exponent (Chung-Lu), O(n + m)",
    .params = cl_param_table,
    .n_params = BZ_PARAMS_COUNT(cl_param_table),
    .params_size = sizeof(cl_params),
    .directed_ok = 1,
    .implicit_complete = 0,
    .single_pass = 1,
    .check = cl_check,
    .estimate_arcs = cl_estimate,
    .prepare = NULL,
    .release = NULL,
    .generate = cl_generate,
};

/* sbm: stochastic block model over the population's cities.
 *
 * Every agent has expected degree mean_degree = d, of which a share
 * within_city = s is expected inside its own city:
 *
 * - within city c (n_c agents): G(n_c, p_c) with p_c = s d / (n_c - 1), so
 *   each member expects s d ties at home (capped at p_c = 1: a city smaller
 *   than s d + 1 agents is a clique and its members get fewer);
 *   or, with small_world, a Watts-Strogatz ring over the city's members (in
 *   ascending agent order): each member links to the next h = floor(s d / 2)
 *   members, plus one more with probability s d / 2 - h (so the expected
 *   degree is exactly s d), and each of those ties is rewired with
 *   probability beta to a uniform other member of the city. h is capped at
 *   (n_c - 1) / 2 in small cities;
 * - between cities: every pair of agents in different cities is linked with
 *   the same probability p_out = n (1 - s) d / 2 / P_between (P_between the
 *   number of such pairs), i.e. partners are uniform over other cities'
 *   agents, and the expected number of ties across cities is n (1 - s) d / 2.
 *   An agent of a large city gets slightly fewer of them than one of a small
 *   city (it has fewer agents outside); the mean is exact.
 *
 * Without a population (ctx->pop == NULL, unit tests of other modules) all
 * agents form one city and within_city is irrelevant: the layer is G(n, p).
 *
 * Generation is O(n + m + cities) by geometric skipping (Batagelj & Brandes
 * 2005): within city c over its n_c(n_c - 1)/2 pairs, between cities over
 * the rectangles (members of city c) x (members of cities before c), laid
 * end to end. Both spaces are cut into fixed blocks of about 2^16 expected
 * edges (rings: 4096 members), each with its own stream (seed, replicate,
 * layer, block), so the layer does not depend on the thread count.
 * Memory: 16 bytes per city plus a 4 KiB log table during each pass.
 * Undirected only.
 *
 * Speed (large layers are generated once, through the builder's collector;
 * edges leave in batches of SBM_BATCH through bz_sink_add_many): pairs are
 * walked in member-index space without division (the triangle's row and the
 * rectangle's row advance by repeated subtraction, a division only for
 * jumps of 8 rows or more), and each pair is mapped to agents through
 * city_members, whose members are scattered over the agent range: the
 * lookups of SBM_BATCH pairs are prefetched before the batch is emitted, so
 * their cache misses overlap instead of stalling one by one. Skips are
 * drawn SBM_SKIPS at a time with bz_skips_fill (rng.h): bulk Philox and a
 * table-driven logarithm, vectorised where the CPU allows, the same bits
 * everywhere; a skip's law is geometric to within a total variation of
 * about 2e-14 / p per draw (1e-9 within the benchmark's cities, 1e-7
 * between them). Skips drawn past the end of a block are never used, so
 * the layer is the same as with one draw per skip.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "graph/generator.h"
#include "rng/rng.h"

typedef struct sbm_params {
    double mean_degree;
    double within_city;
    int small_world;
    double beta;
} sbm_params;

static const bz_param sbm_param_table[] = {
    {"mean_degree", BZ_PT_REAL, 0, 1e9, "10", "ties per agent", "expected degree of an agent",
     offsetof(sbm_params, mean_degree), NULL},
    {"within_city", BZ_PT_PROB, 0, 1, "0.8", "",
     "expected share of an agent's ties inside its own city", offsetof(sbm_params, within_city),
     NULL},
    {"small_world", BZ_PT_BOOL, 0, 1, "false", "",
     "if true, ties inside a city form a Watts-Strogatz ring (clustered) instead of G(n, p)",
     offsetof(sbm_params, small_world), NULL},
    {"beta", BZ_PT_PROB, 0, 1, "0.1", "",
     "small_world only: probability that a ring tie is rewired to a random member of the city",
     offsetof(sbm_params, beta), NULL},
};

enum { SBM_BLOCK_EDGES = 1 << 16, SBM_RING_BLOCK = 4096 };
enum { SBM_BATCH = 64, SBM_WALK_ROWS = 8 };
enum { SBM_SKIPS = 32 }; /* skips drawn at a time */

/* The decomposition, fixed by (population, params). */
typedef struct sbm_plan {
    const bz_netgen_ctx *ctx;
    const uint32_t *members; /* NULL: agent x is member x */
    uint64_t one_city[2];    /* offsets when there is no population */
    const uint64_t *off;     /* [C + 1] */
    uint32_t C;
    double d_in, p_out, inv_log_q_out;
    uint64_t *wblk; /* [C + 1] first within-block of each city */
    uint64_t *rect; /* [C + 1] first between-pair of each city's rectangle */
    uint64_t bsize; /* between block size (pairs) */
    uint64_t n_between_blocks;
} sbm_plan;

/* Pairs of member indices waiting to be mapped to agents and emitted; their
 * city_members entries were prefetched when they were added. */
typedef struct sbm_batch {
    const uint32_t *members;
    bz_edge_sink *sink;
    unsigned k;
    uint32_t a[SBM_BATCH], b[SBM_BATCH];
} sbm_batch;

static void sbm_flush(sbm_batch *bt)
{
    const uint32_t *mb = bt->members;
    if (mb)
        for (unsigned i = 0; i < bt->k; i++) {
            bt->a[i] = mb[bt->a[i]];
            bt->b[i] = mb[bt->b[i]];
        }
    bz_sink_add_many(bt->sink, bt->a, bt->b, bt->k);
    bt->k = 0;
}

/* Queue the edge between members x and y (indices into city_members). */
static inline void sbm_put(sbm_batch *bt, uint64_t x, uint64_t y)
{
    if (bt->members) {
        __builtin_prefetch(bt->members + x);
        __builtin_prefetch(bt->members + y);
    }
    bt->a[bt->k] = (uint32_t)x;
    bt->b[bt->k] = (uint32_t)y;
    if (++bt->k == SBM_BATCH) sbm_flush(bt);
}

static uint64_t sbm_size(const sbm_plan *pl, uint32_t c)
{
    return pl->off[c + 1] - pl->off[c];
}

static double sbm_p_in(const sbm_plan *pl, uint64_t nc)
{
    return nc < 2 ? 0.0 : fmin(1.0, pl->d_in / (double)(nc - 1));
}

static uint64_t sbm_block_size(uint64_t pairs, double p)
{
    double want = p > 0 ? ceil(SBM_BLOCK_EDGES / p) : (double)pairs;
    uint64_t b = want >= (double)pairs ? pairs : (uint64_t)want;
    return b < 1 ? 1 : b;
}

/* Blocks of city c's within part. */
static uint64_t sbm_city_blocks(const sbm_plan *pl, uint32_t c, uint64_t *bs)
{
    const sbm_params *pr = pl->ctx->params;
    uint64_t nc = sbm_size(pl, c);
    if (pr->small_world) {
        *bs = SBM_RING_BLOCK;
        return nc < 2 || pl->d_in <= 0 ? 0 : (nc - 1) / SBM_RING_BLOCK + 1;
    }
    uint64_t pairs = nc * (nc - 1) / 2;
    double p = sbm_p_in(pl, nc);
    if (pairs == 0 || p <= 0) return 0;
    *bs = sbm_block_size(pairs, p);
    return (pairs - 1) / *bs + 1;
}

static int sbm_plan_make(sbm_plan *pl, const bz_netgen_ctx *ctx, bz_error *err)
{
    const sbm_params *pr = ctx->params;
    const uint64_t n = ctx->n;
    pl->ctx = ctx;
    if (ctx->pop) {
        if (ctx->pop->n != ctx->n)
            return bz_error_set(err, BZ_EINVAL, "sbm: population has %u agents, layer has n = %u",
                                ctx->pop->n, ctx->n);
        pl->members = ctx->pop->city_members;
        pl->off = ctx->pop->city_offsets;
        pl->C = ctx->pop->n_cities;
    } else {
        pl->one_city[1] = n;
        pl->off = pl->one_city;
        pl->C = 1;
    }
    pl->wblk = malloc(((size_t)pl->C + 1) * sizeof *pl->wblk);
    pl->rect = malloc(((size_t)pl->C + 1) * sizeof *pl->rect);
    if (!pl->wblk || !pl->rect)
        return bz_error_oom(err, "sbm", ((size_t)pl->C + 1) * (sizeof *pl->wblk + sizeof *pl->rect),
                            "the blocks of %u cities", pl->C);
    double s = pl->C > 1 ? pr->within_city : 1.0;
    pl->d_in = s * pr->mean_degree;
    pl->wblk[0] = pl->rect[0] = 0;
    for (uint32_t c = 0; c < pl->C; c++) {
        uint64_t bs;
        pl->wblk[c + 1] = pl->wblk[c] + sbm_city_blocks(pl, c, &bs);
        pl->rect[c + 1] = pl->rect[c] + sbm_size(pl, c) * pl->off[c];
    }
    uint64_t P = pl->rect[pl->C];
    double want = (double)n * (1.0 - s) * pr->mean_degree / 2.0;
    pl->p_out = P > 0 && want > 0 ? fmin(1.0, want / (double)P) : 0.0;
    pl->inv_log_q_out = pl->p_out < 1.0 ? 1.0 / log1p(-pl->p_out) : 0.0;
    pl->bsize = sbm_block_size(P, pl->p_out);
    pl->n_between_blocks = pl->p_out > 0 ? (P - 1) / pl->bsize + 1 : 0;
    return BZ_OK;
}

/* The skips of one block's walk: failures before the next success
 * (probability p, inv_log_q = 1 / ln(1 - p), 0 when p = 1), drawn
 * SBM_SKIPS at a time from the block's stream with the bulk draws (the same
 * uniforms, in the same order, as one bz_stream_uniform_pos per skip; the
 * draws left over when the block ends are never used). */
typedef struct sbm_skips {
    bz_stream *s;
    double p, inv_log_q;
    unsigned i; /* next of g; SBM_SKIPS: drawn out */
    double g[SBM_SKIPS];
} sbm_skips;

static void sbm_skips_init(sbm_skips *k, bz_stream *s, double p, double inv_log_q)
{
    k->s = s;
    k->p = p;
    k->inv_log_q = inv_log_q;
    k->i = SBM_SKIPS;
}

static void sbm_skips_refill(sbm_skips *k)
{
    bz_skips_fill(k->s, k->inv_log_q, k->g, SBM_SKIPS);
    k->i = 0;
}

/* The next skip, or UINT64_MAX when it is `room` or more. */
static inline uint64_t sbm_skip(sbm_skips *k, uint64_t room)
{
    if (k->p >= 1.0) return 0;
    if (k->i == SBM_SKIPS) sbm_skips_refill(k);
    double g = k->g[k->i++];
    return g < (double)room ? (uint64_t)g : UINT64_MAX;
}

/* Within-city block j of city c, G(n_c, p_c). */
static void sbm_within_gnp(const sbm_plan *pl, bz_stream *s, sbm_batch *bt, uint32_t c, uint64_t j,
                           uint64_t bs)
{
    const uint64_t nc = sbm_size(pl, c), base = pl->off[c], pairs = nc * (nc - 1) / 2;
    const double p = sbm_p_in(pl, nc), inv_log_q = p < 1.0 ? 1.0 / log1p(-p) : 0.0;
    uint64_t pos = j * bs, end = pairs - pos > bs ? pos + bs : pairs;
    /* pair index x = r (r - 1) / 2 + w, w < r */
    uint64_t r = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)pos)) / 2.0);
    while (r > 1 && r * (r - 1) / 2 > pos)
        r--;
    while ((r + 1) * r / 2 <= pos)
        r++;
    uint64_t w = pos - r * (r - 1) / 2;
    sbm_skips sk;
    sbm_skips_init(&sk, s, p, inv_log_q);
    for (;;) {
        uint64_t g = sbm_skip(&sk, end - pos);
        if (g == UINT64_MAX) return;
        pos += g;
        w += g;
        if (w >= SBM_WALK_ROWS * r) { /* long jump: solve for the row */
            r = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)pos)) / 2.0);
            while (r > 1 && r * (r - 1) / 2 > pos)
                r--;
            while ((r + 1) * r / 2 <= pos)
                r++;
            w = pos - r * (r - 1) / 2;
        }
        while (w >= r) {
            w -= r;
            r++;
        }
        sbm_put(bt, base + r, base + w);
        if (++pos >= end) return;
        w++;
    }
}

/* Within-city block j of city c, a rewired ring. */
static void sbm_within_ring(const sbm_plan *pl, bz_stream *s, sbm_batch *bt, uint32_t c, uint64_t j)
{
    const sbm_params *pr = pl->ctx->params;
    const uint64_t nc = sbm_size(pl, c), base = pl->off[c];
    const uint64_t hmax = (nc - 1) / 2;
    uint64_t h = (uint64_t)floor(pl->d_in / 2.0);
    double frac = pl->d_in / 2.0 - (double)h;
    if (h >= hmax) {
        h = hmax;
        frac = 0;
    }
    uint64_t end = (j + 1) * SBM_RING_BLOCK < nc ? (j + 1) * SBM_RING_BLOCK : nc;
    for (uint64_t i = j * SBM_RING_BLOCK; i < end; i++) {
        uint64_t k = h + (bz_stream_uniform(s) < frac ? 1 : 0);
        for (uint64_t t = 1; t <= k; t++) {
            uint64_t o = (i + t) % nc;
            if (bz_stream_uniform(s) < pr->beta) o = (i + 1 + bz_stream_below(s, nc - 1)) % nc;
            sbm_put(bt, base + i, base + o);
        }
    }
}

/* Between-city block k. Pair x of city c's rectangle is (member off[c] +
 * row, member col) with x - rect[c] = row L + col, L = off[c]. */
static void sbm_between(const sbm_plan *pl, bz_stream *s, sbm_batch *bt, uint64_t k)
{
    const uint64_t P = pl->rect[pl->C];
    uint64_t x = k * pl->bsize, end = P - x > pl->bsize ? x + pl->bsize : P;
    uint32_t lo = 0, hi = pl->C; /* last city whose rectangle starts at or before x */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pl->rect[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t c = lo;
    uint64_t L = pl->off[c], row = 0, col = 0, next = pl->rect[c + 1];
    if (L) {
        row = (x - pl->rect[c]) / L;
        col = (x - pl->rect[c]) % L;
    }
    sbm_skips sk;
    sbm_skips_init(&sk, s, pl->p_out, pl->inv_log_q_out);
    for (;;) {
        uint64_t g = sbm_skip(&sk, end - x);
        if (g == UINT64_MAX) return;
        x += g;
        if (x >= next) { /* into a later city's rectangle */
            while (x >= pl->rect[c + 1])
                c++;
            L = pl->off[c];
            next = pl->rect[c + 1];
            row = (x - pl->rect[c]) / L;
            col = (x - pl->rect[c]) % L;
        } else {
            col += g;
            if (col >= SBM_WALK_ROWS * L) {
                row += col / L;
                col %= L;
            }
            while (col >= L) {
                col -= L;
                row++;
            }
        }
        sbm_put(bt, pl->off[c] + row, col);
        if (++x >= end) return;
        if (++col == L) {
            col = 0;
            row++;
        }
    }
}

static int sbm_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const sbm_params *pr = ctx->params;
    sbm_plan pl = {0};
    if (ctx->n < 2) return BZ_OK;
    int status = sbm_plan_make(&pl, ctx, err);
    if (status == BZ_OK) {
        const int64_t nw = (int64_t)pl.wblk[pl.C], total = nw + (int64_t)pl.n_between_blocks;
        const sbm_plan *p = &pl;
#pragma omp parallel
        {
            sbm_batch bt;
            bt.members = p->members;
            bt.sink = sink;
            bt.k = 0;
#pragma omp for schedule(dynamic, 1)
            for (int64_t b = 0; b < total; b++) {
                bz_stream s;
                bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index,
                               (uint32_t)(b < nw ? 2 * b : 2 * (b - nw) + 1), BZ_RNG_NETWORK);
                if (b >= nw) {
                    sbm_between(p, &s, &bt, (uint64_t)(b - nw));
                    continue;
                }
                uint32_t lo = 0, hi = p->C; /* city of within-block b */
                while (hi - lo > 1) {
                    uint32_t mid = lo + (hi - lo) / 2;
                    if (p->wblk[mid] <= (uint64_t)b)
                        lo = mid;
                    else
                        hi = mid;
                }
                while (p->wblk[lo + 1] <= (uint64_t)b)
                    lo++;
                uint64_t bs = 1;
                sbm_city_blocks(p, lo, &bs);
                if (pr->small_world)
                    sbm_within_ring(p, &s, &bt, lo, (uint64_t)b - p->wblk[lo]);
                else
                    sbm_within_gnp(p, &s, &bt, lo, (uint64_t)b - p->wblk[lo], bs);
            }
            sbm_flush(&bt); /* the sink accepts edges from any thread */
        }
    }
    free(pl.wblk);
    free(pl.rect);
    return status;
}

static int sbm_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const sbm_params *pr = params;
    (void)directed;
    if (n < 2) return bz_error_set(err, BZ_EINVAL, "sbm needs at least 2 agents, got n = %u", n);
    if (!(pr->mean_degree > 0) || !(pr->mean_degree < (double)n - 1.0))
        return bz_error_set(err, BZ_EINVAL,
                            "mean_degree = %g must be in (0, n - 1) = (0, %u) for n = %u agents",
                            pr->mean_degree, n - 1u, n);
    if (!(pr->within_city >= 0 && pr->within_city <= 1))
        return bz_error_set(err, BZ_EINVAL, "within_city = %g must be in [0, 1]", pr->within_city);
    if (!(pr->beta >= 0 && pr->beta <= 1))
        return bz_error_set(err, BZ_EINVAL, "beta = %g must be in [0, 1]", pr->beta);
    return BZ_OK;
}

static uint64_t sbm_estimate(const void *params, uint32_t n, int directed)
{
    const sbm_params *pr = params;
    (void)directed;
    return (uint64_t)(pr->mean_degree * (double)n + 0.5);
}

const bz_netgen_type bz_netgen_sbm = {
    .name = "sbm",
    .summary = "stochastic block model over cities: a share within_city of ties at home",
    .params = sbm_param_table,
    .n_params = BZ_PARAMS_COUNT(sbm_param_table),
    .params_size = sizeof(sbm_params),
    .directed_ok = 0,
    .implicit_complete = 0,
    .single_pass = 1,
    .check = sbm_check,
    .estimate_arcs = sbm_estimate,
    .prepare = NULL,
    .release = NULL,
    .generate = sbm_generate,
};

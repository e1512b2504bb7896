/* erdos_renyi: uniform random graphs G(n, p) and G(n, m).
 *
 * G(n, p): every pair is linked independently with p = mean_degree / (n - 1).
 * Pairs are enumerated linearly (undirected: (v, w) with w < v, index
 * v(v-1)/2 + w; directed: ordered pairs u != v, index u(n-1) + r) and visited
 * by geometric skipping (Batagelj & Brandes 2005), so the cost is O(n + m),
 * not O(n^2). The pair space is cut into fixed blocks of about 2^16 expected
 * edges, each drawing from its own stream (seed, replicate, layer, block):
 * the blocks depend on n and p only, so the graph is the same for any thread
 * count.
 *
 * G(n, m) (`edges` > 0): exactly m distinct uniform pairs. A plan counts
 * the edges of a slightly denser G(n, p') per block (p' = (m + 10 sqrt(m) +
 * 100) / N, so the count M' reaches m except with negligible probability; if
 * not, p' grows and the count is redone on the same streams), then picks
 * M' - m of those candidates uniformly (Floyd's algorithm, on stream block
 * 0xFFFFFFFF) to delete. A uniform m-subset of a G(n, p') graph conditioned
 * on its size is a uniform m-subset of all pairs, so the result is exactly
 * G(n, m). Cost: three skipping passes (count + the builder's two) plus
 * O(D log D) for the D = M' - m deletions, about 10 sqrt(m).
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "graph/generator.h"
#include "rng/rng.h"

typedef struct er_params {
    double mean_degree;
    int64_t edges;
} er_params;

static const bz_param er_param_table[] = {
    {"mean_degree", BZ_PT_REAL, 0, 1e9, "10", "ties per agent",
     "expected degree (out-degree when directed); p = mean_degree / (n - 1)",
     offsetof(er_params, mean_degree), NULL},
    {"edges", BZ_PT_INT, 0, 9.2e18, "0", "edges",
     "if > 0, exactly this many distinct edges (G(n, m)) and mean_degree is ignored",
     offsetof(er_params, edges), NULL},
};

enum { ER_BLOCK_EDGES = 1 << 16 };
#define ER_EXCESS_STREAM 0xFFFFFFFFu
#define ER_MAX_BLOCKS 0xFFFFFFF0u

/* Number of candidate pairs. */
static uint64_t er_pairs(uint32_t n, int directed)
{
    uint64_t a = n, b = n ? n - 1u : 0u;
    return directed ? a * b : (a % 2 == 0 ? (a / 2) * b : a * (b / 2));
}

/* Fixed decomposition of the pair space for probability p. */
static uint64_t er_block_size(uint64_t pairs, double p)
{
    double want = p > 0 ? ceil(ER_BLOCK_EDGES / p) : (double)pairs;
    uint64_t b = want >= (double)pairs ? pairs : (uint64_t)want;
    if (b < 1) b = 1;
    uint64_t min_b = pairs / ER_MAX_BLOCKS + 1; /* keep block ids below the reserved ones */
    return b < min_b ? min_b : b;
}

/* Position in the undirected pair space: pair (v, w), w < v. */
static void er_pair_at(uint64_t x, uint64_t *v, uint64_t *w)
{
    uint64_t r = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)x)) / 2.0);
    while (r > 1 && r * (r - 1) / 2 > x)
        r--;
    while ((r + 1) * r / 2 <= x)
        r++;
    *v = r;
    *w = x - r * (r - 1) / 2;
}

/* The G(n, p) walk over the pair space: fixed by (n, directed, p). */
typedef struct er_walk {
    const bz_netgen_ctx *ctx;
    uint64_t pairs, block_size;
    double p, log_q;
} er_walk;

static void er_walk_init(er_walk *w, const bz_netgen_ctx *ctx, double p)
{
    w->ctx = ctx;
    w->pairs = er_pairs(ctx->n, ctx->directed);
    w->p = p;
    w->log_q = p < 1.0 ? log1p(-p) : -INFINITY;
    w->block_size = er_block_size(w->pairs, p);
}

static uint64_t er_n_blocks(const er_walk *w)
{
    return w->pairs ? (w->pairs - 1) / w->block_size + 1 : 0;
}

/* Iterator over the edges of one block, in pair-index order. */
typedef struct er_iter {
    bz_stream s;
    uint64_t pos, end;  /* next candidate index; end of the block */
    uint64_t cur, v, w; /* the pair at index cur: (v, w), w < v, or directed (v, w-th other) */
    uint64_t nm1;
    double inv_log_q; /* 1 / log(1 - p): a multiply per skip instead of a divide */
    int directed, dense;
} er_iter;

static void er_iter_init(er_iter *it, const er_walk *w, uint64_t b)
{
    const bz_netgen_ctx *ctx = w->ctx;
    bz_stream_init(&it->s, ctx->seed, ctx->replicate, ctx->layer_index, (uint32_t)b,
                   BZ_RNG_NETWORK);
    it->pos = b * w->block_size;
    it->end = w->pairs - it->pos > w->block_size ? it->pos + w->block_size : w->pairs;
    it->nm1 = (uint64_t)ctx->n - 1u;
    it->inv_log_q = 1.0 / w->log_q;
    it->directed = ctx->directed;
    it->dense = w->p >= 1.0;
    it->cur = it->pos;
    it->v = it->w = 0;
    if (it->pos < it->end) {
        if (it->directed) {
            it->v = it->pos / it->nm1;
            it->w = it->pos % it->nm1;
        } else {
            er_pair_at(it->pos, &it->v, &it->w);
        }
    }
}

/* Next edge of the block into (u, v); 0 when the block is exhausted. */
static inline int er_iter_next(er_iter *it, uint32_t *u, uint32_t *v)
{
    if (it->pos >= it->end) return 0;
    uint64_t skip = 0;
    if (!it->dense) { /* failures before the next success (geometric) */
        double g = floor(log(bz_stream_uniform_pos(&it->s)) * it->inv_log_q);
        skip = g < 9.2e18 ? (uint64_t)g : (uint64_t)1 << 62;
    }
    if (skip >= it->end - it->pos) {
        it->pos = it->end;
        return 0;
    }
    it->pos += skip;
    it->w += it->pos - it->cur;
    it->cur = it->pos;
    if (it->directed) { /* rows of n - 1 ordered pairs */
        if (it->w >= it->nm1) {
            it->v += it->w / it->nm1;
            it->w %= it->nm1;
        }
        *u = (uint32_t)it->v;
        *v = (uint32_t)(it->w < it->v ? it->w : it->w + 1);
    } else {
        while (it->w >= it->v) { /* row v has v pairs; O(n) rows per pass in total */
            it->w -= it->v;
            it->v++;
        }
        *u = (uint32_t)it->v;
        *v = (uint32_t)it->w;
    }
    it->pos++;
    return 1;
}

/* ---- G(n, m) plan ---------------------------------------------------------
 * Computed by the first generate() call of a build (the engine may prepare
 * before it knows n, when another layer's file defines the agents) and kept
 * in prepare()'s state for the second pass; without a state, each pass makes
 * its own (the same) plan. */
typedef struct er_plan {
    uint32_t n;
    int directed;
    uint64_t seed, edges;
    uint32_t replicate, layer_index;
    double p; /* candidate density p' */
    uint64_t n_blocks;
    uint64_t *first;   /* [n_blocks + 1] global rank of each block's first candidate */
    uint64_t *deleted; /* [n_deleted] ascending global ranks to skip */
    uint64_t n_deleted;
} er_plan;

static void er_plan_clear(er_plan *pl)
{
    free(pl->first);
    free(pl->deleted);
    memset(pl, 0, sizeof *pl);
}

static void er_release(void *state)
{
    if (!state) return;
    er_plan_clear(state);
    free(state);
}

static int er_plan_matches(const er_plan *pl, const bz_netgen_ctx *ctx)
{
    const er_params *pr = ctx->params;
    return pl->first && pl->n == ctx->n && pl->directed == ctx->directed && pl->seed == ctx->seed &&
           pl->replicate == ctx->replicate && pl->layer_index == ctx->layer_index &&
           pl->edges == (uint64_t)pr->edges;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Floyd's sampling of d distinct values in [0, total), sorted into out. */
static int er_sample_deletions(const bz_netgen_ctx *ctx, uint64_t total, uint64_t d, uint64_t *out)
{
    if (d == 0) return BZ_OK;
    uint64_t cap = 16;
    while (cap < 2 * d)
        cap *= 2;
    uint64_t *set = malloc((size_t)cap * sizeof *set);
    if (!set) return BZ_ENOMEM;
    memset(set, 0xFF, (size_t)cap * sizeof *set); /* UINT64_MAX = empty */
    bz_stream s;
    bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, ER_EXCESS_STREAM,
                   BZ_RNG_NETWORK);
    uint64_t k = 0;
    for (uint64_t j = total - d; j < total; j++) {
        uint64_t t = bz_stream_below(&s, j + 1);
        for (int pass = 0; pass < 2; pass++) { /* insert t, or j if t is taken */
            uint64_t h = ((t * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
            while (set[h] != UINT64_MAX && set[h] != t)
                h = (h + 1) & (cap - 1);
            if (set[h] == UINT64_MAX) {
                set[h] = t;
                out[k++] = t;
                break;
            }
            t = j;
        }
    }
    free(set);
    qsort(out, (size_t)d, sizeof *out, cmp_u64);
    return BZ_OK;
}

static int er_plan_make(er_plan *pl, const bz_netgen_ctx *ctx, bz_error *err)
{
    const er_params *pr = ctx->params;
    int status = BZ_OK;
    er_plan_clear(pl);
    uint64_t pairs = er_pairs(ctx->n, ctx->directed);
    uint64_t m = (uint64_t)pr->edges;
    if (m > pairs)
        return bz_error_set(err, BZ_EINVAL,
                            "edges = %lld exceeds the %llu possible pairs of %u agents",
                            (long long)pr->edges, (unsigned long long)pairs, ctx->n);

    double excess = 10.0 * sqrt((double)m) + 100.0;
    for (;;) {
        double p = ((double)m + excess) / (double)pairs;
        pl->p = p >= 1.0 ? 1.0 : p;
        er_walk w;
        er_walk_init(&w, ctx, pl->p);
        pl->n_blocks = er_n_blocks(&w);
        free(pl->first);
        pl->first = malloc(((size_t)pl->n_blocks + 1) * sizeof *pl->first);
        if (!pl->first)
            BZ_FAIL_OOM(err, "erdos_renyi", ((size_t)pl->n_blocks + 1) * sizeof *pl->first,
                        "%llu blocks", (unsigned long long)pl->n_blocks);
        uint64_t *first = pl->first;
        const int64_t nb = (int64_t)pl->n_blocks;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < nb; b++) {
            er_iter it;
            uint32_t u, v;
            uint64_t c = 0;
            er_iter_init(&it, &w, (uint64_t)b);
            while (er_iter_next(&it, &u, &v))
                c++;
            first[b + 1] = c;
        }
        first[0] = 0;
        for (uint64_t b = 0; b < pl->n_blocks; b++)
            first[b + 1] += first[b];
        if (first[pl->n_blocks] >= m) break;
        excess *= 4.0; /* astronomically rare: retry denser on the same streams */
    }
    uint64_t total = pl->first[pl->n_blocks];
    pl->n_deleted = total - m;
    pl->deleted = malloc((size_t)(pl->n_deleted ? pl->n_deleted : 1) * sizeof *pl->deleted);
    if (!pl->deleted || er_sample_deletions(ctx, total, pl->n_deleted, pl->deleted) != BZ_OK)
        BZ_FAIL_OOM(err, "erdos_renyi",
                    bz_error_bytes((size_t)(pl->n_deleted ? pl->n_deleted : 1),
                                   3 * sizeof *pl->deleted), /* and Floyd's set: 2 to 4 a value */
                    "%llu deletions", (unsigned long long)pl->n_deleted);
    pl->n = ctx->n;
    pl->directed = ctx->directed;
    pl->seed = ctx->seed;
    pl->edges = m;
    pl->replicate = ctx->replicate;
    pl->layer_index = ctx->layer_index;

cleanup:
    if (status != BZ_OK) er_plan_clear(pl);
    return status;
}

static int er_prepare(const bz_netgen_ctx *ctx, void **state, uint32_t *n_agents, bz_error *err)
{
    const er_params *pr = ctx->params;
    *state = NULL;
    *n_agents = 0;
    if (pr->edges <= 0) return BZ_OK; /* G(n, p) needs no state */
    *state = calloc(1, sizeof(er_plan));
    if (!*state) return bz_error_oom(err, "erdos_renyi", sizeof(er_plan), "the generator's plan");
    return BZ_OK;
}

static void er_emit_gnp(const bz_netgen_ctx *ctx, bz_edge_sink *sink, double p)
{
    er_walk w;
    er_walk_init(&w, ctx, p);
    const int64_t nb = (int64_t)er_n_blocks(&w);
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        er_iter it;
        uint32_t u, v;
        er_iter_init(&it, &w, (uint64_t)b);
        while (er_iter_next(&it, &u, &v))
            bz_sink_add(sink, u, v);
    }
}

static void er_emit_gnm(const bz_netgen_ctx *ctx, bz_edge_sink *sink, const er_plan *pl)
{
    er_walk w;
    er_walk_init(&w, ctx, pl->p);
    const int64_t nb = (int64_t)pl->n_blocks;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        uint64_t base = pl->first[b];
        /* first deletion at or after this block's first candidate */
        uint64_t lo = 0, hi = pl->n_deleted;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (pl->deleted[mid] < base)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint64_t next = lo, rank = base;
        er_iter it;
        uint32_t u, v;
        er_iter_init(&it, &w, (uint64_t)b);
        for (; er_iter_next(&it, &u, &v); rank++) {
            if (next < pl->n_deleted && pl->deleted[next] == rank)
                next++;
            else
                bz_sink_add(sink, u, v);
        }
    }
}

static int er_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const er_params *pr = ctx->params;
    if (ctx->n < 2) return BZ_OK;
    if (pr->edges <= 0) {
        er_emit_gnp(ctx, sink, pr->mean_degree / (double)(ctx->n - 1u));
        return BZ_OK;
    }
    er_plan local = {0};
    er_plan *pl = ctx->state ? ctx->state : &local;
    if (!er_plan_matches(pl, ctx)) {
        int status = er_plan_make(pl, ctx, err);
        if (status != BZ_OK) return status;
    }
    er_emit_gnm(ctx, sink, pl);
    er_plan_clear(&local);
    return BZ_OK;
}

static int er_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const er_params *pr = params;
    if (n < 2)
        return bz_error_set(err, BZ_EINVAL, "erdos_renyi needs at least 2 agents, got n = %u", n);
    if (pr->edges > 0) {
        uint64_t pairs = er_pairs(n, directed);
        if ((uint64_t)pr->edges > pairs)
            return bz_error_set(err, BZ_EINVAL,
                                "edges = %lld exceeds the %llu possible %s pairs of n = %u agents",
                                (long long)pr->edges, (unsigned long long)pairs,
                                directed ? "ordered" : "unordered", n);
        return BZ_OK;
    }
    if (pr->edges < 0)
        return bz_error_set(err, BZ_EINVAL, "edges = %lld must not be negative",
                            (long long)pr->edges);
    if (!(pr->mean_degree > 0) || !(pr->mean_degree < (double)n - 1.0))
        return bz_error_set(err, BZ_EINVAL,
                            "mean_degree = %g must be in (0, n - 1) = (0, %u) for n = %u agents",
                            pr->mean_degree, n - 1u, n);
    return BZ_OK;
}

static uint64_t er_estimate(const void *params, uint32_t n, int directed)
{
    const er_params *pr = params;
    if (pr->edges > 0) return (uint64_t)pr->edges * (directed ? 1u : 2u);
    return (uint64_t)(pr->mean_degree * (double)n + 0.5);
}

const bz_netgen_type bz_netgen_erdos_renyi = {
    .name = "erdos_renyi",
    .summary = "uniform random graph: G(n, p) by mean_degree, or exactly `edges` edges G(n, m)",
    .params = er_param_table,
    .n_params = BZ_PARAMS_COUNT(er_param_table),
    .params_size = sizeof(er_params),
    .directed_ok = 1,
    .implicit_complete = 0,
    .single_pass = 1,
    .check = er_check,
    .estimate_arcs = er_estimate,
    .prepare = er_prepare,
    .release = er_release,
    .generate = er_generate,
};

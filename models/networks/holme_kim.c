/* holme_kim: preferential attachment with triad formation (Holme & Kim
 * 2002): scale-free degrees (P(k) ~ k^-3) with tunable clustering.
 *
 * Agents 0..m (m0 = m + 1) form a clique. Each later agent v attaches m
 * edges to distinct earlier agents. Its first edge is a preferential
 * attachment (PA) step: an agent chosen with probability proportional to
 * degree, by a uniform slot of the endpoint list of all earlier edges
 * (Batagelj & Brandes 2005). Each further edge is, with probability
 * p_triad, a triad formation (TF) step: a uniform neighbour of the agent of
 * the most recent PA step, closing a triangle; otherwise (or when up to 32
 * random neighbours are all already linked to v) another PA step. A PA draw
 * that repeats a target is redrawn (up to 64 times, then the smallest free
 * earlier agent). The expected number of TF steps per agent is
 * m_t = p_triad (m - 1); the clustering rises with it while the degree law
 * stays that of BA (exponent 3) and the mean degree is 2m - m(m+1)/n.
 *
 * Unlike barabasi_albert, a TF step depends on the neighbourhoods built so
 * far, so the chains of that generator cannot resolve it in parallel:
 * generation is sequential, O(n m) expected time (a whole build ran at 2-3
 * x 10^6 edges per second at n = 10^6, m = 10). Randomness comes from agent
 * v's own stream (seed, replicate, layer, v), so the graph is a pure
 * function of the parameters and the thread count plays no part. The count
 * pass generates and keeps every agent's targets in prepare()'s state
 * (4 bytes per edge); the fill pass replays them in parallel and frees
 * them. While generating, each agent's list of the later agents that chose
 * it is kept in an arena of chunks (hk_adj below: about 6.5 bytes per edge
 * at m = 10, plus 8 bytes per agent) and returned to the system at the end,
 * so the build's peak is the fill pass: layer (8 bytes per edge + 16 per
 * agent while building) plus the 4 bytes per edge of kept targets.
 * Without a state both passes generate.
 *
 * Directed layers: the edge between v and its chosen earlier agent t is
 * stored t -> v (v follows t), as in barabasi_albert.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "graph/generator.h"
#include "graph/passcache.h"
#include "attach.h"
#include "rng/rng.h"

typedef struct hk_params {
    int64_t m;
    double p_triad;
} hk_params;

static const bz_param hk_param_table[] = {
    {"m", BZ_PT_INT, 1, 1000, "5", "edges per agent",
     "edges each new agent attaches; mean degree is about 2m", offsetof(hk_params, m), NULL},
    {"p_triad", BZ_PT_PROB, 0, 1, "0.5", "",
     "probability that each edge after an agent's first closes a triangle with the previous "
     "preferential target (0 gives barabasi_albert's law)",
     offsetof(hk_params, p_triad), NULL},
};

enum { HK_MAX_TRIES = 64, HK_TF_TRIES = 32 };

__extension__ typedef unsigned __int128 hk_u128;

/* Who chose each agent (and the clique neighbours of clique agents), in
 * push order: agent t's list is a backward-linked chain of chunks in an
 * arena of 64 MiB slabs. Chunk k of a list has 4 << min(k, HK_KCAP) words:
 * word 0 links to chunk k - 1, the rest hold entries, so a list of L entries
 * wastes less than its last chunk (under 2 L + 4 words in all) and nothing
 * is ever copied. Per agent: the length and the last chunk (8 bytes). The
 * slabs are single large allocations (mmap-backed), so freeing them returns
 * the memory to the system before the builder allocates the layer; with
 * one small realloc'ed array per agent, glibc kept about 0.6 GB of freed
 * heap resident at 10^7 agents (m = 10), which pushed the build over its
 * memory budget. Entry r of a list is found by walking back from the last
 * chunk, which holds about half of the entries: O(1) expected hops. */
enum {
    HK_SLAB_SHIFT = 24, /* slab = 2^24 words (64 MiB) */
    HK_UNIT_SHIFT = 2,  /* chunks are addressed in 4-word units */
    HK_MAX_SLABS = 1 << (32 - HK_SLAB_SHIFT + HK_UNIT_SHIFT), /* 64 GiB of units */
    HK_KCAP = 14, /* largest chunk: 4 << 14 words (256 KiB) */
    HK_KTAB = 64
};
#define HK_SLAB_BYTES (((size_t)1 << HK_SLAB_SHIFT) * sizeof(uint32_t))

typedef struct hk_list {
    uint32_t len;  /* entries */
    uint32_t last; /* unit of the last chunk (meaningless when len = 0) */
} hk_list;

typedef struct hk_adj {
    hk_list *list;                /* [n] */
    uint32_t *slab[HK_MAX_SLABS]; /* owned */
    uint32_t nslabs;
    uint64_t used;               /* words used in slab[nslabs - 1] */
    uint64_t first[HK_KTAB + 1]; /* first entry index of chunk k, k <= HK_KTAB */
} hk_adj;

static uint64_t hk_chunk_words(uint64_t k)
{
    return (uint64_t)4 << (k < HK_KCAP ? k : HK_KCAP);
}

static void hk_adj_tables(hk_adj *a)
{
    a->first[0] = 0;
    for (uint64_t k = 0; k < HK_KTAB; k++)
        a->first[k + 1] = a->first[k] + hk_chunk_words(k) - 1;
}

/* First entry index of chunk k. */
static inline uint64_t hk_first(const hk_adj *a, uint64_t k)
{
    if (k <= HK_KTAB) return a->first[k];
    return a->first[HK_KTAB] + (k - HK_KTAB) * (hk_chunk_words(HK_KCAP) - 1);
}

/* The chunk holding entry index i. */
static inline uint64_t hk_chunk_of(const hk_adj *a, uint64_t i)
{
    if (i >= a->first[HK_KTAB])
        return HK_KTAB + (i - a->first[HK_KTAB]) / (hk_chunk_words(HK_KCAP) - 1);
    uint64_t k = 0;
    while (a->first[k + 1] <= i)
        k++;
    return k;
}

static inline uint32_t *hk_unit(const hk_adj *a, uint32_t u)
{
    const unsigned per_slab = HK_SLAB_SHIFT - HK_UNIT_SHIFT;
    return a->slab[u >> per_slab] + ((uint64_t)(u & ((1u << per_slab) - 1)) << HK_UNIT_SHIFT);
}

/* A new chunk of `words` words; its unit in *unit. */
static int hk_adj_alloc(hk_adj *a, uint64_t words, uint32_t *unit)
{
    const uint64_t slab_words = (uint64_t)1 << HK_SLAB_SHIFT;
    if (a->nslabs == 0 || a->used + words > slab_words) {
        if (a->nslabs == HK_MAX_SLABS) return BZ_ENOMEM;
        uint32_t *p = malloc(slab_words * sizeof *p);
        if (!p) return BZ_ENOMEM;
        a->slab[a->nslabs++] = p;
        a->used = 0;
    }
    *unit = (uint32_t)(((uint64_t)(a->nslabs - 1) << (HK_SLAB_SHIFT - HK_UNIT_SHIFT)) +
                       (a->used >> HK_UNIT_SHIFT));
    a->used += words;
    return BZ_OK;
}

static int hk_adj_push(hk_adj *a, uint32_t t, uint32_t v)
{
    hk_list *l = &a->list[t];
    uint64_t k = hk_chunk_of(a, l->len);
    uint64_t at = l->len - hk_first(a, k);
    if (at == 0) { /* chunk k is new */
        uint32_t unit;
        if (hk_adj_alloc(a, hk_chunk_words(k), &unit)) return BZ_ENOMEM;
        hk_unit(a, unit)[0] = l->last;
        l->last = unit;
    }
    hk_unit(a, l->last)[1 + at] = v;
    l->len++;
    return BZ_OK;
}

/* Entry r < len of agent t's list. */
static inline uint32_t hk_adj_get(const hk_adj *a, uint32_t t, uint64_t r)
{
    const hk_list *l = &a->list[t];
    uint64_t k = hk_chunk_of(a, l->len - 1);
    uint32_t unit = l->last;
    const uint32_t *c = hk_unit(a, unit);
    while (r < hk_first(a, k)) {
        c = hk_unit(a, c[0]);
        k--;
    }
    return c[1 + r - hk_first(a, k)];
}

static void hk_adj_free(hk_adj *a)
{
    for (uint32_t i = 0; i < a->nslabs; i++)
        free(a->slab[i]);
    free(a->list);
}

typedef struct hk_gen {
    uint64_t m, m0, clique;
    const uint32_t *targets; /* [(n - m0) m] */
    hk_adj adj;
} hk_gen;

/* Agent named by endpoint slot s of an earlier edge. */
static uint32_t hk_slot(const hk_gen *g, uint64_t s)
{
    uint64_t e = s >> 1;
    if (e < g->clique) return bz_attach_clique_slot(s);
    uint64_t k = e - g->clique;
    return (s & 1) ? g->targets[k] : (uint32_t)(g->m0 + k / g->m);
}

/* Neighbour r of earlier agent t: its own targets, then who chose it. */
static uint32_t hk_neighbour(const hk_gen *g, uint32_t t, uint64_t r)
{
    uint64_t own = t >= g->m0 ? g->m : 0;
    if (r < own) return g->targets[(t - g->m0) * g->m + r];
    return hk_adj_get(&g->adj, t, r - own);
}

static int hk_taken(const uint32_t *chosen, uint64_t c, uint32_t t)
{
    for (uint64_t i = 0; i < c; i++)
        if (chosen[i] == t) return 1;
    return 0;
}

/* The whole graph into targets (sequential). */
static int hk_make(const bz_netgen_ctx *ctx, uint32_t *targets, bz_error *err)
{
    const hk_params *pr = ctx->params;
    int status = BZ_OK;
    const uint32_t n = ctx->n;
    hk_gen g = {(uint64_t)pr->m, (uint64_t)pr->m + 1, 0, targets, {0}};
    g.clique = g.m0 * (g.m0 - 1) / 2;
    hk_adj_tables(&g.adj);
    g.adj.list = calloc(n, sizeof *g.adj.list);
    if (!g.adj.list)
        BZ_FAIL_OOM(err, "holme_kim", (size_t)n * sizeof *g.adj.list, "the lists of %u agents", n);
    for (uint32_t b = 1; b < g.m0; b++)
        for (uint32_t a = 0; a < b; a++)
            if (hk_adj_push(&g.adj, a, b) || hk_adj_push(&g.adj, b, a))
                BZ_FAIL_OOM(err, "holme_kim", HK_SLAB_BYTES, "an adjacency slab");
    for (uint64_t v = g.m0; v < n; v++) {
        bz_stream s;
        bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, (uint32_t)v,
                       BZ_RNG_NETWORK);
        uint32_t *chosen = targets + (v - g.m0) * g.m;
        const uint64_t range = 2 * (g.clique + (v - g.m0) * g.m);
        uint32_t last_pa = 0;
        for (uint64_t i = 0; i < g.m; i++) {
            uint32_t t = UINT32_MAX;
            if (i > 0 && bz_stream_uniform(&s) < pr->p_triad) { /* triad formation */
                uint64_t deg = (last_pa >= g.m0 ? g.m : 0) + g.adj.list[last_pa].len;
                for (int k = 0; k < HK_TF_TRIES && t == UINT32_MAX; k++) {
                    uint32_t w = hk_neighbour(&g, last_pa, bz_stream_below(&s, deg));
                    if (w != v && !hk_taken(chosen, i, w)) t = w;
                }
            }
            if (t == UINT32_MAX) { /* preferential attachment */
                uint64_t word = bz_stream_u64(&s);
                t = hk_slot(&g, (uint64_t)(((hk_u128)word * range) >> 64));
                for (int tries = 0; hk_taken(chosen, i, t); tries++) {
                    if (tries >= HK_MAX_TRIES) { /* pathological: smallest free agent */
                        t = 0;
                        while (hk_taken(chosen, i, t))
                            t++;
                        break;
                    }
                    word = bz_stream_u64(&s);
                    t = hk_slot(&g, (uint64_t)(((hk_u128)word * range) >> 64));
                }
                last_pa = t;
            }
            chosen[i] = t;
            if (hk_adj_push(&g.adj, t, (uint32_t)v))
                BZ_FAIL_OOM(err, "holme_kim", HK_SLAB_BYTES, "an adjacency slab");
        }
    }
cleanup:
    hk_adj_free(&g.adj);
    return status;
}

static int hk_prepare(const bz_netgen_ctx *ctx, void **state, uint32_t *n_agents, bz_error *err)
{
    (void)ctx;
    return bz_pass_cache_prepare(state, n_agents, "holme_kim", err);
}

static int hk_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const hk_params *pr = ctx->params;
    bz_pass_cache *st = ctx->state;
    if (pr->m < 1 || (uint64_t)pr->m + 1 > ctx->n)
        return bz_error_set(err, BZ_EINVAL, "holme_kim: m = %lld invalid for n = %u",
                            (long long)pr->m, ctx->n);
    const uint64_t m = (uint64_t)pr->m, m0 = m + 1;
    const int64_t n = ctx->n;
    const int directed = ctx->directed;
    uint32_t *cache = bz_pass_cache_take(st, ctx, sizeof *pr);
    if (!cache) {
        uint64_t count = ((uint64_t)n - m0) * m;
        if (count <= SIZE_MAX / sizeof *cache)
            cache = malloc((size_t)(count ? count : 1) * sizeof *cache);
        if (!cache)
            return bz_error_oom(err, "holme_kim", bz_error_bytes((size_t)count, sizeof *cache),
                                "%llu edges", (unsigned long long)count);
        int status = hk_make(ctx, cache, err);
        if (status != BZ_OK) {
            free(cache);
            return status;
        }
    }
    for (uint64_t b = 1; b < m0; b++)
        for (uint64_t a = 0; a < b; a++)
            bz_sink_add(sink, (uint32_t)b, (uint32_t)a);
#pragma omp parallel for schedule(static, 4096)
    for (int64_t v = (int64_t)m0; v < n; v++)
        for (uint64_t i = 0; i < m; i++) {
            uint32_t t = cache[((uint64_t)v - m0) * m + i];
            if (directed)
                bz_sink_add(sink, t, (uint32_t)v); /* t's posts reach its follower v */
            else
                bz_sink_add(sink, (uint32_t)v, t);
        }
    if (st && sink->pass == BZ_PASS_COUNT)
        bz_pass_cache_keep(st, ctx, sizeof *pr, cache); /* for the fill pass */
    else
        free(cache);
    return BZ_OK;
}

static int hk_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const hk_params *pr = params;
    (void)directed;
    if (pr->m < 1 || pr->m > 1000)
        return bz_error_set(err, BZ_EINVAL, "m = %lld must be in [1, 1000]", (long long)pr->m);
    if (!(pr->p_triad >= 0 && pr->p_triad <= 1))
        return bz_error_set(err, BZ_EINVAL, "p_triad = %g must be in [0, 1]", pr->p_triad);
    if ((uint64_t)pr->m + 1 > n)
        return bz_error_set(err, BZ_EINVAL,
                            "m = %lld needs at least m + 1 = %lld agents, got n = %u",
                            (long long)pr->m, (long long)pr->m + 1, n);
    return BZ_OK;
}

static uint64_t hk_estimate(const void *params, uint32_t n, int directed)
{
    const hk_params *pr = params;
    return bz_attach_arcs((uint64_t)pr->m + 1, pr->m, n, directed);
}

const bz_netgen_type bz_netgen_holme_kim = {
    .name = "holme_kim",
    .summary = "preferential attachment with triad formation: scale-free (k^-3) and clustered",
    .params = hk_param_table,
    .n_params = BZ_PARAMS_COUNT(hk_param_table),
    .params_size = sizeof(hk_params),
    .directed_ok = 1,
    .implicit_complete = 0,
    .check = hk_check,
    .estimate_arcs = hk_estimate,
    .prepare = hk_prepare,
    .release = bz_pass_cache_release,
    .generate = hk_generate,
};

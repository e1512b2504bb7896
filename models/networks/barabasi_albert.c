/* barabasi_albert: preferential attachment (Barabasi & Albert 1999), built
 * in parallel without communication (Sanders & Schulz 2016).
 *
 * Agents 0..m0-1 form a clique (m0 defaults to m + 1, so every agent has
 * degree >= m). Each later agent v attaches m edges to distinct earlier
 * agents chosen with probability proportional to degree.
 *
 * Edges are numbered: the C = m0(m0-1)/2 clique edges first, then agent v's
 * edges C + (v - m0) m + i, i < m. Edge e owns two slots of the endpoint list
 * (Batagelj & Brandes 2005): slot 2e holds its source, slot 2e + 1 its
 * target. Picking a uniform slot among those of all earlier agents' edges is
 * picking an agent with probability proportional to its degree. Edge i of v
 * draws that slot from the word i of v's own stream (seed, replicate, layer,
 * agent v), a pure function of (v, i); a source slot names its agent
 * directly (the owner of edge s/2), a target slot names whatever the earlier
 * edge drew, found by evaluating that edge's draw in turn. The chain only
 * goes back in time and has expected length 2, so any thread computes any
 * edge in O(1) expected time with no shared state: the graph is the same for
 * every thread count, and generation is O(n m) work spread over all threads.
 *
 * Duplicates: when a draw repeats a target already chosen by the same agent,
 * the agent draws again (next words of its stream, after the first m), so
 * every agent gets exactly m distinct targets and no edge is dropped. The
 * endpoint list that drives the chains keeps the first draws; the repeats
 * that differ are rare (their share falls like log(n) / n), so the degree
 * distribution keeps the BA law P(k) = 2m(m+1) / (k(k+1)(k+2)), a power law
 * with exponent 3, and the mean degree is exactly 2m + (m0 - 1 - 2m)m0/n.
 *
 * Directed layers: the edge between v and its chosen earlier agent t is
 * stored t -> v (v follows t: t's posts reach v), so in-degrees are m and
 * out-degrees (followers) follow the power law; attachment is by total
 * degree.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "graph/generator.h"
#include "graph/passcache.h"
#include "attach.h"
#include "rng/rng.h"

typedef struct ba_params {
    int64_t m;
    int64_t m0;
} ba_params;

static const bz_param ba_param_table[] = {
    {"m", BZ_PT_INT, 1, 1000, "5", "edges per agent",
     "edges each new agent attaches; mean degree is about 2m", offsetof(ba_params, m), NULL},
    {"m0", BZ_PT_INT, 0, 4294967295.0, "0", "agents",
     "size of the initial clique; 0 means m + 1 (the smallest that gives every agent m "
     "distinct targets)",
     offsetof(ba_params, m0), NULL},
};

__extension__ typedef unsigned __int128 ba_u128;

enum { BA_MAX_TRIES = 64 };

typedef struct ba_gen {
    const bz_netgen_ctx *ctx;
    uint64_t m, m0, clique; /* clique = number of clique edges */
    uint64_t m_inv;         /* k / m == (k * m_inv) >> 64 for m >= 2, k < 2^64 / m */
} ba_gen;

static uint64_t ba_m0(const ba_params *pr)
{
    return pr->m0 > 0 ? (uint64_t)pr->m0 : (uint64_t)pr->m + 1u;
}

/* Word `i` (64 bits) of agent v's stream, by random access. */
static inline uint64_t ba_word(const bz_netgen_ctx *ctx, uint32_t v, uint64_t i)
{
    bz_stream s;
    bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, v, BZ_RNG_NETWORK);
    s.ctr.v[3] += (uint32_t)(i >> 1); /* a Philox block holds two 64-bit words */
    if (i & 1) {
        bz_stream_u32(&s);
        bz_stream_u32(&s);
    }
    return bz_stream_u64(&s);
}

/* A uniform slot in [0, range) from a 64-bit word (multiply-shift; the bias
 * is below range / 2^64). */
static inline uint64_t ba_scale(uint64_t word, uint64_t range)
{
    return (uint64_t)(((ba_u128)word * range) >> 64);
}

/* Agent named by endpoint slot s. */
static uint32_t ba_resolve(const ba_gen *g, uint64_t s)
{
    for (;;) {
        uint64_t e = s >> 1;
        if (e < g->clique) return bz_attach_clique_slot(s);
        uint64_t k = e - g->clique;
        uint64_t q = g->m == 1 ? k : (uint64_t)(((ba_u128)k * g->m_inv) >> 64);
        uint64_t w = g->m0 + q;
        if ((s & 1) == 0) return (uint32_t)w; /* source slot */
        /* target slot: the first draw of edge (w, i), i = k - q m */
        uint64_t i = k - q * g->m;
        s = ba_scale(ba_word(g->ctx, (uint32_t)w, i), 2 * (g->clique + k - i));
    }
}

/* Small open-addressing set of agents for one node's targets. */
typedef struct ba_set {
    uint32_t *slot; /* value + 1, 0 = empty */
    uint32_t mask;
} ba_set;

static int ba_set_insert(ba_set *set, uint32_t x) /* 1 if inserted, 0 if present */
{
    uint32_t h = (x * 0x9E3779B1u) & set->mask;
    while (set->slot[h]) {
        if (set->slot[h] == x + 1u) return 0;
        h = (h + 1) & set->mask;
    }
    set->slot[h] = x + 1u;
    return 1;
}

static void ba_emit(bz_edge_sink *sink, int directed, uint32_t v, uint32_t t)
{
    if (directed)
        bz_sink_add(sink, t, v); /* t's posts reach its new follower v */
    else
        bz_sink_add(sink, v, t);
}

/* Agent v's m edges: first draws, then redraws for repeats; the targets are
 * left in chosen[0..m). */
static void ba_node(const ba_gen *g, bz_edge_sink *sink, uint32_t v, ba_set *set, uint32_t *chosen)
{
    const bz_netgen_ctx *ctx = g->ctx;
    uint64_t range = 2 * (g->clique + ((uint64_t)v - g->m0) * g->m);
    /* Words 0..m-1 of v's stream are the first draws (what ba_word(v, i)
     * returns), the redraws continue the same stream. */
    bz_stream s;
    bz_stream_init(&s, ctx->seed, ctx->replicate, ctx->layer_index, v, BZ_RNG_NETWORK);
    for (uint64_t i = 0; i < g->m; i++) {
        uint32_t t = ba_resolve(g, ba_scale(bz_stream_u64(&s), range));
        int tries = 0;
        while (!ba_set_insert(set, t)) {
            if (++tries > BA_MAX_TRIES) { /* pathological: smallest free agent */
                t = 0;
                while (!ba_set_insert(set, t))
                    t++;
                break;
            }
            t = ba_resolve(g, ba_scale(bz_stream_u64(&s), range));
        }
        chosen[i] = t;
        ba_emit(sink, ctx->directed, v, t);
    }
    for (uint64_t i = 0; i < g->m; i++) { /* clear only what was set */
        uint32_t h = (chosen[i] * 0x9E3779B1u) & set->mask;
        while (set->slot[h]) {
            set->slot[h] = 0;
            h = (h + 1) & set->mask;
        }
    }
}

/* ---- Replay cache --------------------------------------------------------
 * Generation (the chains) costs as much as the rest of the build. Large
 * layers are built in one pass (single_pass: graph/collect.c) and need no
 * cache; when the builder calls generate() twice (small layers, or the
 * collector's fallback) and prepare() made a state, the count
 * pass keeps every chosen target (4 bytes per edge, 2 per stored arc: the
 * build then peaks at 6 bytes per arc + 16 per agent, within the 8 + 16 of
 * graph.h) and the fill pass replays them (graph/passcache.h). Without memory
 * for it, both passes compute. The state belongs to one layer build at a
 * time (as every prepare() state does). */
static int ba_prepare(const bz_netgen_ctx *ctx, void **state, uint32_t *n_agents, bz_error *err)
{
    (void)ctx;
    return bz_pass_cache_prepare(state, n_agents, "barabasi_albert", err);
}

static int ba_generate(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err)
{
    const ba_params *pr = ctx->params;
    bz_pass_cache *st = ctx->state;
    ba_gen g = {ctx, (uint64_t)pr->m, ba_m0(pr), 0, 0};
    g.m_inv = g.m >= 2 ? UINT64_MAX / g.m + 1 : 0;
    if (pr->m < 1 || g.m0 <= g.m || g.m0 > ctx->n)
        return bz_error_set(err, BZ_EINVAL,
                            "barabasi_albert: m = %lld, m0 = %llu invalid for n = %u",
                            (long long)pr->m, (unsigned long long)g.m0, ctx->n);
    g.clique = g.m0 * (g.m0 - 1) / 2;
    const int directed = ctx->directed;
    const int64_t m0 = (int64_t)g.m0, n = ctx->n;
    const uint64_t m = g.m;

#pragma omp parallel for schedule(dynamic, 64)
    for (int64_t b = 1; b < m0; b++)
        for (int64_t a = 0; a < b; a++)
            ba_emit(sink, directed, (uint32_t)b, (uint32_t)a);

    uint32_t *kept = sink->pass == BZ_PASS_FILL ? bz_pass_cache_take(st, ctx, sizeof *pr) : NULL;
    if (kept) {
#pragma omp parallel for schedule(static, 4096)
        for (int64_t v = m0; v < n; v++)
            for (uint64_t i = 0; i < m; i++)
                ba_emit(sink, directed, (uint32_t)v, kept[(uint64_t)(v - m0) * m + i]);
        free(kept);
        return BZ_OK;
    }
    uint32_t *cache = NULL;
    if (st && sink->pass == BZ_PASS_COUNT) {
        bz_pass_cache_keep(st, ctx, sizeof *pr, NULL); /* drop anything older */
        uint64_t count = (uint64_t)(n - m0) * m;
        if (count <= SIZE_MAX / sizeof *cache)
            cache = malloc((size_t)(count ? count : 1) * sizeof *cache);
    }

    uint32_t cap = 16;
    while (cap < 4 * m)
        cap *= 2;
    int failed = 0;
#pragma omp parallel
    {
        uint32_t *slots = calloc(cap, sizeof *slots);
        uint32_t *chosen = cache ? NULL : malloc(m * sizeof *chosen);
        if (!slots || (!cache && !chosen)) {
#pragma omp atomic write
            failed = 1;
        }
        ba_set set = {slots, cap - 1};
#pragma omp for schedule(dynamic, 1024)
        for (int64_t v = m0; v < n; v++)
            if (slots && (cache || chosen))
                ba_node(&g, sink, (uint32_t)v, &set,
                        cache ? cache + (uint64_t)(v - m0) * m : chosen);
        free(slots);
        free(chosen);
    }
    if (failed) {
        free(cache);
        return bz_error_oom(err, "barabasi_albert",
                            cap * sizeof(uint32_t) + (cache ? 0 : m * sizeof(uint32_t)),
                            "a thread's target set of %u slots", cap);
    }
    if (cache) bz_pass_cache_keep(st, ctx, sizeof *pr, cache);
    return BZ_OK;
}

static int ba_check(const void *params, uint32_t n, int directed, bz_error *err)
{
    const ba_params *pr = params;
    (void)directed;
    if (pr->m < 1 || pr->m > 1000)
        return bz_error_set(err, BZ_EINVAL, "m = %lld must be in [1, 1000]", (long long)pr->m);
    if (pr->m0 < 0)
        return bz_error_set(err, BZ_EINVAL, "m0 = %lld must not be negative", (long long)pr->m0);
    uint64_t m0 = ba_m0(pr);
    if (pr->m0 > 0 && m0 <= (uint64_t)pr->m)
        return bz_error_set(err, BZ_EINVAL,
                            "m0 = %lld must be at least m + 1 = %lld so that every agent finds m "
                            "distinct targets",
                            (long long)pr->m0, (long long)pr->m + 1);
    if (m0 > n) {
        if (pr->m0 > 0)
            return bz_error_set(err, BZ_EINVAL, "m0 = %lld exceeds the number of agents n = %u",
                                (long long)pr->m0, n);
        return bz_error_set(err, BZ_EINVAL,
                            "m = %lld needs at least m + 1 = %lld agents, got n = %u",
                            (long long)pr->m, (long long)pr->m + 1, n);
    }
    return BZ_OK;
}

static uint64_t ba_estimate(const void *params, uint32_t n, int directed)
{
    const ba_params *pr = params;
    return bz_attach_arcs(ba_m0(pr), pr->m, n, directed);
}

const bz_netgen_type bz_netgen_barabasi_albert = {
    .name = "barabasi_albert",
    .summary = "preferential attachment: scale-free degrees P(k) ~ k^-3, m edges per new agent",
    .params = ba_param_table,
    .n_params = BZ_PARAMS_COUNT(ba_param_table),
    .params_size = sizeof(ba_params),
    .directed_ok = 1,
    .implicit_complete = 0,
    .single_pass = 1,
    .check = ba_check,
    .estimate_arcs = ba_estimate,
    .prepare = ba_prepare,
    .release = bz_pass_cache_release,
    .generate = ba_generate,
};

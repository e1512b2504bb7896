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
 * it is kept (4 bytes per edge, up to twice that with growth, plus 16 bytes
 * per agent) and freed at the end. Without a state both passes generate.
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

/* Who chose each agent (and the clique neighbours of clique agents). */
typedef struct hk_adj {
    uint32_t **list;
    uint32_t *len, *cap;
} hk_adj;

static int hk_adj_push(hk_adj *a, uint32_t t, uint32_t v)
{
    if (a->len[t] == a->cap[t]) {
        uint32_t c = a->cap[t] ? 2 * a->cap[t] : 4;
        uint32_t *p = realloc(a->list[t], (size_t)c * sizeof *p);
        if (!p) return BZ_ENOMEM;
        a->list[t] = p;
        a->cap[t] = c;
    }
    a->list[t][a->len[t]++] = v;
    return BZ_OK;
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
    if (e < g->clique) { /* clique edge e = (a, b), a < b, e = b(b-1)/2 + a */
        uint64_t b = (uint64_t)((1.0 + sqrt(1.0 + 8.0 * (double)e)) / 2.0);
        while (b > 1 && b * (b - 1) / 2 > e)
            b--;
        while ((b + 1) * b / 2 <= e)
            b++;
        return (uint32_t)((s & 1) ? e - b * (b - 1) / 2 : b);
    }
    uint64_t k = e - g->clique;
    return (s & 1) ? g->targets[k] : (uint32_t)(g->m0 + k / g->m);
}

/* Neighbour r of earlier agent t: its own targets, then who chose it. */
static uint32_t hk_neighbour(const hk_gen *g, uint32_t t, uint64_t r)
{
    uint64_t own = t >= g->m0 ? g->m : 0;
    if (r < own) return g->targets[(t - g->m0) * g->m + r];
    return g->adj.list[t][r - own];
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
    g.adj.list = calloc(n, sizeof *g.adj.list);
    g.adj.len = calloc(n, sizeof *g.adj.len);
    g.adj.cap = calloc(n, sizeof *g.adj.cap);
    if (!g.adj.list || !g.adj.len || !g.adj.cap)
        BZ_FAIL(err, BZ_ENOMEM, "holme_kim: out of memory (%u agents)", n);
    for (uint32_t b = 1; b < g.m0; b++)
        for (uint32_t a = 0; a < b; a++)
            if (hk_adj_push(&g.adj, a, b) || hk_adj_push(&g.adj, b, a))
                BZ_FAIL(err, BZ_ENOMEM, "holme_kim: out of memory");
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
                uint64_t deg = (last_pa >= g.m0 ? g.m : 0) + g.adj.len[last_pa];
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
                BZ_FAIL(err, BZ_ENOMEM, "holme_kim: out of memory");
        }
    }
cleanup:
    if (g.adj.list)
        for (uint32_t u = 0; u < n; u++)
            free(g.adj.list[u]);
    free(g.adj.list);
    free(g.adj.len);
    free(g.adj.cap);
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
            return bz_error_set(err, BZ_ENOMEM, "holme_kim: out of memory (%llu edges)",
                                (unsigned long long)count);
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
    uint64_t m0 = (uint64_t)pr->m + 1;
    if (pr->m < 1 || m0 > n) return 0;
    uint64_t edges = m0 * (m0 - 1) / 2 + ((uint64_t)n - m0) * (uint64_t)pr->m;
    return directed ? edges : 2 * edges;
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

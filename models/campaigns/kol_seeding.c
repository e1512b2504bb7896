/* KOL seeding: at a time, `count` key opinion leaders chosen on a layer by a
 * strategy become active advocates (the `seed` lever), and their launch post
 * reaches each follower with probability `reach` (the `expose` lever).
 *
 * Strategies (ties always go to the lower agent id):
 *   random            uniform, distinct
 *   degree            largest out-degree on the layer, i.e. most followers (hubs)
 *   pagerank          highest PageRank on the layer (damping 0.85; on follower
 *                     layers rank flows to the accounts many follow)
 *   kcore             highest k-core number, then degree (the well-connected core)
 *   bridges           highest approximate betweenness (Brandes from `samples`
 *                     sources), the agents between communities (Hinz et al. 2011)
 *   community_spread  the highest-degree agents of every city in turn, largest
 *                     city first, so seeds are spread over the country
 * Selection runs once per replicate at start: O(n log count) plus the metric
 * (PageRank O(m) per iteration, bridges O(samples m)). Cost: fee per KOL plus
 * fee_per_follower for each follower the post reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "core/campaign.h"
#include "core/sim.h"
#include "graph/metrics.h"
#include "util.h"

typedef struct kol_params {
    double at, reach, fee, fee_per_follower;
    int64_t count;
    int strategy;
    int64_t samples;
    char layer[BZ_NAME_MAX];
} kol_params;

enum { KOL_RANDOM, KOL_DEGREE, KOL_PAGERANK, KOL_KCORE, KOL_BRIDGES, KOL_COMMUNITY };
static const char *const kol_strategies[] = {"random",  "degree",           "pagerank", "kcore",
                                             "bridges", "community_spread", NULL};

static const bz_param kol_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the KOLs post", offsetof(kol_params, at),
     NULL},
    {"count", BZ_PT_INT, 1, 4294967295.0, "10", "agents", "number of KOLs",
     offsetof(kol_params, count), NULL},
    {"strategy", BZ_PT_ENUM, 0, 0, "degree", "",
     "how KOLs are chosen: random, degree (hubs), pagerank, kcore, bridges (betweenness) or "
     "community_spread (top agents of every city)",
     offsetof(kol_params, strategy), kol_strategies},
    {"samples", BZ_PT_INT, 1, 1e6, "64", "sources",
     "BFS sources of the approximate betweenness (strategy bridges): error ~ 1/sqrt(samples)",
     offsetof(kol_params, samples), NULL},
    {"layer", BZ_PT_STRING, 0, 0, "", "",
     "layer whose followers the KOLs reach (empty: the first layer)", offsetof(kol_params, layer),
     NULL},
    {"reach", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that a follower sees the KOL's launch post", offsetof(kol_params, reach), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "1000", "currency per KOL", "fee paid to each KOL",
     offsetof(kol_params, fee), NULL},
    {"fee_per_follower", BZ_PT_REAL, 0, 1e12, "0", "currency per follower reached",
     "variable fee per follower reached", offsetof(kol_params, fee_per_follower), NULL},
};

typedef struct kol_state {
    int layer;
    uint32_t *kols; /* [count] */
} kol_state;

static int kol_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const kol_params *p = params;
    if (bz_campaign_layer(x, p->layer, "layer", err) < 0) return BZ_EINVAL;
    if (x->agents > 0 && (uint64_t)p->count > x->agents)
        return bz_error_set(err, BZ_EINVAL, "count: %lld KOLs but only %u agents",
                            (long long)p->count, x->agents);
    return BZ_OK;
}

/* Indices of the k largest scores among `ids` (all agents 0..n-1 when ids
 * is NULL), ties to the lower id, best first: a bounded min-heap, O(n log k). */
static uint32_t top_score(const double *score, const uint32_t *ids, uint64_t n, uint32_t k,
                          uint32_t *out)
{
    uint32_t size = 0;
    if (k == 0) return 0;
#define KOL_LESS(a, b) (score[a] < score[b] || (score[a] == score[b] && (a) > (b)))
    for (uint64_t i = 0; i < n; i++) {
        uint32_t v = ids ? ids[i] : (uint32_t)i;
        if (size < k) {
            uint32_t j = size++;
            out[j] = v;
            while (j > 0 && KOL_LESS(out[j], out[(j - 1) / 2])) {
                uint32_t q = (j - 1) / 2, t = out[j];
                out[j] = out[q];
                out[q] = t;
                j = q;
            }
        } else if (KOL_LESS(out[0], v)) {
            out[0] = v;
            uint32_t j = 0;
            for (;;) {
                uint32_t a = 2 * j + 1, b = a + 1, m = j;
                if (a < size && KOL_LESS(out[a], out[m])) m = a;
                if (b < size && KOL_LESS(out[b], out[m])) m = b;
                if (m == j) break;
                uint32_t t = out[j];
                out[j] = out[m];
                out[m] = t;
                j = m;
            }
        }
    }
    /* Heap order -> best first (insertion sort; k is small). */
    for (uint32_t i = 1; i < size; i++) {
        uint32_t v = out[i], j = i;
        for (; j > 0 && KOL_LESS(out[j - 1], v); j--)
            out[j] = out[j - 1];
        out[j] = v;
    }
#undef KOL_LESS
    return size;
}

/* Score of every agent for the strategy (higher is better). */
static int kol_scores(const bz_layer *l, const kol_params *p, uint64_t seed, double *score,
                      bz_error *err)
{
    const uint32_t n = l->n;
    int status = BZ_OK;
    uint32_t *core = NULL;
    switch (p->strategy) {
    case KOL_PAGERANK:
        return bz_metrics_pagerank(l, 0.85, 1e-10, 200, score, NULL, err);
    case KOL_BRIDGES:
        return bz_metrics_betweenness_approx(l, (uint32_t)p->samples, seed, score, err);
    case KOL_KCORE: {
        uint32_t max_core;
        uint64_t maxd = 0;
        if (!(core = malloc((size_t)n * sizeof *core + 1)))
            return bz_error_set(err, BZ_ENOMEM, "out of memory for k-cores of %u agents", n);
        BZ_CHECK(bz_metrics_kcore(l, core, &max_core, err));
        for (uint32_t v = 0; v < n; v++)
            if (bz_layer_degree(l, v) > maxd) maxd = bz_layer_degree(l, v);
        for (uint32_t v = 0; v < n; v++)
            score[v] = (double)core[v] * (double)(maxd + 1) + (double)bz_layer_degree(l, v);
        break;
    }
    default: /* degree, community_spread */
        for (uint32_t v = 0; v < n; v++)
            score[v] = (double)bz_layer_degree(l, v);
    }
cleanup:
    free(core);
    return status;
}

/* community_spread: the best agents of each city in turn, largest city
 * first (city 0), until k are chosen. */
static int spread_over_cities(const bz_population *pop, const double *score, uint32_t k,
                              uint32_t *out, bz_error *err)
{
    const uint32_t C = pop->n_cities, per = (k + C - 1) / C;
    uint32_t *best = malloc((size_t)C * per * sizeof *best), *got = calloc(C, sizeof *got);
    if (!best || !got) {
        free(best);
        free(got);
        return bz_error_set(err, BZ_ENOMEM, "out of memory choosing KOLs over %u cities", C);
    }
    for (uint32_t c = 0; c < C; c++)
        got[c] =
            top_score(score, pop->city_members + pop->city_offsets[c],
                      pop->city_offsets[c + 1] - pop->city_offsets[c], per, best + (size_t)c * per);
    uint32_t m = 0;
    for (uint32_t round = 0; round < per && m < k; round++)
        for (uint32_t c = 0; c < C && m < k; c++)
            if (round < got[c]) out[m++] = best[(size_t)c * per + round];
    int status = BZ_OK;
    if (m < k) {
        /* Small cities ran out: fill with the best agents overall not yet
         * chosen (the global top k holds at least k - m of them). */
        uint8_t *chosen = calloc(pop->n, 1);
        uint32_t *top = malloc((size_t)k * sizeof *top);
        if (!chosen || !top) {
            status = bz_error_set(err, BZ_ENOMEM, "out of memory choosing KOLs");
        } else {
            for (uint32_t i = 0; i < m; i++)
                chosen[out[i]] = 1;
            top_score(score, NULL, pop->n, k, top);
            for (uint32_t i = 0; i < k && m < k; i++)
                if (!chosen[top[i]]) out[m++] = top[i];
        }
        free(chosen);
        free(top);
    }
    free(best);
    free(got);
    return status;
}

static int kol_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const kol_params *p = run->params;
    kol_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = st;
    st->layer = bz_campaign_layer(sim->x, p->layer, "layer", err);
    if (st->layer < 0) return BZ_EINVAL;
    if ((uint64_t)p->count > sim->n)
        return bz_error_set(err, BZ_EINVAL, "count: %lld KOLs but only %u agents",
                            (long long)p->count, sim->n);
    uint32_t k = (uint32_t)p->count;
    st->kols = malloc((size_t)k * sizeof *st->kols);
    if (!st->kols) return bz_error_set(err, BZ_ENOMEM, "out of memory for %u KOLs", k);
    if (p->strategy != KOL_RANDOM) {
        const bz_layer *l = &sim->net->layers[st->layer];
        double *score = malloc((size_t)sim->n * sizeof *score + 1);
        if (!score) return bz_error_set(err, BZ_ENOMEM, "out of memory for KOL scores");
        int status = kol_scores(l, p, sim->seed ^ run->index, score, err);
        if (status == BZ_OK) {
            if (p->strategy == KOL_COMMUNITY)
                status = spread_over_cities(sim->pop, score, k, st->kols, err);
            else
                top_score(score, NULL, sim->n, k, st->kols);
        }
        free(score);
        return status;
    }
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, 0, UINT32_MAX, BZ_RNG_CAMPAIGN + run->index);
    return bz_sim_random_agents(sim->n, k, &s, st->kols, err);
}

static void kol_act(bz_sim *sim, bz_campaign_run *run)
{
    const kol_params *p = run->params;
    kol_state *st = run->state;
    if (!bz_window_starts(sim, p->at)) return;
    bz_tally *t = &sim->tally[0];
    uint64_t reached = 0;
    for (int64_t i = 0; i < p->count; i++) {
        uint32_t kol = st->kols[i];
        bz_sim_seed(sim, kol, BZ_CH_KOL);
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, kol);
        reached += bz_sim_reach(sim, t, (size_t)st->layer, kol, p->reach, BZ_CH_KOL, &s);
    }
    run->cost += p->fee * (double)p->count + p->fee_per_follower * (double)reached;
}

static void kol_finish(bz_campaign_run *run)
{
    kol_state *st = run->state;
    if (!st) return;
    free(st->kols);
    free(st);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_kol_seeding = {
    .name = "kol_seeding",
    .summary = "KOLs chosen by a strategy become advocates and post to their followers",
    .params = kol_param_table,
    .n_params = BZ_PARAMS_COUNT(kol_param_table),
    .params_size = sizeof(kol_params),
    .check = kol_check,
    .start = kol_start,
    .act = kol_act,
    .finish = kol_finish,
};

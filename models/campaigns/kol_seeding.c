/* KOL seeding: at a time, `count` key opinion leaders chosen on a layer by a
 * strategy become active advocates (the `seed` lever), and their launch post
 * reaches each follower with probability `reach` (the `expose` lever).
 *
 * Strategies: random (uniform, distinct), degree (largest out-degree on the
 * layer, i.e. most followers; ties to the lower agent id). Cost: fee per KOL
 * plus fee_per_follower for each follower the post reaches.
 */
#include <stdlib.h>
#include <string.h>

#include "core/campaign.h"
#include "core/sim.h"
#include "util.h"

typedef struct kol_params {
    double at, reach, fee, fee_per_follower;
    int64_t count;
    int strategy;
    char layer[BZ_NAME_MAX];
} kol_params;

enum { KOL_RANDOM, KOL_DEGREE };
static const char *const kol_strategies[] = {"random", "degree", NULL};

static const bz_param kol_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the KOLs post", offsetof(kol_params, at),
     NULL},
    {"count", BZ_PT_INT, 1, 4294967295.0, "10", "agents", "number of KOLs",
     offsetof(kol_params, count), NULL},
    {"strategy", BZ_PT_ENUM, 0, 0, "degree", "", "how KOLs are chosen: random or degree (hubs)",
     offsetof(kol_params, strategy), kol_strategies},
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

/* Indices of the k largest degrees (ties: lower id first), by a bounded
 * min-heap: O(n log k). */
static void top_degree(const bz_layer *l, uint32_t n, uint32_t k, uint32_t *out)
{
    uint32_t size = 0;
    if (k == 0) return;
#define KOL_LESS(a, b)                                                                             \
    (bz_layer_degree(l, a) < bz_layer_degree(l, b) ||                                              \
     (bz_layer_degree(l, a) == bz_layer_degree(l, b) && (a) > (b)))
    for (uint32_t v = 0; v < n; v++) {
        if (size < k) {
            uint32_t i = size++;
            out[i] = v;
            while (i > 0 && KOL_LESS(out[i], out[(i - 1) / 2])) {
                uint32_t p = (i - 1) / 2, t = out[i];
                out[i] = out[p];
                out[p] = t;
                i = p;
            }
        } else if (KOL_LESS(out[0], v)) {
            out[0] = v;
            uint32_t i = 0;
            for (;;) {
                uint32_t a = 2 * i + 1, b = a + 1, m = i;
                if (a < size && KOL_LESS(out[a], out[m])) m = a;
                if (b < size && KOL_LESS(out[b], out[m])) m = b;
                if (m == i) break;
                uint32_t t = out[i];
                out[i] = out[m];
                out[m] = t;
                i = m;
            }
        }
    }
    /* Heap order -> descending degree (selection sort; k is small). */
    for (uint32_t i = 0; i < size; i++)
        for (uint32_t j = i + 1; j < size; j++)
            if (KOL_LESS(out[i], out[j])) {
                uint32_t t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
#undef KOL_LESS
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
    if (p->strategy == KOL_DEGREE) {
        top_degree(&sim->net->layers[st->layer], sim->n, k, st->kols);
        return BZ_OK;
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

/* Shared pieces of the diffusion models (internal to models/diffusion):
 * random initial seeds, exposure responses, and the choice of a random tie
 * over all layers. */
#ifndef BZ_CONTAGION_H
#define BZ_CONTAGION_H

#include "engine/sim.h"

/* Give `count` distinct random agents (stream (0, 0, BZ_RNG_INIT) of the
 * replicate, the same in every arm) the seed lever, channel seed, at time
 * 0. BZ_EINVAL if count > n ("diffusion.seeds: ..."), BZ_ENOMEM. */
int bz_contagion_seed_random(bz_sim *sim, uint32_t count, bz_error *err);

/* Per-agent decision counters: draw k of agent v is stream (v, k,
 * BZ_RNG_DECIDE). */
typedef struct bz_nonces {
    uint32_t *next; /* [n] */
} bz_nonces;

int bz_nonces_init(bz_nonces *c, uint32_t n, bz_error *err);
void bz_nonces_destroy(bz_nonces *c);
static inline void bz_nonces_stream(const bz_sim *sim, bz_nonces *c, uint32_t v, bz_stream *s)
{
    bz_sim_stream(sim, s, v, c->next[v]++, BZ_RNG_DECIDE);
}

/* Total out-degree of u over every layer. */
uint64_t bz_contagion_degree(const bz_sim *sim, uint32_t u);

/* Tie number j (0 <= j < total out-degree) of u, counting the layers in
 * order: the neighbour, and its layer in *layer. */
uint32_t bz_contagion_tie(const bz_sim *sim, uint32_t u, uint64_t j, size_t *layer);

/* The layer of u's tie number *j (counting the layers in order), with *j
 * made the index within that layer's row and its index in *layer. *j must
 * be below u's total out-degree. O(layers). */
static inline const bz_layer *bz_contagion_layer_of(const bz_sim *sim, uint32_t u, uint64_t *j,
                                                    size_t *layer)
{
    const size_t L = sim->net->n_layers;
    for (size_t li = 0; li + 1 < L; li++) {
        const uint64_t d = bz_layer_degree(&sim->net->layers[li], u);
        if (*j < d) {
            *layer = li;
            return &sim->net->layers[li];
        }
        *j -= d;
    }
    *layer = L - 1;
    return &sim->net->layers[L - 1];
}

/* Prefetch the row offsets of u on every layer. */
static inline void bz_contagion_prefetch_offsets(const bz_sim *sim, uint32_t u)
{
    for (size_t li = 0; li < sim->net->n_layers; li++)
        if (!sim->net->layers[li].complete) __builtin_prefetch(&sim->net->layers[li].offsets[u]);
}

/* Prefetch hints for an event of u (bz_model_type.prefetch): stage 0 its
 * state and the row offsets of every layer, stage 1 the start of its rows
 * (reads the offsets). Changes nothing. */
static inline void bz_contagion_prefetch(const bz_sim *sim, uint32_t u, int stage)
{
    const size_t L = sim->net->n_layers;
    if (stage == 0) __builtin_prefetch(&sim->state[u]);
    for (size_t li = 0; li < L; li++) {
        const bz_layer *l = &sim->net->layers[li];
        if (l->complete) continue;
        if (stage == 0) {
            __builtin_prefetch(&l->offsets[u]);
        } else {
            /* The row, up to 8 lines (128 ties): the ties used are anywhere
             * in it. */
            const uint64_t a = l->offsets[u], b = l->offsets[u + 1];
            const uint64_t end = b - a > 128 ? a + 128 : b;
            for (uint64_t x = a; x < end; x += 16)
                __builtin_prefetch(&l->targets[x]);
            if (end > a) __builtin_prefetch(&l->targets[end - 1]);
        }
    }
}

#endif

/* Shared pieces of the diffusion models (internal to models/diffusion):
 * random initial seeds, exposure responses, and the choice of a random tie
 * over all layers. */
#ifndef BZ_CONTAGION_H
#define BZ_CONTAGION_H

#include "core/sim.h"

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

#endif

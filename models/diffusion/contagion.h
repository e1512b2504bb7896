/* Shared pieces of the simple-contagion models (independent_cascade, sir):
 * random initial seeds. Internal to models/diffusion. */
#ifndef BZ_CONTAGION_H
#define BZ_CONTAGION_H

#include "core/sim.h"

/* Put `count` distinct random agents (stream BZ_RNG_INIT of the replicate)
 * into state `active`, attributing them to the seed channel. */
int bz_contagion_seed_random(bz_sim *sim, uint32_t count, uint8_t active, bz_error *err);

#endif

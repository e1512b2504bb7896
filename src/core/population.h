/* The agents: N of them, each in one city, in structure-of-arrays form.
 *
 * City sizes follow a Zipf law (size of the k-th largest city proportional to
 * 1 / k^s), rounded so they sum to N with every city non-empty; agents are
 * assigned to cities by a random permutation drawn from the population stream,
 * so city membership is independent of agent index (generators such as
 * barabasi_albert give low indices more links). City 0 is the largest.
 */
#ifndef BZ_POPULATION_H
#define BZ_POPULATION_H

#include <stdint.h>

#include "core/error.h"

typedef struct bz_population {
    uint32_t n;
    uint32_t n_cities;
    uint32_t *city;         /* [n] city of each agent, owned */
    uint64_t *city_offsets; /* [n_cities + 1] into city_members, owned */
    uint32_t *city_members; /* [n] agents grouped by city, ascending, owned */
} bz_population;

/* Build a population of n agents in n_cities cities with Zipf exponent s
 * (s = 0 gives equal sizes). Fails with BZ_EINVAL if n_cities is 0 or
 * exceeds n, BZ_ENOMEM on allocation failure. Cost O(n). */
int bz_population_init(bz_population *pop, uint32_t n, uint32_t n_cities, double zipf_s,
                       uint64_t seed, bz_error *err);
void bz_population_destroy(bz_population *pop);

#endif

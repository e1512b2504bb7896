/* KOL selection of the kol_seeding campaign, exposed for tests and tools.
 * Internal to models/campaigns (and its tests). */
#ifndef BZ_KOL_SEEDING_H
#define BZ_KOL_SEEDING_H

#include <stdint.h>

#include "engine/experiment.h"
#include "base/error.h"
#include "base/population.h"
#include "graph/graph.h"

/* Choose the KOLs of a kol_seeding campaign whose parsed parameters are
 * `params` (a bz_campaign_spec's params for type bz_campaign_kol_seeding), in
 * experiment x on the world (net, pop) of replicate `replicate`, as campaign
 * `index` of its arm: exactly what the campaign's start() does with a
 * simulation seeded `seed`. out receives the params' `count` agents, best
 * first. Errors: those of the strategy (layer missing, count > agents,
 * BZ_ENOMEM, metric and influence errors). Cost: see kol_seeding.c. */
int bz_kol_select(const bz_experiment *x, const bz_network *net, const bz_population *pop,
                  const void *params, uint64_t seed, uint32_t replicate, uint32_t index,
                  uint32_t *out, bz_error *err);

/* The IC arc probability the greedy strategy uses on layer li of x for the
 * given params: ic_prob when > 0, else 1 - exp(-share * ic_days). */
double bz_kol_ic_prob(const bz_experiment *x, int li, const void *params);

#endif

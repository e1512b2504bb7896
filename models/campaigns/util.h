/* Helpers shared by campaigns: time windows, city sets, layer lookup.
 * Internal to models/campaigns. */
#ifndef BZ_CAMPAIGN_UTIL_H
#define BZ_CAMPAIGN_UTIL_H

#include <math.h>

#include "core/sim.h"

/* Days of the current step [t0, t0 + dt) inside [at, at + duration);
 * duration 0 means "until the horizon". */
static inline double bz_window_overlap(const bz_sim *sim, double at, double duration)
{
    double end = duration > 0 ? at + duration : INFINITY;
    double lo = fmax(sim->t0, at), hi = fmin(sim->t0 + sim->dt, end);
    return hi > lo ? hi - lo : 0.0;
}

/* True in the one step whose interval contains time `at` (a one-off event).
 * An event at or after the horizon never happens. */
static inline int bz_window_starts(const bz_sim *sim, double at)
{
    return at >= sim->t0 && at < sim->t0 + sim->dt;
}

/* Mark the cities of a cityset in out[n_cities] (1 = included). {top: N}
 * means the N largest cities (indices 0..N-1, population order). BZ_EINVAL
 * if a listed city does not exist. */
int bz_cityset_mark(const bz_cityset *cs, uint32_t n_cities, uint8_t *out, bz_error *err);

/* Index of the layer named `name` in the experiment ("" = the first layer),
 * or -1 with err filled (naming the key `what`). */
int bz_campaign_layer(const bz_experiment *x, const char *name, const char *what, bz_error *err);

/* bz_campaign_layer, except that "" means the last layer (where experiments
 * put the strong-tie friend network: festival guests, referrals). */
int bz_campaign_layer_last(const bz_experiment *x, const char *name, const char *what,
                           bz_error *err);

/* Number of cities marked in marks[n_cities] (filled by bz_cityset_mark):
 * {top: N} counts at most n_cities, a city listed twice counts once.
 * O(n_cities). */
uint32_t bz_cityset_count(const uint8_t *marks, uint32_t n_cities);

/* Expose every agent (of the cities marked in city_mask, or all with NULL)
 * independently with probability prob through `channel`. Agents are taken in
 * fixed blocks of BZ_CAMPAIGN_BLOCK; block b skips geometrically through its
 * agents with the campaign stream stream_base + b, so the draws do not depend
 * on the thread count and the cost is O(exposures + blocks). Parallel.
 * Returns the exposures made. */
#define BZ_CAMPAIGN_BLOCK 65536
int64_t bz_campaign_expose_all(bz_sim *sim, const bz_campaign_run *run, double prob,
                               const uint8_t *city_mask, int channel, uint32_t stream_base);

#endif

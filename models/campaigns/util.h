/* Helpers shared by campaigns: time windows, city sets, layer lookup.
 * Internal to models/campaigns. */
#ifndef BZ_CAMPAIGN_UTIL_H
#define BZ_CAMPAIGN_UTIL_H

#include <math.h>

#include "engine/sim.h"

/* Campaigns that expose at a rate generate their exposures one chunk of
 * this many days at a time (an action per chunk): the chunks are fixed by
 * the campaign's own times, never by time.step. */
#define BZ_CAMPAIGN_CHUNK 1.0

/* End of a campaign that starts at `at` and lasts `duration` (0: until the
 * horizon), capped at the horizon. */
static inline double bz_campaign_end(const bz_sim *sim, double at, double duration)
{
    double end = duration > 0 ? at + duration : sim->horizon;
    return end < sim->horizon ? end : sim->horizon;
}

/* Index of the layer named `name` in the experiment ("" = the first layer),
 * or -1 with err filled (naming the key `what`). */
int bz_campaign_layer(const bz_experiment *x, const char *name, const char *what, bz_error *err);

/* bz_campaign_layer, except that "" means the last layer (where experiments
 * put the strong-tie friend network: festival guests, referrals). */
int bz_campaign_layer_last(const bz_experiment *x, const char *name, const char *what,
                           bz_error *err);

/* Expose every agent (of the cities marked in city_mask, or all with NULL)
 * as a Poisson process of `rate` per day over [a, b): agents are taken in
 * fixed blocks of BZ_CAMPAIGN_BLOCK; block k skips geometrically through
 * its agents with the campaign stream (index, k) to those with at least one
 * exposure (probability 1 - e^(-rate (b - a))), draws their number from the
 * Poisson law conditioned on one or more, and their times uniformly in
 * [a, b); each is an exposure event. O(exposures + blocks). Returns the
 * exposures scheduled before the horizon. */
#define BZ_CAMPAIGN_BLOCK 65536
int64_t bz_campaign_expose_rate(bz_sim *sim, const bz_campaign_run *run, double a, double b,
                                double rate, const uint8_t *city_mask, int channel, uint32_t index);

/* Expose every agent (of the marked cities) once with probability prob, at
 * a time uniform in [a, b) (at a when b <= a), with the same blocks and
 * streams. Returns the exposures scheduled before the horizon. */
int64_t bz_campaign_expose_once(bz_sim *sim, const bz_campaign_run *run, double a, double b,
                                double prob, const uint8_t *city_mask, int channel, uint32_t index);

#endif

/* Campaigns: the extension point for models/campaigns/.
 *
 * A campaign is a const bz_campaign_type listed in
 * models/campaigns/registry.c. It acts each step, before the model's step,
 * through the levers of core/sim.h: expose (bz_sim_expose), seed
 * (bz_sim_seed), and accrues its cost in run->cost. Randomness comes from
 * bz_sim_campaign_stream(sim, run, agent), keyed by the campaign's position
 * in its arm, so the same campaign draws the same numbers in every arm.
 */
#ifndef BZ_CAMPAIGN_H
#define BZ_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/params.h"

struct bz_sim;
struct bz_experiment;

typedef struct bz_campaign_run {
    const struct bz_campaign_type *type;
    const void *params;
    uint32_t index; /* position in the arm */
    void *state;    /* owned by the type: start() allocates, finish() frees */
    double cost;    /* accrued cost so far (currency units) */
} bz_campaign_run;

typedef struct bz_campaign_type {
    const char *name;
    const char *summary;
    const bz_param *params;
    size_t n_params;
    size_t params_size;

    /* Optional: checks that need the experiment (layer exists, ...). */
    int (*check)(const void *params, const struct bz_experiment *x, bz_error *err);
    /* Optional: prepare for one replicate (choose KOLs, ...). */
    int (*start)(struct bz_sim *sim, bz_campaign_run *run, bz_error *err);
    /* Act at the current step sim->step (time sim->t0 .. sim->t0 + sim->dt). */
    void (*act)(struct bz_sim *sim, bz_campaign_run *run);
    /* Optional: after the step's model update and purchases, with the step's
     * totals in sim->step_adopt / step_expo (pay per referred adoption). */
    void (*settle)(struct bz_sim *sim, bz_campaign_run *run);
    /* Optional: free run->state. */
    void (*finish)(bz_campaign_run *run);
} bz_campaign_type;

extern const bz_campaign_type *const bz_campaign_registry[];
const bz_campaign_type *bz_campaign_find(const char *name);

#endif

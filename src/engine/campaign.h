/* Campaigns: the extension point for models/campaigns/.
 *
 * A campaign is a const bz_campaign_type listed in
 * models/campaigns/registry.c. In start() it prepares one replicate
 * (chooses KOLs, registers sale windows and sharing intervals) and schedules
 * its actions at their exact times (bz_sim_schedule_campaign); each action
 * runs act() at that time, acts through the levers of engine/sim.h (expose,
 * seed, boost, ...: engine/levers.h) and accrues its cost in run->cost. It
 * declares the levers it uses (`levers`, `lever_conds`), so that an arm
 * whose model does not honour one of them is refused when the experiment
 * is loaded. Randomness comes from
 * bz_sim_campaign_stream(), keyed by the campaign's position in its arm and
 * by what it draws for (a chunk of exposures, a post), never by time, so
 * the same campaign draws the same numbers in every arm and for any
 * output step.
 */
#ifndef BZ_CAMPAIGN_H
#define BZ_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"
#include "engine/levers.h"

struct bz_sim;
struct bz_experiment;

typedef struct bz_campaign_run {
    const struct bz_campaign_type *type;
    const void *params;
    uint32_t index; /* position in the arm: keys its streams (the same in a sub-arm of
                     * Shapley attribution, so that it draws the same numbers) */
    uint32_t slot;  /* position in the simulation's campaign list (event keys) */
    void *state;    /* owned by the type: start() allocates, finish() frees */
    double cost;    /* accrued cost so far (currency units) */
} bz_campaign_run;

typedef struct bz_campaign_type {
    const char *name;
    const char *summary;
    const bz_param *params;
    size_t n_params;
    size_t params_size;
    /* BZ_LEVER_ bits of every lever the campaign may use (engine/levers.h). */
    uint32_t levers;
    /* Optional: levers of `levers` used only for some parameter values
     * (festival's boost only when share_boost != 1 and boost_for != 0). */
    const bz_lever_cond *lever_conds;
    size_t n_lever_conds;

    /* Optional: checks that need the experiment (layer exists, ...). */
    int (*check)(const void *params, const struct bz_experiment *x, bz_error *err);
    /* Prepare one replicate and schedule the first actions. */
    int (*start)(struct bz_sim *sim, bz_campaign_run *run, bz_error *err);
    /* A scheduled action (tag as scheduled) at sim->t. */
    void (*act)(struct bz_sim *sim, bz_campaign_run *run, uint32_t tag);
    /* Optional: the market served agent v now (at sim->t); `referred`: v's
     * interest came from a referral contact (pay per referral). */
    void (*purchase)(struct bz_sim *sim, bz_campaign_run *run, uint32_t v, int referred);
    /* Optional: talker v made one word-of-mouth contact now (at sim->t),
     * as the model reports through bz_sim_shared() (social_game: a share). */
    void (*shared)(struct bz_sim *sim, bz_campaign_run *run, uint32_t v);
    /* Optional: free run->state. */
    void (*finish)(bz_campaign_run *run);
} bz_campaign_type;

extern const bz_campaign_type *const bz_campaign_registry[];
const bz_campaign_type *bz_campaign_find(const char *name);

/* The levers campaign t uses with `params` (a params struct of t):
 * t->levers without those whose conditions (t->lever_conds) do not hold. */
uint32_t bz_campaign_levers(const bz_campaign_type *t, const void *params);

/* The parameter values that make t use `lever` with `params`, as
 * "share_boost 3, boost_for 7d" ("" when it uses it whatever they are),
 * into buf. Returns buf. */
char *bz_campaign_lever_why(const bz_campaign_type *t, const void *params, uint32_t lever,
                            char *buf, size_t size);

#endif

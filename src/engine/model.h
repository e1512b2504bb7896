/* Diffusion models: the extension point for models/diffusion/.
 *
 * A model is a const bz_model_type listed in models/diffusion/registry.c.
 * It names its agent states (state 0 is the initial, unaware state), says
 * which states count as adopted, and reacts to events in continuous time
 * (engine/sim.h): its own per-agent events, which it schedules itself
 * (BZ_EV_MODEL, with a version in aux so that an event made stale by an
 * earlier change is recognised and skipped), campaign exposures and seeds,
 * and, for models whose adoption is a purchase, the market's answers.
 * State changes go through bz_sim_move (counts), adoptions through
 * bz_sim_adopted (tallies, per-person adoption times).
 */
#ifndef BZ_MODEL_H
#define BZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"
#include "engine/levers.h"

struct bz_sim;
struct bz_experiment;

#define BZ_MAX_STATES 8

/* How many events ahead the run loop prefetches for (model.prefetch):
 * stage 0, 1 and 2. */
#define BZ_PREFETCH_FAR 32
#define BZ_PREFETCH_MID 16
#define BZ_PREFETCH_NEAR 6

typedef struct bz_model_type {
    const char *name;
    const char *summary;
    const bz_param *params;
    size_t n_params;
    size_t params_size;
    const char *const *states; /* n_states names, state 0 = initial */
    int n_states;
    uint32_t adopted_mask; /* bit s set: state s counts as adopted */
    uint32_t honours;      /* BZ_LEVER_ bits (engine/levers.h) whose effect the model
                            * implements; campaigns that need another are refused */
    int persuades;         /* 1: honours the layers' persuasion, conversion, attention and
                            * feed keys (engine/experiment.h bz_layer_spec) */
    int buys;              /* 1: adoption is a purchase through the market: the model asks
                            * bz_market_request() and adopts in its adopt() callback */

    /* Optional: cross-parameter checks once the experiment is known. */
    int (*check)(const void *params, const struct bz_experiment *x, bz_error *err);
    /* Allocate sim->model_state, set initial states (every agent starts in
     * state 0) and schedule the first events. */
    int (*init)(struct bz_sim *sim, bz_error *err);
    /* A BZ_EV_MODEL event of agent v (aux as scheduled) at sim->t. */
    void (*event)(struct bz_sim *sim, uint32_t v, uint32_t aux);
    /* Optional, a hint only: the model event (v, aux) comes soon; issue
     * prefetches for the memory it will read. Called three times per event
     * of the calendar's sorted run, BZ_PREFETCH_FAR, _MID and _NEAR events
     * ahead, with stage 0, 1, 2: stage 0 may only compute addresses from v
     * and aux, stage 1 may read what stage 0 fetched (a row's offset),
     * stage 2 what stage 1 fetched (a neighbour's id). Must change nothing:
     * results do not depend on it. */
    void (*prefetch)(const struct bz_sim *sim, uint32_t v, uint32_t aux, int stage);
    /* Agent v is exposed now through a campaign `channel` (flags
     * BZ_EXPOSE_ENGAGE). The engine has counted the exposure. */
    void (*expose)(struct bz_sim *sim, uint32_t v, int channel, unsigned flags);
    /* Lever `seed`: make v an active advocate/adopter now (a gift). Returns 1
     * if its state changed (the engine then tallies the adoption). */
    int (*seed)(struct bz_sim *sim, uint32_t v, int channel);
    /* Required if buys. The market served v: adopt now; returns the
     * channel to attribute the adoption to (last touch) and sets *referred
     * when v's interest came from a referral contact. */
    int (*adopt)(struct bz_sim *sim, uint32_t v, int *referred);
    /* Optional (buys): v was refused for want of stock and now waits
     * (waitlisted) for the next units. */
    void (*refused)(struct bz_sim *sim, uint32_t v);
    /* Optional (buys): v, waitlisted, gave up (lost sale). */
    void (*lost)(struct bz_sim *sim, uint32_t v);
    /* Required if it honours BZ_LEVER_BOOST: v's sharing boost changed now: reschedule its talk. */
    void (*boosted)(struct bz_sim *sim, uint32_t v);
    /* Free sim->model_state. Optional. */
    void (*destroy)(struct bz_sim *sim);
} bz_model_type;

extern const bz_model_type *const bz_model_registry[];
const bz_model_type *bz_model_find(const char *name);

#endif

/* Diffusion models: the extension point for models/diffusion/.
 *
 * A model is a const bz_model_type listed in models/diffusion/registry.c.
 * It names its agent states (state 0 is the initial, unaware state), says
 * which states count as adopted, and advances one step with the engine's
 * primitives in core/sim.h. A step has two phases:
 *   1. senders push exposures with bz_spread() into per-agent integer
 *      counters (atomic adds, so order does not matter);
 *   2. every agent decides its own transition from its counters with its own
 *      stream (bz_sim_agent_stream).
 * Only commutative integer accumulation crosses threads, so results do not
 * depend on scheduling.
 */
#ifndef BZ_MODEL_H
#define BZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/params.h"

struct bz_sim;
struct bz_experiment;

#define BZ_MAX_STATES 8

typedef struct bz_model_type {
    const char *name;
    const char *summary;
    const bz_param *params;
    size_t n_params;
    size_t params_size;
    const char *const *states; /* n_states names, state 0 = initial */
    int n_states;
    uint32_t adopted_mask; /* bit s set: state s counts as adopted */
    int maintains_counts;  /* 1: step() keeps sim->counts up to date itself, so the
                            * engine skips its O(n) recount (event-driven models) */
    int shares;            /* 1: word of mouth honours the sharing levers of core/sim.h
                            * (share_mult, per-agent boosts, referral_mult), so
                            * campaigns that need them (referral) may be used */
    int buys;              /* 1: adoption is a purchase through the market: in phase 2
                            * the model calls bz_sim_want() instead of adopting, and
                            * the engine calls adopt() for the buyers it serves */

    /* Optional: cross-parameter checks once the experiment is known. */
    int (*check)(const void *params, const struct bz_experiment *x, bz_error *err);
    /* Set initial states (all agents start in state 0, zeroed counters) and
     * allocate private state into sim->model_state. */
    int (*init)(struct bz_sim *sim, bz_error *err);
    /* Advance one step (both phases). Campaign exposures of this step are
     * already in sim->ext. Must record adoptions with bz_tally_adopt(). */
    void (*step)(struct bz_sim *sim);
    /* Lever `seed`: make agent an active advocate now (serial context).
     * Returns 1 if its state changed. */
    int (*seed)(struct bz_sim *sim, uint32_t agent, int channel);
    /* Required if buys: agent v, a potential adopter that wanted to buy
     * this step, got a unit: make it adopt with attribution `channel` and
     * tally the adoption. Called serially after step(). */
    void (*adopt)(struct bz_sim *sim, uint32_t agent, int channel);
    /* Free sim->model_state. Optional. */
    void (*destroy)(struct bz_sim *sim);
} bz_model_type;

extern const bz_model_type *const bz_model_registry[];
const bz_model_type *bz_model_find(const char *name);

#endif

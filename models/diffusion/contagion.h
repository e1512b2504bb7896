/* Shared pieces of the simple-contagion models (independent_cascade, sir):
 * random initial seeds and the list of active agents that makes a step cost
 * O(active + touched + contacts) instead of O(n). Internal to
 * models/diffusion. */
#ifndef BZ_CONTAGION_H
#define BZ_CONTAGION_H

#include "core/sim.h"

/* Agents in the model's active state (infectious, newly active): the
 * current list (sorted, no holes) and the next one, appended to by all
 * threads (see core/idlist.h). */
typedef struct bz_active {
    uint32_t *list;
    uint64_t n;
    bz_idlist next;
    bz_idcursor *cursor; /* [sim->n_threads] */
    int n_cursors;
} bz_active;

/* In both models state 0 is susceptible (inactive) and state 1 active
 * (infectious): the shared lifecycle below relies on it. */
enum { BZ_CONTAGION_SUSCEPTIBLE = 0, BZ_CONTAGION_ACTIVE = 1 };

/* model->init: seed `seeds` random agents and build the active list into
 * sim->model_state. */
int bz_contagion_init(bz_sim *sim, uint32_t seeds, bz_error *err);
/* model->destroy. */
void bz_contagion_destroy(bz_sim *sim);
/* model->seed: a susceptible agent becomes active now (counts kept). */
int bz_contagion_seed(bz_sim *sim, uint32_t agent, int channel);

/* Phase 2 for a touched agent v: if it is susceptible and a contact reached
 * it, or one of its campaign exposures converts it (each with probability
 * 1 - exp(log_keep)), it becomes active, joins the next list and its
 * adoption is attributed. Returns 1 if it became active. */
int bz_contagion_take_up(bz_sim *sim, bz_tally *t, uint32_t v, double log_keep);

/* Put `count` distinct random agents (stream BZ_RNG_INIT of the replicate)
 * into state `active`, attributing them to the seed channel. */
int bz_contagion_seed_random(bz_sim *sim, uint32_t count, uint8_t active, bz_error *err);

/* Allocate the lists for sim->n agents and fill `list` with every agent in
 * state `active` (O(n), once). */
int bz_active_init(bz_active *a, const bz_sim *sim, uint8_t active, bz_error *err);
void bz_active_destroy(bz_active *a);

/* Append v to the next list from the thread that owns tally t. */
static inline void bz_active_push_next(bz_active *a, const bz_sim *sim, const bz_tally *t,
                                       uint32_t v)
{
    bz_idlist_append(&a->next, &a->cursor[bz_sim_tid(sim, t)], v);
}

/* Make the next list current, sorted by agent id (and empty the next one).
 * Sorting makes the next step walk the CSR offsets and targets in memory
 * order, which is what keeps a step cache-friendly on large networks; it
 * costs O(k) (LSD radix sort, the old list as scratch). */
void bz_active_swap(bz_active *a);

#endif

/* The simulation state of one (arm, replicate) and the engine primitives
 * that diffusion models and campaigns use.
 *
 * Threading: a sim is advanced by one thread team. Models parallelise their
 * agent loops with OpenMP; per-thread tallies (exposures, adoptions by
 * channel) are summed after each step. Nothing random depends on the thread:
 * every draw is keyed by (seed, replicate, step, agent, purpose).
 */
#ifndef BZ_SIM_H
#define BZ_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "config/experiment.h"
#include "core/campaign.h"
#include "core/channels.h"
#include "core/model.h"
#include "core/population.h"
#include "graph/graph.h"
#include "rng/rng.h"

#define BZ_MAX_THREADS 256

/* Per-thread counts of one step; cache-line padded. */
typedef struct bz_tally {
    int64_t expo[BZ_CH_MAX];
    int64_t adopt[BZ_CH_MAX];
    int64_t sold;
    char pad[64 - sizeof(int64_t)];
} bz_tally;

typedef struct bz_sim {
    /* read-only context */
    const bz_experiment *x;
    const bz_network *net;
    const bz_population *pop;
    const bz_model_type *model;
    const void *mp;          /* model params */
    uint32_t n;              /* agents */
    uint64_t seed;
    uint32_t replicate;
    uint32_t step;           /* current step, 0-based */
    double dt;               /* step length, days */
    double t0;               /* start of the current step, days */

    /* agent arrays (n entries each) */
    uint8_t *state;
    uint32_t *ext;           /* campaign exposures this step (cleared each step) */
    uint32_t *wom;           /* word-of-mouth contacts this step (cleared each step) */
    uint32_t *chmask;        /* channels that reached the agent this step */
    void *model_state;       /* model-private, allocated in model->init */

    /* campaigns of the arm */
    size_t n_campaigns;
    bz_campaign_run *campaigns;

    /* tallies */
    int n_threads;
    bz_tally *tally;         /* [n_threads] */
    int64_t counts[BZ_MAX_STATES]; /* state counts after the last step */
    int64_t step_expo[BZ_CH_MAX];
    int64_t step_adopt[BZ_CH_MAX];
    int64_t sold_total;      /* cumulative units sold */
    int64_t stock;           /* units left, -1 unlimited */
} bz_sim;

/* Stream for an agent's own decision at the current step. */
static inline void bz_sim_agent_stream(const bz_sim *sim, bz_stream *s, uint32_t agent,
                                       uint32_t purpose)
{
    bz_stream_init(s, sim->seed, sim->replicate, sim->step, agent, purpose);
}

/* Stream for campaign `run` acting on `agent` (or any index) at this step. */
static inline void bz_sim_campaign_stream(const bz_sim *sim, const bz_campaign_run *run,
                                          bz_stream *s, uint32_t agent)
{
    bz_stream_init(s, sim->seed, sim->replicate, sim->step, agent, BZ_RNG_CAMPAIGN + run->index);
}

/* This thread's tally (inside or outside a parallel region). */
bz_tally *bz_sim_tally(bz_sim *sim);

static inline void bz_tally_adopt(bz_tally *t, int channel)
{
    t->adopt[channel]++;
}

/* Lever `expose`: one exposure of agent from a channel (campaign). Thread-safe. */
static inline void bz_sim_expose(bz_sim *sim, bz_tally *t, uint32_t agent, int channel)
{
#pragma omp atomic
    sim->ext[agent]++;
#pragma omp atomic
    sim->chmask[agent] |= (uint32_t)1 << channel;
    t->expo[channel]++;
}

/* Lever `seed`: make the agent an active advocate via the model. Serial. */
int bz_sim_seed(bz_sim *sim, uint32_t agent, int channel);

/* Spread from sender u on layer `li`: each out-neighbour is contacted
 * independently with probability p, sampled by geometric skipping so the cost
 * is O(1 + contacts), not O(degree). Each contact increments counter[v]
 * atomically and sets the layer's channel bit in chmask[v]; contacts are
 * counted as exposures of that channel in t. The stream is the sender's own
 * (step, u, BZ_RNG_SPREAD + li). Returns the number of contacts. */
uint64_t bz_spread(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, uint32_t *counter);

/* Like bz_spread but calls nothing atomic: visits each contacted neighbour
 * through fn(v, ctx). For models that need the target ids (e.g. frontier
 * building). fn must itself be thread-safe. */
uint64_t bz_spread_visit(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p,
                         void (*fn)(uint32_t v, void *ctx), void *ctx);

/* Reach from u on layer `li` for a campaign (a KOL post, a partner's
 * audience): each out-neighbour is exposed with probability p through the
 * `expose` lever (sim->ext, channel bit), with the caller's stream s.
 * Geometric skipping, O(1 + exposures). Returns exposures made. */
uint64_t bz_sim_reach(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, int channel,
                      bz_stream *s);

/* Pick the tipping channel of an agent that adopted this step from its
 * channel mask, uniformly among the set bits, using stream s; `fallback` if
 * the mask is empty. */
int bz_sim_pick_channel(uint32_t mask, bz_stream *s, int fallback);

/* Choose k distinct agents uniformly at random (Floyd's algorithm) from
 * stream s into out[k], in the order drawn. k <= n. BZ_ENOMEM if the
 * n-bit scratch set cannot be allocated. O(k + n/8) memory, O(k) draws. */
int bz_sim_random_agents(uint32_t n, uint32_t k, bz_stream *s, uint32_t *out, bz_error *err);

/* Count agents per state into sim->counts (parallel reduction). */
void bz_sim_count_states(bz_sim *sim);

#endif

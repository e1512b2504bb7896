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
#include "core/idlist.h"
#include "core/market.h"
#include "core/model.h"
#include "core/population.h"
#include "graph/graph.h"
#include "rng/rng.h"

#define BZ_MAX_THREADS 256

/* What reached one agent in the current step. The counters share one
 * 16-byte cell so a contact costs one cache miss, not several. */
typedef struct bz_inbox {
    uint32_t wom;  /* word-of-mouth contacts (bz_spread) */
    uint32_t ext;  /* campaign exposures (bz_sim_expose, bz_sim_reach, bz_sim_engage) */
    uint32_t mask; /* channels that reached the agent (bit = channel) | BZ_MASK_TOUCHED */
    uint16_t eng;  /* engaging exposures (bz_sim_engage: festival attendance), saturating */
    uint16_t neg;  /* negative word-of-mouth contacts (BZ_DELIVER_NEG), saturating */
} bz_inbox;

/* Which inbox counter a spread delivers into. */
typedef enum bz_deliver {
    BZ_DELIVER_WOM, /* inbox.wom + channel bit: ordinary word of mouth */
    BZ_DELIVER_NEG  /* inbox.neg, no channel bit: negative word of mouth */
} bz_deliver;

/* bz_spread's `receptive` value meaning every agent takes contacts. */
#define BZ_RECEPTIVE_ALL (-1)

/* Per-thread counts of one step, and the thread's cursor into the touched
 * list; cache-line padded. */
typedef struct bz_tally {
    int64_t expo[BZ_CH_MAX];
    int64_t adopt[BZ_CH_MAX];
    int64_t sold;
    char pad[56];
    bz_idcursor touch;
    bz_idcursor want; /* cursor into sim->market.requests */
} bz_tally;

typedef struct bz_sim {
    /* read-only context */
    const bz_experiment *x;
    const bz_network *net;
    const bz_population *pop;
    const bz_model_type *model;
    const void *mp; /* model params */
    uint32_t n;     /* agents */
    uint64_t seed;
    uint32_t replicate;
    uint32_t step; /* current step, 0-based */
    double dt;     /* step length, days */
    double t0;     /* start of the current step, days */

    /* agent arrays (n entries each) */
    uint8_t *state;
    bz_inbox *inbox;   /* what reached each agent this step (cleared each step) */
    bz_idlist touched; /* agents with a nonzero inbox mask this step, in no fixed
                        * order, with holes (BZ_IDLIST_HOLE) to skip; the engine
                        * clears only these between steps, so a step costs
                        * O(agents touched), not O(n) */
    void *model_state; /* model-private, allocated in model->init */

    /* campaigns of the arm */
    size_t n_campaigns;
    bz_campaign_run *campaigns;

    /* tallies */
    int n_threads;
    bz_tally *tally;               /* [n_threads] */
    int64_t counts[BZ_MAX_STATES]; /* state counts after the last step */
    int64_t step_expo[BZ_CH_MAX];
    int64_t step_adopt[BZ_CH_MAX];
    int64_t sold_total; /* cumulative units delivered (purchases + gifted seeds) */
    int64_t purchases;  /* cumulative units bought through the market */
    double revenue;     /* cumulative revenue of purchases (currency) */

    /* Sharing levers: campaigns set them in act(), models that share read
     * them through bz_sim_share_factor(). */
    double share_mult;    /* multiplies every layer's sharing rate in this step; the
                           * engine resets it to 1 before campaigns act (urgency) */
    double referral_mult; /* > 0 while a referral programme runs: advocates' sharing
                           * is multiplied by it and their contacts count as channel
                           * referral; reset to 0 before campaigns act */
    float *boost;         /* [n] per-agent sharing multiplier, NULL until a campaign
                           * calls bz_sim_boost_enable() (festival attendees) */
    float *boost_until;   /* [n] day until which boost[v] applies */
    int64_t stock;        /* units left, -1 unlimited */
    bz_market market;     /* availability, windows, purchase requests (core/market.h) */
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

/* Set channel bit `bit` of agent v and, on its first touch this step, add
 * it to the touched list. Thread-safe. The list's order depends on thread
 * timing; models must use it only in order-independent ways (each agent
 * decides with its own stream; tallies are sums). */
static inline void bz_sim_touch(bz_sim *sim, bz_tally *t, uint32_t v, uint32_t bit)
{
    uint32_t old;
#pragma omp atomic capture
    {
        old = sim->inbox[v].mask;
        sim->inbox[v].mask |= bit | BZ_MASK_TOUCHED;
    }
    if (old == 0) bz_idlist_append(&sim->touched, &t->touch, v);
}

/* Index of tally t in sim->tally: the calling thread's slot for per-thread
 * structures of models (valid in nested and replicate-parallel runs, where
 * omp_get_thread_num() is not). */
static inline int bz_sim_tid(const bz_sim *sim, const bz_tally *t)
{
    return (int)(t - sim->tally);
}

/* Lever `expose`: one exposure of agent from a channel (campaign). Thread-safe. */
static inline void bz_sim_expose(bz_sim *sim, bz_tally *t, uint32_t agent, int channel)
{
#pragma omp atomic
    sim->inbox[agent].ext++;
    bz_sim_touch(sim, t, agent, (uint32_t)1 << channel);
    t->expo[channel]++;
}

/* Lever `engage`: an engaging, face-to-face exposure (festival
 * attendance): counts as a campaign exposure (ext) for every model, and in
 * inbox.eng for models that treat it as stronger (buzz_funnel makes the agent
 * interested). Thread-safe. */
static inline void bz_sim_engage(bz_sim *sim, bz_tally *t, uint32_t agent, int channel)
{
    uint16_t *e = &sim->inbox[agent].eng, o = __atomic_load_n(e, __ATOMIC_RELAXED);
    while (o != UINT16_MAX && !__atomic_compare_exchange_n(e, &o, (uint16_t)(o + 1), 1,
                                                           __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    bz_sim_expose(sim, t, agent, channel);
}

/* Allocate the per-agent boost arrays (idempotent). BZ_ENOMEM on failure.
 * O(8 n) bytes. Call from a campaign's start(). */
int bz_sim_boost_enable(bz_sim *sim, bz_error *err);

/* Multiply agent v's sharing by `mult` until day `until` (the larger of an
 * active boost and this one wins). Needs bz_sim_boost_enable(). Not
 * thread-safe for the same agent. */
void bz_sim_boost(bz_sim *sim, uint32_t v, double mult, double until);

/* Sharing multiplier of agent v in this step: the step's share_mult times
 * v's active boost. Models that share multiply each layer's rate by it. */
static inline double bz_sim_share_factor(const bz_sim *sim, uint32_t v)
{
    double f = sim->share_mult;
    if (sim->boost && sim->boost_until[v] > sim->t0) f *= sim->boost[v];
    return f;
}

/* Phase 2 of a model that buys (bz_model_type.buys): potential adopter v
 * decides to adopt, tipped by `channel`; the engine serves it after the
 * model's step if the market is open and stock is left (core/market.h).
 * Call at most once per agent per step. Thread-safe. */
static inline void bz_sim_want(bz_sim *sim, bz_tally *t, uint32_t v, int channel)
{
    sim->market.want_channel[v] = (uint8_t)channel;
    bz_idlist_append(&sim->market.requests, &t->want, v);
}

/* Lever `seed`: make the agent an active advocate via the model. Serial. */
int bz_sim_seed(bz_sim *sim, uint32_t agent, int channel);

/* Spread from sender u on layer `li`: each out-neighbour is contacted
 * independently with probability p, sampled by geometric skipping so the cost
 * is O(1 + contacts), not O(degree). A contact counts as an exposure of the
 * layer's channel in t; it is delivered (inbox wom + 1, channel bit, touched
 * list) only to agents whose state equals `receptive`, or to all with
 * BZ_RECEPTIVE_ALL. Filtering saves the random-access writes for contacts
 * that cannot change anything (e.g. to recovered agents); the state array must
 * not be written during the spreading phase. The stream is the sender's own
 * (step, u, BZ_RNG_SPREAD + li). Returns the number of contacts. */
uint64_t bz_spread(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, int receptive);

/* bz_spread for k senders at once (same draws, same results), faster on
 * large networks: contacts are buffered and delivered in batches whose cache
 * misses overlap, and CSR rows are prefetched ahead (senders sorted by id
 * help). Use it for frontier loops: one call per chunk of the frontier. */
uint64_t bz_spread_batch(bz_sim *sim, bz_tally *t, size_t li, const uint32_t *senders, uint64_t k,
                         double p, int receptive);

/* The general form of bz_spread_batch: sender i contacts each neighbour
 * with probability probs[i] (probs NULL: p for all), delivering into
 * `into`; WOM contacts count as exposures of `channel` (a layer's channel,
 * or BZ_CH_REFERRAL for a referral programme's advocates) and set its bit;
 * NEG contacts set no channel bit and count no exposure. The stream of
 * sender u is (step, u, BZ_RNG_SPREAD + li) for WOM and
 * (step, u, BZ_RNG_SPREAD + BZ_MAX_LAYERS + li) for NEG. */
uint64_t bz_spread_batch_ex(bz_sim *sim, bz_tally *t, size_t li, const uint32_t *senders,
                            const double *probs, uint64_t k, double p, int receptive, int channel,
                            bz_deliver into);

/* Reach from u on layer `li` for a campaign (a KOL post, a partner's
 * audience): each out-neighbour is exposed with probability p through the
 * `expose` lever (inbox ext, channel bit), with the caller's stream s.
 * Geometric skipping, O(1 + exposures). Returns exposures made. */
uint64_t bz_sim_reach(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, int channel,
                      bz_stream *s);

/* Pick the tipping channel of an agent that adopted this step from its
 * channel mask, uniformly among the set channel bits (BZ_MASK_TOUCHED is
 * ignored), using stream s; `fallback` if there is none. */
int bz_sim_pick_channel(uint32_t mask, bz_stream *s, int fallback);

/* Choose k distinct agents uniformly at random (Floyd's algorithm) from
 * stream s into out[k], in the order drawn. k <= n. BZ_ENOMEM if the
 * n-bit scratch set cannot be allocated. O(k + n/8) memory, O(k) draws. */
int bz_sim_random_agents(uint32_t n, uint32_t k, bz_stream *s, uint32_t *out, bz_error *err);

/* Count agents per state into sim->counts (parallel reduction). */
void bz_sim_count_states(bz_sim *sim);

#endif

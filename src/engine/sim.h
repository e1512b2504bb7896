/* The simulation of one (arm, replicate) in continuous time, and the engine
 * primitives that diffusion models, campaigns and the market use.
 *
 * Time. Everything happens at exact times (days, double) taken in order from
 * one event calendar (engine/evq.h): an agent's own transition (forgetting,
 * becoming interested, deciding to buy, recovering), a talker's next
 * word-of-mouth contact, a campaign action, a campaign exposure, a sale
 * window opening or closing, a waiting buyer's arrival. Only what is due is
 * touched, so a run costs O(events log events), whatever the output step.
 * `time.step` only sets when the series are sampled: sample k is the state
 * after every event before min(k step, horizon). No event depends on the
 * step, so every outcome that is not a series (final adopters, purchases,
 * revenue, sell-out seconds, ...) is bit-identical for any step.
 *
 * Order. Events are processed by (time, kind, aux, agent): ties at exactly
 * the same instant (a window opening at 7d and a campaign acting at 7d) are
 * resolved by the event, never by the order of scheduling. Kinds in
 * processing order at a tie: market, campaign, exposure, arrival, model.
 *
 * Randomness. Every draw comes from a counter-based stream keyed by (seed,
 * replicate, agent, index, purpose), where index counts the agent's own
 * draws of that purpose (its k-th decision, its k-th contact) and never the
 * step. Arms of one replicate use the same streams (common random numbers):
 * an agent whose history is the same in two arms draws the same numbers.
 * A simulation runs on one thread; replicates and arms run in parallel
 * (engine/run.c), so results do not depend on the thread count.
 */
#ifndef BZ_SIM_H
#define BZ_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/experiment.h"
#include "engine/campaign.h"
#include "base/channels.h"
#include "engine/evq.h"
#include "engine/market.h"
#include "engine/model.h"
#include "base/population.h"
#include "graph/graph.h"
#include "rng/rng.h"

/* Event kinds (the top byte of an event key), in processing order at ties. */
enum bz_event_kind {
    BZ_EV_MARKET = 0,   /* agent = window or buyer, aux = bz_market_action */
    BZ_EV_CAMPAIGN = 1, /* agent = campaign index in the arm, aux = the campaign's tag */
    BZ_EV_EXPOSE = 2,   /* agent = exposed agent, aux = channel | flags << 5 */
    BZ_EV_ARRIVE = 3,   /* agent = waiting buyer, aux = window index */
    BZ_EV_MODEL = 4     /* agent = agent, aux = model-defined (slot and version) */
};

/* Flags of an exposure (bz_sim_expose). */
enum { BZ_EXPOSE_ENGAGE = 1 }; /* face to face (festival): buzz_funnel makes the agent interested */

/* The sharing schedule: piecewise-constant multipliers of every talker's
 * word-of-mouth rate, known before the run (campaigns register intervals in
 * start()). On [seg[i].t, seg[i + 1].t):
 *   all       multiplies every layer's sharing (flash-sale urgency during
 *             announcements; 1 outside);
 *   referral  > 0 while a referral programme runs: advocates talk that many
 *             times more and their contacts are channel referral. */
typedef struct bz_share_seg {
    double t, all, referral;
} bz_share_seg;

typedef struct bz_share_iv {
    double a, b, factor;
    uint32_t group; /* intervals of one group do not compound (the larger wins) */
    int referral;
} bz_share_iv;

typedef struct bz_share_sched {
    size_t n_seg;
    bz_share_seg *seg; /* seg[0].t = -inf */
    size_t n_iv, cap_iv;
    bz_share_iv *iv; /* registrations, until bz_sim_share_build() */
} bz_share_sched;

/* Relationship programmes (set by a campaign in start(); read by models
 * that honour them, buzz_funnel; at most one of each kind per arm).
 *
 * Brand community (depth): while it runs ([from, until)), an agent that
 * becomes interested joins with probability `join`; a member's buying
 * hazard is multiplied by `buy_lift` (detailed information answers its
 * questions) and, once it has bought, it advocates with probability at
 * least `advocate`. Each member costs `per_member` (moderation, events).
 *
 * Customer service (relationship): while it runs, a buyer who is
 * dissatisfied is reached before it talks with probability `resolve`; a
 * resolved case becomes a silent adopter, or an advocate with probability
 * `recover` (service recovery). Each dissatisfied buyer handled costs
 * `per_case`. */
typedef struct bz_community {
    bz_campaign_run *run; /* NULL: no community */
    double from, until, join, buy_lift, advocate, per_member;
    int64_t members;
} bz_community;

typedef struct bz_service {
    bz_campaign_run *run; /* NULL: no customer service */
    double from, until, resolve, recover, per_case;
    int64_t cases, resolved;
} bz_service;

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
    double horizon; /* days: nothing happens at or after it */

    double t;          /* time of the event being processed (days) */
    bz_evq q;          /* pending events */
    int status;        /* BZ_OK, or the first failure inside an event (sticky) */
    bz_error fail;     /* its message */
    uint8_t *state;    /* [n] model state of each agent */
    void *model_state; /* model-private, allocated in model->init */

    /* campaigns of the arm */
    size_t n_campaigns;
    bz_campaign_run *campaigns;

    /* counts */
    int64_t counts[BZ_MAX_STATES]; /* agents per state, kept by bz_sim_move */
    int64_t expo[BZ_CH_MAX];       /* exposures since the last sample, by channel */
    int64_t adopt[BZ_CH_MAX];      /* adoptions since the last sample, by channel */
    int64_t adoptions;             /* adoptions that are not gifts */
    uint64_t events;               /* events taken from the calendar so far */
    int64_t gifted;                /* agents made adopters by the seed lever (gifts, seeds) */
    int64_t purchases;             /* units bought through the market */
    double revenue;                /* prices paid (currency) */
    float *t_adopt;                /* [n] time of adoption, NaN if not adopted */

    /* sharing levers */
    bz_share_sched share;
    float *boost;       /* [n] per-agent sharing multiplier, NULL until bz_sim_boost_enable */
    float *boost_until; /* [n] day until which boost[v] applies */
    int share_hooks;    /* campaigns of the arm with a shared() callback (bz_sim_share_build) */

    bz_market market; /* availability, price, stock, windows, waiting buyers (engine/market.h) */

    /* Per campaign channel: the chance that one exposure makes an aware
     * agent interested (bz_sim_set_persuasion; 0: exposures only inform). */
    float persuade[BZ_CH_MAX];

    bz_community community; /* relationship programmes, zero when none */
    bz_service service;

    struct bz_memo *memo; /* values shared by every simulation on this world (engine/memo.h);
                           * NULL: none (compute them each time) */
} bz_sim;

/* ---- failure inside events -------------------------------------------------
 * Event handlers return nothing: a handler that cannot continue (out of
 * memory growing the calendar) records the failure here; the run loop stops
 * at the next event and returns it. */
/* bytes: what the failed allocation asked for. */
void bz_sim_failed(bz_sim *sim, int code, size_t bytes, const char *what);

/* ---- scheduling --------------------------------------------------------- */

/* Schedule an event at time t >= sim->t (times at or after the horizon are
 * dropped: they never happen). */
static inline void bz_sim_schedule(bz_sim *sim, double t, unsigned kind, uint32_t aux,
                                   uint32_t agent)
{
    if (!(t < sim->horizon)) return;
    if (bz_evq_push(&sim->q, t < sim->t ? sim->t : t, bz_event_key(kind, aux, agent)) != BZ_OK)
        bz_sim_failed(sim, BZ_ENOMEM, sim->q.want, "the event calendar");
}

/* A campaign action for run at time t (run->type->act(sim, run, tag)). */
static inline void bz_sim_schedule_campaign(bz_sim *sim, const bz_campaign_run *run, double t,
                                            uint32_t tag)
{
    bz_sim_schedule(sim, t, BZ_EV_CAMPAIGN, tag, run->slot);
}

/* ---- streams ------------------------------------------------------------ */

/* Stream number `index` of `agent` for `purpose` (the k-th decision, the
 * k-th contact, ...). Never keyed by time. */
static inline void bz_sim_stream(const bz_sim *sim, bz_stream *s, uint32_t agent, uint32_t index,
                                 uint32_t purpose)
{
    bz_stream_init(s, sim->seed, sim->replicate, index, agent, purpose);
}

/* Stream of campaign `run` for `index` (a chunk of exposures, a post, a
 * KOL) and `sub` (an agent, a block): the same in every arm that has the
 * campaign at the same position. */
static inline void bz_sim_campaign_stream(const bz_sim *sim, const bz_campaign_run *run,
                                          bz_stream *s, uint32_t index, uint32_t sub)
{
    bz_stream_init(s, sim->seed, sim->replicate, index, sub, BZ_RNG_CAMPAIGN + run->index);
}

/* ---- states and tallies ------------------------------------------------- */

/* Move agent v to state `to`, keeping the counts. */
static inline void bz_sim_move(bz_sim *sim, uint32_t v, uint8_t to)
{
    sim->counts[sim->state[v]]--;
    sim->counts[to]++;
    sim->state[v] = to;
}

/* Agent v adopted now, tipped by `channel` (last touch, descriptive):
 * tallies, adoption time, and one more adoption that is not a gift
 * (bz_sim_seed takes gifts back out of `adoptions`), in total and in
 * v's city (the market's per-city tallies). */
static inline void bz_sim_adopted(bz_sim *sim, uint32_t v, int channel)
{
    sim->adopt[channel]++;
    sim->adoptions++;
    sim->market.city[sim->pop->city[v]].adoptions++; /* per-city results */
    sim->t_adopt[v] = (float)sim->t;
}

/* One word-of-mouth contact or campaign exposure of `channel` delivered. */
static inline void bz_sim_count_exposure(bz_sim *sim, int channel)
{
    sim->expo[channel]++;
}

/* ---- levers ---------------------------------------------------------------- */

/* Lever `expose`: agent v is exposed now through `channel` (flags:
 * BZ_EXPOSE_ENGAGE); counted, then the model decides what it does. */
void bz_sim_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags);

/* The same at a later time t (an event). */
static inline void bz_sim_expose_at(bz_sim *sim, uint32_t v, double t, int channel, unsigned flags)
{
    bz_sim_schedule(sim, t, BZ_EV_EXPOSE, (uint32_t)channel | flags << 5, v);
}

/* Lever `seed`: agent v becomes an active advocate/adopter now, as a gift
 * (not a purchase): counted in `gifted` and in the adoptions of `channel`.
 * Returns 1 if its state changed. */
int bz_sim_seed(bz_sim *sim, uint32_t v, int channel);

/* Reach from u on layer li (a KOL post, a partner's audience): each
 * out-neighbour is exposed now with probability p (geometric skipping with
 * stream s, O(1 + exposures)). Returns the exposures made. */
uint64_t bz_sim_reach(bz_sim *sim, size_t li, uint32_t u, double p, int channel, bz_stream *s);

/* Register a sharing interval [a, b) (campaign start(), before the run):
 * every talker's sharing times `factor` (referral = 0), or, with referral =
 * 1, advocates talk `factor` times more as channel referral. Intervals of
 * one group (a campaign) do not compound. BZ_ENOMEM. */
int bz_sim_share_interval(bz_sim *sim, double a, double b, double factor, uint32_t group,
                          int referral, bz_error *err);

/* Build the schedule from the registered intervals (the engine, after every
 * campaign started). O(intervals^2) once. BZ_ENOMEM. */
int bz_sim_share_build(bz_sim *sim, bz_error *err);

/* The segment in force at time t. O(log segments). */
const bz_share_seg *bz_sim_share_at(const bz_sim *sim, double t);

/* Allocate the per-agent boost arrays (idempotent). BZ_ENOMEM. 8 n bytes. */
int bz_sim_boost_enable(bz_sim *sim, bz_error *err);

/* Multiply agent v's sharing by `mult` until day `until` (the larger of an
 * active boost and this one wins) and tell the model (its next contact
 * changes). Needs bz_sim_boost_enable(). */
void bz_sim_boost(bz_sim *sim, uint32_t v, double mult, double until);

/* A talker's word-of-mouth rate over time: base * m(s) * boost(s) * decay(s)
 * with m(s) = seg.all, times seg.referral while it is > 0 for advocates
 * (`advocate`), boost(s) = boost[u] before boost_until[u] (else 1), and
 * decay(s) = exp(-(s - since) / novelty) (1 when novelty = 0). */
typedef struct bz_talk {
    double base;    /* per day, > 0 */
    double since;   /* start of the novelty decay (days) */
    double novelty; /* decay time scale (days), 0 = none */
    int advocate;   /* the referral multiplier applies */
    uint32_t agent; /* for its boost */
} bz_talk;

/* The first time after t at which the talker's integrated rate reaches e
 * (an Exp(1) draw), walking the pieces of the sharing schedule and the
 * boost exactly; +inf if not before the horizon. O(pieces crossed +
 * log segments). */
double bz_talk_next(const bz_sim *sim, const bz_talk *tk, double t, double e);

/* ---- the share hook ------------------------------------------------------------ */

void bz_sim_shared_notify(bz_sim *sim, uint32_t v);

/* Talker v makes one word-of-mouth contact now (sim->t). Models that share
 * (bz_model_type.shares) call it once per contact they deliver, positive or
 * negative; every campaign of the arm with a shared() callback is told
 * (social_game pays a reward per share). One branch when none listens. */
static inline void bz_sim_shared(bz_sim *sim, uint32_t v)
{
    if (sim->share_hooks) bz_sim_shared_notify(sim, v);
}

/* ---- helpers ---------------------------------------------------------------- */

/* Choose k distinct agents uniformly at random (Floyd's algorithm) from
 * stream s into out[k], in the order drawn. k <= n. BZ_ENOMEM if the
 * n-bit scratch set cannot be allocated. O(k + n/8) memory, O(k) draws. */
int bz_sim_random_agents(uint32_t n, uint32_t k, bz_stream *s, uint32_t *out, bz_error *err);

/* Out-neighbour j (0 <= j < degree) of u on layer l; on a complete layer
 * the neighbours are every agent but u, in index order. */
static inline uint32_t bz_sim_neighbour(const bz_layer *l, uint32_t u, uint64_t j)
{
    if (l->complete) return (uint32_t)(j < u ? j : j + 1);
    return l->targets[l->offsets[u] + j];
}

/* Lever `persuade`: exposures on `channel` make an aware agent interested
 * with probability p (campaigns call it in start(); two campaigns on one
 * channel: the larger wins, and the docs say so). */
static inline void bz_sim_set_persuasion(bz_sim *sim, int channel, double p)
{
    if ((float)p > sim->persuade[channel]) sim->persuade[channel] = (float)p;
}

/* The community runs now (models: decide whether a newly interested agent
 * joins). */
static inline int bz_sim_community_open(const bz_sim *sim)
{
    return sim->community.run && sim->t >= sim->community.from && sim->t < sim->community.until;
}

/* v joined the community now: counted and charged. */
static inline void bz_sim_community_joined(bz_sim *sim)
{
    sim->community.members++;
    sim->community.run->cost += sim->community.per_member;
}

/* Customer service runs now. */
static inline int bz_sim_service_open(const bz_sim *sim)
{
    return sim->service.run && sim->t >= sim->service.from && sim->t < sim->service.until;
}

/* A dissatisfied buyer was handled now (resolved or not): counted and
 * charged. */
static inline void bz_sim_service_case(bz_sim *sim, int resolved)
{
    sim->service.cases++;
    sim->service.resolved += resolved != 0;
    sim->service.run->cost += sim->service.per_case;
}

#endif

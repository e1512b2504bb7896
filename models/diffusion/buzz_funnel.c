/* buzz_funnel: the marketing funnel of a product launch in continuous time,
 * driven by word of mouth on every layer at the layer's own sharing rate,
 * by campaigns and by the market (purchases, stock, prices).
 *
 * States (in this order; state 0 is initial):
 *   unaware     has not heard of the product (or forgot it)
 *   aware       knows it, not yet interested
 *   interested  wants to learn more and may buy; talks a little
 *   adopter     bought it (or was given one); talks only if dissatisfied
 *   advocate    bought it (or was given one) and recommends it
 *   lost        wanted one, found it sold out and gave up (bought elsewhere):
 *               never buys, does not talk (Ho, Savin & Terwiesch 2002)
 * adopted = adopter | advocate. Adoption is a purchase through the market
 * (buys = 1, engine/market.h).
 *
 * Every rate is per day and every transition happens at its exact time
 * (engine/sim.h); nothing depends on time.step.
 *
 *   unaware ->     aware at a word-of-mouth contact (a contact is already a
 *                  successful transmission at the layer's sharing rate), or
 *                  at a campaign exposure with probability `awareness`;
 *                  interested at once at an engaging exposure (festival).
 *                  Negative word of mouth alone makes nobody aware.
 *   aware ->       unaware at its forgetting time (Exp(forget) from
 *                  entering aware); interested at its own interest time
 *                  (hazard interest x susceptibility), at an engaging
 *                  exposure, or at a word-of-mouth contact on layer l with
 *                  probability persuasion_l (the layer's key) once it has
 *                  heard `recommenders` contacts since it became aware
 *                  (complex contagion above 1);
 *                  unaware, with probability neg_impact, at a negative
 *                  contact (put off).
 *   interested ->  at its buying time (hazard `buy`) it wants to buy and
 *                  asks the market: served (adopts), or it waits for the
 *                  next sale (closed), for a price it would pay (its
 *                  willingness to pay is below the price), or, refused for
 *                  want of stock, it is waitlisted: it does not forget,
 *                  ignores negative word of mouth, talks at waitlist_talk
 *                  and gives up at the market's `patience` rate (-> lost).
 *                  A positive contact on layer l makes it want to buy at
 *                  once with probability conversion_l (an owner's push).
 *                  Not waitlisted, it becomes unaware at its forgetting
 *                  time (the same clock as when aware: the exponential is
 *                  memoryless) and aware, with probability neg_impact, at
 *                  a negative contact.
 *   served ->      dissatisfied adopter with probability `dissatisfied`
 *                  (talks negatively), else advocate with probability
 *                  `advocate`, else silent adopter.
 * Relationship programmes (engine/sim.h): while a brand community runs, an
 * agent becoming interested joins with its probability (one uniform of
 * that decision) and then buys at buy x buy_lift and, once bought,
 * advocates with probability max(advocate, the community's); while
 * customer service runs, a dissatisfied buyer is resolved with its
 * probability (silent, or an advocate with `recover`).
 * Fans: each agent of fan_cities is a fan with probability `fans` and
 * starts interested (stream (u, 1, BZ_RNG_MODEL + 2)).
 * Campaign persuasion: an exposure on a channel with persuasion q > 0
 * (lever persuade) makes an aware agent interested with probability q.
 * Start: each agent of aware_cities is aware with probability `aware` (brand awareness
 * before the launch), from stream (u, 0, BZ_RNG_MODEL + 2).
 * Attention: on a layer with `attention` K > 0 a contact to u is read with
 * probability K / (K + f_u feed) (attention_init), else lost unseen.
 * Last touch: every contact or exposure with a channel is remembered; a
 * purchase is attributed to the last one (external if none): descriptive
 * only (docs/campaigns.md). An agent whose interest came from a referral
 * contact (an advocate's recommendation while a referral programme runs)
 * is "referred": its purchase earns the programme's reward.
 *
 * Talk. Interested agents talk at interested_talk (waitlisted ones at
 * waitlist_talk), advocates at 1 (times the referral multiplier while a
 * programme runs: their contacts are then channel referral), dissatisfied
 * adopters at 1 (negative contacts). Talker u contacts each out-neighbour on
 * layer l as a Poisson process of rate
 *     share_l x talk x activity_u x urgency(t) x boost_u(t) x exp(-(t - t_u) / novelty)
 * with t_u the time u became interested or adopted (novelty 0: no decay).
 * Equivalently u makes contacts at the total rate (share summed over its
 * ties), each to a tie drawn in proportion to its layer's share: its next
 * contact time is found by inverting the integrated rate exactly, across
 * the pieces of the sharing schedule (bz_talk_next), with one Exp(1) draw
 * per contact. Streams: contact k of u is (u, k, BZ_RNG_MODEL + 1); every
 * other draw of u is (u, its decision count, BZ_RNG_DECIDE).
 *
 * Cost. O(1) per event (one per contact, transition, exposure, arrival);
 * an agent that talks or has a pending transition is one entry in the
 * calendar. Memory: 36 bytes per agent besides the engine's (a 32-byte
 * record and the pending contact's tie).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "contagion.h"
#include "engine/market.h"
#include "engine/model.h"
#include "engine/sim.h"

typedef struct fn_params {
    double awareness, aware;
    bz_cityset aware_cities;
    double fans;
    bz_cityset fan_cities;
    double interest;
    int64_t recommenders;
    double forget, novelty, buy;
    double interested_talk, waitlist_talk, advocate, dissatisfied, neg_impact;
    int64_t seeds;
} fn_params;

static const bz_param fn_param_table[] = {
    {"awareness", BZ_PT_PROB, 0, 1, "0.3", "probability",
     "chance that one campaign exposure makes an unaware agent aware (ad recall after one "
     "exposure is typically 20-40%)",
     offsetof(fn_params, awareness), NULL},
    {"aware", BZ_PT_PROB, 0, 1, "0", "share",
     "share of agents who know the product at the start (brand awareness before the launch); "
     "drawn per agent from its own stream",
     offsetof(fn_params, aware), NULL},
    {"aware_cities", BZ_PT_CITIES, 0, 0, "all", "cities",
     "where the brand is known before the launch (`aware` applies there; elsewhere nobody is "
     "aware at the start): all, {top: N} or a list of city indices",
     offsetof(fn_params, aware_cities), NULL},
    {"fans", BZ_PT_PROB, 0, 1, "0", "share",
     "share of the agents of fan_cities who are fans before the launch (fan clubs: they start "
     "interested, and a festival there finds them); drawn per agent from its own stream",
     offsetof(fn_params, fans), NULL},
    {"fan_cities", BZ_PT_CITIES, 0, 0, "all", "cities",
     "where the fan clubs are: all, {top: N} or a list of city indices",
     offsetof(fn_params, fan_cities), NULL},
    {"interest", BZ_PT_RATE, 0, 1e6, "0.08", "per day",
     "hazard of an aware agent becoming interested on its own, times susceptibility "
     "(0.08/day: half of those who remember the product look closer within about 9 days)",
     offsetof(fn_params, interest), NULL},
    {"recommenders", BZ_PT_INT, 1, 255, "1", "contacts",
     "recommendations an aware agent must have received before word of mouth can interest it "
     "(1: simple contagion; more: complex contagion, Centola 2010)",
     offsetof(fn_params, recommenders), NULL},
    {"forget", BZ_PT_RATE, 0, 1e6, "0.05", "per day",
     "rate at which aware and interested agents (not waitlisted) forget the product (0.05/day: "
     "a recall half-life of two weeks, as in ad-stock decay estimates)",
     offsetof(fn_params, forget), NULL},
    {"novelty", BZ_PT_DURATION, 0, 1e7, "7d", "days",
     "time scale on which a talker's sharing decays after it became interested or adopted "
     "(buzz about a new product fades within about a week; 0: no decay)",
     offsetof(fn_params, novelty), NULL},
    {"buy", BZ_PT_RATE, 0, 1e6, "0.2", "per day",
     "hazard of an interested agent deciding to buy (0.2/day: about 5 days from interest to "
     "purchase); whether it can is the market's answer (price, stock, willingness to pay)",
     offsetof(fn_params, buy), NULL},
    {"interested_talk", BZ_PT_REAL, 0, 1e3, "0.2", "x layer rate",
     "sharing of interested agents relative to an advocate (they ask and mention, they do not "
     "recommend)",
     offsetof(fn_params, interested_talk), NULL},
    {"waitlist_talk", BZ_PT_REAL, 0, 1e3, "1", "x layer rate",
     "sharing of waitlisted agents (wanted, found it sold out) relative to an advocate (scarcity "
     "makes people talk as much as owners, Keith et al. 2017; 0: unmet demand is silent, Ho et al. "
     "2002)",
     offsetof(fn_params, waitlist_talk), NULL},
    {"advocate", BZ_PT_PROB, 0, 1, "0.3", "probability",
     "chance that a satisfied buyer becomes an advocate who recommends the product (about a third "
     "of buyers are promoters in NPS surveys)",
     offsetof(fn_params, advocate), NULL},
    {"dissatisfied", BZ_PT_PROB, 0, 1, "0.05", "probability",
     "chance that a buyer is dissatisfied and spreads negative word of mouth (return rates of "
     "electronics are a few percent)",
     offsetof(fn_params, dissatisfied), NULL},
    {"neg_impact", BZ_PT_PROB, 0, 1, "0.3", "probability",
     "chance that one negative contact moves an aware or interested agent one stage back (negative "
     "word of mouth weighs more than positive)",
     offsetof(fn_params, neg_impact), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "0", "agents",
     "random agents given the product before the start, as advocates (0: only campaigns start the "
     "buzz)",
     offsetof(fn_params, seeds), NULL},
};

static const char *const fn_states[] = {"unaware", "aware",    "interested",
                                        "adopter", "advocate", "lost"};

enum { UNAWARE, AWARE, INTERESTED, ADOPTER, ADVOCATE, LOST, FN_N_STATES };

/* Per-agent flags. */
enum {
    F_WANT = 1,     /* passed its buying time: waiting for the market (closed, price) */
    F_WAIT = 2,     /* refused for want of stock: waitlisted */
    F_DISSAT = 4,   /* dissatisfied adopter: talks negatively */
    F_REFERRED = 8, /* its interest came from a referral contact */
    F_MEMBER = 16   /* joined the brand community (kept through every change) */
};

/* v's flags set to f, keeping its membership. */
#define SET_FLAGS(a, f) ((a)->flags = (uint8_t)(((a)->flags & F_MEMBER) | (f)))

#define NO_CHANNEL 0xFF
#define VER_MASK 0x3FFFFFu /* 22 bits of version in an event's aux */
#define TALK_BIT 0x400000u /* aux bit: a talk event (else the agent's own transition) */
#define TALK_PURPOSE (BZ_RNG_MODEL + 1)
#define AWARE_PURPOSE (BZ_RNG_MODEL + 2) /* (u, 0): aware at the start */

/* One agent's funnel data, in one 32-byte record: an event touches one
 * cache line of it instead of one line in each of nine arrays. */
typedef struct fn_agent {
    double t_forget;  /* when an aware or interested agent forgets */
    uint32_t ver;     /* version of the agent's own pending transition */
    uint32_t nonce;   /* decision draws made (stream index) */
    uint32_t talk;    /* contacts drawn (stream index and version of the talk event) */
    float t_since;    /* when it became interested or adopted (novelty) */
    float tie_rate;   /* sum over layers of share x out-degree (per day) */
    uint8_t flags;    /* F_* */
    uint8_t recs;     /* recommendations since aware, capped at 255 */
    uint8_t last;     /* last-touch channel, NO_CHANNEL if none */
    uint8_t to_layer; /* layer of the pending contact */
} fn_agent;

typedef struct fn_state {
    fn_agent *a;  /* [n] */
    uint32_t *to; /* [n] the pending contact's tie: its index in the row of layer to_layer */
    float *read[BZ_MAX_LAYERS]; /* [n] per layer with attention: chance a post is read */
} fn_state;

static void fn_destroy(bz_sim *sim)
{
    fn_state *fs = sim->model_state;
    if (!fs) return;
    free(fs->a);
    free(fs->to);
    for (size_t li = 0; li < BZ_MAX_LAYERS; li++)
        free(fs->read[li]);
    free(fs);
    sim->model_state = NULL;
}

/* v's next decision stream. */
static void decide_stream(const bz_sim *sim, fn_agent *a, uint32_t v, bz_stream *s)
{
    bz_sim_stream(sim, s, v, a->nonce++, BZ_RNG_DECIDE);
}

/* Schedule v's own transition at t (+inf: none); earlier ones become stale. */
static void own_at(bz_sim *sim, fn_agent *a, uint32_t v, double t)
{
    const uint32_t ver = ++a->ver & VER_MASK;
    if (t < INFINITY) bz_sim_schedule(sim, t, BZ_EV_MODEL, ver, v);
}

/* Talk class of v now: 0 silent, else its talk factor in *f, with
 * *advocate and *neg set. */
static int talker(const fn_params *p, uint8_t s, uint8_t f, double *fac, int *advocate, int *neg)
{
    *advocate = *neg = 0;
    if (s == INTERESTED) {
        *fac = (f & F_WAIT) ? p->waitlist_talk : p->interested_talk;
    } else if (s == ADVOCATE) {
        *fac = 1.0;
        *advocate = 1;
    } else if (s == ADOPTER && (f & F_DISSAT)) {
        *fac = 1.0;
        *neg = 1;
    } else {
        return 0;
    }
    return *fac > 0;
}

/* (Re)start v's talk from now: a new contact stream index (which also
 * makes any pending talk event stale), its next contact time and the tie
 * it goes to: a layer in proportion to share x degree, then a tie of that
 * layer's row. (Drawing the tie now rather than when the contact is due
 * changes no draw, the network being fixed; keeping its index, not the
 * neighbour, leaves the row unread until the contact is due, when
 * fn_prefetch has fetched it.) */
static void talk_from_now(bz_sim *sim, fn_state *fs, uint32_t v)
{
    const fn_params *p = sim->mp;
    fn_agent *a = &fs->a[v];
    const uint32_t k = ++a->talk;
    double fac;
    int adv, neg;
    if (!talker(p, sim->state[v], a->flags, &fac, &adv, &neg) || !(a->tie_rate > 0)) return;
    const bz_talk tk = {.base = fac * sim->pop->activity[v] * a->tie_rate,
                        .since = a->t_since,
                        .novelty = p->novelty,
                        .advocate = adv,
                        .agent = v};
    if (!(tk.base > 0)) return;
    bz_stream s;
    bz_sim_stream(sim, &s, v, k, TALK_PURPOSE);
    const double t = bz_talk_next(sim, &tk, sim->t, bz_stream_exp1(&s));
    if (!(t < INFINITY)) return;
    const size_t L = sim->net->n_layers;
    double x = bz_stream_uniform(&s) * (double)a->tie_rate, acc = 0;
    size_t li = 0, last_li = 0;
    for (; li < L; li++) {
        const double w =
            sim->x->layers[li].share * (double)bz_layer_degree(&sim->net->layers[li], v);
        if (!(w > 0)) continue;
        last_li = li;
        acc += w;
        if (x < acc) break;
    }
    if (li == L) li = last_li; /* rounding: the last layer with ties */
    fs->to[v] = (uint32_t)bz_stream_below(&s, bz_layer_degree(&sim->net->layers[li], v));
    a->to_layer = (uint8_t)li;
    bz_sim_schedule(sim, t, BZ_EV_MODEL, TALK_BIT | (k & VER_MASK), v);
}

static void enter_aware(bz_sim *sim, fn_state *fs, uint32_t v, uint32_t contacts)
{
    const fn_params *p = sim->mp;
    fn_agent *a = &fs->a[v];
    bz_stream s;
    decide_stream(sim, a, v, &s);
    const double e_forget = bz_stream_exp1(&s), e_interest = bz_stream_exp1(&s);
    const double rate = p->interest * sim->pop->susceptibility[v];
    a->t_forget = p->forget > 0 ? sim->t + e_forget / p->forget : INFINITY;
    const double t_int = rate > 0 ? sim->t + e_interest / rate : INFINITY;
    a->recs = (uint8_t)(contacts > 255 ? 255 : contacts);
    SET_FLAGS(a, 0);
    bz_sim_move(sim, v, AWARE);
    own_at(sim, a, v, fmin(a->t_forget, t_int));
}

/* From unaware or aware. Keeps the forgetting time of an aware agent. */
static void enter_interested(bz_sim *sim, fn_state *fs, uint32_t v, int referred)
{
    const fn_params *p = sim->mp;
    fn_agent *a = &fs->a[v];
    bz_stream s;
    decide_stream(sim, a, v, &s);
    const double e_buy = bz_stream_exp1(&s);
    SET_FLAGS(a, referred ? F_REFERRED : 0);
    /* The brand community: joins now or never (sim.h bz_community). */
    if (!(a->flags & F_MEMBER) && bz_sim_community_open(sim) &&
        bz_stream_uniform(&s) < sim->community.join) {
        a->flags |= F_MEMBER;
        bz_sim_community_joined(sim);
    }
    const double buy = (a->flags & F_MEMBER) ? p->buy * sim->community.buy_lift : p->buy;
    const double t_want = buy > 0 ? sim->t + e_buy / buy : INFINITY;
    a->t_since = (float)sim->t;
    bz_sim_move(sim, v, INTERESTED);
    own_at(sim, a, v, fmin(a->t_forget, t_want));
    talk_from_now(sim, fs, v);
}

/* Back to unaware (forgot, or put off). */
static void to_unaware(bz_sim *sim, fn_state *fs, uint32_t v)
{
    fn_agent *a = &fs->a[v];
    if (a->flags & F_WANT) bz_market_withdraw(sim, v);
    SET_FLAGS(a, 0);
    a->recs = 0;
    bz_sim_move(sim, v, UNAWARE);
    own_at(sim, a, v, INFINITY);
    talk_from_now(sim, fs, v); /* silent now: stops its talk */
}

/* An interested agent loses interest: aware again, a new interest time. */
static void interested_to_aware(bz_sim *sim, fn_state *fs, uint32_t v)
{
    const fn_params *p = sim->mp;
    fn_agent *a = &fs->a[v];
    if (a->flags & F_WANT) bz_market_withdraw(sim, v);
    bz_stream s;
    decide_stream(sim, a, v, &s);
    const double rate = p->interest * sim->pop->susceptibility[v];
    const double t_int = rate > 0 ? sim->t + bz_stream_exp1(&s) / rate : INFINITY;
    SET_FLAGS(a, 0);
    bz_sim_move(sim, v, AWARE);
    own_at(sim, a, v, fmin(a->t_forget, t_int));
    talk_from_now(sim, fs, v);
}

/* One contact from a talker to v at sim->t on layer li: positive word of
 * mouth on `channel` (the layer's, or referral), or negative (neg). On a
 * layer with limited attention it is read first with v's chance (else it
 * is lost in the feed and counts for nothing). */
static void contact(bz_sim *sim, fn_state *fs, uint32_t v, size_t li, int channel, int neg)
{
    const fn_params *p = sim->mp;
    const bz_layer_spec *ls = &sim->x->layers[li];
    fn_agent *a = &fs->a[v];
    const uint8_t s = sim->state[v];
    if (fs->read[li]) {
        bz_stream st;
        decide_stream(sim, a, v, &st);
        if (!(bz_stream_uniform(&st) < fs->read[li][v])) return;
    }
    if (!neg) {
        bz_sim_count_exposure(sim, channel);
        if (s <= INTERESTED) a->last = (uint8_t)channel;
    }
    if (s == UNAWARE) {
        if (!neg) enter_aware(sim, fs, v, 1);
        return;
    }
    if (s == AWARE) {
        bz_stream st;
        if (neg) {
            if (p->neg_impact > 0) {
                decide_stream(sim, a, v, &st);
                if (bz_stream_uniform(&st) < p->neg_impact) to_unaware(sim, fs, v);
            }
            return;
        }
        const uint32_t recs = a->recs + 1u;
        a->recs = (uint8_t)(recs > 255 ? 255 : recs);
        if (recs >= (uint32_t)p->recommenders && ls->persuasion > 0) {
            decide_stream(sim, a, v, &st);
            if (bz_stream_uniform(&st) < ls->persuasion)
                enter_interested(sim, fs, v, channel == BZ_CH_REFERRAL);
        }
        return;
    }
    if (s != INTERESTED || (a->flags & F_WAIT)) return;
    bz_stream st;
    if (neg) {
        if (p->neg_impact > 0) {
            decide_stream(sim, a, v, &st);
            if (bz_stream_uniform(&st) < p->neg_impact) interested_to_aware(sim, fs, v);
        }
        return;
    }
    /* Persuaded to buy now: as if its buying time had come. */
    if (ls->conversion > 0 && !(a->flags & F_WANT)) {
        decide_stream(sim, a, v, &st);
        if (bz_stream_uniform(&st) < ls->conversion) {
            a->flags |= F_WANT;
            own_at(sim, a, v, a->t_forget);
            bz_market_request(sim, v);
        }
    }
}

/* Talker v's pending contact is due: deliver it, draw the next. */
static void talk_event(bz_sim *sim, fn_state *fs, uint32_t v)
{
    const fn_params *p = sim->mp;
    double fac;
    int adv, neg;
    if (!talker(p, sim->state[v], fs->a[v].flags, &fac, &adv, &neg)) return;
    const size_t li = fs->a[v].to_layer;
    const uint32_t u = bz_sim_neighbour(&sim->net->layers[li], v, fs->to[v]);
    int ch = BZ_CH_LAYER0 + (int)li;
    if (adv && bz_sim_share_at(sim, sim->t)->referral > 0) ch = BZ_CH_REFERRAL;
    bz_sim_shared(sim, v);
    contact(sim, fs, u, li, ch, neg);
    /* The contact may have changed nothing about v (contacts never change
     * the talker), so its next contact follows. */
    talk_from_now(sim, fs, v);
}

static void fn_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    fn_state *fs = sim->model_state;
    fn_agent *a = &fs->a[v];
    if (aux & TALK_BIT) {
        if ((aux & VER_MASK) == (a->talk & VER_MASK)) talk_event(sim, fs, v);
        return;
    }
    if (aux != (a->ver & VER_MASK)) return; /* stale */
    const uint8_t s = sim->state[v];
    if (s == AWARE) {
        if (sim->t == a->t_forget)
            to_unaware(sim, fs, v);
        else
            enter_interested(sim, fs, v, 0);
        return;
    }
    if (s != INTERESTED || (a->flags & F_WAIT)) return;
    if (sim->t == a->t_forget) {
        to_unaware(sim, fs, v);
        return;
    }
    /* Its buying time: it wants one from now on. */
    a->flags |= F_WANT;
    own_at(sim, a, v, a->t_forget);
    bz_market_request(sim, v);
}

/* What an event will read, in three steps. Any event: the agent's record,
 * state, activity and row offsets (talk_from_now draws its next tie).
 * A contact then: the tie in its row (stage 1), the neighbour's record,
 * state and susceptibility (stage 2: enter_aware reads it). */
static void fn_prefetch(const bz_sim *sim, uint32_t v, uint32_t aux, int stage)
{
    const fn_state *fs = sim->model_state;
    if (stage == 0) {
        __builtin_prefetch(&fs->a[v], 1);
        __builtin_prefetch(&sim->state[v]);
        __builtin_prefetch(&sim->pop->activity[v]);
        if (sim->boost) __builtin_prefetch(&sim->boost_until[v]);
        bz_contagion_prefetch_offsets(sim, v);
        if (aux & TALK_BIT) __builtin_prefetch(&fs->to[v]);
        return;
    }
    if (!(aux & TALK_BIT)) return;
    const bz_layer *l = &sim->net->layers[fs->a[v].to_layer];
    if (l->complete) return;
    const uint32_t *at = &l->targets[l->offsets[v] + fs->to[v]];
    if (stage == 1) {
        __builtin_prefetch(at);
        return;
    }
    const uint32_t u = *at;
    __builtin_prefetch(&fs->a[u], 1);
    __builtin_prefetch(&sim->state[u], 1);
    __builtin_prefetch(&sim->pop->susceptibility[u]);
    if (fs->read[fs->a[v].to_layer]) __builtin_prefetch(&fs->read[fs->a[v].to_layer][u]);
}

static void fn_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    const fn_params *p = sim->mp;
    fn_state *fs = sim->model_state;
    const uint8_t s = sim->state[v];
    if (s > INTERESTED) return;
    fs->a[v].last = (uint8_t)channel;
    if (flags & BZ_EXPOSE_ENGAGE) {
        if (s == UNAWARE) enter_aware(sim, fs, v, 0);
        if (sim->state[v] == AWARE) enter_interested(sim, fs, v, 0);
        return;
    }
    if (s == UNAWARE && p->awareness > 0) {
        bz_stream st;
        decide_stream(sim, &fs->a[v], v, &st);
        if (bz_stream_uniform(&st) < p->awareness) enter_aware(sim, fs, v, 0);
    } else if (s == AWARE && sim->persuade[channel] > 0) {
        /* The channel's own persuasion (lever persuade). */
        bz_stream st;
        decide_stream(sim, &fs->a[v], v, &st);
        if (bz_stream_uniform(&st) < sim->persuade[channel]) enter_interested(sim, fs, v, 0);
    }
}

/* Lever `seed`: a gift makes a not-yet-adopted agent an advocate now. */
static int fn_seed(bz_sim *sim, uint32_t v, int channel)
{
    (void)channel;
    fn_state *fs = sim->model_state;
    fn_agent *a = &fs->a[v];
    const uint8_t s = sim->state[v];
    if (s == ADOPTER || s == ADVOCATE) return 0;
    if (a->flags & (F_WANT | F_WAIT)) bz_market_withdraw(sim, v);
    SET_FLAGS(a, 0);
    a->t_since = (float)sim->t;
    bz_sim_move(sim, v, ADVOCATE);
    own_at(sim, a, v, INFINITY);
    talk_from_now(sim, fs, v);
    return 1;
}

/* The market served v now. */
static int fn_adopt(bz_sim *sim, uint32_t v, int *referred)
{
    const fn_params *p = sim->mp;
    fn_state *fs = sim->model_state;
    fn_agent *a = &fs->a[v];
    bz_stream st;
    decide_stream(sim, a, v, &st);
    const double u_dis = bz_stream_uniform(&st), u_adv = bz_stream_uniform(&st);
    *referred = (a->flags & F_REFERRED) != 0;
    const double advocate = (a->flags & F_MEMBER) && sim->community.advocate > p->advocate
                                ? sim->community.advocate
                                : p->advocate;
    uint8_t f = 0, to = ADOPTER;
    if (u_dis < p->dissatisfied) {
        f = F_DISSAT;
        /* Customer service reaches it before it talks (sim.h bz_service). */
        if (bz_sim_service_open(sim)) {
            const int resolved = bz_stream_uniform(&st) < sim->service.resolve;
            bz_sim_service_case(sim, resolved);
            if (resolved) {
                f = 0;
                if (bz_stream_uniform(&st) < sim->service.recover) to = ADVOCATE;
            }
        }
    } else if (u_adv < advocate) {
        to = ADVOCATE;
    }
    SET_FLAGS(a, f);
    a->t_since = (float)sim->t;
    bz_sim_move(sim, v, to);
    own_at(sim, a, v, INFINITY);
    talk_from_now(sim, fs, v);
    return a->last == NO_CHANNEL ? BZ_CH_EXTERNAL : a->last;
}

/* Refused for want of stock: waitlisted (no forgetting, its own talk). */
static void fn_refused(bz_sim *sim, uint32_t v)
{
    fn_state *fs = sim->model_state;
    fn_agent *a = &fs->a[v];
    a->flags = (uint8_t)((a->flags | F_WAIT) & ~F_WANT);
    own_at(sim, a, v, INFINITY);
    talk_from_now(sim, fs, v);
}

/* Gave up waiting: a lost sale. */
static void fn_lost(bz_sim *sim, uint32_t v)
{
    fn_state *fs = sim->model_state;
    SET_FLAGS(&fs->a[v], 0);
    bz_sim_move(sim, v, LOST);
    own_at(sim, &fs->a[v], v, INFINITY);
    talk_from_now(sim, fs, v);
}

static void fn_boosted(bz_sim *sim, uint32_t v)
{
    talk_from_now(sim, sim->model_state, v);
}

/* Limited attention on layer li (Weng et al. 2012's competition for
 * attention, in its simplest exact form): a reader u follows f_u accounts
 * that post `feed` times a day each, and reads `attention` posts a day,
 * always the newest in its feed. A post is read if the reader's next read
 * comes before the next post pushes it down: with both clocks exponential,
 * with chance K / (K + f_u feed). So u reads f_u s K / (K + f_u feed) of the
 * product's posts a day when its f_u followees share at rate s: linear in
 * f_u for a few followees, saturating at K s / feed for many (K when the
 * product is all they post about). f_u: u's in-degree on a directed layer
 * (the accounts it follows), its degree on an undirected one. O(n). */
static int attention_init(bz_sim *sim, fn_state *fs, size_t li, bz_error *err)
{
    const bz_layer *l = &sim->net->layers[li];
    const bz_layer_spec *ls = &sim->x->layers[li];
    const size_t n = sim->n ? sim->n : 1;
    float *r = fs->read[li] = malloc(n * sizeof *r);
    if (!r) return bz_error_oom(err, NULL, n * sizeof *r, "layer '%s''s attention", ls->name);
    for (uint32_t u = 0; u < sim->n; u++) {
        const double f = l->in_degree ? (double)l->in_degree[u] : (double)bz_layer_degree(l, u);
        r[u] = (float)(ls->attention / (ls->attention + f * ls->feed));
    }
    return BZ_OK;
}

/* Before the launch: each agent of aware_cities is aware with probability
 * `aware` (stream (u, 0, BZ_RNG_MODEL + 2)); each agent of fan_cities is a
 * fan with probability `fans` (stream (u, 1, ...)) and starts interested.
 * O(n). */
static int start_init(bz_sim *sim, fn_state *fs, bz_error *err)
{
    const fn_params *p = sim->mp;
    const bz_population *pop = sim->pop;
    const uint32_t nc = pop->n_cities ? pop->n_cities : 1;
    uint8_t *in = calloc(2 * (size_t)nc, 1);
    if (!in) return bz_error_oom(err, NULL, 2 * (size_t)nc, "aware_cities, fan_cities");
    int status = bz_cityset_mark(&p->aware_cities, pop->n_cities, in, err);
    if (status == BZ_OK) status = bz_cityset_mark(&p->fan_cities, pop->n_cities, in + nc, err);
    for (uint32_t u = 0; status == BZ_OK && u < sim->n; u++) {
        bz_stream s;
        if (p->aware > 0 && in[pop->city[u]]) {
            bz_sim_stream(sim, &s, u, 0, AWARE_PURPOSE);
            if (bz_stream_uniform(&s) < p->aware) enter_aware(sim, fs, u, 0);
        }
        if (p->fans > 0 && in[nc + pop->city[u]]) {
            bz_sim_stream(sim, &s, u, 1, AWARE_PURPOSE);
            if (!(bz_stream_uniform(&s) < p->fans)) continue;
            if (sim->state[u] == UNAWARE) enter_aware(sim, fs, u, 0);
            if (sim->state[u] == AWARE) enter_interested(sim, fs, u, 0);
        }
    }
    free(in);
    return status;
}

static int fn_init(bz_sim *sim, bz_error *err)
{
    const fn_params *p = sim->mp;
    const size_t n = sim->n ? sim->n : 1;
    fn_state *fs = calloc(1, sizeof *fs);
    if (!fs) return bz_error_oom(err, NULL, sizeof *fs, "the buzz_funnel model");
    sim->model_state = fs;
    fs->a = calloc(n, sizeof *fs->a);
    fs->to = calloc(n, sizeof *fs->to);
    if (!fs->a || !fs->to)
        return bz_error_oom(err, NULL, n * (sizeof *fs->a + sizeof *fs->to),
                            "the buzz_funnel model (%u agents)", sim->n);
    const size_t L = sim->net->n_layers;
    for (uint32_t u = 0; u < sim->n; u++) {
        double r = 0;
        for (size_t li = 0; li < L; li++)
            r += sim->x->layers[li].share * (double)bz_layer_degree(&sim->net->layers[li], u);
        fs->a[u].tie_rate = (float)r;
        fs->a[u].t_forget = INFINITY;
        fs->a[u].last = NO_CHANNEL;
    }
    for (size_t li = 0; li < L; li++)
        if (sim->x->layers[li].attention > 0) {
            int status = attention_init(sim, fs, li, err);
            if (status != BZ_OK) return status;
        }
    if (p->aware > 0 || p->fans > 0) {
        int status = start_init(sim, fs, err);
        if (status != BZ_OK) return status;
    }
    return bz_contagion_seed_random(sim, (uint32_t)p->seeds, err);
}

const bz_model_type bz_model_buzz_funnel = {
    .name = "buzz_funnel",
    .summary = "marketing funnel unaware -> aware -> interested -> adopter/advocate (or lost) in "
               "continuous time, word of mouth at each layer's sharing rate, forgetting, "
               "purchases through the market",
    .params = fn_param_table,
    .n_params = BZ_PARAMS_COUNT(fn_param_table),
    .params_size = sizeof(fn_params),
    .states = fn_states,
    .n_states = FN_N_STATES,
    .adopted_mask = (1u << ADOPTER) | (1u << ADVOCATE),
    .honours = BZ_LEVER_EXPOSE | BZ_LEVER_ENGAGE | BZ_LEVER_SEED | BZ_LEVER_BOOST |
               BZ_LEVER_URGENCY | BZ_LEVER_REFERRAL | BZ_LEVER_SALE | BZ_LEVER_PROGRAMME |
               BZ_LEVER_PERSUADE,
    .persuades = 1,
    .buys = 1,
    .init = fn_init,
    .event = fn_event,
    .prefetch = fn_prefetch,
    .expose = fn_expose,
    .seed = fn_seed,
    .adopt = fn_adopt,
    .refused = fn_refused,
    .lost = fn_lost,
    .boosted = fn_boosted,
    .destroy = fn_destroy,
};

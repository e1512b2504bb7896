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
 *                  exposure, or at a word-of-mouth contact with probability
 *                  `recommend` once it has heard `recommenders` contacts
 *                  since it became aware (complex contagion above 1);
 *                  unaware, with probability neg_impact, at a negative
 *                  contact (put off).
 *   interested ->  at its buying time (hazard `buy`) it wants to buy and
 *                  asks the market: served (adopts), or it waits for the
 *                  next sale (closed), for a price it would pay (its
 *                  willingness to pay is below the price), or, refused for
 *                  want of stock, it is waitlisted: it does not forget,
 *                  ignores negative word of mouth, talks at waitlist_talk
 *                  and gives up at the market's `patience` rate (-> lost).
 *                  Not waitlisted, it becomes unaware at its forgetting
 *                  time (the same clock as when aware: the exponential is
 *                  memoryless) and aware, with probability neg_impact, at
 *                  a negative contact.
 *   served ->      dissatisfied adopter with probability `dissatisfied`
 *                  (talks negatively), else advocate with probability
 *                  `advocate`, else silent adopter.
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
    double awareness, interest, recommend;
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
    {"interest", BZ_PT_RATE, 0, 1e6, "0.08", "per day",
     "hazard of an aware agent becoming interested on its own, times susceptibility "
     "(0.08/day: half of those who remember the product look closer within about 9 days)",
     offsetof(fn_params, interest), NULL},
    {"recommend", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that one word-of-mouth recommendation makes an aware agent interested (a friend's "
     "advice weighs more than an ad)",
     offsetof(fn_params, recommend), NULL},
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
    F_WANT = 1,    /* passed its buying time: waiting for the market (closed, price) */
    F_WAIT = 2,    /* refused for want of stock: waitlisted */
    F_DISSAT = 4,  /* dissatisfied adopter: talks negatively */
    F_REFERRED = 8 /* its interest came from a referral contact */
};

#define NO_CHANNEL 0xFF
#define VER_MASK 0x3FFFFFu /* 22 bits of version in an event's aux */
#define TALK_BIT 0x400000u /* aux bit: a talk event (else the agent's own transition) */
#define TALK_PURPOSE (BZ_RNG_MODEL + 1)

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
} fn_state;

static void fn_destroy(bz_sim *sim)
{
    fn_state *fs = sim->model_state;
    if (!fs) return;
    free(fs->a);
    free(fs->to);
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
    a->flags = 0;
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
    const double t_want = p->buy > 0 ? sim->t + e_buy / p->buy : INFINITY;
    a->flags = referred ? F_REFERRED : 0;
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
    a->flags = 0;
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
    a->flags = 0;
    bz_sim_move(sim, v, AWARE);
    own_at(sim, a, v, fmin(a->t_forget, t_int));
    talk_from_now(sim, fs, v);
}

/* One contact from a talker to v at sim->t: positive word of mouth on
 * `channel`, or negative (neg). */
static void contact(bz_sim *sim, fn_state *fs, uint32_t v, int channel, int neg)
{
    const fn_params *p = sim->mp;
    fn_agent *a = &fs->a[v];
    const uint8_t s = sim->state[v];
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
        if (recs >= (uint32_t)p->recommenders && p->recommend > 0) {
            decide_stream(sim, a, v, &st);
            if (bz_stream_uniform(&st) < p->recommend)
                enter_interested(sim, fs, v, channel == BZ_CH_REFERRAL);
        }
        return;
    }
    if (s == INTERESTED && neg && !(a->flags & F_WAIT) && p->neg_impact > 0) {
        bz_stream st;
        decide_stream(sim, a, v, &st);
        if (bz_stream_uniform(&st) < p->neg_impact) interested_to_aware(sim, fs, v);
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
    contact(sim, fs, u, ch, neg);
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
    a->flags = 0;
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
    uint8_t f = 0, to = ADOPTER;
    if (u_dis < p->dissatisfied)
        f = F_DISSAT;
    else if (u_adv < p->advocate)
        to = ADVOCATE;
    a->flags = f;
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
    fs->a[v].flags = 0;
    bz_sim_move(sim, v, LOST);
    own_at(sim, &fs->a[v], v, INFINITY);
    talk_from_now(sim, fs, v);
}

static void fn_boosted(bz_sim *sim, uint32_t v)
{
    talk_from_now(sim, sim->model_state, v);
}

static int fn_init(bz_sim *sim, bz_error *err)
{
    const fn_params *p = sim->mp;
    const size_t n = sim->n ? sim->n : 1;
    fn_state *fs = calloc(1, sizeof *fs);
    if (!fs) return bz_error_set(err, BZ_ENOMEM, "out of memory for the buzz_funnel model");
    sim->model_state = fs;
    fs->a = calloc(n, sizeof *fs->a);
    fs->to = calloc(n, sizeof *fs->to);
    if (!fs->a || !fs->to)
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the buzz_funnel model (%u agents)",
                            sim->n);
    const size_t L = sim->net->n_layers;
    for (uint32_t u = 0; u < sim->n; u++) {
        double r = 0;
        for (size_t li = 0; li < L; li++)
            r += sim->x->layers[li].share * (double)bz_layer_degree(&sim->net->layers[li], u);
        fs->a[u].tie_rate = (float)r;
        fs->a[u].t_forget = INFINITY;
        fs->a[u].last = NO_CHANNEL;
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
               BZ_LEVER_URGENCY | BZ_LEVER_REFERRAL | BZ_LEVER_SALE,
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

/* buzz_funnel: the marketing funnel of a product launch, driven by word of
 * mouth on every layer at the layer's own sharing rate, by campaigns and by
 * the market (purchases, stock, price).
 *
 * States (in this order; state 0 is initial):
 *   unaware     has not heard of the product (or forgot it)
 *   aware       knows it, not yet interested
 *   interested  wants to learn more and may buy; talks a little
 *   adopter     bought it; does not talk (unless dissatisfied, see below)
 *   advocate    bought it (or was seeded) and recommends it
 * adopted = adopter | advocate. Adoption is a purchase through the market
 * (buys = 1): the engine serves the buyers and calls funnel_adopt().
 *
 * All rates are per day; an event with rate r happens in a step of length
 * dt with probability 1 - exp(-r dt) (DESIGN.md), or, for the hazards that
 * are accumulated (interest, buying, forgetting), at the first step in which
 * the accumulated hazard passes an Exp(1) threshold drawn once, which gives
 * the same law without a random number per agent and step.
 *
 * Appeal. appeal = min(1, (value / price)^elasticity), price =
 * bz_market_price_now() (a flash sale's discounted price while its window
 * overlaps the step). value = 0 (the default) or price = 0 gives appeal 1:
 * the price does not matter, as before the market had prices.
 *
 * Transitions in a step (phase 2; each agent with its own stream
 * (step, agent, BZ_RNG_DECIDE)):
 *   last touch   an agent reached by channels this step remembers one of
 *                them (bz_sim_pick_channel, uniform among the step's bits);
 *                its purchase is attributed to the last one remembered
 *                (external if none ever). Negative WOM carries no channel.
 *   unaware ->   interested at once on an engaging exposure (inbox.eng:
 *                festival attendance); else aware on any word-of-mouth
 *                contact (contacts are already the successful transmissions
 *                at the layer's sharing rate) or, per campaign exposure,
 *                with probability `awareness`. Negative WOM alone does not
 *                make anyone aware.
 *   aware ->     unaware when its forgetting time passes (drawn on entry
 *                to aware: Exp(forget)); else interested on an engaging
 *                exposure; else, unless a negative contact reached it this
 *                step (which blocks the step's interest), interested when
 *                the accumulated hazard interest * appeal * susceptibility
 *                passes its threshold, or with probability recommend *
 *                appeal per word-of-mouth contact of the step once at least
 *                `recommenders` contacts have reached it since it became
 *                aware (counting the ones that made it aware; complex
 *                contagion for recommenders > 1; count capped at 255).
 *   interested   (not waitlisted) -> unaware at its forgetting time; ->
 *                aware with probability 1 - (1 - neg_impact)^neg on neg
 *                negative contacts. Otherwise it accumulates the buying
 *                hazard buy * appeal; once past its threshold it wants to
 *                buy (bz_sim_want, with its last-touch channel) in this and
 *                every later step until served. An agent that wanted in a
 *                step in which the market was open and was not served
 *                (sold out) is waitlisted: it stays interested, does not
 *                forget, ignores negative WOM and talks at waitlist_talk.
 *   served  ->   (funnel_adopt, stream (step, agent, BZ_RNG_MODEL)) a
 *                dissatisfied adopter with probability `dissatisfied`, else
 *                an advocate with probability `advocate`, else a silent
 *                adopter. Adopters and advocates stay so.
 * Aware and interested agents keep one forgetting time (the exponential is
 * memoryless, so interest does not redraw it); entering a state draws the
 * next accumulation threshold. An agent that enters a state acts from the
 * next step on (one-step lag, O(dt)).
 *
 * Talkers (phase 1): interested agents talk at interested_talk, waitlisted
 * ones at waitlist_talk, advocates at 1 and dissatisfied adopters at 1
 * (negative word of mouth into inbox.neg, as BZ_DELIVER_NEG). Talker u
 * contacts each out-neighbour on layer l with probability
 *     1 - exp(-share_l * talk * activity_u * novelty_u * share_factor(u) * dt)
 * novelty_u = exp(-(t - t_u) / novelty), t_u the time u became interested
 * or adopted (novelty = 0: no decay). While a referral programme runs
 * (sim->referral_mult > 0) advocates talk referral_mult times more and their
 * contacts count as channel referral, so the purchases they tip are
 * attributed to it.
 *
 * Seeds: `seeds` random advocates before the first step (channel seed);
 * the seed lever (KOL) makes a not-yet-adopted agent an advocate.
 *
 * Talking is event-driven with the same law: in a step, talker u contacts
 * no one with probability exp(-w_u tie_rate_u), w_u = talk * activity *
 * novelty * share_factor * dt and tie_rate_u = sum_l share_l deg_l(u). So the
 * steps in which u contacts anyone are found by accumulating w_u tie_rate_u
 * against an Exp(1) threshold (drawn when u starts talking and after each
 * such step); in such a step its contacts are drawn conditioned on at least
 * one (first contact by inversion over the ties of all layers, the rest by
 * geometric skipping), from stream (step, u, BZ_RNG_MODEL + 1). Silent
 * talkers (most of them, most steps) cost a few float operations and no
 * random number. Contacts are delivered like bz_spread_batch_ex does (inbox
 * counter, channel bit, touched list, exposure tally; negative ones into
 * inbox.neg without channel or exposure).
 *
 * Cost. Agents are grouped in blocks of 256; a block's "live" count is its
 * aware, interested and talking agents, kept up to date on every
 * transition. A step scans only blocks with live agents, in id order, plus
 * the agents touched this step: O(n / 256 + live + touched + contacts).
 * Per agent 23 bytes (flags, recommendation count, last channel; as floats
 * the interest/buying threshold, forgetting time, novelty start, talk
 * threshold, tie rate). Only commutative integer sums cross threads, so
 * results do not depend on the thread count.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "contagion.h"
#include "core/model.h"
#include "core/sim.h"

typedef struct fn_params {
    double awareness, interest, recommend;
    int64_t recommenders;
    double value, elasticity, forget, novelty, buy;
    double interested_talk, waitlist_talk, advocate, dissatisfied, neg_impact;
    int64_t seeds;
} fn_params;

static const bz_param fn_param_table[] = {
    {"awareness", BZ_PT_PROB, 0, 1, "0.3", "probability",
     "chance that one campaign exposure makes an unaware agent aware (ad recall after one "
     "exposure is typically 20-40%)",
     offsetof(fn_params, awareness), NULL},
    {"interest", BZ_PT_RATE, 0, 1e6, "0.08", "per day",
     "hazard of an aware agent becoming interested on its own, times appeal and susceptibility "
     "(0.08/day: half of those who remember the product look closer within about 9 days)",
     offsetof(fn_params, interest), NULL},
    {"recommend", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that one word-of-mouth recommendation makes an aware agent interested, times appeal "
     "(a friend's advice weighs more than an ad)",
     offsetof(fn_params, recommend), NULL},
    {"recommenders", BZ_PT_INT, 1, 255, "1", "contacts",
     "recommendations an aware agent must have received before word of mouth can interest it "
     "(1: simple contagion; more: complex contagion, Centola 2010)",
     offsetof(fn_params, recommenders), NULL},
    {"value", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "what the product is worth to a typical buyer; appeal = min(1, (value/price)^elasticity) "
     "(0: the price does not matter, appeal 1)",
     offsetof(fn_params, value), NULL},
    {"elasticity", BZ_PT_REAL, 0, 100, "2", "",
     "how sharply appeal falls when the price exceeds the value (2: a price 40% above value "
     "halves appeal, in the elastic range of consumer electronics)",
     offsetof(fn_params, elasticity), NULL},
    {"forget", BZ_PT_RATE, 0, 1e6, "0.05", "per day",
     "rate at which aware and interested agents (not waitlisted) forget the product (0.05/day: "
     "a recall half-life of two weeks, as in ad-stock decay estimates)",
     offsetof(fn_params, forget), NULL},
    {"novelty", BZ_PT_DURATION, 0, 1e7, "7d", "days",
     "time scale on which a talker's sharing decays after it became interested or adopted "
     "(buzz about a new product fades within about a week; 0: no decay)",
     offsetof(fn_params, novelty), NULL},
    {"buy", BZ_PT_RATE, 0, 1e6, "0.2", "per day",
     "hazard of an interested agent deciding to buy, times appeal (0.2/day: about 5 days from "
     "interest to purchase)",
     offsetof(fn_params, buy), NULL},
    {"interested_talk", BZ_PT_REAL, 0, 1e3, "0.2", "x layer rate",
     "sharing of interested agents relative to an advocate (they ask and mention, they do not "
     "recommend)",
     offsetof(fn_params, interested_talk), NULL},
    {"waitlist_talk", BZ_PT_REAL, 0, 1e3, "1", "x layer rate",
     "sharing of waitlisted agents (wanted, found it sold out) relative to an advocate (scarcity "
     "makes people talk as much as owners)",
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
     "chance that one negative contact makes an interested agent lose interest (negative word of "
     "mouth weighs more than positive)",
     offsetof(fn_params, neg_impact), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "0", "agents",
     "random agents that start as advocates (0: only campaigns start the buzz)",
     offsetof(fn_params, seeds), NULL},
};

static const char *const fn_states[] = {"unaware", "aware", "interested", "adopter", "advocate"};

enum { UNAWARE, AWARE, INTERESTED, ADOPTER, ADVOCATE, FN_N_STATES };

/* Per-agent flags. */
enum {
    F_WANT = 1,   /* passed its buying threshold: asks the market every step */
    F_WOPEN = 2,  /* wanted in a step with the market open: waitlisted while interested */
    F_DISSAT = 4, /* dissatisfied adopter: talks negatively */
};

#define NO_CHANNEL 0xFF
#define BLOCK_SHIFT 8 /* live blocks of 256 agents */

enum { KIND_WOM, KIND_REFERRAL, KIND_NEG };

typedef struct fn_state {
    uint8_t *flags;  /* [n] F_* */
    uint8_t *recs;   /* [n] recommendations since aware, capped at 255 */
    uint8_t *last;   /* [n] last-touch channel, NO_CHANNEL if none */
    float *rem;      /* [n] hazard left before the next interest/buying event */
    float *t_forget; /* [n] day the agent forgets (aware, interested) */
    float *t_since;  /* [n] day it became interested or adopted (novelty) */
    uint32_t *live;  /* [n_blocks] live agents per block */
    int64_t n_blocks;
    int64_t (*dcount)[8]; /* [n_threads] per-thread state count changes of a step */
    float *talk_rem;      /* [n] talk hazard left before the next step with contacts */
    float *tie_rate;      /* [n] sum over layers of share x out-degree (per day) */
} fn_state;

static int is_live(uint8_t s, uint8_t f)
{
    return s == AWARE || s == INTERESTED || s == ADVOCATE || (s == ADOPTER && (f & F_DISSAT));
}

static void live_add(fn_state *fs, uint32_t v, int d)
{
    uint32_t *c = &fs->live[v >> BLOCK_SHIFT];
#pragma omp atomic
    *c += (uint32_t)d;
}

/* Move v from state `from` (flags f0) to `to` (flags f1), keeping the live
 * counts and the count changes `dc` (this thread's, or sim->counts when
 * serial). Does not write flags. */
static void move(bz_sim *sim, fn_state *fs, int64_t *dc, uint32_t v, uint8_t from, uint8_t f0,
                 uint8_t to, uint8_t f1)
{
    int l0 = is_live(from, f0), l1 = is_live(to, f1);
    if (l0 != l1) live_add(fs, v, l1 - l0);
    sim->state[v] = to;
    dc[from]--;
    dc[to]++;
}

static double exp1(bz_stream *s)
{
    return -log(bz_stream_uniform_pos(s));
}

/* v starts talking (seeded or adopted, serial): a fresh threshold for its
 * talk hazard from stream (step, v, BZ_RNG_MODEL + 2). Interested agents
 * draw theirs from their own decision stream (enter_interested). */
static void new_talker(const bz_sim *sim, fn_state *fs, uint32_t v, uint32_t step)
{
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, step, v, BZ_RNG_MODEL + 2);
    fs->talk_rem[v] = (float)exp1(&s);
}

static void fn_destroy(bz_sim *sim)
{
    fn_state *fs = sim->model_state;
    if (!fs) return;
    free(fs->flags);
    free(fs->recs);
    free(fs->last);
    free(fs->rem);
    free(fs->t_forget);
    free(fs->t_since);
    free(fs->live);
    free(fs->dcount);
    free(fs->talk_rem);
    free(fs->tie_rate);
    free(fs);
    sim->model_state = NULL;
}

static int fn_init(bz_sim *sim, bz_error *err)
{
    const fn_params *p = sim->mp;
    const size_t n = sim->n ? sim->n : 1;
    fn_state *fs = calloc(1, sizeof *fs);
    if (!fs) return bz_error_set(err, BZ_ENOMEM, "out of memory for the buzz_funnel model");
    sim->model_state = fs;
    fs->n_blocks = ((int64_t)sim->n + (1 << BLOCK_SHIFT) - 1) >> BLOCK_SHIFT;
    fs->flags = calloc(n, 1);
    fs->recs = calloc(n, 1);
    fs->last = malloc(n);
    fs->rem = calloc(n, sizeof *fs->rem);
    fs->t_forget = calloc(n, sizeof *fs->t_forget);
    fs->t_since = calloc(n, sizeof *fs->t_since);
    fs->live = calloc((size_t)fs->n_blocks + 1, sizeof *fs->live);
    fs->dcount = calloc((size_t)sim->n_threads, sizeof *fs->dcount);
    fs->talk_rem = calloc(n, sizeof *fs->talk_rem);
    fs->tie_rate = calloc(n, sizeof *fs->tie_rate);
    if (!fs->flags || !fs->recs || !fs->last || !fs->rem || !fs->t_forget || !fs->t_since ||
        !fs->live || !fs->dcount || !fs->talk_rem || !fs->tie_rate)
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the buzz_funnel model (%u agents)",
                            sim->n);
    memset(fs->last, NO_CHANNEL, n);
    const int64_t nn = sim->n;
    const size_t L = sim->net->n_layers;
#pragma omp parallel for schedule(static) if (sim->n_threads > 1)
    for (int64_t u = 0; u < nn; u++) {
        double r = 0;
        for (size_t li = 0; li < L; li++)
            r += sim->x->layers[li].share *
                 (double)bz_layer_degree(&sim->net->layers[li], (uint32_t)u);
        fs->tie_rate[u] = (float)r;
    }
    if (p->seeds > 0) {
        int status = bz_contagion_seed_random(sim, (uint32_t)p->seeds, ADVOCATE, err);
        if (status != BZ_OK) return status;
        for (uint32_t v = 0; v < sim->n; v++)
            if (sim->state[v] == ADVOCATE) {
                fs->live[v >> BLOCK_SHIFT]++;
                new_talker(sim, fs, v, 0);
            }
    }
    return BZ_OK;
}

/* Lever `seed` (serial): a not-yet-adopted agent becomes an advocate now. */
static int fn_seed(bz_sim *sim, uint32_t v, int channel)
{
    (void)channel;
    fn_state *fs = sim->model_state;
    uint8_t s = sim->state[v];
    if (s == ADOPTER || s == ADVOCATE) return 0;
    move(sim, fs, sim->counts, v, s, fs->flags[v], ADVOCATE, 0);
    fs->flags[v] = 0;
    fs->t_since[v] = (float)sim->t0;
    new_talker(sim, fs, v, sim->step);
    return 1;
}

/* A served buyer adopts (serial, after the step). */
static void fn_adopt(bz_sim *sim, uint32_t v, int channel)
{
    const fn_params *p = sim->mp;
    fn_state *fs = sim->model_state;
    uint8_t s = sim->state[v];
    if (s == ADOPTER || s == ADVOCATE) return; /* cannot happen: only the interested want */
    bz_stream st;
    bz_stream_init(&st, sim->seed, sim->replicate, sim->step, v, BZ_RNG_MODEL + 0);
    const double u_dis = bz_stream_uniform(&st), u_adv = bz_stream_uniform(&st);
    uint8_t f = 0, to = ADOPTER;
    if (u_dis < p->dissatisfied)
        f = F_DISSAT;
    else if (u_adv < p->advocate)
        to = ADVOCATE;
    move(sim, fs, sim->counts, v, s, fs->flags[v], to, f);
    fs->flags[v] = f;
    fs->t_since[v] = (float)(sim->t0 + sim->dt);
    if (is_live(to, f)) new_talker(sim, fs, v, sim->step);
    bz_tally_adopt(&sim->tally[0], channel);
}

/* Values of the current step shared by every agent. */
typedef struct fn_step {
    const fn_params *p;
    double t0, t1, dt;
    double appeal;
    double h_interest, h_buy; /* accumulated hazards per step (before susceptibility) */
    double rec_log_keep;      /* log(1 - recommend * appeal) */
    double aw_log_keep;       /* log(1 - awareness) */
    double neg_log_keep;      /* log(1 - neg_impact) */
    int market_open;
} fn_step;

/* Probability that at least one of k independent tries with log(1 - p) =
 * log_keep succeeds. */
static double any_of(uint32_t k, double log_keep)
{
    return -expm1((double)k * log_keep);
}

/* The agent's own stream of this step, initialised on first use. */
typedef struct lazy_stream {
    bz_stream s;
    int ready;
} lazy_stream;

static bz_stream *rng(const bz_sim *sim, lazy_stream *ls, uint32_t v)
{
    if (!ls->ready) {
        bz_sim_agent_stream(sim, &ls->s, v, BZ_RNG_DECIDE);
        ls->ready = 1;
    }
    return &ls->s;
}

/* Entry into aware from unaware: forgetting time, interest threshold. */
static void enter_aware(const bz_sim *sim, fn_state *fs, const fn_step *k, lazy_stream *ls,
                        uint32_t v, uint32_t contacts)
{
    const double forget = k->p->forget;
    bz_stream *s = rng(sim, ls, v);
    double e = exp1(s);
    fs->t_forget[v] = forget > 0 ? (float)(k->t1 + e / forget) : INFINITY;
    fs->rem[v] = (float)exp1(s);
    fs->recs[v] = (uint8_t)(contacts > 255 ? 255 : contacts);
}

/* Entry into interested: buying threshold, novelty clock. */
static void enter_interested(const bz_sim *sim, fn_state *fs, const fn_step *k, lazy_stream *ls,
                             uint32_t v)
{
    bz_stream *s = rng(sim, ls, v);
    fs->rem[v] = (float)exp1(s);
    fs->talk_rem[v] = (float)exp1(s);
    fs->t_since[v] = (float)k->t1;
    fs->flags[v] = 0;
}

/* Phase 2 for agent v in state unaware, aware or interested, with what
 * reached it this step (`in`, zero if untouched). */
static void decide(bz_sim *sim, fn_state *fs, const fn_step *k, bz_tally *t, int64_t *dc,
                   uint32_t v, bz_inbox in)
{
    const fn_params *p = k->p;
    lazy_stream ls = {.ready = 0};
    uint8_t s = sim->state[v], f = fs->flags[v];
    if (in.mask & BZ_MASK_CHANNELS)
        fs->last[v] = (uint8_t)bz_sim_pick_channel(in.mask, rng(sim, &ls, v), BZ_CH_EXTERNAL);

    if (s == UNAWARE) {
        if (in.eng) {
            enter_aware(sim, fs, k, &ls, v, in.wom);
            enter_interested(sim, fs, k, &ls, v);
            move(sim, fs, dc, v, UNAWARE, f, INTERESTED, 0);
        } else if (in.wom ||
                   (in.ext && p->awareness > 0 &&
                    bz_stream_uniform(rng(sim, &ls, v)) < any_of(in.ext, k->aw_log_keep))) {
            enter_aware(sim, fs, k, &ls, v, in.wom);
            move(sim, fs, dc, v, UNAWARE, f, AWARE, 0);
        }
        return;
    }

    if (s == AWARE) {
        if (!in.eng && fs->t_forget[v] < k->t1) {
            move(sim, fs, dc, v, AWARE, f, UNAWARE, 0);
            fs->recs[v] = 0;
            return;
        }
        uint32_t recs = fs->recs[v] + in.wom;
        fs->recs[v] = (uint8_t)(recs > 255 ? 255 : recs);
        int up = in.eng > 0;
        if (!up && !in.neg) {
            float r = fs->rem[v] - (float)(k->h_interest * sim->pop->susceptibility[v]);
            fs->rem[v] = r;
            up = r <= 0;
            if (!up && in.wom && recs >= (uint32_t)p->recommenders && k->rec_log_keep < 0)
                up = bz_stream_uniform(rng(sim, &ls, v)) < any_of(in.wom, k->rec_log_keep);
        }
        if (up) {
            enter_interested(sim, fs, k, &ls, v);
            move(sim, fs, dc, v, AWARE, f, INTERESTED, 0);
        }
        return;
    }

    /* Interested. */
    const int waitlisted = (f & F_WOPEN) != 0;
    if (!waitlisted) {
        if (fs->t_forget[v] < k->t1) {
            move(sim, fs, dc, v, INTERESTED, f, UNAWARE, 0);
            fs->flags[v] = 0;
            fs->recs[v] = 0;
            return;
        }
        if (in.neg && p->neg_impact > 0 &&
            bz_stream_uniform(rng(sim, &ls, v)) < any_of(in.neg, k->neg_log_keep)) {
            fs->rem[v] = (float)exp1(rng(sim, &ls, v)); /* a new interest threshold */
            fs->flags[v] = 0;
            move(sim, fs, dc, v, INTERESTED, f, AWARE, 0);
            return;
        }
    }
    if (!(f & F_WANT)) {
        float r = fs->rem[v] - (float)k->h_buy;
        fs->rem[v] = r;
        if (r <= 0) f |= F_WANT;
    }
    if (f & F_WANT) {
        bz_sim_want(sim, t, v, fs->last[v] == NO_CHANNEL ? BZ_CH_EXTERNAL : fs->last[v]);
        if (k->market_open) f |= F_WOPEN;
    }
    fs->flags[v] = f;
}

/* Deliver one word-of-mouth contact from a talker to v: the engine's
 * delivery (inbox counter, channel bit, touched list, exposure tally), or
 * for negative word of mouth the saturating inbox.neg and the touched bit
 * only (as bz_spread_batch_ex does with BZ_DELIVER_NEG). Thread-safe. */
static void contact(bz_sim *sim, bz_tally *t, uint32_t v, int channel, int neg)
{
    if (neg) {
        uint16_t *e = &sim->inbox[v].neg, o = __atomic_load_n(e, __ATOMIC_RELAXED);
        while (o != UINT16_MAX &&
               !__atomic_compare_exchange_n(e, &o, (uint16_t)(o + 1), 1, __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED)) {
        }
        bz_sim_touch(sim, t, v, 0);
        return;
    }
#pragma omp atomic
    sim->inbox[v].wom++;
    bz_sim_touch(sim, t, v, (uint32_t)1 << channel);
    t->expo[channel]++;
}

/* Neighbour j of u on layer l (every other agent on a complete layer). */
static uint32_t neighbour(const bz_layer *l, uint32_t u, uint64_t j)
{
    if (l->complete) return (uint32_t)(j < u ? j : j + 1);
    return l->targets[l->offsets[u] + j];
}

/* Talker u with weight w (talk * activity * novelty * share factor * dt)
 * makes at least one contact this step: draw its contacts from the law of
 * independent per-tie contacts with probability 1 - exp(-share_l w),
 * conditioned on at least one. The ties of all layers form one sequence
 * with per-tie hazard share_l w; the first contact is at hazard position
 * x = -log(1 - V (1 - exp(-h))), h the total, and the ties after it are
 * contacted independently by geometric skipping. Stream s is u's own. */
static void fire(bz_sim *sim, bz_tally *t, uint32_t u, double w, int kind, bz_stream *s)
{
    const size_t L = sim->net->n_layers;
    double h = 0;
    for (size_t li = 0; li < L; li++)
        h += sim->x->layers[li].share * w * (double)bz_layer_degree(&sim->net->layers[li], u);
    if (!(h > 0)) return;
    double x = -log1p(bz_stream_uniform(s) * expm1(-h)); /* in [0, h) */
    int first = 1;
    size_t last_li = 0;
    for (size_t li = 0; li < L; li++) {
        const bz_layer *l = &sim->net->layers[li];
        const double a = sim->x->layers[li].share * w;
        const uint64_t deg = bz_layer_degree(l, u);
        if (!(a > 0) || deg == 0) continue;
        last_li = li;
        const int ch = kind == KIND_REFERRAL ? BZ_CH_REFERRAL : BZ_CH_LAYER0 + (int)li;
        uint64_t j;
        if (first) {
            if (x >= a * (double)deg) { /* the first contact is on a later layer */
                x -= a * (double)deg;
                continue;
            }
            j = (uint64_t)(x / a);
            if (j >= deg) j = deg - 1;
            first = 0;
        } else {
            j = bz_stream_geometric_skip(s, -a);
        }
        for (; j < deg; j += 1 + bz_stream_geometric_skip(s, -a))
            contact(sim, t, neighbour(l, u, j), ch, kind == KIND_NEG);
    }
    if (first) { /* rounding left x at h: the last tie of the last layer */
        const bz_layer *l = &sim->net->layers[last_li];
        const int ch = kind == KIND_REFERRAL ? BZ_CH_REFERRAL : BZ_CH_LAYER0 + (int)last_li;
        contact(sim, t, neighbour(l, u, bz_layer_degree(l, u) - 1), ch, kind == KIND_NEG);
    }
}

/* Phase 1: talkers spread. Per-tie contacts of a step are independent with
 * probability 1 - exp(-share_l w), so a talker makes no contact in a step
 * with probability exp(-w tie_rate): the steps with contacts are found by
 * accumulating w tie_rate against an Exp(1) threshold (no random number
 * for the many talkers that stay silent in a step), and only then are the
 * contacts drawn (fire). Cost O(live agents + contacts). */
static void spread_phase(bz_sim *sim, fn_state *fs, const fn_step *k)
{
    const fn_params *p = k->p;
    if (!(sim->share_mult > 0)) return;
    const float *activity = sim->pop->activity;
    const double referral = sim->referral_mult, inv_nov = p->novelty > 0 ? 1.0 / p->novelty : 0;
    const int64_t nb = fs->n_blocks;
#pragma omp parallel if (sim->n_threads > 1)
    {
        bz_tally *t = bz_sim_tally(sim);
#pragma omp for schedule(dynamic, 16)
        for (int64_t b = 0; b < nb; b++) {
            if (fs->live[b] == 0) continue;
            const uint32_t lo = (uint32_t)(b << BLOCK_SHIFT);
            const uint32_t hi = b == nb - 1 ? sim->n : lo + (1u << BLOCK_SHIFT);
            for (uint32_t v = lo; v < hi; v++) {
                const uint8_t s = sim->state[v], f = fs->flags[v];
                double talk;
                int kind = KIND_WOM;
                if (s == INTERESTED)
                    talk = (f & F_WOPEN) ? p->waitlist_talk : p->interested_talk;
                else if (s == ADVOCATE) {
                    talk = 1.0;
                    if (referral > 0) {
                        talk = referral;
                        kind = KIND_REFERRAL;
                    }
                } else if (s == ADOPTER && (f & F_DISSAT)) {
                    talk = 1.0;
                    kind = KIND_NEG;
                } else
                    continue;
                if (fs->tie_rate[v] == 0) continue;
                double w = talk * activity[v] * bz_sim_share_factor(sim, v) * k->dt;
                if (inv_nov > 0) w *= exp(-(k->t0 - fs->t_since[v]) * inv_nov);
                if (!(w > 0)) continue;
                float r = fs->talk_rem[v] - (float)(w * fs->tie_rate[v]);
                if (r > 0) {
                    fs->talk_rem[v] = r;
                    continue;
                }
                bz_stream st;
                bz_stream_init(&st, sim->seed, sim->replicate, sim->step, v, BZ_RNG_MODEL + 1);
                fire(sim, t, v, w, kind, &st);
                fs->talk_rem[v] = (float)exp1(&st);
            }
        }
    }
}

static void fn_step_run(bz_sim *sim)
{
    const fn_params *p = sim->mp;
    fn_state *fs = sim->model_state;
    fn_step k = {.p = p, .t0 = sim->t0, .dt = sim->dt, .t1 = sim->t0 + sim->dt};
    const double price = bz_market_price_now(sim);
    k.appeal = (p->value > 0 && price > 0) ? fmin(1.0, pow(p->value / price, p->elasticity)) : 1.0;
    k.h_interest = p->interest * k.appeal * k.dt;
    k.h_buy = p->buy * k.appeal * k.dt;
    k.rec_log_keep = log1p(-fmin(p->recommend * k.appeal, 1.0 - 1e-16));
    k.aw_log_keep = log1p(-fmin(p->awareness, 1.0 - 1e-16));
    k.neg_log_keep = log1p(-fmin(p->neg_impact, 1.0 - 1e-16));
    k.market_open = sim->market.open_days > 0;

    spread_phase(sim, fs, &k);

    memset(fs->dcount, 0, (size_t)sim->n_threads * sizeof *fs->dcount);
    const int64_t nb = fs->n_blocks;
#pragma omp parallel if (sim->n_threads > 1)
    {
        bz_tally *t = bz_sim_tally(sim);
        int64_t *dc = fs->dcount[bz_sim_tid(sim, t)];
        /* Phase 2a: agents reached by anything this step. */
        const int64_t n_touched = (int64_t)sim->touched.reserved;
#pragma omp for schedule(dynamic, 256)
        for (int64_t i = 0; i < n_touched; i++) {
            uint32_t v = sim->touched.ids[i];
            if (v == BZ_IDLIST_HOLE || sim->state[v] >= ADOPTER) continue;
            decide(sim, fs, &k, t, dc, v, sim->inbox[v]);
        }
        /* Phase 2b: aware and interested agents nothing reached (the
         * touched ones, including those that just became aware, have a
         * nonzero mask and were decided above). */
        const bz_inbox none = {0, 0, 0, 0, 0};
#pragma omp for schedule(dynamic, 16)
        for (int64_t b = 0; b < nb; b++) {
            if (fs->live[b] == 0) continue;
            const uint32_t lo = (uint32_t)(b << BLOCK_SHIFT);
            const uint32_t hi = b == nb - 1 ? sim->n : lo + (1u << BLOCK_SHIFT);
            for (uint32_t v = lo; v < hi; v++) {
                const uint8_t s = sim->state[v];
                if ((s == AWARE || s == INTERESTED) && sim->inbox[v].mask == 0)
                    decide(sim, fs, &k, t, dc, v, none);
            }
        }
    }
    for (int th = 0; th < sim->n_threads; th++)
        for (int s = 0; s < FN_N_STATES; s++)
            sim->counts[s] += fs->dcount[th][s];
}

const bz_model_type bz_model_buzz_funnel = {
    .name = "buzz_funnel",
    .summary = "marketing funnel unaware -> aware -> interested -> adopter/advocate with word of "
               "mouth at each layer's sharing rate, forgetting, purchases through the market",
    .params = fn_param_table,
    .n_params = BZ_PARAMS_COUNT(fn_param_table),
    .params_size = sizeof(fn_params),
    .states = fn_states,
    .n_states = FN_N_STATES,
    .adopted_mask = (1u << ADOPTER) | (1u << ADVOCATE),
    .maintains_counts = 1,
    .shares = 1,
    .buys = 1,
    .init = fn_init,
    .step = fn_step_run,
    .seed = fn_seed,
    .adopt = fn_adopt,
    .destroy = fn_destroy,
};

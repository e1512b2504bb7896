/* Social game: a game with fan rewards over [at, at + period) (period 0:
 * until the horizon). Xiaomi ran social games that paid fans for sharing.
 *
 * Recruitment, in daily rounds: at at + k (k = 0, 1, ... before the end),
 * every agent in an `eligible` state (names of the model's states, e.g.
 * aware, interested, adopter, advocate) that has not played yet joins with
 * probability 1 - exp(-participation x d), d the round's length (a day,
 * less for the last). The draws come from campaign stream (k, block of
 * 65,536 agents), skipping geometrically to the candidates, and do not
 * depend on the agents' states (common random numbers): O(candidates +
 * blocks) per round.
 *
 * Play. A player's sharing is multiplied by `boost` (the per-agent boost
 * lever, engine/sim.h) from its join until it quits: it tires of the game
 * at rate `fatigue` per day (play time Exp(fatigue), from campaign stream
 * (QUIT, agent); 0: plays until the end), and the game ends at the end of
 * the period. Each agent plays once. On average the players still playing d
 * days after joining fall as exp(-fatigue d), and so do their shares.
 * Boosts act on models that share (check() refuses the others); a player
 * who does not talk (an aware agent in buzz_funnel) shares only once it
 * starts talking, while still playing.
 *
 * Rewards. Every word-of-mouth contact a player makes while playing (the
 * model's bz_sim_shared() hook: one call per contact) is a share, paid
 * `reward`: cost = fee + reward x shares, kept in that form so the identity
 * is exact. A dissatisfied adopter who plays shares negative word of mouth
 * and is paid for it too: the game pays for posts, not their tone.
 * Memory: 5 bytes per agent. O(1) per contact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"
#include "engine/levers.h"
#include "engine/model.h"
#include "engine/sim.h"
#include "util.h"
#include "base/text.h"

typedef struct game_params {
    double at, period, participation, boost, fatigue, reward, fee;
    char eligible[BZ_NAME_MAX];
} game_params;

static const bz_param game_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "start of the game", offsetof(game_params, at),
     NULL},
    {"period", BZ_PT_DURATION, 0, 1e7, "14d", "days",
     "length of the game (0: until the horizon); recruitment rounds run daily over it",
     offsetof(game_params, period), NULL},
    {"participation", BZ_PT_RATE, 0, 1e6, "0.1", "per day",
     "rate at which eligible agents join the game (0.1/day: about 10% of them in the first day, "
     "a quarter within three days)",
     offsetof(game_params, participation), NULL},
    {"boost", BZ_PT_REAL, 1, 1000, "2", "factor",
     "multiplies a player's sharing while it plays (2 is an assumption to calibrate: the game "
     "gives players something to post)",
     offsetof(game_params, boost), NULL},
    {"fatigue", BZ_PT_RATE, 0, 1e6, "0.2", "per day",
     "rate at which players tire of the game and quit (0.2/day: a mean play of 5 days; 0: they "
     "play until the game ends)",
     offsetof(game_params, fatigue), NULL},
    {"reward", BZ_PT_REAL, 0, 1e12, "0.5", "currency per share",
     "paid for each word-of-mouth contact a player makes while playing (points or coupons)",
     offsetof(game_params, reward), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of the game (development, prizes)",
     offsetof(game_params, fee), NULL},
    {"eligible", BZ_PT_STRING, 0, 0, "aware interested adopter advocate", "states",
     "model states (space-separated names) whose agents may be recruited: those who have heard "
     "of the product",
     offsetof(game_params, eligible), NULL},
};

/* Campaign stream index of the quitting times (rounds use 0, 1, ...). */
#define QUIT 0xFFFFFFFFu

typedef struct game_state {
    uint8_t eligible[BZ_MAX_STATES]; /* 1: state may join */
    uint8_t *played;                 /* [n] 1: joined once */
    float *until;                    /* [n] end of its play (the boost's end), 0 if none */
    double end;
    int64_t shares; /* contacts made by players while playing */
} game_state;

/* Parse p->eligible into mask[model states]; BZ_EINVAL naming a state the
 * model does not have. */
static int eligible_states(const game_params *p, const bz_model_type *model, uint8_t *mask,
                           bz_error *err)
{
    memset(mask, 0, BZ_MAX_STATES);
    const char *s = p->eligible;
    int any = 0;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        const size_t len = strcspn(s, " ,");
        if (len == 0) break;
        int found = -1;
        for (int q = 0; q < model->n_states && found < 0; q++)
            if (strlen(model->states[q]) == len && strncmp(model->states[q], s, len) == 0)
                found = q;
        if (found < 0) {
            char known[256] = "";
            for (size_t q = 0, used = 0; q < (size_t)model->n_states; q++)
                used = bz_text_add(known, sizeof known, used, ", ", "%s", model->states[q]);
            return bz_error_set_param(err, BZ_EINVAL, "eligible",
                                      "model '%s' has no state '%.*s' (%s)", model->name, (int)len,
                                      s, known);
        }
        mask[found] = 1;
        any = 1;
        s += len;
    }
    if (!any)
        return bz_error_set_param(err, BZ_EINVAL, "eligible",
                                  "expected one or more state names of model '%s', got '%s'",
                                  model->name, p->eligible);
    return BZ_OK;
}

static int game_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const game_params *p = params;
    uint8_t mask[BZ_MAX_STATES];
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    return eligible_states(p, x->model, mask, err);
}

static int game_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const game_params *p = run->params;
    game_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    int status = eligible_states(p, sim->model, st->eligible, err);
    if (status != BZ_OK) return status;
    st->played = calloc(sim->n ? sim->n : 1, 1);
    st->until = calloc(sim->n ? sim->n : 1, sizeof *st->until);
    if (!st->played || !st->until)
        return bz_error_oom(err, NULL, (size_t)(sim->n ? sim->n : 1) * (1 + sizeof *st->until),
                            "the players of %u agents", sim->n);
    if ((status = bz_sim_boost_enable(sim, err)) != BZ_OK) return status;
    st->end = bz_campaign_end(sim, p->at, p->period);
    run->cost = p->fee; /* at is before the horizon (check) */
    if (p->participation > 0) bz_sim_schedule_campaign(sim, run, p->at, 0);
    return BZ_OK;
}

/* Agent v joins now and plays until it tires or the game ends. */
static void join(bz_sim *sim, bz_campaign_run *run, game_state *st, uint32_t v)
{
    const game_params *p = run->params;
    double until = st->end;
    if (p->fatigue > 0) {
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, QUIT, v);
        until = fmin(until, sim->t + bz_stream_exp1(&s) / p->fatigue);
    }
    st->played[v] = 1;
    st->until[v] = (float)until;
    if (!(st->until[v] > sim->t)) return; /* tired at once */
    bz_sim_boost(sim, v, p->boost, until);
}

/* Round k at at + k: recruitment among eligible agents who have not played. */
static void game_act(bz_sim *sim, bz_campaign_run *run, uint32_t k)
{
    const game_params *p = run->params;
    game_state *st = run->state;
    const double a = sim->t, b = fmin(a + BZ_CAMPAIGN_CHUNK, st->end);
    const double q = -expm1(-p->participation * (b - a));
    if (q > 0) {
        const double inv_lq = q < 1 ? 1.0 / log1p(-q) : 0;
        for (uint64_t lo = 0; lo < sim->n; lo += BZ_CAMPAIGN_BLOCK) {
            const uint64_t hi = lo + BZ_CAMPAIGN_BLOCK < sim->n ? lo + BZ_CAMPAIGN_BLOCK : sim->n;
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, k, (uint32_t)(lo / BZ_CAMPAIGN_BLOCK));
            for (uint64_t v = lo + (q < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0); v < hi;
                 v += 1 + (q < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0))
                if (!st->played[v] && st->eligible[sim->state[v]]) join(sim, run, st, (uint32_t)v);
        }
    }
    if (b < st->end) bz_sim_schedule_campaign(sim, run, b, k + 1);
}

/* A share: talker v's contact now, paid if v plays. */
static void game_shared(bz_sim *sim, bz_campaign_run *run, uint32_t v)
{
    const game_params *p = run->params;
    game_state *st = run->state;
    if (!((double)st->until[v] > sim->t) || !st->played[v]) return;
    st->shares++;
    run->cost = p->fee + p->reward * (double)st->shares;
}

static void game_finish(bz_campaign_run *run)
{
    game_state *st = run->state;
    if (!st) return;
    free(st->played);
    free(st->until);
    free(st);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_social_game = {
    .name = "social_game",
    .summary = "a game recruits players among those who know the product; players share more "
               "until they tire; a reward per share",
    .params = game_param_table,
    .n_params = BZ_PARAMS_COUNT(game_param_table),
    .params_size = sizeof(game_params),
    .levers = BZ_LEVER_BOOST,
    .check = game_check,
    .start = game_start,
    .act = game_act,
    .shared = game_shared,
    .finish = game_finish,
};

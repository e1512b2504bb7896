/* Campaign levers: the ways a campaign acts on a simulation (engine/sim.h,
 * engine/market.h), as bits of a mask.
 *
 * A campaign type declares the levers it may use (bz_campaign_type.levers)
 * and, for a lever it uses only for some parameter values, the conditions
 * (bz_campaign_type.lever_conds); a diffusion model declares the levers it
 * honours (bz_model_type.honours): what the lever means in it is more
 * than nothing, and tests/unit/test_levers.c checks that each one changes
 * an outcome. The config layer refuses an arm whose campaign needs a lever
 * the model does not honour, naming the campaign entry, the lever and the
 * models that honour it. bz_lever_defs is the one table of names and
 * meanings: messages, `buzzsim models` and the docs come from it.
 */
#ifndef BZ_LEVERS_H
#define BZ_LEVERS_H

#include <stddef.h>
#include <stdint.h>

#include "base/params.h"

enum bz_lever {
    BZ_LEVER_EXPOSE = 1u << 0,    /* bz_sim_expose, bz_sim_expose_at, bz_sim_reach */
    BZ_LEVER_ENGAGE = 1u << 1,    /* bz_sim_expose with BZ_EXPOSE_ENGAGE */
    BZ_LEVER_SEED = 1u << 2,      /* bz_sim_seed */
    BZ_LEVER_BOOST = 1u << 3,     /* bz_sim_boost */
    BZ_LEVER_URGENCY = 1u << 4,   /* bz_sim_share_interval(referral = 0) */
    BZ_LEVER_REFERRAL = 1u << 5,  /* bz_sim_share_interval(referral = 1), referred purchases */
    BZ_LEVER_SALE = 1u << 6,      /* bz_market_add_window, bz_market_add_access */
    BZ_LEVER_PROGRAMME = 1u << 7, /* sim->community, sim->service (engine/sim.h) */
    BZ_LEVER_PERSUADE = 1u << 8   /* bz_sim_set_persuasion */
};
#define BZ_N_LEVERS 9
#define BZ_LEVERS_ALL ((1u << BZ_N_LEVERS) - 1)

typedef struct bz_lever_def {
    uint32_t bit;
    const char *name; /* one word, as in messages and docs */
    const char *call; /* the engine call a campaign makes */
    const char *desc; /* what it does */
} bz_lever_def;

/* One row per lever, in bit order. */
extern const bz_lever_def bz_lever_defs[BZ_N_LEVERS];

/* The definition of the lowest bit of `mask`; NULL if mask has no lever. */
const bz_lever_def *bz_lever_def_of(uint32_t mask);

/* "expose, seed" (bit order), "none" for an empty mask, into buf. Returns buf. */
char *bz_levers_format(uint32_t mask, char *buf, size_t size);

/* A campaign uses `lever` only while the numeric parameter `param` (INT,
 * REAL, PROB, RATE, DURATION or BOOL) differs from `off`. A lever with
 * several conditions is used only while every one of them holds. */
typedef struct bz_lever_cond {
    uint32_t lever;
    const char *param;
    double off;
} bz_lever_cond;

/* The value of numeric parameter p in params (a params struct); NaN for a
 * non-numeric parameter. */
double bz_param_number(const bz_param *p, const void *params);

#endif

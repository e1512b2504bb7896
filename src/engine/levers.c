/* The lever table and the levers a configured campaign uses (see levers.h). */
#include "engine/levers.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/campaign.h"
#include "base/text.h"

const bz_lever_def bz_lever_defs[BZ_N_LEVERS] = {
    {BZ_LEVER_EXPOSE, "expose", "bz_sim_expose, bz_sim_reach",
     "one campaign exposure of an agent, at its time, on a channel; the model decides what it "
     "does (a response probability, awareness)"},
    {BZ_LEVER_ENGAGE, "engage", "bz_sim_expose(BZ_EXPOSE_ENGAGE)",
     "a face-to-face exposure, stronger than a plain one (buzz_funnel: the agent becomes "
     "interested at once)"},
    {BZ_LEVER_SEED, "seed", "bz_sim_seed",
     "the agent becomes an adopter (advocate, infectious, active) now without buying: a gift, "
     "counted in `gifted`"},
    {BZ_LEVER_BOOST, "boost", "bz_sim_boost",
     "multiplies one agent's word-of-mouth sharing until a date"},
    {BZ_LEVER_URGENCY, "urgency", "bz_sim_share_interval(referral = 0)",
     "multiplies every talker's sharing over an interval [a, b) of the sharing schedule"},
    {BZ_LEVER_REFERRAL, "referral", "bz_sim_share_interval(referral = 1)",
     "over [a, b) advocates share more, their contacts are channel referral and the purchases "
     "they cause are marked referred"},
    {BZ_LEVER_SALE, "sale", "bz_market_add_window",
     "a sale window of the market: stock added and a discount over [start, end), for models "
     "whose adoption is a purchase; or an access window (only an audience may buy)"},
    {BZ_LEVER_PROGRAMME, "programme", "bz_sim_community_open, bz_sim_service_open",
     "a relationship programme: a brand community interested agents join, customer service "
     "that reaches dissatisfied buyers before they talk"},
    {BZ_LEVER_PERSUADE, "persuade", "bz_sim_set_persuasion",
     "a campaign channel's own persuasion: the chance that one exposure makes an aware agent "
     "interested"},
};

const bz_lever_def *bz_lever_def_of(uint32_t mask)
{
    for (int k = 0; k < BZ_N_LEVERS; k++)
        if (mask & bz_lever_defs[k].bit) return &bz_lever_defs[k];
    return NULL;
}

char *bz_levers_format(uint32_t mask, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0) return buf;
    buf[0] = '\0';
    for (int k = 0; k < BZ_N_LEVERS; k++)
        if (mask & bz_lever_defs[k].bit)
            used = bz_text_add(buf, size, used, ", ", "%s", bz_lever_defs[k].name);
    if (used == 0) snprintf(buf, size, "none");
    return buf;
}

double bz_param_number(const bz_param *p, const void *params)
{
    const char *at = (const char *)params + p->offset;
    switch (p->type) {
    case BZ_PT_INT: {
        int64_t v;
        memcpy(&v, at, sizeof v);
        return (double)v;
    }
    case BZ_PT_REAL:
    case BZ_PT_PROB:
    case BZ_PT_RATE:
    case BZ_PT_DURATION: {
        double v;
        memcpy(&v, at, sizeof v);
        return v;
    }
    case BZ_PT_BOOL: {
        int v;
        memcpy(&v, at, sizeof v);
        return (double)v;
    }
    default:
        return NAN;
    }
}

/* Whether condition k of t holds with params (an unknown parameter holds:
 * the lever is assumed used). */
static int cond_holds(const bz_campaign_type *t, const void *params, size_t k)
{
    const bz_lever_cond *c = &t->lever_conds[k];
    const bz_param *p = bz_params_find(t->params, t->n_params, c->param);
    return !p || bz_param_number(p, params) != c->off;
}

uint32_t bz_campaign_levers(const bz_campaign_type *t, const void *params)
{
    uint32_t m = t->levers;
    for (size_t k = 0; k < t->n_lever_conds; k++)
        if (!cond_holds(t, params, k)) m &= ~t->lever_conds[k].lever;
    return m;
}

char *bz_campaign_lever_why(const bz_campaign_type *t, const void *params, uint32_t lever,
                            char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0) return buf;
    buf[0] = '\0';
    for (size_t k = 0; k < t->n_lever_conds; k++) {
        if (!(t->lever_conds[k].lever & lever)) continue;
        const bz_param *p = bz_params_find(t->params, t->n_params, t->lever_conds[k].param);
        if (!p) continue;
        char v[64];
        used = bz_text_add(buf, size, used, ", ", "%s %s", p->name,
                           bz_param_format(p, params, v, sizeof v));
    }
    return buf;
}

/* Brand community (depth): a forum where interested agents find detailed
 * information (Xiaomi's MIUI forum, where fans discussed every release).
 *
 * While it runs ([at, at + duration), duration 0: until the horizon), an
 * agent that becomes interested joins with probability `join`, at that
 * moment (sim.h bz_community; membership is kept through every later
 * change). A member buys at `buy_lift` times its buying hazard (the
 * information answers its questions: interest turns into purchase sooner
 * and, with forgetting, more often) and, once it has bought, advocates
 * with probability at least `advocate`. The model does the joining
 * (buzz_funnel; others refuse the campaign).
 *
 * Cost: fee (once, at the start) + per_member x members who joined.
 * Complexity: O(1) per agent that becomes interested while it runs; no
 * events of its own.
 */
#include "engine/campaign.h"
#include "engine/levers.h"
#include "engine/sim.h"
#include "util.h"

typedef struct com_params {
    double at, duration, join, buy_lift, advocate, fee, per_member;
} com_params;

static const bz_param com_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the community opens (0: at launch)",
     offsetof(com_params, at), NULL},
    {"duration", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "how long it runs (0: until the horizon, as brand forums stay open)",
     offsetof(com_params, duration), NULL},
    {"join", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that an agent who becomes interested while it runs joins (an assumption to "
     "calibrate: a fifth of interested buyers look for a forum)",
     offsetof(com_params, join), NULL},
    {"buy_lift", BZ_PT_REAL, 0, 1000, "2", "factor",
     "multiplies a member's buying hazard (detailed information answers its questions; 2 is an "
     "assumption to calibrate)",
     offsetof(com_params, buy_lift), NULL},
    {"advocate", BZ_PT_PROB, 0, 1, "0.6", "probability",
     "chance that a member who bought advocates, when above the model's `advocate` (members are "
     "the engaged core: about twice the share of promoters among buyers)",
     offsetof(com_params, advocate), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of running the community",
     offsetof(com_params, fee), NULL},
    {"per_member", BZ_PT_REAL, 0, 1e12, "2", "currency per member",
     "cost of each member who joins (moderation, content, support)",
     offsetof(com_params, per_member), NULL},
};

static int com_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const com_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    return BZ_OK;
}

static int com_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const com_params *p = run->params;
    if (sim->community.run)
        return bz_error_set(err, BZ_EINVAL,
                            "campaign community: an arm has at most one brand community "
                            "(campaigns %u and %u)",
                            sim->community.run->index, run->index);
    sim->community = (bz_community){.run = run,
                                    .from = p->at,
                                    .until = bz_campaign_end(sim, p->at, p->duration),
                                    .join = p->join,
                                    .buy_lift = p->buy_lift,
                                    .advocate = p->advocate,
                                    .per_member = p->per_member};
    run->cost += p->fee;
    return BZ_OK;
}

static void com_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    (void)sim, (void)run, (void)tag; /* the model does the joining */
}

const bz_campaign_type bz_campaign_community = {
    .name = "community",
    .summary = "brand community: interested agents join, members buy sooner and advocate more; "
               "fee + cost per member",
    .params = com_param_table,
    .n_params = BZ_PARAMS_COUNT(com_param_table),
    .params_size = sizeof(com_params),
    .levers = BZ_LEVER_PROGRAMME,
    .check = com_check,
    .start = com_start,
    .act = com_act,
};

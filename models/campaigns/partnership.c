/* Partnership: at one time a partner's audience sees the launch (an
 * exclusive on a partner network, a delivery partner's customers). The
 * audience is a share of the agents of the chosen cities, fixed per replicate
 * (each agent's membership is drawn once from its own stream); each member is
 * exposed with probability `reach` through the `expose` lever, channel
 * partnership. Cost: a flat fee. O(agents of the chosen cities) once. */
#include <stdlib.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct partner_params {
    double at, share, reach, cost;
    bz_cityset cities;
} partner_params;

static const bz_param partner_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the partner's audience sees the launch",
     offsetof(partner_params, at), NULL},
    {"share", BZ_PT_PROB, 0, 1, "0.1", "probability",
     "share of the agents (of the chosen cities) in the partner's audience",
     offsetof(partner_params, share), NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "all", "cities", "where the partner operates",
     offsetof(partner_params, cities), NULL},
    {"reach", BZ_PT_PROB, 0, 1, "0.5", "probability",
     "chance that an audience member sees the launch", offsetof(partner_params, reach), NULL},
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency", "flat fee of the partnership",
     offsetof(partner_params, cost), NULL},
};

static int partner_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const partner_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set(err, BZ_EINVAL, "at: %g days is not before the horizon (%g days)",
                            p->at, x->horizon);
    return BZ_OK;
}

static int partner_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const partner_params *p = run->params;
    uint8_t *in = calloc(sim->pop->n_cities, 1);
    if (!in) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = in;
    bz_sim_schedule_campaign(sim, run, p->at, 0);
    return bz_cityset_mark(&p->cities, sim->pop->n_cities, in, err);
}

static void partner_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    (void)tag;
    const partner_params *p = run->params;
    const uint8_t *in_city = run->state;
    run->cost += p->cost;
    for (uint32_t v = 0; v < sim->n; v++) {
        if (!in_city[sim->pop->city[v]]) continue;
        /* Membership and exposure from the agent's own stream of this
         * campaign: the same audience in every arm (common random numbers). */
        bz_stream s;
        bz_sim_campaign_stream(sim, run, &s, 0, v);
        if (!(bz_stream_uniform(&s) < p->share)) continue;
        if (bz_stream_uniform(&s) < p->reach) bz_sim_expose(sim, v, BZ_CH_PARTNERSHIP, 0);
    }
}

static void partner_finish(bz_campaign_run *run)
{
    free(run->state);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_partnership = {
    .name = "partnership",
    .summary = "a partner's audience (a share of agents, in chosen cities) sees the launch once",
    .params = partner_param_table,
    .n_params = BZ_PARAMS_COUNT(partner_param_table),
    .params_size = sizeof(partner_params),
    .levers = BZ_LEVER_EXPOSE,
    .check = partner_check,
    .start = partner_start,
    .act = partner_act,
    .finish = partner_finish,
};

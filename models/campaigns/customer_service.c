/* Customer service (relationship): the WeChat account where buyers with a
 * problem are answered.
 *
 * While it runs ([at, at + duration), duration 0: until the horizon), each
 * buyer who turns out dissatisfied is reached before it talks with
 * probability `resolve`: resolved, it becomes a silent adopter, or an
 * advocate with probability `recover` (the service recovery paradox:
 * a problem solved well makes a promoter); unresolved, it talks
 * negatively as without the service (sim.h bz_service; the model applies
 * it at the purchase: buzz_funnel; others refuse the campaign).
 *
 * Cost: fee (once, at the start) + per_case x dissatisfied buyers handled
 * (resolved or not: every case takes an agent's time).
 * Complexity: O(1) per dissatisfied purchase; no events of its own.
 */
#include "engine/campaign.h"
#include "engine/levers.h"
#include "engine/sim.h"
#include "util.h"

typedef struct svc_params {
    double at, duration, resolve, recover, fee, per_case;
} svc_params;

static const bz_param svc_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "when the service starts (0: at launch)",
     offsetof(svc_params, at), NULL},
    {"duration", BZ_PT_DURATION, 0, 1e7, "0d", "days", "how long it runs (0: until the horizon)",
     offsetof(svc_params, duration), NULL},
    {"resolve", BZ_PT_PROB, 0, 1, "0.6", "probability",
     "chance that a dissatisfied buyer's problem is solved before it talks (an assumption to "
     "calibrate against complaint-resolution rates)",
     offsetof(svc_params, resolve), NULL},
    {"recover", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that a resolved buyer becomes an advocate (service recovery)",
     offsetof(svc_params, recover), NULL},
    {"fee", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of running the service",
     offsetof(svc_params, fee), NULL},
    {"per_case", BZ_PT_REAL, 0, 1e12, "15", "currency per case",
     "cost of handling one dissatisfied buyer (an agent's time, a replacement part)",
     offsetof(svc_params, per_case), NULL},
};

static int svc_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const svc_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    return BZ_OK;
}

static int svc_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const svc_params *p = run->params;
    if (sim->service.run)
        return bz_error_set(err, BZ_EINVAL,
                            "campaign customer_service: an arm has at most one customer service "
                            "(campaigns %u and %u)",
                            sim->service.run->index, run->index);
    sim->service = (bz_service){.run = run,
                                .from = p->at,
                                .until = bz_campaign_end(sim, p->at, p->duration),
                                .resolve = p->resolve,
                                .recover = p->recover,
                                .per_case = p->per_case};
    run->cost += p->fee;
    return BZ_OK;
}

static void svc_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    (void)sim, (void)run, (void)tag; /* applied by the model at each purchase */
}

const bz_campaign_type bz_campaign_customer_service = {
    .name = "customer_service",
    .summary = "customer service: dissatisfied buyers reached before they talk, some turned into "
               "advocates; fee + cost per case",
    .params = svc_param_table,
    .n_params = BZ_PARAMS_COUNT(svc_param_table),
    .params_size = sizeof(svc_params),
    .levers = BZ_LEVER_PROGRAMME,
    .check = svc_check,
    .start = svc_start,
    .act = svc_act,
};

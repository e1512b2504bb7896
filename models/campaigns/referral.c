/* Referral: a programme that rewards advocates for the friends they bring
 * (Xiaomi rewarded its advocates), running over [at, at + duration)
 * (duration 0: until the horizon).
 *
 * While it runs, advocates talk `share_mult` times more and their contacts
 * are channel referral (an interval of the sharing schedule, engine/sim.h:
 * it starts and ends at its exact times): the referral lever
 * (engine/levers.h), which only models that honour it may be given (the
 * config layer refuses the others).
 *
 * Rewards are paid per actual referral, not per last-touch label: a
 * purchase, while the programme runs, by an agent whose interest came from
 * a referral contact (buzz_funnel: the recommendation that made it
 * interested was an advocate's during the programme). Last touch would
 * also pay for buyers who were already interested when a referral contact
 * happened to reach them.
 *
 * Cost: `cost` (flat, once if the programme starts before the horizon) +
 * `reward` x referred purchases. With several referral programmes running
 * at once the sharing multiplier is the largest of theirs and each referred
 * purchase is paid once, by the first programme of the arm that runs then.
 * Complexity: O(campaigns of the arm) per purchase.
 */
#include <math.h>
#include <stdlib.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct ref_params {
    double at, duration, share_mult, reward, cost;
} ref_params;

static const bz_param ref_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "start of the programme (0: from launch, when advocates first appear)",
     offsetof(ref_params, at), NULL},
    {"duration", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "length of the programme (0: until the horizon, as standing referral programmes run)",
     offsetof(ref_params, duration), NULL},
    {"share_mult", BZ_PT_REAL, 1, 1000, "2", "factor",
     "multiplies advocates' sharing while the programme runs (the reward makes them talk more; "
     "2 is an assumption to calibrate, 1 pays rewards without changing behaviour)",
     offsetof(ref_params, share_mult), NULL},
    {"reward", BZ_PT_REAL, 0, 1e12, "10", "currency per adoption",
     "paid for each referred purchase (a buyer whose interest came from a referral contact; a "
     "coupon worth about 0.5% of a 1999 phone)",
     offsetof(ref_params, reward), NULL},
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "flat cost of running the programme (platform, promotion); 0: only rewards are paid",
     offsetof(ref_params, cost), NULL},
};

extern const bz_campaign_type bz_campaign_referral;

static int ref_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const ref_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    return BZ_OK;
}

static int ref_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const ref_params *p = run->params;
    run->cost += p->cost;
    return bz_sim_share_interval(sim, p->at, bz_campaign_end(sim, p->at, p->duration),
                                 p->share_mult, run->index, 1, err);
}

static int ref_active(const bz_sim *sim, const bz_campaign_run *run)
{
    const ref_params *p = run->params;
    return sim->t >= p->at && sim->t < bz_campaign_end(sim, p->at, p->duration);
}

static void ref_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    (void)sim, (void)run, (void)tag; /* the programme schedules no actions */
}

static void ref_purchase(bz_sim *sim, bz_campaign_run *run, uint32_t v, int referred)
{
    (void)v;
    const ref_params *p = run->params;
    if (!referred || !ref_active(sim, run)) return;
    for (size_t i = 0; i < sim->n_campaigns; i++) {
        const bz_campaign_run *o = &sim->campaigns[i];
        if (o->index < run->index && o->type == &bz_campaign_referral && ref_active(sim, o))
            return; /* an earlier programme of the arm pays for this referral */
    }
    run->cost += p->reward;
}

const bz_campaign_type bz_campaign_referral = {
    .name = "referral",
    .summary = "advocates share more while the programme runs and are rewarded per referred "
               "adoption",
    .params = ref_param_table,
    .n_params = BZ_PARAMS_COUNT(ref_param_table),
    .params_size = sizeof(ref_params),
    .levers = BZ_LEVER_REFERRAL,
    .check = ref_check,
    .start = ref_start,
    .act = ref_act,
    .purchase = ref_purchase,
};

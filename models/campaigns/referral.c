/* Referral: a programme that rewards advocates for the friends they bring
 * (Xiaomi rewarded its advocates), running over [at, at + duration)
 * (duration 0: until the horizon).
 *
 * While it runs, act() sets sim->referral_mult to `share_mult`: the reward
 * makes advocates share more, and models that share (bz_model_type.shares,
 * e.g. buzz_funnel) multiply their advocates' sharing by it and attribute
 * the contacts, and the adoptions they tip, to channel referral. Models that
 * do not share would ignore the programme, so check() refuses them.
 *
 * Cost: `cost` (flat, charged in the first step the programme runs) +
 * `reward` x the adoptions attributed to channel referral in each step it
 * runs (settle(), from sim->step_adopt[BZ_CH_REFERRAL]). With several
 * referral programmes running at once the sharing multiplier is the largest
 * of theirs and each referred adoption is paid once, by the first programme
 * of the arm that runs in that step, so rewards are not double counted.
 * Complexity: O(1) per step (O(campaigns of the arm) in settle()).
 */
#include <math.h>
#include <stdlib.h>

#include "core/campaign.h"
#include "core/sim.h"
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
     "paid for each adoption attributed to channel referral (a coupon worth about 0.5% of a "
     "1999 phone)",
     offsetof(ref_params, reward), NULL},
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "flat cost of running the programme (platform, promotion); 0: only rewards are paid",
     offsetof(ref_params, cost), NULL},
};

extern const bz_campaign_type bz_campaign_referral;

typedef struct ref_state {
    int charged;
} ref_state;

static int ref_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const ref_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set(err, BZ_EINVAL, "at: %g days is not before the horizon (%g days)",
                            p->at, x->horizon);
    if (!x->model->shares)
        return bz_error_set(err, BZ_EINVAL,
                            "campaign referral: model '%s' does not honour sharing levers; "
                            "referral needs a model whose word of mouth honours sharing levers, "
                            "e.g. buzz_funnel",
                            x->model->name);
    return BZ_OK;
}

static int ref_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    (void)sim;
    ref_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = st;
    return BZ_OK;
}

static int ref_active(const bz_sim *sim, const bz_campaign_run *run)
{
    const ref_params *p = run->params;
    return bz_window_overlap(sim, p->at, p->duration) > 0;
}

static void ref_act(bz_sim *sim, bz_campaign_run *run)
{
    const ref_params *p = run->params;
    ref_state *st = run->state;
    if (!ref_active(sim, run)) return;
    if (!st->charged) {
        run->cost += p->cost;
        st->charged = 1;
    }
    /* The engine resets referral_mult to 0 before campaigns act. */
    sim->referral_mult = fmax(sim->referral_mult, p->share_mult);
}

static void ref_settle(bz_sim *sim, bz_campaign_run *run)
{
    const ref_params *p = run->params;
    if (!ref_active(sim, run)) return;
    for (size_t i = 0; i < run->index && i < sim->n_campaigns; i++)
        if (sim->campaigns[i].type == &bz_campaign_referral && ref_active(sim, &sim->campaigns[i]))
            return; /* an earlier programme pays for this step's referrals */
    run->cost += p->reward * (double)sim->step_adopt[BZ_CH_REFERRAL];
}

static void ref_finish(bz_campaign_run *run)
{
    free(run->state);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_referral = {
    .name = "referral",
    .summary = "advocates share more while the programme runs and are rewarded per referred "
               "adoption",
    .params = ref_param_table,
    .n_params = BZ_PARAMS_COUNT(ref_param_table),
    .params_size = sizeof(ref_params),
    .check = ref_check,
    .start = ref_start,
    .act = ref_act,
    .settle = ref_settle,
    .finish = ref_finish,
};

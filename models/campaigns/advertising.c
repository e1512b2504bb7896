/* Advertising: during [at, at + duration) (duration 0: until the horizon)
 * each targeted agent is exposed as a Poisson process of rate `reach` per
 * day, at exact times. Exposures use the `expose` lever, so every
 * diffusion model decides what an exposure does.
 *
 * Sampling: one action per day-long chunk of the campaign (chunk k of the
 * campaign draws from stream index k), in fixed blocks of 65,536 agents
 * skipping geometrically to the exposed ones (util.h): O(exposures +
 * blocks) per chunk, the same draws whatever time.step.
 * Cost: fixed + cpm per thousand exposures (those before the horizon).
 */
#include <math.h>
#include <stdlib.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct ad_params {
    double at, duration, reach, cpm, fixed, persuasion;
    bz_cityset cities;
} ad_params;

static const bz_param ad_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "start of the campaign", offsetof(ad_params, at),
     NULL},
    {"duration", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "length of the campaign (0: until the horizon)", offsetof(ad_params, duration), NULL},
    {"reach", BZ_PT_RATE, 0, 1e6, "0.05", "per day",
     "exposure rate of each targeted agent (0.05/day: about a third of the audience sees an ad in "
     "a week)",
     offsetof(ad_params, reach), NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "all", "cities", "where the ads run: all, {top: N} or a list",
     offsetof(ad_params, cities), NULL},
    {"cpm", BZ_PT_REAL, 0, 1e12, "10", "currency per 1000 exposures",
     "media cost per thousand exposures", offsetof(ad_params, cpm), NULL},
    {"persuasion", BZ_PT_PROB, 0, 1, "0", "probability",
     "chance that one ad makes an agent who already knows the product interested (0: ads only "
     "inform)",
     offsetof(ad_params, persuasion), NULL},
    {"fixed", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost (creative, agency)",
     offsetof(ad_params, fixed), NULL},
};

typedef struct ad_state {
    uint8_t *targeted; /* [n_cities]: 1 if the city is in the campaign */
} ad_state;

static int ad_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const ad_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
    return BZ_OK;
}

static int ad_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    bz_sim_set_persuasion(sim, BZ_CH_ADVERTISING, ((const ad_params *)run->params)->persuasion);
    const ad_params *p = run->params;
    ad_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    st->targeted = calloc(sim->pop->n_cities, 1);
    if (!st->targeted)
        return bz_error_oom(err, run->type->name, sim->pop->n_cities, "the marks of %u cities",
                            sim->pop->n_cities);
    bz_sim_schedule_campaign(sim, run, p->at, 0);
    return bz_cityset_mark(&p->cities, sim->pop->n_cities, st->targeted, err);
}

/* Chunk k: the exposures of [at + k, at + k + 1) (within the campaign). */
static void ad_act(bz_sim *sim, bz_campaign_run *run, uint32_t k)
{
    const ad_params *p = run->params;
    ad_state *st = run->state;
    const double end = bz_campaign_end(sim, p->at, p->duration);
    const double a = p->at + (double)k * BZ_CAMPAIGN_CHUNK;
    const double b = fmin(a + BZ_CAMPAIGN_CHUNK, end);
    if (k == 0) run->cost += p->fixed;
    int64_t made =
        bz_campaign_expose_rate(sim, run, a, b, p->reach, st->targeted, BZ_CH_ADVERTISING, k);
    run->cost += p->cpm * (double)made / 1000.0;
    if (b < end) bz_sim_schedule_campaign(sim, run, b, k + 1);
}

static void ad_finish(bz_campaign_run *run)
{
    ad_state *st = run->state;
    if (!st) return;
    free(st->targeted);
    free(st);
    run->state = NULL;
}

/* Persuasion only when given. */
static const bz_lever_cond ad_lever_conds[] = {{BZ_LEVER_PERSUADE, "persuasion", 0}};

const bz_campaign_type bz_campaign_advertising = {
    .name = "advertising",
    .summary = "ads expose targeted agents at a rate during a window; cost fixed + CPM",
    .params = ad_param_table,
    .n_params = BZ_PARAMS_COUNT(ad_param_table),
    .params_size = sizeof(ad_params),
    .levers = BZ_LEVER_EXPOSE | BZ_LEVER_PERSUADE,
    .lever_conds = ad_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(ad_lever_conds),
    .check = ad_check,
    .start = ad_start,
    .act = ad_act,
    .finish = ad_finish,
};

/* Advertising: during a window, each targeted agent is exposed at a rate
 * (per day), i.e. with probability 1 - exp(-reach * overlap) in a step that
 * overlaps the window by `overlap` days. Exposures use the `expose` lever, so
 * every diffusion model decides what an exposure does.
 *
 * Sampling: agents are taken in fixed blocks of 65,536; each block skips
 * geometrically through its agents with its own stream, so the cost is
 * O(exposures + blocks) and the draws do not depend on the thread count.
 * Cost: fixed + cpm per thousand exposures.
 */
#include <math.h>
#include <stdlib.h>

#include "core/campaign.h"
#include "core/sim.h"
#include "util.h"

typedef struct ad_params {
    double at, duration, reach, cpm, fixed;
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
    {"fixed", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost (creative, agency)",
     offsetof(ad_params, fixed), NULL},
};

typedef struct ad_state {
    uint8_t *targeted; /* [n_cities]: 1 if the city is in the campaign */
    int charged_fixed;
} ad_state;

static int ad_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const ad_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set(err, BZ_EINVAL, "at: %g days is not before the horizon (%g days)",
                            p->at, x->horizon);
    return BZ_OK;
}

static int ad_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const ad_params *p = run->params;
    ad_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = st;
    st->targeted = calloc(sim->pop->n_cities, 1);
    if (!st->targeted) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    return bz_cityset_mark(&p->cities, sim->pop->n_cities, st->targeted, err);
}

static void ad_act(bz_sim *sim, bz_campaign_run *run)
{
    const ad_params *p = run->params;
    ad_state *st = run->state;
    double overlap = bz_window_overlap(sim, p->at, p->duration);
    if (overlap <= 0) return;
    if (!st->charged_fixed) {
        run->cost += p->fixed;
        st->charged_fixed = 1;
    }
    double prob = bz_rate_to_prob(p->reach, overlap);
    if (prob <= 0) return;
    int64_t made = bz_campaign_expose_all(sim, run, prob, st->targeted, BZ_CH_ADVERTISING, 0);
    run->cost += p->cpm * (double)made / 1000.0;
}

static void ad_finish(bz_campaign_run *run)
{
    ad_state *st = run->state;
    if (!st) return;
    free(st->targeted);
    free(st);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_advertising = {
    .name = "advertising",
    .summary = "ads expose targeted agents at a rate during a window; cost fixed + CPM",
    .params = ad_param_table,
    .n_params = BZ_PARAMS_COUNT(ad_param_table),
    .params_size = sizeof(ad_params),
    .check = ad_check,
    .start = ad_start,
    .act = ad_act,
    .finish = ad_finish,
};

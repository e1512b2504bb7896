/* Flash sale: a window [at, at + duration) in which `stock` units go on sale
 * (added to the market's stock when the window opens; see core/market.h).
 * With market.availability flash_only the product is on sale only inside
 * such windows. Around the window:
 *   - announcement: during [at - announce, at) every agent is exposed at rate
 *     announce_reach per day (expose lever, channel news);
 *   - sold-out news: in the step after the window sells out, every agent is
 *     exposed once with probability news_reach (channel news).
 * Exposures are sampled like advertising: fixed blocks of 65,536 agents,
 * each skipping geometrically with its own stream, so the cost is
 * O(exposures + blocks) and independent of the thread count.
 * Cost: `cost`, charged once when the announcement or the window starts.
 * The discount lowers the window's price, which is recorded with the window
 * but does not change demand (no price response is modelled).
 */
#include <math.h>
#include <stdlib.h>

#include "core/campaign.h"
#include "core/sim.h"
#include "util.h"

typedef struct fs_params {
    double at, duration;
    int64_t stock;
    double discount, announce, announce_reach, news_reach, cost;
} fs_params;

static const bz_param fs_param_table[] = {
    {"at", BZ_PT_DURATION, 0, 1e7, "0d", "days", "opening of the sale", offsetof(fs_params, at),
     NULL},
    {"duration", BZ_PT_DURATION, 1e-9, 1e7, "10m", "days",
     "length of the sale window (flash sales of phones: minutes)", offsetof(fs_params, duration),
     NULL},
    {"stock", BZ_PT_INT, 1, 1e15, "1000", "units",
     "units on sale in this window, added to the market's stock when it opens",
     offsetof(fs_params, stock), NULL},
    {"discount", BZ_PT_PROB, 0, 1, "0", "fraction",
     "price reduction during the window (recorded only: demand does not respond to price)",
     offsetof(fs_params, discount), NULL},
    {"announce", BZ_PT_DURATION, 0, 1e7, "0d", "days",
     "lead time before `at` during which the sale is announced", offsetof(fs_params, announce),
     NULL},
    {"announce_reach", BZ_PT_RATE, 0, 1e6, "0", "per day",
     "exposure rate of every agent during the announcement (channel news)",
     offsetof(fs_params, announce_reach), NULL},
    {"news_reach", BZ_PT_PROB, 0, 1, "0", "probability",
     "chance that an agent hears that the window sold out (one exposure, channel news)",
     offsetof(fs_params, news_reach), NULL},
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of the sale event",
     offsetof(fs_params, cost), NULL},
};

enum { FS_BLOCK = 65536 };

typedef struct fs_state {
    size_t window; /* index into sim->market.windows */
    int charged, news_done;
} fs_state;

static int fs_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const fs_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set(err, BZ_EINVAL, "at: %g days is not before the horizon (%g days)",
                            p->at, x->horizon);
    if (!x->model->buys)
        return bz_error_set(err, BZ_EINVAL,
                            "campaign flash_sale: model '%s' does not buy through the market "
                            "(only models with purchases, e.g. bass, can have a flash sale)",
                            x->model->name);
    return BZ_OK;
}

static int fs_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const fs_params *p = run->params;
    fs_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = st;
    return bz_market_add_window(sim, p->at, p->at + p->duration, p->stock,
                                sim->market.price * (1.0 - p->discount), &st->window, err);
}

/* Expose every agent with probability prob through channel news. */
static void expose_all(bz_sim *sim, bz_campaign_run *run, double prob)
{
    if (!(prob > 0)) return;
    const double lq = prob < 1 ? log1p(-prob) : 0;
    const int64_t nblocks = ((int64_t)sim->n + FS_BLOCK - 1) / FS_BLOCK;
#pragma omp parallel if (sim->n_threads > 1)
    {
        bz_tally *t = bz_sim_tally(sim);
#pragma omp for schedule(static)
        for (int64_t b = 0; b < nblocks; b++) {
            uint64_t lo = (uint64_t)b * FS_BLOCK, hi = lo + FS_BLOCK;
            if (hi > sim->n) hi = sim->n;
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, (uint32_t)b);
            uint64_t i = lo + (prob < 1 ? bz_stream_geometric_skip(&s, lq) : 0);
            while (i < hi) {
                bz_sim_expose(sim, t, (uint32_t)i, BZ_CH_NEWS);
                i += 1 + (prob < 1 ? bz_stream_geometric_skip(&s, lq) : 0);
            }
        }
    }
}

static void fs_act(bz_sim *sim, bz_campaign_run *run)
{
    const fs_params *p = run->params;
    fs_state *st = run->state;
    const double lead = fmin(p->announce, p->at);
    double ann = lead > 0 ? bz_window_overlap(sim, p->at - lead, lead) : 0;
    int active = ann > 0 || bz_window_overlap(sim, p->at, p->duration) > 0;
    if (active && !st->charged) {
        run->cost += p->cost;
        st->charged = 1;
    }
    if (ann > 0) expose_all(sim, run, bz_rate_to_prob(p->announce_reach, ann));
    /* The market marks the window during the previous step's resolution. */
    if (!st->news_done && sim->market.windows[st->window].sold_out) {
        st->news_done = 1;
        expose_all(sim, run, p->news_reach);
    }
}

static void fs_finish(bz_campaign_run *run)
{
    free(run->state);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_flash_sale = {
    .name = "flash_sale",
    .summary = "a sale window with limited stock; optional announcement and sold-out news",
    .params = fs_param_table,
    .n_params = BZ_PARAMS_COUNT(fs_param_table),
    .params_size = sizeof(fs_params),
    .check = fs_check,
    .start = fs_start,
    .act = fs_act,
    .finish = fs_finish,
};

/* Flash sale: `repeat` windows [at + k every, at + k every + duration),
 * k = 0 .. repeat-1 (Xiaomi ran weekly flash sales), each putting `stock`
 * units on sale (added to the market's stock when the window opens; see
 * core/market.h). With market.availability flash_only the product is on sale
 * only inside such windows. Around each window:
 *   - announcement: during [start - announce, start) every agent is exposed at
 *     rate announce_reach per day (expose lever, channel news); overlapping
 *     announcements of consecutive windows count once. While a step overlaps
 *     an announcement, sim->share_mult is multiplied by `urgency` (people talk
 *     more before a sale; only models that share honour it);
 *   - sold-out news: in the step after a window sells out, every agent is
 *     exposed once with probability news_reach (channel news; once per step
 *     even if two windows sold out in it).
 * Pent-up demand needs nothing here: buyers who found a window sold out stay
 * potential adopters and try again when the next window opens; unsold units
 * carry over (core/market.h). Windows at or after the horizon never open.
 * Exposures are sampled like advertising: fixed blocks of 65,536 agents,
 * each skipping geometrically with its own stream (announcement and news
 * streams differ), so the cost is O(exposures + blocks) and independent of
 * the thread count; the schedule costs O(repeat) per step.
 * Cost: `cost` per window, charged once when its announcement or the window
 * itself starts: repeat x cost in all if every window happens.
 * The discount lowers the windows' price (recorded with the window, and in
 * revenue). Models with a price response see it through
 * bz_market_price_now(): buzz_funnel's appeal rises when value/price does;
 * bass ignores price.
 */
#include <math.h>
#include <stdlib.h>

#include "core/campaign.h"
#include "core/sim.h"
#include "util.h"

typedef struct fs_params {
    double at, duration;
    int64_t stock;
    double discount, announce, announce_reach, news_reach, cost, urgency;
    int64_t repeat;
    double every;
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
     "price reduction during the window (sets the window's price and revenue; raises demand in "
     "models with a price response, e.g. buzz_funnel's appeal)",
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
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of each sale window",
     offsetof(fs_params, cost), NULL},
    {"urgency", BZ_PT_REAL, 1, 1000, "1", "factor",
     "multiplies every layer's sharing in steps that overlap an announcement (scarcity makes "
     "people talk before a sale; 1: no effect, the behaviour before this parameter existed)",
     offsetof(fs_params, urgency), NULL},
    {"repeat", BZ_PT_INT, 1, 1000, "1", "windows",
     "number of sale windows, `every` apart (1: a single sale)", offsetof(fs_params, repeat), NULL},
    {"every", BZ_PT_DURATION, 1e-9, 1e7, "7d", "days",
     "time between the openings of consecutive windows (Xiaomi's flash sales were weekly); at "
     "least `duration`",
     offsetof(fs_params, every), NULL},
};

/* Block streams of the sold-out news: agent field FS_NEWS_STREAM + block, so
 * they differ from the announcement's (agent field = block) in a step that
 * has both. */
#define FS_NEWS_STREAM 0x80000000u

typedef struct fs_state {
    size_t *window;     /* [repeat] indices into sim->market.windows */
    uint8_t *charged;   /* [repeat] cost of window k charged */
    uint8_t *news_done; /* [repeat] sold-out news of window k sent */
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
    /* The window's units are the stock: with unlimited stock and the product
     * always on sale, the first window would silently cap every later sale
     * at its units. Refuse that trap. */
    if (x->market.stock == 0 && x->market.availability != BZ_AVAIL_FLASH_ONLY)
        return bz_error_set(err, BZ_EINVAL,
                            "campaign flash_sale: the market has unlimited stock and is always "
                            "open, so the window's %lld units would become the only stock left "
                            "for the rest of the run; use market.availability: flash_only (sales "
                            "only in windows) or a finite market.stock",
                            (long long)p->stock);
    if (p->repeat > 1 && p->every < p->duration)
        return bz_error_set(err, BZ_EINVAL,
                            "every: %g days is shorter than the window (duration %g days), so "
                            "the %lld windows would overlap",
                            p->every, p->duration, (long long)p->repeat);
    return BZ_OK;
}

static int fs_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const fs_params *p = run->params;
    const size_t k = (size_t)p->repeat;
    fs_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_set(err, BZ_ENOMEM, "out of memory");
    run->state = st;
    st->window = malloc(k * sizeof *st->window);
    st->charged = calloc(k, 1);
    st->news_done = calloc(k, 1);
    if (!st->window || !st->charged || !st->news_done)
        return bz_error_set(err, BZ_ENOMEM, "out of memory for %zu flash-sale windows", k);
    for (size_t i = 0; i < k; i++) {
        const double start = p->at + (double)i * p->every;
        int status =
            bz_market_add_window(sim, start, start + p->duration, p->stock,
                                 sim->market.price * (1.0 - p->discount), &st->window[i], err);
        if (status != BZ_OK) return status;
    }
    return BZ_OK;
}

static void fs_act(bz_sim *sim, bz_campaign_run *run)
{
    const fs_params *p = run->params;
    fs_state *st = run->state;
    const double t1 = sim->t0 + sim->dt;
    /* Days of the step covered by the union of the announcements, whose
     * starts are nondecreasing in k, so one sweep merges them. */
    double ann = 0, covered = sim->t0;
    int any_news = 0;
    for (int64_t k = 0; k < p->repeat; k++) {
        const double start = p->at + (double)k * p->every;
        const double lead = fmin(p->announce, start), a0 = start - lead;
        if (lead > 0) {
            double lo = fmax(covered, a0), hi = fmin(t1, start);
            if (hi > lo) {
                ann += hi - lo;
                covered = hi;
            }
        }
        int active = (lead > 0 && bz_window_overlap(sim, a0, lead) > 0) ||
                     bz_window_overlap(sim, start, p->duration) > 0;
        if (active && !st->charged[k]) {
            run->cost += p->cost;
            st->charged[k] = 1;
        }
        /* The market marks the window during the previous step's resolution. */
        if (!st->news_done[k] && sim->market.windows[st->window[k]].sold_out) {
            st->news_done[k] = 1;
            any_news = 1;
        }
    }
    if (ann > 0) {
        sim->share_mult *= p->urgency; /* reset to 1 by the engine every step */
        bz_campaign_expose_all(sim, run, bz_rate_to_prob(p->announce_reach, ann), NULL, BZ_CH_NEWS,
                               0);
    }
    if (any_news) bz_campaign_expose_all(sim, run, p->news_reach, NULL, BZ_CH_NEWS, FS_NEWS_STREAM);
}

static void fs_finish(bz_campaign_run *run)
{
    fs_state *st = run->state;
    if (!st) return;
    free(st->window);
    free(st->charged);
    free(st->news_done);
    free(st);
    run->state = NULL;
}

const bz_campaign_type bz_campaign_flash_sale = {
    .name = "flash_sale",
    .summary = "sale windows with limited stock, optionally repeated; announcement (with urgency) "
               "and sold-out news",
    .params = fs_param_table,
    .n_params = BZ_PARAMS_COUNT(fs_param_table),
    .params_size = sizeof(fs_params),
    .check = fs_check,
    .start = fs_start,
    .act = fs_act,
    .finish = fs_finish,
};

/* Flash sale: `repeat` windows [at + k every, at + k every + duration),
 * k = 0 .. repeat-1 (Xiaomi ran weekly flash sales), each putting `stock`
 * units on sale at `discount` off the list price, exactly inside the window
 * (engine/market.h). With market.availability flash_only the product is on
 * sale only inside such windows. Around each window:
 *   - announcement: during [start - announce, start) every agent is exposed
 *     as a Poisson process of rate announce_reach per day (channel news);
 *     overlapping announcements of consecutive windows count once. During
 *     an announcement every talker's sharing is multiplied by `urgency`
 *     (people talk more before a sale: the urgency lever, engine/levers.h):
 *     the interval is part of the sharing schedule, so it starts and ends at
 *     its exact times;
 *   - sold-out news: when a window sells out (at the exact sell-out time)
 *     every agent hears of it with probability news_reach, at a time
 *     uniform in the following `news_within` (channel news).
 * Buyers who find a window sold out wait for the next one (engine/market.h);
 * unsold units carry over. Windows at or after the horizon never open.
 * Announcements are generated one day-long chunk at a time, from campaign
 * stream (chunk, block); news of window k from (NEWS + k, block): O(exposures
 * + blocks) each, the same for any time.step.
 * Cost: `cost` per window whose announcement or opening comes before the
 * horizon: repeat x cost in all if every window happens.
 */
#include <math.h>
#include <stdlib.h>

#include "engine/campaign.h"
#include "engine/sim.h"
#include "util.h"

typedef struct fs_params {
    double at, duration;
    int64_t stock;
    double discount, announce, announce_reach, news_reach, cost, urgency;
    int64_t repeat;
    double every, news_within;
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
     "price reduction inside the window: buyers pay list price x (1 - discount), and those whose "
     "willingness to pay lies between the two prices can buy (market.value)",
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
    {"news_within", BZ_PT_DURATION, 0, 1e7, "6h", "days",
     "the sold-out news reaches its audience at times uniform in this span after the sell-out "
     "(news on social media spreads within hours)",
     offsetof(fs_params, news_within), NULL},
    {"cost", BZ_PT_REAL, 0, 1e15, "0", "currency", "fixed cost of each sale window",
     offsetof(fs_params, cost), NULL},
    {"urgency", BZ_PT_REAL, 1, 1000, "1", "factor",
     "multiplies every layer's sharing during an announcement (scarcity makes people talk before "
     "a sale; 1: no effect)",
     offsetof(fs_params, urgency), NULL},
    {"repeat", BZ_PT_INT, 1, 1000, "1", "windows",
     "number of sale windows, `every` apart (1: a single sale)", offsetof(fs_params, repeat), NULL},
    {"every", BZ_PT_DURATION, 1e-9, 1e7, "7d", "days",
     "time between the openings of consecutive windows (Xiaomi's flash sales were weekly); at "
     "least `duration`",
     offsetof(fs_params, every), NULL},
};

/* Tags of the campaign's actions (24 bits): the market's sold-out notice
 * is BZ_MARKET_SOLDOUT_TAG | window; announcement chunk c is ANNOUNCE | c.
 * Streams: chunk c draws index c, the news of window k index NEWS + k. */
#define ANNOUNCE 0x400000u
#define NEWS 0x80000000u

typedef struct fs_chunk {
    double a, b;
} fs_chunk;

typedef struct fs_state {
    size_t *window;   /* [repeat] indices into sim->market.windows */
    fs_chunk *chunks; /* day-long pieces of the union of the announcements */
    size_t n_chunks;
} fs_state;

static int fs_check(const void *params, const bz_experiment *x, bz_error *err)
{
    const fs_params *p = params;
    if (p->at >= x->horizon)
        return bz_error_set_param(err, BZ_EINVAL, "at",
                                  "%g days is not before the horizon (%g days)", p->at, x->horizon);
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
        return bz_error_set_param(err, BZ_EINVAL, "every",
                                  "%g days is shorter than the window (duration %g days), so "
                                  "the %lld windows would overlap",
                                  p->every, p->duration, (long long)p->repeat);
    return BZ_OK;
}

static int fs_start(bz_sim *sim, bz_campaign_run *run, bz_error *err)
{
    const fs_params *p = run->params;
    const size_t k = (size_t)p->repeat;
    fs_state *st = calloc(1, sizeof *st);
    if (!st) return bz_error_oom(err, run->type->name, sizeof *st, "the campaign's state");
    run->state = st;
    st->window = malloc(k * sizeof *st->window);
    if (!st->window)
        return bz_error_oom(err, NULL, k * sizeof *st->window, "%zu flash-sale windows", k);
    double covered = -INFINITY, ann_days = 0;
    for (size_t i = 0; i < k; i++) {
        const double start = p->at + (double)i * p->every;
        const double lead = fmin(p->announce, start), a0 = start - lead;
        int status = bz_market_add_window(sim, start, start + p->duration, p->stock, p->discount,
                                          run->slot, (uint32_t)i, &st->window[i], err);
        if (status != BZ_OK) return status;
        if (fmin(a0, start) < sim->horizon) run->cost += p->cost;
        if (lead > 0 && p->urgency != 1) {
            status = bz_sim_share_interval(sim, a0, start, p->urgency, run->index, 0, err);
            if (status != BZ_OK) return status;
        }
        /* The announcements' union: starts are nondecreasing in i. */
        const double lo = fmax(covered, a0), hi = fmin(start, sim->horizon);
        if (lead > 0 && hi > lo) {
            ann_days += hi - lo;
            covered = hi;
        }
    }
    if (!(p->announce_reach > 0) || ann_days <= 0) return BZ_OK;
    /* Day-long chunks of the union, in time order. */
    size_t cap = (size_t)ceil(ann_days / BZ_CAMPAIGN_CHUNK) + k + 1;
    if (!(st->chunks = malloc(cap * sizeof *st->chunks)))
        return bz_error_oom(err, NULL, cap * sizeof *st->chunks,
                            "%zu day-long chunks of flash-sale announcements", cap);
    covered = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        const double start = p->at + (double)i * p->every;
        const double lead = fmin(p->announce, start), a0 = start - lead;
        double lo = fmax(covered, a0);
        const double hi = fmin(start, sim->horizon);
        if (!(lead > 0) || !(hi > lo)) continue;
        for (; lo < hi && st->n_chunks < cap; lo += BZ_CAMPAIGN_CHUNK)
            st->chunks[st->n_chunks++] = (fs_chunk){lo, fmin(lo + BZ_CAMPAIGN_CHUNK, hi)};
        covered = hi;
    }
    if (st->n_chunks > 0) bz_sim_schedule_campaign(sim, run, st->chunks[0].a, ANNOUNCE);
    return BZ_OK;
}

static void fs_act(bz_sim *sim, bz_campaign_run *run, uint32_t tag)
{
    const fs_params *p = run->params;
    fs_state *st = run->state;
    if (tag & BZ_MARKET_SOLDOUT_TAG) { /* window tag & ~SOLDOUT sold out now */
        const uint32_t w = tag & ~BZ_MARKET_SOLDOUT_TAG;
        bz_campaign_expose_once(sim, run, sim->t, sim->t + p->news_within, p->news_reach, NULL,
                                BZ_CH_NEWS, NEWS + w);
        return;
    }
    if (tag & ANNOUNCE) {
        const size_t c = tag & ~ANNOUNCE;
        if (c >= st->n_chunks) return;
        bz_campaign_expose_rate(sim, run, st->chunks[c].a, st->chunks[c].b, p->announce_reach, NULL,
                                BZ_CH_NEWS, (uint32_t)c);
        if (c + 1 < st->n_chunks)
            bz_sim_schedule_campaign(sim, run, st->chunks[c + 1].a, ANNOUNCE | (uint32_t)(c + 1));
    }
}

static void fs_finish(bz_campaign_run *run)
{
    fs_state *st = run->state;
    if (!st) return;
    free(st->window);
    free(st->chunks);
    free(st);
    run->state = NULL;
}

/* Urgency is a sharing interval only with a lead time and a factor != 1. */
static const bz_lever_cond fs_lever_conds[] = {
    {BZ_LEVER_URGENCY, "urgency", 1},
    {BZ_LEVER_URGENCY, "announce", 0},
};

const bz_campaign_type bz_campaign_flash_sale = {
    .name = "flash_sale",
    .summary = "sale windows with limited stock, optionally repeated; announcement (with urgency) "
               "and sold-out news",
    .params = fs_param_table,
    .n_params = BZ_PARAMS_COUNT(fs_param_table),
    .params_size = sizeof(fs_params),
    .levers = BZ_LEVER_SALE | BZ_LEVER_EXPOSE | BZ_LEVER_URGENCY,
    .lever_conds = fs_lever_conds,
    .n_lever_conds = BZ_PARAMS_COUNT(fs_lever_conds),
    .check = fs_check,
    .start = fs_start,
    .act = fs_act,
    .finish = fs_finish,
};

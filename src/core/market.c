/* The market: availability, stock and purchase resolution (see core/market.h). */
#include "core/market.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"

int bz_market_init(bz_sim *sim, bz_error *err)
{
    bz_market *m = &sim->market;
    const bz_market_spec *ms = &sim->x->market;
    memset(m, 0, sizeof *m);
    m->availability = ms->availability;
    m->from = ms->from;
    m->price = ms->price;
    m->sellout_seconds = NAN;
    sim->stock = ms->stock > 0 ? ms->stock : -1;
    m->enabled = sim->model->buys;
    if (!m->enabled) return BZ_OK;
    if (!sim->model->adopt)
        return bz_error_set(err, BZ_EINVAL, "model '%s' buys through the market but has no adopt()",
                            sim->model->name);
    m->want_channel = calloc(sim->n ? sim->n : 1, 1);
    m->waiting = calloc(sim->n ? sim->n : 1, 1);
    m->requests.ids =
        malloc(((size_t)sim->n + (size_t)sim->n_threads * BZ_IDLIST_BLOCK) * sizeof(uint32_t));
    if (!m->want_channel || !m->waiting || !m->requests.ids)
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the market of %u agents", sim->n);
    return BZ_OK;
}

void bz_market_destroy(bz_market *m)
{
    if (!m) return;
    free(m->windows);
    free(m->want_channel);
    free(m->waiting);
    free(m->requests.ids);
    free(m->order);
    m->windows = NULL;
    m->want_channel = NULL;
    m->waiting = NULL;
    m->requests.ids = NULL;
    m->order = NULL;
}

int bz_market_add_window(bz_sim *sim, double start, double end, int64_t stock, double price,
                         size_t *index, bz_error *err)
{
    bz_market *m = &sim->market;
    if (!(end > start))
        return bz_error_set(err, BZ_EINVAL, "flash-sale window: end %g d is not after start %g d",
                            end, start);
    if (m->n_windows == m->cap_windows) {
        size_t cap = m->cap_windows ? 2 * m->cap_windows : 4;
        bz_market_window *w = realloc(m->windows, cap * sizeof *w);
        if (!w) return bz_error_set(err, BZ_ENOMEM, "out of memory for flash-sale windows");
        m->windows = w;
        m->cap_windows = cap;
    }
    m->windows[m->n_windows] = (bz_market_window){
        .start = start, .end = end, .stock = stock, .price = price, .sellout_seconds = NAN};
    *index = m->n_windows++;
    return BZ_OK;
}

/* Add [lo, hi) to the sorted disjoint open intervals, merging overlaps.
 * Beyond BZ_MARKET_MAX_OPEN disjoint pieces in one step (more windows than
 * that overlapping one step) the extra pieces are dropped. */
static void interval_add(int *n, double *los, double *his, double lo, double hi)
{
    if (!(hi > lo)) return;
    int i = *n;
    if (i == BZ_MARKET_MAX_OPEN) return;
    /* insertion by start */
    while (i > 0 && los[i - 1] > lo) {
        los[i] = los[i - 1];
        his[i] = his[i - 1];
        i--;
    }
    los[i] = lo;
    his[i] = hi;
    (*n)++;
    /* merge overlapping or touching neighbours */
    int k = 0;
    for (int j = 1; j < *n; j++) {
        if (los[j] <= his[k]) {
            if (his[j] > his[k]) his[k] = his[j];
        } else {
            k++;
            los[k] = los[j];
            his[k] = his[j];
        }
    }
    *n = k + 1;
}

static void open_add(bz_market *m, double lo, double hi)
{
    interval_add(&m->n_open, m->open_lo, m->open_hi, lo, hi);
}

void bz_market_begin_step(bz_sim *sim)
{
    bz_market *m = &sim->market;
    const double t0 = sim->t0, t1 = sim->t0 + sim->dt;
    for (size_t i = 0; i < m->n_windows; i++) {
        bz_market_window *w = &m->windows[i];
        if (w->opened || w->start >= t1) continue;
        /* Opens in this step (or opened before the first step it was seen). */
        w->opened = 1;
        sim->stock = (sim->stock < 0 ? 0 : sim->stock) + w->stock;
    }
    m->n_open = 0;
    switch (m->availability) {
    case BZ_AVAIL_FLASH_ONLY:
        for (size_t i = 0; i < m->n_windows; i++)
            open_add(m, fmax(t0, m->windows[i].start), fmin(t1, m->windows[i].end));
        break;
    case BZ_AVAIL_FROM:
        open_add(m, fmax(t0, m->from), t1);
        break;
    default:
        open_add(m, t0, t1);
        break;
    }
    m->open_days = 0;
    for (int i = 0; i < m->n_open; i++)
        m->open_days += m->open_hi[i] - m->open_lo[i];
    /* Backlog span: the rest of the windows open in this step; without
     * windows in the step, waiting requests arrive like fresh ones. */
    m->n_backlog = 0;
    if (m->availability == BZ_AVAIL_FLASH_ONLY)
        for (size_t i = 0; i < m->n_windows; i++)
            if (m->windows[i].start < t1 && m->windows[i].end > t0)
                interval_add(&m->n_backlog, m->backlog_lo, m->backlog_hi,
                             fmax(t0, m->windows[i].start), m->windows[i].end);
    m->backlog_days = 0;
    for (int i = 0; i < m->n_backlog; i++)
        m->backlog_days += m->backlog_hi[i] - m->backlog_lo[i];
    if (m->enabled) {
        m->requests.reserved = 0;
        for (int th = 0; th < sim->n_threads; th++)
            sim->tally[th].want = (bz_idcursor){0, 0, {0}};
    }
}

double bz_market_price_now(const bz_sim *sim)
{
    const bz_market *m = &sim->market;
    const double t0 = sim->t0, t1 = sim->t0 + sim->dt;
    double price = INFINITY;
    for (size_t i = 0; i < m->n_windows; i++)
        if (m->windows[i].start < t1 && m->windows[i].end > t0 && m->windows[i].price < price)
            price = m->windows[i].price;
    return isinf(price) ? m->price : price;
}

/* Index of the window containing time a (days), or -1. */
static long window_at(const bz_market *m, double a)
{
    for (size_t i = 0; i < m->n_windows; i++)
        if (a >= m->windows[i].start && a < m->windows[i].end) return (long)i;
    return -1;
}

/* Index of the first window overlapping the current step, or -1. */
static long window_in_step(const bz_sim *sim)
{
    const bz_market *m = &sim->market;
    for (size_t i = 0; i < m->n_windows; i++)
        if (m->windows[i].start < sim->t0 + sim->dt && m->windows[i].end > sim->t0) return (long)i;
    return -1;
}

/* Book `units` purchases of the step at `price`: totals, revenue, the
 * window's count. */
static void book(bz_sim *sim, int64_t units, double price, long window)
{
    sim->purchases += units;
    sim->revenue += (double)units * price;
    if (window >= 0) sim->market.windows[window].sold += units;
}

static int order_cmp(const void *a, const void *b)
{
    const bz_market_order *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->v < y->v ? -1 : (x->v > y->v);
}

/* Arrival time (days) of buyer v: uniform in the open part of the step for
 * a fresh request, in the backlog span for a waiting one (core/market.h). */
static double arrival(const bz_sim *sim, uint32_t v)
{
    const bz_market *m = &sim->market;
    const int backlog = m->waiting[v] && m->backlog_days > 0;
    const int n = backlog ? m->n_backlog : m->n_open;
    const double *lo = backlog ? m->backlog_lo : m->open_lo;
    const double *hi = backlog ? m->backlog_hi : m->open_hi;
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, sim->step, v, BZ_RNG_MARKET);
    double x = bz_stream_uniform(&s) * (backlog ? m->backlog_days : m->open_days);
    for (int i = 0; i < n; i++) {
        double len = hi[i] - lo[i];
        if (x < len || i == n - 1) return fmin(lo[i] + x, hi[i]);
        x -= len;
    }
    return lo[0];
}

/* Seconds from the opening of the sale that time a (days) belongs to: its
 * flash-sale window, else the start of availability. Marks the window. */
static double sellout_seconds(bz_market *m, double a)
{
    long w = window_at(m, a);
    if (w >= 0) {
        bz_market_window *win = &m->windows[w];
        win->sold_out = 1;
        if (isnan(win->sellout_seconds)) win->sellout_seconds = (a - win->start) * 86400.0;
        return (a - win->start) * 86400.0;
    }
    double base = m->availability == BZ_AVAIL_FROM ? m->from : 0.0;
    return (a - base) * 86400.0;
}

int bz_market_resolve(bz_sim *sim, bz_error *err)
{
    bz_market *m = &sim->market;
    m->requested = m->served = m->refused = 0;
    if (!m->enabled) return BZ_OK;
    /* Compact the request list (drop holes) in place. */
    uint32_t *ids = m->requests.ids;
    uint64_t k = 0;
    for (uint64_t i = 0; i < m->requests.reserved; i++)
        if (ids[i] != BZ_IDLIST_HOLE) ids[k++] = ids[i];
    m->requested = (int64_t)k;
    if (k == 0) return BZ_OK;
    if (m->open_days <= 0 || sim->stock == 0) {
        /* Closed or sold out: the requesters wait (pent-up demand). */
        for (uint64_t i = 0; i < k; i++)
            m->waiting[ids[i]] = 1;
        if (m->open_days > 0) m->refused = (int64_t)k;
        return BZ_OK;
    }

    if (sim->stock < 0 || (int64_t)k < sim->stock) {
        /* Enough for everyone: the order does not matter, draw nothing. */
        for (uint64_t i = 0; i < k; i++) {
            m->waiting[ids[i]] = 0;
            sim->model->adopt(sim, ids[i], m->want_channel[ids[i]]);
        }
        m->served = (int64_t)k;
        if (sim->stock > 0) sim->stock -= (int64_t)k;
        book(sim, (int64_t)k, bz_market_price_now(sim), window_in_step(sim));
        return BZ_OK;
    }

    /* Stock is short (or exactly enough): serve in arrival order. */
    if (!m->order) {
        m->order = malloc((size_t)sim->n * sizeof *m->order);
        if (!m->order)
            return bz_error_set(err, BZ_ENOMEM, "out of memory ordering %llu purchase requests",
                                (unsigned long long)k);
    }
    const int64_t kk = (int64_t)k;
#pragma omp parallel for schedule(static) if (sim->n_threads > 1 && kk > 65536)
    for (int64_t i = 0; i < kk; i++)
        m->order[i] = (bz_market_order){arrival(sim, ids[i]), ids[i]};
    qsort(m->order, k, sizeof *m->order, order_cmp);
    const int64_t units = sim->stock;
    const double price = bz_market_price_now(sim);
    for (int64_t i = 0; i < units; i++) {
        m->waiting[m->order[i].v] = 0;
        sim->model->adopt(sim, m->order[i].v, m->want_channel[m->order[i].v]);
        book(sim, 1, price, window_at(m, m->order[i].t));
    }
    for (int64_t i = units; i < kk; i++)
        m->waiting[m->order[i].v] = 1;
    m->served = units;
    m->refused = kk - units;
    sim->stock = 0;
    double s = sellout_seconds(m, m->order[units - 1].t);
    if (isnan(m->sellout_seconds)) m->sellout_seconds = s;
    return BZ_OK;
}

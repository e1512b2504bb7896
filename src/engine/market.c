/* The market in continuous time (see engine/market.h). */
#include "engine/market.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sim.h"

#define WAIT_KIND(w) ((w)&0x7Fu)
#define WAIT_REFUSED 0x80u /* refused once for want of stock: its patience clock runs */

int bz_market_init(bz_sim *sim, bz_error *err)
{
    bz_market *m = &sim->market;
    const bz_market_spec *ms = &sim->x->market;
    memset(m, 0, sizeof *m);
    m->availability = ms->availability;
    m->from = ms->from;
    m->unit_cost = ms->unit_cost;
    m->patience = ms->patience;
    m->sellout_seconds = NAN;
    m->stock = ms->stock > 0 ? ms->stock : -1;
    m->enabled = sim->model->buys;
    const uint32_t C = sim->pop->n_cities, C1 = C ? C : 1;
    m->owned = malloc(4 * (size_t)C1 * sizeof *m->owned);
    m->city_open = malloc(C1);
    m->city = calloc(C1, sizeof *m->city);
    if (!m->owned || !m->city_open || !m->city)
        return bz_error_oom(err, NULL, (size_t)C1 * (4 * sizeof *m->owned + 1 + sizeof *m->city),
                            "the prices of %u cities", C);
    double *price = m->owned, *value = m->owned + C1, *cost = m->owned + 2 * C1,
           *from = m->owned + 3 * C1;
    for (uint32_t c = 0; c < C; c++) {
        price[c] = ms->price;
        value[c] = ms->value;
        cost[c] = ms->unit_cost;
        from[c] = 0;
    }
    for (size_t i = 0; i < ms->n_local; i++) {
        const bz_market_local *lo = &ms->local[i];
        const bz_cityset *cs = &lo->cities;
        for (uint32_t c = 0; c < C; c++) {
            int in = cs->mode == BZ_CITIES_ALL || (cs->mode == BZ_CITIES_TOP && c < cs->top);
            for (uint32_t k = 0; cs->mode == BZ_CITIES_LIST && k < cs->n && !in; k++)
                in = cs->ids[k] == c;
            if (!in) continue;
            price[c] = lo->price;
            value[c] = lo->value;
            cost[c] = lo->unit_cost >= 0 ? lo->unit_cost : ms->unit_cost;
            from[c] = lo->from;
        }
    }
    for (uint32_t c = 0; c < C; c++) {
        m->local_costs |= cost[c] != ms->unit_cost;
        m->city_open[c] = !(from[c] > 0);
    }
    m->cost_city = cost;
    m->from_city = from;
    m->price_city = price;
    m->value_city = value;
    if (!m->enabled) return BZ_OK;
    if (!sim->model->adopt)
        return bz_error_set(err, BZ_EINVAL, "model '%s' buys through the market but has no adopt()",
                            sim->model->name);
    if (!(m->wait = calloc(sim->n ? sim->n : 1, 1)))
        return bz_error_oom(err, NULL, sim->n ? sim->n : 1, "the market of %u agents", sim->n);
    if (m->availability == BZ_AVAIL_FROM) {
        if (m->from > 0)
            bz_sim_schedule(sim, m->from, BZ_EV_MARKET, BZ_MARKET_FROM, 0);
        else
            m->open_from = 1;
    }
    for (uint32_t c = 0; c < C; c++)
        if (!m->city_open[c]) bz_sim_schedule(sim, from[c], BZ_EV_MARKET, BZ_MARKET_CITY_FROM, c);
    return sim->status;
}

void bz_market_destroy(bz_market *m)
{
    if (!m) return;
    free(m->windows);
    free(m->open);
    free(m->access);
    free(m->wait);
    free(m->waitlist);
    free(m->owned);
    free(m->city_open);
    free(m->city);
    memset(m, 0, sizeof *m);
}

int bz_market_add_window(bz_sim *sim, double start, double end, int64_t stock, double discount,
                         uint32_t owner, uint32_t tag, size_t *index, bz_error *err)
{
    bz_market *m = &sim->market;
    if (!(end > start))
        return bz_error_set(err, BZ_EINVAL, "flash-sale window: end %g d is not after start %g d",
                            end, start);
    if (owner >= sim->n_campaigns)
        return bz_error_set(err, BZ_EINVAL,
                            "flash-sale window: owner %u is not a campaign slot (%zu campaigns)",
                            (unsigned)owner, sim->n_campaigns);
    if (m->n_windows == m->cap_windows) {
        size_t cap = m->cap_windows ? 2 * m->cap_windows : 4;
        bz_market_window *w = realloc(m->windows, cap * sizeof *w);
        if (w) m->windows = w;
        uint32_t *o = w ? realloc(m->open, cap * sizeof *o) : NULL;
        if (!o)
            return bz_error_oom(err, NULL, cap * (w ? sizeof *o : sizeof *w),
                                "%zu flash-sale windows", cap);
        m->open = o;
        m->cap_windows = cap;
    }
    m->windows[m->n_windows] = (bz_market_window){.start = start,
                                                  .end = end,
                                                  .stock = stock,
                                                  .discount = discount,
                                                  .sellout_seconds = NAN,
                                                  .owner = owner,
                                                  .tag = tag};
    *index = m->n_windows++;
    bz_sim_schedule(sim, start, BZ_EV_MARKET, BZ_MARKET_OPEN, (uint32_t)*index);
    bz_sim_schedule(sim, end, BZ_EV_MARKET, BZ_MARKET_CLOSE, (uint32_t)*index);
    return sim->status;
}

/* Stream indices of the arrivals called at access window k's opening and
 * closing (above every window index and `from`'s 0xFFFFFF). */
#define ACCESS_STREAM(k, closing) (0x1000000u + 2u * (uint32_t)(k) + (closing))

int bz_market_add_access(bz_sim *sim, double start, double end, const uint8_t *allowed,
                         bz_error *err)
{
    bz_market *m = &sim->market;
    if (!(end > start))
        return bz_error_set(err, BZ_EINVAL, "access window: end %g d is not after start %g d", end,
                            start);
    if (!m->enabled) return BZ_OK;
    if (m->n_access == m->cap_access) {
        size_t cap = m->cap_access ? 2 * m->cap_access : 2;
        bz_market_access *a = realloc(m->access, cap * sizeof *a);
        if (!a) return bz_error_oom(err, NULL, cap * sizeof *a, "%zu access windows", cap);
        m->access = a;
        m->cap_access = cap;
    }
    const size_t k = m->n_access++;
    m->access[k] = (bz_market_access){.start = start, .end = end, .allowed = allowed};
    bz_sim_schedule(sim, start, BZ_EV_MARKET, BZ_MARKET_ACCESS_OPEN, (uint32_t)k);
    bz_sim_schedule(sim, end, BZ_EV_MARKET, BZ_MARKET_ACCESS_CLOSE, (uint32_t)k);
    return sim->status;
}

/* v is in the mask of every access window open now. O(windows). */
static int access_allows(const bz_market *m, uint32_t v)
{
    for (size_t i = 0; i < m->n_access; i++)
        if (m->access[i].active && !m->access[i].allowed[v]) return 0;
    return 1;
}

double bz_market_list_price(const bz_sim *sim, uint32_t v)
{
    return sim->market.price_city[sim->pop->city[v]];
}

/* Largest discount of the windows open now, or -1 if none is open; *which
 * gets that window (the first such in registration order at a tie). The
 * open set changes only at the windows' own events, which come first among
 * events at the same instant, so "now" is exactly [start, end). */
static double discount_now(const bz_market *m, long *which)
{
    double d = -1;
    *which = -1;
    for (size_t i = 0; i < m->n_open; i++) {
        const bz_market_window *w = &m->windows[m->open[i]];
        if (w->discount > d || (w->discount == d && (long)m->open[i] < *which)) {
            d = w->discount;
            *which = (long)m->open[i];
        }
    }
    return d;
}

double bz_market_price(const bz_sim *sim, uint32_t v)
{
    long w;
    double d = discount_now(&sim->market, &w);
    return bz_market_list_price(sim, v) * (d > 0 ? 1.0 - d : 1.0);
}

double bz_market_willingness(const bz_sim *sim, uint32_t v)
{
    const double value = sim->market.value_city[sim->pop->city[v]];
    return value > 0 ? value * (double)sim->pop->willingness[v] : INFINITY;
}

/* On sale now, given the window open now (-1: none). */
static int on_sale(const bz_market *m, long window)
{
    switch (m->availability) {
    case BZ_AVAIL_FLASH_ONLY:
        return window >= 0;
    case BZ_AVAIL_FROM:
        return m->open_from || window >= 0;
    default:
        return 1;
    }
}

/* Put v in the queue waiting for `kind` (appended on its first wait). */
static void wait_for(bz_sim *sim, uint32_t v, bz_wait_kind kind)
{
    bz_market *m = &sim->market;
    if (WAIT_KIND(m->wait[v]) == BZ_WAIT_NONE) {
        if (m->n_wait == m->cap_wait) {
            size_t cap = m->cap_wait ? 2 * m->cap_wait : 1024;
            uint32_t *l = realloc(m->waitlist, cap * sizeof *l);
            if (!l) {
                bz_sim_failed(sim, BZ_ENOMEM, cap * sizeof *l, "the queue of waiting buyers");
                return;
            }
            m->waitlist = l;
            m->cap_wait = cap;
        }
        m->waitlist[m->n_wait++] = v;
    }
    m->wait[v] = (uint8_t)((m->wait[v] & WAIT_REFUSED) | kind);
}

/* The stock ran out at sim->t: mark the window it sold out in, tell its
 * campaign, keep the first sell-out time. */
static void sold_out(bz_sim *sim, long window)
{
    bz_market *m = &sim->market;
    double s;
    if (window >= 0) {
        bz_market_window *w = &m->windows[window];
        s = (sim->t - w->start) * 86400.0;
        if (!w->sold_out) {
            w->sold_out = 1;
            w->sellout_seconds = s;
            bz_sim_schedule(sim, sim->t, BZ_EV_CAMPAIGN, w->tag | BZ_MARKET_SOLDOUT_TAG, w->owner);
        }
    } else {
        double t0 = m->availability == BZ_AVAIL_FROM ? m->from : 0.0;
        for (size_t i = 0; i < m->n_access && t0 > sim->t; i++) /* sold out in early access */
            if (m->access[i].active && m->access[i].start < t0) t0 = m->access[i].start;
        s = (sim->t - t0) * 86400.0;
    }
    if (isnan(m->sellout_seconds)) m->sellout_seconds = s;
}

bz_buy_result bz_market_request(bz_sim *sim, uint32_t v)
{
    bz_market *m = &sim->market;
    const double t = sim->t;
    long window;
    const double d = discount_now(m, &window);
    if (WAIT_KIND(m->wait[v]) == BZ_WAIT_LOST) return BZ_BUY_SOLDOUT;
    int early = 0; /* early access: `from` is later, an access window lets v buy */
    if (m->n_access_open) {
        if (!access_allows(m, v)) {
            wait_for(sim, v, BZ_WAIT_ACCESS);
            return BZ_BUY_CLOSED;
        }
        early = m->availability == BZ_AVAIL_FROM;
    }
    if ((!early && !on_sale(m, window)) || !m->city_open[sim->pop->city[v]]) {
        wait_for(sim, v, BZ_WAIT_CLOSED);
        return BZ_BUY_CLOSED;
    }
    const double list = bz_market_list_price(sim, v);
    const double price = list * (d > 0 ? 1.0 - d : 1.0);
    if (bz_market_willingness(sim, v) < price) {
        wait_for(sim, v, BZ_WAIT_PRICE);
        return BZ_BUY_PRICE;
    }
    if (m->stock == 0) {
        const int first = !(m->wait[v] & WAIT_REFUSED);
        wait_for(sim, v, BZ_WAIT_SOLDOUT);
        m->refused++;
        if (first) {
            m->wait[v] |= WAIT_REFUSED;
            m->unmet++;
            if (m->patience > 0) {
                bz_stream s;
                bz_sim_stream(sim, &s, v, 0, BZ_RNG_PATIENCE);
                bz_sim_schedule(sim, t + bz_stream_exp1(&s) / m->patience, BZ_EV_MARKET,
                                BZ_MARKET_GIVE_UP, v);
            }
            if (sim->model->refused) sim->model->refused(sim, v);
        }
        return BZ_BUY_SOLDOUT;
    }
    /* Served. */
    if (m->stock > 0) m->stock--;
    if (m->wait[v] & WAIT_REFUSED) m->unmet--;
    m->wait[v] = BZ_WAIT_NONE;
    sim->purchases++;
    sim->revenue += price;
    bz_city_tally *ct = &m->city[sim->pop->city[v]];
    ct->purchases++;
    ct->revenue += price;
    /* A discount is given only inside a window (d > 0 needs one open):
     * outside, price == list exactly and nothing is tallied. */
    if (window >= 0) {
        m->windows[window].sold++;
        m->windows[window].discount_given += list - price;
    }
    int referred = 0;
    const int ch = sim->model->adopt(sim, v, &referred);
    bz_sim_adopted(sim, v, ch);
    for (size_t i = 0; i < sim->n_campaigns; i++)
        if (sim->campaigns[i].type->purchase)
            sim->campaigns[i].type->purchase(sim, &sim->campaigns[i], v, referred);
    if (m->stock == 0) sold_out(sim, window);
    return BZ_BUY_SERVED;
}

void bz_market_withdraw(bz_sim *sim, uint32_t v)
{
    bz_market *m = &sim->market;
    if (!m->enabled || WAIT_KIND(m->wait[v]) == BZ_WAIT_LOST) return;
    if ((m->wait[v] & WAIT_REFUSED) && WAIT_KIND(m->wait[v]) != BZ_WAIT_NONE) m->unmet--;
    m->wait[v] = BZ_WAIT_NONE; /* its entry in the list is dropped at the next opening */
}

/* Every waiting agent that would pay the price of the opening arrives at a
 * time uniform in [lo, lo + span), from its own stream (agent, index);
 * with `only` (not BZ_WAIT_NONE) only the agents waiting for that, with
 * `allowed` only those the open access windows allow, and only those of
 * city `city` (UINT32_MAX: of every city open). */
static void call_waiting(bz_sim *sim, double lo, double span, uint32_t index, long window,
                         unsigned only, int allowed, uint32_t city)
{
    bz_market *m = &sim->market;
    size_t k = 0;
    for (size_t i = 0; i < m->n_wait; i++) {
        const uint32_t v = m->waitlist[i];
        const unsigned kind = WAIT_KIND(m->wait[v]);
        if (kind == BZ_WAIT_NONE || kind == BZ_WAIT_LOST) continue; /* left the queue */
        m->waitlist[k++] = v;
        if ((only != BZ_WAIT_NONE && kind != only) || (allowed && !access_allows(m, v))) continue;
        const uint32_t cv = sim->pop->city[v];
        if (city != UINT32_MAX ? cv != city : !m->city_open[cv]) continue; /* not its opening */
        if (bz_market_willingness(sim, v) < bz_market_price(sim, v)) {
            /* It waits for a price it would pay, not for an opening. */
            m->wait[v] = (uint8_t)((m->wait[v] & WAIT_REFUSED) | BZ_WAIT_PRICE);
            continue;
        }
        bz_stream s;
        bz_sim_stream(sim, &s, v, index, BZ_RNG_MARKET);
        bz_sim_schedule(sim, lo + bz_stream_uniform(&s) * span, BZ_EV_ARRIVE,
                        window >= 0 ? (uint32_t)window : 0xFFFFFFu, v);
    }
    m->n_wait = k;
}

void bz_market_event(bz_sim *sim, uint32_t agent, uint32_t action)
{
    bz_market *m = &sim->market;
    switch (action) {
    case BZ_MARKET_OPEN: {
        bz_market_window *w = &m->windows[agent];
        w->opened = 1;
        m->open[m->n_open++] = agent;
        m->stock = (m->stock < 0 ? 0 : m->stock) + w->stock;
        if (m->enabled)
            call_waiting(sim, w->start, w->end - w->start, agent, (long)agent, BZ_WAIT_NONE, 0,
                         UINT32_MAX);
        break;
    }
    case BZ_MARKET_CLOSE:
        m->windows[agent].closed = 1;
        for (size_t i = 0; i < m->n_open; i++)
            if (m->open[i] == agent) m->open[i--] = m->open[--m->n_open];
        break;
    case BZ_MARKET_FROM:
        m->open_from = 1;
        call_waiting(sim, m->from, BZ_MARKET_RUSH_DAYS, 0xFFFFFFu, -1, BZ_WAIT_NONE, 0, UINT32_MAX);
        break;
    case BZ_MARKET_ACCESS_OPEN:
        m->access[agent].active = 1;
        m->n_access_open++;
        /* Early access: the audience waiting for `from` may buy now. */
        if (m->availability == BZ_AVAIL_FROM && !m->open_from)
            call_waiting(sim, sim->t, BZ_MARKET_RUSH_DAYS, ACCESS_STREAM(agent, 0), -1,
                         BZ_WAIT_CLOSED, 1, UINT32_MAX);
        break;
    case BZ_MARKET_ACCESS_CLOSE:
        m->access[agent].active = 0;
        m->n_access_open--;
        /* General availability for those the window kept out. */
        call_waiting(sim, sim->t, BZ_MARKET_RUSH_DAYS, ACCESS_STREAM(agent, 1), -1, BZ_WAIT_ACCESS,
                     0, UINT32_MAX);
        break;
    case BZ_MARKET_CITY_FROM: {
        long w;
        discount_now(m, &w);
        m->city_open[agent] = 1;
        if (m->enabled && on_sale(m, w))
            call_waiting(sim, sim->t, BZ_MARKET_RUSH_DAYS, BZ_MARKET_CITY_INDEX + agent, w,
                         BZ_WAIT_NONE, 0, agent);
        break;
    }
    case BZ_MARKET_GIVE_UP: {
        const unsigned kind = WAIT_KIND(m->wait[agent]);
        if (kind == BZ_WAIT_NONE || kind == BZ_WAIT_LOST) break; /* bought, or left */
        m->wait[agent] = BZ_WAIT_LOST | WAIT_REFUSED;
        m->lost++;
        m->unmet--;
        if (sim->model->lost) sim->model->lost(sim, agent);
        break;
    }
    default:
        break;
    }
}

void bz_market_arrive(bz_sim *sim, uint32_t v, uint32_t window)
{
    (void)window;
    const unsigned kind = WAIT_KIND(sim->market.wait[v]);
    if (kind == BZ_WAIT_NONE || kind == BZ_WAIT_LOST) return; /* served meanwhile, or left */
    bz_market_request(sim, v);
}

int64_t bz_market_waiting(const bz_sim *sim, bz_wait_kind kind)
{
    const bz_market *m = &sim->market;
    if (!m->enabled) return 0;
    int64_t k = 0;
    for (uint32_t v = 0; v < sim->n; v++) {
        const unsigned w = WAIT_KIND(m->wait[v]);
        k += kind == BZ_WAIT_SOLDOUT
                 ? (w != BZ_WAIT_NONE && w != BZ_WAIT_LOST && (m->wait[v] & WAIT_REFUSED))
                 : w == kind;
    }
    return k;
}

void bz_market_waiting_by_city(const bz_sim *sim, bz_wait_kind kind, int64_t *out)
{
    const bz_market *m = &sim->market;
    if (!m->enabled) return;
    for (uint32_t v = 0; v < sim->n; v++) {
        const unsigned w = WAIT_KIND(m->wait[v]);
        out[sim->pop->city[v]] +=
            kind == BZ_WAIT_SOLDOUT
                ? (w != BZ_WAIT_NONE && w != BZ_WAIT_LOST && (m->wait[v] & WAIT_REFUSED))
                : w == kind;
    }
}

double bz_market_campaign_discount(const bz_sim *sim, uint32_t slot)
{
    const bz_market *m = &sim->market;
    double d = 0;
    for (size_t i = 0; i < m->n_windows; i++)
        if (m->windows[i].owner == slot) d += m->windows[i].discount_given;
    return d;
}

double bz_market_unit_costs(const bz_sim *sim, double purchases, double gifted)
{
    const bz_market *m = &sim->market;
    if (!m->local_costs) return sim->x->market.unit_cost * (purchases + gifted);
    double total = 0;
    for (uint32_t c = 0; c < sim->pop->n_cities; c++) {
        const bz_city_tally *ct = &m->city[c];
        const int64_t bought = sim->model->buys ? ct->purchases : ct->adoptions;
        total += m->cost_city[c] * (double)(bought + ct->gifted);
    }
    return total;
}

/* Engine primitives used by models and campaigns (see engine/sim.h). */
#include "engine/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bz_sim_failed(bz_sim *sim, int code, size_t bytes, const char *what)
{
    if (sim->status != BZ_OK) return;
    sim->status = code;
    bz_error_oom(&sim->fail, NULL, bytes, "%s at day %g (%u agents)", what, sim->t, sim->n);
    sim->fail.code = code;
}

void bz_sim_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    bz_sim_count_exposure(sim, channel);
    if (sim->model->expose) sim->model->expose(sim, v, channel, flags);
}

int bz_sim_seed(bz_sim *sim, uint32_t v, int channel)
{
    if (v >= sim->n || !sim->model->seed) return 0;
    const uint32_t was = sim->model->adopted_mask & (1u << sim->state[v]);
    if (!sim->model->seed(sim, v, channel)) return 0;
    if (!was && (sim->model->adopted_mask & (1u << sim->state[v]))) {
        bz_sim_adopted(sim, v, channel);
        sim->adoptions--; /* a gift, not a purchase */
        sim->gifted++;
        sim->market.city[sim->pop->city[v]].adoptions--;
        sim->market.city[sim->pop->city[v]].gifted++;
    }
    return 1;
}

uint64_t bz_sim_reach(bz_sim *sim, size_t li, uint32_t u, double p, int channel, bz_stream *s)
{
    const bz_layer *l = &sim->net->layers[li];
    const uint64_t deg = bz_layer_degree(l, u);
    if (deg == 0 || !(p > 0)) return 0;
    const double inv_lq = p < 1 ? 1.0 / log1p(-p) : 0;
    uint64_t c = 0;
    for (uint64_t j = p < 1 ? bz_stream_geometric_skip(s, inv_lq) : 0; j < deg;
         j += 1 + (p < 1 ? bz_stream_geometric_skip(s, inv_lq) : 0)) {
        bz_sim_expose(sim, bz_sim_neighbour(l, u, j), channel, 0);
        c++;
    }
    return c;
}

/* ---- sharing schedule ------------------------------------------------------ */

int bz_sim_share_interval(bz_sim *sim, double a, double b, double factor, uint32_t group,
                          int referral, bz_error *err)
{
    bz_share_sched *sc = &sim->share;
    if (!(b > a)) return BZ_OK;
    if (sc->n_iv == sc->cap_iv) {
        size_t cap = sc->cap_iv ? 2 * sc->cap_iv : 8;
        bz_share_iv *iv = realloc(sc->iv, cap * sizeof *iv);
        if (!iv) return bz_error_oom(err, NULL, cap * sizeof *iv, "%zu sharing intervals", cap);
        sc->iv = iv;
        sc->cap_iv = cap;
    }
    sc->iv[sc->n_iv++] = (bz_share_iv){a, b, factor, group, referral};
    return BZ_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int bz_sim_share_build(bz_sim *sim, bz_error *err)
{
    bz_share_sched *sc = &sim->share;
    const size_t k = sc->n_iv;
    double *pts = malloc((2 * k + 1) * sizeof *pts);
    free(sc->seg);
    sc->seg = malloc((2 * k + 1) * sizeof *sc->seg);
    if (!pts || !sc->seg) {
        free(pts);
        return bz_error_oom(err, NULL, (2 * k + 1) * (sizeof *pts + sizeof *sc->seg),
                            "the sharing schedule of %zu intervals", k);
    }
    size_t np = 0;
    pts[np++] = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        pts[np++] = sc->iv[i].a;
        pts[np++] = sc->iv[i].b;
    }
    qsort(pts, np, sizeof *pts, cmp_double);
    size_t ns = 0;
    for (size_t j = 0; j < np; j++) {
        if (j > 0 && pts[j] == pts[j - 1]) continue;
        const double t = pts[j];
        /* Multiply each group's largest factor of the intervals covering
         * [t, next): a group's own overlapping intervals count once. */
        double all = 1, referral = 0;
        for (size_t i = 0; i < k; i++) {
            const bz_share_iv *iv = &sc->iv[i];
            if (!(t >= iv->a && t < iv->b)) continue;
            if (iv->referral) {
                if (iv->factor > referral) referral = iv->factor;
                continue;
            }
            double best = iv->factor;
            int first = 1;
            for (size_t q = 0; q < k && first; q++) {
                const bz_share_iv *o = &sc->iv[q];
                if (q == i || o->referral || o->group != iv->group || !(t >= o->a && t < o->b))
                    continue;
                if (o->factor > best || (o->factor == best && q < i)) first = 0;
            }
            if (first) all *= best;
        }
        if (ns > 0 && sc->seg[ns - 1].all == all && sc->seg[ns - 1].referral == referral)
            continue; /* no change */
        sc->seg[ns++] = (bz_share_seg){t, all, referral};
    }
    sc->n_seg = ns;
    free(pts);
    /* The share hook: which campaigns listen is known once all started. */
    sim->share_hooks = 0;
    for (size_t i = 0; i < sim->n_campaigns; i++)
        sim->share_hooks += sim->campaigns[i].type && sim->campaigns[i].type->shared;
    return BZ_OK;
}

void bz_sim_shared_notify(bz_sim *sim, uint32_t v)
{
    for (size_t i = 0; i < sim->n_campaigns; i++)
        if (sim->campaigns[i].type->shared)
            sim->campaigns[i].type->shared(sim, &sim->campaigns[i], v);
}

/* Index of the segment containing t. */
static size_t seg_index(const bz_share_sched *sc, double t)
{
    size_t lo = 0, hi = sc->n_seg; /* seg[lo].t <= t < seg[hi].t */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (sc->seg[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

const bz_share_seg *bz_sim_share_at(const bz_sim *sim, double t)
{
    return &sim->share.seg[seg_index(&sim->share, t)];
}

int bz_sim_boost_enable(bz_sim *sim, bz_error *err)
{
    if (sim->boost) return BZ_OK;
    sim->boost = calloc(sim->n ? sim->n : 1, sizeof *sim->boost);
    sim->boost_until = calloc(sim->n ? sim->n : 1, sizeof *sim->boost_until);
    if (!sim->boost || !sim->boost_until) {
        free(sim->boost);
        free(sim->boost_until);
        sim->boost = sim->boost_until = NULL;
        return bz_error_oom(err, NULL,
                            (size_t)(sim->n ? sim->n : 1) *
                                (sizeof *sim->boost + sizeof *sim->boost_until),
                            "sharing boosts of %u agents", sim->n);
    }
    return BZ_OK;
}

void bz_sim_boost(bz_sim *sim, uint32_t v, double mult, double until)
{
    if (sim->boost_until[v] > sim->t) { /* an active boost: keep the larger */
        if (mult > sim->boost[v]) sim->boost[v] = (float)mult;
        if (until > sim->boost_until[v]) sim->boost_until[v] = (float)until;
    } else {
        sim->boost[v] = (float)mult;
        sim->boost_until[v] = (float)until;
    }
    if (sim->model->boosted) sim->model->boosted(sim, v);
}

/* ---- talk times -------------------------------------------------------------- */

double bz_talk_next(const bz_sim *sim, const bz_talk *tk, double t, double e)
{
    const bz_share_sched *sc = &sim->share;
    size_t j = seg_index(sc, t);
    double bend = -INFINITY, bmul = 1;
    if (sim->boost && sim->boost_until[tk->agent] > t) {
        bend = sim->boost_until[tk->agent];
        bmul = sim->boost[tk->agent];
    }
    const double nu = tk->novelty;
    double a = t;
    while (a < sim->horizon) {
        const bz_share_seg *sg = &sc->seg[j];
        double b = j + 1 < sc->n_seg ? sc->seg[j + 1].t : INFINITY;
        if (bend > a && bend < b) b = bend;
        if (b > sim->horizon) b = sim->horizon;
        double m = tk->base * sg->all * (a < bend ? bmul : 1.0);
        if (tk->advocate && sg->referral > 0) m *= sg->referral;
        if (m > 0) {
            if (nu > 0) {
                /* rate m g(s), g(s) = exp(-(s - since) / nu): the integral over
                 * [a, x) is m nu (g(a) - g(x)). */
                const double ga = exp(-(a - tk->since) / nu);
                if (!(ga > 1e-300)) return INFINITY; /* no talk left */
                const double cap = m * nu * ga;      /* integral to infinity from a */
                const double r = e / cap;
                if (r < 1) {
                    const double x = a - nu * log1p(-r);
                    if (x < b) return x;
                }
                e -= cap * -expm1(-(b - a) / nu);
            } else {
                const double x = a + e / m;
                if (x < b) return x;
                e -= m * (b - a);
            }
            if (!(e > 0)) return b; /* rounding at a piece boundary */
        }
        a = b;
        if (a == bend) bmul = 1; /* the boost ended */
        while (j + 1 < sc->n_seg && sc->seg[j + 1].t <= a)
            j++;
    }
    return INFINITY;
}

/* ---- helpers ------------------------------------------------------------------ */

int bz_sim_random_agents(uint32_t n, uint32_t k, bz_stream *s, uint32_t *out, bz_error *err)
{
    if (k > n) return bz_error_set(err, BZ_EINVAL, "cannot choose %u distinct agents of %u", k, n);
    uint64_t *seen = calloc(((size_t)n + 63) / 64, sizeof *seen);
    if (!seen)
        return bz_error_oom(err, NULL, ((size_t)n + 63) / 64 * sizeof *seen,
                            "choosing %u agents of %u", k, n);
    uint32_t m = 0;
    for (uint64_t j = (uint64_t)n - k; j < n; j++) {
        uint32_t t = (uint32_t)bz_stream_below(s, j + 1);
        if (seen[t / 64] & ((uint64_t)1 << (t % 64))) t = (uint32_t)j;
        seen[t / 64] |= (uint64_t)1 << (t % 64);
        out[m++] = t;
    }
    free(seen);
    return BZ_OK;
}

/* Engine primitives used by models and campaigns (see core/sim.h). */
#include "core/sim.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

bz_tally *bz_sim_tally(bz_sim *sim)
{
    if (sim->n_threads <= 1) return &sim->tally[0];
    int id = omp_get_thread_num();
    return &sim->tally[id < sim->n_threads ? id : 0];
}

int bz_sim_seed(bz_sim *sim, uint32_t agent, int channel)
{
    if (agent >= sim->n || !sim->model->seed) return 0;
    int changed = sim->model->seed(sim, agent, channel);
    if (changed) sim->tally[0].adopt[channel]++;
    return changed;
}

/* Neighbour j (0 <= j < degree) of u; on a complete layer the neighbours are
 * every agent but u, in index order. */
static inline uint32_t neighbour(const bz_layer *l, uint32_t u, uint64_t j)
{
    if (l->complete) return (uint32_t)(j < u ? j : j + 1);
    return l->targets[l->offsets[u] + j];
}

/* Deliver one contact or exposure to v: count it in *counter (a field of
 * v's inbox) and mark the channel. */
static inline void deliver(bz_sim *sim, bz_tally *t, uint32_t *counter, uint32_t v, uint32_t bit)
{
#pragma omp atomic
    (*counter)++;
    bz_sim_touch(sim, t, v, bit);
}

/* Visit each of u's out-neighbours independently with probability p by
 * geometric skipping: the gap to the next contact is Geometric(p), so the
 * loop runs once per contact, not once per neighbour. */
#define BZ_FOR_EACH_CONTACT(l, u, p, lq, s, v, body)                                               \
    do {                                                                                           \
        uint64_t deg_ = bz_layer_degree((l), (u));                                                 \
        if (deg_ == 0 || !((p) > 0)) break;                                                        \
        if ((p) >= 1.0) {                                                                          \
            for (uint64_t j_ = 0; j_ < deg_; j_++) {                                               \
                uint32_t v = neighbour((l), (u), j_);                                              \
                body;                                                                              \
            }                                                                                      \
            break;                                                                                 \
        }                                                                                          \
        for (uint64_t j_ = bz_stream_geometric_skip((s), (lq)); j_ < deg_;                         \
             j_ += 1 + bz_stream_geometric_skip((s), (lq))) {                                      \
            uint32_t v = neighbour((l), (u), j_);                                                  \
            body;                                                                                  \
        }                                                                                          \
    } while (0)

uint64_t bz_spread(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, int receptive)
{
    const bz_layer *l = &sim->net->layers[li];
    const int ch = BZ_CH_LAYER0 + (int)li;
    const uint32_t bit = (uint32_t)1 << ch;
    const uint8_t *state = sim->state;
    uint64_t c = 0;
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, sim->step, u, BZ_RNG_SPREAD + (uint32_t)li);
    BZ_FOR_EACH_CONTACT(l, u, p, log1p(-p), &s, v, {
        c++;
        if (receptive == BZ_RECEPTIVE_ALL || state[v] == (uint8_t)receptive)
            deliver(sim, t, &sim->inbox[v].wom, v, bit);
    });
    t->expo[ch] += (int64_t)c;
    return c;
}

/* Deliver one negative contact: saturating inbox.neg, touched bit only. */
static inline void deliver_neg(bz_sim *sim, bz_tally *t, uint32_t v)
{
    uint16_t *e = &sim->inbox[v].neg, o = __atomic_load_n(e, __ATOMIC_RELAXED);
    while (o != UINT16_MAX && !__atomic_compare_exchange_n(e, &o, (uint16_t)(o + 1), 1,
                                                           __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
    bz_sim_touch(sim, t, v, 0);
}

/* Deliver a buffer of contacts in three passes so that the cache misses of
 * many contacts overlap instead of being paid one after another: prefetch
 * every target's state, then the inbox of every receptive target, then
 * deliver. The order of delivery does not matter (commutative counters). */
static void deliver_batch(bz_sim *sim, bz_tally *t, const uint32_t *buf, int nb, uint32_t bit,
                          int receptive, bz_deliver into)
{
    const uint8_t *state = sim->state;
    if (receptive != BZ_RECEPTIVE_ALL)
        for (int i = 0; i < nb; i++)
            __builtin_prefetch(&state[buf[i]], 0, 1);
    for (int i = 0; i < nb; i++)
        if (receptive == BZ_RECEPTIVE_ALL || state[buf[i]] == (uint8_t)receptive)
            __builtin_prefetch(&sim->inbox[buf[i]], 1, 1);
    for (int i = 0; i < nb; i++) {
        uint32_t v = buf[i];
        if (receptive != BZ_RECEPTIVE_ALL && state[v] != (uint8_t)receptive) continue;
        if (into == BZ_DELIVER_NEG)
            deliver_neg(sim, t, v);
        else
            deliver(sim, t, &sim->inbox[v].wom, v, bit);
    }
}

uint64_t bz_spread_batch_ex(bz_sim *sim, bz_tally *t, size_t li, const uint32_t *senders,
                            const double *probs, uint64_t k, double p, int receptive, int channel,
                            bz_deliver into)
{
    enum { BUF = 512, AHEAD = 8 };
    const bz_layer *l = &sim->net->layers[li];
    const uint32_t bit = into == BZ_DELIVER_NEG ? 0 : (uint32_t)1 << channel;
    const uint32_t purpose =
        BZ_RNG_SPREAD + (uint32_t)li + (into == BZ_DELIVER_NEG ? BZ_MAX_LAYERS : 0);
    double lq = p > 0 && p < 1 ? log1p(-p) : 0.0;
    uint32_t buf[BUF];
    int nb = 0;
    uint64_t c = 0;
    for (uint64_t i = 0; i < k; i++) {
        /* Senders are usually sorted: prefetch the rows a few senders ahead. */
        if (!l->complete && i + 2 * AHEAD < k)
            __builtin_prefetch(&l->offsets[senders[i + 2 * AHEAD]]);
        if (!l->complete && i + AHEAD < k)
            __builtin_prefetch(&l->targets[l->offsets[senders[i + AHEAD]]]);
        const uint32_t u = senders[i];
        if (probs) {
            p = probs[i];
            lq = p > 0 && p < 1 ? log1p(-p) : 0.0;
        }
        bz_stream s;
        bz_stream_init(&s, sim->seed, sim->replicate, sim->step, u, purpose);
        BZ_FOR_EACH_CONTACT(l, u, p, lq, &s, v, {
            c++;
            buf[nb++] = v;
            if (nb == BUF) {
                deliver_batch(sim, t, buf, nb, bit, receptive, into);
                nb = 0;
            }
        });
    }
    deliver_batch(sim, t, buf, nb, bit, receptive, into);
    if (into != BZ_DELIVER_NEG) t->expo[channel] += (int64_t)c;
    return c;
}

uint64_t bz_spread_batch(bz_sim *sim, bz_tally *t, size_t li, const uint32_t *senders, uint64_t k,
                         double p, int receptive)
{
    return bz_spread_batch_ex(sim, t, li, senders, NULL, k, p, receptive, BZ_CH_LAYER0 + (int)li,
                              BZ_DELIVER_WOM);
}

uint64_t bz_sim_reach(bz_sim *sim, bz_tally *t, size_t li, uint32_t u, double p, int channel,
                      bz_stream *s)
{
    const bz_layer *l = &sim->net->layers[li];
    const uint32_t bit = (uint32_t)1 << channel;
    uint64_t c = 0;
    BZ_FOR_EACH_CONTACT(l, u, p, log1p(-p), s, v, {
        deliver(sim, t, &sim->inbox[v].ext, v, bit);
        c++;
    });
    t->expo[channel] += (int64_t)c;
    return c;
}

int bz_sim_pick_channel(uint32_t mask, bz_stream *s, int fallback)
{
    mask &= BZ_MASK_CHANNELS;
    int n = __builtin_popcount(mask);
    if (n == 0) return fallback;
    int k = n == 1 ? 0 : (int)bz_stream_below(s, (uint64_t)n);
    for (int ch = 0; ch < BZ_CH_MAX; ch++)
        if (mask & ((uint32_t)1 << ch))
            if (k-- == 0) return ch;
    return fallback;
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
        return bz_error_set(err, BZ_ENOMEM, "out of memory for sharing boosts of %u agents",
                            sim->n);
    }
    return BZ_OK;
}

void bz_sim_boost(bz_sim *sim, uint32_t v, double mult, double until)
{
    if (sim->boost_until[v] > sim->t0) { /* an active boost: keep the larger */
        if (mult > sim->boost[v]) sim->boost[v] = (float)mult;
        if (until > sim->boost_until[v]) sim->boost_until[v] = (float)until;
    } else {
        sim->boost[v] = (float)mult;
        sim->boost_until[v] = (float)until;
    }
}

void bz_sim_count_states(bz_sim *sim)
{
    int64_t cnt[BZ_MAX_STATES] = {0};
    const uint8_t *st = sim->state;
    const int64_t n = sim->n;
#pragma omp parallel for reduction(+ : cnt[:BZ_MAX_STATES]) schedule(static) if (sim->n_threads > 1)
    for (int64_t i = 0; i < n; i++)
        cnt[st[i]]++;
    for (int k = 0; k < BZ_MAX_STATES; k++)
        sim->counts[k] = cnt[k];
}

int bz_sim_random_agents(uint32_t n, uint32_t k, bz_stream *s, uint32_t *out, bz_error *err)
{
    if (k > n) return bz_error_set(err, BZ_EINVAL, "cannot choose %u distinct agents of %u", k, n);
    uint64_t *seen = calloc(((size_t)n + 63) / 64, sizeof *seen);
    if (!seen) return bz_error_set(err, BZ_ENOMEM, "out of memory choosing %u agents", k);
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

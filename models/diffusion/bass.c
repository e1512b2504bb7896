/* Bass diffusion on a network (Bass 1969; network form as in Rand & Rust
 * 2011), in continuous time.
 *
 * A potential adopter v decides to buy at hazard
 *     lambda_v(t) = p + q s_v(t)
 * where p is the innovation rate, q the imitation rate (both per day) and
 * s_v the adopted share of v's in-neighbours over all layers; each
 * campaign exposure makes it decide at once with probability `response`.
 * Deciding is asking the market (engine/market.h): served, it adopts; not
 * served (not on sale, sold out), it waits in the market's queue and buys
 * when it can. With the product always on sale and unlimited stock this is
 * the plain model.
 *
 * Exactness. The hazard never exceeds p + q (s <= 1), so each potential
 * adopter draws candidate times from a Poisson process of rate p + q and
 * decides at a candidate with probability lambda_v(t) / (p + q), evaluated
 * then (thinning, Lewis & Shedler 1979): exact for any pattern of
 * neighbour adoptions, and an adoption only increments its out-neighbours'
 * counters (no rescheduling). Cost: (p + q) x horizon candidates per agent,
 * O(out-degree) per adoption. Candidate k of v draws from stream (v, k,
 * BZ_RNG_MODEL + 1).
 *
 * Well mixed. On a single well_mixed layer every potential adopter has the
 * same hazard p + q A(t) / (N - 1), A the adopters, so the model is the Bass
 * equation F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) as N -> inf,
 * with no discretisation at all: the agents' Exp(1) budgets are sorted once
 * and the next decision is the smallest budget left, reached when the
 * common integrated hazard does (one calendar entry, O(n log n) once). A
 * well_mixed layer beside others counts A(t) in every agent's share.
 *
 * Attribution: the cause of a decision is drawn in proportion to its
 * hazard: external for p, else a layer in proportion to its adopted
 * in-neighbours; an exposure's channel for a campaign decision.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/experiment.h"
#include "contagion.h"
#include "engine/market.h"
#include "engine/model.h"
#include "engine/sim.h"
#include "graph/generator.h"

typedef struct bass_params {
    double p, q, response;
} bass_params;

static const bz_param bass_param_table[] = {
    {"p", BZ_PT_RATE, 0, 1e6, "0.03/y", "per day",
     "innovation rate: decision hazard without any adopted neighbour (the meta-analytic mean for "
     "durables, Sultan, Farley & Lehmann 1990, is 0.03 per year: 8.2e-5 per day)",
     offsetof(bass_params, p), NULL},
    {"q", BZ_PT_RATE, 0, 1e6, "0.38/y", "per day",
     "imitation rate: extra hazard when every neighbour has adopted (Sultan et al. 1990: 0.38 per "
     "year, 0.00104 per day)",
     offsetof(bass_params, q), NULL},
    {"response", BZ_PT_PROB, 0, 1, "0.05", "probability",
     "chance that one campaign exposure (ad, KOL post) makes a potential adopter decide to buy",
     offsetof(bass_params, response), NULL},
};

static const char *const bass_states[] = {"potential", "adopted"};
enum { POTENTIAL, ADOPTED };

#define GLOBAL 0x800000u   /* aux of the well-mixed decision event */
#define VER_MASK 0x7FFFFFu /* candidate numbers in an event's aux (mod 2^23) */

typedef struct bass_state {
    int global;       /* one well_mixed layer: the common-hazard form */
    bz_nonces nc;     /* draw 0 of every agent is its budget */
    uint8_t *out;     /* [n] 1: decided (waiting or adopted): no longer in the hazard */
    uint8_t *want_ch; /* [n] channel of its decision */
    /* thinning form */
    uint32_t *cnt;   /* [L][n] adopted in-neighbours per network layer */
    double *inv_den; /* [n] 1 / total in-degree (0: none) */
    uint32_t *cand;  /* [n] candidates drawn */
    /* well-mixed form */
    double *budget;  /* [n] */
    uint32_t *order; /* [n] agents by budget */
    uint32_t next;   /* first of order not yet reached */
    double h, h_t;   /* common integrated hazard and when it was last brought up to date */
    uint32_t gver;
    int64_t adopted;
} bass_state;

static void bass_destroy(bz_sim *sim)
{
    bass_state *bs = sim->model_state;
    if (!bs) return;
    bz_nonces_destroy(&bs->nc);
    free(bs->out);
    free(bs->want_ch);
    free(bs->cnt);
    free(bs->inv_den);
    free(bs->cand);
    free(bs->budget);
    free(bs->order);
    free(bs);
    sim->model_state = NULL;
}

/* ---- thinning form ---------------------------------------------------------- */

/* Adopted in-neighbours of v over every layer (a well_mixed layer counts
 * every adopter but v). */
static double adopted_nbrs(const bz_sim *sim, const bass_state *bs, uint32_t v, size_t upto)
{
    double a = 0;
    for (size_t li = 0; li < upto; li++)
        a += sim->net->layers[li].complete ? (double)(bs->adopted - (sim->state[v] == ADOPTED))
                                           : (double)bs->cnt[li * (size_t)sim->n + v];
    return a;
}

/* v's next candidate time: rate p + q from now. */
static void next_candidate(bz_sim *sim, bass_state *bs, uint32_t v)
{
    const bass_params *bp = sim->mp;
    const double bound = bp->p + bp->q;
    if (!(bound > 0)) return;
    bz_stream s;
    bz_sim_stream(sim, &s, v, bs->cand[v], BZ_RNG_MODEL + 1);
    bz_sim_schedule(sim, sim->t + bz_stream_exp1(&s) / bound, BZ_EV_MODEL, bs->cand[v] & VER_MASK,
                    v);
}

/* v adopted: its out-neighbours' counters rise. */
static void tell_neighbours(bz_sim *sim, bass_state *bs, uint32_t v)
{
    for (size_t li = 0; li < sim->net->n_layers; li++) {
        const bz_layer *l = &sim->net->layers[li];
        if (l->complete) continue; /* counted through bs->adopted */
        for (uint64_t j = l->offsets[v]; j < l->offsets[v + 1]; j++)
            bs->cnt[li * (size_t)sim->n + l->targets[j]]++;
    }
}

/* ---- well-mixed form ---------------------------------------------------------- */

static double global_rate(const bz_sim *sim, const bass_state *bs)
{
    const bass_params *bp = sim->mp;
    return bp->p + (sim->n > 1 ? bp->q * (double)bs->adopted / (double)(sim->n - 1) : 0.0);
}

/* Bring the common hazard up to now and schedule the next decision. */
static void global_next(bz_sim *sim, bass_state *bs, double rate_before)
{
    bs->h += rate_before * (sim->t - bs->h_t);
    bs->h_t = sim->t;
    while (bs->next < sim->n && bs->out[bs->order[bs->next]])
        bs->next++;
    const uint32_t ver = ++bs->gver & VER_MASK;
    const double rate = global_rate(sim, bs);
    if (bs->next == sim->n || !(rate > 0)) return;
    const double gap = bs->budget[bs->order[bs->next]] - bs->h;
    bz_sim_schedule(sim, sim->t + (gap > 0 ? gap : 0) / rate, BZ_EV_MODEL, GLOBAL | ver, 0);
}

/* ---- decisions and adoption ---------------------------------------------------- */

/* v decides to buy now, tipped by `channel`. */
static void decide(bz_sim *sim, bass_state *bs, uint32_t v, int channel)
{
    bs->out[v] = 1;
    bs->want_ch[v] = (uint8_t)channel;
    bz_market_request(sim, v);
}

static void bass_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    const bass_params *bp = sim->mp;
    bass_state *bs = sim->model_state;
    bz_stream s;
    if (aux & GLOBAL) {
        if ((aux & VER_MASK) != (bs->gver & VER_MASK)) return;
        const double rate = global_rate(sim, bs);
        const uint32_t w = bs->order[bs->next];
        bs->h = bs->budget[w]; /* exactly reached */
        bs->h_t = sim->t;
        bz_nonces_stream(sim, &bs->nc, w, &s);
        const int ch = bz_stream_uniform(&s) * rate < bp->p ? BZ_CH_EXTERNAL : BZ_CH_LAYER0;
        decide(sim, bs, w, ch); /* may adopt, which schedules the next decision */
        global_next(sim, bs, global_rate(sim, bs));
        return;
    }
    if (aux != (bs->cand[v] & VER_MASK) || bs->out[v]) return;
    /* Candidate number cand[v]: decide with probability lambda / (p + q). */
    bz_sim_stream(sim, &s, v, bs->cand[v], BZ_RNG_MODEL + 1);
    (void)bz_stream_exp1(&s); /* the gap that led here */
    const size_t L = sim->net->n_layers;
    const double wom = bp->q * adopted_nbrs(sim, bs, v, L) * bs->inv_den[v];
    const double u = bz_stream_uniform(&s) * (bp->p + bp->q);
    bs->cand[v]++;
    if (!(u < bp->p + wom)) {
        next_candidate(sim, bs, v);
        return;
    }
    int ch = BZ_CH_EXTERNAL;
    if (u >= bp->p) { /* word of mouth: the layer in proportion to its adopters */
        const double target = (u - bp->p) / (bp->q * bs->inv_den[v]);
        ch = BZ_CH_LAYER0 + (int)L - 1;
        for (size_t li = 0; li < L; li++)
            if (target < adopted_nbrs(sim, bs, v, li + 1)) {
                ch = BZ_CH_LAYER0 + (int)li;
                break;
            }
    }
    decide(sim, bs, v, ch);
}

static void bass_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    (void)flags;
    const bass_params *bp = sim->mp;
    bass_state *bs = sim->model_state;
    if (sim->state[v] != POTENTIAL || bs->out[v] || !(bp->response > 0)) return;
    bz_stream s;
    bz_nonces_stream(sim, &bs->nc, v, &s);
    if (bz_stream_uniform(&s) < bp->response) decide(sim, bs, v, channel);
}

/* v is an adopter now (bought or given): its neighbours' hazards rise. */
static void adopted(bz_sim *sim, bass_state *bs, uint32_t v)
{
    const double before = bs->global ? global_rate(sim, bs) : 0;
    bs->out[v] = 1;
    bz_sim_move(sim, v, ADOPTED);
    bs->adopted++;
    if (bs->global)
        global_next(sim, bs, before);
    else
        tell_neighbours(sim, bs, v);
}

static int bass_adopt(bz_sim *sim, uint32_t v, int *referred)
{
    bass_state *bs = sim->model_state;
    *referred = 0;
    adopted(sim, bs, v);
    return bs->want_ch[v];
}

static int bass_seed(bz_sim *sim, uint32_t v, int channel)
{
    (void)channel;
    bass_state *bs = sim->model_state;
    if (sim->state[v] != POTENTIAL) return 0;
    bz_market_withdraw(sim, v);
    adopted(sim, bs, v);
    return 1;
}

static int cmp_budget(const void *a, const void *b, void *ctx)
{
    const double *bud = ctx;
    const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (bud[x] != bud[y]) return bud[x] < bud[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Sort agent ids by budget (ties by id): a heap sort, so no non-standard
 * qsort_r is needed and the order is the same everywhere. */
static void sort_by_budget(uint32_t *a, size_t n, const double *bud)
{
    for (size_t start = n / 2; start-- > 0;) {
        for (size_t i = start;;) {
            size_t c = 2 * i + 1, big = i;
            if (c < n && cmp_budget(&a[c], &a[big], (void *)bud) > 0) big = c;
            if (c + 1 < n && cmp_budget(&a[c + 1], &a[big], (void *)bud) > 0) big = c + 1;
            if (big == i) break;
            uint32_t t = a[i];
            a[i] = a[big];
            a[big] = t;
            i = big;
        }
    }
    for (size_t end = n; end-- > 1;) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        for (size_t i = 0;;) {
            size_t c = 2 * i + 1, big = i;
            if (c < end && cmp_budget(&a[c], &a[big], (void *)bud) > 0) big = c;
            if (c + 1 < end && cmp_budget(&a[c + 1], &a[big], (void *)bud) > 0) big = c + 1;
            if (big == i) break;
            uint32_t u = a[i];
            a[i] = a[big];
            a[big] = u;
            i = big;
        }
    }
}

static int bass_init(bz_sim *sim, bz_error *err)
{
    bass_state *bs = calloc(1, sizeof *bs);
    if (!bs) return bz_error_oom(err, NULL, sizeof *bs, "the bass model");
    sim->model_state = bs;
    const size_t n = sim->n ? sim->n : 1, L = sim->net->n_layers;
    bs->global = L == 1 && sim->net->layers[0].complete;
    int status = bz_nonces_init(&bs->nc, sim->n, err);
    if (status != BZ_OK) return status;
    bs->out = calloc(n, 1);
    bs->want_ch = calloc(n, 1);
    size_t bytes = 2 * n; /* of the allocations checked last, for the message */
    if (!bs->out || !bs->want_ch) goto oom;
    if (bs->global) {
        bs->budget = malloc(n * sizeof *bs->budget);
        bs->order = malloc(n * sizeof *bs->order);
        bytes = n * (sizeof *bs->budget + sizeof *bs->order);
        if (!bs->budget || !bs->order) goto oom;
        for (uint32_t v = 0; v < sim->n; v++) {
            bz_stream s;
            bz_nonces_stream(sim, &bs->nc, v, &s);
            bs->budget[v] = bz_stream_exp1(&s);
            bs->order[v] = v;
        }
        sort_by_budget(bs->order, sim->n, bs->budget);
        global_next(sim, bs, 0);
        return BZ_OK;
    }
    bs->cnt = calloc(n * (L ? L : 1), sizeof *bs->cnt);
    bs->inv_den = malloc(n * sizeof *bs->inv_den);
    bs->cand = calloc(n, sizeof *bs->cand);
    bytes = n * (L ? L : 1) * sizeof *bs->cnt + n * (sizeof *bs->inv_den + sizeof *bs->cand);
    if (!bs->cnt || !bs->inv_den || !bs->cand) goto oom;
    for (uint32_t v = 0; v < sim->n; v++) {
        double den = 0;
        for (size_t li = 0; li < L; li++)
            den += (double)bz_layer_in_degree(&sim->net->layers[li], v);
        bs->inv_den[v] = den > 0 ? 1.0 / den : 0.0;
        next_candidate(sim, bs, v);
    }
    return sim->status == BZ_OK ? BZ_OK : bz_error_set(err, sim->status, "%s", sim->fail.msg);
oom:
    return bz_error_oom(err, NULL, bytes, "the bass model (%u agents)", sim->n);
}

const bz_model_type bz_model_bass = {
    .name = "bass",
    .summary = "Bass diffusion in continuous time: decision hazard p + q x adopted share of "
               "neighbours (per day), purchases through the market",
    .params = bass_param_table,
    .n_params = BZ_PARAMS_COUNT(bass_param_table),
    .params_size = sizeof(bass_params),
    .states = bass_states,
    .n_states = 2,
    .adopted_mask = 1u << ADOPTED,
    .honours = BZ_LEVER_EXPOSE | BZ_LEVER_SEED | BZ_LEVER_SALE,
    .buys = 1,
    .init = bass_init,
    .event = bass_event,
    .expose = bass_expose,
    .seed = bass_seed,
    .adopt = bass_adopt,
    .destroy = bass_destroy,
};

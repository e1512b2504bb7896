/* Bass diffusion on a network (Bass 1969; network form as in Rand & Rust 2011).
 *
 * A potential adopter adopts in a step of length dt with probability
 *     1 - exp(-(p + q * s) dt) * (1 - response)^e
 * where p is the innovation rate, q the imitation rate (both per day), s the
 * adopted share of the agent's in-neighbours over all layers, and e the number
 * of campaign exposures it received in the step. On a well_mixed layer s is
 * the adopted share of the whole population (minus the agent), so the model is
 * the Bass equation, F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) as
 * N -> inf and dt -> 0 (docs/models.md quantifies the step error).
 *
 * Shares use the counts at the start of the step (synchronous update): new
 * adopters push +1 to each out-neighbour's per-layer counter once, in the
 * next step's first phase. Cost per step O(n + arcs of new adopters).
 *
 * Adoption is a purchase (buys = 1): an agent that decides to adopt asks the
 * market (bz_sim_want) and adopts only if served (bass_adopt), see
 * core/market.h. With the product always on sale and unlimited stock every
 * request is served, which is the plain model.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/sim.h"

typedef struct bass_params {
    double p, q, response;
} bass_params;

static const bz_param bass_param_table[] = {
    {"p", BZ_PT_RATE, 0, 1e6, "0.03", "per day",
     "innovation rate: adoption hazard without any adopted neighbour (Sultan et al. 1990: "
     "0.03/year "
     "for durables; per day here so short campaigns can be studied)",
     offsetof(bass_params, p), NULL},
    {"q", BZ_PT_RATE, 0, 1e6, "0.38", "per day",
     "imitation rate: extra hazard when every neighbour has adopted (Sultan et al. 1990: "
     "0.38/year)",
     offsetof(bass_params, q), NULL},
    {"response", BZ_PT_PROB, 0, 1, "0.05", "probability",
     "chance that one campaign exposure (ad, KOL post) makes a potential adopter adopt",
     offsetof(bass_params, response), NULL},
};

static const char *const bass_states[] = {"potential", "adopted"};

typedef struct bass_state {
    uint32_t *adopted_nbrs; /* [n_layers][n]: adopted in-neighbours per layer */
    double *inv_den;        /* [n]: 1 / total in-degree over layers (0 if none) */
    uint8_t *fresh;         /* adopted in the previous step, not yet pushed */
    int64_t prev_adopted;   /* adopters at the start of the step (well_mixed) */
} bass_state;

static int bass_init(bz_sim *sim, bz_error *err)
{
    bass_state *bs = calloc(1, sizeof *bs);
    if (!bs) return bz_error_set(err, BZ_ENOMEM, "out of memory for the bass model");
    sim->model_state = bs;
    size_t L = sim->net->n_layers;
    bs->adopted_nbrs = calloc((size_t)sim->n * L, sizeof *bs->adopted_nbrs);
    bs->fresh = calloc(sim->n, 1);
    bs->inv_den = malloc((size_t)sim->n * sizeof *bs->inv_den);
    if (!bs->adopted_nbrs || !bs->fresh || !bs->inv_den)
        return bz_error_set(err, BZ_ENOMEM, "out of memory for the bass model (%u agents)", sim->n);
    /* The share's denominator depends only on the network: compute once. */
    const int64_t n = sim->n;
#pragma omp parallel for schedule(static) if (sim->n_threads > 1)
    for (int64_t v = 0; v < n; v++) {
        double den = 0;
        for (size_t li = 0; li < L; li++)
            den += (double)bz_layer_in_degree(&sim->net->layers[li], (uint32_t)v);
        bs->inv_den[v] = den > 0 ? 1.0 / den : 0.0;
    }
    return BZ_OK;
}

static void bass_destroy(bz_sim *sim)
{
    bass_state *bs = sim->model_state;
    if (!bs) return;
    free(bs->adopted_nbrs);
    free(bs->fresh);
    free(bs->inv_den);
    free(bs);
    sim->model_state = NULL;
}

static int bass_seed(bz_sim *sim, uint32_t agent, int channel)
{
    (void)channel;
    bass_state *bs = sim->model_state;
    if (sim->state[agent] != 0) return 0;
    sim->state[agent] = 1;
    bs->fresh[agent] = 1;
    return 1;
}

static void bass_step(bz_sim *sim)
{
    const bass_params *bp = sim->mp;
    bass_state *bs = sim->model_state;
    const bz_network *net = sim->net;
    const size_t L = net->n_layers;
    const int64_t n = sim->n;
    const int par = sim->n_threads > 1;

    /* Phase 1: last step's adopters tell their out-neighbours, once. */
#pragma omp parallel for schedule(dynamic, 4096) if (par)
    for (int64_t u = 0; u < n; u++) {
        if (!bs->fresh[u]) continue;
        bs->fresh[u] = 0;
        for (size_t li = 0; li < L; li++) {
            const bz_layer *l = &net->layers[li];
            if (l->complete) continue; /* uses the global count instead */
            uint32_t *cnt = bs->adopted_nbrs + li * (size_t)n;
            for (uint64_t j = l->offsets[u]; j < l->offsets[u + 1]; j++) {
#pragma omp atomic
                cnt[l->targets[j]]++;
            }
        }
    }

    /* Phase 2: each potential adopter decides from its counters. */
    const int64_t adopted_now = sim->counts[1];
    const double dt = sim->dt, logr = log1p(-fmin(bp->response, 1.0 - 1e-16));
    const double p_dt = bp->p * dt, prob_ext = -expm1(-p_dt);
#pragma omp parallel if (par)
    {
        bz_tally *t = bz_sim_tally(sim);
#pragma omp for schedule(static)
        for (int64_t v = 0; v < n; v++) {
            if (sim->state[v] != 0) continue;
            /* Share of adopted in-neighbours over all layers. */
            double num = 0;
            for (size_t li = 0; li < L; li++)
                num += net->layers[li].complete ? (double)adopted_now
                                                : (double)bs->adopted_nbrs[li * (size_t)n + v];
            double h_ext = p_dt, h_wom = bp->q * num * bs->inv_den[v] * dt;
            const uint32_t e = sim->inbox[v].ext;
            double h_camp = e ? -(double)e * logr : 0.0;
            double h = h_ext + h_wom + h_camp;
            if (h <= 0) continue;
            /* Most agents most of the time feel only the innovation hazard:
             * its probability is computed once per step, not per agent. */
            double prob = (h_wom == 0 && h_camp == 0) ? prob_ext : -expm1(-h);
            bz_stream s;
            bz_sim_agent_stream(sim, &s, (uint32_t)v, BZ_RNG_DECIDE);
            if (!(bz_stream_uniform(&s) < prob)) continue;
            /* Competing risks: the tipping cause is drawn in proportion to
             * its hazard; within word of mouth, in proportion to each
             * layer's adopted neighbours. */
            double u = bz_stream_uniform(&s) * h;
            int ch = BZ_CH_EXTERNAL;
            if (u >= h_ext && u < h_ext + h_wom) {
                double target = (u - h_ext) / h_wom * num, acc = 0;
                ch = BZ_CH_LAYER0;
                for (size_t li = 0; li < L; li++) {
                    const bz_layer *l = &net->layers[li];
                    acc += l->complete ? (double)adopted_now
                                       : (double)bs->adopted_nbrs[li * (size_t)n + v];
                    if (target < acc) {
                        ch = BZ_CH_LAYER0 + (int)li;
                        break;
                    }
                }
            } else if (u >= h_ext + h_wom) {
                ch = bz_sim_pick_channel(sim->inbox[v].mask & (((uint32_t)1 << BZ_CH_LAYER0) - 1),
                                         &s, BZ_CH_ADVERTISING);
            }
            /* Adoption is a purchase: the market serves it (bass_adopt) if
             * the product is on sale and in stock. */
            bz_sim_want(sim, t, (uint32_t)v, ch);
        }
    }
}

/* A served buyer adopts (serial, after the step). */
static void bass_adopt(bz_sim *sim, uint32_t v, int channel)
{
    bass_state *bs = sim->model_state;
    sim->state[v] = 1;
    bs->fresh[v] = 1;
    bz_tally_adopt(&sim->tally[0], channel);
}

const bz_model_type bz_model_bass = {
    .name = "bass",
    .summary = "Bass diffusion: adoption hazard p + q x adopted share of neighbours (per day)",
    .params = bass_param_table,
    .n_params = BZ_PARAMS_COUNT(bass_param_table),
    .params_size = sizeof(bass_params),
    .states = bass_states,
    .n_states = 2,
    .adopted_mask = 1u << 1,
    .buys = 1,
    .init = bass_init,
    .step = bass_step,
    .seed = bass_seed,
    .adopt = bass_adopt,
    .destroy = bass_destroy,
};

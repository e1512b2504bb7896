/* SIR on the network layers in continuous time (Kermack-McKendrick on a
 * network; the event-driven form of Kiss, Miller & Simon 2017).
 *
 * An infectious agent recovers after D ~ Exp(gamma) days and transmits
 * along each of its out-ties as a Poisson process of rate beta (per tie per
 * day) while infectious: the tie's first transmission comes after
 * Exp(beta), so it transmits at all with probability 1 - exp(-beta D), and
 * on a network the final outbreak is bond percolation with transmissibility
 * T = E[1 - exp(-beta D)] = beta / (beta + gamma) (Newman 2002). A
 * susceptible agent reached by a transmission becomes infectious then.
 * Campaign exposures infect a susceptible agent with probability
 * `response` each.
 *
 * Event-driven with the cost of the events only: when u becomes
 * infectious it draws D, then skips geometrically over its ties with
 * probability 1 - exp(-beta D), and for each tie that transmits draws the
 * time from the exponential truncated at D (for every such tie, so u's
 * draws never depend on its neighbours' states). So an infection costs
 * O(1 + transmissions) draws and queue entries, whatever the degree. Streams:
 * (u, 0, BZ_RNG_MODEL + 1) for u's infectious period and transmissions (an
 * agent is infected once), (v, k, BZ_RNG_DECIDE) for its k-th exposure.
 */
#include <math.h>
#include <stdlib.h>

#include "contagion.h"
#include "engine/model.h"
#include "engine/sim.h"

typedef struct sir_params {
    double beta, gamma, response;
    int64_t seeds;
} sir_params;

static const bz_param sir_param_table[] = {
    {"beta", BZ_PT_RATE, 0, 1e9, "0.5", "per tie per day",
     "transmission rate along each tie from an infectious agent", offsetof(sir_params, beta), NULL},
    {"gamma", BZ_PT_RATE, 0, 1e9, "0.2", "per day",
     "recovery rate (mean infectious period 1/gamma: 5 days)", offsetof(sir_params, gamma), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "1", "agents", "agents infectious at random at the start",
     offsetof(sir_params, seeds), NULL},
    {"response", BZ_PT_PROB, 0, 1, "1", "probability",
     "chance that one campaign exposure infects a susceptible agent",
     offsetof(sir_params, response), NULL},
};

static const char *const sir_states[] = {"susceptible", "infectious", "recovered"};

enum { S, I, R };
#define RECOVER 0x800000u /* aux of a recovery; else aux = layer of a transmission */

typedef struct sir_state {
    bz_nonces nc;
} sir_state;

static void sir_destroy(bz_sim *sim)
{
    sir_state *ss = sim->model_state;
    if (!ss) return;
    bz_nonces_destroy(&ss->nc);
    free(ss);
    sim->model_state = NULL;
}

/* v becomes infectious now, tipped by `channel` (tallied unless a seed:
 * bz_sim_seed tallies those). The ties that transmit and their times are
 * drawn first, in batches, whatever the state of the neighbours (so v's
 * stream does not depend on anyone else: common random numbers hold
 * across arms); the neighbours' states are prefetched for the batch and
 * only transmissions to susceptible agents are scheduled. */
#define BATCH 32
static void infect(bz_sim *sim, uint32_t v, int channel, int tally)
{
    const sir_params *sp = sim->mp;
    bz_sim_move(sim, v, I);
    if (tally) bz_sim_adopted(sim, v, channel);
    bz_stream s;
    bz_sim_stream(sim, &s, v, 0, BZ_RNG_MODEL + 1);
    const double d = sp->gamma > 0 ? bz_stream_exp1(&s) / sp->gamma : INFINITY;
    bz_sim_schedule(sim, sim->t + d, BZ_EV_MODEL, RECOVER, v);
    const uint64_t deg = bz_contagion_degree(sim, v);
    if (deg == 0 || !(sp->beta > 0)) return;
    /* A tie transmits before recovery with probability p = 1 - exp(-beta d). */
    const double lq = isinf(d) ? -INFINITY : -sp->beta * d; /* log of no transmission */
    const double p = isinf(d) ? 1.0 : -expm1(lq), inv_lq = 1.0 / lq;
    uint32_t w[BATCH], li[BATCH];
    const uint32_t *at[BATCH];
    double tau[BATCH];
    uint64_t j = isinf(lq) ? 0 : bz_stream_geometric_skip(&s, inv_lq);
    while (j < deg) {
        /* Three passes over a batch so that its cache misses overlap: the
         * ties' places in the rows, the neighbours, their states. */
        int k = 0;
        for (; k < BATCH && j < deg; k++) {
            size_t layer;
            uint64_t jj = j;
            const bz_layer *l = bz_contagion_layer_of(sim, v, &jj, &layer);
            li[k] = (uint32_t)layer;
            if (l->complete) {
                at[k] = NULL;
                w[k] = (uint32_t)(jj < v ? jj : jj + 1);
            } else {
                at[k] = &l->targets[l->offsets[v] + jj];
                __builtin_prefetch(at[k]);
            }
            /* First transmission time given that it comes before recovery. */
            tau[k] = -bz_ln01(1.0 - bz_stream_uniform(&s) * p) / sp->beta;
            j += 1 + (isinf(lq) ? 0 : bz_stream_geometric_skip(&s, inv_lq));
        }
        for (int q = 0; q < k; q++) {
            if (at[q]) w[q] = *at[q];
            __builtin_prefetch(&sim->state[w[q]]);
        }
        for (int q = 0; q < k; q++)
            if (sim->state[w[q]] == S)
                bz_sim_schedule(sim, sim->t + tau[q], BZ_EV_MODEL, li[q], w[q]);
    }
}

static void sir_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    if (aux == RECOVER) {
        if (sim->state[v] == I) bz_sim_move(sim, v, R);
        return;
    }
    if (sim->state[v] == S) infect(sim, v, BZ_CH_LAYER0 + (int)aux, 1);
}

static void sir_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    (void)flags;
    const sir_params *sp = sim->mp;
    sir_state *ss = sim->model_state;
    if (sim->state[v] != S || !(sp->response > 0)) return;
    bz_stream s;
    bz_nonces_stream(sim, &ss->nc, v, &s);
    if (bz_stream_uniform(&s) < sp->response) infect(sim, v, channel, 1);
}

/* A transmission reaching a susceptible agent will read its rows; a
 * recovery only its state. */
static void sir_prefetch(const bz_sim *sim, uint32_t v, uint32_t aux, int stage)
{
    if (stage == 0) {
        __builtin_prefetch(&sim->state[v]);
        if (aux != RECOVER) bz_contagion_prefetch(sim, v, 0);
    } else if (stage == 1 && aux != RECOVER && sim->state[v] == S) {
        bz_contagion_prefetch(sim, v, 1);
        __builtin_prefetch(&sim->t_adopt[v], 1);
    }
}

static int sir_seed(bz_sim *sim, uint32_t v, int channel)
{
    if (sim->state[v] != S) return 0;
    infect(sim, v, channel, 0);
    return 1;
}

static int sir_init(bz_sim *sim, bz_error *err)
{
    const sir_params *mp = sim->mp;
    sir_state *ss = calloc(1, sizeof *ss);
    if (!ss) return bz_error_oom(err, NULL, sizeof *ss, "the sir model");
    sim->model_state = ss;
    int status = bz_nonces_init(&ss->nc, sim->n, err);
    if (status != BZ_OK) return status;
    return bz_contagion_seed_random(sim, (uint32_t)mp->seeds, err);
}

const bz_model_type bz_model_sir = {
    .name = "sir",
    .summary = "SIR in continuous time: transmission per tie at rate beta, recovery at rate "
               "gamma (final size: bond percolation with T = beta / (beta + gamma))",
    .params = sir_param_table,
    .n_params = BZ_PARAMS_COUNT(sir_param_table),
    .params_size = sizeof(sir_params),
    .states = sir_states,
    .n_states = 3,
    .adopted_mask = (1u << I) | (1u << R),
    .honours = BZ_LEVER_EXPOSE | BZ_LEVER_SEED,
    .init = sir_init,
    .event = sir_event,
    .prefetch = sir_prefetch,
    .expose = sir_expose,
    .seed = sir_seed,
    .destroy = sir_destroy,
};

/* Discrete-time SIR on the network layers.
 *
 * In a step of length dt every infectious agent contacts each out-neighbour
 * independently with probability 1 - exp(-beta dt) (beta per tie per day) and
 * a susceptible agent contacted at least once becomes infectious; then every
 * agent that was infectious at the start of the step recovers with
 * probability 1 - exp(-gamma dt). Campaign exposures infect a susceptible
 * agent with probability `response` each. With dt -> 0 this converges to the
 * continuous-time SIR on the network. Cost per step O(n + contacts made).
 */
#include <math.h>
#include <stdlib.h>

#include "contagion.h"
#include "core/model.h"
#include "core/sim.h"
#include "rng/rng.h"

typedef struct sir_params {
    double beta, gamma, response;
    int64_t seeds;
} sir_params;

static const bz_param sir_param_table[] = {
    {"beta", BZ_PT_RATE, 0, 1e9, "0.5", "per day",
     "transmission rate per tie from an infectious agent", offsetof(sir_params, beta), NULL},
    {"gamma", BZ_PT_RATE, 0, 1e9, "0.2", "per day",
     "recovery rate (mean infectious period 1/gamma)", offsetof(sir_params, gamma), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "1", "agents",
     "agents infectious at random before the first step", offsetof(sir_params, seeds), NULL},
    {"response", BZ_PT_PROB, 0, 1, "1", "probability",
     "chance that one campaign exposure infects a susceptible agent",
     offsetof(sir_params, response), NULL},
};

static const char *const sir_states[] = {"susceptible", "infectious", "recovered"};

enum { S = 0, I = 1, R = 2 };

static int sir_init(bz_sim *sim, bz_error *err)
{
    const sir_params *sp = sim->mp;
    return bz_contagion_seed_random(sim, (uint32_t)sp->seeds, I, err);
}

static int sir_seed(bz_sim *sim, uint32_t agent, int channel)
{
    (void)channel;
    if (sim->state[agent] != S) return 0;
    sim->state[agent] = I;
    return 1;
}

static void sir_step(bz_sim *sim)
{
    const sir_params *sp = sim->mp;
    const int64_t n = sim->n;
    const size_t L = sim->net->n_layers;
    const int par = sim->n_threads > 1;
    const double p_inf = bz_rate_to_prob(sp->beta, sim->dt);
    const double p_rec = bz_rate_to_prob(sp->gamma, sim->dt);
    const uint32_t layer_bits = ~(((uint32_t)1 << BZ_CH_LAYER0) - 1);
    const uint32_t campaign_bits = ~layer_bits;
    const double logr = log1p(-fmin(sp->response, 1.0 - 1e-16));

#pragma omp parallel if (par)
    {
        bz_tally *t = bz_sim_tally(sim);
#pragma omp for schedule(dynamic, 1024)
        for (int64_t u = 0; u < n; u++) {
            if (sim->state[u] != I) continue;
            for (size_t li = 0; li < L; li++) bz_spread(sim, t, li, (uint32_t)u, p_inf, sim->wom);
        }
#pragma omp for schedule(static)
        for (int64_t v = 0; v < n; v++) {
            uint8_t st = sim->state[v];
            if (st == I) {
                bz_stream s;
                bz_sim_agent_stream(sim, &s, (uint32_t)v, BZ_RNG_DECIDE);
                if (bz_stream_uniform(&s) < p_rec) sim->state[v] = R;
            } else if (st == S && (sim->wom[v] || sim->ext[v])) {
                bz_stream s;
                bz_sim_agent_stream(sim, &s, (uint32_t)v, BZ_RNG_DECIDE);
                int ch;
                if (sim->wom[v]) {
                    ch = bz_sim_pick_channel(sim->chmask[v] & layer_bits, &s, BZ_CH_LAYER0);
                } else {
                    if (!(bz_stream_uniform(&s) < -expm1((double)sim->ext[v] * logr))) continue;
                    ch = bz_sim_pick_channel(sim->chmask[v] & campaign_bits, &s,
                                             BZ_CH_ADVERTISING);
                }
                sim->state[v] = I;
                bz_tally_adopt(t, ch);
            }
        }
    }
}

const bz_model_type bz_model_sir = {
    .name = "sir",
    .summary = "discrete-time SIR: infection per tie at rate beta, recovery at rate gamma",
    .params = sir_param_table,
    .n_params = BZ_PARAMS_COUNT(sir_param_table),
    .params_size = sizeof(sir_params),
    .states = sir_states,
    .n_states = 3,
    .adopted_mask = (1u << I) | (1u << R),
    .init = sir_init,
    .step = sir_step,
    .seed = sir_seed,
};

/* Discrete-time SIR on the network layers.
 *
 * In a step of length dt every infectious agent contacts each out-neighbour
 * independently with probability 1 - exp(-beta dt) (beta per tie per day) and
 * a susceptible agent contacted at least once becomes infectious; then every
 * agent that was infectious at the start of the step recovers with
 * probability 1 - exp(-gamma dt). Campaign exposures infect a susceptible
 * agent with probability `response` each. With dt -> 0 this converges to the
 * continuous-time SIR on the network.
 *
 * Event-driven: the model keeps the list of infectious agents and looks only
 * at them and at the agents contacted in the step, so a step costs
 * O(infectious + contacts), not O(n).
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

enum { S = BZ_CONTAGION_SUSCEPTIBLE, I = BZ_CONTAGION_ACTIVE, R = 2 };

static int sir_init(bz_sim *sim, bz_error *err)
{
    const sir_params *mp = sim->mp;
    return bz_contagion_init(sim, (uint32_t)mp->seeds, err);
}

static void sir_step(bz_sim *sim)
{
    const sir_params *sp = sim->mp;
    bz_active *a = sim->model_state;
    const size_t L = sim->net->n_layers;
    const int par = sim->n_threads > 1;
    const double p_inf = bz_rate_to_prob(sp->beta, sim->dt);
    const double p_rec = bz_rate_to_prob(sp->gamma, sim->dt);
    const double logr = log1p(-fmin(sp->response, 1.0 - 1e-16));
    const int64_t n_inf = (int64_t)a->n;
    int64_t infected = 0, recovered = 0;

#pragma omp parallel if (par) reduction(+ : infected, recovered)
    {
        bz_tally *t = bz_sim_tally(sim);
        /* Phase 1: the infectious contact their neighbours. */
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < n_inf; b += 256)
            for (size_t li = 0; li < L; li++)
                bz_spread_batch(sim, t, li, a->list + b, n_inf - b < 256 ? n_inf - b : 256, p_inf,
                                S);
        /* Phase 2a: contacted or exposed susceptibles become infectious.
         * The touched list is complete only after phase 1's barrier. */
        const int64_t n_touched = (int64_t)sim->touched.reserved;
#pragma omp for schedule(dynamic, 256)
        for (int64_t i = 0; i < n_touched; i++)
            infected += bz_contagion_take_up(sim, t, sim->touched.ids[i], logr);
            /* Phase 2b: those infectious at the start of the step may recover. */
#pragma omp for schedule(static)
        for (int64_t i = 0; i < n_inf; i++) {
            uint32_t v = a->list[i];
            bz_stream s;
            bz_sim_agent_stream(sim, &s, v, BZ_RNG_DECIDE);
            if (bz_stream_uniform(&s) < p_rec) {
                sim->state[v] = R;
                recovered++;
            } else {
                bz_active_push_next(a, sim, t, v);
            }
        }
    }
    bz_active_swap(a);
    sim->counts[S] -= infected;
    sim->counts[I] += infected - recovered;
    sim->counts[R] += recovered;
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
    .maintains_counts = 1,
    .init = sir_init,
    .step = sir_step,
    .seed = bz_contagion_seed,
    .destroy = bz_contagion_destroy,
};

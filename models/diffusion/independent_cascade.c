/* Independent cascade (Kempe, Kleinberg & Tardos 2003).
 *
 * An agent activated in step t gets one chance, in step t + 1, to activate
 * each out-neighbour on every layer, independently with probability p; then
 * it is spent. Campaign exposures activate an inactive agent with probability
 * `response` each. The final number of ever-active agents is the size of the
 * seed's cluster in bond percolation with occupation p (Newman 2002): on
 * G(n, z/n) a large cascade reaches S = 1 - exp(-z p S) of the agents.
 * p is a one-off probability per tie, so it does not depend on time.step.
 * Cost per step O(n + contacts made).
 */
#include <math.h>
#include <stdlib.h>

#include "contagion.h"
#include "core/model.h"
#include "core/sim.h"

typedef struct ic_params {
    double p, response;
    int64_t seeds;
} ic_params;

static const bz_param ic_param_table[] = {
    {"p", BZ_PT_PROB, 0, 1, "0.1", "probability",
     "chance that a newly active agent activates one given out-neighbour (once per tie)",
     offsetof(ic_params, p), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "1", "agents",
     "agents activated at random before the first step (0: only campaigns start cascades)",
     offsetof(ic_params, seeds), NULL},
    {"response", BZ_PT_PROB, 0, 1, "1", "probability",
     "chance that one campaign exposure activates an inactive agent",
     offsetof(ic_params, response), NULL},
};

static const char *const ic_states[] = {"inactive", "active", "spent"};

static int ic_init(bz_sim *sim, bz_error *err)
{
    const ic_params *ip = sim->mp;
    return bz_contagion_seed_random(sim, (uint32_t)ip->seeds, 1, err);
}

static int ic_seed(bz_sim *sim, uint32_t agent, int channel)
{
    (void)channel;
    if (sim->state[agent] != 0) return 0;
    sim->state[agent] = 1;
    return 1;
}

static void ic_step(bz_sim *sim)
{
    const ic_params *ip = sim->mp;
    const int64_t n = sim->n;
    const size_t L = sim->net->n_layers;
    const int par = sim->n_threads > 1;
    const uint32_t layer_bits = ~(((uint32_t)1 << BZ_CH_LAYER0) - 1);
    const uint32_t campaign_bits = ~layer_bits;
    const double logr = log1p(-fmin(ip->response, 1.0 - 1e-16));

#pragma omp parallel if (par)
    {
        bz_tally *t = bz_sim_tally(sim);
        /* Phase 1: agents activated last step (or seeded) try their ties. */
#pragma omp for schedule(dynamic, 1024)
        for (int64_t u = 0; u < n; u++) {
            if (sim->state[u] != 1) continue;
            for (size_t li = 0; li < L; li++) bz_spread(sim, t, li, (uint32_t)u, ip->p, sim->wom);
            sim->state[u] = 2;
        }
        /* Phase 2: inactive agents reached by a contact or converted by a
         * campaign exposure become active. */
#pragma omp for schedule(static)
        for (int64_t v = 0; v < n; v++) {
            if (sim->state[v] != 0 || (sim->wom[v] == 0 && sim->ext[v] == 0)) continue;
            bz_stream s;
            bz_sim_agent_stream(sim, &s, (uint32_t)v, BZ_RNG_DECIDE);
            int ch;
            if (sim->wom[v] > 0) {
                ch = bz_sim_pick_channel(sim->chmask[v] & layer_bits, &s, BZ_CH_LAYER0);
            } else {
                if (!(bz_stream_uniform(&s) < -expm1((double)sim->ext[v] * logr))) continue;
                ch = bz_sim_pick_channel(sim->chmask[v] & campaign_bits, &s, BZ_CH_ADVERTISING);
            }
            sim->state[v] = 1;
            bz_tally_adopt(t, ch);
        }
    }
}

const bz_model_type bz_model_independent_cascade = {
    .name = "independent_cascade",
    .summary = "independent cascade: each new activation gets one chance p per tie",
    .params = ic_param_table,
    .n_params = BZ_PARAMS_COUNT(ic_param_table),
    .params_size = sizeof(ic_params),
    .states = ic_states,
    .n_states = 3,
    .adopted_mask = (1u << 1) | (1u << 2),
    .init = ic_init,
    .step = ic_step,
    .seed = ic_seed,
};

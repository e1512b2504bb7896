/* Independent cascade (Kempe, Kleinberg & Tardos 2003).
 *
 * An agent activated in step t gets one chance, in step t + 1, to activate
 * each out-neighbour on every layer, independently with probability p; then
 * it is spent. Campaign exposures activate an inactive agent with probability
 * `response` each. The final number of ever-active agents is the size of the
 * seed's cluster in bond percolation with occupation p (Newman 2002): on
 * G(n, z/n) a large cascade reaches S = 1 - exp(-z p S) of the agents.
 * p is a one-off probability per tie, so it does not depend on time.step.
 * Event-driven: a step costs O(newly active + contacts made), not O(n).
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
     "chance that one campaign exposure activates an inactive agent", offsetof(ic_params, response),
     NULL},
};

static const char *const ic_states[] = {"inactive", "active", "spent"};

enum { INACTIVE = BZ_CONTAGION_SUSCEPTIBLE, ACTIVE = BZ_CONTAGION_ACTIVE, SPENT = 2 };

static int ic_init(bz_sim *sim, bz_error *err)
{
    const ic_params *mp = sim->mp;
    return bz_contagion_init(sim, (uint32_t)mp->seeds, err);
}

static void ic_step(bz_sim *sim)
{
    const ic_params *ip = sim->mp;
    bz_active *a = sim->model_state;
    const size_t L = sim->net->n_layers;
    const int par = sim->n_threads > 1;
    const double logr = log1p(-fmin(ip->response, 1.0 - 1e-16));
    const int64_t n_act = (int64_t)a->n;
    int64_t activated = 0;

#pragma omp parallel if (par) reduction(+ : activated)
    {
        bz_tally *t = bz_sim_tally(sim);
        /* Phase 1: agents activated last step (or seeded) try their ties
         * once (no state is written while contacts are filtered on it)... */
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < n_act; b += 256)
            for (size_t li = 0; li < L; li++)
                bz_spread_batch(sim, t, li, a->list + b, n_act - b < 256 ? n_act - b : 256, ip->p,
                                INACTIVE);
                /* ...then they are spent. */
#pragma omp for schedule(static)
        for (int64_t i = 0; i < n_act; i++)
            sim->state[a->list[i]] = SPENT;
        /* Phase 2: inactive agents reached by a contact, or converted by a
         * campaign exposure, become active. */
        const int64_t n_touched = (int64_t)sim->touched.reserved;
#pragma omp for schedule(dynamic, 256)
        for (int64_t i = 0; i < n_touched; i++)
            activated += bz_contagion_take_up(sim, t, sim->touched.ids[i], logr);
    }
    bz_active_swap(a);
    sim->counts[INACTIVE] -= activated;
    sim->counts[ACTIVE] = activated;
    sim->counts[SPENT] += n_act;
}

const bz_model_type bz_model_independent_cascade = {
    .name = "independent_cascade",
    .summary = "independent cascade: each new activation gets one chance p per tie",
    .params = ic_param_table,
    .n_params = BZ_PARAMS_COUNT(ic_param_table),
    .params_size = sizeof(ic_params),
    .states = ic_states,
    .n_states = 3,
    .adopted_mask = (1u << ACTIVE) | (1u << SPENT),
    .maintains_counts = 1,
    .init = ic_init,
    .step = ic_step,
    .seed = bz_contagion_seed,
    .destroy = bz_contagion_destroy,
};

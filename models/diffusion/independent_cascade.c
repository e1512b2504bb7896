/* Independent cascade (Kempe, Kleinberg & Tardos 2003) in continuous time.
 *
 * An agent activated at time t gets one chance to activate each
 * out-neighbour on every layer, independently with probability p, at time
 * t + delay (one generation of the discrete model per `delay`); then it is
 * spent. Campaign exposures activate an inactive agent with probability
 * `response` each. The final number of ever-active agents is the size of
 * the seed's cluster in bond percolation with occupation p (Newman 2002):
 * on G(n, z/n) a large cascade reaches S = 1 - exp(-z p S) of the agents,
 * for any delay. Activations that reach one agent at the same instant are
 * resolved by the event order (time, layer, agent), so attribution does not
 * depend on scheduling.
 *
 * Event-driven: an activation skips geometrically over the agent's ties, so
 * it costs O(1 + successful ties). Streams: (u, 0, BZ_RNG_MODEL + 1) for
 * u's ties (an agent is activated once), (v, k, BZ_RNG_DECIDE) for its
 * k-th exposure.
 */
#include <math.h>
#include <stdlib.h>

#include "contagion.h"
#include "engine/model.h"
#include "engine/sim.h"

typedef struct ic_params {
    double p, response, delay;
    int64_t seeds;
} ic_params;

static const bz_param ic_param_table[] = {
    {"p", BZ_PT_PROB, 0, 1, "0.1", "probability",
     "chance that a newly active agent activates one given out-neighbour (once per tie)",
     offsetof(ic_params, p), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "1", "agents",
     "agents activated at random at the start (0: only campaigns start cascades)",
     offsetof(ic_params, seeds), NULL},
    {"response", BZ_PT_PROB, 0, 1, "1", "probability",
     "chance that one campaign exposure activates an inactive agent", offsetof(ic_params, response),
     NULL},
    {"delay", BZ_PT_DURATION, 0, 1e6, "1d", "days",
     "time from an activation to its attempts on the neighbours (one generation of the "
     "discrete-time model); the final size does not depend on it",
     offsetof(ic_params, delay), NULL},
};

static const char *const ic_states[] = {"inactive", "active", "spent"};

enum { INACTIVE, ACTIVE, SPENT };
#define SPEND 0x800000u /* aux of the end of an agent's turn; else aux = layer of an attempt */

typedef struct ic_state {
    bz_nonces nc;
} ic_state;

static void ic_destroy(bz_sim *sim)
{
    ic_state *is = sim->model_state;
    if (!is) return;
    bz_nonces_destroy(&is->nc);
    free(is);
    sim->model_state = NULL;
}

static void activate(bz_sim *sim, uint32_t v, int channel, int tally)
{
    const ic_params *ip = sim->mp;
    bz_sim_move(sim, v, ACTIVE);
    if (tally) bz_sim_adopted(sim, v, channel);
    const double at = sim->t + ip->delay;
    bz_sim_schedule(sim, at, BZ_EV_MODEL, SPEND, v);
    if (!(ip->p > 0)) return;
    const double inv_lq = ip->p < 1 ? 1.0 / log1p(-ip->p) : 0.0;
    bz_stream s;
    bz_sim_stream(sim, &s, v, 0, BZ_RNG_MODEL + 1);
    for (size_t li = 0; li < sim->net->n_layers; li++) {
        const bz_layer *l = &sim->net->layers[li];
        const uint64_t deg = bz_layer_degree(l, v);
        for (uint64_t j = ip->p < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0; j < deg;
             j += 1 + (ip->p < 1 ? bz_stream_geometric_skip(&s, inv_lq) : 0)) {
            const uint32_t w = bz_sim_neighbour(l, v, j);
            if (sim->state[w] == INACTIVE) bz_sim_schedule(sim, at, BZ_EV_MODEL, (uint32_t)li, w);
        }
    }
}

static void ic_event(bz_sim *sim, uint32_t v, uint32_t aux)
{
    if (aux == SPEND) {
        if (sim->state[v] == ACTIVE) bz_sim_move(sim, v, SPENT);
        return;
    }
    if (sim->state[v] == INACTIVE) activate(sim, v, BZ_CH_LAYER0 + (int)aux, 1);
}

static void ic_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    (void)flags;
    const ic_params *ip = sim->mp;
    ic_state *is = sim->model_state;
    if (sim->state[v] != INACTIVE || !(ip->response > 0)) return;
    bz_stream s;
    bz_nonces_stream(sim, &is->nc, v, &s);
    if (bz_stream_uniform(&s) < ip->response) activate(sim, v, channel, 1);
}

static int ic_seed(bz_sim *sim, uint32_t v, int channel)
{
    if (sim->state[v] != INACTIVE) return 0;
    activate(sim, v, channel, 0); /* bz_sim_seed tallies it */
    return 1;
}

static int ic_init(bz_sim *sim, bz_error *err)
{
    const ic_params *mp = sim->mp;
    ic_state *is = calloc(1, sizeof *is);
    if (!is) return bz_error_oom(err, NULL, sizeof *is, "the independent cascade");
    sim->model_state = is;
    int status = bz_nonces_init(&is->nc, sim->n, err);
    if (status != BZ_OK) return status;
    return bz_contagion_seed_random(sim, (uint32_t)mp->seeds, err);
}

const bz_model_type bz_model_independent_cascade = {
    .name = "independent_cascade",
    .summary = "independent cascade: each new activation gets one chance p per tie, after a "
               "delay",
    .params = ic_param_table,
    .n_params = BZ_PARAMS_COUNT(ic_param_table),
    .params_size = sizeof(ic_params),
    .states = ic_states,
    .n_states = 3,
    .adopted_mask = (1u << ACTIVE) | (1u << SPENT),
    .honours = BZ_LEVER_EXPOSE | BZ_LEVER_SEED,
    .init = ic_init,
    .event = ic_event,
    .expose = ic_expose,
    .seed = ic_seed,
    .destroy = ic_destroy,
};

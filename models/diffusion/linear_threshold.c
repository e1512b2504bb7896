/* Linear (fractional) threshold model (Granovetter 1978; Watts 2002).
 *
 * An inactive agent v activates in a step when the number of its active
 * in-neighbours, over all layers, reaches need[v] = ceil(phi_v * d_v), where
 * d_v is its total in-degree (as in bass.c) and phi_v its threshold: the
 * population attribute `threshold`, or the model parameter `threshold` for
 * everyone when that is >= 0. Counts are integers, so the rule "active share
 * >= phi" is evaluated without float sums and results do not depend on
 * summation order. need = ceil(phi * d * (1 - 1e-6)): a share within one part
 * in a million below phi counts as reaching it, so that 0.3 * 10 computed as
 * 3.0000000000000004 still needs 3, and a float attribute 0.2f
 * (0.20000000298) on degree 5 still needs 1 (float holds about 7 digits, so
 * the 1e-9 absolute margin that suffices for double is not enough). An agent
 * needs at least one
 * active neighbour (phi <= 0 does not make it activate on its own: initial
 * adopters are what `seeds` and campaigns are for) and never activates by
 * neighbours when phi * d > d or d = 0.
 *
 * In continuous time: an agent activated at time t (or seeded) tells each
 * out-neighbour once, at t + delay (one generation of Watts's synchronous
 * update per `delay`); a neighbour whose count reaches its need activates
 * then, attributed to the layer of the tie that tipped it. So an activation
 * costs O(out-degree) once, in one event. Campaign exposures activate an
 * inactive agent with probability `response` each (stream (v, k,
 * BZ_RNG_DECIDE) for its k-th exposure). Cascade sizes do not depend on
 * the delay.
 *
 * Well-mixed (complete) layers are not supported: every activation would
 * change every agent's share (an O(n) scan per step); init fails.
 */
#include <math.h>
#include <stdlib.h>

#include "engine/experiment.h"
#include "contagion.h"
#include "engine/model.h"
#include "engine/sim.h"

typedef struct lt_params {
    double threshold, response, delay;
    int64_t seeds;
} lt_params;

static const bz_param lt_param_table[] = {
    {"threshold", BZ_PT_REAL, -1, 1, "-1", "fraction",
     "share of active in-neighbours that activates an agent, the same for "
     "everyone; -1 uses "
     "each agent's population attribute `threshold`",
     offsetof(lt_params, threshold), NULL},
    {"seeds", BZ_PT_INT, 0, 4294967295.0, "1", "agents",
     "agents activated at random before the first step (0: only campaigns "
     "start cascades)",
     offsetof(lt_params, seeds), NULL},
    {"response", BZ_PT_PROB, 0, 1, "1", "probability",
     "chance that one campaign exposure activates an inactive agent", offsetof(lt_params, response),
     NULL},
    {"delay", BZ_PT_DURATION, 0, 1e6, "1d", "days",
     "time from an activation to the moment the neighbours count it (one generation of "
     "Watts's synchronous update); cascade sizes do not depend on it",
     offsetof(lt_params, delay), NULL},
};

static const char *const lt_states[] = {"inactive", "active"};

enum { INACTIVE, ACTIVE };

typedef struct lt_state {
    bz_nonces nc;
    uint32_t *count; /* [n] active in-neighbours already told, over all layers */
    uint32_t *need;  /* [n] count that activates; UINT32_MAX: never by neighbours */
} lt_state;

/* Integer form of "count / d >= phi". */
static uint32_t lt_need(double phi, uint64_t d)
{
    if (d == 0 || !(phi * (double)d <= (double)d)) return UINT32_MAX;
    double k = ceil(phi * (double)d * (1 - 1e-6));
    if (k < 1) k = 1;
    return k >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)k;
}

static void lt_destroy(bz_sim *sim)
{
    lt_state *ls = sim->model_state;
    if (!ls) return;
    bz_nonces_destroy(&ls->nc);
    free(ls->count);
    free(ls->need);
    free(ls);
    sim->model_state = NULL;
}

/* v becomes active now (tallied unless a seed: bz_sim_seed tallies those);
 * its neighbours hear of it after the delay. */
static void activate(bz_sim *sim, uint32_t v, int channel, int tally)
{
    const lt_params *mp = sim->mp;
    bz_sim_move(sim, v, ACTIVE);
    if (tally) bz_sim_adopted(sim, v, channel);
    bz_sim_schedule(sim, sim->t + mp->delay, BZ_EV_MODEL, 0, v);
}

/* u tells its out-neighbours. */
static void lt_event(bz_sim *sim, uint32_t u, uint32_t aux)
{
    (void)aux;
    lt_state *ls = sim->model_state;
    const bz_network *net = sim->net;
    for (size_t li = 0; li < net->n_layers; li++) {
        const bz_layer *l = &net->layers[li];
        const int ch = BZ_CH_LAYER0 + (int)li;
        for (uint64_t j = l->offsets[u]; j < l->offsets[u + 1]; j++) {
            const uint32_t v = l->targets[j];
            bz_sim_count_exposure(sim, ch);
            if (sim->state[v] != INACTIVE) continue;
            if (++ls->count[v] == ls->need[v]) activate(sim, v, ch, 1);
        }
    }
}

static void lt_expose(bz_sim *sim, uint32_t v, int channel, unsigned flags)
{
    (void)flags;
    const lt_params *mp = sim->mp;
    lt_state *ls = sim->model_state;
    if (sim->state[v] != INACTIVE || !(mp->response > 0)) return;
    bz_stream s;
    bz_nonces_stream(sim, &ls->nc, v, &s);
    if (bz_stream_uniform(&s) < mp->response) activate(sim, v, channel, 1);
}

static int lt_seed(bz_sim *sim, uint32_t v, int channel)
{
    if (sim->state[v] != INACTIVE) return 0;
    activate(sim, v, channel, 0);
    return 1;
}

static int lt_init(bz_sim *sim, bz_error *err)
{
    const lt_params *mp = sim->mp;
    const bz_network *net = sim->net;
    const size_t L = net->n_layers;
    for (size_t li = 0; li < L; li++)
        if (net->layers[li].complete)
            return bz_error_set(err, BZ_EINVAL,
                                "diffusion.model: linear_threshold does not support the well_mixed "
                                "(complete) layer '%s'",
                                sim->x->layers[li].name);
    lt_state *ls = calloc(1, sizeof *ls);
    if (!ls) return bz_error_oom(err, NULL, sizeof *ls, "the linear_threshold model");
    sim->model_state = ls;
    ls->count = calloc(sim->n ? sim->n : 1, sizeof *ls->count);
    ls->need = malloc((size_t)(sim->n ? sim->n : 1) * sizeof *ls->need);
    if (!ls->count || !ls->need)
        return bz_error_oom(err, NULL,
                            (size_t)(sim->n ? sim->n : 1) * (sizeof *ls->count + sizeof *ls->need),
                            "the linear_threshold model (%u agents)", sim->n);
    int status = bz_nonces_init(&ls->nc, sim->n, err);
    if (status != BZ_OK) return status;
    const double fixed = mp->threshold;
    const float *attr = sim->pop->threshold;
    for (uint32_t v = 0; v < sim->n; v++) {
        uint64_t d = 0;
        for (size_t li = 0; li < L; li++)
            d += bz_layer_in_degree(&net->layers[li], v);
        ls->need[v] = lt_need(fixed >= 0 ? fixed : (double)attr[v], d);
    }
    return bz_contagion_seed_random(sim, (uint32_t)mp->seeds, err);
}

const bz_model_type bz_model_linear_threshold = {
    .name = "linear_threshold",
    .summary = "linear threshold (Watts 2002): activate when the active share of neighbours >= "
               "threshold, one generation per delay",
    .params = lt_param_table,
    .n_params = BZ_PARAMS_COUNT(lt_param_table),
    .params_size = sizeof(lt_params),
    .states = lt_states,
    .n_states = 2,
    .adopted_mask = 1u << ACTIVE,
    .honours = BZ_LEVER_EXPOSE | BZ_LEVER_SEED,
    .init = lt_init,
    .event = lt_event,
    .expose = lt_expose,
    .seed = lt_seed,
    .destroy = lt_destroy,
};

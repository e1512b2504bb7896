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
 * Synchronous update: an agent activated in step t (or seeded) tells each
 * out-neighbour once, in step t + 1, by adding 1 to its count and touching
 * it; only touched agents are evaluated. A step costs O(new actives + their
 * arcs + touched), not O(n). Campaign exposures activate an inactive agent
 * with probability `response` each. Attribution: an agent tipped by its
 * neighbours goes to one of the layers that brought it a new active
 * neighbour this step (uniformly, with the agent's stream); a campaign
 * activation to the campaign channel.
 *
 * Well-mixed (complete) layers are not supported: every activation would
 * change every agent's share (an O(n) scan per step); init fails.
 */
#include <math.h>
#include <stdlib.h>

#include "config/experiment.h"
#include "contagion.h"
#include "core/model.h"
#include "core/sim.h"

typedef struct lt_params {
    double threshold, response;
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
};

static const char *const lt_states[] = {"inactive", "active"};

enum { INACTIVE = BZ_CONTAGION_SUSCEPTIBLE, ACTIVE = BZ_CONTAGION_ACTIVE };

/* `a` first: bz_contagion_seed() reads model_state as a bz_active. a.list
 * holds the agents that still have to tell their neighbours. */
typedef struct lt_state {
    bz_active a;
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
    bz_active_destroy(&ls->a);
    free(ls->count);
    free(ls->need);
    free(ls);
    sim->model_state = NULL;
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
    if (!ls) return bz_error_set(err, BZ_ENOMEM, "out of memory for the linear_threshold model");
    sim->model_state = ls;
    ls->count = calloc(sim->n, sizeof *ls->count);
    ls->need = malloc((size_t)sim->n * sizeof *ls->need);
    if (!ls->count || !ls->need)
        return bz_error_set(err, BZ_ENOMEM,
                            "out of memory for the linear_threshold model (%u agents)", sim->n);
    const int64_t n = sim->n;
    const double fixed = mp->threshold;
    const float *attr = sim->pop->threshold;
#pragma omp parallel for schedule(static) if (sim->n_threads > 1)
    for (int64_t v = 0; v < n; v++) {
        uint64_t d = 0;
        for (size_t li = 0; li < L; li++)
            d += bz_layer_in_degree(&net->layers[li], (uint32_t)v);
        ls->need[v] = lt_need(fixed >= 0 ? fixed : (double)attr[v], d);
    }
    int status = bz_contagion_seed_random(sim, (uint32_t)mp->seeds, ACTIVE, err);
    if (status == BZ_OK) status = bz_active_init(&ls->a, sim, ACTIVE, err);
    return status;
}

/* Phase 2 for a touched agent v; returns 1 if it became active. */
static int lt_decide(bz_sim *sim, lt_state *ls, bz_tally *t, uint32_t v, double logr)
{
    const uint32_t layer_bits = ~(((uint32_t)1 << BZ_CH_LAYER0) - 1);
    if (v == BZ_IDLIST_HOLE || sim->state[v] != INACTIVE) return 0;
    const bz_inbox in = sim->inbox[v];
    bz_stream s;
    bz_sim_agent_stream(sim, &s, v, BZ_RNG_DECIDE);
    int ch;
    if (ls->count[v] >= ls->need[v]) {
        ch = bz_sim_pick_channel(in.mask & layer_bits, &s, BZ_CH_LAYER0);
    } else {
        if (!in.ext || !(bz_stream_uniform(&s) < -expm1((double)in.ext * logr))) return 0;
        ch = bz_sim_pick_channel(in.mask & ~layer_bits, &s, BZ_CH_ADVERTISING);
    }
    sim->state[v] = ACTIVE;
    bz_active_push_next(&ls->a, sim, t, v);
    bz_tally_adopt(t, ch);
    return 1;
}

static void lt_step(bz_sim *sim)
{
    const lt_params *mp = sim->mp;
    lt_state *ls = sim->model_state;
    bz_active *a = &ls->a;
    const bz_network *net = sim->net;
    const size_t L = net->n_layers;
    const int par = sim->n_threads > 1;
    const double logr = log1p(-fmin(mp->response, 1.0 - 1e-16));
    const int64_t n_new = (int64_t)a->n;
    int64_t activated = 0;

#pragma omp parallel if (par) reduction(+ : activated)
    {
        bz_tally *t = bz_sim_tally(sim);
        /* Phase 1: agents activated last step (or seeded) tell their
         * out-neighbours once; only inactive ones need the count (no state
         * is written in this phase). */
#pragma omp for schedule(dynamic, 64)
        for (int64_t i = 0; i < n_new; i++) {
            const uint32_t u = a->list[i];
            for (size_t li = 0; li < L; li++) {
                const bz_layer *l = &net->layers[li];
                const int ch = BZ_CH_LAYER0 + (int)li;
                const uint64_t end = l->offsets[u + 1];
                t->expo[ch] += (int64_t)(end - l->offsets[u]);
                for (uint64_t j = l->offsets[u]; j < end; j++) {
                    const uint32_t v = l->targets[j];
                    if (sim->state[v] != INACTIVE) continue;
#pragma omp atomic
                    ls->count[v]++;
                    bz_sim_touch(sim, t, v, (uint32_t)1 << ch);
                }
            }
        }
        /* Phase 2: touched agents (new active neighbours or campaign
         * exposures) decide; the list is complete after the barrier. */
        const int64_t n_touched = (int64_t)sim->touched.reserved;
#pragma omp for schedule(dynamic, 256)
        for (int64_t i = 0; i < n_touched; i++)
            activated += lt_decide(sim, ls, t, sim->touched.ids[i], logr);
    }
    bz_active_swap(a);
    sim->counts[INACTIVE] -= activated;
    sim->counts[ACTIVE] += activated;
}

const bz_model_type bz_model_linear_threshold = {
    .name = "linear_threshold",
    .summary = "linear threshold (Watts 2002): activate when the active share "
               "of neighbours "
               ">= threshold",
    .params = lt_param_table,
    .n_params = BZ_PARAMS_COUNT(lt_param_table),
    .params_size = sizeof(lt_params),
    .states = lt_states,
    .n_states = 2,
    .adopted_mask = 1u << ACTIVE,
    .maintains_counts = 1,
    .init = lt_init,
    .step = lt_step,
    .seed = bz_contagion_seed,
    .destroy = lt_destroy,
};

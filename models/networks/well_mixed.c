/* well_mixed: every agent is linked to every other agent.
 *
 * Stored implicitly (bz_layer.complete = 1, no arrays): the layer costs no
 * memory whatever n, and bz_layer_degree() returns n - 1. This is the
 * mean-field population of the Bass model: spreading on it is the homogeneous
 * mixing limit. Undirected only.
 */
#include "graph/generator.h"

static uint64_t well_mixed_estimate(const void *params, uint32_t n, int directed)
{
    (void)params;
    (void)n;
    (void)directed;
    return 0; /* nothing is stored */
}

const bz_netgen_type bz_netgen_well_mixed = {
    .name = "well_mixed",
    .summary = "complete graph stored implicitly (homogeneous mixing, no memory per tie)",
    .params = NULL,
    .n_params = 0,
    .params_size = 0,
    .directed_ok = 0,
    .implicit_complete = 1,
    .check = NULL,
    .estimate_arcs = well_mixed_estimate,
    .prepare = NULL,
    .release = NULL,
    .generate = NULL,
};

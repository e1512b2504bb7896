/* Running an experiment: build the world (population + network), run every
 * arm and replicate, collect results.
 *
 * Parallelism: agents in parallel inside one simulation (OpenMP); when the
 * population is small (< BZ_RUN_PARALLEL_REPLICATES_BELOW agents) replicates
 * run in parallel instead, one per thread. Either way every number comes from
 * counter-based streams keyed by (seed, replicate, step, agent, purpose), so
 * results are bit-identical for any thread count.
 */
#ifndef BZ_RUN_H
#define BZ_RUN_H

#include <stdint.h>

#include "config/experiment.h"
#include "core/population.h"
#include "core/results.h"
#include "graph/graph.h"

#define BZ_RUN_PARALLEL_REPLICATES_BELOW 20000u

/* Population and network of one replicate (or shared by all). */
typedef struct bz_world {
    bz_population pop;
    bz_network net;
} bz_world;

/* Build population and every layer for `replicate` (BZ_RNG_SHARED_REPLICATE
 * for the shared network). Resolves the agent count from edge_list layers
 * when population.agents is 0. Errors: BZ_EINVAL for inconsistent sizes
 * (names the layer), BZ_ENOMEM, loader errors. */
int bz_world_build(bz_world *w, const bz_experiment *x, uint32_t replicate, bz_error *err);
void bz_world_destroy(bz_world *w);

/* Progress callback: done and total units of work (arm-replicates). Called
 * from the master thread only. */
typedef void (*bz_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct bz_run_opts {
    bz_progress_fn progress; /* may be NULL */
    void *progress_ctx;
} bz_run_opts;

/* Run every arm and replicate of x. `res` is initialised here (destroy it
 * with bz_results_destroy even on failure). Provenance fields
 * (experiment_yaml, seed, layers) are filled; command_line is left NULL. */
int bz_run_experiment(const bz_experiment *x, const bz_run_opts *opts, bz_results *res,
                      bz_error *err);

/* Run one arm of one replicate on a built world and store its series and
 * outcome into res (already initialised with bz_results_init for x). */
int bz_run_arm_replicate(const bz_experiment *x, const bz_world *w, size_t arm, uint32_t rep,
                         bz_results *res, bz_error *err);

#endif

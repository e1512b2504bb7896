/* Running an experiment: build the world (population + network), run every
 * arm and replicate, collect results.
 *
 * Parallelism: one simulation (an arm of a replicate) runs on one thread,
 * in continuous time (engine/sim.h); the (arm, replicate) tasks run in
 * parallel, one per thread, and building the network is parallel. Every
 * number comes from counter-based streams keyed by (seed, replicate, agent,
 * index, purpose), so results are bit-identical for any thread count.
 */
#ifndef BZ_RUN_H
#define BZ_RUN_H

#include <stdint.h>

#include "engine/experiment.h"
#include "base/population.h"
#include "engine/results.h"
#include "graph/graph.h"

/* Population and network of one replicate (or shared by all). */
typedef struct bz_world {
    bz_population pop;
    bz_network net;
    struct bz_memo *memo; /* per-network values of campaigns (engine/memo.h), owned */
} bz_world;

/* Build population and every layer for `replicate` (BZ_RNG_SHARED_REPLICATE
 * for the shared network). Resolves the agent count from edge_list layers
 * when population.agents is 0. Errors: BZ_EINVAL for inconsistent sizes
 * (names the layer), BZ_ENOMEM, loader errors. */
int bz_world_build(bz_world *w, const bz_experiment *x, uint32_t replicate, bz_error *err);
void bz_world_destroy(bz_world *w);

/* Memory an experiment needs, estimated before anything is allocated. */
typedef struct bz_mem_estimate {
    uint64_t population;    /* agents' cities and attributes */
    uint64_t network;       /* every built layer */
    uint64_t build_peak;    /* extra while the largest layer is being built */
    uint64_t simulation;    /* agent arrays of the simulations that run at once */
    uint64_t results;       /* recorded series */
    uint64_t total;         /* peak: population + network + max(build_peak, simulation) + results */
    uint64_t available;     /* what may still be allocated (bz_mem_limit_get), 0 if unknown */
    uint64_t limit;         /* the resource limit that sets `available`, 0 for MemAvailable */
    const char *limit_name; /* which: bz_mem_limit.name */
    int threads;            /* the threads the estimate is for */
    uint32_t agents;        /* 0 if only known after loading a file */
    int complete;           /* 0 if a layer's size is unknown before loading (edge_list) */
} bz_mem_estimate;

/* The memory this process may still allocate: the least of MemAvailable of
 * /proc/meminfo, the address space left under RLIMIT_AS (ulimit -v: its soft
 * limit less the address space mapped now and the stacks of `threads` - 1
 * more threads, RLIMIT_STACK each or 8 MiB) and the data size left under
 * RLIMIT_DATA (ulimit -d, less the data mapped now and those stacks). */
typedef struct bz_mem_limit {
    uint64_t bytes;   /* 0 if nothing is known */
    uint64_t limit;   /* the resource limit's value; 0 for MemAvailable */
    const char *name; /* "MemAvailable", "ulimit -v" or "ulimit -d" */
} bz_mem_limit;
void bz_mem_limit_get(int threads, bz_mem_limit *out);

/* bz_mem_limit_get(1, ...).bytes: what may still be allocated; 0 if unknown. */
uint64_t bz_mem_available(void);

/* The limit as words for messages: "available" or "left under ulimit -v
 * (RLIMIT_AS 1.0 GiB, less what is mapped and 16 thread stacks)". */
const char *bz_mem_limit_describe(uint64_t limit, const char *name, int threads, char *buf,
                                  size_t size);

/* Bytes of the series of every arm of x (what time.step costs). */
uint64_t bz_run_series_bytes(const bz_experiment *x);

/* Estimate the memory of x (see docs/performance.md for the formulas). The
 * estimate is conservative: it assumes the build peak of the largest layer
 * (degree counters, staging buffers, 4 bytes per arc of generator state).
 * Cannot fail except for BZ_EINVAL on an experiment with no agent count. */
int bz_mem_estimate_compute(const bz_experiment *x, int threads, bz_mem_estimate *est,
                            bz_error *err);

/* BZ_ETOOBIG with a message naming the parts when est->total exceeds the
 * available memory (skipped if unknown, or if BUZZSIM_NO_MEMORY_CHECK is set
 * in the environment: the CLI reads it, the library does not). */
int bz_mem_estimate_check(const bz_mem_estimate *est, bz_error *err);

/* Progress callback: done and total units of work (arm-replicates). Called
 * from the master thread only. */
typedef void (*bz_progress_fn)(void *ctx, uint64_t done, uint64_t total);

typedef struct bz_run_opts {
    bz_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    /* Run only replicates [rep_begin, rep_end) (rep_end 0: all). The rows of
     * the others stay zero, and arms[a].cost is the mean over the range. A
     * replicate's results do not depend on which others run (every stream
     * is keyed by the replicate), so ranges split one experiment across
     * processes (optimize/optimize.h, bz_opt_comm). Attribution needs every
     * replicate: BZ_EINVAL with a range and attribution. */
    uint32_t rep_begin, rep_end;
} bz_run_opts;

/* Run every arm and replicate of x. `res` is initialised here (destroy it
 * with bz_results_destroy even on failure). Provenance fields
 * (experiment_yaml, seed, layers) are filled; command_line is left NULL. */
int bz_run_experiment(const bz_experiment *x, const bz_run_opts *opts, bz_results *res,
                      bz_error *err);

/* Simulations per replicate that attribution adds (the sub-arms of every
 * arm with attribution shapley or leave_one_out; config/experiment.h). */
uint64_t bz_run_sub_arms(const bz_experiment *x);

/* Time (days) of sample k of the series: min(k step, horizon), and the
 * horizon for the last sample. */
double bz_run_sample_time(const bz_experiment *x, uint32_t k);

/* What one simulation cost (benchmarks, docs/performance.md). */
typedef struct bz_run_stats {
    uint64_t events;       /* events taken from the calendar (stale ones included) */
    uint64_t peak_pending; /* most events pending at a sample time */
} bz_run_stats;

/* Run one arm of one replicate on a built world and store its series and
 * outcome into res (already initialised with bz_results_init for x);
 * stats (may be NULL) receives its cost. */
int bz_run_arm_replicate(const bz_experiment *x, const bz_world *w, size_t arm, uint32_t rep,
                         bz_results *res, bz_run_stats *stats, bz_error *err);

#endif

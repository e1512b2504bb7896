/* Results of one experiment run: every recorded series and outcome, per arm.
 * Filled by the simulation (core/run.c), written by io/h5_write.c, read back by
 * io/h5_read.c for `info`, `export` and `merge`.
 *
 * Series are int64 [R][T] row-major (replicate-major). T = n_steps + 1: index
 * 0 is the initial state before the first step.
 */
#ifndef BZ_RESULTS_H
#define BZ_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/channels.h"
#include "core/error.h"
#include "core/params.h"

/* Per-replicate outcome. Doubles throughout so the HDF5 compound is uniform;
 * NaN where undefined (no sell-out, no adopters for cost per adopter). */
typedef struct bz_outcome {
    double final_adopters;   /* agents in an adopted state at the horizon */
    double peak_step;        /* step index with the most new adoptions */
    double sellout_seconds;  /* seconds from sale start to sell-out, NaN if none */
    double cost;             /* total campaign cost of the arm */
    double cost_per_adopter; /* cost / final_adopters */
} bz_outcome;

#define BZ_N_OUTCOMES 5
extern const char *const bz_outcome_names[BZ_N_OUTCOMES];
static inline double bz_outcome_get(const bz_outcome *o, int k)
{
    return ((const double *)o)[k];
}

typedef struct bz_arm_result {
    char name[BZ_NAME_MAX];
    char *campaigns_yaml; /* owned copy */
    double cost;          /* mean cost over replicates */
    int64_t *states;      /* [n_states][R][T] */
    int64_t *adopters;    /* [R][T] agents in an adopted state (model's adopted_mask) */
    int64_t *sales;       /* [R][T] cumulative units sold */
    int64_t *stock;       /* [R][T] units left, -1 = unlimited */
    int64_t *exposures;   /* [n_channels][R][T] exposures made in the step */
    int64_t *adoptions;   /* [n_channels][R][T] adoptions tipped by channel in the step */
    bz_outcome *outcomes; /* [R] */
} bz_arm_result;

typedef struct bz_layer_info {
    char name[BZ_NAME_MAX];
    char generator[BZ_NAME_MAX];
    int directed;
    uint64_t agents, edges;
    size_t hist_len;           /* degree_histogram[k] = agents with out-degree k */
    int64_t *degree_histogram; /* owned */
} bz_layer_info;

typedef struct bz_results {
    uint32_t R, T;
    double *time_hours; /* [T] */
    int n_states;
    char state_names[8][BZ_NAME_MAX];
    int n_channels;
    char channel_names[BZ_CH_MAX][BZ_NAME_MAX];
    size_t n_arms;
    bz_arm_result *arms;
    size_t n_layers;
    bz_layer_info *layers;
    /* provenance */
    uint64_t seed;
    char *experiment_yaml; /* owned */
    char *command_line;    /* owned */
} bz_results;

/* Allocate every array for R replicates, T times, n_arms arms (names and
 * layer info are filled by the caller). BZ_ENOMEM on failure (r left empty). */
int bz_results_init(bz_results *r, uint32_t R, uint32_t T, int n_states, int n_channels,
                    size_t n_arms, size_t n_layers, bz_error *err);
void bz_results_destroy(bz_results *r);

static inline int64_t *bz_series_row(int64_t *base, uint32_t R, uint32_t T, int k, uint32_t rep)
{
    return base + ((size_t)k * R + rep) * T;
}

#endif

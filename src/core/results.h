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
 * NaN where undefined (no sell-out, no adopters for cost per adopter).
 *
 * acceleration and expansion split an arm's gain over the baseline in the
 * same replicate (common random numbers) as in Libai, Muller & Peres (2013):
 * with A(t) the arm's adopters, B(t) the baseline's and N_B = B(horizon),
 *   acceleration = integral of min(A(t), N_B) - B(t) dt   (adopter-days)
 *   expansion    = integral of max(A(t) - N_B, 0) dt      (adopter-days)
 * so acceleration + expansion = integral of A - B: adoptions the baseline
 * would also have had, only earlier, versus adopters it would never have
 * had. Both are 0 for the baseline arm (trapezoid rule over the steps). */
typedef struct bz_outcome {
    double final_adopters;   /* agents in an adopted state at the horizon */
    double peak_step;        /* step index with the most new adoptions */
    double sellout_seconds;  /* seconds from sale start to the first sell-out, NaN if none */
    double cost;             /* total campaign cost of the arm */
    double cost_per_adopter; /* cost / final_adopters */
    double purchases;        /* units bought through the market (all adoptions for models
                              * that do not buy); gifted units (KOL seeds) excluded */
    double revenue;          /* sum of the prices paid (currency) */
    double acceleration;     /* adopter-days gained by earlier adoption (see above) */
    double expansion;        /* adopter-days gained from extra adopters (see above) */
} bz_outcome;

#define BZ_N_OUTCOMES 9
#define BZ_N_OUTCOMES_REQUIRED 5 /* files must have these; later ones are read if present */
extern const char *const bz_outcome_names[BZ_N_OUTCOMES];
static inline double bz_outcome_get(const bz_outcome *o, int k)
{
    return ((const double *)o)[k];
}

/* One flash-sale window of one replicate. */
typedef struct bz_window_result {
    double start_days, end_days;
    double stock;           /* units it brought */
    double sold;            /* units bought while it was open */
    double sellout_seconds; /* from its opening to its sell-out, NaN if it did not sell out */
    double price;
} bz_window_result;

#define BZ_N_WINDOW_FIELDS 6
extern const char *const bz_window_field_names[BZ_N_WINDOW_FIELDS];
#define BZ_RESULT_WINDOWS 64 /* windows recorded per replicate (later ones are dropped) */

typedef struct bz_arm_result {
    char name[BZ_NAME_MAX];
    char *campaigns_yaml;      /* owned copy */
    double cost;               /* mean cost over replicates */
    int64_t *states;           /* [n_states][R][T] */
    int64_t *adopters;         /* [R][T] agents in an adopted state (model's adopted_mask) */
    int64_t *sales;            /* [R][T] cumulative units sold */
    int64_t *stock;            /* [R][T] units left, -1 = unlimited */
    int64_t *exposures;        /* [n_channels][R][T] exposures made in the step */
    int64_t *adoptions;        /* [n_channels][R][T] adoptions tipped by channel in the step */
    bz_outcome *outcomes;      /* [R] */
    uint32_t n_windows;        /* flash-sale windows per replicate (same in every replicate) */
    bz_window_result *windows; /* [R][BZ_RESULT_WINDOWS], first n_windows of each row used */
} bz_arm_result;

#define BZ_STATS_TOP 10

/* Structure statistics of a layer (`buzzsim graph --stats`); see
 * src/graph/metrics.h for definitions and costs. */
typedef struct bz_layer_stats {
    int computed;                      /* 0: nothing below; 1: components and degrees; 2: all */
    uint64_t components;               /* weakly connected components, isolated agents included */
    uint64_t giant;                    /* agents in the largest one */
    double clustering_avg;             /* average local clustering */
    double clustering_global;          /* transitivity: 3 x triangles / connected triples */
    double clustering_stderr;          /* standard error of the sampled estimates, 0 if exact */
    uint64_t clustering_samples;       /* agents/wedges sampled, 0 = exact */
    double assortativity;              /* degree assortativity (Newman) */
    uint32_t max_core;                 /* largest k-core number */
    int n_top;                         /* entries in top_agents */
    uint32_t top_agents[BZ_STATS_TOP]; /* highest PageRank first */
    double top_pagerank[BZ_STATS_TOP];
    size_t in_hist_len;           /* directed layers: in-degree histogram */
    int64_t *in_degree_histogram; /* owned, NULL for undirected layers */
    size_t core_hist_len;         /* core_histogram[k] = agents with core number k */
    int64_t *core_histogram;      /* owned */
} bz_layer_stats;

typedef struct bz_layer_info {
    char name[BZ_NAME_MAX];
    char generator[BZ_NAME_MAX];
    int directed;
    uint64_t agents, edges;
    size_t hist_len;           /* degree_histogram[k] = agents with out-degree k */
    int64_t *degree_histogram; /* owned */
    bz_layer_stats stats;
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

/* Results that hold only network information (layers), no arms: what
 * `buzzsim graph` writes. R = T = 0, n_arms = 0. */
int bz_results_init_network(bz_results *r, size_t n_layers, bz_error *err);

/* Fill the acceleration and expansion outcomes of every arm against arms[0]
 * from the adopter series (step_days = length of a step). O(arms R T). */
void bz_results_decompose(bz_results *r, double step_days);

static inline int64_t *bz_series_row(int64_t *base, uint32_t R, uint32_t T, int k, uint32_t rep)
{
    return base + ((size_t)k * R + rep) * T;
}

#endif

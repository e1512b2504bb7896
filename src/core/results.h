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

static inline int64_t *bz_series_row(int64_t *base, uint32_t R, uint32_t T, int k, uint32_t rep)
{
    return base + ((size_t)k * R + rep) * T;
}

#endif

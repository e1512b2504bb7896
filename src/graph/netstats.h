/* Structure statistics of a layer for reports and HDF5 (`buzzsim graph
 * --stats`), computed with src/graph/metrics.h. */
#ifndef BZ_NETSTATS_H
#define BZ_NETSTATS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"
#include "graph/graph.h"

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

/* Exact clustering up to this many stored arcs; sampled above it. */
#define BZ_NETSTATS_EXACT_ARCS 20000000ull
#define BZ_NETSTATS_CLUSTERING_SAMPLES 200000ull

/* Fill *out (freeing nothing: out must be zeroed or fresh) with components
 * and the in-degree histogram of directed layers; with `full`, also
 * clustering (exact on layers up to BZ_NETSTATS_EXACT_ARCS arcs, else sampled
 * with a standard error), assortativity (NaN where undefined), k-core
 * numbers and the top agents by PageRank. Cost O(m) (basic) plus the
 * clustering and PageRank iterations (full; see metrics.h). Statistics not
 * computed are NaN (clustering, assortativity) or 0. */
int bz_netstats_compute(const bz_layer *l, uint64_t seed, int full, bz_layer_stats *out,
                        bz_error *err);

/* Degree histogram and identity of a layer (name, generator, sizes) into
 * info (its histogram is allocated; freed by bz_results_destroy). */
int bz_netstats_layer_info(const bz_layer *l, const char *generator, bz_layer_info *info,
                           bz_error *err);

#endif

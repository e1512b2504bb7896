/* Structure statistics of a layer for reports and HDF5 (`buzzsim graph
 * --stats`), computed with src/graph/metrics.h. */
#ifndef BZ_NETSTATS_H
#define BZ_NETSTATS_H

#include "core/results.h"
#include "graph/graph.h"

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

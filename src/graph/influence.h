/* Influence maximisation under the independent cascade (IC) model by
 * reverse-reachable (RR) sets (Borgs, Brautbar, Chayes & Lucier 2014; Tang,
 * Xiao & Shi 2014, TIM; Tang, Shi & Xiao 2015, IMM) and lazy greedy maximum
 * coverage (Leskovec et al. 2007, CELF).
 *
 * IC on a layer: an activated agent u activates each out-neighbour v (a
 * stored arc u -> v: v follows u, or an undirected tie) once, independently,
 * with probability p. The spread sigma(S) of a seed set S is the expected
 * number of agents activated, seeds included.
 *
 * An RR set is drawn by choosing a root v uniformly and collecting every agent
 * that reaches v in a random live-edge graph (each arc kept with probability
 * p): a reverse BFS over in-neighbours (the layer itself when undirected, the
 * transpose, built in O(n + m), when directed; implicit complete layers are
 * walked without storage). For any S, n * P(S meets an RR set) = sigma(S), so
 * the fraction of theta RR sets that S covers, times n, is an unbiased
 * estimate of sigma(S) with relative standard error about
 * sqrt((n - sigma) / (theta sigma)). Choosing S greedily to cover the most
 * sets is within (1 - 1/e - eps) of the optimal spread with high probability
 * when theta is large enough (IMM's bound; this module takes theta as given).
 *
 * Determinism: RR set i is drawn from its own stream, keyed by (seed, i,
 * BZ_INFLUENCE_RNG_PURPOSE), sets are generated in parallel into per-chunk
 * buffers and combined in index order, and greedy ties go to the lower agent
 * id: the result is identical for any OpenMP thread count.
 */
#ifndef BZ_INFLUENCE_H
#define BZ_INFLUENCE_H

#include <stdint.h>

#include "base/error.h"
#include "graph/graph.h"

/* RNG purpose of the RR sets (outside enum bz_rng_purpose's ranges, beside
 * BZ_METRICS_RNG_PURPOSE). Stream of RR set i: agent field = i mod 2^32,
 * step field = i / 2^32, replicate field 0. */
#define BZ_INFLUENCE_RNG_PURPOSE 241u

/* Default cap on the agents stored over all RR sets: 2^25 (32 Mi). Each
 * costs 4 bytes in the sets (up to twice that while the array grows) and 4
 * in the agent -> sets index built from them: ~400 MiB at the peak. */
#define BZ_INFLUENCE_MAX_ENTRIES ((uint64_t)1 << 25)

typedef struct bz_influence_opts {
    uint64_t theta;       /* RR sets to draw, >= 1 */
    uint64_t seed;        /* Philox key of the RR-set streams */
    uint64_t max_entries; /* 0: BZ_INFLUENCE_MAX_ENTRIES. Generation stops after the
                           * first set (in index order) at which the stored agents
                           * reach this many, so supercritical p (RR sets as large
                           * as the giant component) stays bounded in memory: fewer
                           * sets are needed there, as the spread is large. */
} bz_influence_opts;

typedef struct bz_influence_result {
    double est_spread;   /* n * covered / theta_used: RR estimate of sigma(seeds) */
    uint64_t theta_used; /* sets actually drawn (< opts.theta when capped) */
    uint64_t covered;    /* sets that contain a seed */
    uint64_t entries;    /* agents stored over all sets (sum of set sizes) */
} bz_influence_result;

/* Choose k seeds (seeds[k], in greedy order) maximising the RR estimate of
 * the IC spread with arc probability p, from opts->theta RR sets.
 * Greedy maximum coverage with lazy re-evaluation: a max-heap of gains that
 * are upper bounds (coverage is submodular); the top is re-counted over its
 * uncovered sets and taken only when it still beats the next entry, so the
 * result equals plain greedy with ties to the lower agent id. Once every set
 * is covered the remaining seeds are the lowest-id agents not yet chosen.
 * res may be NULL.
 * Errors: BZ_EINVAL for p outside [0, 1], theta = 0, k = 0 or k > n, an
 * empty layer; BZ_ENOMEM.
 * Cost: O(n + m) for the transpose of a directed layer (12 bytes per arc and
 * agent); drawing O(sum over sets of (size + live arcs examined)) spread over
 * threads, 4 bytes per agent per thread of visit stamps; coverage
 * O(entries + n + k log n + re-evaluations). Memory up to 12 bytes per
 * entry at the peak (sets while growing, then sets and index). */
int bz_influence_greedy_ex(const bz_layer *l, double p, const bz_influence_opts *opts, uint32_t k,
                           uint32_t *seeds, bz_influence_result *res, bz_error *err);

/* bz_influence_greedy_ex with the default entry cap; est_spread (may be
 * NULL) = n * covered fraction. */
int bz_influence_greedy(const bz_layer *l, double p, uint64_t theta, uint64_t seed, uint32_t k,
                        uint32_t *seeds, double *est_spread, bz_error *err);

/* RR estimate of the spread of a given seed set seeds[k] (k >= 1, agents
 * < n, repeats allowed) from the same kind of sets: n * (fraction of sets
 * containing a seed). res->theta_used, covered and entries as above. Same
 * errors and cost as the drawing part of bz_influence_greedy_ex; the agent ->
 * sets index is not built. */
int bz_influence_estimate(const bz_layer *l, double p, const bz_influence_opts *opts,
                          const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                          bz_error *err);

#endif

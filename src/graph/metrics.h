/* Network metrics on one layer (docs/networks.md, "Metrics").
 *
 * Every function returns an int status (BZ_OK = 0) and fills `err` on
 * failure; output arrays are the caller's (except the histogram, which is
 * returned in a malloc'd array the caller free()s); workspace allocated inside
 * is freed before returning. Results are identical for any OpenMP thread
 * count: integer counts are reduced as integers, and floating-point sums are
 * taken either serially in agent order or as fixed-size blocks combined in
 * block order.
 *
 * Undirected view: for metrics defined on undirected graphs (components,
 * clustering, k-core) a directed layer is read as the undirected graph in
 * which u and v are adjacent when u->v or v->u is stored (built in O(m)).
 *
 * Implicit complete layers (well_mixed, no stored arcs) are handled
 * analytically except for assortativity, which is undefined there (all
 * degrees are equal) and is rejected with BZ_EINVAL.
 */
#ifndef BZ_METRICS_H
#define BZ_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "graph/graph.h"

/* RNG purpose of the sampled metrics (outside enum bz_rng_purpose's ranges). */
#define BZ_METRICS_RNG_PURPOSE 240u

/* Histogram of out-degrees (in = 0) or in-degrees (in = 1; the same as
 * out-degrees for undirected and complete layers): (*hist)[k] = number of
 * agents of degree k, k = 0 .. *len - 1, where *len = max degree + 1 (0 for
 * an empty layer, with *hist = NULL). *hist is malloc'd: the caller free()s
 * it. BZ_EINVAL for in not 0/1, BZ_ENOMEM. Cost O(n). */
int bz_metrics_degree_histogram(const bz_layer *l, int in, int64_t **hist, size_t *len,
                                bz_error *err);

/* Weakly connected components (directed arcs read as undirected); isolated
 * agents are components of size 1. label (n entries, or NULL) receives the
 * component of each agent, numbered 0, 1, ... in order of each component's
 * smallest agent. giant_size = agents in the largest component. Serial
 * union-find over arcs (union by smallest root + path halving),
 * O(m alpha(n)), no extra memory beyond 4 bytes per agent. */
int bz_metrics_components(const bz_layer *l, uint32_t *label, uint64_t *n_components,
                          uint64_t *giant_size, bz_error *err);

typedef struct bz_clustering {
    double avg_local;      /* mean over ALL agents of c_u; c_u = 0 when degree < 2 */
    double global;         /* transitivity: 3 * triangles / connected triples */
    uint64_t samples_used; /* 0 for exact */
    double stderr_local;   /* sampled: binomial standard error of avg_local; exact: 0 */
    double stderr_global;  /* sampled: binomial standard error of global; exact: 0 */
    uint64_t triangles;    /* exact only (0 when sampled) */
    uint64_t wedges;       /* connected triples sum d(d-1)/2 (exact and sampled) */
} bz_clustering;

/* Clustering on the undirected view. samples = 0: exact, by intersecting
 * sorted rows (merge, or binary search when one row is 16x shorter), parallel
 * over agents with integer triangle counts; cost O(sum over edges of
 * min(d_u,d_v) log or d_u + d_v), dominated by hubs.
 * samples > 0: `samples` draws keyed by (seed, draw index), so any thread
 * count gives the same estimate.
 *   local: pick an agent uniformly, then a uniform pair of its neighbours;
 *     the draw is 1 if they are linked (0 for degree < 2). Its mean is
 *     exactly avg_local, so the estimate is binomial with standard error
 *     sqrt(c (1 - c) / samples).
 *   global: pick a wedge uniformly (agent with probability proportional to
 *     d(d-1)/2, then a uniform neighbour pair); the closed fraction estimates
 *     the transitivity with the same binomial error.
 *   Cost O(n + samples log d).
 * Complete layers: analytic (1, 1 when n >= 3, else 0). */
int bz_metrics_clustering(const bz_layer *l, uint64_t samples, uint64_t seed, bz_clustering *out,
                          bz_error *err);

/* Newman's degree assortativity: the Pearson correlation, over stored arcs
 * u->v, of the degree of u and the degree of v. Undirected layers use every
 * edge in both directions (degree at both ends); directed layers correlate
 * the out-degree of the source with the in-degree of the target. BZ_EINVAL
 * when undefined: no arc, zero degree variance at either end, or a complete
 * layer. Cost O(m), parallel in fixed blocks. */
int bz_metrics_assortativity(const bz_layer *l, double *r, bz_error *err);

/* PageRank by power iteration until the L1 change is <= tol or max_iter
 * iterations. rank (n entries) sums to 1; *iterations (may be NULL) receives
 * the count. The random walk: undirected layers, to a uniform neighbour;
 * directed layers follow attention, against the arcs: a walker at v moves to
 * a uniform account v follows (an agent u with a stored arc u->v), so rank
 * accumulates at accounts that many follow. Agents with no move (degree 0,
 * or following nobody) spread their mass uniformly. Each new rank is a pull
 * sum over the stored row in row order: no atomics, no order dependence.
 * BZ_EINVAL for damping outside [0, 1), tol < 0, max_iter < 1, n = 0.
 * Complete layers: uniform, 0 iterations. Cost O(m) per iteration, 16 bytes
 * per agent of workspace. */
int bz_metrics_pagerank(const bz_layer *l, double damping, double tol, int max_iter, double *rank,
                        int *iterations, bz_error *err);

/* k-core number of every agent on the undirected view (core, n entries) and
 * the largest (*max_core). Batagelj-Zaversnik bucket peeling, serial, O(n+m),
 * 12 bytes per agent. Complete layers: n - 1 everywhere. */
int bz_metrics_kcore(const bz_layer *l, uint32_t *core, uint32_t *max_core, bz_error *err);

/* Approximate betweenness (bc, n entries) by Brandes' accumulation from
 * `samples` distinct sources drawn uniformly without replacement (keyed by
 * seed), scaled by n / samples: an unbiased estimator of the exact value
 *   bc[v] = sum over ordered pairs s != v != t of sigma_st(v) / sigma_st,
 * halved on undirected layers (unordered pairs, as networkx). samples >= n
 * gives the exact value. Unweighted BFS along stored arcs. Its relative
 * error shrinks as 1/sqrt(samples) (Brandes & Pich 2007); an agent's error
 * is largest when few sources reach paths through it. Parallel over sources;
 * each source's dependencies are added to bc in source order, so the result
 * does not depend on the thread count. BZ_EINVAL for samples = 0.
 * Complete layers: 0 (every pair is adjacent). Cost O(samples * (n + m))
 * time, 24 bytes per agent per thread. */
int bz_metrics_betweenness_approx(const bz_layer *l, uint32_t samples, uint64_t seed, double *bc,
                                  bz_error *err);

#endif

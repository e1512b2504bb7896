/* Influence maximisation by reverse-reachable (RR) sets (Borgs, Brautbar,
 * Chayes & Lucier 2014) with IMM's choice of how many (Tang, Shi & Xiao 2015,
 * "Influence maximization in near-linear time: a martingale approach") and
 * lazy greedy maximum coverage (Leskovec et al. 2007, CELF).
 *
 * Diffusion models (bz_influence_model), over any number of layers of one
 * network (every stored arc u -> v: v follows u, or an undirected tie, on
 * every layer taking part):
 *   IC  independent cascade (Kempe, Kleinberg & Tardos 2003): an activated
 *       agent u activates each out-neighbour v on layer l once, independently,
 *       with probability p[l]. Two optional extensions keep the live-edge
 *       form (so spread stays monotone and submodular): `relay`, the chance
 *       that an activated agent that is not a seed passes it on (a coin per
 *       agent; activated agents always count), and `seed_p`, an extra,
 *       independent chance that a seed activates each out-neighbour on layer
 *       `seed_layer` directly (a KOL's own posts).
 *   LT  linear threshold with uniform random thresholds (KKT 2003): v
 *       activates when the active share of its in-arcs over the layers taking
 *       part (p[l] > 0) reaches its threshold, i.e. weights 1 / in-degree.
 *       Its live-edge form: each agent keeps at most one in-arc, each with
 *       probability 1 / in-degree (exactly one when it has any).
 * The spread sigma(S) of a seed set S is the expected number of agents
 * activated, seeds included.
 *
 * An RR set is drawn by choosing a root v uniformly and collecting every
 * agent whose seeding would activate v in a random live-edge graph: IC, a
 * reverse BFS over in-neighbours keeping each in-arc with p[l] (agents whose
 * relay coin fails join the set but are not expanded; then every in-neighbour
 * on seed_layer of an expanded agent joins with seed_p); LT, a reverse random
 * walk, each agent picking one in-arc uniformly, until it returns to an agent
 * already in the set or reaches one with no in-arcs. For any S, n * P(S meets
 * an RR set) = sigma(S), so the fraction of theta RR sets that S covers, times
 * n, is an unbiased estimate of sigma(S) with relative standard error about
 * sqrt((n - sigma) / (theta sigma)).
 *
 * IMM (bz_influence_imm) chooses theta: a sampling phase doubles a guess x of
 * the optimum from n / 2 down, each time drawing theta_i = lambda' / x sets and
 * running the greedy on them, until the greedy's estimate is at least
 * (1 + eps') x (eps' = sqrt(2) eps); LB = estimate / (1 + eps') is then a lower
 * bound of OPT with probability 1 - n^-ell / 2, and theta = lambda* / LB sets
 * give a greedy seed set within (1 - 1/e - eps) of the optimal spread with
 * probability 1 - n^-ell (ell raised by the factor 1 + log 2 / log n of the
 * paper so that the two phases together fail with at most n^-ell). The final
 * theta sets are drawn afresh, independently of the sampling phase's (Chen
 * 2018, "An issue in the martingale analysis of the influence maximization
 * algorithm IMM", shows that reusing them breaks the proof). Constants:
 *   lambda' = (2 + 2 eps' / 3) (ln C(n, k) + ell ln n + ln log2 n) n / eps'^2
 *   lambda* = 2 n ((1 - 1/e) alpha + beta)^2 / eps^2,
 *   alpha = sqrt(ell ln n + ln 2), beta = sqrt((1 - 1/e)(ln C(n, k) + ell ln n + ln 2)).
 * Expected cost O((k + ell)(n + m) log n / eps^2) (Tang et al. 2015, Thm 3).
 *
 * Memory cap: the stored agents over all sets are capped (max_entries); at
 * the cap fewer sets than IMM asks for are used and the result says so
 * (capped). The guarantee then does not hold as stated: with theta_used sets
 * the estimate's relative error is the formula above.
 *
 * Determinism: RR set i of a phase is drawn from its own stream, keyed by
 * (seed of the phase, i, BZ_INFLUENCE_RNG_PURPOSE), sets are generated in
 * parallel into per-chunk buffers and combined in index order, the cap cuts
 * at an exact set index, and greedy ties go to the lower agent id: results
 * are identical for any OpenMP thread count.
 */
#ifndef BZ_INFLUENCE_H
#define BZ_INFLUENCE_H

#include <stddef.h>
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

typedef enum bz_influence_kind { BZ_INFLUENCE_IC = 0, BZ_INFLUENCE_LT = 1 } bz_influence_kind;

/* The diffusion whose spread is maximised (see the top of this file). */
typedef struct bz_influence_model {
    int kind;               /* bz_influence_kind */
    size_t n_layers;        /* >= 1 */
    const bz_layer *layers; /* [n_layers], all of the same n */
    const double *p;        /* [n_layers] in [0, 1]: IC arc probability of each layer;
                             * LT: a layer takes part when p > 0 */
    double relay;           /* IC: chance an activated non-seed passes it on, (0, 1]; 1 = IC */
    int seed_layer;         /* IC: layer of the seeds' extra arcs, -1 = none */
    double seed_p;          /* IC: their probability, [0, 1] */
} bz_influence_model;

typedef struct bz_influence_opts {
    uint64_t theta;       /* RR sets to draw, >= 1 */
    uint64_t seed;        /* Philox key of the RR-set streams */
    uint64_t max_entries; /* 0: BZ_INFLUENCE_MAX_ENTRIES. Generation stops after the
                           * first set (in index order) at which the stored agents
                           * reach this many, so supercritical p (RR sets as large
                           * as the giant component) stays bounded in memory: fewer
                           * sets are needed there, as the spread is large. */
} bz_influence_opts;

typedef struct bz_imm_opts {
    double eps;           /* approximation slack, in (0, 1) */
    double ell;           /* failure probability n^-ell, > 0 */
    uint64_t seed;        /* Philox key of the RR-set streams */
    uint64_t max_entries; /* 0: BZ_INFLUENCE_MAX_ENTRIES (per phase) */
    uint64_t theta;       /* > 0: skip IMM and use this many sets (an override) */
} bz_imm_opts;

typedef struct bz_influence_result {
    double est_spread;      /* n * covered / theta_used: RR estimate of sigma(seeds) */
    uint64_t theta_used;    /* sets the seeds were chosen from */
    uint64_t covered;       /* sets that contain a seed */
    uint64_t entries;       /* agents stored over those sets (sum of set sizes) */
    uint64_t theta_target;  /* sets asked for (IMM's theta, or opts.theta) */
    int capped;             /* 1: the entry cap stopped drawing before theta_target */
    double lower_bound;     /* IMM: LB of OPT from the sampling phase (1 if none found) */
    uint64_t sampling_sets; /* IMM: sets drawn by the sampling phase */
} bz_influence_result;

/* Choose k seeds (seeds[k], in greedy order) by IMM for model m.
 * Greedy maximum coverage with lazy re-evaluation: a max-heap of gains that
 * are upper bounds (coverage is submodular); the top is re-counted over its
 * uncovered sets and taken only when it still beats the next entry, so the
 * result equals plain greedy with ties to the lower agent id. Once every set
 * is covered the remaining seeds are the lowest-id agents not yet chosen.
 * res may be NULL.
 * Errors: BZ_EINVAL for a bad model (p outside [0, 1], relay outside (0, 1],
 * no layers or layers of different sizes, an empty network), eps outside
 * (0, 1), ell <= 0, k = 0 or k > n; BZ_ENOMEM.
 * Cost: O(n + m) per directed layer for its transpose (12 bytes per arc and
 * agent); drawing O(sum over sets of (size + live arcs examined)) spread over
 * threads, 8 bytes per agent per thread of scratch; the sampling phase runs
 * the greedy O(log n) times on a doubling number of sets, so at most about
 * twice the final phase. Memory up to 12 bytes per entry at the peak plus 8
 * per set. */
int bz_influence_imm(const bz_influence_model *m, const bz_imm_opts *o, uint32_t k, uint32_t *seeds,
                     bz_influence_result *res, bz_error *err);

/* The greedy on exactly opts->theta sets (no IMM). Same errors and cost as
 * the final phase of bz_influence_imm. */
int bz_influence_select(const bz_influence_model *m, const bz_influence_opts *opts, uint32_t k,
                        uint32_t *seeds, bz_influence_result *res, bz_error *err);

/* RR estimate of the spread of a given seed set seeds[k] (k >= 1, agents
 * < n, repeats allowed) from opts->theta sets of model m: n * (fraction of
 * sets containing a seed). res->theta_used, covered and entries as above.
 * The agent -> sets index is not built. */
int bz_influence_estimate_model(const bz_influence_model *m, const bz_influence_opts *opts,
                                const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                                bz_error *err);

/* Single-layer IC with arc probability p: bz_influence_select. */
int bz_influence_greedy_ex(const bz_layer *l, double p, const bz_influence_opts *opts, uint32_t k,
                           uint32_t *seeds, bz_influence_result *res, bz_error *err);

/* bz_influence_greedy_ex with the default entry cap; est_spread (may be
 * NULL) = n * covered fraction. */
int bz_influence_greedy(const bz_layer *l, double p, uint64_t theta, uint64_t seed, uint32_t k,
                        uint32_t *seeds, double *est_spread, bz_error *err);

/* Single-layer IC with arc probability p: bz_influence_estimate_model. */
int bz_influence_estimate(const bz_layer *l, double p, const bz_influence_opts *opts,
                          const uint32_t *seeds, uint32_t k, bz_influence_result *res,
                          bz_error *err);

/* IMM's number of final-phase sets for n agents, k seeds, eps, ell and a
 * lower bound lb of OPT: ceil(lambda* / lb) (ell as given, before the
 * 1 + log 2 / log n factor, which bz_influence_imm applies). */
double bz_influence_imm_theta(uint32_t n, uint32_t k, double eps, double ell, double lb);

#endif

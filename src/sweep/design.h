/* Sweep designs: which points of parameter space a sweep runs.
 *
 * An axis is a key path of the experiment (the `--set` syntax) and the
 * values it takes: an explicit list, a linear or logarithmic range, or a
 * distribution (sampled through its quantile function, so LHS and Sobol
 * stratify it). Axes with the same `tie` group vary together: they share one
 * coordinate of the design (the same level for a grid, the same unit-cube
 * coordinate for LHS and Sobol) and so count as one dimension.
 *
 * Designs (k = number of independent dimensions = tie groups):
 *   grid   every combination of the levels: P = product of group sizes; the
 *          last group varies fastest
 *   lhs    `samples` points; each dimension's [0,1) is cut into `samples`
 *          strata and every stratum is hit exactly once (random permutation
 *          and position within the stratum from the sweep's seed)
 *   sobol  Saltelli's layout for sensitivity indices: N = `samples` base
 *          points of a 2k-dimensional Sobol sequence (gsl_qrng_sobol, first
 *          point skipped) give matrices A (first k coordinates) and B (last
 *          k); the points are A (N), B (N), then AB_1 .. AB_k (N each: A with
 *          column j taken from B), so P = N (k + 2). Needs 2k <= 40.
 * Everything is a pure function of the axes, kind, samples and seed, so
 * every rank and shard computes the same design.
 */
#ifndef BZ_SWEEP_DESIGN_H
#define BZ_SWEEP_DESIGN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define BZ_AXIS_KEY_MAX 256
#define BZ_AXIS_VALUE_MAX 128

typedef enum bz_axis_kind {
    BZ_AXIS_LIST,   /* values[] as given (numbers or words, e.g. strategies) */
    BZ_AXIS_LINEAR, /* n levels evenly from lo to hi inclusive (grid); uniform on [lo, hi] */
    BZ_AXIS_LOG,    /* n levels evenly in log from lo to hi (grid); log-uniform */
    BZ_AXIS_DIST    /* a distribution: quantile of the design coordinate (not in grids) */
} bz_axis_kind;

typedef enum bz_axis_dist {
    BZ_AXIS_DIST_UNIFORM,   /* a = low, b = high */
    BZ_AXIS_DIST_NORMAL,    /* a = mean, b = sd */
    BZ_AXIS_DIST_LOGNORMAL, /* a = mu, b = sigma of log */
    BZ_AXIS_DIST_BETA       /* a, b shape parameters */
} bz_axis_dist;

typedef struct bz_axis {
    char key[BZ_AXIS_KEY_MAX];         /* key path, e.g. "diffusion.q" or "arms.kol.0.count" */
    int kind;                          /* bz_axis_kind */
    size_t n_values;                   /* LIST: number of values; LINEAR/LOG: grid levels */
    char (*values)[BZ_AXIS_VALUE_MAX]; /* LIST: the values as text, owned */
    double lo, hi;                     /* LINEAR/LOG */
    int dist;                          /* DIST: bz_axis_dist */
    double a, b;                       /* DIST parameters */
    int integer; /* round numeric values to integers (counts, stock); an integer
                    linear axis in lhs/sobol is uniform on the integers of [lo, hi] */
    int tie;     /* tie group: axes with equal tie >= 0 vary together; a negative
                    tie is an axis of its own */
} bz_axis;

typedef enum bz_design_kind { BZ_DESIGN_GRID, BZ_DESIGN_LHS, BZ_DESIGN_SOBOL } bz_design_kind;

typedef struct bz_design {
    int kind;          /* bz_design_kind */
    size_t n_axes;     /* axes (columns of value/num) */
    size_t n_dims;     /* independent dimensions (tie groups) */
    int *dim_of_axis;  /* [n_axes] dimension of each axis, owned */
    size_t n_points;   /* P */
    size_t sobol_base; /* sobol: N (points are A, B, AB_1..AB_k); else 0 */
    double *u;         /* [P][n_dims] coordinates in [0,1) (grid: level / levels), owned */
    char (*value)[BZ_AXIS_VALUE_MAX]; /* [P][n_axes] the --set value text, owned */
    double *num;                      /* [P][n_axes] numeric value, NaN for words, owned */
} bz_design;

/* Build a design. `samples` is the point count of lhs and the base count N
 * of sobol (ignored by grid). BZ_EINVAL with a message naming the axis key
 * for: no axes, an empty list or range (n_values 0, lo > hi, lo <= 0 on a
 * log axis), a distribution on a grid, tied axes of different sizes,
 * samples 0, too many dimensions for Sobol; BZ_ETOOBIG if P overflows.
 * d is left empty on failure. Cost O(P n_axes). */
int bz_design_build(bz_design *d, const bz_axis *axes, size_t n_axes, int kind, size_t samples,
                    uint64_t seed, bz_error *err);

void bz_design_destroy(bz_design *d);

/* First-order (S1) and total (ST) Sobol indices of each dimension from the
 * outputs y[P] of a sobol design (Saltelli 2010 estimators: S1 from
 * f(B)(f(AB_j) - f(A)), ST from Jansen's (f(A) - f(AB_j))^2, both over the
 * variance of f(A) and f(B)). s1, st have n_dims entries. BZ_EINVAL if the
 * design is not sobol or the output variance is zero; NaN outputs are
 * skipped pairwise. O(P). */
int bz_design_sobol_indices(const bz_design *d, const double *y, double *s1, double *st,
                            bz_error *err);

#endif

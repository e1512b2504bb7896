/* Sweep designs (see design.h): grid, Latin hypercube and Sobol/Saltelli
 * point sets over tied groups of axes, their values as --set text, and the
 * Saltelli/Jansen sensitivity estimators.
 *
 * Status: grid, LHS, Sobol and the indices are implemented and tested in
 * tests/unit/test_design.c (point counts, bounds, strata, ties, log ranges,
 * error messages, Ishigami and linear-model indices).
 *
 * Randomness: only LHS is random. Dimension j draws its stratum permutation
 * from the stream (seed, 0, j, 0, BZ_RNG_DESIGN) and the positions inside
 * the strata from (seed, 0, j, 1, BZ_RNG_DESIGN), so the design is a pure
 * function of its inputs. Grid and Sobol ignore the seed.
 */
#include "sweep/design.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>

#include "rng/rng.h"

/* gsl_qrng_sobol supports up to 40 dimensions; Saltelli needs 2k. */
#define BZ_SOBOL_MAX_DIMS 20
/* One LHS stream holds 2^26 words; a permutation and the jitter take at most
 * about 2 words per sample, so this keeps every draw inside its stream. */
#define BZ_LHS_MAX_SAMPLES ((size_t)1 << 24)

/* Parse a whole string as a finite number; NaN when it is a word. */
static double parse_number(const char *s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v)) return NAN;
    while (*end == ' ' || *end == '\t')
        end++;
    return *end == '\0' ? v : NAN;
}

/* Number of grid levels (or list entries) of an axis; 0 for a distribution. */
static size_t axis_levels(const bz_axis *a)
{
    return a->kind == BZ_AXIS_DIST ? 0 : a->n_values;
}

static int check_axis(const bz_axis *a, size_t index, int design, bz_error *err)
{
    size_t klen = strnlen(a->key, BZ_AXIS_KEY_MAX);
    if (klen == 0) return bz_error_set(err, BZ_EINVAL, "sweep axis %zu: empty key", index);
    if (klen == BZ_AXIS_KEY_MAX)
        return bz_error_set(err, BZ_EINVAL, "sweep axis %zu: key longer than %d characters", index,
                            BZ_AXIS_KEY_MAX - 1);
    const char *k = a->key;
    switch (a->kind) {
    case BZ_AXIS_LIST:
        if (a->n_values == 0 || !a->values)
            return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': empty list of values", k);
        for (size_t i = 0; i < a->n_values; i++)
            if (strnlen(a->values[i], BZ_AXIS_VALUE_MAX) == BZ_AXIS_VALUE_MAX)
                return bz_error_set(err, BZ_EINVAL,
                                    "sweep axis '%s': value %zu is longer than %d characters", k, i,
                                    BZ_AXIS_VALUE_MAX - 1);
        return BZ_OK;
    case BZ_AXIS_LINEAR:
    case BZ_AXIS_LOG:
        if (!isfinite(a->lo) || !isfinite(a->hi))
            return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': range bounds must be finite", k);
        if (a->lo > a->hi)
            return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': empty range: lo %g > hi %g", k,
                                a->lo, a->hi);
        if (a->kind == BZ_AXIS_LOG && a->lo <= 0)
            return bz_error_set(err, BZ_EINVAL,
                                "sweep axis '%s': log range needs lo > 0, got lo %g", k, a->lo);
        if (design == BZ_DESIGN_GRID && a->n_values == 0)
            return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': range with 0 grid levels", k);
        if (a->integer && ceil(a->lo) > floor(a->hi))
            return bz_error_set(err, BZ_EINVAL,
                                "sweep axis '%s': integer range [%g, %g] holds no integer", k,
                                a->lo, a->hi);
        return BZ_OK;
    case BZ_AXIS_DIST:
        if (design == BZ_DESIGN_GRID)
            return bz_error_set(err, BZ_EINVAL,
                                "sweep axis '%s': a distribution cannot be a grid axis (use a "
                                "list or a range)",
                                k);
        if (!isfinite(a->a) || !isfinite(a->b))
            return bz_error_set(err, BZ_EINVAL,
                                "sweep axis '%s': distribution parameters must be finite", k);
        switch (a->dist) {
        case BZ_AXIS_DIST_UNIFORM:
            if (a->a > a->b)
                return bz_error_set(err, BZ_EINVAL,
                                    "sweep axis '%s': uniform needs low <= high, got %g > %g", k,
                                    a->a, a->b);
            return BZ_OK;
        case BZ_AXIS_DIST_NORMAL:
        case BZ_AXIS_DIST_LOGNORMAL:
            if (a->b <= 0)
                return bz_error_set(err, BZ_EINVAL,
                                    "sweep axis '%s': %s needs a positive %s, got %g", k,
                                    a->dist == BZ_AXIS_DIST_NORMAL ? "normal" : "lognormal",
                                    a->dist == BZ_AXIS_DIST_NORMAL ? "sd" : "sigma", a->b);
            return BZ_OK;
        case BZ_AXIS_DIST_BETA:
            if (a->a <= 0 || a->b <= 0)
                return bz_error_set(err, BZ_EINVAL,
                                    "sweep axis '%s': beta needs positive shapes, got %g, %g", k,
                                    a->a, a->b);
            return BZ_OK;
        default:
            return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': unknown distribution %d", k,
                                a->dist);
        }
    default:
        return bz_error_set(err, BZ_EINVAL, "sweep axis '%s': unknown axis kind %d", k, a->kind);
    }
}

/* Assign dimensions to tie groups in order of first appearance (a negative
 * tie is a group of its own) and check that the axes of a group agree on
 * their size where the design uses it: all axes in a grid, lists otherwise.
 * size[j] gets the group's level count (0 when no axis of it has one). */
static int assign_dims(bz_design *d, const bz_axis *axes, size_t *size, bz_error *err)
{
    size_t n_dims = 0;
    for (size_t i = 0; i < d->n_axes; i++) {
        size_t j = n_dims;
        if (axes[i].tie >= 0)
            for (size_t p = 0; p < i; p++)
                if (axes[p].tie == axes[i].tie) {
                    j = (size_t)d->dim_of_axis[p];
                    break;
                }
        if (j == n_dims) size[n_dims++] = 0;
        d->dim_of_axis[i] = (int)j;
        int sized = d->kind == BZ_DESIGN_GRID || axes[i].kind == BZ_AXIS_LIST;
        if (!sized) continue;
        size_t n = axis_levels(&axes[i]);
        if (size[j] == 0) {
            size[j] = n;
        } else if (size[j] != n) {
            size_t p = 0; /* the first sized axis of the group, to name it */
            while (d->dim_of_axis[p] != (int)j ||
                   !(d->kind == BZ_DESIGN_GRID || axes[p].kind == BZ_AXIS_LIST))
                p++;
            return bz_error_set(
                err, BZ_EINVAL,
                "sweep axis '%s': tied to '%s' (tie %d) but has %zu values, not %zu", axes[i].key,
                axes[p].key, axes[i].tie, n, size[j]);
        }
    }
    d->n_dims = n_dims;
    return BZ_OK;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Quantile of a distribution axis at u; u is kept off 0 and 1 so that
 * unbounded distributions give finite values. */
static double dist_quantile(const bz_axis *a, double u)
{
    u = clamp(u, 0x1.0p-53, 1.0 - 0x1.0p-53);
    switch (a->dist) {
    case BZ_AXIS_DIST_UNIFORM:
        return a->a + (a->b - a->a) * u;
    case BZ_AXIS_DIST_NORMAL:
        return a->a + gsl_cdf_gaussian_Pinv(u, a->b);
    case BZ_AXIS_DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(u, a->a, a->b);
    default: /* BZ_AXIS_DIST_BETA, checked by check_axis */
        return gsl_cdf_beta_Pinv(u, a->a, a->b);
    }
}

/* Value of a range axis at level `level` of `levels` (grid). Endpoints are
 * exact; log levels are geometric. */
static double range_level(const bz_axis *a, size_t level, size_t levels)
{
    if (levels <= 1 || level == 0) return a->lo;
    if (level == levels - 1) return a->hi;
    double t = (double)level / (double)(levels - 1);
    if (a->kind == BZ_AXIS_LOG) return exp(log(a->lo) + t * (log(a->hi) - log(a->lo)));
    return a->lo + t * (a->hi - a->lo);
}

/* Value of a range axis at coordinate u in [0,1) (LHS, Sobol): uniform or
 * log-uniform on [lo, hi]. An integer linear axis is uniform on the integers
 * of [lo, hi] (floor(u m) keeps the strata: rounding would give the end
 * integers half the weight). */
static double range_at(const bz_axis *a, double u)
{
    if (a->kind == BZ_AXIS_LINEAR && a->integer) {
        double first = ceil(a->lo), m = floor(a->hi) - first + 1.0;
        return clamp(first + floor(u * m), first, floor(a->hi));
    }
    double v = a->kind == BZ_AXIS_LOG ? exp(log(a->lo) + u * (log(a->hi) - log(a->lo)))
                                      : a->lo + u * (a->hi - a->lo);
    return clamp(v, a->lo, a->hi);
}

/* Fill value/num of axis `ax` at point p from its coordinate u (or its grid
 * level). */
static void set_value(bz_design *d, const bz_axis *a, size_t p, size_t ax, double u, size_t level,
                      size_t levels)
{
    char *text = d->value[p * d->n_axes + ax];
    double *num = &d->num[p * d->n_axes + ax];
    double v;
    if (a->kind == BZ_AXIS_LIST) {
        size_t i = d->kind == BZ_DESIGN_GRID ? level : (size_t)(u * (double)a->n_values);
        if (i >= a->n_values) i = a->n_values - 1;
        v = parse_number(a->values[i]);
        if (!(a->integer && isfinite(v) && v != round(v))) {
            /* The text as given: words, and numbers exactly as written. */
            memcpy(text, a->values[i], BZ_AXIS_VALUE_MAX);
            *num = v;
            return;
        }
        v = round(v);
    } else if (a->kind == BZ_AXIS_DIST) {
        v = dist_quantile(a, u);
        if (a->integer) v = round(v);
    } else {
        v = d->kind == BZ_DESIGN_GRID ? range_level(a, level, levels) : range_at(a, u);
        if (a->integer) v = clamp(round(v), ceil(a->lo), floor(a->hi));
    }
    *num = v;
    snprintf(text, BZ_AXIS_VALUE_MAX, "%.17g", v);
}

/* Multiply with overflow detection. */
static int mul_ok(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a) return 0;
    *out = a * b;
    return 1;
}

/* Grid coordinates: point p's level in dimension j, last dimension fastest. */
static void grid_coords(bz_design *d, const size_t *size, size_t *level_of)
{
    for (size_t p = 0; p < d->n_points; p++) {
        size_t rest = p;
        for (size_t j = d->n_dims; j-- > 0;) {
            size_t lv = rest % size[j];
            rest /= size[j];
            level_of[p * d->n_dims + j] = lv;
            d->u[p * d->n_dims + j] = (double)lv / (double)size[j];
        }
    }
}

/* LHS coordinates: u = (perm_j(p) + jitter) / P; perm by Fisher-Yates. */
static int lhs_coords(bz_design *d, uint64_t seed, bz_error *err)
{
    size_t P = d->n_points;
    size_t *perm = malloc(P * sizeof *perm);
    if (!perm)
        return bz_error_oom(err, "sweep design", P * sizeof *perm, "an LHS permutation of %zu", P);
    for (size_t j = 0; j < d->n_dims; j++) {
        bz_stream ps, js;
        bz_stream_init(&ps, seed, 0, (uint32_t)j, 0, BZ_RNG_DESIGN);
        bz_stream_init(&js, seed, 0, (uint32_t)j, 1, BZ_RNG_DESIGN);
        for (size_t i = 0; i < P; i++)
            perm[i] = i;
        for (size_t i = P; i > 1; i--) {
            size_t r = (size_t)bz_stream_below(&ps, i);
            size_t t = perm[i - 1];
            perm[i - 1] = perm[r];
            perm[r] = t;
        }
        for (size_t p = 0; p < P; p++) {
            double u = ((double)perm[p] + bz_stream_uniform(&js)) / (double)P;
            /* Rounding must not push u into the next stratum. */
            double top = nextafter((double)(perm[p] + 1) / (double)P, 0.0);
            d->u[p * d->n_dims + j] = u > top ? top : u;
        }
    }
    free(perm);
    return BZ_OK;
}

/* Saltelli coordinates: A, B, AB_1..AB_k from a 2k-dimensional Sobol
 * sequence whose first point (all zeros) is skipped. */
static int sobol_coords(bz_design *d, size_t N, bz_error *err)
{
    size_t k = d->n_dims;
    double x[2 * BZ_SOBOL_MAX_DIMS];
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!q) return bz_error_set(err, BZ_ENOMEM, "sweep design: cannot allocate the Sobol sequence");
    gsl_qrng_get(q, x); /* skip the origin */
    for (size_t i = 0; i < N; i++) {
        gsl_qrng_get(q, x);
        double *A = &d->u[i * k], *B = &d->u[(N + i) * k];
        memcpy(A, x, k * sizeof *A);
        memcpy(B, x + k, k * sizeof *B);
        for (size_t j = 0; j < k; j++) {
            double *AB = &d->u[((2 + j) * N + i) * k];
            memcpy(AB, A, k * sizeof *AB);
            AB[j] = B[j];
        }
    }
    gsl_qrng_free(q);
    return BZ_OK;
}

int bz_design_build(bz_design *d, const bz_axis *axes, size_t n_axes, int kind, size_t samples,
                    uint64_t seed, bz_error *err)
{
    int status = BZ_OK;
    size_t *size = NULL, *level_of = NULL;
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->n_axes = n_axes;
    if (kind != BZ_DESIGN_GRID && kind != BZ_DESIGN_LHS && kind != BZ_DESIGN_SOBOL)
        BZ_FAIL(err, BZ_EINVAL, "sweep design: unknown design kind %d", kind);
    if (n_axes == 0 || !axes) BZ_FAIL(err, BZ_EINVAL, "sweep design: no axes");
    if (kind != BZ_DESIGN_GRID && samples == 0)
        BZ_FAIL(err, BZ_EINVAL, "sweep design: %s needs samples > 0",
                kind == BZ_DESIGN_LHS ? "lhs" : "sobol");
    for (size_t i = 0; i < n_axes; i++)
        BZ_CHECK(check_axis(&axes[i], i, kind, err));

    d->dim_of_axis = malloc(n_axes * sizeof *d->dim_of_axis);
    size = malloc(n_axes * sizeof *size);
    if (!d->dim_of_axis || !size)
        BZ_FAIL_OOM(err, "sweep design", n_axes * (sizeof *d->dim_of_axis + sizeof *size),
                    "%zu axes", n_axes);
    BZ_CHECK(assign_dims(d, axes, size, err));

    size_t P = 1, cells, bytes;
    if (kind == BZ_DESIGN_GRID) {
        for (size_t j = 0; j < d->n_dims; j++)
            if (!mul_ok(P, size[j], &P))
                BZ_FAIL(err, BZ_ETOOBIG, "sweep design: the grid has more than %zu points",
                        (size_t)SIZE_MAX);
    } else if (kind == BZ_DESIGN_LHS) {
        if (samples > BZ_LHS_MAX_SAMPLES)
            BZ_FAIL(err, BZ_ETOOBIG, "sweep design: lhs samples %zu exceeds %zu", samples,
                    BZ_LHS_MAX_SAMPLES);
        P = samples;
    } else {
        if (d->n_dims > BZ_SOBOL_MAX_DIMS) {
            size_t i = 0;
            while (d->dim_of_axis[i] != BZ_SOBOL_MAX_DIMS)
                i++;
            BZ_FAIL(err, BZ_EINVAL,
                    "sweep axis '%s': sobol supports at most %d independent axes (2k <= 40), "
                    "got %zu",
                    axes[i].key, BZ_SOBOL_MAX_DIMS, d->n_dims);
        }
        if (!mul_ok(samples, d->n_dims + 2, &P))
            BZ_FAIL(err, BZ_ETOOBIG, "sweep design: sobol samples %zu is too large", samples);
        d->sobol_base = samples;
    }
    /* The value text is the largest table: P n_axes * 128 bytes. */
    if (!mul_ok(P, n_axes, &cells) || !mul_ok(cells, BZ_AXIS_VALUE_MAX, &bytes) ||
        !mul_ok(P, d->n_dims * sizeof(double), &bytes))
        BZ_FAIL(err, BZ_ETOOBIG, "sweep design: %zu points of %zu axes do not fit in memory", P,
                n_axes);
    d->n_points = P;
    d->u = malloc(P * d->n_dims * sizeof *d->u);
    d->value = calloc(cells, sizeof *d->value);
    d->num = malloc(cells * sizeof *d->num);
    if (!d->u || !d->value || !d->num)
        BZ_FAIL_OOM(err, "sweep design",
                    P * d->n_dims * sizeof *d->u + cells * (sizeof *d->value + sizeof *d->num),
                    "%zu points", P);

    if (kind == BZ_DESIGN_GRID) {
        level_of = malloc(P * d->n_dims * sizeof *level_of);
        if (!level_of)
            BZ_FAIL_OOM(err, "sweep design", P * d->n_dims * sizeof *level_of, "%zu points", P);
        grid_coords(d, size, level_of);
    } else if (kind == BZ_DESIGN_LHS) {
        BZ_CHECK(lhs_coords(d, seed, err));
    } else {
        BZ_CHECK(sobol_coords(d, samples, err));
    }
    for (size_t p = 0; p < P; p++)
        for (size_t i = 0; i < n_axes; i++) {
            size_t j = (size_t)d->dim_of_axis[i];
            size_t lv = level_of ? level_of[p * d->n_dims + j] : 0;
            set_value(d, &axes[i], p, i, d->u[p * d->n_dims + j], lv, size[j]);
        }

cleanup:
    free(size);
    free(level_of);
    if (status != BZ_OK) bz_design_destroy(d);
    return status;
}

void bz_design_destroy(bz_design *d)
{
    if (!d) return;
    free(d->dim_of_axis);
    free(d->u);
    free(d->value);
    free(d->num);
    memset(d, 0, sizeof *d);
}

int bz_design_sobol_indices(const bz_design *d, const double *y, double *s1, double *st,
                            bz_error *err)
{
    if (!d || d->kind != BZ_DESIGN_SOBOL || d->sobol_base == 0)
        return bz_error_set(err, BZ_EINVAL, "sobol indices: the design is not a sobol design");
    size_t N = d->sobol_base, k = d->n_dims;
    const double *fA = y, *fB = y + N;
    /* Output variance over the finite values of A and B (two-pass mean). */
    double sum = 0, ss = 0;
    size_t n = 0;
    for (size_t i = 0; i < 2 * N; i++)
        if (isfinite(y[i])) sum += y[i], n++;
    if (n < 2) return bz_error_set(err, BZ_EINVAL, "sobol indices: fewer than 2 finite outputs");
    double mean = sum / (double)n;
    for (size_t i = 0; i < 2 * N; i++)
        if (isfinite(y[i])) ss += (y[i] - mean) * (y[i] - mean);
    double var = ss / (double)n;
    if (!(var > 0))
        return bz_error_set(err, BZ_EINVAL, "sobol indices: the output has zero variance");
    for (size_t j = 0; j < k; j++) {
        const double *fAB = y + (2 + j) * N;
        double s1_sum = 0, st_sum = 0;
        size_t m = 0;
        for (size_t i = 0; i < N; i++) {
            if (!isfinite(fA[i]) || !isfinite(fB[i]) || !isfinite(fAB[i])) continue;
            s1_sum += fB[i] * (fAB[i] - fA[i]);
            st_sum += (fA[i] - fAB[i]) * (fA[i] - fAB[i]);
            m++;
        }
        s1[j] = m ? s1_sum / (double)m / var : NAN;
        st[j] = m ? st_sum / (2.0 * (double)m) / var : NAN;
    }
    return BZ_OK;
}

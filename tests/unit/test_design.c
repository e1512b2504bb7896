/* design: point counts, bounds, LHS strata, ties, grid order, log ranges,
 * value text, error messages, and Sobol indices of functions whose indices
 * are known analytically (Ishigami, linear). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "sweep/design.h"

static bz_axis range_axis(const char *key, int kind, double lo, double hi, size_t n, int tie)
{
    bz_axis a;
    memset(&a, 0, sizeof a);
    snprintf(a.key, sizeof a.key, "%s", key);
    a.kind = kind;
    a.lo = lo;
    a.hi = hi;
    a.n_values = n;
    a.tie = tie;
    return a;
}

static bz_axis dist_axis(const char *key, int dist, double pa, double pb, int tie)
{
    bz_axis a = range_axis(key, BZ_AXIS_DIST, 0, 0, 0, tie);
    a.dist = dist;
    a.a = pa;
    a.b = pb;
    return a;
}

/* A list axis; its values storage is static per call site (caller passes it). */
static bz_axis list_axis(const char *key, char (*store)[BZ_AXIS_VALUE_MAX], const char **vals,
                         size_t n, int tie)
{
    bz_axis a = range_axis(key, BZ_AXIS_LIST, 0, 0, n, tie);
    for (size_t i = 0; i < n; i++)
        snprintf(store[i], BZ_AXIS_VALUE_MAX, "%s", vals[i]);
    a.values = store;
    return a;
}

static double num(const bz_design *d, size_t p, size_t ax)
{
    return d->num[p * d->n_axes + ax];
}

static const char *text(const bz_design *d, size_t p, size_t ax)
{
    return d->value[p * d->n_axes + ax];
}

/* Every numeric value's text parses back to exactly its number. */
static int texts_round_trip(const bz_design *d)
{
    for (size_t p = 0; p < d->n_points; p++)
        for (size_t i = 0; i < d->n_axes; i++) {
            double v = num(d, p, i);
            if (isnan(v)) continue;
            if (strtod(text(d, p, i), NULL) != v) return 0;
        }
    return 1;
}

static void test_grid_order_and_ties(void)
{
    char store[3][BZ_AXIS_VALUE_MAX];
    const char *words[] = {"pagerank", "kcore", "bridges"};
    bz_axis axes[4] = {
        list_axis("arms.kol.strategy", store, words, 3, 0),
        range_axis("diffusion.q", BZ_AXIS_LINEAR, 0.1, 0.4, 4, 1),
        range_axis("diffusion.p", BZ_AXIS_LINEAR, 1.0, 3.0, 3, 0), /* tied to the list */
        range_axis("seed_count", BZ_AXIS_LINEAR, 10, 10, 1, -1),
    };
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 4, BZ_DESIGN_GRID, 0, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.n_dims, 3);
    CU_ASSERT_EQUAL(d.n_points, 3 * 4 * 1);
    CU_ASSERT_EQUAL(d.dim_of_axis[0], d.dim_of_axis[2]);
    CU_ASSERT_NOT_EQUAL(d.dim_of_axis[0], d.dim_of_axis[1]);
    const double q[4] = {0.1, 0.2, 0.3, 0.4}, pv[3] = {1.0, 2.0, 3.0};
    for (size_t p = 0; p < d.n_points; p++) {
        size_t il = p / 4, iq = p % 4; /* the last group (q) fastest */
        CU_ASSERT_STRING_EQUAL(text(&d, p, 0), words[il]);
        CU_ASSERT(isnan(num(&d, p, 0)));
        CU_ASSERT_DOUBLE_EQUAL(num(&d, p, 1), q[iq], 1e-15);
        CU_ASSERT_EQUAL(num(&d, p, 2), pv[il]); /* tied: moves with the list */
        CU_ASSERT_EQUAL(num(&d, p, 3), 10.0);
        CU_ASSERT_DOUBLE_EQUAL(d.u[p * 3 + d.dim_of_axis[1]], iq / 4.0, 0);
    }
    /* Endpoints exactly as given. */
    CU_ASSERT_EQUAL(num(&d, 0, 1), 0.1);
    CU_ASSERT_EQUAL(num(&d, 3, 1), 0.4);
    CU_ASSERT(texts_round_trip(&d));
    bz_design_destroy(&d);
    CU_ASSERT_PTR_NULL(d.u);
    bz_design_destroy(&d); /* twice is harmless */
}

static void test_grid_log_and_integer(void)
{
    bz_axis axes[2] = {
        range_axis("population.size", BZ_AXIS_LOG, 1e3, 1e6, 4, 0),
        range_axis("arms.kol.0.count", BZ_AXIS_LINEAR, 1, 10, 4, 1),
    };
    axes[1].integer = 1;
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 2, BZ_DESIGN_GRID, 0, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.n_points, 16);
    const double expect_int[4] = {1, 4, 7, 10};
    for (size_t p = 0; p < 16; p++) {
        double v = num(&d, p, 0), expect = pow(10.0, 3.0 + (double)(p / 4));
        CU_ASSERT_DOUBLE_EQUAL(v / expect, 1.0, 1e-12); /* geometric: 1e3, 1e4, ... */
        CU_ASSERT(v >= 1e3 && v <= 1e6);
        CU_ASSERT_EQUAL(num(&d, p, 1), expect_int[p % 4]);
    }
    /* Consecutive ratios equal: geometric, not linear. */
    double r1 = num(&d, 4, 0) / num(&d, 0, 0), r2 = num(&d, 12, 0) / num(&d, 8, 0);
    CU_ASSERT_DOUBLE_EQUAL(r1, r2, 1e-12);
    CU_ASSERT_STRING_EQUAL(text(&d, 1, 1), "4");
    CU_ASSERT(texts_round_trip(&d));
    bz_design_destroy(&d);
}

/* Returns 1 when floor(u P) over the points is a permutation of 0..P-1. */
static int strata_once(const double *u, size_t stride, size_t P)
{
    char *seen = calloc(P, 1);
    int ok = seen != NULL;
    for (size_t p = 0; ok && p < P; p++) {
        double x = u[p * stride];
        size_t s = (size_t)(x * (double)P);
        if (!(x >= 0 && x < 1) || s >= P || seen[s])
            ok = 0;
        else
            seen[s] = 1;
    }
    free(seen);
    return ok;
}

static void test_lhs_strata_bounds_ties(void)
{
    enum { P = 97 };
    char store[5][BZ_AXIS_VALUE_MAX];
    const char *vals[] = {"1", "2", "3", "4", "5"};
    bz_axis axes[6] = {
        range_axis("diffusion.p", BZ_AXIS_LINEAR, 0.001, 0.05, 0, 0),
        range_axis("population.size", BZ_AXIS_LOG, 100, 1e5, 0, 1),
        dist_axis("diffusion.q", BZ_AXIS_DIST_BETA, 2, 5, 2),
        range_axis("arms.kol.0.count", BZ_AXIS_LINEAR, 2.5, 12.5, 0, 3),
        list_axis("network.k", store, vals, 5, 4),
        range_axis("diffusion.r", BZ_AXIS_LINEAR, 10, 20, 0, 0), /* tied to p */
    };
    axes[3].integer = 1;
    bz_design d, d2, d3;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 6, BZ_DESIGN_LHS, P, 42, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.n_points, P);
    CU_ASSERT_EQUAL(d.n_dims, 5);
    for (size_t j = 0; j < d.n_dims; j++)
        CU_ASSERT(strata_once(d.u + j, d.n_dims, P));
    /* The values themselves: a linear axis' strata in value space are hit
     * once, and the tied axis sits at the same relative position. */
    double *rel = malloc(P * sizeof *rel);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rel);
    for (size_t p = 0; p < P; p++) {
        double x = num(&d, p, 0), r = num(&d, p, 5), n = num(&d, p, 1);
        CU_ASSERT(x >= 0.001 && x <= 0.05);
        CU_ASSERT(r >= 10 && r <= 20);
        CU_ASSERT_DOUBLE_EQUAL((x - 0.001) / 0.049, (r - 10) / 10, 1e-9);
        rel[p] = (x - 0.001) / 0.049;
        CU_ASSERT(n >= 100 && n <= 1e5);
        CU_ASSERT(num(&d, p, 2) > 0 && num(&d, p, 2) < 1);
        double c = num(&d, p, 3);
        CU_ASSERT(c == round(c) && c >= 3 && c <= 12);
        double k = num(&d, p, 4);
        CU_ASSERT(k == round(k) && k >= 1 && k <= 5);
    }
    CU_ASSERT(strata_once(rel, 1, P));
    /* Log-uniform: log n is stratified evenly. */
    for (size_t p = 0; p < P; p++)
        rel[p] = (log(num(&d, p, 1)) - log(100)) / (log(1e5) - log(100)) * (1 - 1e-12);
    CU_ASSERT(strata_once(rel, 1, P));
    /* Integer count uniform on the integers 3..12: each covers 9.7 strata so
     * appears 8 to 11 times (rounding would give 3 and 12 only about 5). */
    int count[13] = {0};
    for (size_t p = 0; p < P; p++)
        count[(int)num(&d, p, 3)]++;
    for (int c = 3; c <= 12; c++)
        CU_ASSERT(count[c] >= 8 && count[c] <= 11);
    /* A pure function of the seed. */
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d2, axes, 6, BZ_DESIGN_LHS, P, 42, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d3, axes, 6, BZ_DESIGN_LHS, P, 43, &err), BZ_OK);
    CU_ASSERT_EQUAL(memcmp(d.u, d2.u, P * d.n_dims * sizeof *d.u), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(d.u, d3.u, P * d.n_dims * sizeof *d.u), 0);
    CU_ASSERT(texts_round_trip(&d));
    free(rel);
    bz_design_destroy(&d);
    bz_design_destroy(&d2);
    bz_design_destroy(&d3);
}

static void test_sobol_layout(void)
{
    enum { N = 64 };
    bz_axis axes[4] = {
        range_axis("a", BZ_AXIS_LINEAR, -1, 1, 0, 0),
        range_axis("b", BZ_AXIS_LOG, 0.01, 1, 0, 1),
        dist_axis("c", BZ_AXIS_DIST_NORMAL, 5, 2, 2),
        range_axis("a2", BZ_AXIS_LINEAR, 0, 10, 0, 0),
    };
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 4, BZ_DESIGN_SOBOL, N, 7, &err), BZ_OK);
    size_t k = 3;
    CU_ASSERT_EQUAL(d.n_dims, k);
    CU_ASSERT_EQUAL(d.sobol_base, N);
    CU_ASSERT_EQUAL(d.n_points, N * (k + 2));
    for (size_t i = 0; i < N; i++) {
        const double *A = &d.u[i * k], *B = &d.u[(N + i) * k];
        for (size_t j = 0; j < k; j++) {
            const double *AB = &d.u[((2 + j) * N + i) * k];
            for (size_t m = 0; m < k; m++)
                CU_ASSERT_EQUAL(AB[m], m == j ? B[m] : A[m]);
        }
    }
    for (size_t p = 0; p < d.n_points; p++) {
        for (size_t j = 0; j < k; j++)
            CU_ASSERT(d.u[p * k + j] > 0 && d.u[p * k + j] < 1); /* origin skipped */
        CU_ASSERT(num(&d, p, 0) >= -1 && num(&d, p, 0) <= 1);
        CU_ASSERT(num(&d, p, 1) >= 0.01 && num(&d, p, 1) <= 1);
        CU_ASSERT(isfinite(num(&d, p, 2)));
        CU_ASSERT_DOUBLE_EQUAL((num(&d, p, 0) + 1) / 2, num(&d, p, 3) / 10, 1e-12);
    }
    /* Low discrepancy, not random: Sobol points 0..63 put exactly 32 in each
     * half of every coordinate; with the origin skipped (points 1..64) the
     * count can move by one. 64 random points would miss this band often. */
    for (size_t j = 0; j < k; j++) {
        int below = 0;
        for (size_t i = 0; i < N; i++)
            below += d.u[i * k + j] < 0.5;
        CU_ASSERT(below >= 31 && below <= 33);
    }
    CU_ASSERT(texts_round_trip(&d));
    bz_design_destroy(&d);
}

/* The call fails with `code`, the message names `key`, and d is empty. */
static void expect_error(const bz_axis *axes, size_t n, int kind, size_t samples, int code,
                         const char *key)
{
    bz_design d;
    bz_error err;
    bz_error_clear(&err);
    int rc = bz_design_build(&d, axes, n, kind, samples, 1, &err);
    CU_ASSERT_EQUAL(rc, code);
    CU_ASSERT_EQUAL(err.code, code);
    if (key && !strstr(err.msg, key)) {
        fprintf(stderr, "\nmessage '%s' does not name '%s'\n", err.msg, key);
        CU_FAIL("message does not name the key");
    }
    CU_ASSERT_EQUAL(d.n_points, 0);
    CU_ASSERT_PTR_NULL(d.u);
    CU_ASSERT_PTR_NULL(d.value);
    CU_ASSERT_PTR_NULL(d.dim_of_axis);
}

static void test_errors(void)
{
    char store[3][BZ_AXIS_VALUE_MAX];
    const char *vals[] = {"1", "2", "3"};
    bz_axis ok = range_axis("ok.axis", BZ_AXIS_LINEAR, 0, 1, 3, 0);
    bz_axis two[2];

    bz_axis a = list_axis("empty.list", store, vals, 0, 1);
    two[0] = ok, two[1] = a;
    expect_error(two, 2, BZ_DESIGN_GRID, 0, BZ_EINVAL, "'empty.list'");
    a = range_axis("backwards.range", BZ_AXIS_LINEAR, 2, 1, 3, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 10, BZ_EINVAL, "'backwards.range'");
    a = range_axis("zero.levels", BZ_AXIS_LINEAR, 0, 1, 0, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_GRID, 0, BZ_EINVAL, "'zero.levels'");
    a = range_axis("log.from.zero", BZ_AXIS_LOG, 0, 1, 3, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_SOBOL, 8, BZ_EINVAL, "'log.from.zero'");
    a = range_axis("no.integer", BZ_AXIS_LINEAR, 1.2, 1.8, 3, 1);
    a.integer = 1;
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 8, BZ_EINVAL, "'no.integer'");
    a = dist_axis("dist.on.grid", BZ_AXIS_DIST_UNIFORM, 0, 1, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_GRID, 0, BZ_EINVAL, "'dist.on.grid'");
    a = dist_axis("bad.sd", BZ_AXIS_DIST_NORMAL, 0, 0, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 8, BZ_EINVAL, "'bad.sd'");
    a = dist_axis("bad.beta", BZ_AXIS_DIST_BETA, 1, -1, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 8, BZ_EINVAL, "'bad.beta'");
    a = dist_axis("bad.dist", 17, 0, 1, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 8, BZ_EINVAL, "'bad.dist'");
    a = range_axis("bad.kind", 9, 0, 1, 3, 1);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_LHS, 8, BZ_EINVAL, "'bad.kind'");
    /* Tied axes of different sizes (grid: 3 levels vs 4). */
    a = range_axis("tied.other", BZ_AXIS_LINEAR, 0, 1, 4, 0);
    two[1] = a;
    expect_error(two, 2, BZ_DESIGN_GRID, 0, BZ_EINVAL, "'tied.other'");
    /* ... but a tied range in LHS has no size to disagree with. */
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL(bz_design_build(&d, two, 2, BZ_DESIGN_LHS, 5, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.n_dims, 1);
    bz_design_destroy(&d);
    /* Whole-design errors. */
    expect_error(&ok, 0, BZ_DESIGN_GRID, 0, BZ_EINVAL, "no axes");
    expect_error(&ok, 1, BZ_DESIGN_LHS, 0, BZ_EINVAL, "samples");
    expect_error(&ok, 1, BZ_DESIGN_SOBOL, 0, BZ_EINVAL, "samples");
    expect_error(&ok, 1, 5, 10, BZ_EINVAL, "design kind");
    /* 21 independent axes are too many for Sobol (2k = 42 > 40); the
     * message names the 21st. */
    bz_axis many[21];
    for (int i = 0; i < 21; i++) {
        char key[32];
        snprintf(key, sizeof key, "axis%02d", i);
        many[i] = range_axis(key, BZ_AXIS_LINEAR, 0, 1, 2, i);
    }
    expect_error(many, 21, BZ_DESIGN_SOBOL, 4, BZ_EINVAL, "'axis20'");
    CU_ASSERT_EQUAL(bz_design_build(&d, many, 20, BZ_DESIGN_SOBOL, 4, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.n_points, 4 * 22);
    bz_design_destroy(&d);
    /* A grid of 2^70 points overflows before anything is allocated. */
    for (int i = 0; i < 7; i++)
        many[i].n_values = 1024;
    expect_error(many, 7, BZ_DESIGN_GRID, 0, BZ_ETOOBIG, NULL);
}

/* Tolerance for the index estimates. Each estimator is a mean over N terms
 * (f_B (f_AB - f_A) for S1, (f_A - f_AB)^2 / 2 for ST) divided by V, so a
 * Monte Carlo design would have standard error sd(term) / (sqrt(N) V),
 * computed here from the same outputs. Sobol points integrate these smooth
 * integrands with error well below the Monte Carlo one (O(log^k N / N) vs
 * O(N^-1/2)), so 2 Monte Carlo standard errors is a safe bound, and one that
 * a wrong estimator (S1 of x3 = 0.24 instead of 0, a swapped layout) breaks
 * by far: at N = 4096-8192 it is below 0.03 (asserted too). */
static void mc_standard_errors(const bz_design *d, const double *y, double *se1, double *set)
{
    size_t N = d->sobol_base;
    double m = 0, v = 0;
    for (size_t i = 0; i < 2 * N; i++)
        m += y[i] / (2.0 * (double)N);
    for (size_t i = 0; i < 2 * N; i++)
        v += (y[i] - m) * (y[i] - m) / (2.0 * (double)N);
    for (size_t j = 0; j < d->n_dims; j++) {
        const double *fA = y, *fB = y + N, *fAB = y + (2 + j) * N;
        double s[2] = {0, 0}, ss[2] = {0, 0};
        for (size_t i = 0; i < N; i++) {
            double t1 = fB[i] * (fAB[i] - fA[i]), tt = 0.5 * (fA[i] - fAB[i]) * (fA[i] - fAB[i]);
            s[0] += t1, ss[0] += t1 * t1, s[1] += tt, ss[1] += tt * tt;
        }
        double n = (double)N;
        se1[j] = sqrt((ss[0] / n - (s[0] / n) * (s[0] / n)) / n) / v;
        set[j] = sqrt((ss[1] / n - (s[1] / n) * (s[1] / n)) / n) / v;
    }
}

/* Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi).
 * Analytic (Ishigami and Homma 1990; Saltelli et al. 2008):
 *   V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = b^2 pi^8 (1/18 - 1/50),
 *   V = V1 + V2 + V13, S1 = (V1, V2, 0) / V, ST = (V1 + V13, V2, V13) / V. */
static void test_sobol_indices_ishigami(void)
{
    const double a = 7, b = 0.1, pi = acos(-1.0);
    double V1 = 0.5 * pow(1 + b * pow(pi, 4) / 5, 2), V2 = a * a / 8;
    double V13 = b * b * pow(pi, 8) * (1.0 / 18 - 1.0 / 50), V = V1 + V2 + V13;
    const double S1[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    /* The formulas agree with the published values. */
    const double S1pub[3] = {0.3139, 0.4424, 0}, STpub[3] = {0.5576, 0.4424, 0.2437};
    for (int j = 0; j < 3; j++) {
        CU_ASSERT_DOUBLE_EQUAL(S1[j], S1pub[j], 1e-4);
        CU_ASSERT_DOUBLE_EQUAL(ST[j], STpub[j], 1e-4);
    }
    enum { N = 8192 };
    bz_axis axes[3] = {
        range_axis("x1", BZ_AXIS_LINEAR, -pi, pi, 0, 0),
        range_axis("x2", BZ_AXIS_LINEAR, -pi, pi, 0, 1),
        range_axis("x3", BZ_AXIS_LINEAR, -pi, pi, 0, 2),
    };
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 3, BZ_DESIGN_SOBOL, N, 1, &err), BZ_OK);
    double *y = malloc(d.n_points * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    for (size_t p = 0; p < d.n_points; p++) {
        double x1 = num(&d, p, 0), x2 = num(&d, p, 1), x3 = num(&d, p, 2);
        y[p] = sin(x1) + a * sin(x2) * sin(x2) + b * pow(x3, 4) * sin(x1);
    }
    double s1[3], st[3], se1[3], set[3];
    CU_ASSERT_EQUAL_FATAL(bz_design_sobol_indices(&d, y, s1, st, &err), BZ_OK);
    mc_standard_errors(&d, y, se1, set);
    for (int j = 0; j < 3; j++) {
        fprintf(stderr, "\n  x%d: S1 %.4f (exact %.4f, MC se %.4f)  ST %.4f (exact %.4f, se %.4f)",
                j + 1, s1[j], S1[j], se1[j], st[j], ST[j], set[j]);
        CU_ASSERT(fabs(s1[j] - S1[j]) <= 2 * se1[j]);
        CU_ASSERT(fabs(st[j] - ST[j]) <= 2 * set[j]);
        CU_ASSERT(se1[j] < 0.03 && set[j] < 0.03); /* the bound itself is tight enough */
    }
    /* NaN outputs are skipped: poisoning a few points barely moves the
     * estimates. */
    y[0] = NAN;
    y[N + 5] = NAN;
    y[3 * N + 7] = NAN;
    double s1n[3], stn[3];
    CU_ASSERT_EQUAL(bz_design_sobol_indices(&d, y, s1n, stn, &err), BZ_OK);
    for (int j = 0; j < 3; j++) {
        CU_ASSERT(isfinite(s1n[j]) && isfinite(stn[j]));
        CU_ASSERT_DOUBLE_EQUAL(s1n[j], s1[j], 0.01);
        CU_ASSERT_DOUBLE_EQUAL(stn[j], st[j], 0.01);
    }
    /* A constant output has no variance to apportion. */
    for (size_t p = 0; p < d.n_points; p++)
        y[p] = 3.0;
    CU_ASSERT_EQUAL(bz_design_sobol_indices(&d, y, s1, st, &err), BZ_EINVAL);
    free(y);
    bz_design_destroy(&d);
}

/* f = sum c_i x_i with independent x_i: S1_i = ST_i = c_i^2 Var x_i / V.
 * Uses normal and uniform distribution axes, so it also checks the
 * quantile mapping (a wrong sd would change the shares). */
static void test_sobol_indices_linear(void)
{
    enum { N = 4096 };
    const double c[3] = {1.0, 2.0, -0.5};
    bz_axis axes[3] = {
        dist_axis("n1", BZ_AXIS_DIST_NORMAL, 3, 1, 0),  /* var 1 */
        dist_axis("n2", BZ_AXIS_DIST_NORMAL, -1, 2, 1), /* var 4 */
        dist_axis("u3", BZ_AXIS_DIST_UNIFORM, 0, 6, 2), /* var 3 */
    };
    const double var[3] = {1, 4, 3};
    double V = 0;
    for (int j = 0; j < 3; j++)
        V += c[j] * c[j] * var[j];
    bz_design d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 3, BZ_DESIGN_SOBOL, N, 1, &err), BZ_OK);
    double *y = malloc(d.n_points * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    for (size_t p = 0; p < d.n_points; p++)
        y[p] = c[0] * num(&d, p, 0) + c[1] * num(&d, p, 1) + c[2] * num(&d, p, 2);
    double s1[3], st[3], se1[3], set[3];
    CU_ASSERT_EQUAL_FATAL(bz_design_sobol_indices(&d, y, s1, st, &err), BZ_OK);
    mc_standard_errors(&d, y, se1, set);
    for (int j = 0; j < 3; j++) {
        double exact = c[j] * c[j] * var[j] / V;
        fprintf(stderr, "\n  x%d: S1 %.4f ST %.4f (exact %.4f, MC se %.4f, %.4f)", j + 1, s1[j],
                st[j], exact, se1[j], set[j]);
        CU_ASSERT(fabs(s1[j] - exact) <= 2 * se1[j]);
        CU_ASSERT(fabs(st[j] - exact) <= 2 * set[j]);
        CU_ASSERT(se1[j] < 0.03 && set[j] < 0.03);
    }
    free(y);
    bz_design_destroy(&d);
    /* Indices of a non-Sobol design are refused. */
    CU_ASSERT_EQUAL_FATAL(bz_design_build(&d, axes, 3, BZ_DESIGN_LHS, 10, 1, &err), BZ_OK);
    double y10[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CU_ASSERT_EQUAL(bz_design_sobol_indices(&d, y10, s1, st, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sobol"));
    bz_design_destroy(&d);
}

static CU_TestInfo tests[] = {
    {"grid order and ties", test_grid_order_and_ties},
    {"grid log and integer", test_grid_log_and_integer},
    {"lhs strata, bounds, ties", test_lhs_strata_bounds_ties},
    {"sobol layout", test_sobol_layout},
    {"errors name the axis", test_errors},
    {"sobol indices: ishigami", test_sobol_indices_ishigami},
    {"sobol indices: linear", test_sobol_indices_linear},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("design", tests);
}

/* Populations: city sizes and membership, agent attributes (population.h). */
#include "base/population.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "rng/rng.h"

const char *const bz_attr_names[BZ_ATTR_COUNT] = {"activity", "susceptibility", "threshold",
                                                  "willingness"};

static const char *const dist_names[BZ_DIST__COUNT] = {
    "constant", "uniform", "normal", "lognormal", "beta", "gamma", "exponential"};

const char *bz_dist_name(int kind)
{
    return kind >= 0 && kind < BZ_DIST__COUNT ? dist_names[kind] : NULL;
}

#define P0 offsetof(bz_dist, p)
#define P1 (offsetof(bz_dist, p) + sizeof(double))
#define DP(name, off, desc)                                                                        \
    {                                                                                              \
        name, BZ_PT_REAL, -INFINITY, INFINITY, NULL, NULL, desc, off, NULL                         \
    }
static const bz_param dp_constant[] = {DP("value", P0, "the value of every agent")};
static const bz_param dp_uniform[] = {DP("min", P0, "lower bound"),
                                      DP("max", P1, "upper bound, >= min")};
static const bz_param dp_normal[] = {DP("mean", P0, "mean"), DP("sd", P1, "standard deviation")};
static const bz_param dp_lognormal[] = {DP("meanlog", P0, "mean of the log"),
                                        DP("sdlog", P1, "standard deviation of the log")};
static const bz_param dp_beta[] = {DP("a", P0, "first shape, > 0"),
                                   DP("b", P1, "second shape, > 0")};
static const bz_param dp_gamma[] = {DP("shape", P0, "shape, > 0"), DP("scale", P1, "scale, > 0")};
static const bz_param dp_exponential[] = {DP("mean", P0, "mean, > 0")};

const bz_param *bz_dist_params(int kind, size_t *n)
{
    static const struct {
        const bz_param *t;
        size_t n;
    } tables[BZ_DIST__COUNT] = {
        {dp_constant, 1}, {dp_uniform, 2}, {dp_normal, 2},      {dp_lognormal, 2},
        {dp_beta, 2},     {dp_gamma, 2},   {dp_exponential, 1},
    };
    if (kind < 0 || kind >= BZ_DIST__COUNT) return NULL;
    *n = tables[kind].n;
    return tables[kind].t;
}

void bz_attr_defaults(bz_dist attr[BZ_ATTR_COUNT])
{
    attr[BZ_ATTR_ACTIVITY] = (bz_dist){BZ_DIST_CONSTANT, {1.0, 0.0}};
    attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_CONSTANT, {1.0, 0.0}};
    attr[BZ_ATTR_THRESHOLD] = (bz_dist){BZ_DIST_CONSTANT, {0.5, 0.0}};
    attr[BZ_ATTR_WILLINGNESS] = (bz_dist){BZ_DIST_LOGNORMAL, {0.0, 0.3}};
}

int bz_dist_check(const bz_dist *d, bz_error *err)
{
    const double a = d->p[0], b = d->p[1];
    switch (d->kind) {
    case BZ_DIST_CONSTANT:
        if (!isfinite(a))
            return bz_error_set_param(err, BZ_EINVAL, "value", "expected a finite number");
        return BZ_OK;
    case BZ_DIST_UNIFORM:
        if (!isfinite(a) || !isfinite(b) || b < a)
            return bz_error_set_param(err, BZ_EINVAL, "max",
                                      "expected finite bounds with min <= max, got min %g, max %g",
                                      a, b);
        return BZ_OK;
    case BZ_DIST_NORMAL:
    case BZ_DIST_LOGNORMAL:
        if (!isfinite(a))
            return bz_error_set_param(err, BZ_EINVAL,
                                      d->kind == BZ_DIST_NORMAL ? "mean" : "meanlog",
                                      "expected a finite number, got %g", a);
        if (!(b >= 0) || !isfinite(b))
            return bz_error_set_param(err, BZ_EINVAL, d->kind == BZ_DIST_NORMAL ? "sd" : "sdlog",
                                      "expected a finite number >= 0, got %g", b);
        return BZ_OK;
    case BZ_DIST_BETA:
    case BZ_DIST_GAMMA: {
        int beta = d->kind == BZ_DIST_BETA;
        if (!(a > 0) || !isfinite(a))
            return bz_error_set_param(err, BZ_EINVAL, beta ? "a" : "shape",
                                      "expected a finite number > 0, got %g", a);
        if (!(b > 0) || !isfinite(b))
            return bz_error_set_param(err, BZ_EINVAL, beta ? "b" : "scale",
                                      "expected a finite number > 0, got %g", b);
        return BZ_OK;
    }
    case BZ_DIST_EXPONENTIAL:
        if (!(a > 0) || !isfinite(a))
            return bz_error_set_param(err, BZ_EINVAL, "mean",
                                      "expected a finite number > 0, got %g", a);
        return BZ_OK;
    default:
        return bz_error_set_param(err, BZ_EINVAL, "dist", "unknown distribution %d", d->kind);
    }
}

void bz_dist_moments(const bz_dist *d, double *mean, double *var)
{
    const double a = d->p[0], b = d->p[1];
    switch (d->kind) {
    case BZ_DIST_UNIFORM:
        *mean = (a + b) / 2, *var = (b - a) * (b - a) / 12;
        break;
    case BZ_DIST_NORMAL:
        *mean = a, *var = b * b;
        break;
    case BZ_DIST_LOGNORMAL:
        *mean = exp(a + b * b / 2), *var = expm1(b * b) * exp(2 * a + b * b);
        break;
    case BZ_DIST_BETA:
        *mean = a / (a + b), *var = a * b / ((a + b) * (a + b) * (a + b + 1));
        break;
    case BZ_DIST_GAMMA:
        *mean = a * b, *var = a * b * b;
        break;
    case BZ_DIST_EXPONENTIAL:
        *mean = a, *var = a * a;
        break;
    default:
        *mean = a, *var = 0;
    }
}

/* One draw. */
static double dist_draw(const bz_dist *d, gsl_rng *r)
{
    const double a = d->p[0], b = d->p[1];
    switch (d->kind) {
    case BZ_DIST_UNIFORM:
        return a + (b - a) * gsl_rng_uniform(r);
    case BZ_DIST_NORMAL:
        return a + gsl_ran_gaussian_ziggurat(r, b);
    case BZ_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, a, b);
    case BZ_DIST_BETA:
        return gsl_ran_beta(r, a, b);
    case BZ_DIST_GAMMA:
        return gsl_ran_gamma(r, a, b);
    case BZ_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, a);
    default:
        return a;
    }
}

/* Sizes by largest remainder: each city gets one agent, the remaining n - C
 * are shared in proportion to the weights w (Zipf 1 / (k + 1)^s when w is
 * NULL); leftovers go to the largest fractional parts (ties to the lower
 * index), so sizes sum to n exactly. */
static int city_sizes(uint32_t n, uint32_t c, double s, const double *w, uint64_t *size,
                      bz_error *err)
{
    int status = BZ_OK;
    double *frac = malloc((size_t)c * sizeof *frac);
    if (!frac) BZ_FAIL_OOM(err, NULL, (size_t)c * sizeof *frac, "%u city sizes", c);
    double wsum = 0;
    for (uint32_t k = 0; k < c; k++)
        wsum += w ? w[k] : pow((double)k + 1.0, -s);
    uint64_t rest = (uint64_t)n - c, given = 0;
    for (uint32_t k = 0; k < c; k++) {
        double share = (double)rest * (w ? w[k] : pow((double)k + 1.0, -s)) / wsum;
        uint64_t whole = (uint64_t)floor(share);
        if (given + whole > rest) whole = rest - given; /* rounding guard */
        size[k] = 1 + whole;
        frac[k] = share - (double)whole;
        given += whole;
    }
    /* At most c leftovers; pick the largest fractions one at a time.
     * O(c * leftovers) is fine: leftovers < c and c is at most thousands. */
    for (uint64_t left = rest - given; left > 0; left--) {
        uint32_t best = 0;
        for (uint32_t k = 1; k < c; k++)
            if (frac[k] > frac[best]) best = k;
        size[best]++;
        frac[best] = -1.0;
    }
cleanup:
    free(frac);
    return status;
}

/* Attributes by fixed blocks of BZ_POP_BLOCK agents, one stream per
 * (block, attribute): results do not depend on the thread count. */
static int draw_attributes(bz_population *pop, const bz_dist attr[BZ_ATTR_COUNT], uint64_t seed,
                           bz_error *err)
{
    float *out[BZ_ATTR_COUNT] = {pop->activity, pop->susceptibility, pop->threshold,
                                 pop->willingness};
    const int64_t n_blocks = ((int64_t)pop->n + BZ_POP_BLOCK - 1) / BZ_POP_BLOCK;
    int failed = 0;
#pragma omp parallel reduction(| : failed)
    {
        gsl_rng *r = bz_gsl_rng_alloc();
        if (!r) failed = 1;
#pragma omp for schedule(static)
        for (int64_t b = 0; b < n_blocks; b++) {
            if (!r) continue;
            uint32_t lo = (uint32_t)b * BZ_POP_BLOCK;
            uint32_t hi = pop->n - lo < BZ_POP_BLOCK ? pop->n : lo + BZ_POP_BLOCK;
            for (int a = 0; a < BZ_ATTR_COUNT; a++) {
                if (attr[a].kind == BZ_DIST_CONSTANT) {
                    for (uint32_t i = lo; i < hi; i++)
                        out[a][i] = (float)attr[a].p[0];
                    continue;
                }
                bz_stream s;
                bz_stream_init(&s, seed, BZ_RNG_SHARED_REPLICATE, (uint32_t)a / 3,
                               1u + 3u * (uint32_t)b + (uint32_t)a % 3, BZ_RNG_POPULATION);
                bz_gsl_rng_attach(r, &s);
                for (uint32_t i = lo; i < hi; i++)
                    out[a][i] = (float)dist_draw(&attr[a], r);
            }
        }
        if (r) gsl_rng_free(r);
    }
    if (failed)
        return bz_error_oom(err, NULL, sizeof(gsl_rng) + bz_gsl_rng_philox->size,
                            "a random number generator");
    return BZ_OK;
}

int bz_population_build(bz_population *pop, uint32_t n, const bz_population_spec *spec,
                        uint64_t seed, bz_error *err)
{
    int status = BZ_OK;
    uint64_t *size = NULL;
    const uint32_t n_cities = spec->n_cities;
    memset(pop, 0, sizeof *pop);
    if (n == 0) BZ_FAIL(err, BZ_EINVAL, "population.agents: expected at least 1 agent, got 0");
    if (n_cities == 0 || n_cities > n)
        BZ_FAIL(err, BZ_EINVAL,
                "population.cities: expected 1 to %u (the number of agents), got %u", n, n_cities);
    if (!spec->shares && !(spec->zipf_s >= 0))
        BZ_FAIL(err, BZ_EINVAL, "population.city_sizes.zipf: expected >= 0, got %g", spec->zipf_s);
    for (uint32_t k = 0; spec->shares && k < n_cities; k++)
        if (!(spec->shares[k] > 0) || !isfinite(spec->shares[k]))
            BZ_FAIL(err, BZ_EINVAL, "population.cities.%u.share: expected a number > 0, got %g", k,
                    spec->shares[k]);
    for (int a = 0; a < BZ_ATTR_COUNT; a++) {
        bz_error e;
        if (bz_dist_check(&spec->attr[a], &e) != BZ_OK)
            BZ_FAIL(err, BZ_EINVAL, "population.attributes.%s.%s", bz_attr_names[a], e.msg);
    }
    pop->n = n;
    pop->n_cities = n_cities;
    pop->city = malloc((size_t)n * sizeof *pop->city);
    pop->city_offsets = calloc((size_t)n_cities + 1, sizeof *pop->city_offsets);
    pop->city_members = malloc((size_t)n * sizeof *pop->city_members);
    pop->activity = malloc((size_t)n * sizeof *pop->activity);
    pop->susceptibility = malloc((size_t)n * sizeof *pop->susceptibility);
    pop->threshold = malloc((size_t)n * sizeof *pop->threshold);
    pop->willingness = malloc((size_t)n * sizeof *pop->willingness);
    size = malloc((size_t)n_cities * sizeof *size);
    if (!pop->city || !pop->city_offsets || !pop->city_members || !size || !pop->activity ||
        !pop->susceptibility || !pop->threshold || !pop->willingness)
        BZ_FAIL_OOM(err, NULL,
                    (size_t)n * (sizeof *pop->city + sizeof *pop->city_members +
                                 sizeof *pop->activity + sizeof *pop->susceptibility +
                                 sizeof *pop->threshold + sizeof *pop->willingness) +
                        ((size_t)n_cities + 1) * sizeof *pop->city_offsets +
                        (size_t)n_cities * sizeof *size,
                    "a population of %u agents", n);
    if (spec->names) {
        pop->city_names = malloc((size_t)n_cities * sizeof *pop->city_names);
        if (!pop->city_names)
            BZ_FAIL_OOM(err, NULL, (size_t)n_cities * sizeof *pop->city_names, "%u city names",
                        n_cities);
        memcpy(pop->city_names, spec->names, (size_t)n_cities * sizeof *pop->city_names);
    }
    BZ_CHECK(city_sizes(n, n_cities, spec->zipf_s, spec->shares, size, err));

    /* Labels in blocks, then a Fisher-Yates shuffle from one stream. */
    uint64_t pos = 0;
    for (uint32_t k = 0; k < n_cities; k++)
        for (uint64_t j = 0; j < size[k]; j++)
            pop->city[pos++] = k;
    bz_stream s;
    bz_stream_init(&s, seed, BZ_RNG_SHARED_REPLICATE, 0, 0, BZ_RNG_POPULATION);
    for (uint32_t i = n - 1; i > 0; i--) {
        uint32_t j = (uint32_t)bz_stream_below(&s, (uint64_t)i + 1);
        uint32_t t = pop->city[i];
        pop->city[i] = pop->city[j];
        pop->city[j] = t;
    }
    /* Members grouped by city, ascending agent ids (counting sort). */
    for (uint32_t k = 0; k < n_cities; k++)
        pop->city_offsets[k + 1] = pop->city_offsets[k] + size[k];
    memset(size, 0, (size_t)n_cities * sizeof *size);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = pop->city[i];
        pop->city_members[pop->city_offsets[k] + size[k]++] = i;
    }
    BZ_CHECK(draw_attributes(pop, spec->attr, seed, err));
cleanup:
    free(size);
    if (status != BZ_OK) bz_population_destroy(pop);
    return status;
}

int bz_population_init(bz_population *pop, uint32_t n, uint32_t n_cities, double zipf_s,
                       uint64_t seed, bz_error *err)
{
    bz_population_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.n_cities = n_cities;
    spec.zipf_s = zipf_s;
    bz_attr_defaults(spec.attr);
    return bz_population_build(pop, n, &spec, seed, err);
}

void bz_population_destroy(bz_population *pop)
{
    if (!pop) return;
    free(pop->city);
    free(pop->city_offsets);
    free(pop->city_members);
    free(pop->city_names);
    free(pop->activity);
    free(pop->susceptibility);
    free(pop->threshold);
    free(pop->willingness);
    memset(pop, 0, sizeof *pop);
}

/* population: city sizes from a share table, city names, attribute draws
 * (sample moments against the distributions' own), determinism across
 * thread counts, stream independence between attributes, and errors. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "base/population.h"

static bz_population_spec spec_of(uint32_t n_cities)
{
    bz_population_spec s;
    memset(&s, 0, sizeof s);
    s.n_cities = n_cities;
    s.zipf_s = 1.0;
    bz_attr_defaults(s.attr);
    return s;
}

/* Sizes from the membership array itself, checked against the offsets. */
static void city_counts(const bz_population *p, uint64_t *count)
{
    memset(count, 0, p->n_cities * sizeof *count);
    for (uint32_t i = 0; i < p->n; i++)
        count[p->city[i]]++;
    for (uint32_t k = 0; k < p->n_cities; k++)
        CU_ASSERT_EQUAL(p->city_offsets[k + 1] - p->city_offsets[k], count[k]);
}

static void test_table_sizes_and_names(void)
{
    /* 1000 agents, shares 5:3:2 (not normalised). One agent per city first,
     * then 997 shared: 498.5, 299.1, 199.4 -> 498 + 299 + 199 = 996, the
     * leftover goes to the largest remainder (city 0): 500, 300, 200. */
    static const double shares[] = {5, 3, 2};
    static const char names[3][BZ_NAME_MAX] = {"Lisbon", "Porto", "Braga"};
    bz_population_spec s = spec_of(3);
    s.shares = shares;
    s.names = names;
    bz_population p;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p, 1000, &s, 11, &err), BZ_OK);
    uint64_t count[3];
    city_counts(&p, count);
    CU_ASSERT_EQUAL(count[0], 500);
    CU_ASSERT_EQUAL(count[1], 300);
    CU_ASSERT_EQUAL(count[2], 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p.city_names);
    CU_ASSERT_PTR_NOT_EQUAL(p.city_names, names); /* a copy, owned */
    CU_ASSERT_STRING_EQUAL(p.city_names[1], "Porto");
    CU_ASSERT_STRING_EQUAL(p.city_names[2], "Braga");
    /* the defaults: activity 1, susceptibility 1, threshold 0.5 for all */
    for (uint32_t i = 0; i < p.n; i++) {
        CU_ASSERT_EQUAL(p.activity[i], 1.0f);
        CU_ASSERT_EQUAL(p.susceptibility[i], 1.0f);
        CU_ASSERT_EQUAL(p.threshold[i], 0.5f);
    }
    bz_population_destroy(&p);

    /* A small city still gets an agent; a tiny population uses all of them. */
    static const double tiny[] = {1000, 1};
    s = spec_of(2);
    s.shares = tiny;
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p, 2, &s, 11, &err), BZ_OK);
    city_counts(&p, count);
    CU_ASSERT_EQUAL(count[0], 1);
    CU_ASSERT_EQUAL(count[1], 1);
    CU_ASSERT_PTR_NULL(p.city_names); /* unnamed */
    bz_population_destroy(&p);

    /* Zipf through init still works and has no names. */
    CU_ASSERT_EQUAL_FATAL(bz_population_init(&p, 5000, 4, 1.0, 3, &err), BZ_OK);
    CU_ASSERT_PTR_NULL(p.city_names);
    CU_ASSERT_EQUAL(p.threshold[4999], 0.5f);
    bz_population_destroy(&p);
    bz_population_destroy(&p); /* safe twice */
}

/* Sample mean and variance within 5 standard errors of the distribution's. */
static void check_moments(const bz_dist *d, const float *x, uint32_t n)
{
    double mean, var;
    bz_dist_moments(d, &mean, &var);
    double m = 0;
    for (uint32_t i = 0; i < n; i++)
        m += x[i];
    m /= n;
    double m2 = 0, m4 = 0;
    for (uint32_t i = 0; i < n; i++) {
        double e = x[i] - m;
        m2 += e * e;
        m4 += e * e * e * e;
    }
    m2 /= n - 1;
    m4 /= n;
    double se_mean = sqrt(var / n);
    double se_var = sqrt((m4 - m2 * m2) / n); /* from the sample's 4th moment */
    int ok_mean = fabs(m - mean) <= 5 * se_mean;
    int ok_var = fabs(m2 - var) <= 5 * se_var;
    CU_ASSERT(ok_mean);
    CU_ASSERT(ok_var);
    if (!ok_mean || !ok_var)
        fprintf(stderr, "\n%s(%g, %g): mean %g vs %g (se %g), var %g vs %g (se %g)\n",
                bz_dist_name(d->kind), d->p[0], d->p[1], m, mean, se_mean, m2, var, se_var);
}

static void test_attribute_moments(void)
{
    static const bz_dist dists[] = {
        {BZ_DIST_UNIFORM, {2, 5}},  {BZ_DIST_NORMAL, {1, 0.5}}, {BZ_DIST_LOGNORMAL, {0, 0.5}},
        {BZ_DIST_BETA, {2, 5}},     {BZ_DIST_GAMMA, {2, 0.5}},  {BZ_DIST_EXPONENTIAL, {3, 0}},
        {BZ_DIST_BETA, {0.5, 0.5}}, {BZ_DIST_GAMMA, {0.7, 2}},
    };
    const uint32_t n = 100000;
    bz_error err;
    for (size_t k = 0; k < sizeof dists / sizeof dists[0]; k++) {
        bz_population_spec s = spec_of(10);
        s.attr[BZ_ATTR_ACTIVITY] = dists[k];
        s.attr[BZ_ATTR_SUSCEPTIBILITY] = dists[(k + 1) % 8];
        s.attr[BZ_ATTR_THRESHOLD] = dists[(k + 2) % 8];
        bz_population p;
        CU_ASSERT_EQUAL_FATAL(bz_population_build(&p, n, &s, 100 + k, &err), BZ_OK);
        check_moments(&s.attr[BZ_ATTR_ACTIVITY], p.activity, n);
        check_moments(&s.attr[BZ_ATTR_SUSCEPTIBILITY], p.susceptibility, n);
        check_moments(&s.attr[BZ_ATTR_THRESHOLD], p.threshold, n);
        if (dists[k].kind == BZ_DIST_BETA || dists[k].kind == BZ_DIST_UNIFORM) {
            int inside = 1;
            for (uint32_t i = 0; i < n; i++)
                inside &= p.activity[i] >= (dists[k].kind == BZ_DIST_BETA ? 0 : 2) &&
                          p.activity[i] <= (dists[k].kind == BZ_DIST_BETA ? 1 : 5);
            CU_ASSERT(inside);
        }
        bz_population_destroy(&p);
    }
    /* a constant is exact */
    bz_population_spec s = spec_of(1);
    s.attr[BZ_ATTR_THRESHOLD] = (bz_dist){BZ_DIST_CONSTANT, {0.25, 0}};
    bz_population p;
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p, 1000, &s, 1, &err), BZ_OK);
    for (uint32_t i = 0; i < p.n; i++)
        CU_ASSERT_EQUAL(p.threshold[i], 0.25f);
    bz_population_destroy(&p);
}

static int same_population(const bz_population *a, const bz_population *b)
{
    size_t n = a->n;
    return a->n == b->n && memcmp(a->city, b->city, n * sizeof *a->city) == 0 &&
           memcmp(a->activity, b->activity, n * sizeof(float)) == 0 &&
           memcmp(a->susceptibility, b->susceptibility, n * sizeof(float)) == 0 &&
           memcmp(a->threshold, b->threshold, n * sizeof(float)) == 0;
}

static void test_determinism(void)
{
    bz_population_spec s = spec_of(7);
    s.attr[BZ_ATTR_ACTIVITY] = (bz_dist){BZ_DIST_GAMMA, {2, 0.5}};
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_BETA, {2, 3}};
    s.attr[BZ_ATTR_THRESHOLD] = (bz_dist){BZ_DIST_NORMAL, {0.5, 0.1}};
    const uint32_t n = 3 * BZ_POP_BLOCK + 17; /* several blocks, a partial last one */
    bz_population p1, p2, p3;
    bz_error err;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p1, n, &s, 42, &err), BZ_OK);
    omp_set_num_threads(2);
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p2, n, &s, 42, &err), BZ_OK);
    omp_set_num_threads(saved);
    CU_ASSERT(same_population(&p1, &p2));
    /* another seed gives other draws */
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p3, n, &s, 43, &err), BZ_OK);
    CU_ASSERT(memcmp(p1.activity, p3.activity, n * sizeof(float)) != 0);
    CU_ASSERT(memcmp(p1.city, p3.city, n * sizeof(uint32_t)) != 0);
    bz_population_destroy(&p3);
    /* each attribute has its own streams: changing one leaves the others */
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_CONSTANT, {1, 0}};
    CU_ASSERT_EQUAL_FATAL(bz_population_build(&p3, n, &s, 42, &err), BZ_OK);
    CU_ASSERT_EQUAL(memcmp(p1.activity, p3.activity, n * sizeof(float)), 0);
    CU_ASSERT_EQUAL(memcmp(p1.threshold, p3.threshold, n * sizeof(float)), 0);
    CU_ASSERT_EQUAL(memcmp(p1.city, p3.city, n * sizeof(uint32_t)), 0);
    /* blocks differ from each other (no repeated stream) */
    CU_ASSERT(memcmp(p1.activity, p1.activity + BZ_POP_BLOCK, 64 * sizeof(float)) != 0);
    bz_population_destroy(&p1);
    bz_population_destroy(&p2);
    bz_population_destroy(&p3);
}

static void expect_error(uint32_t n, const bz_population_spec *s, const char *want)
{
    bz_population p;
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL(bz_population_build(&p, n, s, 1, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    if (!strstr(err.msg, want)) fprintf(stderr, "\nwanted '%s', got '%s'\n", want, err.msg);
    CU_ASSERT_PTR_NULL(p.city);
    CU_ASSERT_PTR_NULL(p.activity);
}

static void test_errors(void)
{
    bz_population_spec s = spec_of(3);
    expect_error(0, &s, "population.agents");
    expect_error(2, &s, "population.cities: expected 1 to 2");
    static const double bad_shares[] = {1, 0, 2};
    s.shares = bad_shares;
    expect_error(100, &s, "population.cities.1.share: expected a number > 0, got 0");
    s = spec_of(3);
    s.zipf_s = -1;
    expect_error(100, &s, "city_sizes.zipf");
    s = spec_of(3);
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_BETA, {0, 1}};
    expect_error(100, &s, "population.attributes.susceptibility.a: expected a finite number > 0");
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_GAMMA, {1, -1}};
    expect_error(100, &s, "population.attributes.susceptibility.scale:");
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST__COUNT, {1, 1}};
    expect_error(100, &s, "unknown distribution");
    s.attr[BZ_ATTR_SUSCEPTIBILITY] = (bz_dist){BZ_DIST_NORMAL, {NAN, 1}};
    expect_error(100, &s, "mean: expected a finite number");
    /* names, tables and checks of the helpers */
    CU_ASSERT_PTR_NULL(bz_dist_name(-1));
    CU_ASSERT_PTR_NULL(bz_dist_name(BZ_DIST__COUNT));
    CU_ASSERT_STRING_EQUAL(bz_dist_name(BZ_DIST_LOGNORMAL), "lognormal");
    size_t np = 0;
    CU_ASSERT_PTR_NULL(bz_dist_params(BZ_DIST__COUNT, &np));
    const bz_param *t = bz_dist_params(BZ_DIST_BETA, &np);
    CU_ASSERT_EQUAL_FATAL(np, 2);
    CU_ASSERT_STRING_EQUAL(t[1].name, "b");
    bz_dist d = {BZ_DIST_BETA, {0, 0}};
    CU_ASSERT_EQUAL(bz_param_parse(&t[1], "2.5", &d, NULL), BZ_OK);
    CU_ASSERT_EQUAL(d.p[1], 2.5);
}

static CU_TestInfo tests[] = {
    {"city sizes from a share table; names; default attributes", test_table_sizes_and_names},
    {"attribute sample moments within 5 standard errors (n = 100000)", test_attribute_moments},
    {"same draws with 1 and 2 threads; independent streams", test_determinism},
    {"errors: agents, cities, shares, distributions", test_errors},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("population", tests);
}

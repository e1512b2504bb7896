/* The agents: N of them, each in one city, in structure-of-arrays form.
 *
 * City sizes follow a Zipf law (size of the k-th largest city proportional to
 * 1 / k^s), or an explicit table of shares; sizes are rounded by largest
 * remainder so they sum to N with every city non-empty. Agents are assigned
 * to cities by a random permutation drawn from the population stream, so
 * city membership is independent of agent index (generators such as
 * barabasi_albert give low indices more links). With Zipf sizes city 0 is the
 * largest; with a table, city k is the k-th entry.
 *
 * Each agent also carries four float attributes drawn from named
 * distributions (see bz_dist): activity (multiplies the agent's sharing),
 * susceptibility (multiplies its adoption hazards), threshold (the
 * linear-threshold fraction) and willingness (its willingness to pay as a
 * multiple of the product's value in its city: engine/market.h). Memory: 24
 * bytes per agent.
 */
#ifndef BZ_POPULATION_H
#define BZ_POPULATION_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"

/* Distributions of agent attributes; parameters in bz_dist.p:
 *   constant     p[0] value
 *   uniform      p[0] min, p[1] max (min <= max)
 *   normal       p[0] mean, p[1] sd (>= 0)
 *   lognormal    p[0] meanlog, p[1] sdlog (>= 0): exp(normal(meanlog, sdlog))
 *   beta         p[0] a, p[1] b (both > 0)
 *   gamma        p[0] shape, p[1] scale (both > 0): mean shape * scale
 *   exponential  p[0] mean (> 0)
 * Keep the order: it is the config's `dist:` choice list. */
typedef enum bz_dist_kind {
    BZ_DIST_CONSTANT,
    BZ_DIST_UNIFORM,
    BZ_DIST_NORMAL,
    BZ_DIST_LOGNORMAL,
    BZ_DIST_BETA,
    BZ_DIST_GAMMA,
    BZ_DIST_EXPONENTIAL,
    BZ_DIST__COUNT
} bz_dist_kind;

typedef struct bz_dist {
    int kind; /* bz_dist_kind */
    double p[2];
} bz_dist;

/* Name of a distribution kind ("beta"); NULL if out of range. */
const char *bz_dist_name(int kind);

/* Check a distribution's parameters: BZ_EINVAL with "PARAM: expected ...,
 * got VALUE" (PARAM as in the list above: "sd", "a", "max", ...). */
int bz_dist_check(const bz_dist *d, bz_error *err);

/* Parameter table of a distribution kind (the keys beside `dist:` in the
 * config; values stored into a bz_dist), *n its length; NULL if out of
 * range. All entries are required reals; bz_dist_check() validates. */
const bz_param *bz_dist_params(int kind, size_t *n);

/* Mean and variance of a distribution (for tests and docs). */
void bz_dist_moments(const bz_dist *d, double *mean, double *var);

enum {
    BZ_ATTR_ACTIVITY,
    BZ_ATTR_SUSCEPTIBILITY,
    BZ_ATTR_THRESHOLD,
    BZ_ATTR_WILLINGNESS,
    BZ_ATTR_COUNT
};

/* Attribute names in BZ_ATTR_* order ("activity", ...). */
extern const char *const bz_attr_names[BZ_ATTR_COUNT];

/* Defaults: activity constant 1, susceptibility constant 1, threshold
 * constant 0.5, willingness lognormal(meanlog 0, sdlog 0.3): the median
 * agent values the product at its value, about two in three within 30% of
 * it (an assumption to calibrate; the spread sets how sharply demand falls
 * with price). */
void bz_attr_defaults(bz_dist attr[BZ_ATTR_COUNT]);

/* How to build a population. Zero-initialised fields mean: Zipf sizes with
 * exponent zipf_s, unnamed cities; attr must be set (bz_attr_defaults). */
typedef struct bz_population_spec {
    uint32_t n_cities;
    double zipf_s;                    /* used when shares is NULL */
    const double *shares;             /* [n_cities] > 0, any sum, or NULL */
    const char (*names)[BZ_NAME_MAX]; /* [n_cities] city names, or NULL */
    bz_dist attr[BZ_ATTR_COUNT];
} bz_population_spec;

typedef struct bz_population {
    uint32_t n;
    uint32_t n_cities;
    uint32_t *city;                  /* [n] city of each agent, owned */
    uint64_t *city_offsets;          /* [n_cities + 1] into city_members, owned */
    uint32_t *city_members;          /* [n] agents grouped by city, ascending, owned */
    char (*city_names)[BZ_NAME_MAX]; /* [n_cities] or NULL when unnamed, owned */
    float *activity;                 /* [n], owned */
    float *susceptibility;           /* [n], owned */
    float *threshold;                /* [n], owned */
    float *willingness;              /* [n], owned */
} bz_population;

/* Build a population of n agents as `spec` says. City labels come from the
 * stream (seed, BZ_RNG_SHARED_REPLICATE, 0, 0, BZ_RNG_POPULATION); attribute
 * a of the agents in block b (BZ_POP_BLOCK agents) from the stream with
 * step field a / 3 and agent field 1 + 3 b + a % 3, so draws do not depend
 * on the thread count (and the first three keep the streams they had
 * before willingness existed).
 * Fails with BZ_EINVAL if n is 0, n_cities is 0 or exceeds n, a share is not
 * > 0 and finite, or a distribution is invalid; BZ_ENOMEM. Cost O(n) (in
 * parallel for the attributes). */
int bz_population_build(bz_population *pop, uint32_t n, const bz_population_spec *spec,
                        uint64_t seed, bz_error *err);

#define BZ_POP_BLOCK 4096u

/* Zipf sizes with exponent zipf_s (0 = equal sizes), unnamed cities and
 * default attributes: bz_population_build() with that spec. */
int bz_population_init(bz_population *pop, uint32_t n, uint32_t n_cities, double zipf_s,
                       uint64_t seed, bz_error *err);
void bz_population_destroy(bz_population *pop);

#endif

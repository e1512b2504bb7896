#include "core/population.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng/rng.h"

/* Sizes by largest remainder: each city gets one agent, the remaining n - C
 * are shared in proportion to 1 / (k + 1)^s; leftovers go to the largest
 * fractional parts (ties to the lower index), so sizes sum to n exactly and
 * are non-increasing. */
static int zipf_sizes(uint32_t n, uint32_t c, double s, uint64_t *size, bz_error *err)
{
    int status = BZ_OK;
    double *frac = malloc((size_t)c * sizeof *frac);
    if (!frac) BZ_FAIL(err, BZ_ENOMEM, "out of memory for %u city sizes", c);
    double wsum = 0;
    for (uint32_t k = 0; k < c; k++)
        wsum += pow((double)k + 1.0, -s);
    uint64_t rest = (uint64_t)n - c, given = 0;
    for (uint32_t k = 0; k < c; k++) {
        double share = (double)rest * pow((double)k + 1.0, -s) / wsum;
        uint64_t whole = (uint64_t)floor(share);
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

int bz_population_init(bz_population *pop, uint32_t n, uint32_t n_cities, double zipf_s,
                       uint64_t seed, bz_error *err)
{
    int status = BZ_OK;
    uint64_t *size = NULL;
    memset(pop, 0, sizeof *pop);
    if (n == 0) BZ_FAIL(err, BZ_EINVAL, "population.agents: expected at least 1 agent, got 0");
    if (n_cities == 0 || n_cities > n)
        BZ_FAIL(err, BZ_EINVAL,
                "population.cities: expected 1 to %u (the number of agents), got %u", n, n_cities);
    if (!(zipf_s >= 0))
        BZ_FAIL(err, BZ_EINVAL, "population.city_sizes.zipf: expected >= 0, got %g", zipf_s);
    pop->n = n;
    pop->n_cities = n_cities;
    pop->city = malloc((size_t)n * sizeof *pop->city);
    pop->city_offsets = calloc((size_t)n_cities + 1, sizeof *pop->city_offsets);
    pop->city_members = malloc((size_t)n * sizeof *pop->city_members);
    size = malloc((size_t)n_cities * sizeof *size);
    if (!pop->city || !pop->city_offsets || !pop->city_members || !size)
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for a population of %u agents", n);
    BZ_CHECK(zipf_sizes(n, n_cities, zipf_s, size, err));

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
cleanup:
    free(size);
    if (status != BZ_OK) bz_population_destroy(pop);
    return status;
}

void bz_population_destroy(bz_population *pop)
{
    if (!pop) return;
    free(pop->city);
    free(pop->city_offsets);
    free(pop->city_members);
    memset(pop, 0, sizeof *pop);
}

#include "util.h"

#include <math.h>
#include <string.h>

int bz_cityset_mark(const bz_cityset *cs, uint32_t n_cities, uint8_t *out, bz_error *err)
{
    memset(out, 0, n_cities);
    switch (cs->mode) {
    case BZ_CITIES_ALL:
        memset(out, 1, n_cities);
        return BZ_OK;
    case BZ_CITIES_TOP:
        for (uint32_t k = 0; k < cs->top && k < n_cities; k++)
            out[k] = 1;
        return BZ_OK;
    default:
        for (uint32_t i = 0; i < cs->n; i++) {
            if (cs->ids[i] >= n_cities)
                return bz_error_set(err, BZ_EINVAL,
                                    "cities: city %u does not exist (population has %u cities)",
                                    cs->ids[i], n_cities);
            out[cs->ids[i]] = 1;
        }
        return BZ_OK;
    }
}

int bz_campaign_layer(const bz_experiment *x, const char *name, const char *what, bz_error *err)
{
    if (!name[0]) return 0;
    for (size_t i = 0; i < x->n_layers; i++)
        if (strcmp(x->layers[i].name, name) == 0) return (int)i;
    char known[512] = "";
    for (size_t i = 0; i < x->n_layers; i++) {
        strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
        strncat(known, x->layers[i].name, sizeof known - strlen(known) - 1);
    }
    bz_error_set(err, BZ_EINVAL, "%s: no layer named '%s' (layers: %s)", what, name, known);
    return -1;
}

int bz_campaign_layer_last(const bz_experiment *x, const char *name, const char *what,
                           bz_error *err)
{
    if (!name[0]) {
        if (x->n_layers > 0) return (int)x->n_layers - 1;
        bz_error_set(err, BZ_EINVAL, "%s: the experiment has no layers", what);
        return -1;
    }
    return bz_campaign_layer(x, name, what, err);
}

uint32_t bz_cityset_count(const uint8_t *marks, uint32_t n_cities)
{
    uint32_t k = 0;
    for (uint32_t c = 0; c < n_cities; c++)
        k += marks[c] != 0;
    return k;
}

int64_t bz_campaign_expose_all(bz_sim *sim, const bz_campaign_run *run, double prob,
                               const uint8_t *city_mask, int channel, uint32_t stream_base)
{
    if (!(prob > 0)) return 0;
    const double lq = prob < 1 ? log1p(-prob) : 0;
    const int64_t nblocks = ((int64_t)sim->n + BZ_CAMPAIGN_BLOCK - 1) / BZ_CAMPAIGN_BLOCK;
    int64_t made = 0;
#pragma omp parallel if (sim->n_threads > 1) reduction(+ : made)
    {
        bz_tally *t = bz_sim_tally(sim);
#pragma omp for schedule(static)
        for (int64_t b = 0; b < nblocks; b++) {
            uint64_t lo = (uint64_t)b * BZ_CAMPAIGN_BLOCK, hi = lo + BZ_CAMPAIGN_BLOCK;
            if (hi > sim->n) hi = sim->n;
            bz_stream s;
            bz_sim_campaign_stream(sim, run, &s, stream_base + (uint32_t)b);
            uint64_t i = lo + (prob < 1 ? bz_stream_geometric_skip(&s, lq) : 0);
            while (i < hi) {
                if (!city_mask || city_mask[sim->pop->city[i]]) {
                    bz_sim_expose(sim, t, (uint32_t)i, channel);
                    made++;
                }
                i += 1 + (prob < 1 ? bz_stream_geometric_skip(&s, lq) : 0);
            }
        }
    }
    return made;
}

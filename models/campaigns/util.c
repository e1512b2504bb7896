#include "util.h"

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

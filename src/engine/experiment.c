/* The experiment as plain data: the functions that read it (see
 * engine/experiment.h). */
#include "engine/experiment.h"

#include <stdlib.h>
#include <string.h>

#include "engine/campaign.h"

const char *const bz_attribution_names[] = {"none", "shapley", "leave_one_out", NULL};

/* Campaign i of arm a and of the baseline are the same campaign. */
static int same_campaign(const bz_arm_spec *a, const bz_arm_spec *b, size_t i)
{
    if (i >= a->n_campaigns || i >= b->n_campaigns) return 0;
    const bz_campaign_spec *p = &a->campaigns[i], *q = &b->campaigns[i];
    return p->type == q->type && p->enabled == q->enabled &&
           memcmp(p->params, q->params, p->type->params_size) == 0;
}

size_t bz_experiment_players(const bz_experiment *x, size_t arm, uint32_t *pos, size_t max)
{
    const bz_arm_spec *a = &x->arms[arm], *b = &x->arms[0];
    const size_t n = a->n_campaigns > b->n_campaigns ? a->n_campaigns : b->n_campaigns;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (same_campaign(a, b, i)) continue;
        if (k < max) pos[k] = (uint32_t)i;
        k++;
    }
    return k;
}

void bz_arm_spec_destroy(bz_arm_spec *arm)
{
    for (size_t j = 0; j < arm->n_campaigns; j++)
        free(arm->campaigns[j].params);
    free(arm->campaigns);
    free(arm->campaigns_yaml);
    memset(arm, 0, sizeof *arm);
}

void bz_experiment_population_spec(const bz_experiment *x, bz_population_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->n_cities = x->cities;
    spec->zipf_s = x->city_zipf;
    spec->shares = x->city_shares;
    spec->names = (const char(*)[BZ_NAME_MAX])x->city_names;
    memcpy(spec->attr, x->attributes, sizeof spec->attr);
    /* Willingness is read only when the product has a value somewhere:
     * otherwise skip its n draws. */
    int priced = x->market.value > 0;
    for (size_t i = 0; i < x->market.n_local; i++)
        priced |= x->market.local[i].value > 0;
    if (!priced) spec->attr[BZ_ATTR_WILLINGNESS] = (bz_dist){BZ_DIST_CONSTANT, {1.0, 0.0}};
}

void bz_experiment_destroy(bz_experiment *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->n_layers; i++)
        free(x->layers[i].gen_params);
    free(x->layers);
    free(x->market.local);
    free(x->city_shares);
    free(x->city_names);
    free(x->model_params);
    for (size_t i = 0; i < x->n_arms; i++)
        bz_arm_spec_destroy(&x->arms[i]);
    free(x->arms);
    free(x->path);
    free(x->base_dir);
    free(x->resolved_yaml);
    memset(x, 0, sizeof *x);
}

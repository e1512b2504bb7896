/* Shared pieces of the diffusion models (see contagion.h). */
#include "contagion.h"

#include <stdlib.h>

int bz_contagion_seed_random(bz_sim *sim, uint32_t count, bz_error *err)
{
    if (count == 0) return BZ_OK;
    if (count > sim->n)
        return bz_error_set(err, BZ_EINVAL, "diffusion.seeds: %u seeds but only %u agents", count,
                            sim->n);
    uint32_t *ids = malloc((size_t)count * sizeof *ids);
    if (!ids) return bz_error_oom(err, NULL, (size_t)count * sizeof *ids, "%u seeds", count);
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, 0, 0, BZ_RNG_INIT);
    int status = bz_sim_random_agents(sim->n, count, &s, ids, err);
    for (uint32_t i = 0; status == BZ_OK && i < count; i++)
        bz_sim_seed(sim, ids[i], BZ_CH_SEED);
    free(ids);
    if (status == BZ_OK && sim->status != BZ_OK) {
        status = sim->status;
        if (err) *err = sim->fail;
    }
    return status;
}

int bz_nonces_init(bz_nonces *c, uint32_t n, bz_error *err)
{
    c->next = calloc(n ? n : 1, sizeof *c->next);
    if (!c->next)
        return bz_error_oom(err, NULL, (size_t)(n ? n : 1) * sizeof *c->next,
                            "the nonces of %u agents", n);
    return BZ_OK;
}

void bz_nonces_destroy(bz_nonces *c)
{
    free(c->next);
    c->next = NULL;
}

uint64_t bz_contagion_degree(const bz_sim *sim, uint32_t u)
{
    uint64_t d = 0;
    for (size_t li = 0; li < sim->net->n_layers; li++)
        d += bz_layer_degree(&sim->net->layers[li], u);
    return d;
}

uint32_t bz_contagion_tie(const bz_sim *sim, uint32_t u, uint64_t j, size_t *layer)
{
    const size_t L = sim->net->n_layers;
    for (size_t li = 0; li < L; li++) {
        const bz_layer *l = &sim->net->layers[li];
        const uint64_t d = bz_layer_degree(l, u);
        if (j < d) {
            *layer = li;
            return bz_sim_neighbour(l, u, j);
        }
        j -= d;
    }
    *layer = L - 1; /* j out of range: the caller's bug; stay in bounds */
    return u;
}

#include "contagion.h"

#include <stdlib.h>

int bz_contagion_seed_random(bz_sim *sim, uint32_t count, uint8_t active, bz_error *err)
{
    if (count == 0) return BZ_OK;
    if (count > sim->n)
        return bz_error_set(err, BZ_EINVAL, "diffusion.seeds: %u seeds but only %u agents", count,
                            sim->n);
    uint32_t *ids = malloc((size_t)count * sizeof *ids);
    if (!ids) return bz_error_set(err, BZ_ENOMEM, "out of memory for %u seeds", count);
    bz_stream s;
    bz_stream_init(&s, sim->seed, sim->replicate, 0, 0, BZ_RNG_INIT);
    int status = bz_sim_random_agents(sim->n, count, &s, ids, err);
    if (status == BZ_OK)
        for (uint32_t i = 0; i < count; i++) {
            sim->state[ids[i]] = active;
            sim->tally[0].adopt[BZ_CH_SEED]++;
        }
    free(ids);
    return status;
}

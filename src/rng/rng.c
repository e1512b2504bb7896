#include "rng/rng.h"

#include <string.h>

static void philox_set(void *state, unsigned long seed)
{
    bz_stream_init(state, (uint64_t)seed, 0, 0, 0, BZ_RNG_TEST);
}

static unsigned long philox_get(void *state)
{
    return bz_stream_u32(state);
}

static double philox_get_double(void *state)
{
    return bz_stream_uniform(state);
}

static const gsl_rng_type philox_type = {"bz_philox4x32_10", 0xFFFFFFFFUL, 0,
                                         sizeof(bz_stream),  philox_set,   philox_get,
                                         philox_get_double};

const gsl_rng_type *const bz_gsl_rng_philox = &philox_type;

gsl_rng *bz_gsl_rng_alloc(void)
{
    return gsl_rng_alloc(bz_gsl_rng_philox);
}

void bz_gsl_rng_attach(gsl_rng *r, const bz_stream *s)
{
    memcpy(r->state, s, sizeof *s);
}

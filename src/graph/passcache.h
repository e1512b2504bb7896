/* A generator's memory between the two passes of one layer build.
 *
 * Generators whose edges are expensive or sequential to draw
 * (barabasi_albert, holme_kim) keep the targets they chose in the count pass
 * and replay them in the fill pass instead of drawing again. The cache is
 * the generator's prepare() state; it answers only the fill pass of the same
 * build: same n, direction, seed, replicate, layer and parameters (compared
 * byte for byte, so params structs must be zero-initialised or have no
 * padding, which the config layer's calloc guarantees). Cost: the cached
 * targets, 4 bytes per generated edge, freed when taken.
 */
#ifndef BZ_PASSCACHE_H
#define BZ_PASSCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "graph/generator.h"

#define BZ_PASSCACHE_PARAMS_MAX 256

typedef struct bz_pass_cache {
    uint32_t *targets; /* owned; NULL when nothing is kept */
    uint32_t n, replicate, layer_index;
    int directed;
    uint64_t seed;
    size_t params_size;
    unsigned char params[BZ_PASSCACHE_PARAMS_MAX];
} bz_pass_cache;

/* prepare()/release() of a generator whose state is a bz_pass_cache; `who`
 * names the generator in the out-of-memory message. */
int bz_pass_cache_prepare(void **state, uint32_t *n_agents, const char *who, bz_error *err);
void bz_pass_cache_release(void *state);

/* The targets kept by the count pass of this build, handed over to the
 * caller (who frees them), or NULL. */
uint32_t *bz_pass_cache_take(bz_pass_cache *c, const bz_netgen_ctx *ctx, size_t params_size);

/* Keep `targets` (ownership passes to the cache) for the fill pass of this
 * build; anything kept before is freed. */
void bz_pass_cache_keep(bz_pass_cache *c, const bz_netgen_ctx *ctx, size_t params_size,
                        uint32_t *targets);

#endif

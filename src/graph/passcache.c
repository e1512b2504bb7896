#include "graph/passcache.h"

#include <stdlib.h>
#include <string.h>

int bz_pass_cache_prepare(void **state, uint32_t *n_agents, const char *who, bz_error *err)
{
    *n_agents = 0;
    *state = calloc(1, sizeof(bz_pass_cache));
    if (!*state) return bz_error_oom(err, who, sizeof(bz_pass_cache), "a pass cache");
    return BZ_OK;
}

void bz_pass_cache_release(void *state)
{
    bz_pass_cache *c = state;
    if (!c) return;
    free(c->targets);
    free(c);
}

static int same_build(const bz_pass_cache *c, const bz_netgen_ctx *ctx, size_t params_size)
{
    return c->n == ctx->n && c->directed == ctx->directed && c->seed == ctx->seed &&
           c->replicate == ctx->replicate && c->layer_index == ctx->layer_index &&
           c->params_size == params_size && memcmp(c->params, ctx->params, params_size) == 0;
}

uint32_t *bz_pass_cache_take(bz_pass_cache *c, const bz_netgen_ctx *ctx, size_t params_size)
{
    if (!c || !c->targets || !same_build(c, ctx, params_size)) return NULL;
    uint32_t *t = c->targets;
    c->targets = NULL;
    return t;
}

void bz_pass_cache_keep(bz_pass_cache *c, const bz_netgen_ctx *ctx, size_t params_size,
                        uint32_t *targets)
{
    free(c->targets);
    c->targets = NULL;
    if (!targets || params_size > BZ_PASSCACHE_PARAMS_MAX) {
        free(targets);
        return;
    }
    c->targets = targets;
    c->n = ctx->n;
    c->directed = ctx->directed;
    c->seed = ctx->seed;
    c->replicate = ctx->replicate;
    c->layer_index = ctx->layer_index;
    c->params_size = params_size;
    memcpy(c->params, ctx->params, params_size);
}

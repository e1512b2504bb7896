/* Network generators: the extension point for models/networks/.
 *
 * A generator is a const bz_netgen_type (name, parameter table, callbacks)
 * listed in models/networks/registry.c. The engine builds a layer with
 * bz_layer_build(), which calls `generate` once (single_pass generators on
 * large layers) or twice (count, then fill; see bz_edge_sink in graph.h). Generators must be
 * deterministic functions of (ctx->seed, ctx->replicate, ctx->layer_index, params) whatever the
 * thread count: draw from bz_stream_init(seed, replicate, layer_index, block, BZ_RNG_NETWORK) with
 * a fixed block decomposition.
 */
#ifndef BZ_GENERATOR_H
#define BZ_GENERATOR_H

#include <stdint.h>

#include "base/error.h"
#include "base/params.h"
#include "base/population.h"
#include "graph/graph.h"

/* How bz_layer_build runs the generator: AUTO picks one pass for
 * single_pass generators on large layers (collect.c) and two otherwise;
 * tests force either to check that both give the same layer. */
typedef enum bz_build_mode {
    BZ_BUILD_AUTO = 0,
    BZ_BUILD_ONE_PASS = 1, /* still two when the collector is unavailable */
    BZ_BUILD_TWO_PASS = 2
} bz_build_mode;

typedef struct bz_netgen_ctx {
    uint32_t n; /* agents */
    int directed;
    uint64_t seed;
    uint32_t replicate; /* BZ_RNG_SHARED_REPLICATE unless network.resample */
    uint32_t layer_index;
    const void *params;       /* the generator's params struct */
    const bz_population *pop; /* cities, for city-aware generators; may be NULL in tests */
    const char *base_dir;     /* for relative paths in params; may be NULL */
    void *state;              /* from prepare(), or NULL */
    bz_build_mode build;      /* BZ_BUILD_AUTO unless a test forces a path */
} bz_netgen_ctx;

typedef struct bz_netgen_type {
    const char *name;
    const char *summary; /* one line for `buzzsim models` */
    const bz_param *params;
    size_t n_params;
    size_t params_size;
    int directed_ok;       /* 1 if the generator can make directed layers */
    int implicit_complete; /* 1 for well_mixed: no edges are stored */
    /* 1 if generate() holds no memory per edge while it emits, so that the
     * builder may call it once and collect the arcs (6 bytes per arc while
     * building, collect.c) instead of twice. Generators that keep their
     * edges anyway (edge_list's file, holme_kim's targets) leave it 0: the
     * two passes then cost less memory than the collected arcs would. */
    int single_pass;

    /* Optional. Check parameters against n before anything is allocated.
     * Message names the parameter and its value. */
    int (*check)(const void *params, uint32_t n, int directed, bz_error *err);

    /* Optional. Expected number of stored arcs, for the memory estimate. */
    uint64_t (*estimate_arcs)(const void *params, uint32_t n, int directed);

    /* Optional. Load or precompute shared state (edge_list reads its file
     * here) and report the number of agents it defines in *n_agents (0 if
     * it does not define one). Owns *state until release(). */
    int (*prepare)(const bz_netgen_ctx *ctx, void **state, uint32_t *n_agents, bz_error *err);
    void (*release)(void *state);

    /* Emit every edge into sink (called once per pass). Required unless
     * implicit_complete. */
    int (*generate)(const bz_netgen_ctx *ctx, bz_edge_sink *sink, bz_error *err);
} bz_netgen_type;

/* Registry (models/networks/registry.c): NULL-terminated list, lookup. */
extern const bz_netgen_type *const bz_netgen_registry[];
const bz_netgen_type *bz_netgen_find(const char *name);

/* Build layer `out` (n agents) with generator `type`. ctx->state must come
 * from type->prepare when it has one. Cost: one or two generator passes +
 * O(m log d) row sorting, parallel; the layer is the same either way. On
 * failure `out` is left destroyed. */
int bz_layer_build(bz_layer *out, const bz_netgen_type *type, const bz_netgen_ctx *ctx,
                   const char *layer_name, bz_error *err);

#endif

/* Multiplex network storage: one CSR adjacency per layer.
 *
 * Layout: offsets[n + 1] (uint64) and targets[m] (uint32), rows sorted
 * ascending. Undirected layers store both directions, so `m` counts arcs
 * (2 per undirected edge). Directed layers store out-neighbours (an edge u->v
 * means u's posts reach v: v follows u).
 *
 * Edge policy (documented in docs/networks.md): self-loops and duplicate
 * edges are dropped when a layer is built, so every layer is a simple graph;
 * the counts dropped are reported in bz_layer.dropped_*.
 *
 * A layer may be implicit: `complete` = 1 means every agent is linked to every
 * other (well_mixed) and no arrays are stored.
 */
#ifndef BZ_GRAPH_H
#define BZ_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/params.h"

typedef struct bz_layer {
    char name[BZ_NAME_MAX];
    char generator[BZ_NAME_MAX];
    int directed;
    int complete; /* implicit complete graph: offsets/targets are NULL */
    uint32_t n;
    uint64_t m;            /* stored arcs (both directions for undirected) */
    uint64_t *offsets;     /* n + 1 entries, owned */
    uint32_t *targets;     /* m entries, owned */
    size_t targets_mapped; /* 0: targets is malloc'ed; else an mmap of this many bytes */
    uint32_t *in_degree;   /* directed layers only (n entries, owned); NULL otherwise */
    uint64_t dropped_self_loops;
    uint64_t dropped_duplicates;
    int passes;           /* generator passes the build took: 1 (collected) or 2; 0 if implicit */
    double build_seconds; /* wall time of reading (edge_list) and building it (bz_world_build) */
} bz_layer;

typedef struct bz_network {
    uint32_t n;
    size_t n_layers;
    bz_layer *layers; /* owned array */
} bz_network;

/* Out-degree of u (n - 1 on a complete layer). O(1). */
static inline uint64_t bz_layer_degree(const bz_layer *l, uint32_t u)
{
    return l->complete ? (uint64_t)l->n - 1 : l->offsets[u + 1] - l->offsets[u];
}

/* In-degree of v: equals the degree for undirected and complete layers. */
static inline uint64_t bz_layer_in_degree(const bz_layer *l, uint32_t v)
{
    if (l->complete) return (uint64_t)l->n - 1;
    return l->directed ? l->in_degree[v] : l->offsets[v + 1] - l->offsets[v];
}

/* Number of edges as a user counts them: arcs for directed layers, arcs / 2
 * for undirected, n(n-1)/2 for complete undirected. */
uint64_t bz_layer_edges(const bz_layer *l);

/* Free a layer's arrays; the struct itself is the caller's. Safe twice. */
void bz_layer_destroy(bz_layer *l);

/* Allocate an empty network of n agents with n_layers zeroed layers. */
int bz_network_init(bz_network *net, uint32_t n, size_t n_layers, bz_error *err);
void bz_network_destroy(bz_network *net);

/* Index of the layer named `name`, or -1. */
int bz_network_find_layer(const bz_network *net, const char *name);

/* ---- Building a layer from a generator --------------------------------
 * Generators do not allocate edge arrays. They emit edges into a sink, and
 * the builder calls them either
 *   - once, pass BZ_PASS_ONCE, for generators marked single_pass on large
 *     layers: arcs are collected by range of source agents (6 bytes per arc)
 *     and sorted into rows range by range (collect.c); or
 *   - twice with the same arguments: pass BZ_PASS_COUNT (degrees are
 *     counted) then BZ_PASS_FILL (edges are written into the targets array).
 *     A generator must therefore emit the same multiset of edges in both
 *     passes; counter-based streams make that free.
 * Emitting may happen from any number of OpenMP threads at once. After
 * emission the builder sorts each row, drops self-loops and duplicates and
 * compacts, so the layer is a pure function of the emitted multiset: the
 * same whichever way it was built and however threads were scheduled.
 * Peak memory: see build.c and collect.c.
 */
typedef enum bz_pass { BZ_PASS_COUNT = 0, BZ_PASS_FILL = 1, BZ_PASS_ONCE = 2 } bz_pass;

struct bz_sink_stage;
struct bz_collect;

typedef struct bz_edge_sink {
    bz_pass pass;
    int directed;
    uint32_t n;
    uint64_t *deg;     /* COUNT: per-agent arc count; FILL: write cursor */
    uint32_t *targets; /* FILL only */
    /* Set by bz_layer_build for large layers (NULL: the atomic path below).
     * Arcs are then staged per thread and per range of agents and applied in
     * batches under one lock per range (build.c): random atomic updates of
     * deg[] serialise the cache misses and cost ~10x more. */
    struct bz_sink_stage *stage;
    struct bz_collect *collect; /* BZ_PASS_ONCE only (collect.c) */
} bz_edge_sink;

/* The staged and the collecting paths of bz_sink_add (build.c, collect.c). */
void bz_sink_stage_add(bz_edge_sink *s, uint32_t u, uint32_t v);
void bz_collect_add(struct bz_collect *c, int directed, uint32_t u, uint32_t v);
void bz_collect_add_many(struct bz_collect *c, int directed, const uint32_t *u, const uint32_t *v,
                         size_t k);

/* Emit one edge u -> v (and v -> u when undirected). Thread-safe.
 * Precondition: u, v < n (generators guarantee it; the loader checks). */
static inline void bz_sink_add(bz_edge_sink *s, uint32_t u, uint32_t v)
{
    if (s->collect) {
        bz_collect_add(s->collect, s->directed, u, v);
        return;
    }
    if (s->stage) {
        bz_sink_stage_add(s, u, v);
        return;
    }
    if (s->pass == BZ_PASS_COUNT) {
#pragma omp atomic
        s->deg[u]++;
        if (!s->directed) {
#pragma omp atomic
            s->deg[v]++;
        }
    } else {
        uint64_t p;
#pragma omp atomic capture
        p = s->deg[u]++;
        s->targets[p] = v;
        if (!s->directed) {
#pragma omp atomic capture
            p = s->deg[v]++;
            s->targets[p] = u;
        }
    }
}

/* Emit edges u[i] -> v[i], i < k: bz_sink_add for each, with the sink's
 * per-thread lookup paid once per call when collecting. Thread-safe. */
static inline void bz_sink_add_many(bz_edge_sink *s, const uint32_t *u, const uint32_t *v, size_t k)
{
    if (s->collect) {
        bz_collect_add_many(s->collect, s->directed, u, v, k);
        return;
    }
    for (size_t i = 0; i < k; i++)
        bz_sink_add(s, u[i], v[i]);
}

#endif

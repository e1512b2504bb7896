/* The CSR builder (contract in generator.h and graph.h). Generators marked
 * single_pass build large layers in one pass through the collector
 * (collect.c, build_once below); everything else, and the collector's
 * fallbacks, take the two passes described here (build_twice):
 *
 *   1. COUNT pass: the generator emits every edge; the sink counts arcs per
 *      agent in deg[].
 *   2. Exclusive prefix sum of deg[] gives the row starts: copied to offsets.
 *   3. FILL pass: the generator emits the same edges again; deg[] now serves
 *      as the per-row write cursor, so row u receives its arcs in a
 *      scheduling-dependent order.
 *   4. Per row, in parallel: sort ascending, drop self-loops and duplicates.
 *      After this the row content is a pure function of the emitted multiset,
 *      whatever the thread count or interleaving.
 *   5. Rows are compacted to the left (serially: each row only moves left, so
 *      a pass in row order never overwrites a row not yet moved) and the
 *      targets array is shrunk.
 * The sink updates deg[] and targets[] with atomics for small layers and
 * through per-thread staging buffers for large ones (see "Staged sink").
 *
 * Memory: deg[] and offsets[] (8 bytes per agent each) plus targets[]
 * (4 bytes per arc), plus 512 KiB of staging per thread: the builder's peak
 * is 4 bytes per emitted arc + 16 per agent; no edge list is ever
 * materialised. deg[] is freed before returning, so a built layer keeps
 * 4 bytes per arc + 8 per agent (+ 4 per agent of in-degrees when directed).
 */
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/collect.h"
#include "graph/generator.h"
#include "graph/rowsort.h"

/* ---- Staged sink ---------------------------------------------------------
 * Emitting an arc updates deg[u] (and writes targets[] in the fill pass) at a
 * random place in arrays far larger than the caches. With one atomic per arc
 * every update is a serialising locked instruction on a cache miss. Instead,
 * each thread appends arcs to a small buffer per range ("bucket") of source
 * agents; a full buffer is applied with plain stores under that bucket's lock,
 * so the misses overlap and the bucket's slice of deg[] stays warm. Whatever
 * remains in the buffers is applied by the builder once generate() returns.
 * The rows end up in a different order than with atomics, which the row sort
 * makes irrelevant. Memory: STAGE_BUCKETS * STAGE_CAP * 8 bytes (512 KiB) per
 * thread, independent of n. */
enum { STAGE_MIN_AGENTS = 1 << 16, STAGE_BUCKETS = 1024, STAGE_CAP = 64 };

typedef struct stage_thread {
    uint32_t fill[STAGE_BUCKETS];
    uint64_t arcs[STAGE_BUCKETS * STAGE_CAP]; /* u << 32 | v */
} stage_thread;

struct bz_sink_stage {
    int base_level; /* omp_get_level() of the builder */
    int nthreads;   /* buffers for thread ids 0..nthreads-1 of the next level */
    unsigned shift; /* bucket of u = u >> shift */
    uint32_t nbuckets;
    omp_lock_t locks[STAGE_BUCKETS];
    stage_thread *thr;
};

static void stage_apply(bz_edge_sink *s, const uint64_t *arcs, uint32_t count)
{
    uint64_t *deg = s->deg;
    if (s->pass == BZ_PASS_COUNT) {
        for (uint32_t i = 0; i < count; i++)
            deg[arcs[i] >> 32]++;
    } else {
        uint32_t *tg = s->targets;
        for (uint32_t i = 0; i < count; i++)
            tg[deg[arcs[i] >> 32]++] = (uint32_t)arcs[i];
    }
}

static inline void stage_arc(bz_edge_sink *s, stage_thread *t, uint32_t u, uint32_t v)
{
    struct bz_sink_stage *st = s->stage;
    uint32_t k = u >> st->shift;
    uint32_t f = t->fill[k];
    uint64_t *buf = t->arcs + (size_t)k * STAGE_CAP;
    buf[f++] = (uint64_t)u << 32 | v;
    if (f == STAGE_CAP) {
        omp_set_lock(&st->locks[k]);
        stage_apply(s, buf, f);
        omp_unset_lock(&st->locks[k]);
        f = 0;
    }
    t->fill[k] = f;
}

static void stage_one_locked(bz_edge_sink *s, uint32_t u, uint32_t v)
{
    uint64_t arc = (uint64_t)u << 32 | v;
    uint32_t k = u >> s->stage->shift;
    omp_set_lock(&s->stage->locks[k]);
    stage_apply(s, &arc, 1);
    omp_unset_lock(&s->stage->locks[k]);
}

void bz_sink_stage_add(bz_edge_sink *s, uint32_t u, uint32_t v)
{
    struct bz_sink_stage *st = s->stage;
    /* Thread id among those that can emit concurrently: the builder's own
     * thread at its level, the generator's team one level down. Deeper
     * nesting or a larger team than planned takes the locked slow path. */
    int level = omp_get_level(), tid = -1;
    if (level == st->base_level)
        tid = 0;
    else if (level == st->base_level + 1)
        tid = omp_get_thread_num();
    if (tid < 0 || tid >= st->nthreads) {
        stage_one_locked(s, u, v);
        if (!s->directed) stage_one_locked(s, v, u);
        return;
    }
    stage_arc(s, &st->thr[tid], u, v);
    if (!s->directed) stage_arc(s, &st->thr[tid], v, u);
}

/* Apply every staged arc (after generate() returned: no emitter is left, so
 * buckets are processed in parallel without locks). */
static void stage_drain(bz_edge_sink *s)
{
    struct bz_sink_stage *st = s->stage;
    const int64_t nb = st->nbuckets;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t k = 0; k < nb; k++)
        for (int t = 0; t < st->nthreads; t++) {
            stage_thread *th = &st->thr[t];
            stage_apply(s, th->arcs + (size_t)k * STAGE_CAP, th->fill[k]);
            th->fill[k] = 0;
        }
}

static void stage_free(struct bz_sink_stage *st)
{
    if (!st) return;
    for (uint32_t k = 0; k < st->nbuckets; k++)
        omp_destroy_lock(&st->locks[k]);
    free(st->thr);
    free(st);
}

/* NULL when the layer is small (deg[] fits in cache) or memory is short:
 * staging is an optimisation, the atomic path is always correct. */
static struct bz_sink_stage *stage_new(uint32_t n)
{
    if (n < STAGE_MIN_AGENTS) return NULL;
    struct bz_sink_stage *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->base_level = omp_get_level();
    st->nthreads = omp_get_max_threads();
    unsigned bits = 0;
    while (bits < 32 && ((uint64_t)(n - 1) >> bits) != 0)
        bits++;
    st->shift = bits > 10 ? bits - 10 : 0;
    st->nbuckets = ((n - 1) >> st->shift) + 1;
    st->thr = calloc((size_t)st->nthreads, sizeof *st->thr);
    if (!st->thr) {
        free(st);
        return NULL;
    }
    for (uint32_t k = 0; k < st->nbuckets; k++)
        omp_init_lock(&st->locks[k]);
    return st;
}

static int alloc_fail(bz_error *err, const char *what, const char *layer, size_t bytes)
{
    bz_error_oom(err, NULL, bytes, "%s", what);
    return bz_error_prefix(err, "layer '%s': ", layer);
}

/* Two passes (steps 1-5 of the header): out->offsets, targets, m; *self and
 * *dup receive the dropped arcs. On failure out's arrays are the caller's to
 * free. */
static int build_twice(bz_layer *out, const bz_netgen_type *type, const bz_netgen_ctx *ctx,
                       uint64_t *self_out, uint64_t *dup_out, bz_error *err)
{
    int status = BZ_OK;
    const uint32_t n = ctx->n;
    struct bz_sink_stage *stage = NULL;
    size_t nbytes = ((size_t)n + 1) * sizeof(uint64_t);
    uint64_t *deg = calloc((size_t)n + 1, sizeof *deg);
    out->offsets = malloc(nbytes);
    if (!deg || !out->offsets) {
        status = alloc_fail(err, "row offsets", out->name, 2 * nbytes);
        goto cleanup;
    }

    bz_edge_sink sink = {BZ_PASS_COUNT, out->directed, n, deg, NULL, NULL, NULL};
    sink.stage = stage = stage_new(n);
    BZ_CHECK(type->generate(ctx, &sink, err));
    if (stage) stage_drain(&sink);

    /* Exclusive prefix sum: O(n) and memory-bound, so serial is as fast. */
    uint64_t total = 0;
    for (uint32_t u = 0; u < n; u++) {
        uint64_t c = deg[u];
        deg[u] = total;
        total += c;
    }
    deg[n] = total;
    memcpy(out->offsets, deg, nbytes);

    if (total > SIZE_MAX / sizeof(uint32_t))
        BZ_FAIL(err, BZ_ENOMEM, "layer '%s': %llu arcs do not fit in memory", out->name,
                (unsigned long long)total);
    size_t tbytes = (size_t)total * sizeof(uint32_t);
    out->targets = malloc(tbytes ? tbytes : 1);
    if (!out->targets) {
        status = alloc_fail(err, "targets", out->name, tbytes);
        goto cleanup;
    }

    sink.pass = BZ_PASS_FILL;
    sink.targets = out->targets;
    BZ_CHECK(type->generate(ctx, &sink, err));
    if (stage) stage_drain(&sink);
    for (uint32_t u = 0; u < n; u++)
        if (deg[u] != out->offsets[u + 1])
            BZ_FAIL(err, BZ_EINTERNAL,
                    "layer '%s': generator '%s' emitted different edges in its count and fill "
                    "passes (agent %u)",
                    out->name, type->name, u);

    /* Sort and clean each row; deg[u] becomes the new row length. Rows are
     * independent, and the dynamic schedule balances hub rows. */
    uint64_t self = 0, dup = 0;
    const uint64_t *off = out->offsets;
    uint32_t *tg = out->targets;
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : self, dup)
    for (int64_t u = 0; u < (int64_t)n; u++)
        deg[u] = bz_row_clean(tg + off[u], off[u + 1] - off[u], (uint32_t)u, &self, &dup);

    /* Compact: skip the unchanged prefix, then move rows left in row order. */
    uint32_t first = 0;
    while (first < n && deg[first] == off[first + 1] - off[first])
        first++;
    if (first < n) {
        uint64_t w = off[first];
        for (uint32_t u = first; u < n; u++) {
            uint64_t src = out->offsets[u], len = deg[u];
            if (src != w && len) memmove(tg + w, tg + src, (size_t)len * sizeof *tg);
            out->offsets[u] = w;
            w += len;
        }
        out->offsets[n] = w;
        uint32_t *shrunk = realloc(out->targets, w ? (size_t)w * sizeof *tg : 1);
        if (shrunk) out->targets = shrunk; /* a failed shrink keeps the larger block */
    }
    out->m = out->offsets[n];
    *self_out = self;
    *dup_out = dup;

cleanup:
    stage_free(stage);
    free(deg);
    return status;
}

/* One pass through the collector (collect.c). *built = 0 without an error
 * when the collector is unavailable or overflowed: the caller then builds
 * in two passes. */
static int build_once(bz_layer *out, const bz_netgen_type *type, const bz_netgen_ctx *ctx,
                      uint64_t *self, uint64_t *dup, int *built, bz_error *err)
{
    int status = BZ_OK;
    *built = 0;
    struct bz_collect *c = bz_collect_new(ctx->n, 0);
    if (!c) return BZ_OK;
    bz_edge_sink sink = {BZ_PASS_ONCE, out->directed, ctx->n, NULL, NULL, NULL, c};
    BZ_CHECK(type->generate(ctx, &sink, err));
    if (bz_collect_overflowed(c)) goto cleanup;
    BZ_CHECK(bz_collect_finish(c, out, self, dup, err));
    *built = !bz_collect_overflowed(c); /* flushing the last blocks may overflow too */

cleanup:
    bz_collect_free(c);
    return status;
}

int bz_layer_build(bz_layer *out, const bz_netgen_type *type, const bz_netgen_ctx *ctx,
                   const char *layer_name, bz_error *err)
{
    int status = BZ_OK;
    memset(out, 0, sizeof *out);
    if (!type || !ctx)
        return bz_error_set(err, BZ_EINTERNAL, "bz_layer_build: no generator or context");
    snprintf(out->name, sizeof out->name, "%s", layer_name ? layer_name : "");
    snprintf(out->generator, sizeof out->generator, "%s", type->name);
    out->directed = ctx->directed ? 1 : 0;
    out->n = ctx->n;
    const uint32_t n = ctx->n;

    if (ctx->directed && !type->directed_ok)
        BZ_FAIL(err, BZ_EINVAL, "layer '%s': generator '%s' cannot make directed layers", out->name,
                type->name);
    if (type->implicit_complete) {
        out->complete = 1;
        return BZ_OK;
    }
    if (!type->generate)
        BZ_FAIL(err, BZ_EINTERNAL, "layer '%s': generator '%s' has no generate()", out->name,
                type->name);

    /* One pass where the generator allows it and the layer is large enough
     * for the random writes of two passes to hurt; tests may force either. */
    uint64_t self = 0, dup = 0;
    int once = type->single_pass && ctx->build != BZ_BUILD_TWO_PASS &&
               (n >= STAGE_MIN_AGENTS || ctx->build == BZ_BUILD_ONE_PASS);
    int built = 0;
    if (once) BZ_CHECK(build_once(out, type, ctx, &self, &dup, &built, err));
    if (!built) BZ_CHECK(build_twice(out, type, ctx, &self, &dup, err));
    out->passes = built ? 1 : 2;
    /* Undirected emissions become two arcs, so each dropped edge (self-loop
     * or repeat) removed exactly two arcs: report edges, as users count. */
    out->dropped_self_loops = out->directed ? self : self / 2;
    out->dropped_duplicates = out->directed ? dup : dup / 2;

    if (out->directed) {
        out->in_degree = calloc(n ? n : 1, sizeof *out->in_degree);
        if (!out->in_degree) {
            status = alloc_fail(err, "in-degrees", out->name, (size_t)n * sizeof(uint32_t));
            goto cleanup;
        }
        uint32_t *ind = out->in_degree;
        const uint64_t m = out->m;
        const uint32_t *tg = out->targets;
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < (int64_t)m; i++) {
#pragma omp atomic
            ind[tg[i]]++;
        }
    }

cleanup:
    if (status != BZ_OK) bz_layer_destroy(out);
    return status;
}

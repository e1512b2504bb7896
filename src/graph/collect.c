/* The one-pass layer builder: arcs collected by range of source agents.
 *
 * The two-pass builder (build.c) runs the generator twice and writes every
 * arc at a random place of deg[] and of targets[], arrays far larger than
 * the caches. Here the generator runs once. Agents are cut into buckets of
 * 2^shift consecutive ids (shift in [14, 16]); each bucket owns a slice of
 * one large reservation of address space, in which an arc u -> v of the
 * bucket is stored as v (4 bytes) and u's offset in the bucket (2 bytes).
 * Threads claim slots of a bucket in segments of COLLECT_SEG with one
 * atomic add and fill them with plain stores, so a thread writes to a few
 * kilobytes per bucket at a time (in cache) and never waits on another.
 * Then each bucket in turn (in parallel) is counted, scattered into its
 * rows and sorted, all within its own slice of targets[] (about as large
 * as a core's L2), and its slice of the reservation is handed back to the
 * system (MADV_DONTNEED).
 *
 * Memory: the reservation is address space, not memory: pages become
 * resident as arcs are written (6 bytes per arc) and are released bucket
 * by bucket while targets[] (4 bytes per arc) fills, so the peak is about
 * 6 bytes per arc + 8 bytes per agent (offsets) + 16 bytes per bucket and
 * thread; the two-pass builder's is 4 bytes per arc + 16 per agent. No
 * resident memory is ever written twice.
 *
 * Failure is never silent: when the address space cannot be reserved
 * (ulimit -v, vm.overcommit_memory = 2, valgrind) bz_collect_new returns
 * NULL, and when a bucket outgrows its slice (one bucket holding more than
 * cap arcs) bz_collect_overflowed says so; the builder then uses the
 * two-pass path, which gives the identical layer.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MADV_DONTNEED */
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "graph/collect.h"
#include "graph/rowsort.h"

enum {
    COLLECT_SEG = 64,         /* slots claimed at a time by a thread */
    COLLECT_SHIFT_MIN = 14,   /* 16384 agents per bucket at least */
    COLLECT_SHIFT_MAX = 16,   /* the in-bucket offset is a uint16 */
    COLLECT_CAP_ALIGN = 4096, /* slices start on page boundaries */
};
#define COLLECT_HOLE UINT32_MAX /* a slot claimed but never written */
/* Address space to reserve, and the smallest slice worth trying. */
#define COLLECT_VSPACE ((uint64_t)1 << 42)
#define COLLECT_CAP_MIN ((uint64_t)1 << 22)

/* COLLECT_SEG slots: targets and in-bucket source offsets side by side, so
 * that a thread filling a bucket touches one page of it, not two (with a
 * thousand buckets per thread, the TLB holds one page each but not two). */
typedef struct collect_block {
    uint32_t v[COLLECT_SEG];
    uint16_t lo[COLLECT_SEG];
} collect_block;

_Static_assert(sizeof(collect_block) == 6 * COLLECT_SEG, "6 bytes per slot, pages shared evenly");

typedef struct collect_seg {
    uint64_t cur, end; /* slots [cur, end) of the bucket are this thread's */
} collect_seg;

struct bz_collect {
    uint32_t n;
    unsigned shift;
    uint32_t nb;  /* buckets */
    uint64_t cap; /* slots per bucket */
    void *map;    /* the reservation: nb slices of cap / COLLECT_SEG segments */
    size_t map_bytes;
    collect_block *blk;
    uint64_t *used;    /* [nb] slots claimed (may exceed cap after an overflow) */
    int base_level;    /* omp_get_level() of the builder */
    int nthreads;      /* segments for thread ids 0..nthreads-1 of the next level */
    collect_seg **seg; /* [nthreads][nb] */
    int overflow;
};

static unsigned bits_of(uint64_t x)
{
    unsigned b = 0;
    while (b < 64 && (x >> b) != 0)
        b++;
    return b;
}

struct bz_collect *bz_collect_new(uint32_t n, uint64_t max_slots)
{
    if (n == 0) return NULL;
    struct bz_collect *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->n = n;
    unsigned bits = bits_of(n - 1);
    c->shift = bits > COLLECT_SHIFT_MIN + 10 ? bits - 10 : COLLECT_SHIFT_MIN;
    if (c->shift > COLLECT_SHIFT_MAX) c->shift = COLLECT_SHIFT_MAX;
    c->nb = (uint32_t)(((uint64_t)n - 1) >> c->shift) + 1;
    c->base_level = omp_get_level();
    c->nthreads = omp_get_max_threads();
    c->used = calloc(c->nb, sizeof *c->used);
    c->seg = calloc((size_t)c->nthreads, sizeof *c->seg);
    if (!c->used || !c->seg) goto fail;
    for (int t = 0; t < c->nthreads; t++) {
        c->seg[t] = calloc(c->nb, sizeof **c->seg); /* cur = end = 0: nothing claimed */
        if (!c->seg[t]) goto fail;
    }
    /* The largest slice the address space allows, halved until the kernel
     * grants the reservation. */
    uint64_t cap = COLLECT_VSPACE / 6 / c->nb;
    if (max_slots && max_slots < cap) cap = max_slots;
    cap += COLLECT_CAP_ALIGN - 1;
    const uint64_t least = cap < COLLECT_CAP_MIN ? cap : COLLECT_CAP_MIN;
    for (; cap >= least; cap /= 2) {
        cap -= cap % COLLECT_CAP_ALIGN;
        size_t bytes = (size_t)(cap / COLLECT_SEG * c->nb) * sizeof(collect_block);
        void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) continue;
        c->map = m;
        c->map_bytes = bytes;
        c->cap = cap;
        c->blk = m;
        return c;
    }
fail:
    bz_collect_free(c);
    return NULL;
}

void bz_collect_free(struct bz_collect *c)
{
    if (!c) return;
    if (c->map) munmap(c->map, c->map_bytes);
    if (c->seg)
        for (int t = 0; t < c->nthreads; t++)
            free(c->seg[t]);
    free(c->seg);
    free(c->used);
    free(c);
}

int bz_collect_overflowed(const struct bz_collect *c)
{
    return c->overflow;
}

/* Claim `want` slots of bucket k for *s; on overflow *s stays empty (the arc
 * is dropped and the build falls back to two passes). */
static void claim(struct bz_collect *c, uint32_t k, collect_seg *s, uint64_t want)
{
    uint64_t first;
#pragma omp atomic capture
    {
        first = c->used[k];
        c->used[k] += want;
    }
    if (first + want > c->cap) {
#pragma omp atomic write
        c->overflow = 1;
        s->cur = s->end = 0;
        return;
    }
    s->cur = first;
    s->end = first + want;
}

/* Slot `slot` of the reservation (bucket k's slots start at k * cap). */
static inline void slot_write(struct bz_collect *c, size_t slot, uint32_t u, uint32_t v)
{
    collect_block *b = &c->blk[slot / COLLECT_SEG];
    b->v[slot % COLLECT_SEG] = v;
    b->lo[slot % COLLECT_SEG] = (uint16_t)(u & ((1u << c->shift) - 1));
}

static inline void put(struct bz_collect *c, collect_seg *segs, uint32_t u, uint32_t v)
{
    uint32_t k = u >> c->shift;
    collect_seg *s = &segs[k];
    if (s->cur == s->end) {
        claim(c, k, s, COLLECT_SEG);
        if (s->cur == s->end) return;
    }
    slot_write(c, (size_t)k * c->cap + s->cur++, u, v);
}

/* An emitter outside the planned threads (deeper nesting, a larger team):
 * one slot at a time, each claimed atomically. */
static void put_one(struct bz_collect *c, uint32_t u, uint32_t v)
{
    collect_seg s;
    claim(c, u >> c->shift, &s, 1);
    if (s.cur == s.end) return;
    slot_write(c, (size_t)(u >> c->shift) * c->cap + s.cur, u, v);
}

/* This thread's segments, or NULL (see put_one). */
static collect_seg *thread_segs(struct bz_collect *c)
{
    int level = omp_get_level(), tid = -1;
    if (level == c->base_level)
        tid = 0;
    else if (level == c->base_level + 1)
        tid = omp_get_thread_num();
    return tid >= 0 && tid < c->nthreads ? c->seg[tid] : NULL;
}

void bz_collect_add_many(struct bz_collect *c, int directed, const uint32_t *u, const uint32_t *v,
                         size_t k)
{
    collect_seg *segs = thread_segs(c);
    for (size_t i = 0; i < k; i++) {
        if (!segs) {
            put_one(c, u[i], v[i]);
            if (!directed) put_one(c, v[i], u[i]);
            continue;
        }
        put(c, segs, u[i], v[i]);
        if (!directed) put(c, segs, v[i], u[i]);
    }
}

void bz_collect_add(struct bz_collect *c, int directed, uint32_t u, uint32_t v)
{
    bz_collect_add_many(c, directed, &u, &v, 1);
}

/* Give the first `bytes` of a slice back to the system (its pages read as
 * zero afterwards). Advice only: a failure just keeps them resident. */
static void release(void *slice, size_t bytes)
{
    static const size_t page = 4096; /* slices start on page boundaries */
    bytes = (bytes + page - 1) / page * page;
    if (bytes) (void)madvise(slice, bytes, MADV_DONTNEED);
}

/* Rows of bucket k into tg[start, start + arcs): count into off (the
 * bucket's slice of offsets), scatter, sort and clean each row, compact
 * the rows to the left. Returns the arcs kept. */
static uint64_t bucket_rows(struct bz_collect *c, uint32_t k, uint64_t start, uint64_t *offsets,
                            uint32_t *tg, uint64_t *self, uint64_t *dup)
{
    const uint64_t base = (uint64_t)k << c->shift;
    const uint64_t len =
        base + ((uint64_t)1 << c->shift) <= c->n ? (uint64_t)1 << c->shift : c->n - base;
    const uint64_t used = c->used[k], nblk = (used + COLLECT_SEG - 1) / COLLECT_SEG;
    const collect_block *blk = c->blk + (size_t)k * (c->cap / COLLECT_SEG);
    uint64_t *off = offsets + base;
    memset(off, 0, len * sizeof *off);
    for (uint64_t b = 0; b < nblk; b++) {
        unsigned fill = b + 1 < nblk ? COLLECT_SEG : (unsigned)(used - b * COLLECT_SEG);
        for (unsigned j = 0; j < fill; j++)
            if (blk[b].v[j] != COLLECT_HOLE) off[blk[b].lo[j]]++;
    }
    uint64_t p = start;
    for (uint64_t i = 0; i < len; i++) {
        uint64_t d = off[i];
        off[i] = p;
        p += d;
    }
    for (uint64_t b = 0; b < nblk; b++) {
        unsigned fill = b + 1 < nblk ? COLLECT_SEG : (unsigned)(used - b * COLLECT_SEG);
        for (unsigned j = 0; j < fill; j++)
            if (blk[b].v[j] != COLLECT_HOLE) tg[off[blk[b].lo[j]]++] = blk[b].v[j];
    }
    release((void *)blk, nblk * sizeof *blk);
    /* off[i] is now the end of row i. */
    uint64_t w = start, rs = start;
    for (uint64_t i = 0; i < len; i++) {
        uint64_t re = off[i];
        uint64_t kept = bz_row_clean(tg + rs, re - rs, (uint32_t)(base + i), self, dup);
        if (w != rs && kept) memmove(tg + w, tg + rs, (size_t)kept * sizeof *tg);
        off[i] = w;
        w += kept;
        rs = re;
    }
    return w - start;
}

int bz_collect_finish(struct bz_collect *c, bz_layer *out, uint64_t *self_out, uint64_t *dup_out,
                      bz_error *err)
{
    int status = BZ_OK;
    const uint32_t nb = c->nb;
    uint64_t *start = malloc(((size_t)nb + 1) * sizeof *start);
    uint64_t *kept = malloc((size_t)nb * sizeof *kept);
    if (!start || !kept) {
        status =
            bz_error_set(err, BZ_ENOMEM, "layer '%s': out of memory (%u buckets)", out->name, nb);
        goto cleanup;
    }
    /* Seal each thread's unfilled segments and count the arcs per bucket. */
    start[0] = 0;
    for (uint32_t k = 0; k < nb; k++) {
        uint64_t holes = 0;
        for (int t = 0; t < c->nthreads; t++) {
            collect_seg *s = &c->seg[t][k];
            for (uint64_t i = s->cur; i < s->end; i++)
                slot_write(c, (size_t)k * c->cap + i, 0, COLLECT_HOLE);
            holes += s->end - s->cur;
            s->cur = s->end = 0;
        }
        start[k + 1] = start[k] + c->used[k] - holes;
    }
    const uint64_t total = start[nb];
    size_t nbytes = ((size_t)c->n + 1) * sizeof *out->offsets;
    out->offsets = malloc(nbytes);
    out->targets = total <= SIZE_MAX / sizeof(uint32_t)
                       ? malloc(total ? (size_t)total * sizeof(uint32_t) : 1)
                       : NULL;
    if (!out->offsets || !out->targets) {
        status =
            bz_error_set(err, BZ_ENOMEM, "layer '%s': out of memory for %llu arcs and %u agents",
                         out->name, (unsigned long long)total, c->n);
        goto cleanup;
    }

    uint64_t self = 0, dup = 0;
    uint64_t *offsets = out->offsets;
    uint32_t *tg = out->targets;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : self, dup)
    for (int64_t k = 0; k < (int64_t)nb; k++)
        kept[k] = bucket_rows(c, (uint32_t)k, start[k], offsets, tg, &self, &dup);

    /* Close the gaps left by dropped arcs: buckets move left in order. */
    uint64_t w = 0;
    for (uint32_t k = 0; k < nb; k++) {
        uint64_t shift = start[k] - w;
        if (shift) {
            if (kept[k]) memmove(tg + w, tg + start[k], (size_t)kept[k] * sizeof *tg);
            uint64_t base = (uint64_t)k << c->shift;
            uint64_t end = k + 1 < nb ? base + ((uint64_t)1 << c->shift) : c->n;
            for (uint64_t u = base; u < end; u++)
                offsets[u] -= shift;
        }
        w += kept[k];
    }
    offsets[c->n] = w;
    if (w < total) {
        uint32_t *shrunk = realloc(out->targets, w ? (size_t)w * sizeof *tg : 1);
        if (shrunk) out->targets = shrunk; /* a failed shrink keeps the larger block */
    }
    out->m = w;
    *self_out = self;
    *dup_out = dup;

cleanup:
    free(start);
    free(kept);
    return status;
}

/* The one-pass layer builder: arcs collected by range of source agents.
 *
 * The two-pass builder (build.c) runs the generator twice and writes every
 * arc at a random place of deg[] and of targets[], arrays far larger than
 * the caches. Here the generator runs once. Agents are cut into buckets of
 * 2^shift consecutive ids (shift in [14, 16]); each bucket owns a slice of
 * one large reservation of address space, in which an arc u -> v of the
 * bucket is stored as v (4 bytes) and u's offset in the bucket (2 bytes).
 *
 * Collecting (software write-combining): each thread stages the arcs of a
 * bucket in a block of COLLECT_SEG slots of its own (all of a thread's
 * blocks together are a few hundred kilobytes: they stay in its cache).
 * A full block is packed and copied to the bucket's slice with
 * non-temporal stores: six whole cache lines that go straight to memory,
 * with no read of the lines they replace, into a range of COLLECT_CLAIM
 * blocks the thread claimed with one atomic add. So a thread never waits
 * on another, and an arc costs a store into cache.
 *
 * Finishing: each bucket in turn (in parallel) is ordered by the top
 * COLLECT_DIGIT bits of the target (one counting pass into a per-thread
 * scratch array), then scattered into its rows in that order, within its
 * own slice of targets[] (about as large as a core's L2). Rows thus arrive
 * sorted but for targets that share their top bits (about
 * d^2 / 2^(COLLECT_DIGIT + 1) pairs in a row of d), and an insertion sort
 * finishes them in about d steps. Once the arcs are in the scratch, the
 * bucket's slice is done with: its whole pages are moved under the
 * bucket's range of targets[] (recycle(): fresh pages are what costs here)
 * and the rest handed back to the system (MADV_DONTNEED). A bucket larger
 * than the scratch (hubs) is scattered straight from its slice and sorted
 * in full instead.
 *
 * Memory: the reservation is address space, not memory: pages become
 * resident as arcs are written (6 bytes per arc) and turn into targets[]
 * (4 bytes per arc) bucket by bucket, so the peak is about 6 bytes per arc
 * + 8 bytes per agent (offsets) + per thread 513 bytes per bucket
 * (staging) and 8 bytes per arc of a typical bucket (scratch, at most four
 * times the mean bucket); the two-pass builder's is 4 bytes per arc + 16
 * per agent.
 *
 * Failure is never silent: when the address space cannot be reserved
 * (ulimit -v, vm.overcommit_memory = 2, valgrind) bz_collect_new returns
 * NULL, and when a bucket outgrows its slice (one bucket holding more than
 * cap arcs) bz_collect_overflowed says so; the builder then uses the
 * two-pass path, which gives the identical layer.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MADV_DONTNEED, mremap */
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "graph/collect.h"
#include "graph/rowsort.h"

enum {
    COLLECT_SEG = 64,          /* slots staged at a time by a thread */
    COLLECT_CLAIM = 8,         /* blocks claimed at a time by a thread */
    COLLECT_SHIFT_MIN = 14,    /* 16384 agents per bucket at least */
    COLLECT_SHIFT_MAX = 16,    /* the in-bucket offset is a uint16 */
    COLLECT_CAP_ALIGN = 4096,  /* slices start on page boundaries */
    COLLECT_DIGIT = 8,         /* top target bits ordered before the row scatter */
    COLLECT_SCRATCH = 1 << 20, /* arcs of scratch per thread, or 4x the mean bucket */
};
#define COLLECT_HOLE UINT32_MAX /* a slot claimed but never written */
/* Address space to reserve, and the smallest slice worth trying. */
#define COLLECT_VSPACE ((uint64_t)1 << 42)
#define COLLECT_CAP_MIN ((uint64_t)1 << 22)
/* Recycling pages into targets[] splits mappings: about three per bucket,
 * well below the kernel's default limit of 65530 per process. */
#define COLLECT_RECYCLE_MAX_BUCKETS 8192u
#define COLLECT_PAGE ((size_t)4096)

/* COLLECT_SEG slots: targets and in-bucket source offsets side by side, so
 * that a block is six whole cache lines, stored as one. */
typedef struct collect_block {
    uint32_t v[COLLECT_SEG];
    uint16_t lo[COLLECT_SEG];
} collect_block;

_Static_assert(sizeof(collect_block) == 6 * COLLECT_SEG, "6 bytes per slot, pages shared evenly");

/* A thread's staging: per bucket, COLLECT_SEG arcs as lo << 32 | v (one
 * store into one cache line per arc; the block layout would take two),
 * their count, and the slots [cur, end) of the bucket that the thread has
 * claimed and not yet filled (whole blocks). */
typedef struct collect_range {
    uint64_t cur, end;
} collect_range;

typedef struct collect_stage {
    uint64_t *arc;        /* [nb * COLLECT_SEG], 64-byte aligned */
    uint8_t *fill;        /* [nb] arcs staged, < COLLECT_SEG */
    collect_range *claim; /* [nb] */
} collect_stage;

struct bz_collect {
    uint32_t n;
    unsigned shift;
    uint32_t nb;  /* buckets */
    uint64_t cap; /* slots per bucket */
    void *map;    /* the reservation: nb slices of cap / COLLECT_SEG segments */
    size_t map_bytes;
    collect_block *blk;
    uint64_t *used;       /* [nb] slots claimed (may exceed cap after an overflow) */
    int base_level;       /* omp_get_level() of the builder */
    int nthreads;         /* stages for thread ids 0..nthreads-1 of the next level */
    collect_stage *stage; /* [nthreads] */
    unsigned digit_shift; /* v >> digit_shift: v's top bits (finish) */
    unsigned digit_bits;
    uint64_t recycled;    /* bytes of targets[] on recycled pages (finish) */
    uint64_t scratch_max; /* arcs of scratch per thread at most */
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
    c->digit_bits = bits < COLLECT_DIGIT ? bits : COLLECT_DIGIT;
    c->digit_shift = bits - c->digit_bits;
    c->scratch_max = UINT64_MAX;
    c->base_level = omp_get_level();
    c->nthreads = omp_get_max_threads();
    c->used = calloc(c->nb, sizeof *c->used);
    c->stage = calloc((size_t)c->nthreads, sizeof *c->stage);
    if (!c->used || !c->stage) goto fail;
    for (int t = 0; t < c->nthreads; t++) {
        c->stage[t].arc = aligned_alloc(64, (size_t)c->nb * COLLECT_SEG * sizeof(uint64_t));
        c->stage[t].fill = calloc(c->nb, 1);
        c->stage[t].claim = calloc(c->nb, sizeof *c->stage[t].claim);
        if (!c->stage[t].arc || !c->stage[t].fill || !c->stage[t].claim) goto fail;
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
    if (c->stage)
        for (int t = 0; t < c->nthreads; t++) {
            free(c->stage[t].arc);
            free(c->stage[t].fill);
            free(c->stage[t].claim);
        }
    free(c->stage);
    free(c->used);
    free(c);
}

int bz_collect_overflowed(const struct bz_collect *c)
{
    return c->overflow;
}

uint64_t bz_collect_recycled(const struct bz_collect *c)
{
    return c->recycled;
}

void bz_collect_set_scratch(struct bz_collect *c, uint64_t arcs)
{
    c->scratch_max = arcs;
}

/* Claim `want` slots of bucket k: the first one's index, or UINT64_MAX on
 * overflow (the arcs are dropped and the build falls back to two passes). */
static uint64_t claim(struct bz_collect *c, uint32_t k, uint64_t want)
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
        return UINT64_MAX;
    }
    return first;
}

/* Slot `slot` of the reservation (bucket k's slots start at k * cap). */
static inline void slot_write(struct bz_collect *c, size_t slot, uint16_t lo, uint32_t v)
{
    collect_block *b = &c->blk[slot / COLLECT_SEG];
    b->v[slot % COLLECT_SEG] = v;
    b->lo[slot % COLLECT_SEG] = lo;
}

/* Store a block at its place in the reservation. Non-temporal stores fill
 * whole lines without reading them first. They are weakly ordered: the
 * locked instruction of the next claim, and at the latest the closing
 * barrier of the generator's parallel region (locked instructions, which
 * drain the write-combining buffers on x86), make them visible to the
 * finishing threads. */
static void block_store(collect_block *dst, const collect_block *src)
{
#if defined(__SSE2__)
    const __m128i *s = (const __m128i *)(const void *)src;
    __m128i *d = (__m128i *)(void *)dst;
    for (size_t i = 0; i < sizeof *src / sizeof *s; i++)
        _mm_stream_si128(d + i, _mm_load_si128(s + i));
#else
    memcpy(dst, src, sizeof *src);
#endif
}

/* Move bucket k's staged arcs (all COLLECT_SEG of them: unfilled slots
 * hold holes) to the thread's claimed range of the bucket, claiming
 * COLLECT_CLAIM more blocks when it is used up. Claims come in whole
 * blocks, so the arcs land on a block boundary unless put_one's single
 * claims shifted the range. */
static void flush(struct bz_collect *c, collect_range *r, uint32_t k, const uint64_t *arc)
{
    if (r->cur == r->end) {
#if defined(__SSE2__)
        _mm_sfence();
#endif
        uint64_t first = claim(c, k, COLLECT_SEG * COLLECT_CLAIM);
        if (first == UINT64_MAX) return;
        r->cur = first;
        r->end = first + COLLECT_SEG * COLLECT_CLAIM;
    }
    size_t slot = (size_t)k * c->cap + r->cur;
    r->cur += COLLECT_SEG;
    if (slot % COLLECT_SEG == 0) {
        _Alignas(64) collect_block b;
        for (unsigned j = 0; j < COLLECT_SEG; j++) {
            b.v[j] = (uint32_t)arc[j];
            b.lo[j] = (uint16_t)(arc[j] >> 32);
        }
        block_store(&c->blk[slot / COLLECT_SEG], &b);
        return;
    }
    for (unsigned j = 0; j < COLLECT_SEG; j++)
        slot_write(c, slot + j, (uint16_t)(arc[j] >> 32), (uint32_t)arc[j]);
}

/* u's offset in its bucket. */
static inline uint16_t lo_of(const struct bz_collect *c, uint32_t u)
{
    return (uint16_t)(u & ((1u << c->shift) - 1));
}

static inline void put(struct bz_collect *c, collect_stage *st, uint32_t u, uint32_t v)
{
    uint32_t k = u >> c->shift;
    uint64_t *arc = st->arc + (size_t)k * COLLECT_SEG;
    unsigned f = st->fill[k];
    arc[f] = (uint64_t)lo_of(c, u) << 32 | v;
    if (++f == COLLECT_SEG) {
        flush(c, &st->claim[k], k, arc);
        f = 0;
    }
    st->fill[k] = (uint8_t)f;
}

/* An emitter outside the planned threads (deeper nesting, a larger team):
 * one slot at a time, each claimed atomically. */
static void put_one(struct bz_collect *c, uint32_t u, uint32_t v)
{
    uint32_t k = u >> c->shift;
    uint64_t first = claim(c, k, 1);
    if (first == UINT64_MAX) return;
    slot_write(c, (size_t)k * c->cap + first, lo_of(c, u), v);
}

/* This thread's staging, or NULL (see put_one). */
static collect_stage *thread_stage(struct bz_collect *c)
{
    int level = omp_get_level(), tid = -1;
    if (level == c->base_level)
        tid = 0;
    else if (level == c->base_level + 1)
        tid = omp_get_thread_num();
    return tid >= 0 && tid < c->nthreads ? &c->stage[tid] : NULL;
}

void bz_collect_add_many(struct bz_collect *c, int directed, const uint32_t *u, const uint32_t *v,
                         size_t k)
{
    collect_stage *st = thread_stage(c);
    if (!st) {
        for (size_t i = 0; i < k; i++) {
            put_one(c, u[i], v[i]);
            if (!directed) put_one(c, v[i], u[i]);
        }
        return;
    }
    if (directed) {
        for (size_t i = 0; i < k; i++)
            put(c, st, u[i], v[i]);
        return;
    }
    for (size_t i = 0; i < k; i++) {
        put(c, st, u[i], v[i]);
        put(c, st, v[i], u[i]);
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
    bytes = (bytes + COLLECT_PAGE - 1) / COLLECT_PAGE * COLLECT_PAGE;
    if (bytes) (void)madvise(slice, bytes, MADV_DONTNEED);
}

/* targets[] as a mapping whose pages are, where possible, the collected
 * arcs' own: on this kind of machine a fresh page costs about as much as
 * writing it twenty times (page fault, zeroing, accounting), and a bucket
 * is done with its slice of the reservation (6 bytes per arc) before it
 * writes its rows (4 bytes per arc). So the whole pages of the slice move
 * (mremap: page tables only, no copy) under the whole pages of the
 * bucket's range of targets[]; only the two pages a bucket shares with its
 * neighbours are faulted in fresh. The moved pages hold old arcs until the
 * rows overwrite them. Linux only; elsewhere, and when the mapping cannot
 * be made, targets[] is malloc'ed and filled from fresh pages. */
typedef struct collect_out {
    char *map; /* targets[] when mapped, else NULL */
    size_t bytes;
    int failed;     /* a move failed and its range could not be mapped again */
    uint64_t moved; /* bytes of pages moved */
} collect_out;

/* Hand bucket k's slice (nblk blocks) to targets[first, next) and release
 * what is left of it. */
static void recycle(collect_out *o, collect_block *blk, uint64_t nblk, uint64_t first,
                    uint64_t next)
{
    size_t have = nblk * sizeof *blk / COLLECT_PAGE * COLLECT_PAGE, moved = 0;
#if defined(__linux__)
    size_t lo = (first * sizeof(uint32_t) + COLLECT_PAGE - 1) / COLLECT_PAGE * COLLECT_PAGE;
    size_t hi = next * sizeof(uint32_t) / COLLECT_PAGE * COLLECT_PAGE;
    size_t want = hi > lo ? hi - lo : 0;
    moved = want < have ? want : have;
    if (moved) {
        void *to = o->map + lo;
        if (mremap(blk, moved, moved, MREMAP_MAYMOVE | MREMAP_FIXED, to) == MAP_FAILED) {
            /* The kernel may have unmapped the destination already. */
            if (mmap(to, moved, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
                     0) == MAP_FAILED) {
#pragma omp atomic write
                o->failed = 1;
            }
            moved = 0;
        }
#pragma omp atomic
        o->moved += moved;
    }
#else
    (void)o;
    (void)first;
    (void)next;
#endif
    release((char *)blk + moved, nblk * sizeof *blk - moved);
}

/* A finishing thread's scratch: bucket arcs ordered by target digit. */
typedef struct collect_scratch {
    uint64_t *arc; /* lo << 32 | v */
    uint64_t size; /* arcs it holds: the largest bucket's, or less (see finish) */
    uint64_t digit[1u << COLLECT_DIGIT];
} collect_scratch;

/* Counts off[0..len) become row starts from p on (exclusive prefix sum). */
static void row_starts(uint64_t *off, uint64_t len, uint64_t p)
{
    for (uint64_t i = 0; i < len; i++) {
        uint64_t d = off[i];
        off[i] = p;
        p += d;
    }
}

/* Bucket rows in tg[start, ...), row i ending at off[i]: sort each (nearly
 * sorted ones by insertion), drop self-loops and repeats, compact the rows
 * to the left and set off[i] to the start of row i. Returns the arcs kept. */
static uint64_t bucket_clean(uint32_t *tg, uint64_t *off, uint64_t base, uint64_t len,
                             uint64_t start, int nearly, uint64_t *self, uint64_t *dup)
{
    uint64_t w = start, rs = start;
    for (uint64_t i = 0; i < len; i++) {
        uint64_t re = off[i];
        if (nearly)
            bz_row_sort_nearly(tg + rs, re - rs);
        else
            bz_row_sort(tg + rs, re - rs);
        uint64_t kept = bz_row_clean_sorted(tg + rs, re - rs, (uint32_t)(base + i), self, dup);
        if (w != rs && kept) memmove(tg + w, tg + rs, (size_t)kept * sizeof *tg);
        off[i] = w;
        w += kept;
        rs = re;
    }
    return w - start;
}

/* Slots of block b of a bucket that claimed `used` slots in nblk blocks:
 * all of them but in the last block (holes among them are marked). */
static inline unsigned block_fill(uint64_t used, uint64_t b, uint64_t nblk)
{
    return b + 1 < nblk ? COLLECT_SEG : (unsigned)(used - b * COLLECT_SEG);
}

/* Rows of bucket k into tg[start, start + arcs): count into off (the
 * bucket's slice of offsets) and by target digit, order the arcs by digit
 * in the scratch, hand the bucket's slice to targets[] (recycle), scatter
 * the arcs into rows, finish sorting and clean each row, compact the rows
 * to the left. A bucket with more arcs than the scratch holds (hubs) is
 * scattered straight from its blocks and sorted in full instead, and its
 * slice released, not recycled. Returns the arcs kept. */
static uint64_t bucket_rows(struct bz_collect *c, uint32_t k, uint64_t start, uint64_t next,
                            uint64_t *offsets, uint32_t *tg, collect_out *o, collect_scratch *sc,
                            uint64_t *self, uint64_t *dup)
{
    const uint64_t base = (uint64_t)k << c->shift;
    const uint64_t len =
        base + ((uint64_t)1 << c->shift) <= c->n ? (uint64_t)1 << c->shift : c->n - base;
    const uint64_t used = c->used[k], nblk = (used + COLLECT_SEG - 1) / COLLECT_SEG;
    const collect_block *blk = c->blk + (size_t)k * (c->cap / COLLECT_SEG);
    const unsigned ds = c->digit_shift, nd = 1u << c->digit_bits;
    uint64_t *off = offsets + base, *dg = sc->digit;
    memset(off, 0, len * sizeof *off);
    memset(dg, 0, nd * sizeof *dg);
    for (uint64_t b = 0; b < nblk; b++) {
        unsigned fill = block_fill(used, b, nblk);
        for (unsigned j = 0; j < fill; j++) {
            uint32_t v = blk[b].v[j];
            if (v == COLLECT_HOLE) continue;
            off[blk[b].lo[j]]++;
            dg[v >> ds]++;
        }
    }
    uint64_t p = 0;
    for (unsigned d = 0; d < nd; d++) {
        uint64_t x = dg[d];
        dg[d] = p;
        p += x;
    }
    const uint64_t arcs = p;
    if (arcs > sc->size) { /* a bucket of hubs: scatter straight from the blocks */
        row_starts(off, len, start);
        for (uint64_t b = 0; b < nblk; b++) {
            unsigned fill = block_fill(used, b, nblk);
            for (unsigned j = 0; j < fill; j++)
                if (blk[b].v[j] != COLLECT_HOLE) tg[off[blk[b].lo[j]]++] = blk[b].v[j];
        }
        release((void *)blk, nblk * sizeof *blk);
        return bucket_clean(tg, off, base, len, start, 0, self, dup);
    }
    uint64_t *arc = sc->arc;
    for (uint64_t b = 0; b < nblk; b++) {
        unsigned fill = block_fill(used, b, nblk);
        for (unsigned j = 0; j < fill; j++) {
            uint32_t v = blk[b].v[j];
            if (v != COLLECT_HOLE) arc[dg[v >> ds]++] = (uint64_t)blk[b].lo[j] << 32 | v;
        }
    }
    if (o->map)
        recycle(o, (collect_block *)blk, nblk, start, next);
    else
        release((void *)blk, nblk * sizeof *blk);
    int failed;
#pragma omp atomic read
    failed = o->failed;
    if (failed) return 0; /* targets[] has a hole: the build fails */
    row_starts(off, len, start);
    for (uint64_t a = 0; a < arcs; a++)
        tg[off[arc[a] >> 32]++] = (uint32_t)arc[a];
    return bucket_clean(tg, off, base, len, start, 1, self, dup);
}

int bz_collect_finish(struct bz_collect *c, bz_layer *out, uint64_t *self_out, uint64_t *dup_out,
                      bz_error *err)
{
    int status = BZ_OK;
    const uint32_t nb = c->nb;
    uint64_t *start = malloc(((size_t)nb + 1) * sizeof *start);
    uint64_t *kept = malloc((size_t)nb * sizeof *kept);
    collect_scratch *scratch = calloc((size_t)c->nthreads, sizeof *scratch);
    if (!start || !kept || !scratch) {
        bz_error_oom(err, NULL,
                     ((size_t)nb + 1) * sizeof *start + (size_t)nb * sizeof *kept +
                         (size_t)c->nthreads * sizeof *scratch,
                     "the starts of %u buckets", nb);
        status = bz_error_prefix(err, "layer '%s': ", out->name);
        goto cleanup;
    }
    /* Flush each thread's partly filled blocks (holes in the unfilled
     * slots), mark the rest of its claimed ranges as holes, and count the
     * arcs per bucket, holes excluded. */
    memset(kept, 0, (size_t)nb * sizeof *kept); /* the holes, for now */
    for (int t = 0; t < c->nthreads; t++) {
        collect_stage *st = &c->stage[t];
        for (uint32_t k = 0; k < nb; k++) {
            unsigned f = st->fill[k];
            collect_range *r = &st->claim[k];
            if (f) {
                uint64_t *arc = st->arc + (size_t)k * COLLECT_SEG;
                for (unsigned j = f; j < COLLECT_SEG; j++)
                    arc[j] = COLLECT_HOLE;
                flush(c, r, k, arc);
                kept[k] += COLLECT_SEG - f;
                st->fill[k] = 0;
            }
            for (uint64_t i = r->cur; i < r->end; i++)
                slot_write(c, (size_t)k * c->cap + i, 0, COLLECT_HOLE);
            kept[k] += r->end - r->cur;
            r->cur = r->end = 0;
        }
    }
    if (c->overflow) goto cleanup; /* those last blocks overflowed: the caller falls back */
    start[0] = 0;
    uint64_t largest = 0;
    for (uint32_t k = 0; k < nb; k++) {
        uint64_t arcs = c->used[k] - kept[k];
        start[k + 1] = start[k] + arcs;
        if (arcs > largest) largest = arcs;
    }
    const uint64_t total = start[nb];
    size_t nbytes = ((size_t)c->n + 1) * sizeof *out->offsets;
    out->offsets = malloc(nbytes);
    collect_out o = {NULL, 0, 0, 0};
#if defined(__linux__)
    if (nb <= COLLECT_RECYCLE_MAX_BUCKETS && total <= SIZE_MAX / 8) {
        size_t bytes = (total * sizeof(uint32_t) + COLLECT_PAGE - 1) / COLLECT_PAGE * COLLECT_PAGE;
        void *m = mmap(NULL, bytes ? bytes : COLLECT_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m != MAP_FAILED) {
            o.map = m;
            o.bytes = bytes ? bytes : COLLECT_PAGE;
            out->targets = m;
            out->targets_mapped = o.bytes;
        }
    }
#endif
    if (!o.map)
        out->targets = total <= SIZE_MAX / sizeof(uint32_t)
                           ? malloc(total ? (size_t)total * sizeof(uint32_t) : 1)
                           : NULL;
    if (!out->offsets || !out->targets) {
        bz_error_oom(err, NULL, nbytes + (o.map ? 0 : bz_error_bytes(total, sizeof(uint32_t))),
                     "%llu arcs and %u agents", (unsigned long long)total, c->n);
        status = bz_error_prefix(err, "layer '%s': ", out->name);
        goto cleanup;
    }
    const int team = c->nthreads;
    /* Scratch for the typical bucket, not for a bucket of hubs: at most
     * four times the mean bucket and COLLECT_SCRATCH arcs, unless a test
     * set a limit. */
    uint64_t room = 4 * (start[nb] / nb + 1);
    if (room < COLLECT_SCRATCH) room = COLLECT_SCRATCH;
    if (room > c->scratch_max) room = c->scratch_max;
    if (largest > room) largest = room;
    for (int t = 0; t < team; t++) {
        scratch[t].size = largest;
        scratch[t].arc = malloc((largest ? largest : 1) * sizeof *scratch[t].arc);
        if (!scratch[t].arc) {
            bz_error_oom(err, NULL, (largest ? largest : 1) * sizeof *scratch[t].arc,
                         "%llu arcs of scratch per thread", (unsigned long long)largest);
            status = bz_error_prefix(err, "layer '%s': ", out->name);
            goto cleanup;
        }
    }

    uint64_t self = 0, dup = 0;
    uint64_t *offsets = out->offsets;
    uint32_t *tg = out->targets;
#pragma omp parallel for num_threads(team) schedule(dynamic, 1) reduction(+ : self, dup)
    for (int64_t k = 0; k < (int64_t)nb; k++)
        kept[k] = bucket_rows(c, (uint32_t)k, start[k], start[k + 1], offsets, tg, &o,
                              &scratch[omp_get_thread_num()], &self, &dup);
    if (o.failed) {
        status = bz_error_set(err, BZ_ENOMEM,
                              "layer '%s': out of memory mappings while building %llu arcs "
                              "(see vm.max_map_count)",
                              out->name, (unsigned long long)total);
        goto cleanup;
    }

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
    if (o.map) { /* give back the whole pages past the end */
        size_t keep = (w * sizeof *tg + COLLECT_PAGE - 1) / COLLECT_PAGE * COLLECT_PAGE;
        if (keep == 0) keep = COLLECT_PAGE;
        if (keep < o.bytes && munmap(o.map + keep, o.bytes - keep) == 0) out->targets_mapped = keep;
    } else if (w < total) {
        uint32_t *shrunk = realloc(out->targets, w ? (size_t)w * sizeof *tg : 1);
        if (shrunk) out->targets = shrunk; /* a failed shrink keeps the larger block */
    }
    out->m = w;
    *self_out = self;
    *dup_out = dup;
    c->recycled = o.moved;

cleanup:
    if (scratch)
        for (int t = 0; t < c->nthreads; t++)
            free(scratch[t].arc);
    free(start);
    free(kept);
    free(scratch);
    return status;
}

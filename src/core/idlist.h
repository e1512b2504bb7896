/* A list of agent ids that many threads append to at once without
 * contending on one counter: each thread reserves blocks of BZ_IDLIST_BLOCK
 * slots with one atomic add and fills them through its own cursor. Slots a
 * thread reserved but did not fill hold BZ_IDLIST_HOLE, which readers skip
 * (or, after sorting, cut off: holes sort last).
 *
 * Capacity: at most `limit` distinct appends plus one partly filled block per
 * thread, so ids[] needs limit + threads * BZ_IDLIST_BLOCK slots.
 */
#ifndef BZ_IDLIST_H
#define BZ_IDLIST_H

#include <stdint.h>
#include <string.h>

#define BZ_IDLIST_BLOCK 256
#define BZ_IDLIST_HOLE UINT32_MAX

typedef struct bz_idlist {
    uint32_t *ids;
    uint64_t reserved; /* slots handed out so far: readers scan [0, reserved) */
} bz_idlist;

/* One thread's cursor into its current block; padded to a cache line. */
typedef struct bz_idcursor {
    uint64_t pos, end;
    char pad[48];
} bz_idcursor;

static inline void bz_idlist_append(bz_idlist *l, bz_idcursor *c, uint32_t id)
{
    if (c->pos == c->end) {
        uint64_t base;
#pragma omp atomic capture
        {
            base = l->reserved;
            l->reserved += BZ_IDLIST_BLOCK;
        }
        /* Fill the block with holes first, so slots never written read as
         * holes whatever happens later. */
        for (uint64_t i = 0; i < BZ_IDLIST_BLOCK; i++)
            l->ids[base + i] = BZ_IDLIST_HOLE;
        c->pos = base;
        c->end = base + BZ_IDLIST_BLOCK;
    }
    l->ids[c->pos++] = id;
}

/* Empty the list and every cursor (serial). */
static inline void bz_idlist_reset(bz_idlist *l, bz_idcursor *cursors, int n_cursors)
{
    l->reserved = 0;
    memset(cursors, 0, (size_t)n_cursors * sizeof *cursors);
}

#endif

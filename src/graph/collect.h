/* The one-pass layer builder (collect.c): used by bz_layer_build for
 * generators marked single_pass; see collect.c for the design and its
 * memory. Internal to src/graph/. */
#ifndef BZ_COLLECT_H
#define BZ_COLLECT_H

#include <stdint.h>

#include "base/error.h"
#include "graph/graph.h"

/* A collector for a layer of n agents, for emitters on the calling thread
 * or its next OpenMP level, holding up to max_slots arcs per bucket (0: as
 * many as the address space allows; tests pass a few thousand to see an
 * overflow). NULL when the address space cannot be reserved or memory is
 * short (the caller builds in two passes instead). */
struct bz_collect *bz_collect_new(uint32_t n, uint64_t max_slots);
void bz_collect_free(struct bz_collect *c); /* NULL is fine */

/* Non-zero when some bucket outgrew its slice: arcs were dropped, so the
 * collector cannot finish and the caller must build in two passes. */
int bz_collect_overflowed(const struct bz_collect *c);

/* After bz_collect_finish: bytes of targets[] that live on the collected
 * arcs' own pages, moved rather than faulted in fresh (0 off Linux). */
uint64_t bz_collect_recycled(const struct bz_collect *c);

/* Arcs of finishing scratch per thread at most (by default the larger of
 * 2^20 and four times the mean bucket): larger buckets (hubs) are
 * scattered straight from their arcs and sorted in full. Tests lower it to
 * take that path. */
void bz_collect_set_scratch(struct bz_collect *c, uint64_t arcs);

/* After the generator returned: allocate out->offsets and out->targets,
 * sort, clean and compact every row, set out->m, and add the arcs dropped as
 * self-loops and repeats to *self and *dup. Each bucket's collected arcs
 * are released as soon as its rows are written. On failure out's arrays
 * are left for the caller to free. When flushing the threads' last staged
 * arcs overflows a bucket, it returns BZ_OK with nothing built and
 * bz_collect_overflowed() true. Cost: O(m + n + rows' sorting). */
int bz_collect_finish(struct bz_collect *c, bz_layer *out, uint64_t *self, uint64_t *dup,
                      bz_error *err);

#endif

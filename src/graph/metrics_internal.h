/* Internal to src/graph/metrics*.c: the undirected view of a layer. */
#ifndef BZ_METRICS_INTERNAL_H
#define BZ_METRICS_INTERNAL_H

#include "base/error.h"
#include "graph/graph.h"

/* CSR of the undirected view: the layer's own arrays for undirected layers
 * (own = 0), for directed layers the sorted union of out- and in-rows, built
 * in O(n + m) with 8 bytes per agent + 4 per arc of transient workspace. */
typedef struct bz_mview {
    uint32_t n;
    int own;
    uint64_t *offsets;
    uint32_t *targets;
} bz_mview;

/* Not for complete layers. On failure *v is left empty. */
int bz_mview_init(bz_mview *v, const bz_layer *l, bz_error *err);
/* Safe twice and on a zeroed view. */
void bz_mview_destroy(bz_mview *v);

#endif

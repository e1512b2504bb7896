/* Sorting and cleaning CSR rows: shared by the two-pass and the one-pass
 * layer builders (build.c, collect.c). */
#ifndef BZ_ROWSORT_H
#define BZ_ROWSORT_H

#include <stdint.h>

/* Sort row[0..len) ascending in place, drop self-loops (value u) and
 * repeats; return the new length and add the dropped arcs to *self and
 * *dup. No allocation; O(len log len), O(len) for rows already sorted. */
uint64_t bz_row_clean(uint32_t *row, uint64_t len, uint32_t u, uint64_t *self, uint64_t *dup);

#endif

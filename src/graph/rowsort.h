/* Sorting and cleaning CSR rows: shared by the two-pass and the one-pass
 * layer builders (build.c, collect.c). */
#ifndef BZ_ROWSORT_H
#define BZ_ROWSORT_H

#include <stdint.h>

/* Sort row[0..len) ascending in place, drop self-loops (value u) and
 * repeats; return the new length and add the dropped arcs to *self and
 * *dup. No allocation; O(len log len), O(len) for rows already sorted. */
uint64_t bz_row_clean(uint32_t *row, uint64_t len, uint32_t u, uint64_t *self, uint64_t *dup);

/* Sort row[0..len) ascending in place (no cleaning). */
void bz_row_sort(uint32_t *row, uint64_t len);

/* The same for a row that is sorted but for a few inversions (the
 * collector's rows, ordered by their values' top bits): insertion sort,
 * O(len + inversions), up to 1024 values; bz_row_sort above. */
void bz_row_sort_nearly(uint32_t *row, uint64_t len);

/* bz_row_clean for a row already sorted: O(len). */
uint64_t bz_row_clean_sorted(uint32_t *row, uint64_t len, uint32_t u, uint64_t *self,
                             uint64_t *dup);

#endif

/* Row sorting and cleaning for the layer builders (contract in rowsort.h). */
#include <stddef.h>

#include "graph/rowsort.h"

/* ---- Sorting rows of uint32 ---------------------------------------------
 * Rows are small on average (mean degree) but hubs can hold 1e5+ arcs, so:
 * insertion sort up to SMALL, quicksort (median of three) up to MEDIUM, and
 * an in-place MSD radix sort (American flag sort, 8-bit digits) above, which
 * is also the fallback when quicksort recurses too deep. No scratch memory. */
enum { SORT_SMALL = 24, SORT_MEDIUM = 2048 };
enum { SORT_NEARLY = 1024 }; /* bz_row_sort_nearly: insertion sort up to this */

static void sort_rows_u32(uint32_t *a, size_t n);

static void insertion_sort_u32(uint32_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* In-place MSD radix sort of a[0..n) on bits [0, shift + 8). */
static void radix_sort_u32(uint32_t *a, size_t n, int shift)
{
    size_t count[256] = {0};
    size_t head[256], tail[256];
    for (size_t i = 0; i < n; i++)
        count[(a[i] >> shift) & 0xFFu]++;
    size_t pos = 0;
    for (int b = 0; b < 256; b++) {
        head[b] = pos;
        pos += count[b];
        tail[b] = pos;
    }
    /* Cycle leader permutation: place each element into its bucket. */
    for (int b = 0; b < 256; b++) {
        while (head[b] < tail[b]) {
            uint32_t x = a[head[b]];
            unsigned d = (x >> shift) & 0xFFu;
            while ((int)d != b) {
                uint32_t y = a[head[d]];
                a[head[d]++] = x;
                x = y;
                d = (x >> shift) & 0xFFu;
            }
            a[head[b]++] = x;
        }
    }
    if (shift == 0) return; /* each bucket holds equal values */
    size_t start = 0;
    for (int b = 0; b < 256; b++) {
        size_t len = count[b];
        if (len > SORT_MEDIUM)
            radix_sort_u32(a + start, len, shift - 8 < 0 ? 0 : shift - 8);
        else if (len > 1)
            sort_rows_u32(a + start, len);
        start += len;
    }
}

static void radix_sort_top(uint32_t *a, size_t n)
{
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (a[i] > max) max = a[i];
    int bits = 0;
    while (bits < 32 && (max >> bits) != 0)
        bits++;
    radix_sort_u32(a, n, bits > 8 ? bits - 8 : 0);
}

static void quick_sort_u32(uint32_t *a, size_t n, int depth)
{
    while (n > SORT_SMALL) {
        if (depth-- == 0) {
            radix_sort_top(a, n); /* bounded worst case */
            return;
        }
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) { /* Hoare partition */
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j) break;
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j + 1, n): recurse into the smaller part. */
        size_t left = j + 1, right = n - left;
        if (left < right) {
            quick_sort_u32(a, left, depth);
            a += left;
            n = right;
        } else {
            quick_sort_u32(a + left, right, depth);
            n = left;
        }
    }
    insertion_sort_u32(a, n);
}

static void sort_rows_u32(uint32_t *a, size_t n)
{
    if (n <= SORT_SMALL)
        insertion_sort_u32(a, n);
    else if (n <= SORT_MEDIUM)
        quick_sort_u32(a, n, 48);
    else
        radix_sort_top(a, n);
}

void bz_row_sort(uint32_t *row, uint64_t len)
{
    if (len > 1) sort_rows_u32(row, (size_t)len);
}

void bz_row_sort_nearly(uint32_t *row, uint64_t len)
{
    if (len > SORT_NEARLY)
        bz_row_sort(row, len);
    else
        insertion_sort_u32(row, (size_t)len);
}

uint64_t bz_row_clean_sorted(uint32_t *row, uint64_t len, uint32_t u, uint64_t *self, uint64_t *dup)
{
    uint64_t w = 0, s = 0, d = 0;
    for (uint64_t i = 0; i < len; i++) {
        uint32_t v = row[i];
        if (v == u)
            s++;
        else if (w > 0 && row[w - 1] == v)
            d++;
        else
            row[w++] = v;
    }
    *self += s;
    *dup += d;
    return w;
}

uint64_t bz_row_clean(uint32_t *row, uint64_t len, uint32_t u, uint64_t *self, uint64_t *dup)
{
    bz_row_sort(row, len);
    return bz_row_clean_sorted(row, len, u, self, dup);
}

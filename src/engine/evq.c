/* The event calendar: coarse buckets, a sorted run and a heap of events due
 * soon (see engine/evq.h). */
#include "engine/evq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUCKETS (1u << 24)
#define INSERTION_MAX 24 /* sub-buckets larger than this are sorted by qsort */

int bz_evq_init(bz_evq *q, double span, size_t buckets, bz_error *err)
{
    *q = (bz_evq){0};
    if (!(span > 0) || !isfinite(span))
        return bz_error_set(err, BZ_EINVAL, "event calendar: span must be finite and > 0, got %g",
                            span);
    if (buckets < 1) buckets = 1;
    if (buckets > MAX_BUCKETS) buckets = MAX_BUCKETS;
    q->nb = (uint32_t)buckets;
    q->scale = (double)q->nb / span;
    q->cap = 64;
    q->h = malloc(q->cap * sizeof *q->h);
    q->bucket = calloc(q->nb, sizeof *q->bucket);
    if (!q->h || !q->bucket) {
        bz_evq_destroy(q);
        return bz_error_oom(err, NULL, 64 * sizeof *q->h + buckets * sizeof *q->bucket,
                            "an event calendar of %zu buckets", buckets);
    }
    return BZ_OK;
}

void bz_evq_destroy(bz_evq *q)
{
    if (!q) return;
    free(q->h);
    free(q->run);
    free(q->cnt);
    for (uint32_t b = 0; q->bucket && b < q->nb; b++)
        free(q->bucket[b].e);
    free(q->bucket);
    *q = (bz_evq){0};
}

static inline uint32_t bucket_of(const bz_evq *q, double t)
{
    const double b = t * q->scale;
    if (!(b >= 1)) return 0; /* also NaN */
    return b >= (double)q->nb ? q->nb - 1 : (uint32_t)b;
}

static int heap_push(bz_evq *q, bz_event e)
{
    if (q->n == q->cap) {
        size_t cap = 2 * q->cap;
        bz_event *h = realloc(q->h, cap * sizeof *h);
        if (!h) {
            q->want = cap * sizeof *h;
            return BZ_ENOMEM;
        }
        q->h = h;
        q->cap = cap;
    }
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!bz_event_before(&e, &q->h[parent])) break;
        q->h[i] = q->h[parent];
        i = parent;
    }
    q->h[i] = e;
    return BZ_OK;
}

void bz_evq_heap_pop(bz_evq *q, bz_event *out)
{
    *out = q->h[0];
    const bz_event last = q->h[--q->n];
    const size_t n = q->n;
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1;
        if (c >= n) break;
        size_t best = c, end = c + 4 < n ? c + 4 : n;
        for (size_t j = c + 1; j < end; j++)
            if (bz_event_before(&q->h[j], &q->h[best])) best = j;
        if (!bz_event_before(&q->h[best], &last)) break;
        q->h[i] = q->h[best];
        i = best;
    }
    if (n > 0) q->h[i] = last;
}

int bz_evq_push(bz_evq *q, double t, uint64_t key)
{
    const bz_event e = {t, key};
    const uint32_t b = bucket_of(q, t);
    if (b < q->loaded) return heap_push(q, e);
    bz_evq_bucket *bk = &q->bucket[b];
    if (bk->n == bk->cap) {
        const uint64_t cap = bk->cap ? 2ull * bk->cap : 16;
        bz_event *p = cap <= UINT32_MAX ? realloc(bk->e, (size_t)cap * sizeof *p) : NULL;
        if (!p) {
            q->want = (size_t)cap * sizeof *p;
            return BZ_ENOMEM;
        }
        bk->e = p;
        bk->cap = (uint32_t)cap;
    }
    bk->e[bk->n++] = e;
    q->far++;
    return BZ_OK;
}

static int cmp_event(const void *a, const void *b)
{
    const bz_event *x = a, *y = b;
    return bz_event_before(x, y) ? -1 : bz_event_before(y, x) ? 1 : 0;
}

/* Room for k events in run, and m + 1 counters. */
static int reserve(bz_evq *q, size_t k, size_t m)
{
    if (k > q->run_cap) {
        size_t cap = q->run_cap ? q->run_cap : 256;
        while (cap < k)
            cap *= 2;
        bz_event *r = realloc(q->run, cap * sizeof *r);
        if (!r) {
            q->want = cap * sizeof *r;
            return BZ_ENOMEM;
        }
        q->run = r;
        q->run_cap = cap;
    }
    if (m + 1 > q->cnt_cap) {
        uint32_t *c = realloc(q->cnt, (m + 1) * sizeof *c);
        if (!c) {
            q->want = (m + 1) * sizeof *c;
            return BZ_ENOMEM;
        }
        q->cnt = c;
        q->cnt_cap = m + 1;
    }
    return BZ_OK;
}

/* Load the next non-empty bucket into the run (the run is used up). */
static void load(bz_evq *q)
{
    while (q->far > 0) {
        const uint32_t b = q->loaded;
        bz_evq_bucket *bk = &q->bucket[b];
        const size_t k = bk->n;
        if (k == 0) {
            q->loaded++;
            continue;
        }
        /* Sub-buckets: a power of two near k / 2. */
        size_t m = 1;
        while (m < k / 2)
            m *= 2;
        if (reserve(q, k, m) != BZ_OK) {
            q->failed = 1;
            return;
        }
        const bz_event *src = bk->e;
        q->far -= k;
        q->loaded = b + 1;
        /* Counting sort by sub-bucket: f = floor((t scale - b) m), clamped
         * (monotone in t, so sub-buckets are in time order). */
        const double fm = (double)m;
        memset(q->cnt, 0, (m + 1) * sizeof *q->cnt);
        for (size_t j = 0; j < k; j++) {
            double f = (src[j].t * q->scale - (double)b) * fm;
            size_t fi = !(f >= 0) ? 0 : f >= fm ? m - 1 : (size_t)f;
            q->cnt[fi + 1]++;
        }
        for (size_t j = 0; j < m; j++)
            q->cnt[j + 1] += q->cnt[j];
        for (size_t j = 0; j < k; j++) {
            double f = (src[j].t * q->scale - (double)b) * fm;
            size_t fi = !(f >= 0) ? 0 : f >= fm ? m - 1 : (size_t)f;
            q->run[q->cnt[fi]++] = src[j];
        }
        free(bk->e);
        *bk = (bz_evq_bucket){0};
        /* cnt[j] is now the end of sub-bucket j: finish each. */
        size_t start = 0;
        for (size_t j = 0; j < m; j++) {
            const size_t end = q->cnt[j], len = end - start;
            if (len > INSERTION_MAX) {
                qsort(q->run + start, len, sizeof *q->run, cmp_event);
            } else {
                for (size_t x = start + 1; x < end; x++) {
                    const bz_event e = q->run[x];
                    size_t y = x;
                    while (y > start && bz_event_before(&e, &q->run[y - 1])) {
                        q->run[y] = q->run[y - 1];
                        y--;
                    }
                    q->run[y] = e;
                }
            }
            start = end;
        }
        q->pos = 0;
        q->run_n = k;
        return;
    }
}

double bz_evq_next_time(bz_evq *q)
{
    if (q->pos == q->run_n && q->n == 0) {
        q->pos = q->run_n = 0;
        if (!q->failed) load(q);
    }
    const double a = q->pos < q->run_n ? q->run[q->pos].t : INFINITY;
    const double h = q->n ? q->h[0].t : INFINITY;
    return a < h ? a : h;
}

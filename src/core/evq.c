/* 4-ary min-heap of events (see core/evq.h). */
#include "core/evq.h"

#include <math.h>
#include <stdlib.h>

static inline int before(const bz_event *a, const bz_event *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

int bz_evq_init(bz_evq *q, size_t cap, bz_error *err)
{
    q->n = 0;
    q->cap = cap < 16 ? 16 : cap;
    q->h = malloc(q->cap * sizeof *q->h);
    if (!q->h) {
        q->cap = 0;
        return bz_error_set(err, BZ_ENOMEM, "out of memory for an event queue of %zu events", cap);
    }
    return BZ_OK;
}

void bz_evq_destroy(bz_evq *q)
{
    if (!q) return;
    free(q->h);
    q->h = NULL;
    q->n = q->cap = 0;
}

int bz_evq_push(bz_evq *q, double t, uint64_t key)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 16;
        bz_event *h = realloc(q->h, cap * sizeof *h);
        if (!h) return BZ_ENOMEM;
        q->h = h;
        q->cap = cap;
    }
    const bz_event e = {t, key};
    size_t i = q->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!before(&e, &q->h[parent])) break;
        q->h[i] = q->h[parent];
        i = parent;
    }
    q->h[i] = e;
    return BZ_OK;
}

void bz_evq_pop(bz_evq *q, bz_event *out)
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
            if (before(&q->h[j], &q->h[best])) best = j;
        if (!before(&q->h[best], &last)) break;
        q->h[i] = q->h[best];
        i = best;
    }
    if (n > 0) q->h[i] = last;
}

double bz_evq_next_time(const bz_evq *q)
{
    return q->n ? q->h[0].t : INFINITY;
}

/* The event calendar of one simulation: an exact priority queue of
 * (time, key), built as a two-level calendar (a "ladder").
 *
 * Events are ordered by time, then by key, so the order of events that fall
 * at exactly the same time is a pure function of the events themselves, not
 * of the order they were scheduled in. The key packs what the event is:
 *     key = kind << 56 | aux << 32 | agent
 * (kind 8 bits, aux 24 bits, agent 32 bits); see engine/sim.h for the kinds.
 * Entries never change once pushed: an event that became stale (the agent
 * changed state first) stays and is recognised as stale when it is popped
 * (models keep a version per agent, carried in aux).
 *
 * Structure. [0, span) is cut into `nb` coarse buckets of equal width;
 * bucket(t) = floor(t nb / span), clamped to [0, nb - 1], is monotone in t.
 * A push into a bucket not yet loaded appends to that bucket's array
 * (grown by doubling): with a few thousand buckets the ends being written
 * stay in cache, so a push costs a few nanoseconds whatever the number of
 * pending events, and loading reads each array in order. When the events
 * loaded so far are used up, the next non-empty bucket is loaded:
 * counting-sorted into fine sub-buckets by time and each sub-bucket
 * finished by insertion sort (a comparison sort for large ones), giving one
 * sorted run consumed in order. Pushes into a bucket already loaded (events
 * due soon) go to a small 4-ary heap; a pop takes the earlier of the run's
 * next event and the heap's top. Every event of a bucket not yet loaded is
 * later than every loaded one, so pops come out in exactly the order of
 * one global heap, whatever the bucket width (tested against sorting).
 *
 * Cost: push O(1) (O(log h) into the heap of h events due soon); pop O(1)
 * from the run, O(log h) from the heap; loading O(k) expected for a bucket
 * of k events spread in time, O(k log k) at worst (events at one instant).
 * Because the run is sorted, the events due next are known in advance
 * (bz_evq_ahead), so a caller can prefetch what they will touch.
 * Memory: 16 to 32 bytes per pending event (arrays grow by doubling), 16
 * bytes per bucket, 20 bytes per event of the largest bucket loaded.
 */
#ifndef BZ_EVQ_H
#define BZ_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

typedef struct bz_event {
    double t;
    uint64_t key;
} bz_event;

typedef struct bz_evq_bucket {
    bz_event *e; /* events, unsorted; NULL when empty */
    uint32_t n, cap;
} bz_evq_bucket;

typedef struct bz_evq {
    /* events due soon: a 4-ary min-heap of those pushed into loaded buckets */
    bz_event *h;
    size_t n, cap;
    /* the sorted run of the last loaded bucket, consumed from pos */
    bz_event *run;
    size_t pos, run_n, run_cap;
    uint32_t *cnt; /* [cnt_cap] sub-bucket counts */
    size_t cnt_cap;
    /* buckets not yet loaded */
    double scale;          /* nb / span */
    uint32_t nb, loaded;   /* buckets; buckets 0 .. loaded - 1 are loaded */
    bz_evq_bucket *bucket; /* [nb] */
    size_t far;            /* events in buckets not yet loaded */
    int failed;            /* out of memory loading a bucket (see bz_evq_next_time) */
    size_t want;           /* bytes asked for by the last allocation that failed */
} bz_evq;

static inline uint64_t bz_event_key(unsigned kind, uint32_t aux, uint32_t agent)
{
    return (uint64_t)(kind & 0xFFu) << 56 | (uint64_t)(aux & 0xFFFFFFu) << 32 | agent;
}
static inline unsigned bz_event_kind(uint64_t key)
{
    return (unsigned)(key >> 56);
}
static inline uint32_t bz_event_aux(uint64_t key)
{
    return (uint32_t)(key >> 32) & 0xFFFFFFu;
}
static inline uint32_t bz_event_agent(uint64_t key)
{
    return (uint32_t)key;
}

/* An empty calendar of `buckets` coarse buckets (clamped to [1, 2^24]) over
 * [0, span) (span finite and > 0; events at or after span all go to the
 * last bucket, still in order). BZ_EINVAL, BZ_ENOMEM; bz_evq_destroy either
 * way. */
int bz_evq_init(bz_evq *q, double span, size_t buckets, bz_error *err);
void bz_evq_destroy(bz_evq *q);

/* Add an event. BZ_ENOMEM if the heap or a bucket cannot grow (the
 * calendar is unchanged). */
int bz_evq_push(bz_evq *q, double t, uint64_t key);

/* Time of the earliest event; +inf when empty. Loads the next bucket when
 * the loaded events are used up (the order of pops does not change). Also
 * +inf, with q->failed set, when loading runs out of memory (the bucket is
 * kept): the caller must check q->failed. */
double bz_evq_next_time(bz_evq *q);

/* Remove the earliest event into *e. Only right after bz_evq_next_time
 * returned a finite time. */
static inline void bz_evq_pop(bz_evq *q, bz_event *e);

/* Key of the event d places after the next one in the sorted run (events
 * due soon in the heap not counted), or 0 when the run is shorter: a hint
 * for prefetching, never a promise of order. */
static inline uint64_t bz_evq_ahead(const bz_evq *q, size_t d)
{
    return q->pos + d < q->run_n ? q->run[q->pos + d].key : 0;
}

static inline int bz_evq_empty(const bz_evq *q)
{
    return q->n == 0 && q->pos == q->run_n && q->far == 0;
}

/* Pending events. */
static inline size_t bz_evq_size(const bz_evq *q)
{
    return q->n + (q->run_n - q->pos) + q->far;
}

/* ---- inline pop (the hot path) ---- */

static inline int bz_event_before(const bz_event *a, const bz_event *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

void bz_evq_heap_pop(bz_evq *q, bz_event *e);

static inline void bz_evq_pop(bz_evq *q, bz_event *e)
{
    if (q->pos < q->run_n && (q->n == 0 || bz_event_before(&q->run[q->pos], &q->h[0])))
        *e = q->run[q->pos++];
    else
        bz_evq_heap_pop(q, e);
}

#endif

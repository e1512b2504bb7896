/* The event calendar of one simulation: a 4-ary min-heap of (time, key).
 *
 * Events are ordered by time, then by key, so the order of events that fall
 * at exactly the same time is a pure function of the events themselves, not
 * of the order they were scheduled in. The key packs what the event is:
 *     key = kind << 56 | aux << 32 | agent
 * (kind 8 bits, aux 24 bits, agent 32 bits); see core/sim.h for the kinds.
 * Entries never change once pushed: an event that became stale (the agent
 * changed state first) stays and is recognised as stale when it is popped
 * (models keep a version per agent, carried in aux).
 *
 * Cost: push and pop O(log_4 n); 16 bytes per pending event. The children
 * of a node are 4 consecutive entries of one 64-byte cache line.
 */
#ifndef BZ_EVQ_H
#define BZ_EVQ_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

typedef struct bz_event {
    double t;
    uint64_t key;
} bz_event;

typedef struct bz_evq {
    bz_event *h; /* h[0] is the earliest */
    size_t n, cap;
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

/* An empty queue with room for `cap` events (at least 16). BZ_ENOMEM. */
int bz_evq_init(bz_evq *q, size_t cap, bz_error *err);
void bz_evq_destroy(bz_evq *q);

/* Add an event; grows the heap (doubling) when full. BZ_ENOMEM if it
 * cannot grow (the queue is unchanged). */
int bz_evq_push(bz_evq *q, double t, uint64_t key);

/* Remove the earliest event into *e. The queue must not be empty. */
void bz_evq_pop(bz_evq *q, bz_event *e);

static inline int bz_evq_empty(const bz_evq *q)
{
    return q->n == 0;
}

/* Time of the earliest event; +inf when empty. */
double bz_evq_next_time(const bz_evq *q);

#endif

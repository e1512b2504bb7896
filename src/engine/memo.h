/* Memo of one world: values computed once per network and shared by every
 * simulation that runs on it (the replicates of a shared network, every arm
 * of a replicate), e.g. the greedy KOL selection of kol_seeding.
 *
 * A value is found by its key (bytes compared exactly: a campaign type's
 * name and its zero-initialised parameter struct) and must be a function of
 * the key, the experiment and the world only, never of the replicate, the
 * arm or the thread: then the simulations that read it give the same results
 * for any thread count and any order of the tasks. The first caller computes
 * it while holding the memo's lock (other callers of any key wait; a
 * computation inside a simulation task runs on that task's thread), later
 * callers get the same pointer. A failed computation is not kept: the next
 * caller tries again and gets the error again.
 */
#ifndef BZ_MEMO_H
#define BZ_MEMO_H

#include <stddef.h>

#include "base/error.h"

typedef struct bz_memo bz_memo;

/* BZ_ENOMEM. */
int bz_memo_create(bz_memo **m, bz_error *err);
/* Frees every value with its drop function. NULL is a no-op. */
void bz_memo_destroy(bz_memo *m);

/* Compute *value for ctx; returns a status. */
typedef int (*bz_memo_make)(void *ctx, void **value, bz_error *err);

/* The value of key[len] in m, computed by make(ctx) the first time (drop
 * frees it when m is destroyed; may be NULL). Errors: make's, BZ_ENOMEM. */
int bz_memo_get(bz_memo *m, const void *key, size_t len, bz_memo_make make, void *ctx,
                void (*drop)(void *), void **value, bz_error *err);

#endif

/* Memo of one world (memo.h): a list under one OpenMP lock (a handful of
 * entries: one per distinct campaign that asks). */
#include "engine/memo.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
    struct memo_entry *next;
    void *key;
    size_t len;
    void *value;
    void (*drop)(void *);
} memo_entry;

struct bz_memo {
    omp_lock_t lock;
    memo_entry *head;
};

int bz_memo_create(bz_memo **m, bz_error *err)
{
    if (!(*m = calloc(1, sizeof **m))) return bz_error_oom(err, NULL, sizeof **m, "a memo table");
    omp_init_lock(&(*m)->lock);
    return BZ_OK;
}

void bz_memo_destroy(bz_memo *m)
{
    if (!m) return;
    for (memo_entry *e = m->head, *next; e; e = next) {
        next = e->next;
        if (e->drop) e->drop(e->value);
        free(e->key);
        free(e);
    }
    omp_destroy_lock(&m->lock);
    free(m);
}

int bz_memo_get(bz_memo *m, const void *key, size_t len, bz_memo_make make, void *ctx,
                void (*drop)(void *), void **value, bz_error *err)
{
    int status = BZ_OK;
    omp_set_lock(&m->lock);
    memo_entry *e = m->head;
    for (; e; e = e->next)
        if (e->len == len && memcmp(e->key, key, len) == 0) break;
    if (e) {
        *value = e->value;
        goto cleanup;
    }
    if (!(e = calloc(1, sizeof *e)) || !(e->key = malloc(len ? len : 1))) {
        size_t bytes = e ? (len ? len : 1) : sizeof *e;
        free(e);
        BZ_FAIL_OOM(err, NULL, bytes, "a memo entry with a %zu-byte key", len);
    }
    memcpy(e->key, key, len);
    e->len = len;
    e->drop = drop;
    status = make(ctx, &e->value, err);
    if (status != BZ_OK) {
        free(e->key);
        free(e);
        goto cleanup;
    }
    e->next = m->head;
    m->head = e;
    *value = e->value;
cleanup:
    omp_unset_lock(&m->lock);
    return status;
}

/* A small JSON writer building a malloc'd string (`buzzsim schema`'s JSON
 * Schemas: src/config/schema.c, src/sweep/schema.c).
 *
 * Values are written in document order: open a container with
 * bz_json_begin, write its members (each with its key inside an object,
 * with key NULL inside an array), close it with bz_json_end. Containers are
 * indented two spaces a level; a container begun flat (and everything in
 * it) stays on one line, for short arrays such as enums. Strings are
 * escaped (quotes, backslashes and control characters; UTF-8 passes
 * through); numbers are written as the shortest text that reads back to the
 * same double. A failure (out of memory, nesting deeper than
 * BZ_JSON_DEPTH, a non-finite number) is sticky: later calls do nothing
 * and bz_json_finish reports it.
 */
#ifndef BZ_JSON_H
#define BZ_JSON_H

#include <stdio.h>

#include "base/error.h"

#define BZ_JSON_DEPTH 64

typedef struct bz_json {
    FILE *f; /* open_memstream over text/len */
    char *text;
    size_t len;
    int depth;                  /* containers open */
    char closer[BZ_JSON_DEPTH]; /* '}' or ']' of each open container */
    unsigned char flat[BZ_JSON_DEPTH];
    unsigned char members[BZ_JSON_DEPTH]; /* 1 once the container has a member */
    int failed;                           /* BZ_OK or the first failure's code */
} bz_json;

/* Start an empty document. BZ_ENOMEM if the buffer cannot be made. */
int bz_json_init(bz_json *w, bz_error *err);

/* Open an object ('{') or array ('[') as the next value. */
void bz_json_begin(bz_json *w, const char *key, char bracket, int flat);
/* Close the innermost open container. */
void bz_json_end(bz_json *w);

void bz_json_string(bz_json *w, const char *key, const char *s);
void bz_json_number(bz_json *w, const char *key, double v);
void bz_json_bool(bz_json *w, const char *key, int v);
void bz_json_null(bz_json *w, const char *key);

/* Abandon the document (after a caller's own error): frees the buffer.
 * Safe after bz_json_finish and on a writer whose init failed. */
void bz_json_discard(bz_json *w);

/* End the document: on success *out is the text (NUL-terminated, ending in
 * a newline; the caller frees it). On failure *out is NULL, err says why
 * (`what` names the document in the message) and the buffer is freed.
 * Every container must be closed. */
int bz_json_finish(bz_json *w, const char *what, char **out, bz_error *err);

#endif

/* JSON writer (see json.h): a memory stream, indentation by depth, sticky
 * failures. */
#include "base/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int bz_json_init(bz_json *w, bz_error *err)
{
    memset(w, 0, sizeof *w);
    w->f = open_memstream(&w->text, &w->len);
    if (!w->f) return bz_error_oom(err, NULL, BUFSIZ, "the first buffer of a JSON document");
    return BZ_OK;
}

static void fail(bz_json *w, int code)
{
    if (w->failed == BZ_OK) w->failed = code;
}

static void put(bz_json *w, const char *s)
{
    if (w->failed == BZ_OK && (!w->f || fputs(s, w->f) == EOF)) fail(w, BZ_ENOMEM);
}

static void put_escaped(bz_json *w, const char *s)
{
    char esc[8];
    put(w, "\"");
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            snprintf(esc, sizeof esc, "\\%c", *p);
        } else if (*p == '\n') {
            snprintf(esc, sizeof esc, "\\n");
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
        } else {
            esc[0] = (char)*p;
            esc[1] = '\0';
        }
        put(w, esc);
    }
    put(w, "\"");
}

/* What goes before the next value: the separator from the previous member,
 * a new line and indentation unless flat, and the key inside an object. */
static void lead(bz_json *w, const char *key)
{
    if (w->depth > 0) {
        const int d = w->depth - 1;
        if (w->members[d]) put(w, w->flat[d] ? ", " : ",");
        if (!w->flat[d]) {
            put(w, "\n");
            for (int i = 0; i < w->depth; i++)
                put(w, "  ");
        }
        w->members[d] = 1;
    }
    if (key) {
        put_escaped(w, key);
        put(w, ": ");
    }
}

void bz_json_begin(bz_json *w, const char *key, char bracket, int flat)
{
    if (w->failed != BZ_OK) return;
    if (w->depth >= BZ_JSON_DEPTH || (bracket != '{' && bracket != '[')) {
        fail(w, BZ_EINTERNAL);
        return;
    }
    lead(w, key);
    char open[2] = {bracket, '\0'};
    put(w, open);
    w->closer[w->depth] = bracket == '{' ? '}' : ']';
    w->flat[w->depth] = (unsigned char)(flat || (w->depth > 0 && w->flat[w->depth - 1]));
    w->members[w->depth] = 0;
    w->depth++;
}

void bz_json_end(bz_json *w)
{
    if (w->failed != BZ_OK) return;
    if (w->depth == 0) {
        fail(w, BZ_EINTERNAL);
        return;
    }
    w->depth--;
    if (w->members[w->depth] && !w->flat[w->depth]) {
        put(w, "\n");
        for (int i = 0; i < w->depth; i++)
            put(w, "  ");
    }
    char close[2] = {w->closer[w->depth], '\0'};
    put(w, close);
}

void bz_json_string(bz_json *w, const char *key, const char *s)
{
    if (w->failed != BZ_OK) return;
    lead(w, key);
    put_escaped(w, s);
}

void bz_json_number(bz_json *w, const char *key, double v)
{
    char buf[40];
    if (w->failed != BZ_OK) return;
    if (!isfinite(v)) {
        fail(w, BZ_EINTERNAL);
        return;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        int prec = 1;
        do
            snprintf(buf, sizeof buf, "%.*g", prec, v);
        while (strtod(buf, NULL) != v && ++prec <= 17);
    }
    lead(w, key);
    put(w, buf);
}

void bz_json_bool(bz_json *w, const char *key, int v)
{
    if (w->failed != BZ_OK) return;
    lead(w, key);
    put(w, v ? "true" : "false");
}

void bz_json_null(bz_json *w, const char *key)
{
    if (w->failed != BZ_OK) return;
    lead(w, key);
    put(w, "null");
}

void bz_json_discard(bz_json *w)
{
    if (w->f) fclose(w->f);
    w->f = NULL;
    free(w->text);
    w->text = NULL;
    w->len = 0;
}

int bz_json_finish(bz_json *w, const char *what, char **out, bz_error *err)
{
    int status = BZ_OK;
    *out = NULL;
    if (w->depth != 0) fail(w, BZ_EINTERNAL);
    put(w, "\n");
    if (w->f && fclose(w->f) != 0) fail(w, BZ_ENOMEM);
    w->f = NULL;
    if (w->failed == BZ_ENOMEM) BZ_FAIL_OOM(err, NULL, w->len, "the JSON text of %s", what);
    if (w->failed != BZ_OK)
        BZ_FAIL(err, BZ_EINTERNAL,
                "%s: malformed document (unbalanced or too deeply nested containers, or a "
                "non-finite number)",
                what);
    *out = w->text;
    w->text = NULL;
cleanup:
    bz_json_discard(w);
    return status;
}

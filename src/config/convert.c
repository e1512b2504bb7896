/* Generic conversion helpers of the config layer (see convert.h): error
 * placement, key checks, and parameter-table driven reading of YAML maps. */
#include "config/convert.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* "FILE:L:C: " for a node from the file, "--set " for one from an override. */
static void where(const bz_cfg_ctx *c, const bz_ynode *n, int at_key, char *buf, size_t size)
{
    if (n && n->from_set) {
        snprintf(buf, size, "--set ");
        return;
    }
    int line = 1, col = 1;
    if (n) {
        line = (at_key && n->key_line) ? n->key_line : n->line;
        col = (at_key && n->key_line) ? n->key_col : n->col;
    }
    snprintf(buf, size, "%s:%d:%d: ", c->fname, line, col);
}

/* Fill the error: "WHERE PATH: msg" where PATH is `path` when given, else
 * n's path plus `suffix`. Control characters (keys may hold them) become '?'. */
static int vfail(bz_cfg_ctx *c, const bz_ynode *n, int at_key, const char *path_as,
                 const char *suffix, const char *fmt, va_list ap)
{
    char loc[512], path[512], msg[BZ_ERROR_MAX];
    where(c, n, at_key, loc, sizeof loc);
    if (path_as)
        snprintf(path, sizeof path, "%s", path_as);
    else
        bz_ynode_path(n, path, sizeof path);
    if (suffix) {
        size_t used = strlen(path);
        snprintf(path + used, sizeof path - used, "%s%s", used ? "." : "", suffix);
    }
    vsnprintf(msg, sizeof msg, fmt, ap);
    int rc = bz_error_set(c->err, BZ_EINVAL, "%s%s: %s", loc, path[0] ? path : "(top level)", msg);
    for (char *p = c->err ? c->err->msg : NULL; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    return rc;
}

int bz_cfg_fail(bz_cfg_ctx *c, const bz_ynode *n, int at_key, const char *suffix, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, n, at_key, NULL, suffix, fmt, ap);
    va_end(ap);
    return rc;
}

int bz_cfg_fail_as(bz_cfg_ctx *c, const bz_ynode *n, int at_key, const char *path, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(c, n, at_key, path, NULL, fmt, ap);
    va_end(ap);
    return rc;
}

/* Value for "got ...": the quoted scalar text (one line, bounded) or "a
 * mapping" / "a sequence". */
const char *bz_cfg_shown(const bz_ynode *n, char *buf, size_t size)
{
    if (n->kind == BZ_YNODE_MAP) return "a mapping";
    if (n->kind == BZ_YNODE_SEQ) return "a sequence";
    buf[0] = '\'';
    bz_error_quote(n->text, strlen(n->text), 80, buf + 1, size - 2);
    size_t o = strlen(buf);
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

int bz_cfg_oom(bz_cfg_ctx *c, size_t bytes, const char *what)
{
    return bz_error_oom(c->err, c->fname, bytes, "%s", what);
}

/* "a, b, c" of the extra keys and the table's names. */
static void key_list(char *buf, size_t size, const char *const *extra, const bz_param *t, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; extra && extra[i]; i++)
        used = bz_text_add(buf, size, used, ", ", "%s", extra[i]);
    for (size_t i = 0; i < n; i++)
        used = bz_text_add(buf, size, used, ", ", "%s", t[i].name);
}

/* Every key of `map` must be an extra key or a table entry. Marks the map
 * used (its entries are marked as they are read). */
int bz_cfg_check_keys(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra, const bz_param *t,
                      size_t n)
{
    bz_ynode_use(map, 0);
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->items[i]->key;
        int known = bz_params_find(t, n, k) != NULL;
        for (size_t j = 0; !known && extra && extra[j]; j++)
            known = strcmp(extra[j], k) == 0;
        if (known) continue;
        char list[600];
        key_list(list, sizeof list, extra, t, n);
        return bz_cfg_fail(c, map->items[i], 1, NULL, "unknown key (expected one of: %s)", list);
    }
    return BZ_OK;
}

/* Optional section `key` of `parent` as a map (created empty if absent). */
int bz_cfg_section(bz_cfg_ctx *c, bz_ynode *parent, const char *key, bz_ynode **out)
{
    int rc = bz_ynode_ensure_map(parent, key, out);
    if (rc == BZ_ENOMEM) return bz_cfg_oom(c, sizeof(bz_ynode) + strlen(key) + 1, "a section");
    if (rc != BZ_OK) {
        char b[96];
        return bz_cfg_fail(c, *out, 0, NULL, "expected a mapping, got %s",
                           bz_cfg_shown(*out, b, sizeof b));
    }
    bz_ynode_use(*out, 0);
    return BZ_OK;
}

/* e's message without the "PARAM: " that bz_error_set_param put in front
 * (the node's path names the parameter). */
static const char *param_text(const bz_error *e)
{
    size_t nl = strlen(e->param);
    if (nl && strncmp(e->msg, e->param, nl) == 0 && e->msg[nl] == ':' && e->msg[nl + 1] == ' ')
        return e->msg + nl + 2;
    return e->msg;
}

/* Turn bz_param_parse's "NAME: rest" into a positioned message for node v. */
static int fail_param(bz_cfg_ctx *c, const bz_ynode *v, const bz_error *e)
{
    return bz_cfg_fail(c, v, 0, NULL, "%s", param_text(e));
}

/* Text of a city-set node ({top: N} or [i, j]) in flow form for bz_param_parse. */
static int cities_text(bz_cfg_ctx *c, bz_ynode *v, char *buf, size_t size)
{
    size_t used = 0;
    if (v->kind == BZ_YNODE_SCALAR) {
        snprintf(buf, size, "%s", v->text);
        return BZ_OK;
    }
    int is_map = v->kind == BZ_YNODE_MAP;
    used += (size_t)snprintf(buf, size, "%s", is_map ? "{" : "[");
    for (size_t i = 0; i < v->n; i++) {
        bz_ynode *it = v->items[i];
        bz_ynode_use(it, 0);
        if (it->kind != BZ_YNODE_SCALAR)
            return bz_cfg_fail(c, it, 0, NULL, "expected a city index, got a nested collection");
        if (is_map)
            used = bz_text_add(buf, size, used, i ? ", " : "", "%s: %s", it->key, it->text);
        else
            used = bz_text_add(buf, size, used, i ? ", " : "", "%s", it->text);
    }
    bz_text_add(buf, size, used, "", "%s", is_map ? "}" : "]");
    return BZ_OK;
}

static int read_cities(bz_cfg_ctx *c, bz_ynode *v, const bz_param *p, void *dst)
{
    int status = BZ_OK;
    bz_error e;
    char text[4096];
    BZ_CHECK(cities_text(c, v, text, sizeof text));
    if (bz_param_parse(p, text, dst, &e) != BZ_OK) return fail_param(c, v, &e);
    bz_cityset cs;
    memcpy(&cs, (char *)dst + p->offset, sizeof cs);
    uint32_t nc = c->x->cities;
    if (cs.mode == BZ_CITIES_TOP && cs.top > nc)
        return bz_cfg_fail(c, v, 0, NULL,
                           "expected at most population.cities (%u) cities, got top %u", nc,
                           cs.top);
    for (uint32_t i = 0; cs.mode == BZ_CITIES_LIST && i < cs.n; i++)
        if (cs.ids[i] >= nc)
            return bz_cfg_fail(
                c, v, 0, NULL,
                "city index %u out of range (population.cities = %u, indices 0 to %u)", cs.ids[i],
                nc, nc - 1);
cleanup:
    return status;
}

/* A city set left at its default (`{top: N}`, the N largest cities) means
 * every city when the population has fewer: say so as {top: cities}, which
 * selects the same cities and, written in the resolved text, is accepted
 * when read back (an explicit top above population.cities is an error). */
static void clamp_default_cities(const bz_cfg_ctx *c, const bz_param *p, void *dst)
{
    bz_cityset *cs = (bz_cityset *)((char *)dst + p->offset);
    if (cs->mode == BZ_CITIES_TOP && cs->top > c->x->cities) cs->top = c->x->cities;
}

/* Parse node v as parameter p into dst, the message placed at v. */
int bz_cfg_read_param(bz_cfg_ctx *c, bz_ynode *v, const bz_param *p, void *dst)
{
    bz_error e;
    char b[96];
    bz_ynode_use(v, 0);
    if (p->type == BZ_PT_CITIES) return read_cities(c, v, p, dst);
    if (v->kind != BZ_YNODE_SCALAR)
        return bz_cfg_fail(c, v, 0, NULL, "expected a %s, got %s", bz_ptype_describe(p->type),
                           bz_cfg_shown(v, b, sizeof b));
    if (bz_param_parse(p, v->text, dst, &e) == BZ_OK) return BZ_OK;
    if (p->type == BZ_PT_ENUM && c->choices_or) {
        char list[512];
        return bz_cfg_fail(c, v, 0, NULL, "expected %s, got %s",
                           bz_text_join(list, sizeof list, p->choices, SIZE_MAX, " or "),
                           bz_cfg_shown(v, b, sizeof b));
    }
    return fail_param(c, v, &e);
}

/* Read every table entry present in `map` into dst (defaults set before);
 * a missing required entry is an error naming it. */
int bz_cfg_read_params(bz_cfg_ctx *c, bz_ynode *map, const bz_param *t, size_t n, void *dst)
{
    for (size_t i = 0; i < n; i++) {
        const bz_param *p = &t[i];
        bz_ynode *v = bz_ynode_child(map, p->name);
        if (!v) {
            if (!p->def)
                return bz_cfg_fail(c, map, 1, p->name, "missing required key (a %s)",
                                   bz_ptype_describe(p->type));
            if (p->type == BZ_PT_CITIES) clamp_default_cities(c, p, dst);
            continue;
        }
        int status = bz_cfg_read_param(c, v, p, dst);
        if (status != BZ_OK) return status;
    }
    return BZ_OK;
}

/* A scalar of at most size - 1 characters copied into out. */
int bz_cfg_read_text(bz_cfg_ctx *c, bz_ynode *v, const char *what, size_t size, char *out)
{
    char b[96];
    bz_ynode_use(v, 0);
    if (v->kind != BZ_YNODE_SCALAR || strlen(v->text) >= size)
        return bz_cfg_fail(c, v, 0, NULL, "expected %s of at most %zu characters, got %s", what,
                           size - 1, bz_cfg_shown(v, b, sizeof b));
    snprintf(out, size, "%s", v->text);
    return BZ_OK;
}

/* Defaults, key check and values of one fixed section. */
int bz_cfg_read_section(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra, const bz_param *t,
                        size_t n, void *dst)
{
    int status = BZ_OK;
    BZ_CHECK(bz_params_set_defaults(t, n, dst, c->err));
    BZ_CHECK(bz_cfg_check_keys(c, map, extra, t, n));
    BZ_CHECK(bz_cfg_read_params(c, map, t, n, dst));
cleanup:
    return status;
}

/* Name node `key` of a model map: present, scalar. */
int bz_cfg_name_node(bz_cfg_ctx *c, bz_ynode *map, const char *key, const char *what,
                     bz_ynode **out)
{
    char b[96];
    bz_ynode *v = bz_ynode_child(map, key);
    if (!v) return bz_cfg_fail(c, map, 1, key, "missing required key (the name of a %s)", what);
    bz_ynode_use(v, 0);
    if (v->kind != BZ_YNODE_SCALAR)
        return bz_cfg_fail(c, v, 0, NULL, "expected the name of a %s, got %s", what,
                           bz_cfg_shown(v, b, sizeof b));
    *out = v;
    return BZ_OK;
}

/* Allocate and fill a params struct from the map (keys other than `extra`). */
int bz_cfg_read_model_params(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra,
                             const bz_param *t, size_t n, size_t size, void **out)
{
    int status = BZ_OK;
    void *p = calloc(1, size ? size : 1);
    if (!p) return bz_cfg_oom(c, size ? size : 1, "the parameters of a model");
    BZ_CHECK(bz_cfg_read_section(c, map, extra, t, n, p));
    *out = p;
    p = NULL;
cleanup:
    free(p);
    return status;
}

/* A check's message is placed at the node of the parameter it names
 * (e->param) when the map has that key; otherwise at the map. */
int bz_cfg_fail_check(bz_cfg_ctx *c, bz_ynode *map, const bz_error *e)
{
    bz_ynode *v = e->param[0] ? bz_ynode_child(map, e->param) : NULL;
    if (v) return bz_cfg_fail(c, v, 0, NULL, "%s", param_text(e));
    return bz_cfg_fail(c, map, 1, NULL, "%s", e->msg);
}

const char *bz_cfg_name_problem(const char *name)
{
    size_t n = strlen(name);
    if (n == 0) return "a name must not be empty";
    if (!strcmp(name, ".") || !strcmp(name, "..")) return "'.' and '..' are not names";
    if (name[0] == ' ' || name[n - 1] == ' ') return "a name must not begin or end with a blank";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p == '/' || *p == '\\') return "a name must not contain '/' or '\\' (it names files)";
        if (*p < 0x20 || *p == 0x7f) return "a name must not contain control characters";
    }
    return NULL;
}

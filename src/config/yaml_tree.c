/* YAML text -> bz_ynode tree, paths and --set overrides (see yaml_tree.h). */
#include "config/yaml_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/params.h"

/* ---------------------------------------------------------------- nodes */

static bz_ynode *node_new(bz_ynode_kind kind)
{
    bz_ynode *n = calloc(1, sizeof *n);
    if (n) n->kind = kind;
    return n;
}

void bz_ynode_free(bz_ynode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++)
        bz_ynode_free(n->items[i]);
    free(n->items);
    free(n->key);
    free(n->text);
    free(n);
}

static int node_append(bz_ynode *parent, bz_ynode *child)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? 2 * parent->cap : 4;
        bz_ynode **items = realloc(parent->items, cap * sizeof *items);
        if (!items) return BZ_ENOMEM;
        parent->items = items;
        parent->cap = cap;
    }
    parent->items[parent->n++] = child;
    child->parent = parent;
    return BZ_OK;
}

/* Bytes node_append asks for when parent is full (for messages). */
static size_t append_bytes(const bz_ynode *parent)
{
    return (parent->cap ? 2 * parent->cap : 4) * sizeof *parent->items;
}

/* Bytes of the allocation that failed making node n with a copy of text. */
static size_t node_bytes(const bz_ynode *n, const char *text)
{
    return n ? strlen(text) + 1 : sizeof *n;
}

int bz_ynode_is_null(const bz_ynode *n)
{
    if (!n || n->kind != BZ_YNODE_SCALAR || !n->plain) return 0;
    const char *t = n->text;
    return !t[0] || !strcmp(t, "~") || !strcmp(t, "null") || !strcmp(t, "Null") ||
           !strcmp(t, "NULL");
}

bz_ynode *bz_ynode_child(const bz_ynode *map, const char *key)
{
    if (!map || map->kind != BZ_YNODE_MAP || !key) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->items[i]->key, key) == 0) return map->items[i];
    return NULL;
}

/* Parse a sequence index component: digits only, no sign, no overflow. */
static int parse_index(const char *s, size_t *out)
{
    size_t v = 0;
    if (!*s) return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        if (v > ((size_t)-1 - 9) / 10) return 0;
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return 1;
}

bz_ynode *bz_ynode_lookup(const bz_ynode *root, const char *path)
{
    if (!root || !path) return NULL;
    const bz_ynode *cur = root;
    char comp[256];
    const char *p = path;
    while (*p && cur) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= sizeof comp) return NULL;
        memcpy(comp, p, len);
        comp[len] = '\0';
        if (cur->kind == BZ_YNODE_MAP) {
            cur = bz_ynode_child(cur, comp);
        } else if (cur->kind == BZ_YNODE_SEQ) {
            size_t idx;
            cur = (parse_index(comp, &idx) && idx < cur->n) ? cur->items[idx] : NULL;
        } else {
            return NULL;
        }
        p += len;
        if (*p == '.') p++;
    }
    return (bz_ynode *)cur;
}

int bz_ynode_ensure_map(bz_ynode *map, const char *key, bz_ynode **out)
{
    bz_ynode *n = bz_ynode_child(map, key);
    *out = n;
    if (n && bz_ynode_is_null(n)) {
        free(n->text);
        n->text = NULL;
        n->plain = 0;
        n->kind = BZ_YNODE_MAP;
        return BZ_OK;
    }
    if (n) return n->kind == BZ_YNODE_MAP ? BZ_OK : BZ_EINVAL;
    if (!map || map->kind != BZ_YNODE_MAP) return BZ_EINVAL;
    n = node_new(BZ_YNODE_MAP);
    if (!n || !(n->key = strdup(key))) {
        bz_ynode_free(n);
        return BZ_ENOMEM;
    }
    n->line = n->key_line = map->key_line ? map->key_line : map->line;
    n->col = n->key_col = map->key_line ? map->key_col : map->col;
    n->from_set = map->from_set;
    if (node_append(map, n) != BZ_OK) {
        bz_ynode_free(n);
        return BZ_ENOMEM;
    }
    *out = n;
    return BZ_OK;
}

char *bz_ynode_path(const bz_ynode *n, char *buf, size_t size)
{
    if (!buf || size == 0) return buf;
    buf[0] = '\0';
    if (!n || !n->parent) return buf;
    bz_ynode_path(n->parent, buf, size);
    size_t used = strlen(buf);
    const char *sep = used ? "." : "";
    if (n->parent->kind == BZ_YNODE_MAP) {
        snprintf(buf + used, size - used, "%s%s", sep, n->key);
    } else {
        size_t idx = 0;
        while (idx < n->parent->n && n->parent->items[idx] != n)
            idx++;
        snprintf(buf + used, size - used, "%s%zu", sep, idx);
    }
    return buf;
}

void bz_ynode_use(bz_ynode *n, int deep)
{
    if (!n) return;
    n->used = 1;
    if (deep)
        for (size_t i = 0; i < n->n; i++)
            bz_ynode_use(n->items[i], 1);
}

const bz_ynode *bz_ynode_first_unused(const bz_ynode *root)
{
    if (!root) return NULL;
    if (!root->used) return root;
    for (size_t i = 0; i < root->n; i++) {
        const bz_ynode *u = bz_ynode_first_unused(root->items[i]);
        if (u) return u;
    }
    return NULL;
}

/* ---------------------------------------------------------------- parsing */

typedef struct parse_ctx {
    yaml_parser_t parser;
    const char *fname;
    const char *text;
    size_t len;
    int for_set; /* messages without positions, for --set values */
    const char *set_path;
    bz_error *err;
} parse_ctx;

/* Positioned error "FILE:LINE:COL: msg" (or "--set PATH: msg"). */
static int fail_at(parse_ctx *c, size_t line0, size_t col0, const char *fmt, const char *a,
                   const char *b)
{
    char msg[BZ_ERROR_MAX];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    for (char *p = msg; *p; p++) /* keys may hold control characters: keep one line */
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
    if (c->for_set) return bz_error_set(c->err, BZ_EINVAL, "--set %s: %s", c->set_path, msg);
    return bz_error_set(c->err, BZ_EINVAL, "%s:%zu:%zu: %s", c->fname, line0 + 1, col0 + 1, msg);
}

static int parser_failed(parse_ctx *c)
{
    yaml_parser_t *p = &c->parser;
    if (p->error == YAML_MEMORY_ERROR)
        return bz_error_set(c->err, BZ_ENOMEM,
                            "%s: out of memory inside libyaml parsing a text of %zu bytes (libyaml "
                            "does not say how much it asked for)",
                            c->fname, c->len);
    size_t line = p->problem_mark.line, col = p->problem_mark.column;
    if (p->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a mark: count lines to it. */
        line = col = 0;
        for (size_t i = 0; i < p->problem_offset && i < c->len; i++) {
            if (c->text[i] == '\n') {
                line++;
                col = 0;
            } else {
                col++;
            }
        }
    }
    char problem[512];
    snprintf(problem, sizeof problem, "%s%s%s", p->problem ? p->problem : "syntax error",
             p->context ? " " : "", p->context ? p->context : "");
    return fail_at(c, line, col, "malformed YAML: %s%s", problem, NULL);
}

static int next_event(parse_ctx *c, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&c->parser, ev)) return parser_failed(c);
    return BZ_OK;
}

static int parse_node(parse_ctx *c, yaml_event_t *ev, int depth, bz_ynode *parent, char *key,
                      bz_ynode **out);

/* Body of a mapping after its MAPPING-START event. */
static int parse_map_items(parse_ctx *c, bz_ynode *map, int depth)
{
    int status = BZ_OK;
    yaml_event_t ev;
    while (1) {
        BZ_CHECK(next_event(c, &ev));
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return BZ_OK;
        }
        size_t kl = ev.start_mark.line, kc = ev.start_mark.column;
        if (ev.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&ev);
            return fail_at(c, kl, kc, "mapping keys must be plain names, got a %s%s",
                           ev.type == YAML_ALIAS_EVENT ? "YAML alias" : "collection", NULL);
        }
        if (ev.data.scalar.anchor) {
            yaml_event_delete(&ev);
            return fail_at(c, kl, kc, "YAML anchors and aliases are not supported%s%s", NULL, NULL);
        }
        size_t klen = ev.data.scalar.length;
        const char *ktext = (const char *)ev.data.scalar.value;
        if (memchr(ktext, '\0', klen)) {
            yaml_event_delete(&ev);
            return fail_at(c, kl, kc, "key contains a NUL character%s%s", NULL, NULL);
        }
        char *key = strdup(ktext);
        yaml_event_delete(&ev);
        if (!key) return bz_error_oom(c->err, c->fname, klen + 1, "a YAML key");
        bz_ynode *dup = bz_ynode_child(map, key);
        if (dup) {
            char where[64] = "";
            if (!c->for_set) snprintf(where, sizeof where, " (first at line %d)", dup->key_line);
            char path[512], full[600];
            bz_ynode_path(map, path, sizeof path);
            snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
            free(key);
            return fail_at(c, kl, kc, "%s: duplicate key%s", full, where);
        }
        bz_ynode *val = NULL;
        yaml_event_t vev;
        status = next_event(c, &vev);
        if (status != BZ_OK) {
            free(key);
            return status;
        }
        BZ_CHECK(parse_node(c, &vev, depth + 1, map, key, &val)); /* owns key now */
        if (node_append(map, val) != BZ_OK) {
            bz_ynode_free(val);
            return bz_error_oom(c->err, c->fname, append_bytes(map), "the entries of a mapping");
        }
        val->key_line = (int)kl + 1;
        val->key_col = (int)kc + 1;
    }
cleanup:
    return status;
}

static int parse_seq_items(parse_ctx *c, bz_ynode *seq, int depth)
{
    int status = BZ_OK;
    yaml_event_t ev;
    while (1) {
        BZ_CHECK(next_event(c, &ev));
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return BZ_OK;
        }
        bz_ynode *item = NULL;
        BZ_CHECK(parse_node(c, &ev, depth + 1, seq, NULL, &item));
        if (node_append(seq, item) != BZ_OK) {
            bz_ynode_free(item);
            return bz_error_oom(c->err, c->fname, append_bytes(seq), "the items of a sequence");
        }
    }
cleanup:
    return status;
}

/* Build the node that starts with event *ev (consumed here), child of
 * `parent` under `key` (owned from here on; NULL for sequence items). The
 * node knows its parent and key before its children are parsed, so messages
 * about them carry the full path; the caller appends it. */
static int parse_node(parse_ctx *c, yaml_event_t *ev, int depth, bz_ynode *parent, char *key,
                      bz_ynode **out)
{
    int status = BZ_OK;
    bz_ynode *n = NULL;
    size_t line = ev->start_mark.line, col = ev->start_mark.column;
    const yaml_char_t *anchor = NULL;
    *out = NULL;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        anchor = ev->data.scalar.anchor;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = ev->data.sequence_start.anchor;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = ev->data.mapping_start.anchor;
        break;
    case YAML_ALIAS_EVENT:
        yaml_event_delete(ev);
        status =
            fail_at(c, line, col, "YAML anchors and aliases are not supported%s%s", NULL, NULL);
        goto cleanup;
    default:
        yaml_event_delete(ev);
        status = fail_at(c, line, col, "unexpected YAML event%s%s", NULL, NULL);
        goto cleanup;
    }
    if (anchor) {
        yaml_event_delete(ev);
        status =
            fail_at(c, line, col, "YAML anchors and aliases are not supported%s%s", NULL, NULL);
        goto cleanup;
    }
    if (depth > BZ_YAML_MAX_DEPTH) {
        yaml_event_delete(ev);
        char lim[16];
        snprintf(lim, sizeof lim, "%d", BZ_YAML_MAX_DEPTH);
        status = fail_at(c, line, col, "YAML nested deeper than %s levels%s", lim, NULL);
        goto cleanup;
    }

    if (ev->type == YAML_SCALAR_EVENT) {
        size_t len = ev->data.scalar.length;
        const char *v = (const char *)ev->data.scalar.value;
        if (memchr(v, '\0', len)) {
            yaml_event_delete(ev);
            status = fail_at(c, line, col, "value contains a NUL character%s%s", NULL, NULL);
            goto cleanup;
        }
        n = node_new(BZ_YNODE_SCALAR);
        if (n) n->text = strdup(v);
        if (n) n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        yaml_event_delete(ev);
        if (!n || !n->text) BZ_FAIL_OOM(c->err, c->fname, node_bytes(n, v), "a YAML scalar");
        n->key = key;
        key = NULL;
        n->parent = parent;
    } else {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_delete(ev);
        n = node_new(is_map ? BZ_YNODE_MAP : BZ_YNODE_SEQ);
        if (!n) BZ_FAIL_OOM(c->err, c->fname, sizeof *n, "a YAML node");
        n->key = key;
        key = NULL;
        n->parent = parent;
        n->line = (int)line + 1;
        n->col = (int)col + 1;
        BZ_CHECK(is_map ? parse_map_items(c, n, depth) : parse_seq_items(c, n, depth));
    }
    n->line = (int)line + 1;
    n->col = (int)col + 1;
    *out = n;
    n = NULL;
cleanup:
    free(key);
    bz_ynode_free(n);
    return status;
}

static int parse_text(parse_ctx *c, bz_ynode **out)
{
    int status = BZ_OK;
    bz_ynode *root = NULL;
    yaml_event_t ev;
    int have_parser = 0;
    *out = NULL;
    if (!yaml_parser_initialize(&c->parser)) /* libyaml's input buffers: 16 KiB raw + 48 KiB */
        BZ_FAIL_OOM(c->err, c->fname, 16384 + 3 * 16384, "a YAML parser");
    have_parser = 1;
    yaml_parser_set_input_string(&c->parser, (const unsigned char *)c->text, c->len);

    BZ_CHECK(next_event(c, &ev)); /* STREAM-START */
    yaml_event_delete(&ev);
    BZ_CHECK(next_event(c, &ev));
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        root = node_new(BZ_YNODE_SCALAR);
        if (root) root->text = strdup("");
        if (!root || !root->text)
            BZ_FAIL_OOM(c->err, c->fname, node_bytes(root, ""), "a YAML node");
        root->plain = 1;
        root->line = root->col = 1;
    } else {
        yaml_event_delete(&ev); /* DOCUMENT-START */
        BZ_CHECK(next_event(c, &ev));
        BZ_CHECK(parse_node(c, &ev, 0, NULL, NULL, &root));
        BZ_CHECK(next_event(c, &ev)); /* DOCUMENT-END */
        yaml_event_delete(&ev);
        BZ_CHECK(next_event(c, &ev));
        size_t line = ev.start_mark.line, col = ev.start_mark.column;
        int more = ev.type != YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (more) {
            status = fail_at(c, line, col, "only one YAML document is allowed%s%s", NULL, NULL);
            goto cleanup;
        }
    }
    *out = root;
    root = NULL;
cleanup:
    if (have_parser) yaml_parser_delete(&c->parser);
    bz_ynode_free(root);
    return status;
}

int bz_yaml_parse(const char *text, size_t len, const char *fname, bz_ynode **out, bz_error *err)
{
    parse_ctx c;
    memset(&c, 0, sizeof c);
    c.fname = fname ? fname : "<yaml>";
    c.text = text ? text : "";
    c.len = text ? len : 0;
    c.err = err;
    return parse_text(&c, out);
}

/* ---------------------------------------------------------------- --set */

static void mark_from_set(bz_ynode *n, int set_index)
{
    n->from_set = set_index;
    n->line = n->col = n->key_line = n->key_col = 0;
    for (size_t i = 0; i < n->n; i++)
        mark_from_set(n->items[i], set_index);
}

/* The value of an override as a node (from_set marked). */
static int set_value_node(const char *value, const char *path, int set_index, bz_ynode **out,
                          bz_error *err)
{
    int status = BZ_OK;
    bz_ynode *n = NULL;
    char c0 = value[0];
    if (c0 == '[' || c0 == '{' || c0 == '\'' || c0 == '"') {
        parse_ctx c;
        memset(&c, 0, sizeof c);
        c.fname = "--set";
        c.text = value;
        c.len = strlen(value);
        c.for_set = 1;
        c.set_path = path;
        c.err = err;
        BZ_CHECK(parse_text(&c, &n));
        if ((c0 == '[' || c0 == '{') == (n->kind == BZ_YNODE_SCALAR))
            BZ_FAIL(err, BZ_EINVAL, "--set %s: expected a single YAML value, got '%.80s'", path,
                    value);
    } else {
        n = node_new(BZ_YNODE_SCALAR);
        if (n) n->text = strdup(value);
        if (!n || !n->text) BZ_FAIL_OOM(err, NULL, node_bytes(n, value), "applying --set %s", path);
        n->plain = 1;
    }
    mark_from_set(n, set_index);
    *out = n;
    n = NULL;
cleanup:
    bz_ynode_free(n);
    return status;
}

/* Turn a null scalar into an empty collection (so "arms:\n  kol:" can take
 * "--set arms.kol.0.campaign=x"). */
static void null_to_container(bz_ynode *n, bz_ynode_kind kind, int set_index)
{
    free(n->text);
    n->text = NULL;
    n->plain = 0;
    n->kind = kind;
    n->from_set = set_index;
}

/* Find component `comp` of container cur: *slot is its index (== cur->n when
 * absent). Returns 0 if comp is not a valid sequence index for a sequence. */
static int find_slot(const bz_ynode *cur, const char *comp, size_t *slot)
{
    if (cur->kind == BZ_YNODE_MAP) {
        for (*slot = 0; *slot < cur->n; (*slot)++)
            if (strcmp(cur->items[*slot]->key, comp) == 0) break;
        return 1;
    }
    return parse_index(comp, slot);
}

int bz_yaml_apply_set(bz_ynode *root, const char *assignment, int set_index, bz_error *err)
{
    int status = BZ_OK;
    char *path = NULL; /* as typed, for messages */
    char *work = NULL; /* split into components in place */
    bz_ynode *val = NULL;
    bz_ynode *created = NULL;
    const char *eq = assignment ? strchr(assignment, '=') : NULL;
    if (!eq || eq == assignment)
        BZ_FAIL(err, BZ_EINVAL, "--set '%.200s': expected KEY.PATH=VALUE",
                assignment ? assignment : "");
    path = strndup(assignment, (size_t)(eq - assignment));
    work = strndup(assignment, (size_t)(eq - assignment));
    if (!path || !work)
        BZ_FAIL_OOM(err, NULL, 2 * ((size_t)(eq - assignment) + 1), "applying --set %.200s",
                    assignment);
    if (path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, ".."))
        BZ_FAIL(err, BZ_EINVAL, "--set '%.200s': expected KEY.PATH=VALUE with non-empty keys",
                assignment);
    if (!root || root->kind != BZ_YNODE_MAP)
        BZ_FAIL(err, BZ_EINVAL, "--set %s: the document is not a mapping", path);
    BZ_CHECK(set_value_node(eq + 1, path, set_index, &val, err));

    bz_ynode *cur = root;
    char *comp = work;
    while (1) {
        char *dot = strchr(comp, '.');
        if (dot) *dot = '\0';
        const char *next = dot ? dot + 1 : NULL;
        size_t slot = 0, next_idx = 0;
        if (!find_slot(cur, comp, &slot))
            BZ_FAIL(err, BZ_EINVAL, "--set %s: expected a sequence index at '%s', got '%s'", path,
                    comp, comp);
        if (slot > cur->n)
            BZ_FAIL(err, BZ_EINVAL, "--set %s: index %zu out of range (the sequence has %zu items)",
                    path, slot, cur->n);
        bz_ynode *child = slot < cur->n ? cur->items[slot] : NULL;
        if (!next) { /* last component: put the value here */
            if (child) {
                val->key = child->key;
                child->key = NULL;
                cur->items[slot] = val;
                val->parent = cur;
                bz_ynode_free(child);
            } else {
                if (cur->kind == BZ_YNODE_MAP && !(val->key = strdup(comp)))
                    BZ_FAIL_OOM(err, NULL, strlen(comp) + 1, "applying --set %s", path);
                if (node_append(cur, val) != BZ_OK)
                    BZ_FAIL_OOM(err, NULL, append_bytes(cur), "applying --set %s", path);
            }
            val = NULL;
            break;
        }
        char next_comp[32];
        size_t next_len = strcspn(next, ".");
        snprintf(next_comp, sizeof next_comp, "%.*s", (int)(next_len < 31 ? next_len : 31), next);
        bz_ynode_kind kind =
            (next_len < 31 && parse_index(next_comp, &next_idx)) ? BZ_YNODE_SEQ : BZ_YNODE_MAP;
        if (!child) {
            created = node_new(kind);
            if (!created || (cur->kind == BZ_YNODE_MAP && !(created->key = strdup(comp))))
                BZ_FAIL_OOM(err, NULL, created ? strlen(comp) + 1 : sizeof *created,
                            "applying --set %s", path);
            created->from_set = set_index;
            if (node_append(cur, created) != BZ_OK)
                BZ_FAIL_OOM(err, NULL, append_bytes(cur), "applying --set %s", path);
            child = created;
            created = NULL;
        } else if (bz_ynode_is_null(child)) {
            null_to_container(child, kind, set_index);
        } else if (child->kind == BZ_YNODE_SCALAR) {
            BZ_FAIL(err, BZ_EINVAL,
                    "--set %s: '%s' holds a single value, not a mapping or sequence", path, comp);
        }
        cur = child;
        comp = dot + 1;
    }
cleanup:
    bz_ynode_free(created);
    bz_ynode_free(val);
    free(work);
    free(path);
    return status;
}

void bz_cfg_default_name(const char *path, const char *fallback, char *out)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) len = (size_t)(dot - base);
    if (len >= BZ_NAME_MAX) len = BZ_NAME_MAX - 1;
    memcpy(out, base, len);
    out[len] = '\0';
    if (!out[0]) snprintf(out, BZ_NAME_MAX, "%s", fallback);
}

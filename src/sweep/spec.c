/* Sweep files: parsing, validation, the design, and the mapping from a
 * point to the `--set` overrides of the base experiment (sweep/sweep.h).
 *
 * Messages are one line "FILE:LINE:COL: KEY.PATH: what was expected, got
 * 'x'", where KEY.PATH is the sweep file's key path, or the axis key for
 * anything about an axis's values. An inline base is handed to the config
 * layer as the sweep file's own text with every line outside the base
 * blanked, so its messages carry the sweep file's lines and columns.
 */
#include "sweep/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "config/convert.h"
#include "config/yaml_tree.h"
#include "engine/run.h"

#define MAX_SWEEP_BYTES (16u << 20)

typedef struct sctx {
    const char *fname;
    bz_error *err;
} sctx;

/* "FILE:L:C: WHAT: msg" at the node's key (at_key) or value. WHAT is `what`
 * when given (an axis key), else the node's path in the sweep file. */
static int sfail(const sctx *c, const bz_ynode *n, int at_key, const char *what, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
static int sfail(const sctx *c, const bz_ynode *n, int at_key, const char *what, const char *fmt,
                 ...)
{
    char path[512], msg[BZ_ERROR_MAX];
    int line = 1, col = 1;
    if (n) {
        line = (at_key && n->key_line) ? n->key_line : n->line;
        col = (at_key && n->key_line) ? n->key_col : n->col;
    }
    if (what)
        snprintf(path, sizeof path, "%s", what);
    else
        bz_ynode_path(n, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bz_error_set(c->err, BZ_EINVAL, "%s:%d:%d: %s: %s", c->fname, line, col,
                        path[0] ? path : "(top level)", msg);
}

/* "'text'" for a scalar, "a mapping" / "a sequence" otherwise. */
static const char *shown(const bz_ynode *n, char *buf, size_t size)
{
    if (!n) return "nothing";
    if (n->kind == BZ_YNODE_MAP) return "a mapping";
    if (n->kind == BZ_YNODE_SEQ) return "a sequence";
    snprintf(buf, size, "'%.60s'", n->text);
    return buf;
}

static int get_double(const sctx *c, const bz_ynode *n, const char *what, double *out)
{
    char b[96];
    if (n && n->kind == BZ_YNODE_SCALAR && n->text[0]) {
        char *end;
        errno = 0;
        double v = strtod(n->text, &end);
        if (!*end && !errno && isfinite(v)) {
            *out = v;
            return BZ_OK;
        }
    }
    return sfail(c, n, 0, what, "expected a finite number, got %s", shown(n, b, sizeof b));
}

/* An integer within key k's bounds. */
static int get_u64(const sctx *c, const bz_ynode *n, const char *what, const bz_sweep_key *k,
                   uint64_t *out)
{
    char b[96];
    const uint64_t lo = (uint64_t)k->min;
    const uint64_t hi = k->max >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)k->max;
    if (n && n->kind == BZ_YNODE_SCALAR && n->text[0] >= '0' && n->text[0] <= '9') {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(n->text, &end, 10);
        if (!*end && !errno && v >= lo && v <= hi) {
            *out = v;
            return BZ_OK;
        }
    }
    return sfail(c, n, 0, what, "expected an integer in [%llu, %llu], got %s",
                 (unsigned long long)lo, (unsigned long long)hi, shown(n, b, sizeof b));
}

static int get_bool(const sctx *c, const bz_ynode *n, int *out)
{
    char b[96];
    if (n && n->kind == BZ_YNODE_SCALAR) {
        if (!strcmp(n->text, "true") || !strcmp(n->text, "yes")) return *out = 1, BZ_OK;
        if (!strcmp(n->text, "false") || !strcmp(n->text, "no")) return *out = 0, BZ_OK;
    }
    return sfail(c, n, 0, NULL, "expected true or false, got %s", shown(n, b, sizeof b));
}

/* A non-empty scalar shorter than size. */
static int get_word(const sctx *c, const bz_ynode *n, const char *what, char *out, size_t size)
{
    char b[96];
    if (!n || n->kind != BZ_YNODE_SCALAR || !n->text[0] || strlen(n->text) >= size)
        return sfail(c, n, 0, what, "expected a non-empty value of at most %zu characters, got %s",
                     size - 1, shown(n, b, sizeof b));
    snprintf(out, size, "%s", n->text);
    return BZ_OK;
}

/* The entry `name` of a key table (its end when absent). */
static const bz_sweep_key *key_of(const bz_sweep_key *keys, const char *name)
{
    while (keys->name && strcmp(keys->name, name) != 0)
        keys++;
    return keys;
}

/* Every key of map must be in the table `keys`. */
static int check_keys(const sctx *c, const bz_ynode *map, const bz_sweep_key *keys,
                      const char *what)
{
    char b[96];
    if (!map || map->kind != BZ_YNODE_MAP)
        return sfail(c, map, 0, what, "expected a mapping, got %s", shown(map, b, sizeof b));
    for (size_t i = 0; i < map->n; i++) {
        if (key_of(keys, map->items[i]->key)->name) continue;
        char list[512] = "";
        for (size_t k = 0; keys[k].name; k++) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", keys[k].name);
        }
        return sfail(c, map->items[i], 1, NULL, "unknown key (expected one of: %s)", list);
    }
    return BZ_OK;
}

/* The index of scalar n's text among key k's choices, or -1; *list gets
 * the choices as "a, b or c" for messages. */
static int choice_of(const bz_ynode *n, const bz_sweep_key *k, char *list, size_t size)
{
    int found = -1, count = 0;
    while (k->choices[count])
        count++;
    list[0] = '\0';
    for (int j = 0; j < count; j++) {
        size_t used = strlen(list);
        snprintf(list + used, size - used, "%s%s",
                 j == 0           ? ""
                 : j == count - 1 ? " or "
                                  : ", ",
                 k->choices[j]);
        if (n && n->kind == BZ_YNODE_SCALAR && !strcmp(n->text, k->choices[j])) found = j;
    }
    return found;
}

/* ------------------------------------------------------------------ keys */

static const char *const design_kinds[] = {"grid", "lhs", "sobol", NULL}; /* bz_design_kind */
static const char *const axis_scales[] = {"linear", "log", NULL};
static const char *const axis_dists[] = {"uniform", "normal", "lognormal", "beta",
                                         NULL}; /* BZ_AXIS_DIST_* */

static const bz_sweep_key axis_keys[] = {
    {"key", "string",
     "the experiment key path to vary, as for --set (diffusion.q, arms.kol.0.count)", NULL, 0, 0,
     NULL, NULL, BZ_SWEEP_KEY_REQUIRED, NULL},
    {"values", "array",
     "the axis's values, numbers or words (a single value: an override shared by every point)",
     NULL, 1, 0, "scalar", NULL, BZ_SWEEP_KEY_ONE_OF, NULL},
    {"range", "array", "[low, high] of a numeric axis", NULL, 2, 2, "number", NULL,
     BZ_SWEEP_KEY_ONE_OF, NULL},
    {"scale", "string", "spacing of the range's levels (default: linear)", axis_scales, 0, 0, NULL,
     NULL, 0, "range"},
    {"levels", "integer", "number of levels of the range (needed by a grid design)", NULL, 1,
     1000000, NULL, NULL, 0, "range"},
    {"dist", "string", "a distribution to sample the axis from (lhs and sobol designs)", axis_dists,
     0, 0, NULL, NULL, BZ_SWEEP_KEY_ONE_OF, NULL},
    {"params", "array",
     "[a, b] of the distribution: uniform low and high, normal mean and sd, lognormal mean and sd "
     "of the log, beta shapes",
     NULL, 2, 2, "number", NULL, 0, "dist"},
    {"tie", "string", "tie name: axes with the same tie name vary together", NULL, 0, 0, NULL, NULL,
     0, NULL},
    {"integer", "boolean", "round the axis's values to integers", NULL, 0, 0, NULL, NULL, 0, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL},
};

static const bz_sweep_key design_keys[] = {
    {"kind", "string",
     "how points are drawn: grid (every combination of the axes' values), lhs (a Latin "
     "hypercube) or sobol (Saltelli's design, for Sobol indices); default: grid",
     design_kinds, 0, 0, NULL, NULL, 0, NULL},
    {"samples", "integer",
     "points of an lhs design, base points N of a sobol design (needed by both)", NULL, 1,
     100000000, NULL, NULL, 0, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL},
};

static const bz_sweep_key output_keys[] = {
    {"file", "string", "where buzzsim sweep writes its HDF5 file when -o is not given", NULL, 0, 0,
     NULL, NULL, 0, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL},
};

const bz_sweep_key bz_sweep_keys[] = {
    {"name", "string", "sweep name; default: the file name without its extension", NULL, 0, 0, NULL,
     NULL, 0, NULL},
    {"base", "base",
     "the base experiment: a file name (relative to the sweep file) or an inline experiment", NULL,
     0, 0, NULL, NULL, BZ_SWEEP_KEY_REQUIRED, NULL},
    {"axes", "array", "the axes: what varies from point to point", NULL, 1, 0, "object", axis_keys,
     BZ_SWEEP_KEY_REQUIRED, NULL},
    {"design", "object", "how the points are drawn from the axes (default: a grid)", NULL, 0, 0,
     NULL, design_keys, 0, NULL},
    {"replicates", "integer", "runs of every arm at every point; default: the base's", NULL, 1,
     100000, NULL, NULL, 0, NULL},
    {"seed", "integer", "the seed of every point (common random numbers); default: the base's",
     NULL, 0, 18446744073709551615.0, NULL, NULL, 0, NULL},
    {"arms", "array",
     "the arms of the base to run, in order (the first is the reference); default: all", NULL, 1, 0,
     "string", NULL, 0, NULL},
    {"outcomes", "array", "the outcomes to keep, in order; default: all", NULL, 1, BZ_N_OUTCOMES,
     "outcome", NULL, 0, NULL},
    {"keep_series", "boolean", "keep each point's mean adopters series of every arm", NULL, 0, 0,
     NULL, NULL, 0, NULL},
    {"output", "object", "where the results go", NULL, 0, 0, NULL, output_keys, 0, NULL},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL},
};

/* ------------------------------------------------------------------ axes */

static int parse_axis(const sctx *c, bz_sweep *sw, size_t i, const bz_ynode *an)
{
    int status = BZ_OK;
    char b[96];
    bz_axis *ax = &sw->axes[i];
    BZ_CHECK(check_keys(c, an, axis_keys, NULL));
    sw->axis_line[i] = an->line;
    sw->axis_col[i] = an->col;
    const bz_ynode *kn = bz_ynode_child(an, "key");
    if (!kn) return sfail(c, an, 0, NULL, "missing 'key' (the experiment key path to vary)");
    BZ_CHECK(get_word(c, kn, NULL, ax->key, sizeof ax->key));
    if (strpbrk(ax->key, "= \t") || ax->key[0] == '.' || ax->key[strlen(ax->key) - 1] == '.' ||
        strstr(ax->key, ".."))
        return sfail(c, kn, 0, NULL, "expected a key path like diffusion.q, got %s",
                     shown(kn, b, sizeof b));
    if (!strcmp(ax->key, "seed") || !strcmp(ax->key, "replicates"))
        return sfail(c, kn, 0, NULL, "'%s' is set by the sweep itself, not an axis", ax->key);
    for (size_t j = 0; j < i; j++)
        if (!strcmp(sw->axes[j].key, ax->key))
            return sfail(c, kn, 0, NULL, "axis '%s' is given twice", ax->key);
    /* From here on messages name the axis key. */
    const char *k = ax->key;
    const bz_ynode *vn = bz_ynode_child(an, "values"), *rn = bz_ynode_child(an, "range"),
                   *dn = bz_ynode_child(an, "dist");
    if ((vn != NULL) + (rn != NULL) + (dn != NULL) != 1)
        return sfail(c, an, 0, k, "expected exactly one of 'values', 'range' or 'dist'");
    const bz_ynode *sn = bz_ynode_child(an, "scale"), *ln = bz_ynode_child(an, "levels"),
                   *pn = bz_ynode_child(an, "params");
    if (!rn && (sn || ln))
        return sfail(c, sn ? sn : ln, 1, k, "'scale' and 'levels' go with 'range'");
    if (!dn && pn) return sfail(c, pn, 1, k, "'params' goes with 'dist'");
    if (vn) {
        if (vn->kind != BZ_YNODE_SEQ || vn->n == 0)
            return sfail(c, vn, 0, k, "expected a non-empty list of values, got %s",
                         vn->kind == BZ_YNODE_SEQ ? "an empty list" : shown(vn, b, sizeof b));
        ax->kind = BZ_AXIS_LIST;
        ax->n_values = vn->n;
        ax->values = calloc(vn->n, sizeof *ax->values);
        if (!ax->values)
            BZ_FAIL_OOM(c->err, NULL, vn->n * sizeof *ax->values, "reading %s", c->fname);
        for (size_t j = 0; j < vn->n; j++) {
            const bz_ynode *v = vn->items[j];
            if (v->kind != BZ_YNODE_SCALAR || !v->text[0] || strlen(v->text) >= BZ_AXIS_VALUE_MAX)
                return sfail(c, v, 0, k, "expected a value of at most %d characters, got %s",
                             BZ_AXIS_VALUE_MAX - 1, shown(v, b, sizeof b));
            snprintf(ax->values[j], sizeof ax->values[j], "%s", v->text);
        }
    } else if (rn) {
        if (rn->kind != BZ_YNODE_SEQ || rn->n != 2)
            return sfail(c, rn, 0, k, "expected a range [low, high], got %s",
                         shown(rn, b, sizeof b));
        BZ_CHECK(get_double(c, rn->items[0], k, &ax->lo));
        BZ_CHECK(get_double(c, rn->items[1], k, &ax->hi));
        ax->kind = BZ_AXIS_LINEAR;
        if (sn) {
            char list[128];
            const int scale = choice_of(sn, key_of(axis_keys, "scale"), list, sizeof list);
            if (scale < 0)
                return sfail(c, sn, 0, k, "scale: expected %s, got %s", list,
                             shown(sn, b, sizeof b));
            if (scale == 1) ax->kind = BZ_AXIS_LOG;
        }
        if (ax->lo > ax->hi)
            return sfail(c, rn, 0, k, "empty range [%g, %g]: low is above high", ax->lo, ax->hi);
        if (ax->kind == BZ_AXIS_LOG && ax->lo <= 0)
            return sfail(c, rn, 0, k, "a log range needs low > 0, got [%g, %g]", ax->lo, ax->hi);
        uint64_t levels = 0;
        if (ln) BZ_CHECK(get_u64(c, ln, k, key_of(axis_keys, "levels"), &levels));
        if (!ln && sw->design_kind == BZ_DESIGN_GRID)
            return sfail(c, rn, 0, k, "a range on a grid design needs 'levels'");
        ax->n_values = (size_t)levels;
    } else {
        const char *const *dists = axis_dists;
        char list[128];
        ax->kind = BZ_AXIS_DIST;
        const int d = choice_of(dn, key_of(axis_keys, "dist"), list, sizeof list);
        if (d < 0)
            return sfail(c, dn, 0, k, "dist: expected %s, got %s", list, shown(dn, b, sizeof b));
        if (sw->design_kind == BZ_DESIGN_GRID)
            return sfail(c, dn, 0, k, "a distribution needs an lhs or sobol design, not grid");
        ax->dist = d;
        if (!pn || pn->kind != BZ_YNODE_SEQ || pn->n != 2)
            return sfail(c, pn ? pn : an, 0, k, "expected params: [a, b] for the %s distribution",
                         dists[d]);
        BZ_CHECK(get_double(c, pn->items[0], k, &ax->a));
        BZ_CHECK(get_double(c, pn->items[1], k, &ax->b));
        int bad = (d == BZ_AXIS_DIST_UNIFORM && !(ax->a < ax->b)) ||
                  ((d == BZ_AXIS_DIST_NORMAL || d == BZ_AXIS_DIST_LOGNORMAL) && !(ax->b > 0)) ||
                  (d == BZ_AXIS_DIST_BETA && !(ax->a > 0 && ax->b > 0));
        if (bad)
            return sfail(c, pn, 0, k, "bad %s params [%g, %g] (%s)", dists[d], ax->a, ax->b,
                         d == BZ_AXIS_DIST_UNIFORM ? "empty range: need low < high"
                         : d == BZ_AXIS_DIST_BETA  ? "need both shapes > 0"
                                                   : "need a positive spread");
    }
    const bz_ynode *tn = bz_ynode_child(an, "tie"), *in = bz_ynode_child(an, "integer");
    if (in) BZ_CHECK(get_bool(c, in, &ax->integer));
    if (tn) BZ_CHECK(get_word(c, tn, k, sw->tie_names[i], sizeof sw->tie_names[i]));
cleanup:
    return status;
}

/* Tie groups: axes sharing a tie name share an id; others get their own. */
static void assign_ties(bz_sweep *sw)
{
    for (size_t i = 0; i < sw->n_axes; i++) {
        sw->axes[i].tie = (int)i;
        if (!sw->tie_names[i][0]) continue;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(sw->tie_names[j], sw->tie_names[i])) {
                sw->axes[i].tie = sw->axes[j].tie;
                break;
            }
    }
}

static int parse_axes(const sctx *c, bz_sweep *sw, const bz_ynode *axes)
{
    char b[96];
    if (!axes) return sfail(c, NULL, 0, "axes", "missing: a sweep needs at least one axis");
    if (axes->kind != BZ_YNODE_SEQ || axes->n == 0)
        return sfail(c, axes, 0, NULL, "expected a non-empty list of axes, got %s",
                     axes->kind == BZ_YNODE_SEQ ? "an empty list" : shown(axes, b, sizeof b));
    size_t n = axes->n;
    sw->axes = calloc(n, sizeof *sw->axes);
    sw->axis_line = calloc(n, sizeof *sw->axis_line);
    sw->axis_col = calloc(n, sizeof *sw->axis_col);
    sw->tie_names = calloc(n, sizeof *sw->tie_names);
    if (!sw->axes || !sw->axis_line || !sw->axis_col || !sw->tie_names)
        return bz_error_oom(c->err, NULL,
                            n * (sizeof *sw->axes + sizeof *sw->axis_line + sizeof *sw->axis_col +
                                 sizeof *sw->tie_names),
                            "reading %s", c->fname);
    for (size_t i = 0; i < n; i++) {
        sw->n_axes = i + 1; /* so destroy frees what parse_axis allocated */
        int status = parse_axis(c, sw, i, axes->items[i]);
        if (status != BZ_OK) return status;
    }
    assign_ties(sw);
    return BZ_OK;
}

/* --------------------------------------------------------------- the base */

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The text of an inline base: the sweep text with every line outside
 * [first, last] emptied and the "base:" key on the first line blanked, so
 * the base mapping stands alone at its own indentation (a valid YAML
 * document) and keeps the sweep file's lines and columns. */
static char *inline_base_text(const char *text, int first, int last, int key_col)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    if (!out) return NULL;
    size_t o = 0;
    int line = 1;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '\n') {
            out[o++] = ch;
            line++;
            continue;
        }
        if (line < first || line > last) continue;
        out[o++] = ch;
    }
    out[o] = '\0';
    /* Blank "base:" on the first line (key_col is 1-based). */
    char *p = out;
    for (int l = 1; l < first && (p = strchr(p, '\n')); l++)
        p++;
    if (p) {
        p += key_col - 1;
        while (*p && *p != ':' && *p != '\n')
            *p++ = ' ';
        if (*p == ':') *p = ' ';
    }
    return out;
}

static int parse_base(const sctx *c, bz_sweep *sw, const bz_ynode *root, size_t idx)
{
    char b[96];
    const bz_ynode *bn = root->items[idx];
    if (bn->kind == BZ_YNODE_SCALAR) {
        if (!bn->text[0]) return sfail(c, bn, 0, NULL, "expected an experiment file or mapping");
        if (bn->text[0] == '/') {
            sw->base_path = strdup(bn->text);
        } else {
            char *dir = dir_of(sw->path);
            if (!dir) return bz_error_oom(c->err, NULL, strlen(sw->path) + 1, "the sweep's folder");
            size_t len = strlen(dir) + strlen(bn->text) + 2;
            sw->base_path = malloc(len);
            if (sw->base_path) snprintf(sw->base_path, len, "%s/%s", dir, bn->text);
            free(dir);
        }
        if (!sw->base_path)
            return bz_error_oom(c->err, NULL, strlen(sw->path) + strlen(bn->text) + 2,
                                "the base path '%s'", bn->text);
        return BZ_OK;
    }
    if (bn->kind != BZ_YNODE_MAP)
        return sfail(c, bn, 0, NULL, "expected an experiment file or mapping, got %s",
                     shown(bn, b, sizeof b));
    if (bn->key_col != 1)
        return sfail(c, bn, 1, NULL, "an inline base needs a block-style sweep file");
    int last = idx + 1 < root->n ? root->items[idx + 1]->key_line - 1 : 1 << 30;
    sw->base_text = inline_base_text(sw->text, bn->key_line, last, bn->key_col);
    if (!sw->base_text)
        return bz_error_oom(c->err, NULL, strlen(sw->text) + 1, "the inline base of %s", c->fname);
    return BZ_OK;
}

static int load_base(const bz_sweep *sw, const char *const *sets, size_t n_sets, bz_experiment *x,
                     bz_error *err)
{
    if (sw->base_path) return bz_experiment_load(x, sw->base_path, sets, n_sets, err);
    return bz_experiment_load_string(x, sw->base_text, sw->path, sets, n_sets, err);
}

/* ---------------------------------------------------------------- top level */

static int parse_design(const sctx *c, bz_sweep *sw, const bz_ynode *dn)
{
    int status = BZ_OK;
    char b[96];
    sw->design_kind = BZ_DESIGN_GRID;
    if (!dn) return BZ_OK;
    BZ_CHECK(check_keys(c, dn, design_keys, NULL));
    const bz_ynode *kn = bz_ynode_child(dn, "kind"), *sn = bz_ynode_child(dn, "samples");
    if (kn) {
        char list[128];
        const int k = choice_of(kn, key_of(design_keys, "kind"), list, sizeof list);
        if (k < 0)
            return sfail(c, kn, 0, NULL, "expected %s, got %s", list, shown(kn, b, sizeof b));
        sw->design_kind = k;
    }
    uint64_t samples = 0;
    if (sn) BZ_CHECK(get_u64(c, sn, NULL, key_of(design_keys, "samples"), &samples));
    if (sw->design_kind != BZ_DESIGN_GRID && !sn)
        return sfail(c, dn, 0, NULL, "an lhs or sobol design needs 'samples'");
    sw->samples = sw->design_kind == BZ_DESIGN_GRID ? 0 : (size_t)samples;
cleanup:
    return status;
}

static int parse_outcomes(const sctx *c, bz_sweep *sw, const bz_ynode *on)
{
    char b[96];
    if (!on) {
        sw->n_kept = BZ_N_OUTCOMES;
        for (int k = 0; k < BZ_N_OUTCOMES; k++)
            sw->kept[k] = k;
        return BZ_OK;
    }
    if (on->kind != BZ_YNODE_SEQ || on->n == 0 || on->n > BZ_N_OUTCOMES)
        return sfail(c, on, 0, NULL, "expected a list of 1 to %d outcome names, got %s",
                     BZ_N_OUTCOMES, shown(on, b, sizeof b));
    for (size_t i = 0; i < on->n; i++) {
        const bz_ynode *v = on->items[i];
        int k = -1;
        if (v->kind == BZ_YNODE_SCALAR) k = bz_outcome_find(v->text);
        if (k < 0) {
            char known[1024];
            size_t used = 0;
            for (int j = 0; j < BZ_N_OUTCOMES && used < sizeof known; j++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", j ? ", " : "",
                                         bz_outcome_defs[j].name);
            return sfail(c, v, 0, NULL, "expected an outcome (%s), got %s", known,
                         shown(v, b, sizeof b));
        }
        for (int j = 0; j < sw->n_kept; j++)
            if (sw->kept[j] == k) return sfail(c, v, 0, NULL, "outcome '%s' given twice", v->text);
        sw->kept[sw->n_kept++] = k;
    }
    return BZ_OK;
}

static int parse_arms(const sctx *c, bz_sweep *sw, const bz_ynode *an)
{
    char b[96];
    if (!an) return BZ_OK;
    if (an->kind != BZ_YNODE_SEQ || an->n == 0)
        return sfail(c, an, 0, NULL, "expected a non-empty list of arm names, got %s",
                     shown(an, b, sizeof b));
    size_t len = 1;
    for (size_t i = 0; i < an->n; i++) {
        const bz_ynode *v = an->items[i];
        if (v->kind != BZ_YNODE_SCALAR || !v->text[0] || strchr(v->text, ','))
            return sfail(c, v, 0, NULL, "expected an arm name, got %s", shown(v, b, sizeof b));
        len += strlen(v->text) + 1;
    }
    if (!(sw->arms_list = malloc(len))) return bz_error_oom(c->err, NULL, len, "the arms list");
    sw->arms_list[0] = '\0';
    for (size_t i = 0; i < an->n; i++) {
        if (i) strcat(sw->arms_list, ",");
        strcat(sw->arms_list, an->items[i]->text);
    }
    return BZ_OK;
}

/* Everything of the sweep file except the base experiment and the design. */
static int parse_top(const sctx *c, bz_sweep *sw, const bz_ynode *root, uint64_t *seed,
                     int *have_seed, uint64_t *reps, int *have_reps)
{
    int status = BZ_OK;
    char b[96];
    if (root->kind != BZ_YNODE_MAP)
        return sfail(c, root, 0, NULL, "expected a mapping of sweep settings, got %s",
                     shown(root, b, sizeof b));
    BZ_CHECK(check_keys(c, root, bz_sweep_keys, NULL));
    const bz_ynode *n;
    if ((n = bz_ynode_child(root, "name"))) {
        BZ_CHECK(get_word(c, n, NULL, sw->name, sizeof sw->name));
        if (bz_cfg_name_problem(sw->name))
            return sfail(c, n, 0, NULL, "expected a name (%s), got %s",
                         bz_cfg_name_problem(sw->name), shown(n, b, sizeof b));
    } else
        bz_cfg_default_name(sw->path, "sweep", sw->name);
    BZ_CHECK(parse_design(c, sw, bz_ynode_child(root, "design")));
    BZ_CHECK(parse_axes(c, sw, bz_ynode_child(root, "axes")));
    if ((n = bz_ynode_child(root, "replicates"))) {
        BZ_CHECK(get_u64(c, n, NULL, key_of(bz_sweep_keys, "replicates"), reps));
        *have_reps = 1;
    }
    if ((n = bz_ynode_child(root, "seed"))) {
        BZ_CHECK(get_u64(c, n, NULL, key_of(bz_sweep_keys, "seed"), seed));
        *have_seed = 1;
    }
    BZ_CHECK(parse_arms(c, sw, bz_ynode_child(root, "arms")));
    BZ_CHECK(parse_outcomes(c, sw, bz_ynode_child(root, "outcomes")));
    if ((n = bz_ynode_child(root, "keep_series"))) BZ_CHECK(get_bool(c, n, &sw->keep_series));
    if ((n = bz_ynode_child(root, "output"))) {
        BZ_CHECK(check_keys(c, n, output_keys, NULL));
        const bz_ynode *f = bz_ynode_child(n, "file");
        if (f) BZ_CHECK(get_word(c, f, NULL, sw->output, sizeof sw->output));
    }
cleanup:
    return status;
}

/* Arms, outcome columns and time points from point 0 (axes may change the
 * horizon; bz_sweep_check_points holds every point to the same). */
static int take_base(bz_sweep *sw, const bz_experiment *x, bz_error *err)
{
    sw->n_arms = x->n_arms;
    sw->n_out = x->n_arms * (size_t)sw->n_kept;
    sw->T = x->n_steps + 1;
    sw->arm_names = calloc(x->n_arms, sizeof *sw->arm_names);
    sw->out_names = calloc(sw->n_out, sizeof *sw->out_names);
    sw->time_days = calloc(sw->T, sizeof *sw->time_days);
    if (!sw->arm_names || !sw->out_names || !sw->time_days)
        return bz_error_oom(err, NULL,
                            x->n_arms * sizeof *sw->arm_names + sw->n_out * sizeof *sw->out_names +
                                sw->T * sizeof *sw->time_days,
                            "the names of %zu arms and %zu outcomes", x->n_arms, sw->n_out);
    for (size_t a = 0; a < x->n_arms; a++) {
        memcpy(sw->arm_names[a], x->arms[a].name, BZ_NAME_MAX);
        for (int k = 0; k < sw->n_kept; k++) {
            char *col = sw->out_names[a * (size_t)sw->n_kept + (size_t)k];
            if (x->n_arms == 1)
                snprintf(col, BZ_SWEEP_COL_MAX, "%s", bz_outcome_defs[sw->kept[k]].name);
            else
                snprintf(col, BZ_SWEEP_COL_MAX, "%s.%s", x->arms[a].name,
                         bz_outcome_defs[sw->kept[k]].name);
        }
    }
    for (uint32_t t = 0; t < sw->T; t++)
        sw->time_days[t] = bz_run_sample_time(x, t); /* as engine/run.c records it */
    return BZ_OK;
}

uint64_t bz_sweep_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
    return bz_sweep_hash(h, s, strlen(s) + 1); /* the NUL separates fields */
}

/* The sweep id: what the results depend on, nothing about formatting. */
static int compute_id(bz_sweep *sw, bz_error *err)
{
    char(*sets)[BZ_SWEEP_SET_MAX] = malloc(bz_sweep_n_sets(sw) * sizeof *sets);
    if (!sets)
        return bz_error_oom(err, NULL, bz_sweep_n_sets(sw) * sizeof *sets, "the sweep's %zu sets",
                            bz_sweep_n_sets(sw));
    uint64_t h = hash_str(BZ_SWEEP_HASH_INIT, "buzzsim sweep 1");
    h = hash_str(h, sw->base_yaml);
    h = hash_str(h, sw->base_path ? "file" : "inline");
    for (size_t p = 0; p < bz_sweep_points(sw); p++) {
        int status = bz_sweep_point_sets(sw, p, sets, err);
        if (status != BZ_OK) {
            free(sets);
            return status;
        }
        for (size_t i = 0; i < bz_sweep_n_sets(sw); i++)
            h = hash_str(h, sets[i]);
    }
    free(sets);
    for (size_t i = 0; i < sw->n_out; i++)
        h = hash_str(h, sw->out_names[i]);
    char tail[128];
    snprintf(tail, sizeof tail, "design=%d samples=%zu series=%d", sw->design_kind, sw->samples,
             sw->keep_series);
    h = hash_str(h, tail);
    snprintf(sw->id, sizeof sw->id, "%016llx", (unsigned long long)h);
    return BZ_OK;
}

/* Axes whose values are not all numbers (strategies, layer names). */
static int find_words(bz_sweep *sw, bz_error *err)
{
    sw->axis_word = calloc(sw->n_axes, sizeof *sw->axis_word);
    sw->dim_names = calloc(sw->design.n_dims ? sw->design.n_dims : 1, sizeof *sw->dim_names);
    if (!sw->axis_word || !sw->dim_names)
        return bz_error_oom(err, NULL,
                            sw->n_axes * sizeof *sw->axis_word +
                                (sw->design.n_dims ? sw->design.n_dims : 1) * sizeof *sw->dim_names,
                            "the names of %zu axes", sw->n_axes);
    for (size_t a = 0; a < sw->n_axes; a++) {
        for (size_t p = 0; p < sw->design.n_points; p++)
            if (isnan(sw->design.num[p * sw->n_axes + a])) sw->axis_word[a] = 1;
        size_t d = (size_t)sw->design.dim_of_axis[a];
        if (d < sw->design.n_dims && !sw->dim_names[d][0])
            snprintf(sw->dim_names[d], sizeof sw->dim_names[d], "%s",
                     sw->tie_names[a][0] ? sw->tie_names[a] : sw->axes[a].key);
    }
    return BZ_OK;
}

int bz_sweep_load_string(bz_sweep *sw, const char *text, const char *name, bz_error *err)
{
    int status = BZ_OK;
    bz_ynode *root = NULL;
    bz_experiment x;
    int loaded = 0;
    memset(sw, 0, sizeof *sw);
    sctx c = {name ? name : "<string>", err};
    uint64_t seed = 0, reps = 0;
    int have_seed = 0, have_reps = 0;
    sw->path = strdup(c.fname);
    sw->text = strdup(text ? text : "");
    if (!sw->path || !sw->text)
        BZ_FAIL_OOM(err, NULL, strlen(c.fname) + strlen(text ? text : "") + 2, "the text of %s",
                    c.fname);
    BZ_CHECK(bz_yaml_parse(sw->text, strlen(sw->text), c.fname, &root, err));
    BZ_CHECK(parse_top(&c, sw, root, &seed, &have_seed, &reps, &have_reps));
    size_t bi = 0;
    while (bi < root->n && strcmp(root->items[bi]->key, "base") != 0)
        bi++;
    if (bi == root->n)
        BZ_FAIL(err, BZ_EINVAL, "%s:1:1: base: missing: the experiment file (or mapping) to vary",
                c.fname);
    BZ_CHECK(parse_base(&c, sw, root, bi));

    /* The base alone gives the default seed and replicates. */
    BZ_CHECK(load_base(sw, NULL, 0, &x, err));
    loaded = 1;
    sw->seed = have_seed ? seed : x.seed;
    sw->replicates = have_reps ? (uint32_t)reps : x.replicates;
    bz_experiment_destroy(&x);
    loaded = 0;
    char sets[2][64];
    snprintf(sets[0], sizeof sets[0], "seed=%llu", (unsigned long long)sw->seed);
    snprintf(sets[1], sizeof sets[1], "replicates=%u", (unsigned)sw->replicates);
    const char *setp[2] = {sets[0], sets[1]};
    BZ_CHECK(load_base(sw, setp, 2, &x, err));
    loaded = 1;
    if (sw->arms_list && bz_experiment_select_arms(&x, sw->arms_list, err) != BZ_OK) {
        const bz_ynode *an = bz_ynode_child(root, "arms");
        bz_error e = *err;
        BZ_FAIL(err, BZ_EINVAL, "%s:%d:%d: arms: %s", c.fname, an->line, an->col, e.msg);
    }
    if (!(sw->base_yaml = strdup(x.resolved_yaml ? x.resolved_yaml : "")))
        BZ_FAIL_OOM(err, NULL, strlen(x.resolved_yaml ? x.resolved_yaml : "") + 1,
                    "the resolved base experiment");
    bz_experiment_destroy(&x);
    loaded = 0;

    bz_error derr;
    bz_error_clear(&derr);
    if (bz_design_build(&sw->design, sw->axes, sw->n_axes, sw->design_kind, sw->samples, sw->seed,
                        &derr) != BZ_OK) {
        const bz_ynode *dn = bz_ynode_child(root, "design");
        if (!dn) dn = bz_ynode_child(root, "axes");
        BZ_FAIL(err, derr.code ? derr.code : BZ_EINVAL, "%s:%d:%d: design: %s", c.fname,
                dn ? dn->line : 1, dn ? dn->col : 1, derr.msg);
    }
    BZ_CHECK(find_words(sw, err));
    BZ_CHECK(bz_sweep_load_point(sw, 0, &x, err));
    loaded = 1;
    BZ_CHECK(take_base(sw, &x, err));
    BZ_CHECK(compute_id(sw, err));
cleanup:
    if (loaded) bz_experiment_destroy(&x);
    bz_ynode_free(root);
    if (status != BZ_OK) bz_sweep_destroy(sw);
    return status;
}

int bz_sweep_load(bz_sweep *sw, const char *path, bz_error *err)
{
    char *text = NULL;
    memset(sw, 0, sizeof *sw);
    if (!path) return bz_error_set(err, BZ_EINVAL, "no sweep file given");
    int status = bz_file_read_text(path, MAX_SWEEP_BYTES, "a sweep file", &text, NULL, err);
    if (status == BZ_OK) status = bz_sweep_load_string(sw, text, path, err);
    free(text);
    return status;
}

void bz_sweep_destroy(bz_sweep *sw)
{
    if (!sw) return;
    for (size_t i = 0; i < sw->n_axes && sw->axes; i++)
        free(sw->axes[i].values);
    free(sw->axes);
    free(sw->axis_line);
    free(sw->axis_col);
    free(sw->tie_names);
    free(sw->dim_names);
    free(sw->axis_word);
    if (sw->design.n_axes || sw->design.u || sw->design.value) bz_design_destroy(&sw->design);
    free(sw->path);
    free(sw->text);
    free(sw->base_path);
    free(sw->base_text);
    free(sw->base_yaml);
    free(sw->arms_list);
    free(sw->arm_names);
    free(sw->out_names);
    free(sw->time_days);
    memset(sw, 0, sizeof *sw);
}

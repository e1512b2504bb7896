/* Sweep files: parsing, validation, the design, and the mapping from a
 * point to the `--set` overrides of the base experiment (sweep/sweep.h).
 *
 * The sweep file is read by the config layer as an experiment's sections
 * are (config/convert.h): each map's keys are checked against its row of
 * bz_sweep_keys, its scalar keys (bz_param) parsed and bounded there, with
 * the same messages "FILE:LINE:COL: KEY.PATH: what was expected, got 'x'",
 * KEY.PATH the sweep file's key path. What is about an axis as a whole
 * (its kind, its range, its distribution's parameters) names the axis key
 * instead. An inline base is handed to the config layer as the sweep
 * file's own text with every line outside the base blanked, so its
 * messages carry the sweep file's lines and columns.
 */
#include "sweep/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/text.h"
#include "config/convert.h"
#include "config/yaml_tree.h"
#include "engine/run.h"

#define MAX_SWEEP_BYTES (16u << 20)
#define MAP_KEYS_MAX 16 /* keys of one map of a sweep file */

/* ------------------------------------------------------------------ keys */

/* The values of the scalar keys of each map, as the config layer stores
 * them. */
typedef struct top_vals {
    char name[BZ_NAME_MAX];
    int64_t replicates, seed;
    int keep_series;
} top_vals;

typedef struct design_vals {
    int kind; /* bz_design_kind */
    int64_t samples;
} design_vals;

typedef struct axis_vals {
    int scale, dist;
    int64_t levels;
    char tie[BZ_NAME_MAX];
    int integer;
} axis_vals;

static const char *const design_kinds[] = {"grid", "lhs", "sobol", NULL}; /* bz_design_kind */
static const char *const axis_scales[] = {"linear", "log", NULL};
static const char *const axis_dists[] = {"uniform", "normal", "lognormal", "beta",
                                         NULL}; /* BZ_AXIS_DIST_* */

/* A scalar key: bz_param {name, type, min, max, default, unit, desc,
 * offset, choices}. A default the loader tells apart from an absent key
 * (replicates, seed, levels, samples, dist) is a placeholder, flagged
 * BZ_SWEEP_KEY_UNSET; `desc` says what absence means. */
#define PARAM(NAME, TYPE, MIN, MAX, DEF, DESC, VALS, FIELD, CHOICES)                               \
    .param = {NAME, TYPE, MIN, MAX, DEF, NULL, DESC, offsetof(VALS, FIELD), CHOICES},              \
    .shape = BZ_SWEEP_PARAM
#define OTHER(NAME, SHAPE, DESC) .param = {.name = NAME, .desc = DESC}, .shape = SHAPE

static const bz_sweep_key axis_keys[] = {
    {OTHER("key", BZ_SWEEP_TEXT,
           "the experiment key path to vary, as for --set (diffusion.q, arms.kol.0.count)"),
     .max = BZ_AXIS_KEY_MAX - 1, .flags = BZ_SWEEP_KEY_REQUIRED},
    {OTHER("values", BZ_SWEEP_LIST,
           "the axis's values, numbers or words (a single value: an override shared by every "
           "point)"),
     .min = 1, .items = "scalar", .flags = BZ_SWEEP_KEY_ONE_OF},
    {OTHER("range", BZ_SWEEP_LIST, "[low, high] of a numeric axis"), .min = 2, .max = 2,
     .items = "number", .flags = BZ_SWEEP_KEY_ONE_OF},
    {PARAM("scale", BZ_PT_ENUM, 0, 0, "linear", "spacing of the range's levels (default: linear)",
           axis_vals, scale, axis_scales),
     .needs = "range"},
    {PARAM("levels", BZ_PT_INT, 1, 1000000, "1",
           "number of levels of the range (needed by a grid design)", axis_vals, levels, NULL),
     .flags = BZ_SWEEP_KEY_UNSET, .needs = "range"},
    {PARAM("dist", BZ_PT_ENUM, 0, 0, "uniform",
           "a distribution to sample the axis from (lhs and sobol designs)", axis_vals, dist,
           axis_dists),
     .flags = BZ_SWEEP_KEY_ONE_OF | BZ_SWEEP_KEY_UNSET},
    {OTHER("params", BZ_SWEEP_LIST,
           "[a, b] of the distribution: uniform low and high, normal mean and sd, lognormal mean "
           "and sd of the log, beta shapes"),
     .min = 2, .max = 2, .items = "number", .needs = "dist"},
    {PARAM("tie", BZ_PT_STRING, 0, 0, "", "tie name: axes with the same tie name vary together",
           axis_vals, tie, NULL)},
    {PARAM("integer", BZ_PT_BOOL, 0, 0, "false", "round the axis's values to integers", axis_vals,
           integer, NULL)},
    {.param = {.name = NULL}},
};

static const bz_sweep_key design_keys[] = {
    {PARAM("kind", BZ_PT_ENUM, 0, 0, "grid",
           "how points are drawn: grid (every combination of the axes' values), lhs (a Latin "
           "hypercube) or sobol (Saltelli's design, for Sobol indices); default: grid",
           design_vals, kind, design_kinds)},
    {PARAM("samples", BZ_PT_INT, 1, 100000000, "1",
           "points of an lhs design, base points N of a sobol design (needed by both)", design_vals,
           samples, NULL),
     .flags = BZ_SWEEP_KEY_UNSET},
    {.param = {.name = NULL}},
};

static const bz_sweep_key output_keys[] = {
    {OTHER("file", BZ_SWEEP_TEXT, "where buzzsim sweep writes its HDF5 file when -o is not given"),
     .max = sizeof(((bz_sweep *)0)->output) - 1},
    {.param = {.name = NULL}},
};

const bz_sweep_key bz_sweep_keys[] = {
    {PARAM("name", BZ_PT_STRING, 0, 0, "",
           "sweep name; default: the file name without its extension", top_vals, name, NULL)},
    {OTHER("base", BZ_SWEEP_BASE,
           "the base experiment: a file name (relative to the sweep file) or an inline "
           "experiment"),
     .flags = BZ_SWEEP_KEY_REQUIRED},
    {OTHER("axes", BZ_SWEEP_LIST, "the axes: what varies from point to point"), .min = 1,
     .items = "object", .keys = axis_keys, .flags = BZ_SWEEP_KEY_REQUIRED},
    {OTHER("design", BZ_SWEEP_MAP, "how the points are drawn from the axes (default: a grid)"),
     .keys = design_keys},
    {PARAM("replicates", BZ_PT_INT, 1, 100000, "1",
           "runs of every arm at every point; default: the base's", top_vals, replicates, NULL),
     .flags = BZ_SWEEP_KEY_UNSET},
    {PARAM("seed", BZ_PT_INT, 0, INFINITY, "0",
           "the seed of every point (common random numbers); default: the base's", top_vals, seed,
           NULL),
     .flags = BZ_SWEEP_KEY_UNSET},
    {OTHER("arms", BZ_SWEEP_LIST,
           "the arms of the base to run, in order (baseline, when listed, stays first as the "
           "reference; else the first is); default: all"),
     .min = 1, .items = "string"},
    {OTHER("outcomes", BZ_SWEEP_LIST, "the outcomes to keep, in order; default: all"), .min = 1,
     .max = BZ_N_OUTCOMES, .items = "outcome"},
    {PARAM("keep_series", BZ_PT_BOOL, 0, 0, "false",
           "keep each point's mean adopters series of every arm", top_vals, keep_series, NULL)},
    {OTHER("output", BZ_SWEEP_MAP, "where the results go"), .keys = output_keys},
    {.param = {.name = NULL}},
};

/* The row `name` of a key table. */
static const bz_sweep_key *key_of(const bz_sweep_key *keys, const char *name)
{
    while (keys->param.name && strcmp(keys->param.name, name) != 0)
        keys++;
    return keys;
}

/* Map `map` as its key table says: every key known (in the table's order
 * in the message), the scalar keys' defaults then values into dst (NULL
 * when the map has none); the other keys are left to the caller. */
static int read_map(bz_cfg_ctx *c, bz_ynode *map, const bz_sweep_key *keys, void *dst)
{
    int status = BZ_OK;
    bz_param params[MAP_KEYS_MAX];
    const char *names[MAP_KEYS_MAX + 1];
    size_t n = 0, np = 0;
    for (; keys[n].param.name && n < MAP_KEYS_MAX; n++) {
        names[n] = keys[n].param.name;
        if (keys[n].shape == BZ_SWEEP_PARAM) params[np++] = keys[n].param;
    }
    names[n] = NULL;
    BZ_CHECK(bz_cfg_check_keys(c, map, names, NULL, 0));
    if (dst) BZ_CHECK(bz_params_set_defaults(params, np, dst, c->err));
    if (dst) BZ_CHECK(bz_cfg_read_params(c, map, params, np, dst));
cleanup:
    return status;
}

/* Map n (a mapping, else an error) read by read_map. */
static int read_map_node(bz_cfg_ctx *c, bz_ynode *n, const bz_sweep_key *keys, void *dst)
{
    char b[96];
    if (n->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, n, 0, NULL, "expected a mapping, got %s",
                           bz_cfg_shown(n, b, sizeof b));
    return read_map(c, n, keys, dst);
}

/* A BZ_SWEEP_TEXT key `name` of map (if present) into out[size]: a
 * non-empty scalar of at most size - 1 characters. */
static int read_text(bz_cfg_ctx *c, bz_ynode *map, const char *name, char *out, size_t size)
{
    bz_ynode *v = bz_ynode_child(map, name);
    if (!v) return BZ_OK;
    return bz_cfg_read_text(c, v, "a value", size, out);
}

/* A number of a range or of a distribution's parameters. */
static int read_number(bz_cfg_ctx *c, bz_ynode *v, const char *list, double *out)
{
    const bz_param number = {list, BZ_PT_REAL, 0, 0, NULL, NULL, NULL, 0, NULL};
    return bz_cfg_read_param(c, v, &number, out);
}

/* ------------------------------------------------------------------ axes */

static int parse_axis(bz_cfg_ctx *c, bz_sweep *sw, size_t i, bz_ynode *an)
{
    int status = BZ_OK;
    char b[96];
    bz_axis *ax = &sw->axes[i];
    axis_vals av;
    BZ_CHECK(read_map_node(c, an, axis_keys, &av));
    sw->axis_line[i] = an->line;
    sw->axis_col[i] = an->col;
    bz_ynode *kn = bz_ynode_child(an, "key");
    if (!kn)
        return bz_cfg_fail(c, an, 1, "key", "missing required key (%s)",
                           key_of(axis_keys, "key")->param.desc);
    BZ_CHECK(bz_cfg_read_text(c, kn, "a key path", sizeof ax->key, ax->key));
    if (!ax->key[0] || strpbrk(ax->key, "= \t") || ax->key[0] == '.' ||
        ax->key[strlen(ax->key) - 1] == '.' || strstr(ax->key, ".."))
        return bz_cfg_fail(c, kn, 0, NULL, "expected a key path like diffusion.q, got %s",
                           bz_cfg_shown(kn, b, sizeof b));
    if (!strcmp(ax->key, "seed") || !strcmp(ax->key, "replicates"))
        return bz_cfg_fail(c, kn, 0, NULL, "'%s' is set by the sweep itself, not an axis", ax->key);
    for (size_t j = 0; j < i; j++)
        if (!strcmp(sw->axes[j].key, ax->key))
            return bz_cfg_fail(c, kn, 0, NULL, "axis '%s' is given twice", ax->key);
    /* From here on messages name the axis key. */
    const char *k = ax->key;
    bz_ynode *vn = bz_ynode_child(an, "values"), *rn = bz_ynode_child(an, "range"),
             *dn = bz_ynode_child(an, "dist");
    if ((vn != NULL) + (rn != NULL) + (dn != NULL) != 1)
        return bz_cfg_fail_as(c, an, 0, k, "expected exactly one of 'values', 'range' or 'dist'");
    bz_ynode *sn = bz_ynode_child(an, "scale"), *ln = bz_ynode_child(an, "levels"),
             *pn = bz_ynode_child(an, "params");
    if (!rn && (sn || ln))
        return bz_cfg_fail_as(c, sn ? sn : ln, 1, k, "'scale' and 'levels' go with 'range'");
    if (!dn && pn) return bz_cfg_fail_as(c, pn, 1, k, "'params' goes with 'dist'");
    if (vn) {
        if (vn->kind != BZ_YNODE_SEQ || vn->n == 0)
            return bz_cfg_fail_as(c, vn, 0, k, "expected a non-empty list of values, got %s",
                                  vn->kind == BZ_YNODE_SEQ ? "an empty list"
                                                           : bz_cfg_shown(vn, b, sizeof b));
        ax->kind = BZ_AXIS_LIST;
        ax->n_values = vn->n;
        ax->values = calloc(vn->n, sizeof *ax->values);
        if (!ax->values)
            BZ_FAIL_OOM(c->err, NULL, vn->n * sizeof *ax->values, "reading %s", c->fname);
        for (size_t j = 0; j < vn->n; j++) {
            const bz_ynode *v = vn->items[j];
            if (v->kind != BZ_YNODE_SCALAR || !v->text[0] || strlen(v->text) >= BZ_AXIS_VALUE_MAX)
                return bz_cfg_fail_as(c, v, 0, k,
                                      "expected a value of at most %d characters, got %s",
                                      BZ_AXIS_VALUE_MAX - 1, bz_cfg_shown(v, b, sizeof b));
            snprintf(ax->values[j], sizeof ax->values[j], "%s", v->text);
        }
    } else if (rn) {
        if (rn->kind != BZ_YNODE_SEQ || rn->n != 2)
            return bz_cfg_fail_as(c, rn, 0, k, "expected a range [low, high], got %s",
                                  bz_cfg_shown(rn, b, sizeof b));
        BZ_CHECK(read_number(c, rn->items[0], "range", &ax->lo));
        BZ_CHECK(read_number(c, rn->items[1], "range", &ax->hi));
        ax->kind = av.scale == 1 ? BZ_AXIS_LOG : BZ_AXIS_LINEAR;
        if (ax->lo > ax->hi)
            return bz_cfg_fail_as(c, rn, 0, k, "empty range [%g, %g]: low is above high", ax->lo,
                                  ax->hi);
        if (ax->kind == BZ_AXIS_LOG && ax->lo <= 0)
            return bz_cfg_fail_as(c, rn, 0, k, "a log range needs low > 0, got [%g, %g]", ax->lo,
                                  ax->hi);
        if (!ln && sw->design_kind == BZ_DESIGN_GRID)
            return bz_cfg_fail_as(c, rn, 0, k, "a range on a grid design needs 'levels'");
        ax->n_values = ln ? (size_t)av.levels : 0;
    } else {
        const int d = av.dist;
        ax->kind = BZ_AXIS_DIST;
        if (sw->design_kind == BZ_DESIGN_GRID)
            return bz_cfg_fail_as(c, dn, 0, k,
                                  "a distribution needs an lhs or sobol design, not grid");
        ax->dist = d;
        if (!pn || pn->kind != BZ_YNODE_SEQ || pn->n != 2)
            return bz_cfg_fail_as(c, pn ? pn : an, 0, k,
                                  "expected params: [a, b] for the %s distribution", axis_dists[d]);
        BZ_CHECK(read_number(c, pn->items[0], "params", &ax->a));
        BZ_CHECK(read_number(c, pn->items[1], "params", &ax->b));
        int bad = (d == BZ_AXIS_DIST_UNIFORM && !(ax->a < ax->b)) ||
                  ((d == BZ_AXIS_DIST_NORMAL || d == BZ_AXIS_DIST_LOGNORMAL) && !(ax->b > 0)) ||
                  (d == BZ_AXIS_DIST_BETA && !(ax->a > 0 && ax->b > 0));
        if (bad)
            return bz_cfg_fail_as(c, pn, 0, k, "bad %s params [%g, %g] (%s)", axis_dists[d], ax->a,
                                  ax->b,
                                  d == BZ_AXIS_DIST_UNIFORM ? "empty range: need low < high"
                                  : d == BZ_AXIS_DIST_BETA  ? "need both shapes > 0"
                                                            : "need a positive spread");
    }
    ax->integer = av.integer;
    memcpy(sw->tie_names[i], av.tie, sizeof sw->tie_names[i]);
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

static int parse_axes(bz_cfg_ctx *c, bz_sweep *sw, bz_ynode *axes)
{
    char b[96];
    if (!axes) return bz_cfg_fail(c, NULL, 0, "axes", "missing: a sweep needs at least one axis");
    if (axes->kind != BZ_YNODE_SEQ || axes->n == 0)
        return bz_cfg_fail(c, axes, 0, NULL, "expected a non-empty list of axes, got %s",
                           axes->kind == BZ_YNODE_SEQ ? "an empty list"
                                                      : bz_cfg_shown(axes, b, sizeof b));
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

static int parse_base(bz_cfg_ctx *c, bz_sweep *sw, const bz_ynode *root, size_t idx)
{
    char b[96];
    const bz_ynode *bn = root->items[idx];
    if (bn->kind == BZ_YNODE_SCALAR) {
        if (!bn->text[0])
            return bz_cfg_fail(c, bn, 0, NULL, "expected an experiment file or mapping");
        if (bn->text[0] == '/') {
            sw->base_path = strdup(bn->text);
        } else {
            char *dir = bz_file_dir_of(sw->path);
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
        return bz_cfg_fail(c, bn, 0, NULL, "expected an experiment file or mapping, got %s",
                           bz_cfg_shown(bn, b, sizeof b));
    if (bn->key_col != 1)
        return bz_cfg_fail(c, bn, 1, NULL, "an inline base needs a block-style sweep file");
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

static int parse_design(bz_cfg_ctx *c, bz_sweep *sw, bz_ynode *dn)
{
    int status = BZ_OK;
    design_vals dv = {BZ_DESIGN_GRID, 0};
    if (dn) BZ_CHECK(read_map_node(c, dn, design_keys, &dv));
    sw->design_kind = dv.kind;
    if (sw->design_kind != BZ_DESIGN_GRID && !bz_ynode_child(dn, "samples"))
        return bz_cfg_fail(c, dn, 0, NULL, "an lhs or sobol design needs 'samples'");
    sw->samples = sw->design_kind == BZ_DESIGN_GRID ? 0 : (size_t)dv.samples;
cleanup:
    return status;
}

static int parse_outcomes(bz_cfg_ctx *c, bz_sweep *sw, const bz_ynode *on)
{
    char b[96];
    if (!on) {
        sw->n_kept = BZ_N_OUTCOMES;
        for (int k = 0; k < BZ_N_OUTCOMES; k++)
            sw->kept[k] = k;
        return BZ_OK;
    }
    if (on->kind != BZ_YNODE_SEQ || on->n == 0 || on->n > BZ_N_OUTCOMES)
        return bz_cfg_fail(c, on, 0, NULL, "expected a list of 1 to %d outcome names, got %s",
                           BZ_N_OUTCOMES, bz_cfg_shown(on, b, sizeof b));
    for (size_t i = 0; i < on->n; i++) {
        const bz_ynode *v = on->items[i];
        int k = -1;
        if (v->kind == BZ_YNODE_SCALAR) k = bz_outcome_find(v->text);
        if (k < 0) {
            char known[1024];
            size_t used = 0;
            for (int j = 0; j < BZ_N_OUTCOMES; j++)
                used = bz_text_add(known, sizeof known, used, ", ", "%s", bz_outcome_defs[j].name);
            return bz_cfg_fail(c, v, 0, NULL, "expected an outcome (%s), got %s", known,
                               bz_cfg_shown(v, b, sizeof b));
        }
        for (int j = 0; j < sw->n_kept; j++)
            if (sw->kept[j] == k)
                return bz_cfg_fail(c, v, 0, NULL, "outcome '%s' given twice", v->text);
        sw->kept[sw->n_kept++] = k;
    }
    return BZ_OK;
}

static int parse_arms(bz_cfg_ctx *c, bz_sweep *sw, const bz_ynode *an)
{
    char b[96];
    if (!an) return BZ_OK;
    if (an->kind != BZ_YNODE_SEQ || an->n == 0)
        return bz_cfg_fail(c, an, 0, NULL, "expected a non-empty list of arm names, got %s",
                           bz_cfg_shown(an, b, sizeof b));
    size_t len = 1;
    for (size_t i = 0; i < an->n; i++) {
        const bz_ynode *v = an->items[i];
        if (v->kind != BZ_YNODE_SCALAR || !v->text[0] || strchr(v->text, ','))
            return bz_cfg_fail(c, v, 0, NULL, "expected an arm name, got %s",
                               bz_cfg_shown(v, b, sizeof b));
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

/* Everything of the sweep file except the base experiment. */
static int parse_top(bz_cfg_ctx *c, bz_sweep *sw, bz_ynode *root, uint64_t *seed, int *have_seed,
                     uint64_t *reps, int *have_reps)
{
    int status = BZ_OK;
    char b[96];
    top_vals tv;
    if (root->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, root, 0, NULL, "expected a mapping of sweep settings, got %s",
                           bz_cfg_shown(root, b, sizeof b));
    BZ_CHECK(read_map(c, root, bz_sweep_keys, &tv));
    bz_ynode *n;
    if ((n = bz_ynode_child(root, "name"))) {
        if (bz_cfg_name_problem(tv.name))
            return bz_cfg_fail(c, n, 0, NULL, "expected a name (%s), got %s",
                               bz_cfg_name_problem(tv.name), bz_cfg_shown(n, b, sizeof b));
        memcpy(sw->name, tv.name, sizeof sw->name);
    } else
        bz_cfg_default_name(sw->path, "sweep", sw->name);
    BZ_CHECK(parse_design(c, sw, bz_ynode_child(root, "design")));
    BZ_CHECK(parse_axes(c, sw, bz_ynode_child(root, "axes")));
    *have_reps = bz_ynode_child(root, "replicates") != NULL;
    *reps = (uint64_t)tv.replicates;
    *have_seed = bz_ynode_child(root, "seed") != NULL;
    *seed = (uint64_t)tv.seed;
    BZ_CHECK(parse_arms(c, sw, bz_ynode_child(root, "arms")));
    BZ_CHECK(parse_outcomes(c, sw, bz_ynode_child(root, "outcomes")));
    sw->keep_series = tv.keep_series;
    if ((n = bz_ynode_child(root, "output"))) {
        BZ_CHECK(read_map_node(c, n, output_keys, NULL));
        BZ_CHECK(read_text(c, n, "file", sw->output, sizeof sw->output));
    }
cleanup:
    return status;
}

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
    bz_cfg_ctx c;
    memset(&c, 0, sizeof c);
    c.fname = name ? name : "<string>";
    c.err = err;
    c.choices_or = 1; /* "expected grid, lhs or sobol", as sweep files always said */
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
        BZ_CHECK(
            bz_cfg_fail(&c, NULL, 0, "base", "missing: the experiment file (or mapping) to vary"));
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
        bz_error e = *err;
        BZ_CHECK(bz_cfg_fail(&c, bz_ynode_child(root, "arms"), 0, NULL, "%s", e.msg));
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

/* Plan files: parsing and checking (optimize/plan.h). Sections are read
 * with the config layer's readers (config/convert.h), so messages, number
 * syntax and key checks are those of experiment files. */
#include "optimize/plan.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/text.h"
#include "config/convert.h"
#include "engine/campaign.h"
#include "config/yaml_tree.h"

#define MAX_PLAN_BYTES (4u << 20)

const char *const bz_opt_method_names[] = {"direct+bobyqa", "direct", "crs2",
                                           "bobyqa",        "cobyla", NULL};

typedef struct top_vals {
    char name[BZ_NAME_MAX];
    char base[BZ_NAME_MAX * 4];
    char arm[BZ_NAME_MAX];
    int relative;
} top_vals;

/* The base key holds a path: longer than a name, so read as text below. */
static const bz_param top_params[] = {
    {"name", BZ_PT_STRING, 0, 0, "", NULL, "name of the plan (default: the file's stem)",
     offsetof(top_vals, name), NULL},
    {"arm", BZ_PT_STRING, 0, 0, NULL, NULL,
     "the arm of the base experiment whose settings are planned", offsetof(top_vals, arm), NULL},
    {"relative", BZ_PT_BOOL, 0, 0, "true", NULL,
     "objective and constraints as the paired difference with the baseline arm",
     offsetof(top_vals, relative), NULL},
};
static const char *const top_extra[] = {"base",        "variables", "budget",      "objective",
                                        "constraints", "search",    "final",       "seed",
                                        "output",      "observed",  "uncertainty", NULL};

typedef struct search_vals {
    int method;
    int64_t evaluations, replicates;
} search_vals;

static const bz_param search_params[] = {
    {"method", BZ_PT_ENUM, 0, 0, "direct+bobyqa", NULL,
     "search method: DIRECT-L then BOBYQA (default), or one of them, CRS2, COBYLA",
     offsetof(search_vals, method), bz_opt_method_names},
    {"evaluations", BZ_PT_INT, 1, 100000, "60", "plans",
     "distinct plans simulated by the search (repeats are free)",
     offsetof(search_vals, evaluations), NULL},
    {"replicates", BZ_PT_INT, 1, 100000, "8", "replicates",
     "replicates per plan during the search (the same streams for every plan)",
     offsetof(search_vals, replicates), NULL},
};

typedef struct final_vals {
    int64_t candidates, replicates;
} final_vals;

static const bz_param final_params[] = {
    {"candidates", BZ_PT_INT, 1, 100, "3", "plans",
     "best plans of the search re-evaluated on fresh replicates", offsetof(final_vals, candidates),
     NULL},
    {"replicates", BZ_PT_INT, 2, 100000, "32", "replicates",
     "fresh replicates of each candidate and of the base plan (the reported figures)",
     offsetof(final_vals, replicates), NULL},
};

typedef struct observed_vals {
    int series;
} observed_vals;
static const char *const observed_series_names[] = {"adopters", "sales", NULL};
static const bz_param observed_params[] = {
    {"series", BZ_PT_ENUM, 0, 0, "adopters", NULL,
     "the arm's series the observations are compared with (cumulative adopters or units sold)",
     offsetof(observed_vals, series), observed_series_names},
};
static const char *const observed_extra[] = {"file", NULL};

typedef struct uncertainty_vals {
    int64_t bootstrap;
} uncertainty_vals;
static const bz_param uncertainty_params[] = {
    {"bootstrap", BZ_PT_INT, 0, 10000, "20", "refits",
     "synthetic series of the fitted model refitted for the intervals (0: Gauss-Newton "
     "intervals, which assume independent errors: too narrow for cumulative counts)",
     offsetof(uncertainty_vals, bootstrap), NULL},
};

typedef struct var_vals {
    int integer, scale;
} var_vals;
static const char *const scales[] = {"linear", "log", NULL};
static const bz_param var_params[] = {
    {"integer", BZ_PT_BOOL, 0, 0, "false", NULL, "round to whole numbers",
     offsetof(var_vals, integer), NULL},
    {"scale", BZ_PT_ENUM, 0, 0, "linear", NULL, "search on a linear or log scale",
     offsetof(var_vals, scale), scales},
};
static const char *const var_extra[] = {"key", "min", "max", "values", NULL};

static const bz_param real_param = {"value", BZ_PT_REAL, -1e300, 1e300, "0", NULL, NULL, 0, NULL};
static const char *const cons_keys[] = {"outcome", "min", "max", NULL};
static const char *const weights_keys[] = {"weights", NULL};
static const char *const output_keys[] = {"file", NULL};

/* A number at node v (any finite real). */
static int read_real(bz_cfg_ctx *c, bz_ynode *v, double *out)
{
    char b[96];
    bz_error e;
    bz_ynode_use(v, 0);
    if (v->kind != BZ_YNODE_SCALAR || bz_param_parse(&real_param, v->text, out, &e) != BZ_OK)
        return bz_cfg_fail(c, v, 0, NULL, "expected a number, got %s",
                           bz_cfg_shown(v, b, sizeof b));
    return BZ_OK;
}

/* A scalar's text at node v, at most size - 1 bytes. */
static int read_text(bz_cfg_ctx *c, bz_ynode *v, const char *what, char *out, size_t size)
{
    char b[96];
    bz_ynode_use(v, 0);
    if (v->kind != BZ_YNODE_SCALAR || !v->text[0] || strlen(v->text) >= size)
        return bz_cfg_fail(c, v, 0, NULL, "expected %s (at most %zu characters), got %s", what,
                           size - 1, bz_cfg_shown(v, b, sizeof b));
    snprintf(out, size, "%s", v->text);
    return BZ_OK;
}

/* An outcome name at node v. */
static int read_outcome(bz_cfg_ctx *c, bz_ynode *v, int *out)
{
    char b[96];
    bz_ynode_use(v, 0);
    *out = v->kind == BZ_YNODE_SCALAR ? bz_outcome_find(v->text) : -1;
    if (*out < 0)
        return bz_cfg_fail(c, v, 0, NULL,
                           "expected an outcome (buzzsim models --outputs: profit, final_adopters, "
                           "revenue, spend, ...), got %s",
                           bz_cfg_shown(v, b, sizeof b));
    return BZ_OK;
}

static int parse_var(bz_cfg_ctx *c, bz_opt_plan *pl, bz_ynode *vn)
{
    int status = BZ_OK;
    char b[96];
    bz_opt_var *v = &pl->vars[pl->n_vars];
    var_vals vv;
    bz_ynode_use(vn, 0);
    if (vn->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, vn, 0, NULL,
                           "expected a variable {key, min, max} or {key, values}, got %s",
                           bz_cfg_shown(vn, b, sizeof b));
    BZ_CHECK(bz_cfg_read_section(c, vn, var_extra, var_params, BZ_PARAMS_COUNT(var_params), &vv));
    bz_ynode *kn = bz_ynode_child(vn, "key"), *lo = bz_ynode_child(vn, "min"),
             *hi = bz_ynode_child(vn, "max"), *vals = bz_ynode_child(vn, "values");
    if (!kn) return bz_cfg_fail(c, vn, 1, "key", "missing required key (a --set key path)");
    BZ_CHECK(read_text(c, kn, "a key path of the base experiment", v->key, sizeof v->key));
    for (size_t i = 0; i < pl->n_vars; i++)
        if (!strcmp(pl->vars[i].key, v->key))
            return bz_cfg_fail(c, kn, 0, NULL, "'%s' is already variable %zu", v->key, i);
    v->line = kn->line;
    v->col = kn->col;
    if (vals) {
        bz_ynode_use(vals, 0);
        if (lo || hi)
            return bz_cfg_fail(c, lo ? lo : hi, 1, NULL,
                               "give either values or min and max, not both");
        if (vals->kind != BZ_YNODE_SEQ || vals->n < 1 || vals->n > BZ_OPT_CHOICES_MAX)
            return bz_cfg_fail(c, vals, 0, NULL, "expected a list of 1 to %d values, got %s",
                               BZ_OPT_CHOICES_MAX, bz_cfg_shown(vals, b, sizeof b));
        v->kind = BZ_VAR_CHOICE;
        v->choices = calloc(vals->n, sizeof *v->choices);
        if (!v->choices) return bz_cfg_oom(c, vals->n * sizeof *v->choices, "a variable's values");
        v->n_choices = vals->n;
        for (size_t i = 0; i < vals->n; i++)
            BZ_CHECK(read_text(c, vals->items[i], "a value as --set text", v->choices[i],
                               sizeof v->choices[i]));
        v->min = 0;
        v->max = (double)vals->n - 1;
    } else {
        if (!lo) return bz_cfg_fail(c, vn, 1, "min", "missing required key (a number)");
        if (!hi) return bz_cfg_fail(c, vn, 1, "max", "missing required key (a number)");
        BZ_CHECK(read_real(c, lo, &v->min));
        BZ_CHECK(read_real(c, hi, &v->max));
        if (!(v->min < v->max))
            return bz_cfg_fail(c, hi, 0, NULL, "expected max > min (%g), got %g", v->min, v->max);
        v->kind = vv.integer ? BZ_VAR_INT : BZ_VAR_REAL;
        v->log = vv.scale == 1;
        if (v->log && !(v->min > 0))
            return bz_cfg_fail(c, lo, 0, NULL, "expected min > 0 on a log scale, got %g", v->min);
        if (v->kind == BZ_VAR_INT && ceil(v->min) > floor(v->max))
            return bz_cfg_fail(c, hi, 0, NULL, "no whole number between min %g and max %g", v->min,
                               v->max);
    }
    pl->n_vars++;
cleanup:
    return status;
}

static int parse_objective(bz_cfg_ctx *c, bz_opt_plan *pl, bz_ynode *on)
{
    int status = BZ_OK;
    char b[96];
    if (!on) { /* profit by default */
        pl->terms[0].outcome = BZ_OUT_PROFIT;
        pl->terms[0].weight = 1;
        pl->n_terms = 1;
        return BZ_OK;
    }
    bz_ynode_use(on, 0);
    if (on->kind == BZ_YNODE_SCALAR) {
        BZ_CHECK(read_outcome(c, on, &pl->terms[0].outcome));
        pl->terms[0].weight = 1;
        pl->n_terms = 1;
        return BZ_OK;
    }
    bz_ynode *w = on->kind == BZ_YNODE_MAP ? bz_ynode_child(on, "weights") : NULL;
    if (!w)
        return bz_cfg_fail(c, on, 0, NULL,
                           "expected an outcome or { weights: {OUTCOME: w} }, got %s",
                           bz_cfg_shown(on, b, sizeof b));
    BZ_CHECK(bz_cfg_check_keys(c, on, weights_keys, NULL, 0));
    bz_ynode_use(w, 0);
    if (w->kind != BZ_YNODE_MAP || w->n < 1 || w->n > BZ_OPT_TERMS_MAX)
        return bz_cfg_fail(c, w, 0, NULL,
                           "expected a mapping of 1 to %d outcomes to weights, got %s",
                           BZ_OPT_TERMS_MAX, bz_cfg_shown(w, b, sizeof b));
    for (size_t i = 0; i < w->n; i++) {
        bz_ynode *t = w->items[i];
        bz_opt_term *term = &pl->terms[pl->n_terms];
        term->outcome = bz_outcome_find(t->key);
        if (term->outcome < 0)
            return bz_cfg_fail(c, t, 1, NULL,
                               "expected an outcome name (buzzsim models --outputs), got '%.80s'",
                               t->key);
        BZ_CHECK(read_real(c, t, &term->weight));
        pl->n_terms++;
    }
cleanup:
    return status;
}

static int parse_constraints(bz_cfg_ctx *c, bz_opt_plan *pl, bz_ynode *cn)
{
    int status = BZ_OK;
    char b[96];
    if (!cn) return BZ_OK;
    bz_ynode_use(cn, 0);
    if (cn->kind != BZ_YNODE_SEQ || cn->n > BZ_OPT_CONS_MAX)
        return bz_cfg_fail(c, cn, 0, NULL,
                           "expected a list of at most %d {outcome, min, max}, got %s",
                           BZ_OPT_CONS_MAX, bz_cfg_shown(cn, b, sizeof b));
    for (size_t i = 0; i < cn->n; i++) {
        bz_ynode *m = cn->items[i];
        bz_opt_constraint *k = &pl->cons[pl->n_cons];
        bz_ynode_use(m, 0);
        if (m->kind != BZ_YNODE_MAP)
            return bz_cfg_fail(c, m, 0, NULL, "expected a constraint {outcome, min, max}, got %s",
                               bz_cfg_shown(m, b, sizeof b));
        BZ_CHECK(bz_cfg_check_keys(c, m, cons_keys, NULL, 0));
        bz_ynode *o = bz_ynode_child(m, "outcome"), *lo = bz_ynode_child(m, "min"),
                 *hi = bz_ynode_child(m, "max");
        if (!o) return bz_cfg_fail(c, m, 1, "outcome", "missing required key (an outcome)");
        if (!lo && !hi) return bz_cfg_fail(c, m, 1, "max", "missing key: give min, max or both");
        BZ_CHECK(read_outcome(c, o, &k->outcome));
        k->min = -INFINITY;
        k->max = INFINITY;
        if (lo) BZ_CHECK(read_real(c, lo, &k->min));
        if (hi) BZ_CHECK(read_real(c, hi, &k->max));
        if (!(k->min <= k->max))
            return bz_cfg_fail(c, hi, 0, NULL, "expected max >= min (%g), got %g", k->min, k->max);
        pl->n_cons++;
    }
cleanup:
    return status;
}

/* The observed series: "TIME VALUE" lines (module comment of plan.h). */
static int read_observed(bz_cfg_ctx *c, bz_opt_plan *pl, const bz_ynode *at)
{
    int status = BZ_OK;
    char *text = NULL;
    size_t len = 0, cap = 0, line = 0;
    bz_error e;
    if (bz_file_read_text(pl->observed_path, MAX_PLAN_BYTES, "observed series", &text, &len, &e) !=
        BZ_OK)
        return bz_cfg_fail(c, at, 0, NULL, "%s", e.msg);
    for (char *p = text, *next; p && *p; p = next) {
        next = strchr(p, '\n');
        if (next) *next++ = '\0';
        line++;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p || *p == '#') continue;
        char tword[64], vword[64], extra;
        int got = sscanf(p, "%63s %63s %c", tword, vword, &extra);
        double t, v;
        char *end;
        if (got != 2)
            BZ_FAIL(c->err, BZ_EINVAL, "%s:%zu: expected TIME VALUE (two columns), got '%.80s'",
                    pl->observed_path, line, p);
        t = strtod(tword, &end);
        if (*end && bz_parse_duration(tword, &t, &e) != BZ_OK)
            BZ_FAIL(c->err, BZ_EINVAL,
                    "%s:%zu: time: expected days or a duration with a unit (5m, 2h), got '%s'",
                    pl->observed_path, line, tword);
        v = strtod(vword, &end);
        if (*end || !isfinite(v) || !isfinite(t) || t < 0)
            BZ_FAIL(c->err, BZ_EINVAL,
                    "%s:%zu: expected a time >= 0 and a finite value, got '%s %s'",
                    pl->observed_path, line, tword, vword);
        if (pl->n_obs && !(t > pl->obs_t[pl->n_obs - 1]))
            BZ_FAIL(c->err, BZ_EINVAL, "%s:%zu: times must increase, got %s after %g days",
                    pl->observed_path, line, tword, pl->obs_t[pl->n_obs - 1]);
        if (pl->n_obs == cap) {
            cap = cap ? 2 * cap : 64;
            double *nt = realloc(pl->obs_t, cap * sizeof *nt);
            if (nt) pl->obs_t = nt;
            double *nv = nt ? realloc(pl->obs_v, cap * sizeof *nv) : NULL;
            if (nv) pl->obs_v = nv;
            if (!nt || !nv)
                BZ_FAIL(c->err, BZ_ENOMEM, "out of memory for %zu observations (%zu bytes)", cap,
                        2 * cap * sizeof(double));
        }
        pl->obs_t[pl->n_obs] = t;
        pl->obs_v[pl->n_obs++] = v;
    }
    if (pl->n_obs <= pl->n_vars)
        BZ_FAIL(c->err, BZ_EINVAL,
                "%s: %zu observations for %zu variables: a fit needs more observations than "
                "variables",
                pl->observed_path, pl->n_obs, pl->n_vars);
cleanup:
    free(text);
    return status;
}

/* `name` as written in the plan file `plan`: relative to the plan's
 * directory (bz_file_dir_of), kept as written when it is absolute or the
 * plan has no directory. A new string, NULL when out of memory. */
static char *beside(const char *plan, const char *name)
{
    char *dir = name[0] == '/' ? NULL : bz_file_dir_of(plan), *out;
    if (name[0] != '/' && !dir) return NULL;
    if (!dir || !strcmp(dir, ".")) {
        out = strdup(name);
    } else {
        size_t len = strlen(dir) + strlen(name) + 2;
        if ((out = malloc(len))) snprintf(out, len, "%s/%s", dir, name);
    }
    free(dir);
    return out;
}

/* A budget (the arm's total) or caps: a number, or { total: N, campaigns:
 * { WHICH: N, ... } } where WHICH is a campaign's position in the arm (as
 * in the --set keys arms.ARM.I.key) or its type when the arm has one
 * campaign of that type. Every amount > 0. */
static int read_amount(bz_cfg_ctx *c, bz_ynode *v, const char *what, const char *why, double *out)
{
    char b[96];
    int status = read_real(c, v, out);
    if (status != BZ_OK) return status;
    if (!(*out > 0))
        return bz_cfg_fail(c, v, 0, NULL, "expected %s > 0 (%s), got %s", what, why,
                           bz_cfg_shown(v, b, sizeof b));
    return BZ_OK;
}

static int parse_budget(bz_cfg_ctx *c, bz_opt_plan *pl, bz_ynode *bud)
{
    int status = BZ_OK;
    static const char *const keys[] = {"total", "campaigns", NULL};
    static const char why[] = "the most the arm may spend, discounts included";
    if (bud->kind != BZ_YNODE_MAP) return read_amount(c, bud, "a budget", why, &pl->budget);
    bz_ynode_use(bud, 0);
    BZ_CHECK(bz_cfg_check_keys(c, bud, keys, NULL, 0));
    bz_ynode *t = bz_ynode_child(bud, "total"), *cm = bz_ynode_child(bud, "campaigns");
    if (t) BZ_CHECK(read_amount(c, t, "a budget", why, &pl->budget));
    if (!t && !cm)
        return bz_cfg_fail(c, bud, 0, NULL,
                           "expected total: and/or campaigns: (caps per campaign)");
    if (!cm) return BZ_OK;
    bz_ynode_use(cm, 0);
    if (cm->kind != BZ_YNODE_MAP || cm->n == 0)
        return bz_cfg_fail(c, cm, 0, NULL,
                           "expected a map of campaigns (position in the arm or type) to caps");
    for (size_t i = 0; i < cm->n; i++) {
        bz_ynode *e = cm->items[i];
        const char *key = e->key;
        char list[1024], *end;
        size_t used = 0, found = SIZE_MAX, same = 0;
        list[0] = '\0';
        for (size_t k = 0; k < pl->n_campaigns; k++)
            used = bz_text_add(list, sizeof list, used, ", ", "%zu %s", k, pl->campaign[k]);
        unsigned long idx = strtoul(key, &end, 10);
        if (key[0] >= '0' && key[0] <= '9' && *end == '\0') {
            if (idx < pl->n_campaigns) found = idx;
        } else {
            for (size_t k = 0; k < pl->n_campaigns; k++)
                if (!strcmp(pl->campaign[k], key)) found = k, same++;
            if (same > 1)
                return bz_cfg_fail(c, e, 1, NULL,
                                   "arm '%s' has %zu %s campaigns: name one by its position "
                                   "(%s)",
                                   pl->arm, same, key, list);
        }
        if (found == SIZE_MAX)
            return bz_cfg_fail(c, e, 1, NULL, "arm '%s' has no campaign '%s' (it has: %s)", pl->arm,
                               key, pl->n_campaigns ? list : "none");
        if (isfinite(pl->cap[found]))
            return bz_cfg_fail(c, e, 1, NULL, "campaign %zu (%s) is capped twice", found,
                               pl->campaign[found]);
        BZ_CHECK(read_amount(c, e, "a cap",
                             "the most the campaign may spend, its discounts included",
                             &pl->cap[found]));
        pl->n_caps++;
    }
cleanup:
    return status;
}

/* Load the base at each variable's bounds (every choice): a key the base
 * does not have, or a value it refuses, is an error at the variable. */
static int check_variables(bz_cfg_ctx *c, bz_opt_plan *pl)
{
    for (size_t i = 0; i < pl->n_vars; i++) {
        const bz_opt_var *v = &pl->vars[i];
        size_t n = v->kind == BZ_VAR_CHOICE ? v->n_choices : 2;
        for (size_t k = 0; k < n; k++) {
            char set[BZ_OPT_KEY_MAX + BZ_OPT_VALUE_MAX + 2], text[BZ_OPT_VALUE_MAX];
            double value;
            double u = n > 1 ? (double)k / (double)(n - 1) : 0;
            bz_opt_var_text(v, u, text, &value);
            snprintf(set, sizeof set, "%s=%s", v->key, text);
            const char *sets[] = {set};
            bz_experiment x;
            bz_error e;
            int st = bz_opt_plan_experiment(pl, sets, 1, &x, &e);
            if (st == BZ_ENOMEM) return bz_error_set(c->err, st, "%s", e.msg);
            if (st != BZ_OK)
                return bz_error_set(c->err, BZ_EINVAL, "%s:%d:%d: variables.%zu.key: %s=%s: %s",
                                    c->fname, v->line, v->col, i, v->key, text, e.msg);
            bz_experiment_destroy(&x);
        }
    }
    return BZ_OK;
}

static int convert(bz_cfg_ctx *c, bz_opt_plan *pl, bz_ynode *root, const char *name)
{
    int status = BZ_OK;
    char b[96];
    top_vals tv;
    bz_ynode *m;
    bz_ynode_use(root, 0);
    if (root->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, root, 0, NULL,
                           "expected a plan mapping (base, arm, variables, ...), got %s",
                           bz_cfg_shown(root, b, sizeof b));
    BZ_CHECK(bz_cfg_read_section(c, root, top_extra, top_params, BZ_PARAMS_COUNT(top_params), &tv));
    if (tv.name[0]) {
        const char *why = bz_cfg_name_problem(tv.name);
        if (why) return bz_cfg_fail(c, bz_ynode_child(root, "name"), 0, NULL, "%s", why);
        snprintf(pl->name, sizeof pl->name, "%s", tv.name);
    } else {
        bz_cfg_default_name(name, "plan", pl->name);
    }
    snprintf(pl->arm, sizeof pl->arm, "%s", tv.arm);
    pl->relative = tv.relative;

    bz_ynode *bn = bz_ynode_child(root, "base");
    if (!bn) return bz_cfg_fail(c, root, 1, "base", "missing required key (an experiment file)");
    char base[4096];
    BZ_CHECK(read_text(c, bn, "an experiment file name", base, sizeof base));
    if (!(pl->base_path = beside(name, base)))
        return bz_cfg_oom(c, strlen(name) + strlen(base) + 2, "the base file name");

    bz_ynode *vn = bz_ynode_child(root, "variables");
    if (!vn)
        return bz_cfg_fail(c, root, 1, "variables", "missing required key (a list of variables)");
    bz_ynode_use(vn, 0);
    if (vn->kind != BZ_YNODE_SEQ || vn->n < 1 || vn->n > BZ_OPT_VARS_MAX)
        return bz_cfg_fail(c, vn, 0, NULL, "expected a list of 1 to %d variables, got %s",
                           BZ_OPT_VARS_MAX, bz_cfg_shown(vn, b, sizeof b));
    for (size_t i = 0; i < vn->n; i++)
        BZ_CHECK(parse_var(c, pl, vn->items[i]));

    pl->budget = INFINITY;
    BZ_CHECK(parse_objective(c, pl, bz_ynode_child(root, "objective")));
    BZ_CHECK(parse_constraints(c, pl, bz_ynode_child(root, "constraints")));

    search_vals sv;
    BZ_CHECK(bz_cfg_section(c, root, "search", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, NULL, search_params, BZ_PARAMS_COUNT(search_params), &sv));
    pl->method = sv.method;
    pl->evaluations = (uint64_t)sv.evaluations;
    pl->replicates = (uint32_t)sv.replicates;
    final_vals fv;
    BZ_CHECK(bz_cfg_section(c, root, "final", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, NULL, final_params, BZ_PARAMS_COUNT(final_params), &fv));
    pl->finalists = (uint64_t)fv.candidates;
    pl->final_replicates = (uint32_t)fv.replicates;

    BZ_CHECK(bz_cfg_section(c, root, "output", &m));
    BZ_CHECK(bz_cfg_check_keys(c, m, output_keys, NULL, 0));
    bz_ynode *f = bz_ynode_child(m, "file");
    if (f) BZ_CHECK(read_text(c, f, "a file name", pl->output, sizeof pl->output));

    bz_ynode *obs = bz_ynode_child(root, "observed");
    if (obs) {
        observed_vals ov;
        const char *const not_with[] = {"budget", "objective", "constraints", "relative", NULL};
        for (size_t k = 0; not_with[k]; k++) {
            bz_ynode *n = bz_ynode_child(root, not_with[k]);
            if (n)
                return bz_cfg_fail(c, n, 1, NULL,
                                   "a calibration (observed:) fits the observed series: %s does "
                                   "not apply",
                                   not_with[k]);
        }
        BZ_CHECK(bz_cfg_section(c, root, "observed", &m));
        BZ_CHECK(bz_cfg_read_section(c, m, observed_extra, observed_params,
                                     BZ_PARAMS_COUNT(observed_params), &ov));
        bz_ynode *fn = bz_ynode_child(m, "file");
        if (!fn) return bz_cfg_fail(c, m, 1, "file", "missing required key (a TSV file)");
        char file[4096];
        BZ_CHECK(read_text(c, fn, "a file name", file, sizeof file));
        char *obs_path = beside(name, file);
        if (!obs_path)
            return bz_cfg_oom(c, strlen(name) + strlen(file) + 2, "the observed file name");
        size_t len = strlen(obs_path);
        if (len < sizeof pl->observed_path) memcpy(pl->observed_path, obs_path, len + 1);
        free(obs_path);
        if (len >= sizeof pl->observed_path)
            return bz_cfg_fail(c, fn, 0, NULL, "the path is longer than %zu bytes",
                               sizeof pl->observed_path - 1);
        pl->calibrate = 1;
        pl->relative = 0;
        pl->observed_series = ov.series == 0 ? BZ_SER_ADOPTERS : BZ_SER_SALES;
        BZ_CHECK(read_observed(c, pl, fn));
    }

    bz_ynode *un = bz_ynode_child(root, "uncertainty");
    if (un && !obs) return bz_cfg_fail(c, un, 1, NULL, "goes with observed: (a calibration) only");
    uncertainty_vals uv;
    BZ_CHECK(bz_cfg_section(c, root, "uncertainty", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, NULL, uncertainty_params,
                                 BZ_PARAMS_COUNT(uncertainty_params), &uv));
    pl->bootstrap = pl->calibrate ? (uint64_t)uv.bootstrap : 0;

    /* The base: it loads, has the arm (and a baseline when relative). */
    bz_experiment x;
    bz_error e;
    int st = bz_experiment_load(&x, pl->base_path, NULL, 0, &e);
    if (st != BZ_OK) return bz_error_set(c->err, st, "%s", e.msg);
    int has_arm = 0, has_base = 0;
    for (size_t a = 0; a < x.n_arms; a++) {
        has_arm |= !strcmp(x.arms[a].name, pl->arm);
        has_base |= !strcmp(x.arms[a].name, "baseline");
    }
    pl->seed = x.seed;
    pl->id = bz_opt_hash(pl->id, x.resolved_yaml ? x.resolved_yaml : "", SIZE_MAX);
    for (size_t a = 0; a < x.n_arms && !pl->calibrate; a++)
        if (!strcmp(x.arms[a].name, pl->arm)) {
            const bz_arm_spec *arm = &x.arms[a];
            pl->n_campaigns =
                arm->n_campaigns < BZ_OPT_CAMPAIGNS_MAX ? arm->n_campaigns : BZ_OPT_CAMPAIGNS_MAX;
            for (size_t k = 0; k < pl->n_campaigns; k++) {
                snprintf(pl->campaign[k], sizeof pl->campaign[k], "%s",
                         arm->campaigns[k].type->name);
                pl->cap[k] = INFINITY;
            }
            if (arm->n_campaigns > BZ_OPT_CAMPAIGNS_MAX) {
                bz_experiment_destroy(&x);
                return bz_cfg_fail(c, bz_ynode_child(root, "arm"), 0, NULL,
                                   "arm '%s' has %zu campaigns; a plan takes at most %d", pl->arm,
                                   arm->n_campaigns, BZ_OPT_CAMPAIGNS_MAX);
            }
        }
    bz_experiment_destroy(&x);
    bz_ynode *an = bz_ynode_child(root, "arm");
    if (!has_arm)
        return bz_cfg_fail(c, an, 0, NULL, "'%s' is not an arm of %s", pl->arm, pl->base_path);
    if (pl->relative && (!has_base || !strcmp(pl->arm, "baseline")))
        return bz_cfg_fail(c, an, 0, NULL,
                           "relative: true compares the arm with an arm named baseline, and %s "
                           "has %s: set relative: false",
                           pl->base_path, has_base ? "it as the planned arm" : "none");
    bz_ynode *sn = bz_ynode_child(root, "seed");
    if (sn) {
        static const bz_param seed_param = {"seed", BZ_PT_INT, 0, 9.2e18, "0", NULL, NULL, 0, NULL};
        int64_t s;
        bz_ynode_use(sn, 0);
        if (sn->kind != BZ_YNODE_SCALAR || bz_param_parse(&seed_param, sn->text, &s, &e) != BZ_OK)
            return bz_cfg_fail(c, sn, 0, NULL, "expected a non-negative integer, got %s",
                               bz_cfg_shown(sn, b, sizeof b));
        pl->seed = (uint64_t)s;
    }
    bz_ynode *bud = bz_ynode_child(root, "budget");
    if (bud && has_arm) BZ_CHECK(parse_budget(c, pl, bud));
    const bz_ynode *unused = bz_ynode_first_unused(root);
    if (unused) return bz_cfg_fail(c, unused, 1, NULL, "unknown key");
    BZ_CHECK(check_variables(c, pl));
cleanup:
    return status;
}

int bz_opt_plan_load_string(bz_opt_plan *pl, const char *text, const char *name, bz_error *err)
{
    int status = BZ_OK;
    bz_ynode *root = NULL;
    memset(pl, 0, sizeof *pl);
    pl->path = strdup(name);
    if (!pl->path)
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for a plan file name (%zu bytes)", strlen(name) + 1);
    BZ_CHECK(bz_yaml_parse(text, strlen(text), name, &root, err));
    pl->id = bz_opt_hash(0, text, SIZE_MAX);
    bz_cfg_ctx c;
    memset(&c, 0, sizeof c);
    c.fname = name;
    c.err = err;
    c.root = root;
    BZ_CHECK(convert(&c, pl, root, name));
cleanup:
    bz_ynode_free(root);
    if (status != BZ_OK) bz_opt_plan_destroy(pl);
    return status;
}

int bz_opt_plan_load(bz_opt_plan *pl, const char *path, bz_error *err)
{
    char *text = NULL;
    size_t len = 0;
    memset(pl, 0, sizeof *pl);
    int status = bz_file_read_text(path, MAX_PLAN_BYTES, "plan file", &text, &len, err);
    if (status == BZ_OK) status = bz_opt_plan_load_string(pl, text, path, err);
    free(text);
    return status;
}

void bz_opt_plan_destroy(bz_opt_plan *pl)
{
    if (!pl) return;
    for (size_t i = 0; i < pl->n_vars; i++)
        free(pl->vars[i].choices);
    free(pl->path);
    free(pl->base_path);
    free(pl->obs_t);
    free(pl->obs_v);
    memset(pl, 0, sizeof *pl);
}

uint64_t bz_opt_hash(uint64_t h, const char *s, size_t n)
{
    if (!h) h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n && s[i]; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void bz_opt_var_text(const bz_opt_var *v, double u, char *buf, double *value)
{
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    if (v->kind == BZ_VAR_CHOICE) {
        size_t k = (size_t)floor(u * (double)v->n_choices);
        if (k >= v->n_choices) k = v->n_choices - 1;
        *value = (double)k;
        snprintf(buf, BZ_OPT_VALUE_MAX, "%s", v->choices[k]);
        return;
    }
    double x = v->log ? exp(log(v->min) + u * (log(v->max) - log(v->min)))
                      : v->min + u * (v->max - v->min);
    if (x < v->min || u == 0) x = v->min; /* the bounds exactly, whatever exp(log()) rounds to */
    if (x > v->max || u == 1) x = v->max;
    if (v->kind == BZ_VAR_INT) {
        x = floor(x + 0.5);
        if (x < v->min) x = ceil(v->min);
        if (x > v->max) x = floor(v->max);
        snprintf(buf, BZ_OPT_VALUE_MAX, "%.0f", x);
    } else {
        snprintf(buf, BZ_OPT_VALUE_MAX, "%.17g", x);
    }
    *value = x;
}

int bz_opt_plan_experiment(const bz_opt_plan *pl, const char *const *sets, size_t n_sets,
                           bz_experiment *x, bz_error *err)
{
    char arms[2 * BZ_NAME_MAX + 2];
    int status = bz_experiment_load(x, pl->base_path, sets, n_sets, err);
    if (status != BZ_OK) return status;
    snprintf(arms, sizeof arms, "%s%s", pl->relative ? "baseline," : "", pl->arm);
    status = bz_experiment_select_arms(x, arms, err);
    if (status != BZ_OK) bz_experiment_destroy(x);
    return status;
}

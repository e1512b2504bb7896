/* The population section of an experiment file: agents, cities (a count with
 * Zipf sizes, or a table of names and shares) and agent attributes drawn
 * from named distributions. Split from experiment.c; see docs/config.md. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/convert.h"
#include "config/experiment.h"
#include "config/yaml_tree.h"
#include "base/population.h"
#include "base/text.h"

typedef struct pop_vals {
    int64_t agents;
} pop_vals;

static const bz_param pop_params[] = {
    {"agents", BZ_PT_INT, 0, 4294967294.0, "0", "agents",
     "number of agents; 0: as many as the edge_list layer's file defines (the run "
     "fails if no layer defines it)",
     offsetof(pop_vals, agents), NULL},
};
static const char *const pop_extra[] = {"cities", "city_sizes", "attributes", NULL};

/* population.cities as a number (Zipf sizes); a list is read by hand. */
static const bz_param cities_param[] = {
    {"cities", BZ_PT_INT, 1, 4294967295.0, "1", "cities", "number of cities", 0, NULL},
};

typedef struct city_vals {
    char name[BZ_NAME_MAX];
    double share;
} city_vals;

static const bz_param city_params[] = {
    {"name", BZ_PT_STRING, 0, 0, NULL, NULL,
     "city name: 1 to 63 printable characters, unique in the table", offsetof(city_vals, name),
     NULL},
    {"share", BZ_PT_REAL, 0, INFINITY, NULL, NULL,
     "share of the agents, > 0 (shares are normalised: divided by their sum)",
     offsetof(city_vals, share), NULL},
};

static const char *const attr_keys[] = {"activity", "susceptibility", "threshold", "willingness",
                                        NULL};
static const char *const dist_extra[] = {"dist", NULL};

static const bz_param zipf_params[] = {
    {"zipf", BZ_PT_REAL, 0, INFINITY, "1", NULL,
     "Zipf exponent of city sizes: the k-th largest city's size is "
     "proportional to 1/k^zipf (0: equal sizes)",
     0, NULL},
};

static const bz_cfg_keys sections[] = {
    {"population", pop_extra, pop_params, BZ_PARAMS_COUNT(pop_params)},
    {"population.cities", NULL, cities_param, BZ_PARAMS_COUNT(cities_param)},
    {"population.cities[]", NULL, city_params, BZ_PARAMS_COUNT(city_params)},
    {"population.city_sizes", NULL, zipf_params, BZ_PARAMS_COUNT(zipf_params)},
    {"population.attributes", attr_keys, NULL, 0},
    {"population.attributes.*", dist_extra, NULL, 0},
};

const bz_cfg_keys *bz_cfg_population_sections(size_t *n)
{
    *n = BZ_PARAMS_COUNT(sections);
    return sections;
}

static int convert_dist(bz_cfg_ctx *c, bz_ynode *v, bz_dist *d)
{
    int status = BZ_OK;
    char b[96], known[200];
    bz_error e;
    bz_ynode *dn = NULL;
    bz_ynode_use(v, 0);
    if (v->kind == BZ_YNODE_SCALAR) { /* a bare number: constant */
        d->kind = BZ_DIST_CONSTANT;
        size_t n;
        const bz_param *t = bz_dist_params(BZ_DIST_CONSTANT, &n);
        if (bz_param_parse(t, v->text, d, &e) != BZ_OK)
            return bz_cfg_fail(c, v, 0, NULL,
                               "expected a number or a mapping {dist: NAME, ...}, got %s",
                               bz_cfg_shown(v, b, sizeof b));
    } else {
        if (v->kind != BZ_YNODE_MAP)
            return bz_cfg_fail(c, v, 0, NULL,
                               "expected a number or a mapping {dist: NAME, ...}, got %s",
                               bz_cfg_shown(v, b, sizeof b));
        BZ_CHECK(bz_cfg_name_node(c, v, "dist", "distribution", &dn));
        int kind = -1;
        size_t used = 0;
        for (int k = 0; k < BZ_DIST__COUNT; k++) {
            if (strcmp(dn->text, bz_dist_name(k)) == 0) kind = k;
            used = bz_text_add(known, sizeof known, used, ", ", "%s", bz_dist_name(k));
        }
        if (kind < 0)
            return bz_cfg_fail(c, dn, 0, NULL, "unknown distribution %s (known: %s)",
                               bz_cfg_shown(dn, b, sizeof b), known);
        size_t n;
        const bz_param *t = bz_dist_params(kind, &n);
        BZ_CHECK(bz_cfg_read_section(c, v, dist_extra, t, n, d));
        d->kind = kind;
    }
    if (bz_dist_check(d, &e) != BZ_OK) return bz_cfg_fail_check(c, v, &e);
cleanup:
    return status;
}

/* population.cities as a list of {name, share}: shares normalised. */
static int convert_city_table(bz_cfg_ctx *c, bz_ynode *ls)
{
    int status = BZ_OK;
    char b[96];
    bz_experiment *x = c->x;
    if (ls->n == 0)
        return bz_cfg_fail(c, ls, 0, NULL,
                           "expected a number of cities or a list of {name, share}, got an "
                           "empty list");
    x->city_shares = calloc(ls->n, sizeof *x->city_shares);
    x->city_names = calloc(ls->n, sizeof *x->city_names);
    if (!x->city_shares || !x->city_names)
        return bz_cfg_oom(c, ls->n * (sizeof *x->city_shares + sizeof *x->city_names),
                          "the cities of the population");
    double sum = 0;
    for (size_t i = 0; i < ls->n; i++) {
        bz_ynode *item = ls->items[i];
        city_vals cv;
        bz_ynode_use(item, 0);
        if (item->kind != BZ_YNODE_MAP)
            return bz_cfg_fail(c, item, 0, NULL, "expected a city mapping {name, share}, got %s",
                               bz_cfg_shown(item, b, sizeof b));
        BZ_CHECK(
            bz_cfg_read_section(c, item, NULL, city_params, BZ_PARAMS_COUNT(city_params), &cv));
        bz_ynode *nn = bz_ynode_child(item, "name"), *sn = bz_ynode_child(item, "share");
        int printable = cv.name[0] != '\0';
        for (const unsigned char *p = (const unsigned char *)cv.name; *p; p++)
            if (*p < 0x20 || *p == 0x7f) printable = 0;
        if (!printable || strlen(nn->text) >= BZ_NAME_MAX)
            return bz_cfg_fail(c, nn, 0, NULL,
                               "expected a city name of 1 to %d printable characters, got %s",
                               BZ_NAME_MAX - 1, bz_cfg_shown(nn, b, sizeof b));
        for (size_t j = 0; j < i; j++)
            if (strcmp(x->city_names[j], cv.name) == 0)
                return bz_cfg_fail(c, nn, 0, NULL, "duplicate city name '%s' (also city %zu)",
                                   cv.name, j);
        if (!(cv.share > 0) || !isfinite(cv.share))
            return bz_cfg_fail(c, sn, 0, NULL, "expected a share > 0, got %s",
                               bz_cfg_shown(sn, b, sizeof b));
        memcpy(x->city_names[i], cv.name, BZ_NAME_MAX);
        x->city_shares[i] = cv.share;
        sum += cv.share;
    }
    if (!isfinite(sum))
        return bz_cfg_fail(c, ls, 0, NULL, "city shares sum to %g; give finite shares", sum);
    /* Shares already normalised to rounding (such as the resolved text's)
     * are kept as they are: dividing them again would change their last
     * digits, and the resolved text would not reload to itself. */
    if (!(fabs(sum - 1) <= 1e-12))
        for (size_t i = 0; i < ls->n; i++)
            x->city_shares[i] /= sum;
    x->cities = (uint32_t)ls->n;
cleanup:
    return status;
}

int bz_cfg_convert_population(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL, *cs = NULL, *an = NULL;
    pop_vals pv;
    char b[96];
    bz_experiment *x = c->x;
    BZ_CHECK(bz_cfg_section(c, c->root, "population", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, pop_extra, pop_params, BZ_PARAMS_COUNT(pop_params), &pv));
    x->agents = (uint32_t)pv.agents;
    bz_ynode *cn = bz_ynode_child(m, "cities");
    if (cn && cn->kind == BZ_YNODE_SEQ) {
        bz_ynode_use(cn, 0);
        BZ_CHECK(convert_city_table(c, cn));
        if (bz_ynode_child(m, "city_sizes"))
            return bz_cfg_fail(c, bz_ynode_child(m, "city_sizes"), 1, NULL,
                               "city_sizes applies to a number of cities; a city table gives "
                               "the shares itself");
        x->city_zipf = 1;
    } else {
        int64_t nc = 1;
        if (cn && cn->kind == BZ_YNODE_MAP)
            return bz_cfg_fail(c, cn, 0, NULL,
                               "expected a number of cities or a list of {name, share}, got %s",
                               bz_cfg_shown(cn, b, sizeof b));
        BZ_CHECK(bz_cfg_read_params(c, m, cities_param, 1, &nc));
        x->cities = (uint32_t)nc;
        BZ_CHECK(bz_cfg_section(c, m, "city_sizes", &cs));
        BZ_CHECK(bz_cfg_read_section(c, cs, NULL, zipf_params, 1, &x->city_zipf));
    }
    if (pv.agents > 0 && x->cities > pv.agents && cn) { /* cities defaults to 1 <= agents */
        if (cn->kind == BZ_YNODE_SEQ)
            return bz_cfg_fail(c, cn, 0, NULL,
                               "expected at most population.agents (%lld) cities, got a table "
                               "of %u",
                               (long long)pv.agents, x->cities);
        return bz_cfg_fail(c, cn, 0, NULL,
                           "expected at most population.agents (%lld) cities, got %s",
                           (long long)pv.agents, bz_cfg_shown(cn, b, sizeof b));
    }
    bz_attr_defaults(x->attributes);
    BZ_CHECK(bz_cfg_section(c, m, "attributes", &an));
    BZ_CHECK(bz_cfg_check_keys(c, an, attr_keys, NULL, 0));
    for (int a = 0; a < BZ_ATTR_COUNT; a++) {
        bz_ynode *v = bz_ynode_child(an, bz_attr_names[a]);
        if (v) BZ_CHECK(convert_dist(c, v, &x->attributes[a]));
    }
cleanup:
    return status;
}

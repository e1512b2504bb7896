/* The experiment file's JSON Schema (see schema.h), walked from the
 * loader's own section tables and the registries.
 *
 * Layout of the document: the experiment object at the top; one entry of
 * "definitions" per generator ("generator.NAME"), diffusion model
 * ("diffusion.NAME"), campaign ("campaign.NAME") and distribution
 * ("dist.NAME"), each a closed object of its name key and its parameter
 * table; the sections that select one ("diffusion", a layer's
 * "generator", an arm's campaign entries, an attribute's distribution)
 * list the names and refer to the entry with if/then on the name.
 */
#include "config/schema.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/channels.h"
#include "base/population.h"
#include "base/text.h"
#include "config/convert.h"
#include "config/tables.h"
#include "engine/campaign.h"
#include "engine/experiment.h"
#include "engine/model.h"
#include "graph/generator.h"

/* Text forms (params.c): a strict decimal number, and what may follow it. */
#define NUMBER "\\+?([0-9]+[.]?[0-9]*|[.][0-9]+)"
#define EXPONENT "([eE][+-]?[0-9]+)"
#define BLANKS "[ \\t]*"
#define UNITS "[smhdwy]"
/* A number with an exponent and no point: text to a YAML 1.1 reader. */
static const char exp_number_pattern[] =
    "^" BLANKS "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)[eE][+-]?[0-9]+" BLANKS "$";
static const char rate_pattern[] = "^" BLANKS NUMBER EXPONENT "?( */ *" UNITS ")?" BLANKS "$";
static const char duration_pattern[] = "^" BLANKS "\\+?(([0-9]+[.]?[0-9]*|[.][0-9]+)" EXPONENT
                                       "? *" UNITS "|(0+[.]?0*|[.]0+)" EXPONENT "?)" BLANKS "$";

/* What the loader reads as a boolean (params.c): YAML 1.2 reads the words
 * as text, YAML 1.1 as booleans. */
static const char *const bool_words[] = {"true",  "yes", "on",  "1",     "True", "Yes", "On",
                                         "TRUE",  "YES", "ON",  "false", "no",   "off", "0",
                                         "False", "No",  "Off", "FALSE", "NO",   "OFF", NULL};

/* ------------------------------------------------------------ parameters */

/* The bounds the loader holds a number of p to: the table's pair unless it
 * is (0, 0), inside the type's own range. */
static void number_bounds(const bz_param *p, double *lo, double *hi)
{
    const int non_negative =
        p->type == BZ_PT_PROB || p->type == BZ_PT_RATE || p->type == BZ_PT_DURATION;
    *lo = non_negative ? 0 : -INFINITY;
    *hi = p->type == BZ_PT_PROB ? 1 : INFINITY;
    if (p->min != 0 || p->max != 0) {
        *lo = fmax(*lo, p->min);
        *hi = fmin(*hi, p->max);
    }
}

/* minimum and maximum of p where finite (and exact as a double). */
static void put_bounds(bz_json *w, const bz_param *p)
{
    double lo, hi;
    number_bounds(p, &lo, &hi);
    if (isfinite(lo) && fabs(lo) < 9e15) bz_json_number(w, "minimum", lo);
    if (isfinite(hi) && fabs(hi) < 9e15) bz_json_number(w, "maximum", hi);
}

/* {"type": "number", bounds} or {"type": "string", "pattern": pattern}. */
static void number_or_text(bz_json *w, const bz_param *p, const char *pattern)
{
    bz_json_begin(w, "anyOf", '[', 0);
    bz_json_begin(w, NULL, '{', 1);
    bz_json_string(w, "type", "number");
    put_bounds(w, p);
    bz_json_end(w);
    bz_json_begin(w, NULL, '{', 1);
    bz_json_string(w, "type", "string");
    bz_json_string(w, "pattern", pattern);
    bz_json_end(w);
    bz_json_end(w);
}

/* Any YAML scalar, read as text of at most max_len characters. */
static void scalar_text(bz_json *w, size_t max_len)
{
    bz_json_begin(w, "type", '[', 1);
    bz_json_string(w, NULL, "string");
    bz_json_string(w, NULL, "number");
    bz_json_string(w, NULL, "boolean");
    bz_json_end(w);
    bz_json_number(w, "maxLength", (double)max_len);
}

static void cities_type(bz_json *w)
{
    bz_json_begin(w, "anyOf", '[', 0);
    bz_json_begin(w, NULL, '{', 1);
    bz_json_string(w, "const", "all");
    bz_json_end(w);
    bz_json_begin(w, NULL, '{', 1); /* a bare N: the N largest */
    bz_json_string(w, "type", "integer");
    bz_json_number(w, "minimum", 1);
    bz_json_number(w, "maximum", 4294967295.0);
    bz_json_end(w);
    bz_json_begin(w, NULL, '{', 0);
    bz_json_string(w, "type", "object");
    bz_json_begin(w, "properties", '{', 1);
    bz_json_begin(w, "top", '{', 1);
    bz_json_string(w, "description", "the N largest cities");
    bz_json_string(w, "type", "integer");
    bz_json_number(w, "minimum", 1);
    bz_json_end(w);
    bz_json_end(w);
    bz_json_begin(w, "required", '[', 1);
    bz_json_string(w, NULL, "top");
    bz_json_end(w);
    bz_json_bool(w, "additionalProperties", 0);
    bz_json_end(w);
    bz_json_begin(w, NULL, '{', 1);
    bz_json_string(w, "type", "array");
    bz_json_number(w, "minItems", 1);
    bz_json_number(w, "maxItems", BZ_CITYSET_MAX);
    bz_json_bool(w, "uniqueItems", 1);
    bz_json_begin(w, "items", '{', 1);
    bz_json_string(w, "type", "integer");
    bz_json_number(w, "minimum", 0);
    bz_json_end(w);
    bz_json_end(w);
    bz_json_end(w);
}

void bz_config_schema_type(bz_json *w, const bz_param *p)
{
    switch (p->type) {
    case BZ_PT_INT:
        bz_json_string(w, "type", "integer");
        put_bounds(w, p);
        break;
    case BZ_PT_REAL:
    case BZ_PT_PROB:
        number_or_text(w, p, exp_number_pattern);
        break;
    case BZ_PT_RATE:
        number_or_text(w, p, rate_pattern);
        break;
    case BZ_PT_DURATION:
        bz_json_begin(w, "anyOf", '[', 0);
        bz_json_begin(w, NULL, '{', 1);
        bz_json_string(w, "type", "string");
        bz_json_string(w, "pattern", duration_pattern);
        bz_json_end(w);
        bz_json_begin(w, NULL, '{', 1);
        bz_json_number(w, "const", 0);
        bz_json_end(w);
        bz_json_end(w);
        break;
    case BZ_PT_BOOL:
        bz_json_begin(w, "enum", '[', 1);
        bz_json_bool(w, NULL, 1);
        bz_json_bool(w, NULL, 0);
        bz_json_number(w, NULL, 1);
        bz_json_number(w, NULL, 0);
        for (size_t i = 0; bool_words[i]; i++)
            bz_json_string(w, NULL, bool_words[i]);
        bz_json_end(w);
        break;
    case BZ_PT_ENUM:
        bz_json_begin(w, "enum", '[', 1);
        for (size_t i = 0; p->choices && p->choices[i]; i++)
            bz_json_string(w, NULL, p->choices[i]);
        bz_json_end(w);
        break;
    case BZ_PT_STRING:
        scalar_text(w, BZ_NAME_MAX - 1);
        break;
    case BZ_PT_CITIES:
        cities_type(w);
        break;
    default:
        break;
    }
}

/* The default of p as the JSON value a YAML reader makes of its text. */
static void put_default(bz_json *w, const bz_param *p)
{
    if (!p->def) return;
    bz_param q = *p;
    q.offset = 0;
    int flag = 0;
    char *end = NULL;
    const double v = strtod(p->def, &end);
    if (p->type == BZ_PT_STRING || p->type == BZ_PT_ENUM)
        bz_json_string(w, "default", p->def);
    else if (p->type == BZ_PT_BOOL && bz_param_parse(&q, p->def, &flag, NULL) == BZ_OK)
        bz_json_bool(w, "default", flag);
    else if (end != p->def && *end == '\0' && isfinite(v))
        bz_json_number(w, "default", v);
    else
        bz_json_string(w, "default", p->def);
}

/* "key": {description, default, type} of one parameter. */
static void param_schema(bz_json *w, const bz_param *p)
{
    char desc[1400];
    /* A duration's unit is the one it is stored in: the text gives its own. */
    const int unit = p->unit && p->unit[0] && p->type != BZ_PT_DURATION;
    const int with_type = p->type == BZ_PT_DURATION || p->type == BZ_PT_RATE;
    snprintf(desc, sizeof desc, "%s%s%s%s%s%s", p->desc ? p->desc : "", unit ? " (" : "",
             unit ? p->unit : "", unit ? ")" : "", with_type ? "; a " : "",
             with_type ? bz_ptype_describe(p->type) : "");
    bz_json_begin(w, p->name, '{', 0);
    bz_json_string(w, "description", desc);
    put_default(w, p);
    bz_config_schema_type(w, p);
    bz_json_end(w);
}

/* ------------------------------------------------------------ registries */

typedef struct entry {
    const char *name, *summary;
    const bz_param *params;
    size_t n_params;
} entry;

typedef enum { R_GENERATORS, R_MODELS, R_CAMPAIGNS, R_DISTS } registry;

/* Entry i of registry r; 0 past the end. */
static int entry_at(registry r, size_t i, entry *e)
{
    memset(e, 0, sizeof *e);
    if (r == R_GENERATORS && bz_netgen_registry[i])
        *e = (entry){bz_netgen_registry[i]->name, bz_netgen_registry[i]->summary,
                     bz_netgen_registry[i]->params, bz_netgen_registry[i]->n_params};
    else if (r == R_MODELS && bz_model_registry[i])
        *e = (entry){bz_model_registry[i]->name, bz_model_registry[i]->summary,
                     bz_model_registry[i]->params, bz_model_registry[i]->n_params};
    else if (r == R_CAMPAIGNS && bz_campaign_registry[i])
        *e = (entry){bz_campaign_registry[i]->name, bz_campaign_registry[i]->summary,
                     bz_campaign_registry[i]->params, bz_campaign_registry[i]->n_params};
    else if (r == R_DISTS && i < BZ_DIST__COUNT) {
        e->name = bz_dist_name((int)i);
        e->summary = "a distribution of an agent attribute (docs/config.md, Attributes)";
        e->params = bz_dist_params((int)i, &e->n_params);
    }
    return e->name != NULL;
}

/* The sections whose first extra key names an entry of a registry. */
static const struct {
    const char *path;
    registry reg;
    const char *prefix; /* of the names in "definitions" */
    const char *what;
} selections[] = {
    {"network.layers[].generator", R_GENERATORS, "generator.", "network generator"},
    {"diffusion", R_MODELS, "diffusion.", "diffusion model"},
    {"arms.*[]", R_CAMPAIGNS, "campaign.", "campaign"},
    {"population.attributes.*", R_DISTS, "dist.", "distribution"},
};
#define N_SELECTIONS (sizeof selections / sizeof selections[0])

/* ------------------------------------------------------------ sections */

typedef enum {
    K_SECTION,     /* a mapping: section `sub` */
    K_SELECT,      /* a mapping selecting a registry entry: section `sub` */
    K_LIST,        /* a list of mappings, each section `sub` */
    K_CITIES,      /* population.cities: a number, or a list of section `sub` */
    K_DIST,        /* an attribute: a number or a distribution (section `sub`) */
    K_ARMS,        /* arm name -> list of campaigns (section `sub`), or null */
    K_ATTRIBUTION, /* a method, or arm name -> method */
    K_PATH         /* a file path */
} key_kind;

/* The keys the loader reads by hand (the sections' `extra`); key "*" is
 * any key of the section. */
static const struct key_schema {
    const char *section, *key;
    key_kind kind;
    const char *sub;
    int required;  /* K_LIST, K_CITIES: the loader requires the key */
    int max_items; /* K_LIST: 0 for no limit */
    const char *desc;
} key_schemas[] = {
    {"", "time", K_SECTION, "time", 0, 0, "simulated time: the horizon and the sampling step"},
    {"", "population", K_SECTION, "population", 0, 0,
     "the agents: how many, their cities and their attributes"},
    {"", "network", K_SECTION, "network", 0, 0,
     "the social network: one layer per word-of-mouth channel"},
    {"", "diffusion", K_SELECT, "diffusion", 0, 0,
     "the diffusion model (model: NAME) and its parameters"},
    {"", "market", K_SECTION, "market", 0, 0,
     "the product's market: price, availability, stock, willingness to pay, costs"},
    {"", "arms", K_ARMS, "arms.*[]", 0, 0,
     "arm name (letters, digits, _ and -) -> its list of campaigns; the arm named baseline is "
     "the reference of every comparison; absent: one arm, baseline: []"},
    {"", "attribution", K_ATTRIBUTION, NULL, 0, 0,
     "which campaign of an arm caused what: one method for every arm but the baseline, or arm "
     "name -> method (docs/campaigns.md)"},
    {"", "output", K_SECTION, "output", 0, 0, "where the results go"},
    {"population", "cities", K_CITIES, "population.cities[]", 0, 0,
     "a number of cities (Zipf sizes; at most population.agents), or a table of the cities: a list "
     "of {name, share} (shares normalised)"},
    {"population", "city_sizes", K_SECTION, "population.city_sizes", 0, 0,
     "sizes of the cities when population.cities is a number"},
    {"population", "attributes", K_SECTION, "population.attributes", 0, 0,
     "distributions of the agents' attributes"},
    {"population.attributes", "*", K_DIST, "population.attributes.*", 0, 0,
     "the distribution of this attribute of the agents: a number (a constant) or {dist: NAME, "
     "...its parameters}"},
    {"network", "layers", K_LIST, "network.layers[]", 1, BZ_MAX_LAYERS,
     "the layers: one social network per channel"},
    {"network.layers[]", "generator", K_SELECT, "network.layers[].generator", 0, 0,
     "the layer's network generator (model: NAME) and its parameters"},
    {"market", "local", K_LIST, "market.local[]", 0, 0,
     "a different price and value in some cities (a city in two entries takes the last)"},
    {"output", "file", K_PATH, NULL, 0, 0,
     "where buzzsim run writes its HDF5 file when -o is not given (relative to the working "
     "directory)"},
};
#define N_KEY_SCHEMAS (sizeof key_schemas / sizeof key_schemas[0])

static const bz_cfg_keys *find_section(const char *path)
{
    size_t n = 0;
    const bz_cfg_keys *s = bz_cfg_experiment_sections(&n);
    for (int part = 0; part < 2; part++, s = bz_cfg_population_sections(&n))
        for (size_t i = 0; i < n; i++)
            if (strcmp(s[i].path, path) == 0) return &s[i];
    return NULL;
}

const bz_cfg_keys *bz_cfg_find_section(const char *path)
{
    return find_section(path);
}

static const struct key_schema *find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < N_KEY_SCHEMAS; i++)
        if (!strcmp(key_schemas[i].section, section) &&
            (!strcmp(key_schemas[i].key, key) || !strcmp(key_schemas[i].key, "*")))
            return &key_schemas[i];
    return NULL;
}

static int find_selection(const char *path)
{
    for (size_t i = 0; i < N_SELECTIONS; i++)
        if (!strcmp(selections[i].path, path)) return (int)i;
    return -1;
}

static int no_schema(const char *section, const char *key, bz_error *err)
{
    return bz_error_set(err, BZ_EINTERNAL,
                        "schema: the loader reads key '%s%s%s' but config/schema.c has no schema "
                        "for it",
                        section, section[0] ? "." : "", key);
}

static int section_required(const char *path);

/* The loader refuses a file without `key` in section `path`. */
static int key_required(const char *path, const char *key)
{
    const bz_cfg_keys *s = find_section(path);
    const bz_param *p = s ? bz_params_find(s->params, s->n_params, key) : NULL;
    if (p) return p->def == NULL;
    if (s && s->extra && s->extra[0] && !strcmp(s->extra[0], key) && find_selection(path) >= 0)
        return 1; /* the name of the selected entry */
    const struct key_schema *k = find_key(path, key);
    if (!k) return 0;
    if (k->kind == K_SECTION) return section_required(k->sub);
    return k->kind == K_SELECT || k->required;
}

/* Section `path` has a key the loader requires (so the section is
 * required where it appears). */
static int section_required(const char *path)
{
    const bz_cfg_keys *s = find_section(path);
    if (!s) return 0;
    for (size_t i = 0; s->extra && s->extra[i]; i++)
        if (key_required(path, s->extra[i])) return 1;
    for (size_t i = 0; i < s->n_params; i++)
        if (!s->params[i].def) return 1;
    return 0;
}

static int key_value(bz_json *w, const char *path, const char *key, bz_error *err);

/* `name` is one of the NULL-terminated list (which may be NULL). */
static int in_list(const char *const *list, const char *name)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], name)) return 1;
    return 0;
}

/* type, properties, required and additionalProperties of section `path`,
 * with entry e's table after the section's own keys when it selects one
 * (its first extra key then takes e's name as a constant). */
static int object_members(bz_json *w, const char *path, const entry *e, bz_error *err)
{
    int status = BZ_OK;
    const bz_cfg_keys *s = find_section(path);
    if (!s) BZ_FAIL(err, BZ_EINTERNAL, "schema: no section '%s' in the loader's tables", path);
    bz_json_string(w, "type", "object");
    bz_json_begin(w, "properties", '{', 0);
    for (size_t i = 0; s->extra && s->extra[i]; i++) {
        const char *k = s->extra[i];
        const bz_param *p = bz_params_find(s->params, s->n_params, k);
        if (e && i == 0) {
            bz_json_begin(w, k, '{', 1);
            bz_json_string(w, "description", e->summary ? e->summary : "");
            bz_json_string(w, "const", e->name);
            bz_json_end(w);
        } else if (p) {
            param_schema(w, p);
        } else {
            BZ_CHECK(key_value(w, path, k, err));
        }
    }
    for (size_t i = 0; i < s->n_params; i++)
        if (!in_list(s->extra, s->params[i].name)) param_schema(w, &s->params[i]);
    for (size_t i = 0; e && i < e->n_params; i++)
        param_schema(w, &e->params[i]);
    bz_json_end(w);
    bz_json_begin(w, "required", '[', 1);
    for (size_t i = 0; s->extra && s->extra[i]; i++)
        if (key_required(path, s->extra[i])) bz_json_string(w, NULL, s->extra[i]);
    for (size_t i = 0; i < s->n_params; i++)
        if (!s->params[i].def && !in_list(s->extra, s->params[i].name))
            bz_json_string(w, NULL, s->params[i].name);
    for (size_t i = 0; e && i < e->n_params; i++)
        if (!e->params[i].def) bz_json_string(w, NULL, e->params[i].name);
    bz_json_end(w);
    bz_json_bool(w, "additionalProperties", 0);
cleanup:
    return status;
}

/* A section selecting an entry of its registry by its first extra key:
 * the names, and if/then to each entry's schema in "definitions". */
static int select_members(bz_json *w, const char *path, bz_error *err)
{
    int status = BZ_OK;
    const int sel = find_selection(path);
    const bz_cfg_keys *s = find_section(path);
    if (sel < 0 || !s || !s->extra || !s->extra[0])
        BZ_FAIL(err, BZ_EINTERNAL, "schema: section '%s' selects no registry", path);
    const char *k = s->extra[0];
    char ref[160], desc[200];
    entry e;
    bz_json_string(w, "type", "object");
    bz_json_begin(w, "properties", '{', 0);
    bz_json_begin(w, k, '{', 0);
    snprintf(desc, sizeof desc, "the %s", selections[sel].what);
    bz_json_string(w, "description", desc);
    bz_json_begin(w, "enum", '[', 1);
    for (size_t i = 0; entry_at(selections[sel].reg, i, &e); i++)
        bz_json_string(w, NULL, e.name);
    bz_json_end(w);
    bz_json_end(w);
    bz_json_end(w);
    bz_json_begin(w, "required", '[', 1);
    bz_json_string(w, NULL, k);
    bz_json_end(w);
    bz_json_begin(w, "allOf", '[', 0);
    for (size_t i = 0; entry_at(selections[sel].reg, i, &e); i++) {
        bz_json_begin(w, NULL, '{', 1);
        bz_json_begin(w, "if", '{', 1);
        bz_json_begin(w, "properties", '{', 1);
        bz_json_begin(w, k, '{', 1);
        bz_json_string(w, "const", e.name);
        bz_json_end(w);
        bz_json_end(w);
        bz_json_begin(w, "required", '[', 1);
        bz_json_string(w, NULL, k);
        bz_json_end(w);
        bz_json_end(w);
        bz_json_begin(w, "then", '{', 1);
        snprintf(ref, sizeof ref, "#/definitions/%s%s", selections[sel].prefix, e.name);
        bz_json_string(w, "$ref", ref);
        bz_json_end(w);
        bz_json_end(w);
    }
    bz_json_end(w);
cleanup:
    return status;
}

/* The default of attribute `name` (bz_attr_defaults) as the file would
 * write it. */
static void attribute_default(bz_json *w, const char *name)
{
    bz_dist d[BZ_ATTR_COUNT];
    bz_attr_defaults(d);
    for (int a = 0; a < BZ_ATTR_COUNT; a++) {
        if (strcmp(bz_attr_names[a], name) != 0) continue;
        size_t n = 0;
        const bz_param *t = bz_dist_params(d[a].kind, &n);
        if (d[a].kind == BZ_DIST_CONSTANT) {
            bz_json_number(w, "default", d[a].p[0]);
            return;
        }
        bz_json_begin(w, "default", '{', 1);
        bz_json_string(w, "dist", bz_dist_name(d[a].kind));
        for (size_t i = 0; i < n && i < 2; i++)
            bz_json_number(w, t[i].name, d[a].p[i]);
        bz_json_end(w);
    }
}

static void attribution_enum(bz_json *w)
{
    bz_json_begin(w, "enum", '[', 1);
    for (size_t i = 0; bz_attribution_names[i]; i++)
        bz_json_string(w, NULL, bz_attribution_names[i]);
    bz_json_end(w);
}

/* "key": {...} of an extra key of section `path`. */
static int key_value(bz_json *w, const char *path, const char *key, bz_error *err)
{
    int status = BZ_OK;
    char desc[400];
    const struct key_schema *k = find_key(path, key);
    if (!k) BZ_CHECK(no_schema(path, key, err));
    if (!strcmp(k->key, "*")) /* one key of many: say which */
        snprintf(desc, sizeof desc, "%s: %s", key, k->desc);
    else
        snprintf(desc, sizeof desc, "%s", k->desc);
    bz_json_begin(w, key, '{', 0);
    bz_json_string(w, "description", desc);
    switch (k->kind) {
    case K_SECTION:
        BZ_CHECK(object_members(w, k->sub, NULL, err));
        break;
    case K_SELECT:
        BZ_CHECK(select_members(w, k->sub, err));
        break;
    case K_LIST:
        bz_json_string(w, "type", "array");
        bz_json_number(w, "minItems", 1);
        if (k->max_items) bz_json_number(w, "maxItems", k->max_items);
        bz_json_begin(w, "items", '{', 0);
        BZ_CHECK(object_members(w, k->sub, NULL, err));
        bz_json_end(w);
        break;
    case K_CITIES: {
        const bz_cfg_keys *n = find_section("population.cities");
        if (!n || n->n_params != 1) BZ_CHECK(no_schema(path, key, err));
        put_default(w, &n->params[0]);
        bz_json_begin(w, "anyOf", '[', 0);
        bz_json_begin(w, NULL, '{', 1);
        bz_config_schema_type(w, &n->params[0]);
        bz_json_end(w);
        bz_json_begin(w, NULL, '{', 0);
        bz_json_string(w, "type", "array");
        bz_json_number(w, "minItems", 1);
        bz_json_begin(w, "items", '{', 0);
        BZ_CHECK(object_members(w, k->sub, NULL, err));
        bz_json_end(w);
        bz_json_end(w);
        bz_json_end(w);
        break;
    }
    case K_DIST: {
        size_t n = 0;
        const bz_param *constant = bz_dist_params(BZ_DIST_CONSTANT, &n);
        attribute_default(w, key);
        bz_json_begin(w, "anyOf", '[', 0);
        bz_json_begin(w, NULL, '{', 1);
        bz_config_schema_type(w, constant);
        bz_json_end(w);
        bz_json_begin(w, NULL, '{', 0);
        BZ_CHECK(select_members(w, k->sub, err));
        bz_json_end(w);
        bz_json_end(w);
        break;
    }
    case K_ARMS:
        bz_json_begin(w, "type", '[', 1);
        bz_json_string(w, NULL, "object");
        bz_json_string(w, NULL, "null");
        bz_json_end(w);
        bz_json_begin(w, "default", '{', 1);
        bz_json_begin(w, "baseline", '[', 1);
        bz_json_end(w);
        bz_json_end(w);
        bz_json_number(w, "minProperties", 1);
        bz_json_begin(w, "propertyNames", '{', 1);
        bz_json_string(w, "pattern", "^[A-Za-z0-9_-]{1,63}$");
        bz_json_end(w);
        bz_json_begin(w, "additionalProperties", '{', 0);
        bz_json_string(w, "description", "the arm's campaigns, in order ([] or nothing: none)");
        bz_json_begin(w, "type", '[', 1);
        bz_json_string(w, NULL, "array");
        bz_json_string(w, NULL, "null");
        bz_json_end(w);
        bz_json_begin(w, "items", '{', 0);
        BZ_CHECK(select_members(w, k->sub, err));
        bz_json_end(w);
        bz_json_end(w);
        break;
    case K_ATTRIBUTION:
        bz_json_string(w, "default", bz_attribution_names[0]);
        bz_json_begin(w, "anyOf", '[', 0);
        bz_json_begin(w, NULL, '{', 1);
        attribution_enum(w);
        bz_json_end(w);
        bz_json_begin(w, NULL, '{', 1);
        bz_json_string(w, "type", "object");
        bz_json_begin(w, "additionalProperties", '{', 1);
        attribution_enum(w);
        bz_json_end(w);
        bz_json_end(w);
        bz_json_end(w);
        break;
    case K_PATH:
        bz_json_string(w, "default", "");
        scalar_text(w, sizeof(((bz_experiment *)0)->output) - 1);
        break;
    }
    bz_json_end(w);
cleanup:
    return status;
}

/* ------------------------------------------------------------ docs */

int bz_config_describe_key(const char *section, const char *key, bz_config_key_doc *out,
                           bz_error *err)
{
    int status = BZ_OK;
    char t[160];
    const struct key_schema *k = find_key(section, key);
    memset(out, 0, sizeof *out);
    if (!k) BZ_CHECK(no_schema(section, key, err));
    out->desc = k->desc;
    out->required = key_required(section, key);
    switch (k->kind) {
    case K_SECTION:
    case K_SELECT:
        snprintf(out->type, sizeof out->type, "mapping");
        break;
    case K_LIST:
        if (k->max_items)
            snprintf(out->type, sizeof out->type, "list of 1 to %d mappings", k->max_items);
        else
            snprintf(out->type, sizeof out->type, "list of mappings");
        break;
    case K_CITIES: {
        const bz_cfg_keys *n = find_section("population.cities");
        if (!n || n->n_params != 1) BZ_CHECK(no_schema(section, key, err));
        bz_config_param_type(&n->params[0], t, sizeof t);
        snprintf(out->type, sizeof out->type, "%s, or a list of mappings", t);
        out->def = n->params[0].def;
        break;
    }
    case K_DIST:
        snprintf(out->type, sizeof out->type, "number or mapping");
        break;
    case K_ARMS:
        snprintf(out->type, sizeof out->type, "mapping: arm name → list of campaigns");
        out->def = "{baseline: []}";
        break;
    case K_ATTRIBUTION: {
        size_t used = 0;
        t[0] = '\0';
        for (size_t i = 0; bz_attribution_names[i]; i++)
            used = bz_text_add(t, sizeof t, used, ", ", "`%s`", bz_attribution_names[i]);
        snprintf(out->type, sizeof out->type, "one of %s, or a mapping: arm name → one of them", t);
        out->def = bz_attribution_names[0];
        break;
    }
    case K_PATH:
        snprintf(out->type, sizeof out->type, "path");
        out->def = ""; /* shown as `""` */
        break;
    }
cleanup:
    return status;
}

/* ------------------------------------------------------------ documents */

int bz_config_schema_body(bz_json *w, bz_error *err)
{
    return object_members(w, "", NULL, err);
}

int bz_config_schema_defs(bz_json *w, bz_error *err)
{
    int status = BZ_OK;
    char name[160], title[200];
    entry e;
    for (size_t s = 0; s < N_SELECTIONS; s++)
        for (size_t i = 0; entry_at(selections[s].reg, i, &e); i++) {
            snprintf(name, sizeof name, "%s%s", selections[s].prefix, e.name);
            snprintf(title, sizeof title, "%s %s", selections[s].what, e.name);
            bz_json_begin(w, name, '{', 0);
            bz_json_string(w, "title", title);
            bz_json_string(w, "description", e.summary ? e.summary : "");
            BZ_CHECK(object_members(w, selections[s].path, &e, err));
            bz_json_end(w);
        }
cleanup:
    return status;
}

int bz_config_schema(char **out, bz_error *err)
{
    int status = BZ_OK;
    bz_json w;
    *out = NULL;
    BZ_CHECK(bz_json_init(&w, err));
    bz_json_begin(&w, NULL, '{', 0);
    bz_json_string(&w, "$schema", BZ_SCHEMA_DRAFT);
    bz_json_string(&w, "title", "buzzsim experiment");
    bz_json_string(&w, "description",
                   "An experiment file of buzzsim " BZ_VERSION
                   " (docs/config.md), generated by `buzzsim schema` from the loader's tables.");
    BZ_CHECK(bz_config_schema_body(&w, err));
    bz_json_begin(&w, "definitions", '{', 0);
    BZ_CHECK(bz_config_schema_defs(&w, err));
    bz_json_end(&w);
    bz_json_end(&w);
    BZ_CHECK(bz_json_finish(&w, "the experiment schema", out, err));
cleanup:
    bz_json_discard(&w);
    return status;
}

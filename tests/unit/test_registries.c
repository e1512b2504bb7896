/* registries: every entry of every registry, and every table the config
 * loader reads, is well formed; nothing here names an entry.
 *
 *   - generators, diffusion models and campaigns: names non-empty, made of
 *     [a-z0-9_], unique across the three registries (`buzzsim models NAME`
 *     looks all of them up), found by their registry's find(); a summary;
 *     the callbacks the engine calls; models' states and adopted mask;
 *     levers and honours inside engine/levers.h's table, every lever
 *     honoured by some model and used by some campaign;
 *   - every parameter table (theirs, the distributions', the loader's fixed
 *     sections): names unique and non-empty, a description, sane bounds,
 *     fields inside the params struct, choices for enums only, every
 *     default parsed by bz_param_parse, within its bounds, among its
 *     choices, and formatted back to text that parses to the same value;
 *   - the sweep file's key tables (sweep/sweep.h);
 *   - the schemas (`buzzsim schema`) are generated without error and name
 *     every entry; the words they give for booleans are booleans to the
 *     loader.
 * The CLI side (every name answers `buzzsim models NAME`, is documented in
 * docs/reference.md, every command answers --help) is tests/cli/test_docs.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "base/population.h"
#include "config/convert.h"
#include "config/schema.h"
#include "engine/campaign.h"
#include "engine/levers.h"
#include "engine/model.h"
#include "graph/generator.h"
#include "sweep/sweep.h"

/* A registry entry seen the same way whatever its kind. */
typedef struct entry {
    const char *kind, *name, *summary;
    const bz_param *params;
    size_t n_params, params_size;
    const void *self, *found; /* the entry and what its registry's find() returns */
} entry;

/* Every generator, model and campaign, in registry order; returns the count. */
static size_t all_entries(entry *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; bz_netgen_registry[i] && n < max; i++, n++) {
        const bz_netgen_type *t = bz_netgen_registry[i];
        out[n] = (entry){"generator", t->name,        t->summary, t->params,
                         t->n_params, t->params_size, t,          bz_netgen_find(t->name)};
    }
    for (size_t i = 0; bz_model_registry[i] && n < max; i++, n++) {
        const bz_model_type *t = bz_model_registry[i];
        out[n] = (entry){"model",     t->name,        t->summary, t->params,
                         t->n_params, t->params_size, t,          bz_model_find(t->name)};
    }
    for (size_t i = 0; bz_campaign_registry[i] && n < max; i++, n++) {
        const bz_campaign_type *t = bz_campaign_registry[i];
        out[n] = (entry){"campaign",  t->name,        t->summary, t->params,
                         t->n_params, t->params_size, t,          bz_campaign_find(t->name)};
    }
    return n;
}

static int is_identifier(const char *s)
{
    if (!s || !s[0]) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) return 0;
    return 1;
}

/* Bytes of the field a parameter of type t stores (params.h). */
static size_t stored_size(bz_ptype t)
{
    static const size_t sizes[BZ_PT__COUNT] = {
        [BZ_PT_INT] = sizeof(int64_t),      [BZ_PT_REAL] = sizeof(double),
        [BZ_PT_PROB] = sizeof(double),      [BZ_PT_RATE] = sizeof(double),
        [BZ_PT_DURATION] = sizeof(double),  [BZ_PT_BOOL] = sizeof(int),
        [BZ_PT_ENUM] = sizeof(int),         [BZ_PT_STRING] = BZ_NAME_MAX,
        [BZ_PT_CITIES] = sizeof(bz_cityset)};
    return t < BZ_PT__COUNT ? sizes[t] : sizeof(double);
}

static int numeric(bz_ptype t)
{
    return t == BZ_PT_INT || t == BZ_PT_REAL || t == BZ_PT_PROB || t == BZ_PT_RATE ||
           t == BZ_PT_DURATION;
}

/* Report a failed check with the owner and the parameter. */
#define TABLE_ASSERT(cond, owner, p)                                                               \
    do {                                                                                           \
        CU_ASSERT(cond);                                                                           \
        if (!(cond))                                                                               \
            fprintf(stderr, "  %s, parameter %s: %s\n", owner, (p)->name ? (p)->name : "?",        \
                    #cond);                                                                        \
    } while (0)

/* One parameter table; size 0: the struct's size is not known here. */
static void check_table(const char *owner, const bz_param *t, size_t n, size_t size)
{
    CU_ASSERT(n == 0 || t != NULL);
    size_t room = size ? size : 1;
    for (size_t i = 0; i < n; i++) {
        const size_t end = t[i].offset + stored_size(t[i].type);
        if (end > room) room = end;
    }
    unsigned char *buf = calloc(1, room), *back = calloc(1, room);
    CU_ASSERT_FATAL(buf != NULL && back != NULL);
    for (size_t i = 0; i < n; i++) {
        const bz_param *p = &t[i];
        TABLE_ASSERT(p->name && p->name[0] && is_identifier(p->name), owner, p);
        TABLE_ASSERT(p->desc && strlen(p->desc) >= 3, owner, p);
        TABLE_ASSERT(p->type < BZ_PT__COUNT, owner, p);
        for (size_t j = 0; j < i; j++)
            TABLE_ASSERT(strcmp(t[j].name, p->name) != 0, owner, p);
        if (size) TABLE_ASSERT(p->offset + stored_size(p->type) <= size, owner, p);
        if (numeric(p->type)) TABLE_ASSERT(p->min <= p->max, owner, p);
        TABLE_ASSERT((p->type == BZ_PT_ENUM) == (p->choices != NULL), owner, p);
        int n_choices = 0;
        for (; p->choices && p->choices[n_choices]; n_choices++) {
            TABLE_ASSERT(p->choices[n_choices][0] != '\0', owner, p);
            for (int j = 0; j < n_choices; j++)
                TABLE_ASSERT(strcmp(p->choices[j], p->choices[n_choices]) != 0, owner, p);
        }
        if (p->type == BZ_PT_ENUM) TABLE_ASSERT(n_choices >= 1, owner, p);
        if (!p->def) continue; /* required */
        bz_error err;
        bz_error_clear(&err);
        const int parsed = bz_param_parse(p, p->def, buf, &err);
        TABLE_ASSERT(parsed == BZ_OK, owner, p);
        if (parsed != BZ_OK) {
            fprintf(stderr, "  %s: default '%s': %s\n", owner, p->def, err.msg);
            continue;
        }
        if (numeric(p->type) && (p->min != 0 || p->max != 0)) {
            const double v = bz_param_number(p, buf);
            TABLE_ASSERT(v >= p->min && v <= p->max, owner, p);
        }
        if (p->type == BZ_PT_PROB) TABLE_ASSERT(bz_param_number(p, buf) <= 1, owner, p);
        if (p->type == BZ_PT_ENUM) {
            int among = 0;
            for (int j = 0; j < n_choices; j++)
                among |= strcmp(p->choices[j], p->def) == 0;
            TABLE_ASSERT(among, owner, p);
        }
        /* The default's formatted text reads back to the same value. */
        char text[4096], again[4096];
        bz_param_format(p, buf, text, sizeof text);
        TABLE_ASSERT(bz_param_parse(p, text, back, NULL) == BZ_OK, owner, p);
        TABLE_ASSERT(strcmp(bz_param_format(p, back, again, sizeof again), text) == 0, owner, p);
    }
    bz_error err;
    CU_ASSERT_EQUAL(bz_params_set_defaults(t, n, buf, &err), BZ_OK);
    free(buf);
    free(back);
}

static void test_entries(void)
{
    entry e[256];
    const size_t n = all_entries(e, 256);
    size_t per_kind[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        char owner[160];
        snprintf(owner, sizeof owner, "%s %s", e[i].kind, e[i].name ? e[i].name : "?");
        per_kind[e[i].kind[0] == 'g' ? 0 : e[i].kind[0] == 'm' ? 1 : 2]++;
        CU_ASSERT_FATAL(e[i].name != NULL);
        CU_ASSERT(is_identifier(e[i].name));
        CU_ASSERT(e[i].summary && strlen(e[i].summary) > 10);
        CU_ASSERT_PTR_EQUAL(e[i].found, e[i].self);
        for (size_t j = 0; j < i; j++) /* one namespace for `buzzsim models NAME` */
            CU_ASSERT(strcmp(e[j].name, e[i].name) != 0);
        CU_ASSERT(e[i].n_params == 0 || e[i].params_size > 0);
        check_table(owner, e[i].params, e[i].n_params, e[i].params_size);
    }
    CU_ASSERT(per_kind[0] >= 5 && per_kind[1] >= 5 && per_kind[2] >= 6);
    CU_ASSERT_PTR_NULL(bz_netgen_find("no_such_entry"));
    CU_ASSERT_PTR_NULL(bz_model_find("no_such_entry"));
    CU_ASSERT_PTR_NULL(bz_campaign_find("no_such_entry"));
}

static void test_callbacks(void)
{
    for (size_t i = 0; bz_netgen_registry[i]; i++) {
        const bz_netgen_type *g = bz_netgen_registry[i];
        CU_ASSERT(g->implicit_complete || g->generate != NULL);
        if (g->prepare) CU_ASSERT(g->release != NULL); /* whatever prepare() made is freed */
    }
    for (size_t i = 0; bz_model_registry[i]; i++) {
        const bz_model_type *m = bz_model_registry[i];
        CU_ASSERT(m->init && m->event && m->expose);
        CU_ASSERT(!m->buys || m->adopt);
        CU_ASSERT(m->n_states >= 1 && m->n_states <= BZ_MAX_STATES);
        for (int s = 0; s < m->n_states; s++) {
            CU_ASSERT(m->states[s] && m->states[s][0]);
            for (int r = 0; r < s; r++)
                CU_ASSERT(strcmp(m->states[r], m->states[s]) != 0);
        }
        CU_ASSERT(m->adopted_mask != 0);
        CU_ASSERT((m->adopted_mask & ~((1u << m->n_states) - 1)) == 0);
        CU_ASSERT((m->adopted_mask & 1u) == 0); /* state 0 is the initial, unaware state */
    }
    for (size_t i = 0; bz_campaign_registry[i]; i++) {
        const bz_campaign_type *c = bz_campaign_registry[i];
        CU_ASSERT(c->start && c->act);
    }
}

/* Levers: inside the table of engine/levers.h; each one honoured by some
 * model and used by some campaign, so none is dead. */
static void test_levers_declared(void)
{
    uint32_t honoured = 0, used = 0;
    for (size_t i = 0; bz_model_registry[i]; i++)
        honoured |= bz_model_registry[i]->honours;
    for (size_t i = 0; bz_campaign_registry[i]; i++) {
        const bz_campaign_type *c = bz_campaign_registry[i];
        used |= c->levers;
        for (size_t k = 0; k < c->n_lever_conds; k++) {
            const bz_param *q = bz_params_find(c->params, c->n_params, c->lever_conds[k].param);
            CU_ASSERT(q != NULL && numeric(q->type == BZ_PT_BOOL ? BZ_PT_INT : q->type));
            CU_ASSERT((c->lever_conds[k].lever & c->levers) == c->lever_conds[k].lever);
        }
    }
    CU_ASSERT((honoured & ~BZ_LEVERS_ALL) == 0);
    CU_ASSERT((used & ~BZ_LEVERS_ALL) == 0);
    for (int k = 0; k < BZ_N_LEVERS; k++) {
        const uint32_t bit = bz_lever_defs[k].bit;
        CU_ASSERT_PTR_EQUAL(bz_lever_def_of(bit), &bz_lever_defs[k]);
        CU_ASSERT(honoured & bit);
        CU_ASSERT(used & bit);
        if (!(honoured & bit) || !(used & bit))
            fprintf(stderr, "  lever %s: honoured %d, used %d\n", bz_lever_defs[k].name,
                    !!(honoured & bit), !!(used & bit));
    }
}

/* The tables of the config loader's fixed sections and the distributions. */
static void test_config_tables(void)
{
    size_t counts[2];
    const bz_cfg_keys *parts[2] = {bz_cfg_experiment_sections(&counts[0]),
                                   bz_cfg_population_sections(&counts[1])};
    size_t total = 0;
    const char *paths[64];
    for (int part = 0; part < 2; part++)
        for (size_t i = 0; i < counts[part]; i++) {
            const bz_cfg_keys *s = &parts[part][i];
            char owner[160];
            snprintf(owner, sizeof owner, "section '%s'", s->path);
            check_table(owner, s->params, s->n_params, 0);
            for (size_t k = 0; s->extra && s->extra[k]; k++) {
                CU_ASSERT(is_identifier(s->extra[k]));
                for (size_t j = 0; j < k; j++)
                    CU_ASSERT(strcmp(s->extra[j], s->extra[k]) != 0);
            }
            for (size_t j = 0; j < total; j++)
                CU_ASSERT(strcmp(paths[j], s->path) != 0);
            if (total < 64) paths[total++] = s->path;
        }
    CU_ASSERT(total >= 10);
    for (int k = 0; k < BZ_DIST__COUNT; k++) {
        size_t n = 0;
        const bz_param *t = bz_dist_params(k, &n);
        char owner[160];
        snprintf(owner, sizeof owner, "distribution %s", bz_dist_name(k));
        CU_ASSERT(is_identifier(bz_dist_name(k)));
        for (int j = 0; j < k; j++)
            CU_ASSERT(strcmp(bz_dist_name(j), bz_dist_name(k)) != 0);
        CU_ASSERT(n >= 1);
        check_table(owner, t, n, sizeof(bz_dist));
    }
}

/* The sweep file's keys: one table per map; its scalar keys are a
 * parameter table as every other (check_table). */
static void check_sweep_keys(const bz_sweep_key *keys, int depth)
{
    CU_ASSERT_FATAL(depth < 4);
    bz_param params[32];
    size_t n = 0, np = 0;
    for (; keys[n].param.name; n++) {
        const bz_sweep_key *k = &keys[n];
        CU_ASSERT(is_identifier(k->param.name));
        CU_ASSERT(k->param.desc && strlen(k->param.desc) > 10);
        CU_ASSERT(k->shape <= BZ_SWEEP_MAP);
        for (size_t j = 0; j < n; j++)
            CU_ASSERT(strcmp(keys[j].param.name, k->param.name) != 0);
        if (k->shape == BZ_SWEEP_LIST) CU_ASSERT(k->items != NULL);
        if (k->shape == BZ_SWEEP_MAP || (k->items && !strcmp(k->items, "object"))) {
            CU_ASSERT_FATAL(k->keys != NULL);
            check_sweep_keys(k->keys, depth + 1);
        }
        if (k->shape == BZ_SWEEP_TEXT) CU_ASSERT(k->max >= 1);
        if (k->shape == BZ_SWEEP_PARAM && np < 32) params[np++] = k->param;
        if (k->param.choices) CU_ASSERT(k->param.choices[0] && k->param.choices[1]);
    }
    for (size_t i = 0; i < n; i++) /* `needs` names a key of the same map */
        if (keys[i].needs) {
            int found = 0;
            for (size_t j = 0; j < n; j++)
                found |= !strcmp(keys[j].param.name, keys[i].needs);
            CU_ASSERT(found);
        }
    CU_ASSERT(n >= 1);
    check_table("sweep keys", params, np, 0);
}

static void test_sweep_keys(void)
{
    check_sweep_keys(bz_sweep_keys, 0);
}

/* Both schemas are made, and name every entry; the boolean words they give
 * are booleans to the loader. */
static void test_schemas(void)
{
    char *exp = NULL, *sweep = NULL;
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(bz_config_schema(&exp, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_schema(&sweep, &err), BZ_OK);
    entry e[256];
    const size_t n = all_entries(e, 256);
    for (size_t i = 0; i < n; i++) {
        char def[200];
        snprintf(def, sizeof def, "\"%s.%s\": {",
                 e[i].kind[0] == 'g'   ? "generator"
                 : e[i].kind[0] == 'm' ? "diffusion"
                                       : "campaign",
                 e[i].name);
        CU_ASSERT_PTR_NOT_NULL(strstr(exp, def));
        CU_ASSERT_PTR_NOT_NULL(strstr(sweep, def));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(exp, BZ_SCHEMA_DRAFT));
    const char *words = strstr(exp, "\"enum\": [true, false, 1, 0");
    CU_ASSERT_PTR_NOT_NULL_FATAL(words);
    const bz_param flag = {"flag", BZ_PT_BOOL, 0, 0, "false", NULL, "a flag", 0, NULL};
    int checked = 0;
    const char *end = strchr(words, ']');
    for (const char *p = strchr(strchr(words, '['), '"'); p && p < end; p = strchr(p, '"')) {
        const char *q = strchr(p + 1, '"');
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)(q - p - 1), p + 1);
        int v = -1;
        CU_ASSERT_EQUAL(bz_param_parse(&flag, word, &v, NULL), BZ_OK);
        checked++;
        p = q + 1;
    }
    CU_ASSERT(checked >= 6);
    free(exp);
    free(sweep);
}

static CU_TestInfo tests[] = {
    {"entries: names, summaries, parameter tables", test_entries},
    {"entries: callbacks, states", test_callbacks},
    {"levers declared and honoured", test_levers_declared},
    {"config loader's tables, distributions", test_config_tables},
    {"sweep file's key tables", test_sweep_keys},
    {"schemas name every entry", test_schemas},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("registries", tests);
}

/* YAML experiment file -> validated bz_experiment (see experiment.h and
 * docs/config.md).
 *
 * Pipeline: parse the text into a positioned tree (yaml_tree.c), apply the
 * --set overrides to the tree, convert section by section (each map's keys
 * are checked against its schema before its values are read, so a typo is
 * reported as an unknown key rather than a missing one), run the models'
 * cross checks, then write the resolved text (resolve.c). Every error is one
 * line: "FILE:LINE:COL: KEY.PATH: what was expected, got 'VALUE'", or
 * "--set KEY.PATH: ..." when the offending node came from an override.
 */
#include "config/experiment.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/convert.h"
#include "config/resolve.h"
#include "config/yaml_tree.h"
#include "engine/run.h"
#include "engine/campaign.h"
#include "base/channels.h"
#include "base/file.h"
#include "engine/model.h"
#include "graph/generator.h"
#include "base/text.h"

#define MAX_STEPS 10000000.0
#define MAX_FILE_BYTES ((size_t)64 << 20)
/* The longest time of the experiment's own keys (27,000 years), as for every
 * campaign's times: a horizon of 1e300d is a typo, not an experiment. */
#define MAX_DAYS 1e7

/* ---------------------------------------------------------------- schema of fixed sections */

typedef struct top_vals {
    char name[BZ_NAME_MAX];
    int64_t seed;
    int64_t replicates;
} top_vals;

static const bz_param top_params[] = {
    {"name", BZ_PT_STRING, 0, 0, "", NULL,
     "experiment name, not empty (shown in reports, stored in HDF5); default: the file name "
     "without its extension",
     offsetof(top_vals, name), NULL},
    {"seed", BZ_PT_INT, 0, INFINITY, "1", NULL,
     "random seed; the same seed gives bit-identical results", offsetof(top_vals, seed), NULL},
    {"replicates", BZ_PT_INT, 1, 100000, "10", NULL, "independent runs per arm",
     offsetof(top_vals, replicates), NULL},
};

static const char *const top_keys[] = {"name",       "seed",        "time",      "replicates",
                                       "population", "network",     "diffusion", "market",
                                       "arms",       "attribution", "output",    NULL};

typedef struct time_vals {
    double step, horizon;
} time_vals;

static const bz_param time_params[] = {
    {"step", BZ_PT_DURATION, 0, MAX_DAYS, "1h", "days",
     "sampling interval of the series (> 0, at most time.horizon; the simulation itself "
     "runs in continuous time)",
     offsetof(time_vals, step), NULL},
    {"horizon", BZ_PT_DURATION, 0, MAX_DAYS, NULL, "days", "simulated time (> 0)",
     offsetof(time_vals, horizon), NULL},
};

/* A layer's keys, read straight into its bz_layer_spec (the generator is
 * its own section). */
const bz_param bz_cfg_layer_params[] = {
    {"name", BZ_PT_STRING, 0, 0, NULL, NULL,
     "layer name: letters, digits, _ and -; unique, and not one of the fixed channel names "
     "(a layer is its own word-of-mouth channel)",
     offsetof(bz_layer_spec, name), NULL},
    {"directed", BZ_PT_BOOL, 0, 0, "false", NULL,
     "follower (directed) or friendship (undirected) ties; a generator that can only make "
     "undirected layers rejects true",
     offsetof(bz_layer_spec, directed), NULL},
    {"share", BZ_PT_RATE, 0, INFINITY, "0.1", "per tie per day",
     "sharing rate per tie, per day, for models that spread at each layer's own rate "
     "(buzz_funnel); bass, independent_cascade, sir and linear_threshold use their own "
     "parameters and ignore it",
     offsetof(bz_layer_spec, share), NULL},
    {"persuasion", BZ_PT_PROB, 0, 1, "0.2", "probability",
     "chance that one contact on this layer makes an aware agent interested (a friend's advice "
     "weighs more than a follow: Goldenberg, Libai & Muller 2001's beta_s > beta_w)",
     offsetof(bz_layer_spec, persuasion), NULL},
    {"conversion", BZ_PT_PROB, 0, 1, "0", "probability",
     "chance that one positive contact on this layer makes an interested agent want to buy at "
     "once (0: only its own buying time does)",
     offsetof(bz_layer_spec, conversion), NULL},
    {"attention", BZ_PT_REAL, 0, 1e9, "0", "posts per day",
     "limited attention: a reader reads at most K = attention posts a day, and a post is read "
     "only if the reader gets to it before newer posts push it down the feed, with probability "
     "K / (K + followees x feed) (0: every contact is read)",
     offsetof(bz_layer_spec, attention), NULL},
    {"feed", BZ_PT_RATE, 0, 1e9, "1", "posts per followee per day",
     "posts each followee makes a day about anything: the competition for attention (with "
     "attention > 0)",
     offsetof(bz_layer_spec, feed), NULL},
};
const size_t bz_cfg_n_layer_params = BZ_PARAMS_COUNT(bz_cfg_layer_params);
static const char *const layer_extra[] = {"generator", NULL};

static const bz_param net_params[] = {
    {"resample", BZ_PT_BOOL, 0, 0, "false", NULL,
     "draw a new network for every replicate (false: one network serves all "
     "replicates)",
     0, NULL},
};
static const char *const net_extra[] = {"layers", NULL};

static const char *const avail_choices[] = {"always", "flash_only", "from", NULL};
const bz_param bz_cfg_market_params[] = {
    {"price", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "list price of a unit (> 0 when given; absent: not priced, no money outcomes)",
     offsetof(bz_market_spec, price), NULL},
    {"availability", BZ_PT_ENUM, 0, 0, "always", NULL, "when the product is on sale",
     offsetof(bz_market_spec, availability), avail_choices},
    {"from", BZ_PT_DURATION, 0, MAX_DAYS, "0", "days", "start of sales for availability: from",
     offsetof(bz_market_spec, from), NULL},
    {"stock", BZ_PT_INT, 0, INFINITY, "0", "units", "0 = unlimited",
     offsetof(bz_market_spec, stock), NULL},
    {"value", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "median willingness to pay: agent v would pay up to value x its willingness attribute (0: "
     "price does not matter, everyone pays what is asked)",
     offsetof(bz_market_spec, value), NULL},
    {"unit_cost", BZ_PT_REAL, 0, 1e15, "0", "currency per unit",
     "cost of goods of every unit delivered, bought or gifted", offsetof(bz_market_spec, unit_cost),
     NULL},
    {"fixed_cost", BZ_PT_REAL, 0, 1e15, "0", "currency",
     "fixed costs of the launch (the same in every arm, so they cancel in comparisons)",
     offsetof(bz_market_spec, fixed_cost), NULL},
    {"patience", BZ_PT_RATE, 0, 1e6, "0.1", "per day",
     "rate at which a buyer who found the stock gone gives up waiting (a lost sale; 0.1/day: "
     "half give up within a week, an assumption to calibrate; 0: they wait forever)",
     offsetof(bz_market_spec, patience), NULL},
};
const size_t bz_cfg_n_market_params = BZ_PARAMS_COUNT(bz_cfg_market_params);
static const char *const market_extra[] = {"local", NULL};

const bz_param bz_cfg_local_params[] = {
    {"cities", BZ_PT_CITIES, 0, 0, NULL, "cities", "where this price and value apply",
     offsetof(bz_market_local, cities), NULL},
    {"price", BZ_PT_REAL, 0, 1e15, NULL, "currency", "list price there (> 0)",
     offsetof(bz_market_local, price), NULL},
    {"value", BZ_PT_REAL, 0, 1e15, NULL, "currency", "median willingness to pay there",
     offsetof(bz_market_local, value), NULL},
    {"unit_cost", BZ_PT_REAL, -1, 1e15, "-1", "currency per unit",
     "cost of goods of every unit delivered there (-1: market.unit_cost)",
     offsetof(bz_market_local, unit_cost), NULL},
    {"from", BZ_PT_DURATION, 0, MAX_DAYS, "0", "days",
     "local launch: nothing is on sale there before (flash sales included); 0: from the start",
     offsetof(bz_market_local, from), NULL},
};
const size_t bz_cfg_n_local_params = BZ_PARAMS_COUNT(bz_cfg_local_params);

static const char *const model_extra[] = {"model", NULL};
static const char *const campaign_extra[] = {"campaign", "enabled", NULL};
/* Keys every campaign has besides its type's (the section's table: it
 * drives the schema and the docs), read into the campaign's spec. */
const bz_param bz_cfg_campaign_common_params[] = {
    {"enabled", BZ_PT_BOOL, 0, 0, "true", NULL,
     "false: the campaign keeps its place in the arm but does nothing and costs nothing (an "
     "on/off switch for plans and sweeps)",
     offsetof(bz_campaign_spec, enabled), NULL},
};
const size_t bz_cfg_n_campaign_common_params = BZ_PARAMS_COUNT(bz_cfg_campaign_common_params);
static const char *const output_keys[] = {"file", NULL};

static const bz_cfg_keys sections[] = {
    {"", top_keys, top_params, BZ_PARAMS_COUNT(top_params)},
    {"time", NULL, time_params, BZ_PARAMS_COUNT(time_params)},
    {"network", net_extra, net_params, BZ_PARAMS_COUNT(net_params)},
    {"network.layers[]", layer_extra, bz_cfg_layer_params, BZ_PARAMS_COUNT(bz_cfg_layer_params)},
    {"network.layers[].generator", model_extra, NULL, 0},
    {"diffusion", model_extra, NULL, 0},
    {"market", market_extra, bz_cfg_market_params, BZ_PARAMS_COUNT(bz_cfg_market_params)},
    {"market.local[]", NULL, bz_cfg_local_params, BZ_PARAMS_COUNT(bz_cfg_local_params)},
    {"arms.*[]", campaign_extra, bz_cfg_campaign_common_params,
     BZ_PARAMS_COUNT(bz_cfg_campaign_common_params)},
    {"output", output_keys, NULL, 0},
};

const bz_cfg_keys *bz_cfg_experiment_sections(size_t *n)
{
    *n = BZ_PARAMS_COUNT(sections);
    return sections;
}

/* ---------------------------------------------------------------- model lookups */

/* "a, b, c" of a NULL-terminated registry (element: pointer to a struct
 * whose first member is the name). */
#define REGISTRY_NAMES(reg, buf)                                                                   \
    do {                                                                                           \
        size_t used_ = 0;                                                                          \
        (buf)[0] = '\0';                                                                           \
        for (size_t i_ = 0; (reg)[i_]; i_++)                                                       \
            used_ = bz_text_add((buf), sizeof(buf), used_, ", ", "%s", (reg)[i_]->name);           \
        if (!(buf)[0]) snprintf((buf), sizeof(buf), "none registered");                            \
    } while (0)

/* ---------------------------------------------------------------- sections */

static int valid_name(const char *s)
{
    if (!s[0] || strlen(s) >= BZ_NAME_MAX) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int convert_time(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL;
    time_vals tv;
    BZ_CHECK(bz_cfg_section(c, c->root, "time", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, NULL, time_params, BZ_PARAMS_COUNT(time_params), &tv));
    bz_ynode *hn = bz_ynode_child(m, "horizon");
    bz_ynode *sn = bz_ynode_child(m, "step");
    char b[96];
    if (!(tv.horizon > 0))
        return bz_cfg_fail(c, hn, 0, NULL, "expected a duration > 0, got %s",
                           bz_cfg_shown(hn, b, sizeof b));
    if (!(tv.step > 0) || tv.step > tv.horizon)
        return sn ? bz_cfg_fail(c, sn, 0, NULL,
                                "expected a duration > 0 and at most time.horizon, got %s",
                                bz_cfg_shown(sn, b, sizeof b))
                  : bz_cfg_fail(c, m, 1, "step", "the default step of 1h exceeds time.horizon");
    double steps = ceil(tv.horizon / tv.step - 1e-9);
    if (steps > MAX_STEPS)
        return bz_cfg_fail(
            c, sn ? sn : hn, 0, NULL,
            "time.horizon / time.step gives %.3g steps, more than %.0f: use a longer step", steps,
            MAX_STEPS);
    c->x->step = tv.step;
    c->x->horizon = tv.horizon;
    c->x->n_steps = (uint32_t)(steps < 1 ? 1 : steps);
cleanup:
    return status;
}

/* Generator map of layer li. */
static int convert_generator(bz_cfg_ctx *c, bz_ynode *item, size_t li)
{
    int status = BZ_OK;
    bz_layer_spec *l = &c->x->layers[li];
    bz_ynode *g = NULL, *mn = NULL;
    char b[96], known[600];
    bz_error e;
    g = bz_ynode_child(item, "generator");
    if (!g)
        return bz_cfg_fail(c, item, 1, "generator",
                           "missing required key (a mapping with model: NAME)");
    bz_ynode_use(g, 0);
    if (g->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, g, 0, NULL, "expected a mapping with model: NAME, got %s",
                           bz_cfg_shown(g, b, sizeof b));
    c->gen_nodes[li] = g;
    BZ_CHECK(bz_cfg_name_node(c, g, "model", "network generator", &mn));
    l->gen = bz_netgen_find(mn->text);
    if (!l->gen) {
        REGISTRY_NAMES(bz_netgen_registry, known);
        return bz_cfg_fail(c, mn, 0, NULL, "unknown generator %s (known: %s)",
                           bz_cfg_shown(mn, b, sizeof b), known);
    }
    if (l->directed && !l->gen->directed_ok)
        return bz_cfg_fail(c, mn, 0, NULL,
                           "generator '%s' makes undirected layers only; set directed: "
                           "false",
                           l->gen->name);
    BZ_CHECK(bz_cfg_read_model_params(c, g, model_extra, l->gen->params, l->gen->n_params,
                                      l->gen->params_size, &l->gen_params));
    if (l->gen->check && c->x->agents > 0 &&
        l->gen->check(l->gen_params, c->x->agents, l->directed, &e) != BZ_OK)
        return bz_cfg_fail_check(c, g, &e);
cleanup:
    return status;
}

static int convert_layer(bz_cfg_ctx *c, bz_ynode *item, size_t li)
{
    int status = BZ_OK;
    char b[96];
    bz_layer_spec lv = {0};
    if (item->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, item, 0, NULL,
                           "expected a layer mapping {name, directed, share, "
                           "generator}, got %s",
                           bz_cfg_shown(item, b, sizeof b));
    BZ_CHECK(
        bz_cfg_read_section(c, item, layer_extra, bz_cfg_layer_params, bz_cfg_n_layer_params, &lv));
    bz_ynode *nn = bz_ynode_child(item, "name");
    if (!valid_name(lv.name))
        return bz_cfg_fail(c, nn, 0, NULL,
                           "expected a layer name of letters, digits, _ and -, got '%s'", lv.name);
    for (int ch = 0; ch < BZ_CH_LAYER0; ch++) {
        const char *fixed = bz_channel_fixed_name(ch);
        if (fixed && strcmp(fixed, lv.name) == 0)
            return bz_cfg_fail(c, nn, 0, NULL,
                               "'%s' is the name of a fixed channel; choose another "
                               "layer name",
                               lv.name);
    }
    for (size_t j = 0; j < li; j++)
        if (strcmp(c->x->layers[j].name, lv.name) == 0)
            return bz_cfg_fail(c, nn, 0, NULL, "duplicate layer name '%s' (also layer %zu)",
                               lv.name, j);
    bz_layer_spec *l = &c->x->layers[li];
    *l = lv;
    BZ_CHECK(convert_generator(c, item, li));
cleanup:
    return status;
}

static int convert_network(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL;
    char b[96];
    BZ_CHECK(bz_cfg_section(c, c->root, "network", &m));
    BZ_CHECK(bz_cfg_read_section(c, m, net_extra, net_params, 1, &c->x->resample));
    bz_ynode *ls = bz_ynode_child(m, "layers");
    if (!ls)
        return bz_cfg_fail(c, m, 1, "layers", "missing required key (a list of 1 to %d layers)",
                           BZ_MAX_LAYERS);
    bz_ynode_use(ls, 0);
    if (ls->kind != BZ_YNODE_SEQ)
        return bz_cfg_fail(c, ls, 0, NULL, "expected a list of 1 to %d layers, got %s",
                           BZ_MAX_LAYERS, bz_cfg_shown(ls, b, sizeof b));
    if (ls->n < 1 || ls->n > BZ_MAX_LAYERS)
        return bz_cfg_fail(c, ls, 0, NULL, "expected a list of 1 to %d layers, got %zu layers",
                           BZ_MAX_LAYERS, ls->n);
    c->x->layers = calloc(ls->n, sizeof *c->x->layers);
    c->gen_nodes = calloc(ls->n, sizeof *c->gen_nodes);
    if (!c->x->layers || !c->gen_nodes)
        return bz_cfg_oom(c, ls->n * (sizeof *c->x->layers + sizeof *c->gen_nodes), "the layers");
    for (size_t i = 0; i < ls->n; i++) {
        bz_ynode_use(ls->items[i], 0);
        c->x->n_layers = i + 1; /* so destroy frees what this layer allocated */
        BZ_CHECK(convert_layer(c, ls->items[i], i));
    }
cleanup:
    return status;
}

static int convert_diffusion(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL, *mn = NULL;
    char b[96], known[600];
    BZ_CHECK(bz_cfg_section(c, c->root, "diffusion", &m));
    c->diff_node = m;
    BZ_CHECK(bz_cfg_name_node(c, m, "model", "diffusion model", &mn));
    c->x->model = bz_model_find(mn->text);
    if (!c->x->model) {
        REGISTRY_NAMES(bz_model_registry, known);
        return bz_cfg_fail(c, mn, 0, NULL, "unknown model %s (known: %s)",
                           bz_cfg_shown(mn, b, sizeof b), known);
    }
    const bz_model_type *t = c->x->model;
    BZ_CHECK(bz_cfg_read_model_params(c, m, model_extra, t->params, t->n_params, t->params_size,
                                      &c->x->model_params));
cleanup:
    return status;
}

/* The layer keys that only persuading models read (engine/model.h
 * `persuades`): given under another model they would do nothing, so they
 * are refused where they are written. */
static int check_layer_keys(bz_cfg_ctx *c)
{
    static const char *const keys[] = {"persuasion", "conversion", "attention", "feed"};
    if (c->x->model->persuades) return BZ_OK;
    bz_ynode *ls = bz_ynode_child(bz_ynode_child(c->root, "network"), "layers");
    char known[600] = "";
    for (size_t i = 0; bz_model_registry[i]; i++)
        if (bz_model_registry[i]->persuades) {
            if (known[0]) strncat(known, ", ", sizeof known - strlen(known) - 1);
            strncat(known, bz_model_registry[i]->name, sizeof known - strlen(known) - 1);
        }
    for (size_t i = 0; ls && i < ls->n; i++)
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            bz_ynode *v = bz_ynode_child(ls->items[i], keys[k]);
            if (v)
                return bz_cfg_fail(c, v, 1, NULL,
                                   "model '%s' does not read a layer's %s (models that do: %s)",
                                   c->x->model->name, keys[k], known);
        }
    return BZ_OK;
}

/* A willingness distribution that makes demand fall smoothly with price:
 * positive values and a spread > 0. */
static int willingness_ok(const bz_dist *d)
{
    double mean, var;
    bz_dist_moments(d, &mean, &var);
    if (!(var > 0)) return 0;
    switch (d->kind) {
    case BZ_DIST_UNIFORM:
        return d->p[0] >= 0;
    case BZ_DIST_NORMAL:
    case BZ_DIST_CONSTANT:
        return 0; /* negative willingness, or no spread */
    default:
        return 1;
    }
}

static int convert_market(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL, *ln = NULL;
    bz_market_spec *ms = &c->x->market;
    char b[96];
    BZ_CHECK(bz_cfg_section(c, c->root, "market", &m));
    BZ_CHECK(
        bz_cfg_read_section(c, m, market_extra, bz_cfg_market_params, bz_cfg_n_market_params, ms));
    bz_ynode *pn = bz_ynode_child(m, "price");
    if (pn && !(ms->price > 0))
        return bz_cfg_fail(c, pn, 0, NULL, "expected a price > 0, got %s",
                           bz_cfg_shown(pn, b, sizeof b));
    int priced = ms->value > 0;
    if ((ln = bz_ynode_child(m, "local"))) {
        bz_ynode_use(ln, 0);
        if (ln->kind != BZ_YNODE_SEQ || ln->n == 0)
            return bz_cfg_fail(c, ln, 0, NULL,
                               "expected a list of {cities: ..., price: P, value: V}, got %s",
                               bz_cfg_shown(ln, b, sizeof b));
        if (!(ms->local = calloc(ln->n, sizeof *ms->local)))
            return bz_cfg_oom(c, ln->n * sizeof *ms->local, "the local prices");
        ms->n_local = ln->n;
        for (size_t i = 0; i < ln->n; i++) {
            bz_ynode *it = ln->items[i];
            bz_ynode_use(it, 0);
            if (it->kind != BZ_YNODE_MAP)
                return bz_cfg_fail(c, it, 0, NULL,
                                   "expected a mapping {cities: ..., price: P, value: V}, got %s",
                                   bz_cfg_shown(it, b, sizeof b));
            BZ_CHECK(bz_cfg_read_section(c, it, NULL, bz_cfg_local_params, bz_cfg_n_local_params,
                                         &ms->local[i]));
            if (!(ms->local[i].price > 0))
                return bz_cfg_fail(c, bz_ynode_child(it, "price"), 0, NULL,
                                   "expected a price > 0, got %s",
                                   bz_cfg_shown(bz_ynode_child(it, "price"), b, sizeof b));
            priced |= ms->local[i].value > 0;
            bz_ynode *un = bz_ynode_child(it, "unit_cost");
            if (un && ms->local[i].unit_cost < 0 && ms->local[i].unit_cost != -1)
                return bz_cfg_fail(c, un, 0, NULL,
                                   "expected a cost >= 0 (or -1: market.unit_cost), got %s",
                                   bz_cfg_shown(un, b, sizeof b));
        }
    }
    if (ms->value > 0 && !(ms->price > 0))
        return bz_cfg_fail(c, bz_ynode_child(m, "value"), 0, NULL,
                           "a value (willingness to pay) needs market.price > 0 to compare it "
                           "with, got price %g",
                           ms->price);
    /* The willingness attribute matters only when a value is set. */
    const bz_dist *w = &c->x->attributes[BZ_ATTR_WILLINGNESS];
    if (priced && !willingness_ok(w)) {
        bz_ynode *pop = bz_ynode_child(c->root, "population");
        bz_ynode *an = pop ? bz_ynode_child(pop, "attributes") : NULL;
        bz_ynode *wn = an ? bz_ynode_child(an, "willingness") : NULL;
        double mean, var;
        bz_dist_moments(w, &mean, &var);
        return bz_cfg_fail(c, wn ? wn : m, wn ? 0 : 1, wn ? NULL : "value",
                           "the willingness to pay needs positive values with a spread > 0 "
                           "(e.g. {dist: lognormal, meanlog: 0, sdlog: 0.3}): with none, every "
                           "price below value sells the same, got a %s %s",
                           bz_dist_name(w->kind),
                           var > 0 ? "that takes values <= 0" : "with no spread");
    }
cleanup:
    return status;
}

/* Campaign list `list` of arm ai. */
static int convert_arm(bz_cfg_ctx *c, bz_ynode *list, size_t ai)
{
    int status = BZ_OK;
    bz_arm_spec *arm = &c->x->arms[ai];
    char b[96], known[600];
    bz_ynode_use(list, 0);
    c->arm_nodes[ai] = list;
    if (bz_ynode_is_null(list)) return BZ_OK;
    if (list->kind != BZ_YNODE_SEQ)
        return bz_cfg_fail(c, list, 0, NULL, "expected a list of campaigns (or []), got %s",
                           bz_cfg_shown(list, b, sizeof b));
    if (list->n == 0) return BZ_OK;
    arm->campaigns = calloc(list->n, sizeof *arm->campaigns);
    if (!arm->campaigns) return bz_cfg_oom(c, list->n * sizeof *arm->campaigns, "the campaigns");
    for (size_t j = 0; j < list->n; j++) {
        bz_ynode *item = list->items[j], *cn = NULL;
        bz_ynode_use(item, 0);
        if (item->kind != BZ_YNODE_MAP)
            return bz_cfg_fail(c, item, 0, NULL,
                               "expected a campaign mapping {campaign: NAME, ...}, "
                               "got %s",
                               bz_cfg_shown(item, b, sizeof b));
        BZ_CHECK(bz_cfg_name_node(c, item, "campaign", "campaign", &cn));
        const bz_campaign_type *t = bz_campaign_find(cn->text);
        if (!t) {
            REGISTRY_NAMES(bz_campaign_registry, known);
            return bz_cfg_fail(c, cn, 0, NULL, "unknown campaign %s (known: %s)",
                               bz_cfg_shown(cn, b, sizeof b), known);
        }
        arm->campaigns[j].type = t;
        arm->n_campaigns = j + 1;
        BZ_CHECK(bz_cfg_read_model_params(c, item, campaign_extra, t->params, t->n_params,
                                          t->params_size, &arm->campaigns[j].params));
        /* The common keys (their names are in campaign_extra, so the
         * type's key check above let them through) into the spec itself. */
        BZ_CHECK(bz_params_set_defaults(bz_cfg_campaign_common_params,
                                        bz_cfg_n_campaign_common_params, &arm->campaigns[j],
                                        c->err));
        BZ_CHECK(bz_cfg_read_params(c, item, bz_cfg_campaign_common_params,
                                    bz_cfg_n_campaign_common_params, &arm->campaigns[j]));
    }
cleanup:
    return status;
}

static int convert_arms(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = bz_ynode_child(c->root, "arms");
    char b[96];
    size_t n = 1;
    if (m) {
        bz_ynode_use(m, 0);
        if (!bz_ynode_is_null(m) && m->kind != BZ_YNODE_MAP)
            return bz_cfg_fail(c, m, 0, NULL,
                               "expected a mapping of arm names to campaign lists, "
                               "got %s",
                               bz_cfg_shown(m, b, sizeof b));
        if (m->kind == BZ_YNODE_MAP && m->n == 0)
            return bz_cfg_fail(c, m, 0, NULL, "expected at least one arm, got an empty mapping");
        if (m->kind == BZ_YNODE_MAP) n = m->n;
    }
    c->x->arms = calloc(n, sizeof *c->x->arms);
    c->arm_nodes = calloc(n, sizeof *c->arm_nodes);
    if (!c->x->arms || !c->arm_nodes)
        return bz_cfg_oom(c, n * (sizeof *c->x->arms + sizeof *c->arm_nodes), "the arms");
    if (!m || m->kind != BZ_YNODE_MAP) { /* absent or null: one empty baseline arm */
        snprintf(c->x->arms[0].name, BZ_NAME_MAX, "baseline");
        c->x->n_arms = 1;
        return BZ_OK;
    }
    /* `baseline` goes first: it is the reference of every comparison. */
    size_t base = m->n;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i]->key, "baseline") == 0) base = i;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = base == m->n ? k : (k == 0 ? base : (k <= base ? k - 1 : k));
        bz_ynode *list = m->items[i];
        if (!valid_name(list->key))
            return bz_cfg_fail(c, list, 1, NULL,
                               "expected an arm name of letters, digits, _ and - "
                               "(at most %d), got '%.80s'",
                               BZ_NAME_MAX - 1, list->key);
        snprintf(c->x->arms[k].name, BZ_NAME_MAX, "%s", list->key);
        c->x->n_arms = k + 1;
        BZ_CHECK(convert_arm(c, list, k));
    }
cleanup:
    return status;
}

/* One arm's attribution method from node v. */
static int attribution_of(bz_cfg_ctx *c, bz_ynode *v, int *out)
{
    char b[96];
    bz_ynode_use(v, 0);
    for (int k = 0; v->kind == BZ_YNODE_SCALAR && bz_attribution_names[k]; k++)
        if (strcmp(v->text, bz_attribution_names[k]) == 0) {
            *out = k;
            return BZ_OK;
        }
    return bz_cfg_fail(c, v, 0, NULL, "expected none, shapley or leave_one_out, got %s",
                       bz_cfg_shown(v, b, sizeof b));
}

/* attribution: one method for every arm but the baseline, or a mapping of
 * arm names to methods. Shapley runs every subset of an arm's campaigns
 * that differ from the baseline's, so it takes at most BZ_SHAPLEY_MAX. */
static int convert_attribution(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_experiment *x = c->x;
    bz_ynode *an = bz_ynode_child(c->root, "attribution");
    char b[96];
    if (!an) return BZ_OK;
    bz_ynode_use(an, 0);
    if (an->kind == BZ_YNODE_MAP) {
        for (size_t i = 0; i < an->n; i++) {
            bz_ynode *v = an->items[i];
            size_t k = 0;
            while (k < x->n_arms && strcmp(x->arms[k].name, v->key) != 0)
                k++;
            if (k == x->n_arms) return bz_cfg_fail(c, v, 1, NULL, "no arm named '%.80s'", v->key);
            BZ_CHECK(attribution_of(c, v, &x->arms[k].attribution));
        }
    } else {
        if (an->kind != BZ_YNODE_SCALAR)
            return bz_cfg_fail(c, an, 0, NULL,
                               "expected none, shapley, leave_one_out or a mapping of arms to "
                               "them, got %s",
                               bz_cfg_shown(an, b, sizeof b));
        int m = BZ_ATTRIB_NONE;
        BZ_CHECK(attribution_of(c, an, &m));
        for (size_t k = 1; k < x->n_arms; k++)
            x->arms[k].attribution = m;
    }
    x->arms[0].attribution = BZ_ATTRIB_NONE; /* the baseline is the reference */
    for (size_t k = 1; k < x->n_arms; k++) {
        uint32_t pos[1];
        const size_t n = bz_experiment_players(x, k, pos, 0);
        const int a = x->arms[k].attribution;
        const size_t limit = a == BZ_ATTRIB_SHAPLEY ? BZ_SHAPLEY_MAX : BZ_ATTRIB_MAX_PLAYERS;
        if (a != BZ_ATTRIB_NONE && n > limit) {
            bz_ynode *at = an->kind == BZ_YNODE_MAP ? bz_ynode_child(an, x->arms[k].name) : an;
            if (a == BZ_ATTRIB_SHAPLEY)
                return bz_cfg_fail(c, at ? at : an, 0, NULL,
                                   "shapley on arm '%s' would run every subset of its %zu "
                                   "campaigns that differ from the baseline (%.0f sub-arms per "
                                   "replicate); it takes at most %d: use leave_one_out",
                                   x->arms[k].name, n, ldexp(1.0, (int)n) - 2, BZ_SHAPLEY_MAX);
            return bz_cfg_fail(c, at ? at : an, 0, NULL,
                               "leave_one_out on arm '%s' takes at most %d campaigns that differ "
                               "from the baseline, got %zu",
                               x->arms[k].name, BZ_ATTRIB_MAX_PLAYERS, n);
        }
    }
cleanup:
    return status;
}

static int convert_output(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    bz_ynode *m = NULL;
    BZ_CHECK(bz_cfg_section(c, c->root, "output", &m));
    BZ_CHECK(bz_cfg_check_keys(c, m, output_keys, NULL, 0));
    bz_ynode *f = bz_ynode_child(m, "file");
    if (f) BZ_CHECK(bz_cfg_read_text(c, f, "a file path", sizeof c->x->output, c->x->output));
cleanup:
    return status;
}

static int convert_top(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    top_vals tv;
    char b[96];
    BZ_CHECK(bz_params_set_defaults(top_params, BZ_PARAMS_COUNT(top_params), &tv, c->err));
    BZ_CHECK(bz_cfg_check_keys(c, c->root, top_keys, NULL, 0));
    BZ_CHECK(bz_cfg_read_params(c, c->root, top_params, BZ_PARAMS_COUNT(top_params), &tv));
    bz_ynode *nn = bz_ynode_child(c->root, "name");
    if (!nn)
        bz_cfg_default_name(c->fname, "experiment", tv.name);
    else if (bz_cfg_name_problem(tv.name))
        return bz_cfg_fail(c, nn, 0, NULL, "expected a name (%s), got %s",
                           bz_cfg_name_problem(tv.name), bz_cfg_shown(nn, b, sizeof b));
    memcpy(c->x->name, tv.name, sizeof c->x->name);
    c->x->seed = (uint64_t)tv.seed;
    c->x->replicates = (uint32_t)tv.replicates;
cleanup:
    return status;
}

/* Campaign j of arm i may use only levers the model honours
 * (engine/levers.h); otherwise an error at the campaign entry naming the
 * first lever missing, the parameter values that make the campaign use it
 * (if any) and the models that honour it. */
static int check_levers(bz_cfg_ctx *c, size_t i, size_t j)
{
    const bz_experiment *x = c->x;
    const bz_campaign_spec *s = &x->arms[i].campaigns[j];
    const uint32_t missing = bz_campaign_levers(s->type, s->params) & ~x->model->honours;
    const bz_lever_def *d = bz_lever_def_of(missing);
    if (!d) return BZ_OK;
    char why[160], models[400];
    size_t used = 0;
    models[0] = '\0';
    for (size_t k = 0; bz_model_registry[k]; k++)
        if (bz_model_registry[k]->honours & d->bit)
            used = bz_text_add(models, sizeof models, used, ", ", "%s", bz_model_registry[k]->name);
    bz_campaign_lever_why(s->type, s->params, d->bit, why, sizeof why);
    return bz_cfg_fail(c, c->arm_nodes[i]->items[j], 0, NULL,
                       "campaign '%s' needs the %s lever%s%s%s, which model '%s' does not "
                       "honour; models that do: %s",
                       s->type->name, d->name, why[0] ? " (with " : "", why, why[0] ? ")" : "",
                       x->model->name, used ? models : "none");
}

/* Cross checks that need the whole experiment. */
static int run_checks(bz_cfg_ctx *c)
{
    bz_error e;
    bz_experiment *x = c->x;
    if (x->model->check && x->model->check(x->model_params, x, &e) != BZ_OK)
        return bz_cfg_fail_check(c, c->diff_node, &e);
    for (size_t i = 0; i < x->n_arms; i++)
        for (size_t j = 0; j < x->arms[i].n_campaigns; j++) {
            const bz_campaign_spec *s = &x->arms[i].campaigns[j];
            int status = check_levers(c, i, j);
            if (status != BZ_OK) return status;
            if (s->type->check && s->type->check(s->params, x, &e) != BZ_OK)
                return bz_cfg_fail_check(c, c->arm_nodes[i]->items[j], &e);
        }
    return BZ_OK;
}

/* The series must fit in memory: a step so short that they would not is
 * an error at time.step, with what they would need and a step that fits. */
static int check_series_memory(bz_cfg_ctx *c)
{
    const bz_experiment *x = c->x;
    bz_mem_limit lim;
    bz_mem_limit_get(1, &lim);
    const uint64_t need = bz_run_series_bytes(x), avail = lim.bytes;
    if (!avail || need <= avail) return BZ_OK;
    bz_ynode *t = bz_ynode_child(c->root, "time");
    bz_ynode *sn = t ? bz_ynode_child(t, "step") : NULL;
    /* The shortest of these steps whose series take at most half of it. */
    static const double nice[] = {1.0 / 86400, 10.0 / 86400, 1.0 / 1440, 10.0 / 1440,
                                  1.0 / 24,    6.0 / 24,     1.0};
    static const char *const names[] = {"1s", "10s", "1m", "10m", "1h", "6h", "1d"};
    const char *fit = NULL;
    for (size_t i = 0; i < sizeof nice / sizeof nice[0] && !fit; i++) {
        bz_experiment y = *x;
        y.n_steps = (uint32_t)fmin(ceil(x->horizon / nice[i] - 1e-9), 4e9);
        if (nice[i] > x->step && bz_run_series_bytes(&y) <= avail / 2) fit = names[i];
    }
    const double g = 1024.0 * 1024.0 * 1024.0;
    char b[96], lb[160];
    return bz_cfg_fail(c, sn ? sn : t, 0, NULL,
                       "a step of %s gives %u samples per series: the series of %zu arms x %u "
                       "replicates need %.1f GiB, more than the %.1f GiB %s; use a "
                       "longer step%s%s%s",
                       sn ? bz_cfg_shown(sn, b, sizeof b) : "1h", x->n_steps + 1, x->n_arms,
                       x->replicates, need / g, avail / g,
                       bz_mem_limit_describe(lim.limit, lim.name, 1, lb, sizeof lb),
                       fit ? " (fits: " : "", fit ? fit : "", fit ? ")" : "");
}

static int convert(bz_cfg_ctx *c)
{
    int status = BZ_OK;
    char b[96];
    if (c->root->kind != BZ_YNODE_MAP)
        return bz_cfg_fail(c, c->root, 0, NULL, "expected a mapping of experiment settings, got %s",
                           bz_cfg_shown(c->root, b, sizeof b));
    BZ_CHECK(convert_top(c));
    BZ_CHECK(convert_time(c));
    BZ_CHECK(bz_cfg_convert_population(c));
    BZ_CHECK(convert_network(c));
    BZ_CHECK(convert_diffusion(c));
    BZ_CHECK(check_layer_keys(c));
    BZ_CHECK(convert_market(c));
    BZ_CHECK(convert_arms(c));
    BZ_CHECK(convert_attribution(c));
    BZ_CHECK(convert_output(c));
    const bz_ynode *u = bz_ynode_first_unused(c->root);
    if (u) return bz_cfg_fail(c, u, 1, NULL, "unknown key");
    BZ_CHECK(run_checks(c));
    BZ_CHECK(check_series_memory(c));
cleanup:
    return status;
}

/* ---------------------------------------------------------------- public API */

int bz_experiment_load_string(bz_experiment *x, const char *text, const char *name,
                              const char *const *sets, size_t n_sets, bz_error *err)
{
    int status = BZ_OK;
    bz_cfg_ctx c;
    memset(&c, 0, sizeof c);
    memset(x, 0, sizeof *x);
    c.fname = name ? name : "<string>";
    c.err = err;
    c.x = x;
    BZ_CHECK(bz_yaml_parse(text, text ? strlen(text) : 0, c.fname, &c.root, err));
    if (bz_ynode_is_null(c.root)) { /* empty file: let --set fill it, then report */
        c.root->kind = BZ_YNODE_MAP;
        free(c.root->text);
        c.root->text = NULL;
    }
    bz_ynode_use(c.root, 0);
    for (size_t i = 0; i < n_sets; i++)
        BZ_CHECK(bz_yaml_apply_set(c.root, sets[i], (int)i + 1, err));
    BZ_CHECK(convert(&c));
    x->path = strdup(c.fname);
    x->base_dir = bz_file_dir_of(c.fname);
    if (!x->path || !x->base_dir) {
        status = bz_cfg_oom(&c, 2 * (strlen(c.fname) + 1), "the experiment's path");
        goto cleanup;
    }
    BZ_CHECK(bz_config_resolve(x, err));
cleanup:
    free(c.gen_nodes);
    free(c.arm_nodes);
    bz_ynode_free(c.root);
    if (status != BZ_OK) bz_experiment_destroy(x);
    return status;
}

int bz_experiment_load(bz_experiment *x, const char *path, const char *const *sets, size_t n_sets,
                       bz_error *err)
{
    int status = BZ_OK;
    char *text = NULL;
    memset(x, 0, sizeof *x);
    if (!path) BZ_FAIL(err, BZ_EINVAL, "no experiment file given");
    BZ_CHECK(bz_file_read_text(path, MAX_FILE_BYTES, "an experiment file", &text, NULL, err));
    status = bz_experiment_load_string(x, text, path, sets, n_sets, err);
cleanup:
    free(text);
    return status;
}

int bz_experiment_select_arms(bz_experiment *x, const char *list, bz_error *err)
{
    int status = BZ_OK;
    size_t *pick = NULL, n_pick = 0;
    bz_arm_spec *arms = NULL;
    char known[1024];
    size_t used = 0;
    known[0] = '\0';
    for (size_t i = 0; i < x->n_arms; i++)
        used = bz_text_add(known, sizeof known, used, ", ", "%s", x->arms[i].name);
    if (!list) list = "";
    pick = calloc(x->n_arms ? x->n_arms : 1, sizeof *pick);
    if (!pick) BZ_FAIL_OOM(err, NULL, (x->n_arms ? x->n_arms : 1) * sizeof *pick, "selecting arms");
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p) break;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t len = (size_t)(e - p);
        while (len && p[len - 1] == ' ')
            len--;
        size_t k = 0;
        while (k < x->n_arms &&
               !(strlen(x->arms[k].name) == len && strncmp(x->arms[k].name, p, len) == 0))
            k++;
        if (k == x->n_arms)
            BZ_FAIL(err, BZ_EINVAL, "--arms: unknown arm '%.*s' (known: %s)", (int)len, p, known);
        for (size_t j = 0; j < n_pick; j++)
            if (pick[j] == k)
                BZ_FAIL(err, BZ_EINVAL, "--arms: arm '%s' listed twice", x->arms[k].name);
        pick[n_pick++] = k;
        p = e;
    }
    if (n_pick == 0)
        BZ_FAIL(err, BZ_EINVAL,
                "--arms: expected a comma-separated list of arms "
                "(known: %s), got '%.200s'",
                known, list);
    /* `baseline` stays first whatever the order of the list, as the loader
     * puts it (load_arms): the reference of the comparisons must not depend
     * on how --arms was spelled, and the resolved text must reload to the
     * same order. */
    for (size_t j = 1; j < n_pick; j++)
        if (strcmp(x->arms[pick[j]].name, "baseline") == 0) {
            size_t b = pick[j];
            memmove(pick + 1, pick, j * sizeof *pick);
            pick[0] = b;
            break;
        }
    arms = calloc(n_pick, sizeof *arms);
    if (!arms) BZ_FAIL_OOM(err, NULL, n_pick * sizeof *arms, "selecting arms");
    for (size_t j = 0; j < n_pick; j++)
        arms[j] = x->arms[pick[j]];
    for (size_t k = 0; k < x->n_arms; k++) {
        int kept = 0;
        for (size_t j = 0; j < n_pick; j++)
            kept |= pick[j] == k;
        if (!kept) bz_arm_spec_destroy(&x->arms[k]);
    }
    free(x->arms);
    x->arms = arms;
    x->n_arms = n_pick;
    arms = NULL;
    /* Keep the provenance text in step with the arms that will run. */
    BZ_CHECK(bz_config_resolve(x, err));
cleanup:
    free(arms);
    free(pick);
    return status;
}

/* Config layer: the YAML tree, experiment loading, every error class, --set,
 * the resolved round trip, arm ordering and selection.
 *
 * The tests named "models: ..." use the registered models erdos_renyi,
 * well_mixed (networks), bass (diffusion), kol_seeding and advertising
 * (campaigns); they fail if one of those is missing from its registry. The
 * others need no model at all. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bz_test.h"
#include "config/experiment.h"
#include "config/yaml_tree.h"
#include "engine/campaign.h"
#include "engine/model.h"
#include "graph/generator.h"

static const char BASE[] = "name: demo\n"
                           "seed: 7\n"
                           "time: { step: 1h, horizon: 30d }\n"
                           "replicates: 3\n"
                           "population: { agents: 1000, cities: 5, city_sizes: { zipf: 0.5 } }\n"
                           "network:\n"
                           "  layers:\n"
                           "    - { name: friends, directed: false, share: 0.2,\n"
                           "        generator: { model: erdos_renyi, mean_degree: 6 } }\n"
                           "    - name: mixing\n"
                           "      share: 0.5/h\n"
                           "      generator: { model: well_mixed }\n"
                           "diffusion: { model: bass, p: 0.01, response: 0.1 }\n"
                           "market: { price: 1999, availability: flash_only, stock: 500 }\n"
                           "arms:\n"
                           "  kol:\n"
                           "    - { campaign: kol_seeding, count: 20, layer: friends }\n"
                           "  baseline: []\n"
                           "  ads: [ { campaign: advertising, reach: 0.5/h, cities: [0, 2] } ]\n"
                           "output: { file: out/demo.h5 }\n";

/* ---------------------------------------------------------------- helpers */

/* BASE with the first occurrence of `from` replaced by `to` (static buffer
 * per call site is not needed: caller frees). */
static char *with(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

/* 1-based line and column of the first occurrence of needle (after `after`
 * if given), computed from the text itself. */
static void pos_of(const char *text, const char *after, const char *needle, int *line, int *col)
{
    const char *start = after ? strstr(text, after) : text;
    CU_ASSERT_PTR_NOT_NULL_FATAL(start);
    const char *at = strstr(start, needle);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* Load text as "t.yaml"; expects failure with exactly `expected` (or, if
 * prefix_only, a message starting with it). */
static void expect_error(const char *text, const char *const *sets, size_t n_sets,
                         const char *expected, int prefix_only)
{
    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    int rc = bz_experiment_load_string(&x, text, "t.yaml", sets, n_sets, &err);
    CU_ASSERT_EQUAL(rc, BZ_EINVAL);
    CU_ASSERT_EQUAL(err.code, BZ_EINVAL);
    int ok = prefix_only ? strncmp(err.msg, expected, strlen(expected)) == 0
                         : strcmp(err.msg, expected) == 0;
    CU_ASSERT(ok);
    if (!ok)
        fprintf(stderr, "\n  expected: %s%s\n  got:      %s\n", expected, prefix_only ? "..." : "",
                err.msg);
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
    CU_ASSERT_PTR_NULL(x.resolved_yaml); /* left empty */
    CU_ASSERT_EQUAL(x.n_arms, 0);
    if (rc == BZ_OK) bz_experiment_destroy(&x);
}

/* Error at the position of `needle` (searched after `after`). */
static void expect_error_at(const char *text, const char *after, const char *needle,
                            const char *path_and_msg, int prefix_only)
{
    int line, col;
    char want[1024];
    pos_of(text, after, needle, &line, &col);
    snprintf(want, sizeof want, "t.yaml:%d:%d: %s", line, col, path_and_msg);
    expect_error(text, NULL, 0, want, prefix_only);
}

static int load_ok(bz_experiment *x, const char *text, const char *const *sets, size_t n_sets)
{
    bz_error err;
    bz_error_clear(&err);
    int rc = bz_experiment_load_string(x, text, "t.yaml", sets, n_sets, &err);
    CU_ASSERT_EQUAL(rc, BZ_OK);
    if (rc != BZ_OK) fprintf(stderr, "\n  unexpected error: %s\n", err.msg);
    return rc == BZ_OK;
}

/* A parameter value of a params struct, by name. */
static const void *param_ptr(const bz_param *t, size_t n, const void *params, const char *name)
{
    const bz_param *p = bz_params_find(t, n, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return (const char *)params + p->offset;
}

static double model_real(const bz_experiment *x, const char *name)
{
    double v;
    memcpy(&v, param_ptr(x->model->params, x->model->n_params, x->model_params, name), sizeof v);
    return v;
}

static const void *campaign_param(const bz_campaign_spec *c, const char *name)
{
    return param_ptr(c->type->params, c->type->n_params, c->params, name);
}

static int64_t campaign_int(const bz_campaign_spec *c, const char *name)
{
    int64_t v;
    memcpy(&v, campaign_param(c, name), sizeof v);
    return v;
}

/* ---------------------------------------------------------------- YAML tree */

static void test_tree_positions(void)
{
    const char *text = "a: 1\nb:\n  c: [x, 'y z']\n  d: {e: ~}\nlist:\n  - k: v\n";
    bz_ynode *root = NULL;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_yaml_parse(text, strlen(text), "t.yaml", &root, &err), BZ_OK);
    CU_ASSERT_EQUAL(root->kind, BZ_YNODE_MAP);
    CU_ASSERT_EQUAL(root->n, 3);
    bz_ynode *y = bz_ynode_lookup(root, "b.c.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    CU_ASSERT_STRING_EQUAL(y->text, "y z");
    CU_ASSERT_FALSE(y->plain);
    CU_ASSERT_EQUAL(y->line, 3);
    CU_ASSERT_EQUAL(y->col, 10);
    bz_ynode *c = bz_ynode_lookup(root, "b.c");
    CU_ASSERT_EQUAL(c->kind, BZ_YNODE_SEQ);
    CU_ASSERT_EQUAL(c->key_line, 3);
    CU_ASSERT_EQUAL(c->key_col, 3);
    CU_ASSERT(bz_ynode_is_null(bz_ynode_lookup(root, "b.d.e")));
    CU_ASSERT_FALSE(bz_ynode_is_null(y));
    bz_ynode *v = bz_ynode_lookup(root, "list.0.k");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_STRING_EQUAL(v->text, "v");
    CU_ASSERT_EQUAL(v->line, 6);
    CU_ASSERT_EQUAL(v->col, 8);
    char path[128];
    CU_ASSERT_STRING_EQUAL(bz_ynode_path(v, path, sizeof path), "list.0.k");
    CU_ASSERT_STRING_EQUAL(bz_ynode_path(root, path, sizeof path), "");
    CU_ASSERT_PTR_NULL(bz_ynode_lookup(root, "b.c.2"));
    CU_ASSERT_PTR_NULL(bz_ynode_lookup(root, "b.x"));
    CU_ASSERT_PTR_NULL(bz_ynode_lookup(root, "a.b"));
    CU_ASSERT_PTR_EQUAL(bz_ynode_lookup(root, ""), root);

    /* used marks */
    CU_ASSERT_PTR_EQUAL(bz_ynode_first_unused(root), root);
    bz_ynode_use(root, 0);
    CU_ASSERT_PTR_EQUAL(bz_ynode_first_unused(root), bz_ynode_child(root, "a"));
    bz_ynode_use(root, 1);
    CU_ASSERT_PTR_NULL(bz_ynode_first_unused(root));
    bz_ynode_free(root);
    bz_ynode_free(NULL);

    /* empty document: a null scalar */
    CU_ASSERT_EQUAL_FATAL(bz_yaml_parse("", 0, "e.yaml", &root, &err), BZ_OK);
    CU_ASSERT(bz_ynode_is_null(root));
    bz_ynode_free(root);
}

static void expect_parse_error(const char *text, const char *want_prefix)
{
    bz_ynode *root = (bz_ynode *)1;
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL(bz_yaml_parse(text, strlen(text), "t.yaml", &root, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NULL(root);
    int ok = strncmp(err.msg, want_prefix, strlen(want_prefix)) == 0;
    CU_ASSERT(ok);
    if (!ok) fprintf(stderr, "\n  expected: %s...\n  got:      %s\n", want_prefix, err.msg);
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
}

static void test_tree_errors(void)
{
    expect_parse_error("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: a: duplicate key (first at line 1)");
    expect_parse_error("x:\n  y: 1\n  z: 2\n  y: 3\n", "t.yaml:4:3: x.y: duplicate key");
    expect_parse_error("a: [1, 2\nb: 3\n", "t.yaml:");
    expect_parse_error("a: [1, 2\nb: 3\n", "t.yaml:");
    expect_parse_error("a: &x 1\nb: *x\n",
                       "t.yaml:1:4: YAML anchors and aliases are not supported");
    expect_parse_error("a: 1\n---\nb: 2\n", "t.yaml:2:1: only one YAML document is allowed");
    expect_parse_error("? [a, b]\n: 1\n", "t.yaml:1:3: mapping keys must be plain names");
    expect_parse_error("a: \"x\\0y\"\n", "t.yaml:1:4: value contains a NUL character");

    /* malformed YAML names the position and libyaml's problem */
    bz_ynode *root = NULL;
    bz_error err;
    const char *bad = "a: 1\nb: [2, 3\nc: 4\n";
    CU_ASSERT_EQUAL(bz_yaml_parse(bad, strlen(bad), "f.yaml", &root, &err), BZ_EINVAL);
    int line = 0, col = 0;
    char rest[512] = "";
    CU_ASSERT_EQUAL(sscanf(err.msg, "f.yaml:%d:%d: %511[^\n]", &line, &col, rest), 3);
    CU_ASSERT(line >= 2 && line <= 4);
    CU_ASSERT(col >= 1);
    CU_ASSERT_EQUAL(strncmp(rest, "malformed YAML: ", 16), 0);
    CU_ASSERT(strlen(rest) > 20);

    /* nesting bomb is refused, not a stack overflow */
    char deep[4 * BZ_YAML_MAX_DEPTH + 16];
    size_t k = 0;
    for (int i = 0; i < 2 * BZ_YAML_MAX_DEPTH; i++)
        deep[k++] = '[';
    deep[k] = '\0';
    CU_ASSERT_EQUAL(bz_yaml_parse(deep, k, "d.yaml", &root, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nested deeper"));
}

static void test_tree_set(void)
{
    const char *text = "a: 1\nb:\n  c: [x, {k: v}]\nn:\n";
    bz_ynode *root = NULL;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_yaml_parse(text, strlen(text), "t.yaml", &root, &err), BZ_OK);

    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "a=2", 1, &err), BZ_OK); /* replace */
    bz_ynode *a = bz_ynode_lookup(root, "a");
    CU_ASSERT_STRING_EQUAL(a->text, "2");
    CU_ASSERT_EQUAL(a->from_set, 1);
    CU_ASSERT_PTR_EQUAL(root->items[0], a); /* keeps its place */

    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "new.deep.key=hello world: x", 2, &err), BZ_OK);
    bz_ynode *d = bz_ynode_lookup(root, "new.deep.key");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_STRING_EQUAL(d->text, "hello world: x"); /* literal, not a mapping */
    CU_ASSERT_EQUAL(bz_ynode_lookup(root, "new")->from_set, 2);

    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.c.1.k=w", 3, &err), BZ_OK); /* through a seq */
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "b.c.1.k")->text, "w");
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.c.2=z", 4, &err), BZ_OK); /* append */
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "b.c.2")->text, "z");
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.c.0=[1, {p: q}]", 5, &err), BZ_OK); /* flow */
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "b.c.0.1.p")->text, "q");
    CU_ASSERT_EQUAL(bz_ynode_lookup(root, "b.c.0.1.p")->from_set, 5);
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.q='quoted: yes'", 6, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "b.q")->text, "quoted: yes");
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "n.0.m=1", 7, &err), BZ_OK); /* null -> seq */
    CU_ASSERT_EQUAL(bz_ynode_lookup(root, "n")->kind, BZ_YNODE_SEQ);
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "n.0.m")->text, "1");

    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.c.9=z", 8, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "--set b.c.9: index 9 out of range (the sequence has 3 items)");
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "b.c.x=z", 8, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(strncmp(err.msg, "--set b.c.x: expected a sequence index", 38), 0);
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "a.b=1", 8, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(strncmp(err.msg, "--set a.b: 'a' holds a single value", 35), 0);
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "novalue", 8, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "--set 'novalue': expected KEY.PATH=VALUE");
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "=3", 8, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "a..b=3", 8, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_yaml_apply_set(root, "a=[1, 2", 8, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(strncmp(err.msg, "--set a: malformed YAML: ", 25), 0);
    CU_ASSERT_STRING_EQUAL(bz_ynode_lookup(root, "a")->text, "2"); /* unchanged by failures */
    bz_ynode_free(root);
}

/* ---------------------------------------------------------------- errors needing no model */

static void test_missing_file(void)
{
    bz_experiment x;
    bz_error err;
    CU_ASSERT_EQUAL(bz_experiment_load(&x, "/nonexistent/dir/x.yaml", NULL, 0, &err), BZ_ENOENT);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "cannot open '/nonexistent/dir/x.yaml': No such file or directory");
    CU_ASSERT_PTR_NULL(x.resolved_yaml);
}

static void test_malformed_experiment(void)
{
    const char *text = "name: x\ntime: { step: 1h, horizon: 2d\nseed: 3\n";
    bz_experiment x;
    bz_error err;
    CU_ASSERT_EQUAL(bz_experiment_load_string(&x, text, "cfg/m.yaml", NULL, 0, &err), BZ_EINVAL);
    int line = 0, col = 0;
    char rest[512] = "";
    CU_ASSERT_EQUAL(sscanf(err.msg, "cfg/m.yaml:%d:%d: %511[^\n]", &line, &col, rest), 3);
    CU_ASSERT(line >= 2);
    CU_ASSERT_EQUAL(strncmp(rest, "malformed YAML: ", 16), 0);
    /* a document that is not a mapping */
    expect_error("- a\n- b\n", NULL, 0,
                 "t.yaml:1:1: (top level): expected a mapping of experiment settings, got a "
                 "sequence",
                 0);
}

static void test_core_errors(void)
{
    const char *t1 = "name: x\nseeed: 3\ntime: {horizon: 1d}\n";
    expect_error(t1, NULL, 0,
                 "t.yaml:2:1: seeed: unknown key (expected one of: name, seed, time, replicates, "
                 "population, network, diffusion, market, arms, attribution, output)",
                 0);
    const char *t2 = "time: {horizon: 1d}\nreplicates: -3\n";
    expect_error_at(t2, NULL, "-3", "replicates: expected an integer in [1, 100000], got '-3'", 0);
    const char *t3 = "seed: 1.5\n";
    expect_error_at(t3, NULL, "1.5", "seed: expected an integer >= 0, got '1.5'", 0);
    const char *t4 = "name: x\ntime:\n  step: 10m\n";
    expect_error(t4, NULL, 0, "t.yaml:2:1: time.horizon: missing required key", 1);
    const char *t5 = "time: {step: 10, horizon: 2d}\n";
    expect_error_at(t5, NULL, "10", "time.step: expected a duration with a unit", 1);
    const char *t6 = "time: {step: 3d, horizon: 2d}\n";
    expect_error_at(t6, NULL, "3d",
                    "time.step: expected a duration > 0 and at most time.horizon, "
                    "got '3d'",
                    0);
    const char *t7 = "time: {step: 1s, horizon: 1000w}\n";
    expect_error_at(t7, NULL, "1s", "time.step: time.horizon / time.step gives", 1);
    const char *t8 = "time: {horizon: 0}\n";
    expect_error_at(t8, NULL, "0}", "time.horizon: expected a duration > 0, got '0'", 0);
    const char *t9 = "time: {horizon: 1d}\npopulation: {agents: 10, cities: 11}\n";
    expect_error_at(t9, NULL, "11",
                    "population.cities: expected at most population.agents (10) cities, got '11'",
                    0);
    const char *t10 = "time: {horizon: 1d}\npopulation: {agents: -5}\n";
    expect_error_at(t10, NULL, "-5",
                    "population.agents: expected an integer in [0, 4294967294], "
                    "got '-5'",
                    0);
    const char *t11 = "time: [1d]\n";
    expect_error_at(t11, NULL, "[", "time: expected a mapping, got a sequence", 0);
    const char *t12 = "time: {horizon: 1d}\npopulation: {city_sizes: {zipf: -1}}\n";
    expect_error_at(t12, NULL, "-1", "population.city_sizes.zipf: expected a number >= 0, got '-1'",
                    0);
    const char *t13 = "time: {horizon: 1d}\nnetwork: {resample: perhaps}\n";
    expect_error_at(t13, NULL, "perhaps", "network.resample: expected true or false", 1);
    const char *t14 = "time: {horizon: 1d}\nnetwork: {resample: true}\n";
    expect_error_at(t14, NULL, "network",
                    "network.layers: missing required key (a list of 1 to 23 layers)", 0);
    const char *t15 = "time: {horizon: 1d}\nnetwork: {layers: []}\n";
    expect_error_at(t15, NULL, "[]",
                    "network.layers: expected a list of 1 to 23 layers, got 0 "
                    "layers",
                    0);
    /* the empty file is reported, not accepted */
    expect_error("", NULL, 0, "t.yaml:1:1: time.horizon: missing required key", 1);
}

static void test_set_core_errors(void)
{
    const char *text = "time: {horizon: 1d}\n";
    const char *s1[] = {"foo.bar=1"};
    expect_error(text, s1, 1, "--set foo: unknown key (expected one of: name, seed, time", 1);
    const char *s2[] = {"replicates=abc"};
    expect_error(text, s2, 1, "--set replicates: expected an integer in [1, 100000], got 'abc'", 0);
    const char *s3[] = {"novalue"};
    expect_error(text, s3, 1, "--set 'novalue': expected KEY.PATH=VALUE", 0);
    const char *s4[] = {"time.horizon=0"};
    expect_error(text, s4, 1, "--set time.horizon: expected a duration > 0, got '0'", 0);
    const char *s5[] = {"time.stepp=1h"};
    expect_error(text, s5, 1, "--set time.stepp: unknown key (expected one of: step, horizon)", 0);
    /* sets apply in order: the last one wins, and the file's position is no longer used */
    const char *s6[] = {"replicates=5", "replicates=0"};
    expect_error(text, s6, 2, "--set replicates: expected an integer in [1, 100000], got '0'", 0);
    /* a set can fill an empty file */
    const char *s7[] = {"time.horizon=2d", "replicates=0"};
    expect_error("", s7, 2, "--set replicates: expected an integer", 1);
}

/* ---------------------------------------------------------------- with models */

static void test_full_valid(void)
{
    bz_experiment x;
    if (!load_ok(&x, BASE, NULL, 0)) return;
    CU_ASSERT_STRING_EQUAL(x.name, "demo");
    CU_ASSERT_EQUAL(x.seed, 7);
    CU_ASSERT_DOUBLE_EQUAL(x.step, 1.0 / 24.0, 1e-15);
    CU_ASSERT_EQUAL(x.horizon, 30.0);
    CU_ASSERT_EQUAL(x.n_steps, 720);
    CU_ASSERT_EQUAL(x.replicates, 3);
    CU_ASSERT_EQUAL(x.agents, 1000);
    CU_ASSERT_EQUAL(x.cities, 5);
    CU_ASSERT_EQUAL(x.city_zipf, 0.5);
    CU_ASSERT_EQUAL_FATAL(x.n_layers, 2);
    CU_ASSERT_STRING_EQUAL(x.layers[0].name, "friends");
    CU_ASSERT_STRING_EQUAL(x.layers[0].gen->name, "erdos_renyi");
    CU_ASSERT_EQUAL(x.layers[0].share, 0.2);
    CU_ASSERT_EQUAL(x.layers[0].directed, 0);
    double md;
    memcpy(&md,
           param_ptr(x.layers[0].gen->params, x.layers[0].gen->n_params, x.layers[0].gen_params,
                     "mean_degree"),
           sizeof md);
    CU_ASSERT_EQUAL(md, 6.0);
    CU_ASSERT_STRING_EQUAL(x.layers[1].name, "mixing");
    CU_ASSERT_STRING_EQUAL(x.layers[1].gen->name, "well_mixed");
    CU_ASSERT_DOUBLE_EQUAL(x.layers[1].share, 12.0, 1e-12); /* 0.5/h */
    CU_ASSERT_EQUAL(x.resample, 0);
    CU_ASSERT_STRING_EQUAL(x.model->name, "bass");
    CU_ASSERT_EQUAL(model_real(&x, "p"), 0.01);
    CU_ASSERT_EQUAL(model_real(&x, "response"), 0.1);
    CU_ASSERT_EQUAL(x.market.price, 1999.0);
    CU_ASSERT_EQUAL(x.market.availability, BZ_AVAIL_FLASH_ONLY);
    CU_ASSERT_EQUAL(x.market.stock, 500);
    CU_ASSERT_EQUAL(x.market.from, 0.0);
    /* baseline first, then file order */
    CU_ASSERT_EQUAL_FATAL(x.n_arms, 3);
    CU_ASSERT_STRING_EQUAL(x.arms[0].name, "baseline");
    CU_ASSERT_STRING_EQUAL(x.arms[1].name, "kol");
    CU_ASSERT_STRING_EQUAL(x.arms[2].name, "ads");
    CU_ASSERT_EQUAL(x.arms[0].n_campaigns, 0);
    CU_ASSERT_STRING_EQUAL(x.arms[0].campaigns_yaml, "[]");
    CU_ASSERT_EQUAL_FATAL(x.arms[1].n_campaigns, 1);
    CU_ASSERT_STRING_EQUAL(x.arms[1].campaigns[0].type->name, "kol_seeding");
    CU_ASSERT_EQUAL(campaign_int(&x.arms[1].campaigns[0], "count"), 20);
    CU_ASSERT_EQUAL_FATAL(x.arms[2].n_campaigns, 1);
    bz_cityset cs;
    memcpy(&cs, campaign_param(&x.arms[2].campaigns[0], "cities"), sizeof cs);
    CU_ASSERT_EQUAL(cs.mode, BZ_CITIES_LIST);
    CU_ASSERT_EQUAL(cs.n, 2);
    CU_ASSERT_EQUAL(cs.ids[1], 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x.arms[1].campaigns_yaml, "{campaign: kol_seeding,"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x.arms[1].campaigns_yaml, "count: 20"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x.arms[2].campaigns_yaml, "cities: [0, 2]"));
    CU_ASSERT_STRING_EQUAL(x.output, "out/demo.h5");
    CU_ASSERT_STRING_EQUAL(x.path, "t.yaml");
    CU_ASSERT_STRING_EQUAL(x.base_dir, ".");
    CU_ASSERT_PTR_NOT_NULL(x.resolved_yaml);
    bz_experiment_destroy(&x);
    bz_experiment_destroy(&x); /* idempotent on a destroyed struct */
}

static void test_defaults_and_file(void)
{
    const char *text = "time: {horizon: 2d}\n"
                       "network: {layers: [{name: all, generator: {model: well_mixed}}]}\n"
                       "diffusion: {model: bass}\n";
    char dir[] = "/tmp/bz_test_config_XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/launch.v2.yaml", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    bz_experiment x;
    bz_error err;
    int rc = bz_experiment_load(&x, path, NULL, 0, &err);
    CU_ASSERT_EQUAL(rc, BZ_OK);
    if (rc != BZ_OK) fprintf(stderr, "\n  unexpected error: %s\n", err.msg);
    if (rc == BZ_OK) {
        CU_ASSERT_STRING_EQUAL(x.name, "launch.v2");
        CU_ASSERT_STRING_EQUAL(x.path, path);
        CU_ASSERT_STRING_EQUAL(x.base_dir, dir);
        CU_ASSERT_EQUAL(x.seed, 1);
        CU_ASSERT_EQUAL(x.replicates, 10);
        CU_ASSERT_DOUBLE_EQUAL(x.step, 1.0 / 24.0, 1e-15);
        CU_ASSERT_EQUAL(x.n_steps, 48);
        CU_ASSERT_EQUAL(x.agents, 0);
        CU_ASSERT_EQUAL(x.cities, 1);
        CU_ASSERT_EQUAL(x.city_zipf, 1.0);
        CU_ASSERT_EQUAL(x.layers[0].directed, 0);
        CU_ASSERT_EQUAL(x.layers[0].share, 0.1);
        CU_ASSERT_EQUAL(x.market.price, 0.0);
        CU_ASSERT_EQUAL(x.market.availability, BZ_AVAIL_ALWAYS);
        CU_ASSERT_EQUAL(x.market.stock, 0);
        CU_ASSERT_EQUAL_FATAL(x.n_arms, 1);
        CU_ASSERT_STRING_EQUAL(x.arms[0].name, "baseline");
        CU_ASSERT_EQUAL(x.arms[0].n_campaigns, 0);
        CU_ASSERT_STRING_EQUAL(x.output, "");
        bz_experiment_destroy(&x);
    }
    unlink(path);
    rmdir(dir);
}

static void test_value_errors(void)
{
    char *t = with(BASE, "response: 0.1", "response: 1.5");
    expect_error_at(t, "diffusion", "1.5",
                    "diffusion.response: expected a probability in [0, 1], got '1.5'", 0);
    free(t);
    t = with(BASE, "count: 20", "count: -3");
    expect_error_at(t, NULL, "-3", "arms.kol.0.count: expected an integer in [1, ", 1);
    free(t);
    t = with(BASE, "share: 0.5/h", "share: 0.5/q");
    expect_error_at(t, NULL, "0.5/q", "network.layers.1.share: expected a rate", 1);
    free(t);
    t = with(BASE, "cities: [0, 2]", "cities: [0, 5]");
    expect_error_at(t, NULL, "[0, 5]", "arms.ads.0.cities: city index 5 out of range", 1);
    free(t);
    t = with(BASE, "cities: [0, 2]", "cities: {top: 6}");
    expect_error_at(t, NULL, "{top: 6}",
                    "arms.ads.0.cities: expected at most population.cities "
                    "(5) cities, got top 6",
                    0);
    free(t);
    t = with(BASE, "availability: flash_only", "availability: sometimes");
    expect_error_at(t, NULL, "sometimes",
                    "market.availability: expected one of (always, "
                    "flash_only, from), got 'sometimes'",
                    0);
    free(t);
    t = with(BASE, "file: out/demo.h5", "file: [a, b]");
    expect_error_at(t, NULL, "[a, b]", "output.file: expected a file path", 1);
    free(t);
    /* a campaign check (kol layer must exist) is placed at the offending key */
    t = with(BASE, "layer: friends", "layer: nosuch");
    expect_error_at(t, NULL, "nosuch", "arms.kol.0.layer: ", 1);
    free(t);
}

static void test_unknown_names_and_keys(void)
{
    char *t = with(BASE, "model: bass", "model: basss");
    expect_error_at(t, NULL, "basss", "diffusion.model: unknown model 'basss' (known: ", 1);
    bz_experiment x;
    bz_error err;
    bz_experiment_load_string(&x, t, "t.yaml", NULL, 0, &err);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bass"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sir"));
    free(t);
    t = with(BASE, "model: erdos_renyi", "model: erdos_renyii");
    expect_error_at(
        t, NULL, "erdos_renyii",
        "network.layers.0.generator.model: unknown generator 'erdos_renyii' (known: ", 1);
    free(t);
    t = with(BASE, "campaign: advertising", "campaign: adverts");
    expect_error_at(t, NULL, "adverts",
                    "arms.ads.0.campaign: unknown campaign 'adverts' (known: ", 1);
    free(t);
    t = with(BASE, "mean_degree: 6", "sneed: 6");
    expect_error_at(t, NULL, "sneed",
                    "network.layers.0.generator.sneed: unknown key (expected one "
                    "of: model, mean_degree",
                    1);
    free(t);
    t = with(BASE, "count: 20", "cuont: 20");
    expect_error_at(t, NULL, "cuont", "arms.kol.0.cuont: unknown key (expected one of: campaign, ",
                    1);
    free(t);
    t = with(BASE, "stock: 500", "stok: 500");
    expect_error_at(t, NULL, "stok",
                    "market.stok: unknown key (expected one of: local, price, "
                    "availability, from, stock, value, unit_cost, fixed_cost, patience)",
                    0);
    free(t);
    t = with(BASE, "      share: 0.5/h", "      shared: 0.5/h");
    expect_error_at(t, NULL, "shared",
                    "network.layers.1.shared: unknown key (expected one of: "
                    "generator, name, directed, share, persuasion, conversion, attention, feed)",
                    0);
    free(t);
    t = with(BASE, "diffusion: { model: bass,", "diffusion: {");
    expect_error_at(t, NULL, "diffusion", "diffusion.model: missing required key", 1);
    free(t);
}

static void test_structure_errors(void)
{
    char *t = with(BASE, "name: mixing", "name: friends");
    expect_error_at(t, "- name: ", "friends",
                    "network.layers.1.name: duplicate layer name "
                    "'friends'",
                    1);
    free(t);
    t = with(BASE, "name: mixing", "name: advertising");
    expect_error_at(t, NULL, "advertising",
                    "network.layers.1.name: 'advertising' is the name of a "
                    "fixed channel",
                    1);
    free(t);
    t = with(BASE, "name: mixing", "name: a/b");
    expect_error_at(t, NULL, "a/b", "network.layers.1.name: expected a layer name", 1);
    free(t);
    t = with(BASE, "  ads: [", "  ads!: [");
    expect_error_at(t, NULL, "ads!", "arms.ads!: expected an arm name", 1);
    free(t);
    t = with(BASE, "  baseline: []", "  baseline: {}");
    expect_error_at(t, "baseline", "{}", "arms.baseline: expected a list of campaigns", 1);
    free(t);
    t = with(BASE, "  kol:\n", "  ads:\n");
    expect_error_at(t, "  baseline", "ads", "arms.ads: duplicate key", 1);
    free(t);
    /* a generator that cannot make directed layers, on a directed layer */
    const bz_netgen_type *undirected_only = NULL;
    for (size_t i = 0; bz_netgen_registry[i] && !undirected_only; i++) {
        const bz_netgen_type *g = bz_netgen_registry[i];
        int required = 0;
        for (size_t j = 0; j < g->n_params; j++)
            required |= g->params[j].def == NULL;
        if (!g->directed_ok && !required) undirected_only = g;
    }
    if (undirected_only) {
        char gen[128], msg[256];
        snprintf(gen, sizeof gen, "generator: { model: %s }", undirected_only->name);
        snprintf(msg, sizeof msg,
                 "network.layers.1.generator.model: generator '%s' makes "
                 "undirected layers only",
                 undirected_only->name);
        char *t1 = with(BASE, "generator: { model: well_mixed }", gen);
        t = with(t1, "      share: 0.5/h", "      directed: true");
        expect_error_at(t, "mixing", undirected_only->name, msg, 1);
        free(t1);
        free(t);
    }
}

static void test_sets(void)
{
    bz_experiment x;
    const char *sets[] = {"diffusion.q=0.5",        "network.layers.0.share=0.5/h",
                          "arms.kol.0.count=10",    "arms.extra=[{campaign: advertising}]",
                          "population.agents=2000", "name=from set"};
    if (!load_ok(&x, BASE, sets, 6)) return;
    CU_ASSERT_EQUAL(model_real(&x, "q"), 0.5);
    CU_ASSERT_DOUBLE_EQUAL(x.layers[0].share, 12.0, 1e-12);
    CU_ASSERT_EQUAL(campaign_int(&x.arms[1].campaigns[0], "count"), 10);
    CU_ASSERT_EQUAL_FATAL(x.n_arms, 4);
    CU_ASSERT_STRING_EQUAL(x.arms[3].name, "extra");
    CU_ASSERT_STRING_EQUAL(x.arms[3].campaigns[0].type->name, "advertising");
    CU_ASSERT_EQUAL(x.agents, 2000);
    CU_ASSERT_STRING_EQUAL(x.name, "from set");
    CU_ASSERT_PTR_NOT_NULL(strstr(x.resolved_yaml, "name: \"from set\"\n"));
    bz_experiment_destroy(&x);

    const char *s1[] = {"diffusion.qq=1"};
    expect_error(BASE, s1, 1, "--set diffusion.qq: unknown key (expected one of: model, p, q, ", 1);
    const char *s2[] = {"arms.kol.5.count=1"};
    expect_error(BASE, s2, 1, "--set arms.kol.5.count: index 5 out of range", 1);
    const char *s3[] = {"arms.kol.0.sneed=3"};
    expect_error(BASE, s3, 1, "--set arms.kol.0.sneed: unknown key (expected one of: campaign, ",
                 1);
    const char *s4[] = {"network.layers.0.generator.mean_degree=lots"};
    expect_error(BASE, s4, 1, "--set network.layers.0.generator.mean_degree: expected a number", 1);
    const char *s5[] = {"diffusion.response=1.5"};
    expect_error(BASE, s5, 1,
                 "--set diffusion.response: expected a probability in [0, 1], got '1.5'", 0);
    const char *s6[] = {"diffusion.model=nope"};
    expect_error(BASE, s6, 1, "--set diffusion.model: unknown model 'nope'", 1);
}

/* Every field, and every params struct byte for byte. */
static void assert_same(const bz_experiment *a, const bz_experiment *b)
{
    CU_ASSERT_STRING_EQUAL(a->name, b->name);
    CU_ASSERT_EQUAL(a->seed, b->seed);
    CU_ASSERT_EQUAL(a->step, b->step);
    CU_ASSERT_EQUAL(a->horizon, b->horizon);
    CU_ASSERT_EQUAL(a->n_steps, b->n_steps);
    CU_ASSERT_EQUAL(a->replicates, b->replicates);
    CU_ASSERT_EQUAL(a->agents, b->agents);
    CU_ASSERT_EQUAL(a->cities, b->cities);
    CU_ASSERT_EQUAL(a->city_zipf, b->city_zipf);
    CU_ASSERT_EQUAL(a->resample, b->resample);
    CU_ASSERT_EQUAL_FATAL(a->n_layers, b->n_layers);
    for (size_t i = 0; i < a->n_layers; i++) {
        CU_ASSERT_STRING_EQUAL(a->layers[i].name, b->layers[i].name);
        CU_ASSERT_EQUAL(a->layers[i].directed, b->layers[i].directed);
        CU_ASSERT_EQUAL(a->layers[i].share, b->layers[i].share);
        CU_ASSERT_PTR_EQUAL(a->layers[i].gen, b->layers[i].gen);
        CU_ASSERT_EQUAL(
            memcmp(a->layers[i].gen_params, b->layers[i].gen_params, a->layers[i].gen->params_size),
            0);
    }
    CU_ASSERT_PTR_EQUAL(a->model, b->model);
    CU_ASSERT_EQUAL(memcmp(a->model_params, b->model_params, a->model->params_size), 0);
    bz_market_spec ma = a->market, mb = b->market; /* all but the local pointer */
    ma.local = mb.local = NULL;
    CU_ASSERT_EQUAL(memcmp(&ma, &mb, sizeof ma), 0);
    if (a->market.n_local == b->market.n_local && a->market.n_local)
        CU_ASSERT_EQUAL(
            memcmp(a->market.local, b->market.local, a->market.n_local * sizeof *a->market.local),
            0);
    CU_ASSERT_EQUAL_FATAL(a->n_arms, b->n_arms);
    for (size_t i = 0; i < a->n_arms; i++) {
        CU_ASSERT_STRING_EQUAL(a->arms[i].name, b->arms[i].name);
        CU_ASSERT_EQUAL_FATAL(a->arms[i].n_campaigns, b->arms[i].n_campaigns);
        CU_ASSERT_STRING_EQUAL(a->arms[i].campaigns_yaml, b->arms[i].campaigns_yaml);
        for (size_t j = 0; j < a->arms[i].n_campaigns; j++) {
            CU_ASSERT_PTR_EQUAL(a->arms[i].campaigns[j].type, b->arms[i].campaigns[j].type);
            CU_ASSERT_EQUAL(memcmp(a->arms[i].campaigns[j].params, b->arms[i].campaigns[j].params,
                                   a->arms[i].campaigns[j].type->params_size),
                            0);
        }
    }
    CU_ASSERT_STRING_EQUAL(a->output, b->output);
    CU_ASSERT_STRING_EQUAL(a->resolved_yaml, b->resolved_yaml);
}

static void test_resolved_roundtrip(void)
{
    /* awkward values: thirds, sub-second steps, quoted names, city lists */
    const char *sets[] = {"time.step=1.5m",
                          "name=a \"quoted\": name #1",
                          "diffusion.q=0.1/h",
                          "diffusion.p=0.3333333333333333",
                          "output.file=out dir/x: y.h5",
                          "market.availability=from",
                          "market.from=2.5d",
                          "network.resample=yes"};
    bz_experiment a, b;
    if (!load_ok(&a, BASE, sets, sizeof sets / sizeof sets[0])) return;
    if (load_ok(&b, a.resolved_yaml, NULL, 0)) {
        assert_same(&a, &b);
        bz_experiment_destroy(&b);
    } else {
        fprintf(stderr, "\n--- resolved ---\n%s", a.resolved_yaml);
    }
    /* readable: block style with the defaults written out */
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\ntime:\n  step: 90s\n  horizon: 30d\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\n    - name: friends\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\n  baseline: []\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\n  resample: true\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\n  stock: 500\n"));
    bz_experiment_destroy(&a);

    /* the minimal file too */
    const char *min = "time: {horizon: 2d}\n"
                      "network: {layers: [{name: all, generator: {model: well_mixed}}]}\n"
                      "diffusion: {model: bass}\n";
    if (!load_ok(&a, min, NULL, 0)) return;
    if (load_ok(&b, a.resolved_yaml, NULL, 0)) {
        assert_same(&a, &b);
        bz_experiment_destroy(&b);
    }
    bz_experiment_destroy(&a);

    /* Fixed points found by fuzzing: seven equal city shares (their
     * normalised values do not sum to exactly 1; K2), a festival's default
     * `cities: 10` with 4 cities (written as top 4; K4). */
    const char *fixed[] = {
        "time: {horizon: 2d}\n"
        "population: {agents: 100, cities: [{name: a, share: 1}, {name: b, share: 1},\n"
        "  {name: c, share: 1}, {name: d, share: 1}, {name: e, share: 1}, {name: f, share: 1},\n"
        "  {name: g, share: 1}]}\n"
        "network: {layers: [{name: all, generator: {model: well_mixed}}]}\n"
        "diffusion: {model: bass}\n",
        "time: {horizon: 30d}\n"
        "population: {agents: 500, cities: 4}\n"
        "network: {layers: [{name: f, share: 0.1, generator: {model: erdos_renyi, mean_degree: "
        "6}}]}\n"
        "diffusion: {model: buzz_funnel, fans: 0.1}\n"
        "arms: {m: [{campaign: festival, at: 2d, every: 7d, times: 3}]}\n",
    };
    for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
        if (!load_ok(&a, fixed[k], NULL, 0)) continue;
        if (load_ok(&b, a.resolved_yaml, NULL, 0)) {
            assert_same(&a, &b);
            bz_experiment_destroy(&b);
        }
        bz_experiment_destroy(&a);
    }
}

/* Every experiment in configs/ (all *.yaml but sweep, optimize and
 * calibrate plans) resolves to a fixed point: its resolved text loads
 * again (under the file's name, so relative paths hold) to the same
 * experiment and the same text. At least the seven of the README. */
static void test_configs_roundtrip(void)
{
    const char *src = getenv("BZ_SOURCE_DIR");
    CU_ASSERT_PTR_NOT_NULL_FATAL(src);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/configs", src);
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    size_t checked = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".yaml") != 0 ||
            strncmp(e->d_name, "sweep_", 6) == 0 || strncmp(e->d_name, "optimize_", 9) == 0 ||
            strncmp(e->d_name, "calibrate_", 10) == 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bz_experiment a, b;
        bz_error err;
        int rc = bz_experiment_load(&a, path, NULL, 0, &err);
        CU_ASSERT_EQUAL(rc, BZ_OK);
        if (rc != BZ_OK) {
            fprintf(stderr, "\n  %s\n", err.msg);
            continue;
        }
        checked++;
        rc = bz_experiment_load_string(&b, a.resolved_yaml, path, NULL, 0, &err);
        CU_ASSERT_EQUAL(rc, BZ_OK);
        if (rc == BZ_OK) {
            assert_same(&a, &b);
            bz_experiment_destroy(&b);
        } else {
            fprintf(stderr, "\n  %s (resolved): %s\n", e->d_name, err.msg);
        }
        bz_experiment_destroy(&a);
    }
    closedir(d);
    CU_ASSERT(checked >= 8);
}

static void test_select_arms(void)
{
    bz_experiment x;
    bz_error err;
    if (!load_ok(&x, BASE, NULL, 0)) return;
    CU_ASSERT_EQUAL(bz_experiment_select_arms(&x, "ads,nosuch", &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "--arms: unknown arm 'nosuch' (known: baseline, kol, ads)");
    CU_ASSERT_EQUAL(x.n_arms, 3); /* unchanged */
    CU_ASSERT_EQUAL(bz_experiment_select_arms(&x, "ads,ads", &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_experiment_select_arms(&x, "", &err), BZ_EINVAL);
    /* baseline stays first (the reference) wherever it is listed, so the
     * resolved text reloads with the same reference (fuzzing finding K1). */
    CU_ASSERT_EQUAL(bz_experiment_select_arms(&x, "ads, baseline", &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(x.n_arms, 2);
    CU_ASSERT_STRING_EQUAL(x.arms[0].name, "baseline");
    CU_ASSERT_STRING_EQUAL(x.arms[1].name, "ads");
    CU_ASSERT_STRING_EQUAL(x.arms[1].campaigns[0].type->name, "advertising");
    CU_ASSERT_PTR_NULL(strstr(x.resolved_yaml, "kol"));
    CU_ASSERT_PTR_NOT_NULL(strstr(x.resolved_yaml, "  ads:\n"));
    bz_experiment y;
    if (load_ok(&y, x.resolved_yaml, NULL, 0)) {
        CU_ASSERT_STRING_EQUAL(y.resolved_yaml, x.resolved_yaml);
        bz_experiment_destroy(&y);
    }
    bz_experiment_destroy(&x);
    /* Without baseline the first listed arm is the reference. */
    if (!load_ok(&x, BASE, NULL, 0)) return;
    CU_ASSERT_EQUAL(bz_experiment_select_arms(&x, "ads,kol", &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(x.n_arms, 2);
    CU_ASSERT_STRING_EQUAL(x.arms[0].name, "ads");
    CU_ASSERT_STRING_EQUAL(x.arms[1].name, "kol");
    if (load_ok(&y, x.resolved_yaml, NULL, 0)) {
        CU_ASSERT_STRING_EQUAL(y.resolved_yaml, x.resolved_yaml);
        bz_experiment_destroy(&y);
    }
    bz_experiment_destroy(&x);
}

/* population: a city table and attribute distributions */
static const char POP[] = "time: {horizon: 2d}\n"
                          "population:\n"
                          "  agents: 100\n"
                          "  cities:\n"
                          "    - { name: Lisbon, share: 3 }\n"
                          "    - { name: \"São Paulo\", share: 1 }\n"
                          "  attributes:\n"
                          "    activity: { dist: gamma, shape: 2, scale: 0.5 }\n"
                          "    threshold: 0.3\n"
                          "network: {layers: [{name: all, generator: {model: well_mixed}}]}\n"
                          "diffusion: {model: bass}\n";

static void test_population_config(void)
{
    bz_experiment a, b;
    if (!load_ok(&a, POP, NULL, 0)) return;
    CU_ASSERT_EQUAL(a.cities, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a.city_names);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a.city_shares);
    CU_ASSERT_STRING_EQUAL(a.city_names[0], "Lisbon");
    CU_ASSERT_STRING_EQUAL(a.city_names[1], "São Paulo");
    CU_ASSERT_DOUBLE_EQUAL(a.city_shares[0], 0.75, 1e-15); /* normalised: 3 / (3 + 1) */
    CU_ASSERT_DOUBLE_EQUAL(a.city_shares[1], 0.25, 1e-15);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_ACTIVITY].kind, BZ_DIST_GAMMA);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_ACTIVITY].p[0], 2.0);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_ACTIVITY].p[1], 0.5);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_SUSCEPTIBILITY].kind, BZ_DIST_CONSTANT); /* default */
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_SUSCEPTIBILITY].p[0], 1.0);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_THRESHOLD].kind, BZ_DIST_CONSTANT);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_THRESHOLD].p[0], 0.3);
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "\n    - name: Lisbon\n      share: 0.75\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "São Paulo"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(a.resolved_yaml, "    activity:\n      dist: gamma\n      shape: 2\n"));
    CU_ASSERT_PTR_NULL(strstr(a.resolved_yaml, "city_sizes"));
    if (load_ok(&b, a.resolved_yaml, NULL, 0)) {
        assert_same(&a, &b);
        CU_ASSERT_EQUAL_FATAL(b.cities, 2);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b.city_names);
        CU_ASSERT_STRING_EQUAL(b.city_names[1], "São Paulo");
        CU_ASSERT_DOUBLE_EQUAL(b.city_shares[0], a.city_shares[0], 1e-15);
        CU_ASSERT_EQUAL(memcmp(a.attributes, b.attributes, sizeof a.attributes), 0);
        bz_experiment_destroy(&b);
    }
    bz_experiment_destroy(&a);

    /* defaults: a number of cities, no names, default attributes in the resolved text */
    if (!load_ok(&a, BASE, NULL, 0)) return;
    CU_ASSERT_PTR_NULL(a.city_names);
    CU_ASSERT_PTR_NULL(a.city_shares);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_THRESHOLD].kind, BZ_DIST_CONSTANT);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_THRESHOLD].p[0], 0.5);
    CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_ACTIVITY].p[0], 1.0);
    CU_ASSERT_PTR_NOT_NULL(strstr(a.resolved_yaml, "  threshold:\n      dist: constant\n      "
                                                   "value: 0.5\n"));
    bz_experiment_destroy(&a);

    /* --set reaches into the table and the attributes */
    const char *sets[] = {"population.cities.1.share=3", "population.attributes.activity.shape=4"};
    if (load_ok(&a, POP, sets, 2)) {
        CU_ASSERT_DOUBLE_EQUAL(a.city_shares[1], 0.5, 1e-15);
        CU_ASSERT_EQUAL(a.attributes[BZ_ATTR_ACTIVITY].p[0], 4.0);
        bz_experiment_destroy(&a);
    }
}

/* Error at `needle` in POP with `from` replaced by `to`. */
static void pop_error(const char *from, const char *to, const char *needle, const char *msg)
{
    char *t = with(POP, from, to);
    expect_error_at(t, "population:", needle, msg, 0);
    free(t);
}

static void test_population_errors(void)
{
    pop_error("share: 3 }", "share: 0 }", "0 }",
              "population.cities.0.share: expected a share > 0, got '0'");
    pop_error("share: 3 }", "share: -2 }", "-2 }",
              "population.cities.0.share: expected a number >= 0, got '-2'");
    pop_error("share: 3 }", "share: lots }", "lots",
              "population.cities.0.share: expected a number >= 0, got 'lots'");
    pop_error("{ name: Lisbon, share: 3 }", "{ name: Lisbon }", "{ name: Lisbon }",
              "population.cities.0.share: missing required key (a number)");
    pop_error("\"São Paulo\"", "Lisbon", "Lisbon, share: 1",
              "population.cities.1.name: duplicate city name 'Lisbon' (also city 0)");
    pop_error("    - { name: Lisbon, share: 3 }\n", "    - 7\n", "7",
              "population.cities.0: expected a city mapping {name, share}, got '7'");
    pop_error("agents: 100", "agents: 1", "- { name: Lisbon",
              "population.cities: expected at most population.agents (1) cities, got a table of 2");
    pop_error("dist: gamma", "dist: weibull", "weibull",
              "population.attributes.activity.dist: unknown distribution 'weibull' (known: "
              "constant, uniform, normal, lognormal, beta, gamma, exponential)");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: beta, a: 0, b: 2 }", "0, b",
              "population.attributes.activity.a: expected a finite number > 0, got 0");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: beta, a: 1, b: -1 }", "-1 }",
              "population.attributes.activity.b: expected a finite number > 0, got -1");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: uniform, min: 2, max: 1.5 }",
              "1.5 }",
              "population.attributes.activity.max: expected finite bounds with min <= max, "
              "got min 2, max 1.5");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: normal, mean: 1, sd: -0.1 }",
              "-0.1", "population.attributes.activity.sd: expected a finite number >= 0, got -0.1");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: exponential, mean: 0 }", "0 }",
              "population.attributes.activity.mean: expected a finite number > 0, got 0");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ dist: beta, a: 1, mean: 2 }", "mean",
              "population.attributes.activity.mean: unknown key (expected one of: dist, a, b)");
    pop_error("{ dist: gamma, shape: 2, scale: 0.5 }", "{ shape: 2 }", "activity",
              "population.attributes.activity.dist: missing required key (the name of a "
              "distribution)");
    pop_error("threshold: 0.3", "threshold: high", "high",
              "population.attributes.threshold: expected a number or a mapping {dist: NAME, ...}, "
              "got 'high'");
    pop_error("threshold: 0.3", "fatigue: 0.3", "fatigue",
              "population.attributes.fatigue: unknown key (expected one of: activity, "
              "susceptibility, threshold, willingness)");
    /* a city table excludes city_sizes */
    char *t = with(POP, "  attributes:", "  city_sizes: { zipf: 1 }\n  attributes:");
    expect_error_at(t, "population:", "city_sizes",
                    "population.city_sizes: city_sizes applies to a number of cities; a city "
                    "table gives the shares itself",
                    0);
    free(t);
    t = with(POP,
             "  cities:\n    - { name: Lisbon, share: 3 }\n    - { name: \"São Paulo\", "
             "share: 1 }\n",
             "  cities: []\n");
    expect_error_at(t, "population:", "[]",
                    "population.cities: expected a number of cities or a list of {name, share}, "
                    "got an empty list",
                    0);
    free(t);
}

static CU_TestInfo tests[] = {
    {"tree: positions, lookup, used marks", test_tree_positions},
    {"tree: errors", test_tree_errors},
    {"tree: --set", test_tree_set},
    {"missing file", test_missing_file},
    {"malformed YAML", test_malformed_experiment},
    {"core value and key errors", test_core_errors},
    {"--set errors", test_set_core_errors},
    {"models: full valid experiment", test_full_valid},
    {"models: defaults, file name, base dir", test_defaults_and_file},
    {"models: value errors", test_value_errors},
    {"models: unknown names and keys", test_unknown_names_and_keys},
    {"models: structure errors", test_structure_errors},
    {"models: --set through maps, sequences, arms", test_sets},
    {"models: resolved round trip", test_resolved_roundtrip},
    {"models: every config resolves to a fixed point", test_configs_roundtrip},
    {"models: select arms", test_select_arms},
    {"models: population city table and attributes", test_population_config},
    {"models: population errors with positions", test_population_errors},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("config", tests);
}

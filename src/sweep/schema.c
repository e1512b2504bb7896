/* The sweep file's JSON Schema (`buzzsim schema --sweep`), generated from
 * the key tables the loader checks (bz_sweep_keys, spec.c). An inline base
 * is an experiment: the experiment schema (config/schema.h) is embedded as
 * definitions/experiment, with its own definitions beside it. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "config/schema.h"
#include "engine/results.h"
#include "sweep/sweep.h"

static int object_members(bz_json *w, const bz_sweep_key *keys, bz_error *err);

/* A list's items as key k says. */
static int items_schema(bz_json *w, const bz_sweep_key *k, bz_error *err)
{
    int status = BZ_OK;
    const char *name = k->param.name;
    bz_param number = {.name = name, .type = BZ_PT_REAL};
    if (!k->items) BZ_FAIL(err, BZ_EINTERNAL, "sweep schema: list key '%s' has no items", name);
    bz_json_begin(w, "items", '{', !strcmp(k->items, "number"));
    if (!strcmp(k->items, "number")) {
        bz_config_schema_type(w, &number);
    } else if (!strcmp(k->items, "string")) {
        bz_json_string(w, "type", "string");
        bz_json_number(w, "minLength", 1);
    } else if (!strcmp(k->items, "scalar")) {
        bz_json_begin(w, "type", '[', 1);
        bz_json_string(w, NULL, "string");
        bz_json_string(w, NULL, "number");
        bz_json_string(w, NULL, "boolean");
        bz_json_end(w);
        bz_json_number(w, "minLength", 1);
        bz_json_number(w, "maxLength", BZ_AXIS_VALUE_MAX - 1);
    } else if (!strcmp(k->items, "outcome")) {
        bz_json_begin(w, "enum", '[', 1);
        for (int o = 0; o < BZ_N_OUTCOMES; o++)
            bz_json_string(w, NULL, bz_outcome_defs[o].name);
        bz_json_end(w);
    } else if (!strcmp(k->items, "object") && k->keys) {
        BZ_CHECK(object_members(w, k->keys, err));
    } else {
        BZ_FAIL(err, BZ_EINTERNAL, "sweep schema: key '%s' has items of unknown type '%s'", name,
                k->items);
    }
    bz_json_end(w);
cleanup:
    return status;
}

/* "name": {...} of one key; a scalar key as the experiment's keys are
 * (config/schema.h). */
static int key_schema(bz_json *w, const bz_sweep_key *k, bz_error *err)
{
    int status = BZ_OK;
    bz_json_begin(w, k->param.name, '{', 0);
    bz_json_string(w, "description", k->param.desc);
    switch (k->shape) {
    case BZ_SWEEP_PARAM:
        bz_config_schema_type(w, &k->param);
        break;
    case BZ_SWEEP_TEXT:
        bz_json_begin(w, "type", '[', 1);
        bz_json_string(w, NULL, "string");
        bz_json_string(w, NULL, "number");
        bz_json_end(w);
        bz_json_number(w, "minLength", 1);
        bz_json_number(w, "maxLength", k->max);
        break;
    case BZ_SWEEP_BASE:
        bz_json_begin(w, "anyOf", '[', 0);
        bz_json_begin(w, NULL, '{', 1);
        bz_json_string(w, "type", "string");
        bz_json_number(w, "minLength", 1);
        bz_json_end(w);
        bz_json_begin(w, NULL, '{', 1);
        bz_json_string(w, "$ref", "#/definitions/experiment");
        bz_json_end(w);
        bz_json_end(w);
        break;
    case BZ_SWEEP_MAP:
        if (!k->keys)
            BZ_FAIL(err, BZ_EINTERNAL, "sweep schema: map '%s' has no keys", k->param.name);
        BZ_CHECK(object_members(w, k->keys, err));
        break;
    case BZ_SWEEP_LIST:
        bz_json_string(w, "type", "array");
        if (k->min > 0) bz_json_number(w, "minItems", k->min);
        if (k->max > 0) bz_json_number(w, "maxItems", k->max);
        if (k->items && !strcmp(k->items, "outcome")) bz_json_bool(w, "uniqueItems", 1);
        BZ_CHECK(items_schema(w, k, err));
        break;
    default:
        BZ_FAIL(err, BZ_EINTERNAL, "sweep schema: key '%s' has unknown shape %d", k->param.name,
                (int)k->shape);
    }
    bz_json_end(w);
cleanup:
    return status;
}

/* The loader refuses a map without key k. */
static int required(const bz_sweep_key *k)
{
    return (k->flags & BZ_SWEEP_KEY_REQUIRED) || (k->shape == BZ_SWEEP_PARAM && !k->param.def);
}

/* type, properties, required, the one-of group, the keys that go with
 * another, additionalProperties of a map with these keys. */
static int object_members(bz_json *w, const bz_sweep_key *keys, bz_error *err)
{
    int status = BZ_OK;
    int one_of = 0, needs = 0;
    bz_json_string(w, "type", "object");
    bz_json_begin(w, "properties", '{', 0);
    for (const bz_sweep_key *k = keys; k->param.name; k++) {
        BZ_CHECK(key_schema(w, k, err));
        one_of |= (k->flags & BZ_SWEEP_KEY_ONE_OF) != 0;
        needs |= k->needs != NULL;
    }
    bz_json_end(w);
    bz_json_begin(w, "required", '[', 1);
    for (const bz_sweep_key *k = keys; k->param.name; k++)
        if (required(k)) bz_json_string(w, NULL, k->param.name);
    bz_json_end(w);
    if (one_of) {
        bz_json_begin(w, "oneOf", '[', 1);
        for (const bz_sweep_key *k = keys; k->param.name; k++) {
            if (!(k->flags & BZ_SWEEP_KEY_ONE_OF)) continue;
            bz_json_begin(w, NULL, '{', 1);
            bz_json_begin(w, "required", '[', 1);
            bz_json_string(w, NULL, k->param.name);
            bz_json_end(w);
            bz_json_end(w);
        }
        bz_json_end(w);
    }
    if (needs) {
        bz_json_begin(w, "dependencies", '{', 0);
        for (const bz_sweep_key *k = keys; k->param.name; k++) {
            if (!k->needs) continue;
            bz_json_begin(w, k->param.name, '[', 1);
            bz_json_string(w, NULL, k->needs);
            bz_json_end(w);
        }
        bz_json_end(w);
    }
    bz_json_bool(w, "additionalProperties", 0);
cleanup:
    return status;
}

int bz_sweep_schema(char **out, bz_error *err)
{
    int status = BZ_OK;
    bz_json w;
    *out = NULL;
    BZ_CHECK(bz_json_init(&w, err));
    bz_json_begin(&w, NULL, '{', 0);
    bz_json_string(&w, "$schema", BZ_SCHEMA_DRAFT);
    bz_json_string(&w, "title", "buzzsim sweep");
    bz_json_string(&w, "description",
                   "A sweep file of buzzsim " BZ_VERSION
                   " (docs/cluster.md), generated by `buzzsim schema --sweep` from the loader's "
                   "key tables.");
    BZ_CHECK(object_members(&w, bz_sweep_keys, err));
    bz_json_begin(&w, "definitions", '{', 0);
    bz_json_begin(&w, "experiment", '{', 0);
    bz_json_string(&w, "title", "buzzsim experiment (an inline base)");
    BZ_CHECK(bz_config_schema_body(&w, err));
    bz_json_end(&w);
    BZ_CHECK(bz_config_schema_defs(&w, err));
    bz_json_end(&w);
    bz_json_end(&w);
    BZ_CHECK(bz_json_finish(&w, "the sweep schema", out, err));
cleanup:
    bz_json_discard(&w);
    return status;
}

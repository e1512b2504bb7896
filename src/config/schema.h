/* The JSON Schema (draft-07) of the experiment file (`buzzsim
 * schema`), generated from what the loader reads: the key lists and
 * parameter tables of the fixed sections (bz_cfg_experiment_sections,
 * bz_cfg_population_sections), the registries of generators, diffusion
 * models and campaigns, the distributions of agent attributes. A key the
 * loader accepts but this file cannot describe is an error (BZ_EINTERNAL,
 * caught by tests/unit/test_registries.c), so the two cannot drift.
 *
 * What the schema checks: every key (additionalProperties: false wherever
 * the loader refuses unknown keys), required keys, types, enums, numeric
 * bounds of plain numbers, the text forms of durations and rates (a
 * pattern), each model's, generator's, campaign's and distribution's own
 * keys selected by its `model:`, `campaign:` or `dist:` (if/then on the
 * name). What only the loader checks: cross-key rules (time.step at most
 * time.horizon, layer names unique, campaigns naming layers that exist,
 * levers a model does not honour, ...) and the bounds of durations and
 * rates written with a unit.
 */
#ifndef BZ_CONFIG_SCHEMA_H
#define BZ_CONFIG_SCHEMA_H

#include "base/error.h"
#include "base/json.h"
#include "base/params.h"

/* The draft the schemas follow: draft-07, what editors' YAML support
 * (VS Code's YAML extension) implements in full. */
#define BZ_SCHEMA_DRAFT "http://json-schema.org/draft-07/schema#"

/* The experiment schema as one JSON document: *out is malloc'd
 * (NUL-terminated); the caller frees it. */
int bz_config_schema(char **out, bz_error *err);

/* For a document that embeds the experiment (the sweep schema's inline
 * base): the experiment's own members (type, properties, required, ...)
 * into the object open in w, and the members of its "definitions" into the
 * "definitions" object open in w (references are "#/definitions/NAME"). */
int bz_config_schema_body(bz_json *w, bz_error *err);
int bz_config_schema_defs(bz_json *w, bz_error *err);

/* The members of parameter p's schema that say its type (type, bounds,
 * pattern or enum), into the object open in w: what the loader accepts
 * for p, as a YAML reader hands it over (a JSON number, or text where a
 * YAML 1.1 reader keeps `1e-3` as a string). */
void bz_config_schema_type(bz_json *w, const bz_param *p);

/* A key of section `section` (a path of bz_cfg_experiment_sections or
 * bz_cfg_population_sections) that the loader reads by hand, as the key
 * tables of docs/config.md show it (config/tables.h): the schema's
 * description, its type in words (Markdown), its default as YAML text
 * (NULL: none) and whether the loader requires it. BZ_EINTERNAL when the
 * schema has no entry for the key. */
typedef struct bz_config_key_doc {
    const char *desc;
    char type[256];
    const char *def;
    int required;
} bz_config_key_doc;

int bz_config_describe_key(const char *section, const char *key, bz_config_key_doc *out,
                           bz_error *err);

#endif

/* The key tables of docs/config.md (`buzzsim models --config-tables`),
 * generated from what the loader reads: each fixed section's parameter
 * table (bz_cfg_experiment_sections, bz_cfg_population_sections) and, for
 * the keys read by hand, the descriptions and kinds of the experiment
 * schema (config/schema.c, bz_config_describe_key). The sweep file's tables
 * (sweep/sweep.h) are written with the same rows.
 *
 * A table is Markdown: a `| key | type | default | meaning |` header, one
 * row per key, then a blank line. Type is the parameter's type and bounds
 * in words ("integer in [1, 100000]", "duration ≤ 1e7d", "probability",
 * "one of `a`, `b`"), with its unit; default its YAML text in backquotes,
 * or "required"; meaning its desc.
 */
#ifndef BZ_CONFIG_TABLES_H
#define BZ_CONFIG_TABLES_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "base/params.h"

/* The sections docs/config.md has a key table of, NULL-terminated: "top"
 * (the top level), "time", "network.layers[]" (each layer), ... */
extern const char *const bz_config_table_names[];

/* The key table of section `name` (one of bz_config_table_names): *out is
 * malloc'd Markdown, the caller frees it. BZ_EINVAL for an unknown name,
 * BZ_EINTERNAL for a key the schema cannot describe, BZ_ENOMEM. */
int bz_config_key_table(const char *name, char **out, bz_error *err);

/* Parameter p's type in words, with its bounds and unit, as Markdown:
 * "integer in [0, 4294967294] (agents)". */
void bz_config_param_type(const bz_param *p, char *buf, size_t size);

/* A Markdown key table being written into a malloc'd buffer. */
typedef struct bz_md_table {
    FILE *f; /* open_memstream over text/len */
    char *text;
    size_t len;
} bz_md_table;

/* Open the buffer and write the header. BZ_ENOMEM if it cannot be made. */
int bz_md_table_begin(bz_md_table *t, bz_error *err);

/* One row: the key (in backquotes), its type (Markdown), its default
 * ("required" when required, else the YAML text def in backquotes, `""`
 * for the empty text, nothing when NULL) and meaning; '|' in them is
 * escaped. */
void bz_md_table_row(bz_md_table *t, const char *key, const char *type, const char *def,
                     int required, const char *meaning);

/* The row of parameter p: type from bz_config_param_type, default from
 * p->def ("required" when NULL; none when !with_default), meaning p->desc
 * followed by `more` (may be NULL). */
void bz_md_table_param(bz_md_table *t, const bz_param *p, int with_default, const char *more);

/* End the table: *out is the text (the caller frees it); on failure *out
 * is NULL and err says why (`what` names the table). */
int bz_md_table_end(bz_md_table *t, const char *what, char **out, bz_error *err);

/* Abandon the table: frees the buffer. Safe after bz_md_table_end. */
void bz_md_table_discard(bz_md_table *t);

#endif

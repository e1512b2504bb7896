/* Private to src/config: the conversion context and the helpers that turn
 * YAML tree nodes into parameter structs with positioned messages.
 *
 * Message placement: a node from the file is reported as "FILE:LINE:COL: ",
 * a node created by an override as "--set "; then the node's dotted key path
 * and what was expected. Every helper that fails fills c->err and returns
 * its code (BZ_EINVAL for bad input, BZ_ENOMEM). */
#ifndef BZ_CONFIG_CONVERT_H
#define BZ_CONFIG_CONVERT_H

#include <stddef.h>

#include "config/experiment.h"
#include "config/yaml_tree.h"
#include "base/params.h"

typedef struct bz_cfg_ctx {
    const char *fname;
    bz_error *err;
    bz_experiment *x;
    bz_ynode *root;
    bz_ynode **gen_nodes; /* [n_layers] generator maps, for check messages */
    bz_ynode *diff_node;
    bz_ynode **arm_nodes; /* [n_arms] campaign lists, in x->arms order */
    int choices_or;       /* a refused choice reads "expected a, b or c, got 'x'" (sweep
                           * files) rather than "expected one of (a, b, c), got 'x'" */
} bz_cfg_ctx;

/* Fill c->err with "WHERE PATH: msg" where PATH is n's path plus `suffix`
 * (for a missing key), WHERE the key's position if at_key, else the
 * value's. Returns BZ_EINVAL. */
int bz_cfg_fail(bz_cfg_ctx *c, const bz_ynode *n, int at_key, const char *suffix, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

/* The same with PATH given (the sweep names an axis by its key path). */
int bz_cfg_fail_as(bz_cfg_ctx *c, const bz_ynode *n, int at_key, const char *path, const char *fmt,
                   ...) __attribute__((format(printf, 5, 6)));

/* Value for "got ...": "'text'" (one line, bounded) or "a mapping" / "a sequence". */
const char *bz_cfg_shown(const bz_ynode *n, char *buf, size_t size);

/* Why `name` cannot be an experiment's or a sweep's name, or NULL if it
 * can: names become file names (results/NAME.h5), so no '/', '\\', control
 * character, surrounding blank, "." or "..". */
const char *bz_cfg_name_problem(const char *name);

/* "FILE: out of memory for WHAT (N bytes)" (bz_error_oom); returns
 * BZ_ENOMEM. */
int bz_cfg_oom(bz_cfg_ctx *c, size_t bytes, const char *what);

/* Every key of `map` must be in `extra` (NULL-terminated, may be NULL) or
 * in the table; otherwise "unknown key (expected one of: ...)". Marks map used. */
int bz_cfg_check_keys(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra, const bz_param *t,
                      size_t n);

/* Optional section `key` of `parent` as a map, created empty when absent. */
int bz_cfg_section(bz_cfg_ctx *c, bz_ynode *parent, const char *key, bz_ynode **out);

/* Parse every table entry present in `map` into dst (defaults set before);
 * missing required entries are errors. City sets are checked against
 * c->x->cities. */
int bz_cfg_read_params(bz_cfg_ctx *c, bz_ynode *map, const bz_param *t, size_t n, void *dst);

/* Node v parsed as parameter p into dst (p->offset into it), messages
 * placed at v. */
int bz_cfg_read_param(bz_cfg_ctx *c, bz_ynode *v, const bz_param *p, void *dst);

/* Scalar v, of at most size - 1 characters, copied into out; otherwise
 * "expected WHAT of at most N characters, got ..." (what: "a file path"). */
int bz_cfg_read_text(bz_cfg_ctx *c, bz_ynode *v, const char *what, size_t size, char *out);

/* Defaults, key check, then values: one fixed section or params map. */
int bz_cfg_read_section(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra, const bz_param *t,
                        size_t n, void *dst);

/* The scalar name entry `key` (model:, campaign:) of a map; required. */
int bz_cfg_name_node(bz_cfg_ctx *c, bz_ynode *map, const char *key, const char *what,
                     bz_ynode **out);

/* calloc(size) a params struct and fill it from the map with read_section. */
int bz_cfg_read_model_params(bz_cfg_ctx *c, bz_ynode *map, const char *const *extra,
                             const bz_param *t, size_t n, size_t size, void **out);

/* Place a check()'s message at the node of the parameter it names
 * (e->param, see base/error.h; its "PARAM: " dropped) when the map has that
 * key, else at the map. */
int bz_cfg_fail_check(bz_cfg_ctx *c, bz_ynode *map, const bz_error *e);

/* Parameter tables of the market section and its `local` entries (for the
 * resolved text). */
extern const bz_param bz_cfg_layer_params[]; /* a layer's keys, into bz_layer_spec */
extern const size_t bz_cfg_n_layer_params;
extern const bz_param bz_cfg_market_params[];
extern const size_t bz_cfg_n_market_params;
extern const bz_param bz_cfg_local_params[];
extern const size_t bz_cfg_n_local_params;
/* Keys every campaign takes besides its type's (enabled), into bz_campaign_spec. */
extern const bz_param bz_cfg_campaign_common_params[];
extern const size_t bz_cfg_n_campaign_common_params;

/* One fixed section of the experiment file as the loader checks its keys:
 * the keys read by hand (`extra`, NULL-terminated, may be NULL) and those
 * read through the table. Read-only, for the schema (config/schema.c):
 * path "" is the top level, "time", "network.layers[]" (each layer),
 * "arms.*[]" (each campaign entry), ... */
typedef struct bz_cfg_keys {
    const char *path;
    const char *const *extra;
    const bz_param *params;
    size_t n_params;
} bz_cfg_keys;

/* The sections read by experiment.c and by population.c; *n their count. */
const bz_cfg_keys *bz_cfg_experiment_sections(size_t *n);
const bz_cfg_keys *bz_cfg_population_sections(size_t *n);

/* The section of either list with this path, or NULL (config/schema.c). */
const bz_cfg_keys *bz_cfg_find_section(const char *path);

/* The population section (src/config/population.c). */
int bz_cfg_convert_population(bz_cfg_ctx *c);

#endif

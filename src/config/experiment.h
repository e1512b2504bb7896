/* Reading an experiment: the YAML file of docs/config.md becomes a
 * validated bz_experiment (engine/experiment.h) after parsing, --set
 * overrides, defaults and validation. Built by bz_experiment_load(), freed
 * by bz_experiment_destroy().
 */
#ifndef BZ_CONFIG_EXPERIMENT_H
#define BZ_CONFIG_EXPERIMENT_H

#include <stddef.h>

#include "base/error.h"
#include "engine/experiment.h"

/* Load, override and validate an experiment.
 *   path        YAML file
 *   sets        n_sets strings "key.path=value" applied before validation;
 *               a path that names no known key is an error
 * On failure fills err with one line "FILE:LINE:COL: KEY.PATH: what was
 * expected, got 'value'" (or "--set KEY.PATH: ..." for overrides) and returns
 * BZ_EINVAL (BZ_ENOENT for a missing file); x is left empty. */
int bz_experiment_load(bz_experiment *x, const char *path, const char *const *sets, size_t n_sets,
                       bz_error *err);

/* Same, from YAML text in memory (tests); `name` is used in messages. */
int bz_experiment_load_string(bz_experiment *x, const char *text, const char *name,
                              const char *const *sets, size_t n_sets, bz_error *err);

/* Keep only the named arms (comma-separated list) in the given order, but
 * with `baseline`, when listed, first: it stays the reference of the
 * comparisons (as the loader puts it); without it the first listed arm is
 * the reference. Unknown or repeated name: BZ_EINVAL. */
int bz_experiment_select_arms(bz_experiment *x, const char *list, bz_error *err);

#endif

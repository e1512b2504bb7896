/* Private to src/config: re-emitting a validated experiment as YAML text. */
#ifndef BZ_CONFIG_RESOLVE_H
#define BZ_CONFIG_RESOLVE_H

#include "config/experiment.h"

/* (Re)build x->resolved_yaml (block style, every default filled, keys in
 * table order) and every arm's campaigns_yaml (flow style) from the struct,
 * replacing the old texts. Loading resolved_yaml again gives an identical
 * experiment. On failure (BZ_ENOMEM) the old texts are kept. */
int bz_config_resolve(bz_experiment *x, bz_error *err);

#endif

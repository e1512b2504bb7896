/* Helper shared by the tests that run an experiment written as YAML text:
 * load it (name "t.yaml") and run every arm; print the error on failure. */
#ifndef BZ_RUN_TEST_H
#define BZ_RUN_TEST_H

#include <stdio.h>

#include "config/experiment.h"
#include "engine/run.h"

/* Load `yaml` into x and run it into r. Returns the status; on BZ_OK the
 * caller destroys r and x. */
static inline int bz_test_run_yaml(const char *yaml, bz_experiment *x, bz_results *r)
{
    bz_error err;
    int st = bz_experiment_load_string(x, yaml, "t.yaml", NULL, 0, &err);
    if (st == BZ_OK) st = bz_run_experiment(x, NULL, r, &err);
    if (st != BZ_OK) fprintf(stderr, "\n  %s\n", err.msg);
    return st;
}

#endif

/* buzzsim validate EXPERIMENT.yaml [--set key.path=value]...
 * Loads and checks the experiment; prints it resolved (every default filled). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "config/experiment.h"

typedef struct validate_opts {
    const char *path;
    bz_opt_list sets;
} validate_opts;

static const bz_positional validate_positionals[] = {
    {"EXPERIMENT.yaml", "the experiment file (docs/config.md)", offsetof(validate_opts, path),
     .missing = "missing EXPERIMENT.yaml", .complete = "*.yaml"},
    {0},
};

static const bz_option validate_options[] = {
    BZ_OPTION_SET(validate_opts, sets),
    {0},
};

const bz_opts_command bz_validate_command = {
    .summary = "check an experiment and print it resolved, with every default",
    .options = validate_options,
    .positionals = validate_positionals,
    .extra = "one experiment file expected, got '%s' too",
    .size = sizeof(validate_opts),
};

int bz_cmd_validate(int argc, char **argv)
{
    validate_opts o;
    int rc = bz_opts_parse(&bz_validate_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    rc = 0;
    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    if (bz_experiment_load(&x, o.path, (const char *const *)o.sets.items, o.sets.n, &err) !=
        BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    fputs(x.resolved_yaml, stdout);
    fprintf(stderr, "%s: valid (%zu arms, %u replicates, %u steps)\n", o.path, x.n_arms,
            x.replicates, x.n_steps);
    bz_experiment_destroy(&x);
cleanup:
    bz_opts_free(&bz_validate_command, &o);
    return rc;
}

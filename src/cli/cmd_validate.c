/* buzzsim validate EXPERIMENT.yaml [--set key.path=value]...
 * Loads and checks the experiment; prints it resolved (every default filled). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "config/experiment.h"

int bz_cmd_validate(int argc, char **argv)
{
    const char *path = NULL;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    size_t n_sets = 0;
    int rc = 0;
    if (!sets) return 1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r = bz_arg_value(argc, argv, &i, "--set", NULL, &v);
        if (r < 0) {
            rc = bz_cli_usage("validate", "--set needs key.path=value");
            goto cleanup;
        }
        if (r > 0) {
            sets[n_sets++] = v;
        } else if (argv[i][0] == '-') {
            rc = bz_cli_usage("validate", "unknown option '%s'", argv[i]);
            goto cleanup;
        } else if (path) {
            rc = bz_cli_usage("validate", "one experiment file expected, got '%s' too", argv[i]);
            goto cleanup;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        rc = bz_cli_usage("validate", "missing EXPERIMENT.yaml");
        goto cleanup;
    }
    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    if (bz_experiment_load(&x, path, sets, n_sets, &err) != BZ_OK) {
        rc = bz_cli_fail(&err);
        goto cleanup;
    }
    fputs(x.resolved_yaml, stdout);
    fprintf(stderr, "%s: valid (%zu arms, %u replicates, %u steps)\n", path, x.n_arms, x.replicates,
            x.n_steps);
    bz_experiment_destroy(&x);
cleanup:
    free(sets);
    return rc;
}

/* buzzsim merge PART.h5... -o OUT.h5 [--force] [--partial]
 *
 * Joins the shard files of one sweep (same sweep id) into one file whose
 * datasets equal those of a serial run: each point is taken from the file
 * that has it done. Refused (exit 2): files of different sweeps, a point
 * done in two files with different values, and points done in no file
 * unless --partial (the result is then marked incomplete and can be
 * finished with `buzzsim sweep --resume -o OUT.h5`). Sobol indices are
 * computed when the merged sobol design is complete. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "sweep/h5_sweep.h"

int bz_cmd_merge(int argc, char **argv)
{
    const char *out = NULL, *v;
    int force = 0, partial = 0, quiet = 0, rc = 0, have = 0;
    char **inputs = calloc((size_t)argc, sizeof *inputs);
    const char **owner = NULL;
    size_t n_in = 0;
    if (!inputs) return 1;
    for (int i = 1; i < argc; i++) {
        int r;
        if ((r = bz_arg_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0) {
                free(inputs);
                return bz_cli_usage("merge", "-o needs a value");
            }
            if (out) {
                free(inputs);
                return bz_cli_usage("merge", "-o given twice ('%s' and '%s'): one output file", out,
                                    v);
            }
            out = v;
        } else if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f")) {
            force = 1;
        } else if (!strcmp(argv[i], "--partial")) {
            partial = 1;
        } else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(inputs);
            return bz_cli_usage("merge", "unknown option '%s'", argv[i]);
        } else {
            inputs[n_in++] = argv[i];
        }
    }
    if (!n_in || !out) {
        free(inputs);
        return bz_cli_usage("merge", n_in ? "missing -o OUT.h5" : "missing the shard files");
    }
    bz_h5_skip_exit_cleanup(); /* untrusted files: see io/h5.h */
    bz_error err;
    bz_error_clear(&err);
    bz_sweep_data m, in;
    if (bz_h5_check_output(out, force, &err) != BZ_OK) goto fail;
    if (bz_cli_sweep_load(inputs[0], &m, NULL, &err) != BZ_OK) goto fail;
    have = 1;
    if (!(owner = calloc(m.P, sizeof *owner))) {
        bz_error_set(&err, BZ_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t p = 0; p < m.P; p++)
        owner[p] = m.done[p] ? inputs[0] : NULL;
    for (size_t i = 1; i < n_in; i++) {
        if (bz_cli_sweep_load(inputs[i], &in, NULL, &err) != BZ_OK) goto fail;
        int st = bz_sweep_data_merge(&m, inputs[0], &in, inputs[i], owner, &err);
        bz_sweep_data_destroy(&in);
        if (st != BZ_OK) goto fail;
    }
    size_t missing = 0, first = 0;
    for (size_t p = m.P; p-- > 0;)
        if (!m.done[p]) missing++, first = p;
    if (missing && !partial) {
        bz_error_set(&err, BZ_EINVAL,
                     "%zu of %zu points are in none of the files (first: point %zu); add the "
                     "missing shards, or --partial to write an incomplete file",
                     missing, m.P, first);
        goto fail;
    }
    m.shard = 0;
    m.n_shards = 1;
    m.complete = missing == 0;
    free(m.command_line);
    m.command_line = strdup(bz_cli_command_line());
    if (!m.command_line) {
        bz_error_set(&err, BZ_ENOMEM, "out of memory");
        goto fail;
    }
    free(m.s1);
    free(m.st);
    m.s1 = m.st = NULL;
    m.have_sobol = 0;
    if (m.complete && bz_sweep_data_sobol(&m, &err) != BZ_OK) goto fail;
    if (bz_h5_sweep_write(out, &m, force, &err) != BZ_OK) goto fail;
    if (!quiet) {
        printf("merged %zu files: %zu of %zu points%s\n", n_in, m.P - missing, m.P,
               missing ? " (incomplete)" : "");
        bz_cli_sweep_sobol(stdout, &m);
        printf("wrote %s\n", out);
    }
    goto cleanup;
fail:
    rc = bz_cli_fail(&err);
cleanup:
    if (have) bz_sweep_data_destroy(&m);
    free((void *)owner);
    free(inputs);
    return rc;
}

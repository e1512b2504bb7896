/* buzzsim merge PART.h5... -o OUT.h5 [--force] [--partial] [--quiet]
 *
 * Joins the shard files of one sweep (same sweep id) into one file whose
 * datasets equal those of a serial run: each point is taken from the file
 * that has it done. Refused (exit 2): files of different sweeps, a point
 * done in two files with different values, and points done in no file
 * unless --partial (the result is then marked incomplete and can be
 * finished with `buzzsim sweep --resume -o OUT.h5`). Sobol indices are
 * computed when the merged sobol design is complete. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "sweep/h5_sweep.h"

typedef struct merge_opts {
    bz_opt_list inputs;
    const char *out;
    int force, partial, quiet;
} merge_opts;

static const bz_positional merge_positionals[] = {
    {"PART.h5", "the shard files of one sweep (OUT.I-of-N.h5), in any order",
     offsetof(merge_opts, inputs), .repeat = 1, .missing = "missing the shard files",
     .complete = "*.h5"},
    {0},
};

static const bz_option merge_options[] = {
    {"--output", 'o', BZ_OPT_STRING, "out.h5", "the merged file", offsetof(merge_opts, out),
     .flags = BZ_OPT_REQUIRED, .once = "one output file", .complete = "*.h5"},
    BZ_OPTION_FORCE(merge_opts, force),
    {"--partial", 0, BZ_OPT_FLAG, NULL,
     "write an incomplete file when points are missing (finish it with buzzsim sweep "
     "--resume -o OUT)",
     .offset = offsetof(merge_opts, partial)},
    {"--quiet", 'q', BZ_OPT_FLAG, NULL, "print no summary (errors only)",
     .offset = offsetof(merge_opts, quiet)},
    {0},
};

const bz_opts_command bz_merge_command = {
    .summary = "join the shard files of one sweep into one file",
    .options = merge_options,
    .positionals = merge_positionals,
    .size = sizeof(merge_opts),
};

/* Read every input into m (the first) and join the others into it;
 * owner[p] is the file point p was taken from. */
static int gather(const bz_opt_list *inputs, bz_sweep_data *m, int *have, const char ***owner,
                  bz_error *err)
{
    bz_sweep_data in;
    int status = BZ_OK;
    BZ_CHECK(bz_cli_sweep_load(inputs->items[0], m, NULL, err));
    *have = 1;
    if (!(*owner = calloc(m->P ? m->P : 1, sizeof **owner)))
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for the owners of %zu points (%zu bytes)", m->P,
                (m->P ? m->P : 1) * sizeof **owner);
    for (size_t p = 0; p < m->P; p++)
        (*owner)[p] = m->done[p] ? inputs->items[0] : NULL;
    for (size_t i = 1; i < inputs->n; i++) {
        BZ_CHECK(bz_cli_sweep_load(inputs->items[i], &in, NULL, err));
        status = bz_sweep_data_merge(m, inputs->items[0], &in, inputs->items[i], *owner, err);
        bz_sweep_data_destroy(&in);
        BZ_CHECK(status);
    }
cleanup:
    return status;
}

/* The merged sweep m as one unsharded file: provenance of this command,
 * Sobol indices when complete. *missing: the points done in no file. */
static int finish(const merge_opts *o, bz_sweep_data *m, size_t *missing, bz_error *err)
{
    const char *line = bz_cli_command_line();
    size_t first = 0;
    int status = BZ_OK;
    *missing = 0;
    for (size_t p = m->P; p-- > 0;)
        if (!m->done[p]) ++*missing, first = p;
    if (*missing && !o->partial)
        BZ_FAIL(err, BZ_EINVAL,
                "%zu of %zu points are in none of the files (first: point %zu); add the "
                "missing shards, or --partial to write an incomplete file",
                *missing, m->P, first);
    m->shard = 0;
    m->n_shards = 1;
    m->complete = *missing == 0;
    free(m->command_line);
    if (!(m->command_line = strdup(line)))
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for the command line (%zu bytes)", strlen(line) + 1);
    free(m->s1);
    free(m->st);
    m->s1 = m->st = NULL;
    m->have_sobol = 0;
    if (m->complete) BZ_CHECK(bz_sweep_data_sobol(m, err));
    BZ_CHECK(bz_h5_sweep_write(o->out, m, o->force, err));
cleanup:
    return status;
}

int bz_cmd_merge(int argc, char **argv)
{
    merge_opts o;
    int rc = bz_opts_parse(&bz_merge_command, argc, argv, &o), status = BZ_OK, have = 0;
    if (rc != BZ_OPTS_CONTINUE) return rc;
    const char **owner = NULL;
    size_t missing = 0;
    bz_sweep_data m;
    bz_error err;
    bz_error_clear(&err);
    bz_h5_skip_exit_cleanup(); /* untrusted files: see io/h5.h */
    BZ_CHECK(bz_h5_check_output(o.out, o.force, &err));
    BZ_CHECK(gather(&o.inputs, &m, &have, &owner, &err));
    BZ_CHECK(finish(&o, &m, &missing, &err));
    if (!o.quiet) {
        printf("merged %zu files: %zu of %zu points%s\n", o.inputs.n, m.P - missing, m.P,
               missing ? " (incomplete)" : "");
        bz_cli_sweep_sobol(stdout, &m);
        printf("wrote %s\n", o.out);
    }
cleanup:
    rc = status == BZ_OK ? 0 : bz_cli_fail(&err);
    if (have) bz_sweep_data_destroy(&m);
    free((void *)owner);
    bz_opts_free(&bz_merge_command, &o);
    return rc;
}

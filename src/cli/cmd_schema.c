/* buzzsim schema [--sweep]
 * Prints the JSON Schema of the experiment file (config/schema.h) or, with
 * --sweep, of the sweep file (sweep/sweep.h), for editors and validators:
 * docs/config.md says how to hook it into an editor. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "config/schema.h"
#include "sweep/sweep.h"

typedef struct schema_opts {
    int sweep;
} schema_opts;

static const bz_option schema_options[] = {
    {"--sweep", 0, BZ_OPT_FLAG, NULL, "the schema of sweep files instead",
     .offset = offsetof(schema_opts, sweep)},
    {0},
};

const bz_opts_command bz_schema_command = {
    .summary = "JSON Schema of experiment (--sweep: sweep) files",
    .options = schema_options,
    .extra = "takes no file, got '%s'",
    .size = sizeof(schema_opts),
};

int bz_cmd_schema(int argc, char **argv)
{
    schema_opts o;
    int rc = bz_opts_parse(&bz_schema_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    char *text = NULL;
    bz_error err;
    bz_error_clear(&err);
    int status = o.sweep ? bz_sweep_schema(&text, &err) : bz_config_schema(&text, &err);
    if (status != BZ_OK) return bz_cli_fail(&err);
    rc = fputs(text, stdout) == EOF || fflush(stdout) != 0 ? 1 : 0;
    if (rc) fprintf(stderr, "buzzsim schema: cannot write the schema to standard output\n");
    free(text);
    return rc;
}

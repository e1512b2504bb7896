/* buzzsim schema [--sweep]
 * Prints the JSON Schema of the experiment file (config/schema.h) or, with
 * --sweep, of the sweep file (sweep/sweep.h), for editors and validators:
 * docs/config.md says how to hook it into an editor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/schema.h"
#include "sweep/sweep.h"

int bz_cmd_schema(int argc, char **argv)
{
    int sweep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sweep") == 0)
            sweep = 1;
        else if (argv[i][0] == '-')
            return bz_cli_usage("schema", "unknown option '%s'", argv[i]);
        else
            return bz_cli_usage("schema", "takes no file, got '%s'", argv[i]);
    }
    char *text = NULL;
    bz_error err;
    bz_error_clear(&err);
    int status = sweep ? bz_sweep_schema(&text, &err) : bz_config_schema(&text, &err);
    if (status != BZ_OK) return bz_cli_fail(&err);
    int rc = fputs(text, stdout) == EOF || fflush(stdout) != 0 ? 1 : 0;
    if (rc) fprintf(stderr, "buzzsim schema: cannot write the schema to standard output\n");
    free(text);
    return rc;
}

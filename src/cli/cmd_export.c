/* buzzsim export FILE DATASET [--format tsv|csv]: one dataset as a table on
 * standard output, for gnuplot ('< buzzsim export ...') and spreadsheets. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "io/h5.h"
#include "sweep/h5_sweep.h"

typedef struct export_opts {
    const char *path, *dataset;
    int format; /* index in formats, the order of bz_export_format */
} export_opts;

static const char *const formats[] = {"tsv", "csv", NULL};

static const bz_positional export_positionals[] = {
    {"out.h5", NULL, offsetof(export_opts, path), .missing = "missing the results file",
     .complete = "*.h5"},
    {"DATASET", NULL, offsetof(export_opts, dataset),
     .missing = "missing the dataset (e.g. /comparison or arms)"},
    {0},
};

static const bz_option export_options[] = {
    {"--format", 'f', BZ_OPT_CHOICE, NULL,
     "tsv (default): tab separated, header line starts with '# ', NaN as 'nan'; csv: comma "
     "separated, plain header, NaN as an empty field",
     offsetof(export_opts, format), .choices = formats},
    {0},
};

const bz_opts_command bz_export_command = {
    .summary = "print a dataset as a table (for gnuplot and spreadsheets)",
    .description =
        "DATASET is an HDF5 path, for example\n"
        "  /arms/ARM/summary/adopters     mean, sd, q05, q50, q95 per time\n"
        "  /arms/ARM/adopters             one column per replicate\n"
        "  /arms/ARM/states/STATE         (also sales, stock, exposures/CH, adoptions_by/CH)\n"
        "  /arms/ARM/outcomes             one row per replicate\n"
        "  /comparison                    paired differences vs the baseline, every arm\n"
        "  /network/LAYER/degree_histogram\n"
        "or one of the name lists arms, states, channels, layers (one name per line).\n"
        "Sweep files: /sweep (one row per point and replicate), /sweep/summary (per\n"
        "point: mean, sd, q05, q50, q95), /sweep/sobol, /sweep/series/ARM.\n"
        "`buzzsim info out.h5` lists the arms, states and channels of a file.\n",
    .options = export_options,
    .positionals = export_positionals,
    .size = sizeof(export_opts),
};

int bz_cmd_export(int argc, char **argv)
{
    export_opts o;
    int rc = bz_opts_parse(&bz_export_command, argc, argv, &o);
    if (rc != BZ_OPTS_CONTINUE) return rc;
    const char *path = o.path, *dataset = o.dataset;
    const bz_export_format fmt = o.format == 1 ? BZ_EXPORT_CSV : BZ_EXPORT_TSV;

    bz_h5_skip_exit_cleanup(); /* untrusted file: see io/h5.h */
    bz_error err;
    bz_error_clear(&err);
    /* A directory, FIFO or device is refused before anything opens it. */
    if (bz_file_check_input(path, &err) != BZ_OK) return bz_cli_fail(&err);
    int st;
    if (!strncmp(dataset, "/sweep", 6) || !strcmp(dataset, "sweep")) /* a sweep file */
        st = bz_h5_sweep_export(path, dataset, fmt, stdout, &err);
    else
        st = bz_h5_export(path, dataset, fmt, stdout, &err);
    if (st != BZ_OK) return bz_cli_fail(&err);
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) { /* /dev/full, a closed pipe */
        bz_file_write_error(&err, errno, "standard output");
        return bz_cli_fail(&err);
    }
    return 0;
}

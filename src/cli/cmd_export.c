/* buzzsim export FILE DATASET [--format tsv|csv]: one dataset as a table on
 * standard output, for gnuplot ('< buzzsim export ...') and spreadsheets. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "io/h5.h"
#include "sweep/h5_sweep.h"

static void help(void)
{
    printf("usage: buzzsim export out.h5 DATASET [--format tsv|csv]\n"
           "Print one dataset of a results file as a table on standard output.\n\n"
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
           "TSV (default): tab separated, header line starts with '# ', NaN as 'nan'.\n"
           "CSV: comma separated, plain header, NaN as an empty field.\n"
           "`buzzsim info out.h5` lists the arms, states and channels of a file.\n");
}

int bz_cmd_export(int argc, char **argv)
{
    const char *path = NULL, *dataset = NULL, *format = "tsv";
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            help();
            return 0;
        }
        if ((r = bz_arg_value(argc, argv, &i, "--format", "-f", &v))) {
            if (r < 0) return bz_cli_usage("export", "--format needs a value (tsv or csv)");
            format = v;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return bz_cli_usage("export", "unknown option '%s'", argv[i]);
        } else if (!path) {
            path = argv[i];
        } else if (!dataset) {
            dataset = argv[i];
        } else {
            return bz_cli_usage("export", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!path) return bz_cli_usage("export", "missing the results file");
    if (!dataset) return bz_cli_usage("export", "missing the dataset (e.g. /comparison or arms)");
    bz_export_format fmt;
    if (!strcmp(format, "tsv"))
        fmt = BZ_EXPORT_TSV;
    else if (!strcmp(format, "csv"))
        fmt = BZ_EXPORT_CSV;
    else
        return bz_cli_usage("export", "--format: expected tsv or csv, got '%s'", format);

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

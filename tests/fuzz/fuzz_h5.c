/* libFuzzer harness: the readers of buzzsim's HDF5 files on damaged files,
 * along the paths of `buzzsim info` and `buzzsim export`.
 *
 * Input: the bytes of an HDF5 file (the seeds are small run, network and
 * sweep files written by buzzsim), written to SCRATCH/in.h5. Each input goes
 * through, in order:
 *   1. `buzzsim info FILE` (bz_cmd_info, from src/cli: bz_h5_sweep_detect
 *      then the sweep report or bz_h5_read_meta + comparison tables), with
 *      stdout sent to /dev/null;
 *   2. bz_h5_read (the run results reader, io/h5_read.c; `info` covers
 *      bz_h5_read_meta), then bz_comparison_compute on what was read;
 *   3. bz_h5_export of N_EXPORTS datasets out of: the name lists, the
 *      comparison, attribution and city groups and tables, and every kind
 *      of arm dataset and group for the last arm, first state, channel and
 *      layer of the file (or, when it does not read, the seeds' names);
 *   4. bz_h5_sweep_read (sweep/h5_sweep.c) with bz_sweep_data_count and
 *      bz_sweep_data_sobol, and bz_h5_sweep_export of one /sweep table.
 * Tables go to a /dev/null FILE*. The exports are chosen by a hash of the
 * input: each one opens and walks the file again, so doing all of them for
 * every input would cost several times as much (HDF5 allocates and clears
 * its metadata cache at every open), while the fuzzer still sees every export
 * over many inputs.
 *
 * Oracles (abort() on violation):
 *   - no crash, leak or sanitizer report in our code (libhdf5 is not
 *     instrumented; crashes inside it are reported by ASan all the same:
 *     see docs/testing.md for the ones known);
 *   - failures fill err (fuzz_common.h);
 *   - every reader closes what it opens, whatever the damage: after an
 *     input there are as many file, group, datatype, dataspace, dataset,
 *     attribute and property list ids as before it (H5Inmembers). (Leaked
 *     ids keep their memory reachable, so LeakSanitizer would not see them.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "cli/cli.h"
#include "engine/compare.h"
#include "fuzz_common.h"
#include "io/h5.h"
#include "sweep/h5_sweep.h"

#define N_EXPORTS 3

static char path[4096];
static FILE *devnull;

/* The id kinds every reader must give back (H5Inmembers counts them). */
static const struct {
    H5I_type_t type;
    const char *name;
} kinds[] = {{H5I_FILE, "file"},
             {H5I_GROUP, "group"},
             {H5I_DATATYPE, "datatype"},
             {H5I_DATASPACE, "dataspace"},
             {H5I_DATASET, "dataset"},
             {H5I_ATTR, "attribute"},
             {H5I_GENPROP_LST, "property list"}};
#define N_KINDS (sizeof kinds / sizeof kinds[0])
static hsize_t ids_at_start[N_KINDS];

/* Ids of one kind; 0 while HDF5 has not set that kind up (H5Inmembers then
 * fails). */
static hsize_t ids_of(H5I_type_t type)
{
    hsize_t n = 0;
    return H5Inmembers(type, &n) < 0 ? 0 : n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bz_fuzz_init();
    snprintf(path, sizeof path, "%s", bz_fuzz_path("in.h5"));
    devnull = fopen("/dev/null", "w");
    if (!devnull || !freopen("/dev/null", "w", stdout)) bz_fuzz_fail("cannot open /dev/null");
    for (size_t k = 0; k < N_KINDS; k++)
        ids_at_start[k] = ids_of(kinds[k].type);
    return 0;
}

/* FNV-1a of the input: picks the exports of step 3 and 4. */
static uint64_t hash_of(const uint8_t *data, size_t size)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211ull;
    return h;
}

static void export_one(const char *dataset)
{
    bz_error err;
    bz_error_clear(&err);
    int st = bz_h5_export(path, dataset, BZ_EXPORT_TSV, devnull, &err);
    bz_fuzz_check_status(st, &err, dataset);
}

/* Step 3: N_EXPORTS of the datasets below, chosen by h; names from the file
 * when it read, else the seeds' names. */
static void export_results(const bz_results *r, int have, uint64_t h)
{
    static const char *const fixed[] = {"arms",           "states",         "channels",
                                        "layers",         "/comparison",    "/cities_summary",
                                        "/cities",        "/attribution",   "/network",
                                        "/comparison/%A", "/attribution/%A"};
    static const char *const per_arm[] = {"adopters",
                                          "summary/adopters",
                                          "outcomes",
                                          "sales",
                                          "stock",
                                          "lost",
                                          "unmet",
                                          "windows",
                                          "cities",
                                          "states",
                                          "exposures",
                                          "adoptions_by",
                                          "time",
                                          "summary",
                                          "summary/sales",
                                          "states/%S",
                                          "exposures/%C",
                                          "adoptions_by/%C",
                                          "summary/exposures.%C",
                                          "attribution/final_adopters",
                                          "attribution"};
    const size_t n_fixed = sizeof fixed / sizeof fixed[0],
                 n = n_fixed + sizeof per_arm / sizeof per_arm[0] + 1;
    const char *arm = have && r->n_arms ? r->arms[r->n_arms - 1].name : "baseline";
    const char *state = have && r->n_states ? r->state_names[0] : "adopter";
    const char *channel = have && r->n_channels ? r->channel_names[0] : "advertising";
    const char *layer = have && r->n_layers ? r->layers[0].name : "weibo";
    for (int k = 0; k < N_EXPORTS; k++, h /= n) {
        size_t i = (size_t)(h % n);
        char pattern[128], ds[8 * BZ_NAME_MAX];
        if (i < n_fixed)
            snprintf(pattern, sizeof pattern, "%s", fixed[i]);
        else if (i < n - 1)
            snprintf(pattern, sizeof pattern, "/arms/%%A/%s", per_arm[i - n_fixed]);
        else
            snprintf(pattern, sizeof pattern, "/network/%%L/degree_histogram");
        size_t o = 0; /* ds = pattern with %A %S %C %L replaced */
        for (const char *p = pattern; *p && o + 1 < sizeof ds; p++) {
            if (p[0] != '%' || !p[1]) {
                ds[o++] = *p;
                continue;
            }
            const char *sub = p[1] == 'A'   ? arm
                              : p[1] == 'S' ? state
                              : p[1] == 'C' ? channel
                                            : layer;
            p++;
            int w = snprintf(ds + o, sizeof ds - o, "%s", sub);
            o = w < 0 || (size_t)w >= sizeof ds - o ? sizeof ds - 1 : o + (size_t)w;
        }
        ds[o] = '\0';
        export_one(ds);
    }
}

/* Step 2 (and 3). */
static void read_results(uint64_t h)
{
    bz_results r;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_h5_read(&r, path, &err);
    bz_fuzz_check_status(st, &err, "bz_h5_read");
    if (st == BZ_OK && r.n_arms > 0) {
        bz_comparison cmp;
        bz_error_clear(&err);
        int cs = bz_comparison_compute(&r, &cmp, &err);
        bz_fuzz_check_status(cs, &err, "bz_comparison_compute");
        bz_comparison_destroy(&cmp);
    }
    export_results(&r, st == BZ_OK, h);
    if (st == BZ_OK) bz_results_destroy(&r);
}

/* Step 4. */
static void read_sweep(uint64_t h)
{
    bz_sweep_data d;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_h5_sweep_read(&d, path, &err);
    bz_fuzz_check_status(st, &err, "bz_h5_sweep_read");
    char table[32 + BZ_NAME_MAX] = "/sweep/series/baseline";
    if (st == BZ_OK) {
        size_t n = 0, done = 0;
        bz_sweep_data_count(&d, &n, &done);
        if (done > n || n > d.P) bz_fuzz_fail("bz_sweep_data_count: %zu of %zu done", done, n);
        if (d.n_arms) snprintf(table, sizeof table, "/sweep/series/%s", d.arm_names[0]);
        bz_error_clear(&err);
        int ss = bz_sweep_data_sobol(&d, &err);
        bz_fuzz_check_status(ss, &err, "bz_sweep_data_sobol");
        bz_sweep_data_destroy(&d);
    }
    static const char *const tables[] = {"/sweep", "/sweep/summary", "/sweep/means", "/sweep/sobol",
                                         "/sweep/nothing"};
    const size_t n_tables = sizeof tables / sizeof tables[0];
    const size_t i = (size_t)(h % (n_tables + 1));
    if (i < n_tables) snprintf(table, sizeof table, "%s", tables[i]);
    bz_error_clear(&err);
    int es = bz_h5_sweep_export(path, table, h & 1 ? BZ_EXPORT_CSV : BZ_EXPORT_TSV, devnull, &err);
    bz_fuzz_check_status(es, &err, table);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bz_fuzz_write_file(path, data, size);

    char info[] = "info";
    char *argv[] = {info, path, NULL};
    int rc = bz_cmd_info(2, argv);
    if (rc != 0 && rc != 1 && rc != 2) bz_fuzz_fail("buzzsim info exited with %d", rc);
    fflush(stdout);

    const uint64_t h = hash_of(data, size);
    read_results(h);
    read_sweep(h >> 32);

    for (size_t k = 0; k < N_KINDS; k++) {
        hsize_t n = ids_of(kinds[k].type);
        if (n != ids_at_start[k])
            bz_fuzz_fail("HDF5 ids left open: %llu %s ids, %llu before the input",
                         (unsigned long long)n, kinds[k].name, (unsigned long long)ids_at_start[k]);
    }
    return 0;
}

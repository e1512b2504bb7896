/* HDF5 output, schema version 1 (docs/output.md):
 *
 * /                       attrs buzzsim_version, buzzsim_schema=1, created, command_line,
 *                               experiment_yaml, seed, complete (0/1)
 * /network/<layer>        attrs generator, directed, agents, edges; dataset degree_histogram
 * /arms/<arm>/            attrs campaigns (YAML text), cost
 *   time                  [T] float64 days
 *   adopters              [R,T] int64
 *   states/<state>        [R,T] int64
 *   sales, stock          [R,T] int64
 *   exposures/<channel>   [R,T] int64
 *   adoptions_by/<channel>[R,T] int64
 *   summary/<series>      [T] compound {mean, sd, q05, q50, q95} float64; series names:
 *                         adopters, sales, stock, states.<s>, exposures.<c>, adoptions_by.<c>
 *   outcomes              [R] compound {final_adopters, peak_step, sellout_seconds, cost,
 *                         cost_per_adopter} float64
 * /comparison/<arm>       [5] compound {outcome (string), mean, ci_low, ci_high} for every
 *                         arm but the first (the baseline): paired differences arm - baseline
 */
#ifndef BZ_H5_H
#define BZ_H5_H

#include <stdio.h>

#include "base/error.h"
#include "engine/results.h"
#include "io/table.h"

#define BZ_SCHEMA_VERSION 2

/* Write results to `path`. The file is written as "path.partial" and renamed
 * when complete. If `path` exists and !force: BZ_EEXIST and nothing is
 * touched. Missing parent directories are created. On any failure the
 * partial file is removed. */
int bz_h5_write(const char *path, const bz_results *r, int force, bz_error *err);

/* Check that `path` may be written before spending time to produce it:
 * BZ_EEXIST ("'PATH' exists (use --force to overwrite)") if it exists and
 * !force; BZ_EINVAL if it is a directory or any other non-regular file (a
 * device, a FIFO: never replaced, even with force) or its parent
 * directories cannot be created (they are created here). Writes nothing
 * else. */
int bz_h5_check_output(const char *path, int force, bz_error *err);

/* 1 if `path` is a readable regular HDF5 file whose root has a link named
 * `group` (a sweep file has /sweep, an optimize file /optimize); 0 for
 * anything else, never an error. HDF5's error printing is off meanwhile. */
int bz_h5_has_group(const char *path, const char *group);

/* Create every missing parent directory of `path` (mkdir -p of dirname).
 * BZ_EINVAL naming the directory on failure. */
int bz_h5_make_parents(const char *path, bz_error *err);

/* Read a buzzsim file back (everything bz_h5_write writes except summaries
 * and comparisons, which are derived). Untrusted input: a file that is not
 * HDF5, has another schema version, or lacks a dataset gives BZ_EINVAL with
 * the file and object path. */
int bz_h5_read(bz_results *r, const char *path, bz_error *err);

/* Provenance a results file carries beyond bz_results. */
typedef struct bz_h5_provenance {
    char version[BZ_NAME_MAX]; /* buzzsim_version of the writer */
    char created[BZ_NAME_MAX]; /* ISO 8601 UTC */
} bz_h5_provenance;

/* Like bz_h5_read but without the [R,T] series (states, adopters, sales,
 * stock, exposures, adoptions stay NULL), so `info` stays cheap on big
 * files. prov may be NULL. Same errors as bz_h5_read. */
int bz_h5_read_meta(bz_results *r, bz_h5_provenance *prov, const char *path, bz_error *err);

/* For short-lived processes that read untrusted files (info, export, plot):
 * skip HDF5's exit-time cleanup. HDF5 1.10 leaks a little memory inside
 * itself when an object header of a corrupt file fails to decode, and its
 * cleanup then prints "HDF5: infinite loop closing library" at exit. Call
 * before any other HDF5 use; every file must be closed before exit (ours are). */
void bz_h5_skip_exit_cleanup(void);

/* Write dataset `dataset` (an HDF5 path such as /arms/kol/summary/adopters,
 * or /arms/kol/states/adopted) of file `path` as a table to out: a '#'
 * header line naming the columns, then one row per time (or per replicate for
 * outcomes). Datasets whose last dimension is T get a leading time (days)
 * column, and [R,T] series are written one column per replicate. */
int bz_h5_export(const char *path, const char *dataset, bz_export_format fmt, FILE *out,
                 bz_error *err);

#endif

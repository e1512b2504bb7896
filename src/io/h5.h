/* HDF5 output, schema version 1 (docs/output.md):
 *
 * /                       attrs buzzsim_version, buzzsim_schema=1, created, command_line,
 *                               experiment_yaml, seed, complete (0/1)
 * /network/<layer>        attrs generator, directed, agents, edges; dataset degree_histogram
 * /arms/<arm>/            attrs campaigns (YAML text), cost
 *   time                  [T] float64 hours
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

#include "core/error.h"
#include "core/results.h"

#define BZ_SCHEMA_VERSION 1

/* Write results to `path`. The file is written as "path.partial" and renamed
 * when complete. If `path` exists and !force: BZ_EEXIST and nothing is
 * touched. Missing parent directories are created. On any failure the
 * partial file is removed. */
int bz_h5_write(const char *path, const bz_results *r, int force, bz_error *err);

/* Read a buzzsim file back (everything bz_h5_write writes except summaries
 * and comparisons, which are derived). Untrusted input: a file that is not
 * HDF5, has another schema version, or lacks a dataset gives BZ_EINVAL with
 * the file and object path. */
int bz_h5_read(bz_results *r, const char *path, bz_error *err);

typedef enum bz_export_format { BZ_EXPORT_TSV, BZ_EXPORT_CSV } bz_export_format;

/* Write dataset `dataset` (an HDF5 path such as /arms/kol/summary/adopters,
 * or /arms/kol/states/adopted) of file `path` as a table to out: a '#'
 * header line naming the columns, then one row per time (or per replicate for
 * outcomes). Datasets whose last dimension is T get a leading time (hours)
 * column, and [R,T] series are written one column per replicate. */
int bz_h5_export(const char *path, const char *dataset, bz_export_format fmt, FILE *out,
                 bz_error *err);

#endif

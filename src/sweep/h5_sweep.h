/* Sweep result files (buzzsim sweep / merge), HDF5 schema version 1:
 *
 * /                  attrs buzzsim_version, buzzsim_schema=1, created, command_line,
 *                          complete (0/1)
 * /sweep             attrs name, sweep_id (16 hex digits), sweep_yaml (the sweep file),
 *                          base_yaml (resolved base experiment), design (grid|lhs|sobol),
 *                          samples, seed, replicates, points, shard ("I/N", 1-based, "1/1"
 *                          unsharded), arms (comma-separated), dimensions (comma-separated
 *                          design dimensions: tie names or axis keys)
 *   params           [P] compound, one field per axis named by its key: float64, or a
 *                    fixed string for word axes
 *   outcomes         [P,R] compound of float64 columns (see sweep.h), NaN where not run
 *   done             [P] uint8, 1 for points whose outcomes are stored
 *   time, series     keep_series only: [T] float64 days; [P,A,T] float64 mean adopters
 *   sobol            sobol designs once complete: [n_out x dims] compound {outcome,
 *                    dimension (strings), first_order, total (float64)}
 *
 * A running sweep keeps its finished points in NAME.journal (sweep/journal.h)
 * and a snapshot NAME.partial (this format, complete = 0), both replaced or
 * appended so that a kill at any instant loses nothing; NAME is written when
 * every point of its shard is done (docs/cluster.md).
 */
#ifndef BZ_H5_SWEEP_H
#define BZ_H5_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"
#include "io/h5.h"
#include "sweep/data.h"
#include "sweep/sweep.h"

/* Read a sweep file, complete or not (NAME.partial too). Untrusted input:
 * BZ_ENOENT if missing, BZ_EINVAL "FILE: /object: what is wrong". */
int bz_h5_sweep_read(bz_sweep_data *d, const char *path, bz_error *err);

/* 1 if `path` is an HDF5 file with a /sweep group, 0 otherwise. */
int bz_h5_sweep_detect(const char *path);

/* Write d whole to `path` through `tmp` (same directory): built in memory,
 * then written, synced and renamed, so `path` is at every instant either
 * its previous content or d. The caller decides about replacing `path`. */
int bz_h5_sweep_save(const char *path, const char *tmp, const bz_sweep_data *d, bz_error *err);

/* bz_h5_sweep_save through PATH.partial after bz_h5_check_output (merge).
 * BZ_EEXIST if path exists and !force. */
int bz_h5_sweep_write(const char *path, const bz_sweep_data *d, int force, bz_error *err);

/* `buzzsim export FILE /sweep`: one row per point and replicate (done
 * points only): point, axis values..., replicate, outcome columns...
 * "/sweep/sobol" prints the indices, "/sweep/means" one row per point with
 * replicate means, "/sweep/series/ARM" one row per time with a column per
 * point. */
int bz_h5_sweep_export(const char *path, const char *dataset, bz_export_format fmt, FILE *out,
                       bz_error *err);

#endif

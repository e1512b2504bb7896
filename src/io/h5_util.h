/* Helpers shared by the HDF5 writer, reader and exporter. Internal to src/io.
 *
 * Every function here keeps HDF5 quiet only if the caller bracketed it with
 * bz_h5_quiet_begin/end; messages are composed by the caller or, for the
 * readers, as "FILE: /object/path: what is wrong".
 */
#ifndef BZ_H5_UTIL_H
#define BZ_H5_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "base/error.h"
#include "base/params.h"
#include "engine/results.h"

/* Saved HDF5 automatic error handler. begin() turns automatic printing off,
 * end() restores what was there before (so library users who want HDF5's
 * traces keep them outside our calls). */
typedef struct bz_h5_quiet {
    H5E_auto2_t func;
    void *data;
    int saved;
} bz_h5_quiet;

void bz_h5_quiet_begin(bz_h5_quiet *q);
void bz_h5_quiet_end(const bz_h5_quiet *q);

/* Copy the most specific message of HDF5's current error stack into buf
 * ("" when the stack is empty). For "cannot write" messages. */
void bz_h5_last_error(char *buf, size_t len);

/* Fill err with "FILE: OBJ: message" and return code. */
int bz_h5_fail(bz_error *err, int code, const char *file, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Output files are built in memory and written by base/durable.h, so HDF5
 * never writes to disk itself: a full disk or a kill cannot leave a file
 * that looks complete, the previous result survives any failure, and a
 * failed write cannot leave HDF5 holding a file it tries to flush again at
 * exit (HDF5 1.10 crashes there, in H5F__close_cb). Cost: the file's size
 * in memory while it is written.
 *
 * The image is taken when HDF5 closes the file (file image callbacks), not
 * with H5Fget_file_image on the open file: HDF5 1.10.8 gives a 1.8-format
 * (superblock 2) image whose superblock checksum does not match while the
 * file is open for writing.
 *
 * bz_h5_mem_create: an empty file labelled `name` (never opened) on the core
 * driver without backing store, 1.8 format, link creation order tracked;
 * m->file is the handle to write into. m must stay where it is until
 * commit or discard. Negative on failure (the HDF5 stack holds why). */
typedef struct bz_h5_mem {
    hid_t file;
    void *image; /* the core driver's memory, kept when HDF5 closes the file */
    size_t size;
} bz_h5_mem;

int bz_h5_mem_create(bz_h5_mem *m, const char *name);

/* Close m->file, then write its image to `path` through `tmp` with
 * bz_durable_write. m is released in every case. */
int bz_h5_mem_commit(bz_h5_mem *m, const char *path, const char *tmp, bz_error *err);

/* Close and release without writing anything. Safe on a released m. */
void bz_h5_mem_discard(bz_h5_mem *m);

/* ---- writing (herr_t style: negative on failure, HDF5 stack holds why) ---- */

/* The root attributes every buzzsim file begins with, in this order:
 * buzzsim_version, buzzsim_schema, created (UTC, ISO 8601), command_line
 * (NULL writes ""). Callers add their own, then `complete`. Negative on
 * failure (the HDF5 stack holds why). */
herr_t bz_h5_put_provenance(hid_t file, const char *command_line);

/* BZ_EIO with "cannot write 'PATH': OBJ: HDF5's reason"; returns BZ_EIO. */
int bz_h5_write_fail(bz_error *err, const char *path, const char *obj);

/* Scalar fixed-length UTF-8 string attribute (NULL value writes ""). */
herr_t bz_h5_put_string_attr(hid_t obj, const char *name, const char *value);

/* Scalar attribute of file type ftype, from memory of type mtype. */
herr_t bz_h5_put_scalar_attr(hid_t obj, const char *name, hid_t ftype, hid_t mtype,
                             const void *value);

/* Compound type of n float64 fields named names[i], packed at i * 8 bytes
 * (the layout of bz_summary and bz_outcome). `file` selects little-endian
 * IEEE members for the file instead of native doubles. Negative on failure;
 * the caller closes it with H5Tclose. */
hid_t bz_h5_doubles_type(const char *const *names, int n, int file);

/* bz_h5_doubles_type with the names of a table of definitions (outcomes,
 * window fields; n <= 256). */
hid_t bz_h5_defs_type(const bz_outcome_def *defs, int n, int file);

/* Create dataset `name` under loc (rank dims, chunked by `chunk`, shuffled
 * and deflated at BZ_H5_DEFLATE_LEVEL; contiguous when empty) of file type
 * ftype and write all of data (memory type mtype). The open dataset, or
 * negative (the HDF5 stack holds why); the caller closes it. */
#define BZ_H5_DEFLATE_LEVEL 4
hid_t bz_h5_make_dataset(hid_t loc, const char *name, int rank, const hsize_t *dims,
                         const hsize_t *chunk, hid_t ftype, hid_t mtype, const void *data);

/* Group-creation property list that tracks link creation order, so arms,
 * states, channels and layers read back in the order they were written. */
hid_t bz_h5_ordered_gcpl(void);

/* ---- reading untrusted files (status + "FILE: OBJ: ..." messages) ---- */

/* Open a buzzsim results file read-only and check it: BZ_ENOENT if missing,
 * BZ_EINVAL if not HDF5, truncated, not schema 1 or not complete. On success
 * *file must be closed with H5Fclose. */
int bz_h5_open_results(const char *path, hid_t *file, bz_error *err);

/* Read a scalar (or one-element) string attribute, fixed or variable length,
 * into a malloc'd string in *out. BZ_EINVAL if missing or not a string. */
int bz_h5_get_string_attr(hid_t obj, const char *file, const char *objpath, const char *name,
                          char **out, bz_error *err);

/* Read a scalar numeric attribute converted to mtype (e.g. H5T_NATIVE_INT64,
 * H5T_NATIVE_UINT64, H5T_NATIVE_DOUBLE). BZ_EINVAL if missing or not numeric. */
int bz_h5_get_num_attr(hid_t obj, const char *file, const char *objpath, const char *name,
                       hid_t mtype, void *out, bz_error *err);

/* Names of the links in group `group` (relative to loc), in creation order
 * when the file tracks it, else in name order. */
typedef struct bz_h5_names {
    size_t n;
    char (*v)[BZ_NAME_MAX];
} bz_h5_names;

/* BZ_EINVAL if the group is missing or a name is longer than BZ_NAME_MAX-1. */
int bz_h5_list(hid_t loc, const char *group, const char *file, bz_h5_names *out, bz_error *err);
void bz_h5_names_destroy(bz_h5_names *names);

/* 1 if every link on the absolute path exists and resolves to an object. */
int bz_h5_exists(hid_t file, const char *path);

#endif

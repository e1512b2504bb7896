/* Durable file writes: what a result file or a checkpoint needs so that a
 * kill, a power cut or a full disk never leaves a file that looks complete
 * and is not, and never destroys the previous good file.
 *
 * Contract of every function here: each write(2) is checked, short writes
 * are continued, fsync(2) is called before a file is declared written, and a
 * failure fills `err` with one line naming the file ("no space left on
 * device writing 'F'", "permission denied writing 'F'": base/file.h
 * bz_file_write_error; BZ_EIO). Nothing here prints.
 */
#ifndef BZ_DURABLE_H
#define BZ_DURABLE_H

#include <stddef.h>

#include "base/error.h"

/* Write `len` bytes to `tmp` (created or truncated, mode 0666 & ~umask),
 * fsync it, rename it to `path` and fsync the directory, so that at any
 * instant `path` is either its old content (or absent) or the new one.
 * `tmp` must be in the same directory as `path`. On failure `tmp` is
 * removed and `path` is untouched. */
int bz_durable_write(const char *path, const char *tmp, const void *buf, size_t len, bz_error *err);

/* Write all of buf to the open descriptor fd (continuing short writes,
 * retrying EINTR), then fdatasync it when `sync`. `path` names the file in
 * messages. */
int bz_durable_append(int fd, const char *path, const void *buf, size_t len, int sync,
                      bz_error *err);

/* fsync the directory holding `path` (after a rename or create in it). */
int bz_durable_sync_dir(const char *path, bz_error *err);

/* Remove `path` if it exists (ENOENT is success), then fsync its directory. */
int bz_durable_remove(const char *path, bz_error *err);

/* The one-line message for a failed write of `path` with errno `e` (EDQUOT
 * reads as a full disk). */
int bz_durable_fail(bz_error *err, const char *path, int e);

#endif

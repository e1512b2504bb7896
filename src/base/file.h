/* Input and output files, checked before they are used.
 *
 * Inputs (experiment and sweep files, edge lists, HDF5 results) must be
 * regular files: a directory cannot be read as text, opening a FIFO for
 * reading blocks until a writer comes, and a device such as /dev/zero never
 * ends. Such paths are refused up front as bad input (BZ_EINVAL, exit status
 * 2), with one line naming the path and what it is. Outputs: a directory
 * that new files cannot be created in is refused before any work starts,
 * and every write is checked, with the reason in the message.
 */
#ifndef BZ_FILE_H
#define BZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

/* BZ_OK if path names a regular file that can be read (stat() only: nothing
 * is opened, so a FIFO does not block). Errors, each naming the path:
 *   BZ_ENOENT "cannot open 'PATH': No such file or directory"
 *   BZ_EINVAL "PATH: is a directory, expected a regular file" (likewise a
 *             FIFO, a character device, a block device, a socket)
 *   BZ_EINVAL "cannot open 'PATH': Permission denied" (also ENOTDIR, ELOOP,
 *             ENAMETOOLONG: names that cannot be used)
 *   BZ_EIO    other system failures, with the OS reason. */
int bz_file_check_input(const char *path, bz_error *err);

/* Open path for reading as bz_file_check_input() checks it, then again on
 * the open descriptor (opened with O_NONBLOCK, so a FIFO swapped in between
 * cannot block; fstat; blocking mode restored): *f is a binary stream to
 * fclose(), *size the file's size in bytes. Errors as above. */
int bz_file_open_input(const char *path, FILE **f, uint64_t *size, bz_error *err);

/* The whole of a regular text file as a new NUL-terminated string (*text,
 * free() it), *len its length (len may be NULL). More than max_bytes is
 * BZ_EINVAL "PATH: file is larger than N MiB; not WHAT" (nothing beyond
 * max_bytes + 1 is read), a NUL byte BZ_EINVAL "PATH: file contains NUL
 * bytes; not WHAT"; what is e.g. "an experiment file". Otherwise as
 * bz_file_open_input(), and BZ_EIO on a read error. O(file size). */
int bz_file_read_text(const char *path, size_t max_bytes, const char *what, char **text,
                      size_t *len, bz_error *err);

/* The directory part of path as a new string (free() it): "a/b.yaml" ->
 * "a", "b.yaml" -> ".", "/b.yaml" -> "/"; NULL when out of memory. Files
 * named in an experiment or a sweep file are relative to it. */
char *bz_file_dir_of(const char *path);

/* BZ_OK if new files can be created in dir: it exists, is a directory and a
 * probe file can be created there (and is removed at once; this catches
 * read-only mounts, which permission bits do not show to root). Errors:
 * BZ_ENOENT, BZ_EINVAL "DIR: is not a directory", BZ_EINVAL "cannot write
 * to directory 'DIR': Read-only file system" (or the OS reason). */
int bz_file_check_output_dir(const char *dir, bz_error *err);

/* Fill err for a failed write and return BZ_EIO: "REASON writing WHAT"
 * where REASON is strerror(errnum) in lower case, e.g. "no space left on
 * device writing standard output" (what: "standard output", "'out.txt'"). */
int bz_file_write_error(bz_error *err, int errnum, const char *what);

#endif

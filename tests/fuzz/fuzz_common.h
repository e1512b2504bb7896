/* Shared helpers of the libFuzzer harnesses in tests/fuzz/ (docs/testing.md,
 * "Fuzzing"). libFuzzer calls LLVMFuzzerTestOneInput from one thread, so
 * none of this is thread-safe, and none of it needs to be.
 *
 * A harness aborts (through bz_fuzz_fail) only when an oracle is violated:
 * a crash or sanitizer report is a finding, an error status from the code
 * under test is not.
 */
#ifndef BZ_FUZZ_COMMON_H
#define BZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

/* Process set-up, for LLVMFuzzerInitialize: GSL's abort-on-error handler
 * off (as the CLI's main does), one OpenMP thread unless OMP_NUM_THREADS is
 * set (two fuzzers share two cores), HDF5's exit-time cleanup skipped and
 * its error printing off (as `buzzsim info` does for untrusted files),
 * bz_fuzz_log() opened, and a private empty scratch directory created under
 * $TMPDIR (removed with its files at a normal exit). Aborts if any of it
 * fails: that is a broken environment, not a finding. */
void bz_fuzz_init(void);

/* Absolute path of the scratch directory made by bz_fuzz_init. */
const char *bz_fuzz_dir(void);

/* "SCRATCH/name" in a static buffer (valid until the next call). */
const char *bz_fuzz_path(const char *name);

/* Write size bytes to path, replacing it. Aborts on failure. */
void bz_fuzz_write_file(const char *path, const void *data, size_t size);

/* A NUL-terminated malloc'ed copy of the input, or NULL if the input holds
 * a NUL byte (the file loaders refuse those before parsing, so such inputs
 * test nothing the shorter input does not). Aborts when out of memory. */
char *bz_fuzz_text(const uint8_t *data, size_t size);

/* A stream on a copy of the stderr the process started with, so harness
 * messages survive libFuzzer's -close_fd_mask. */
FILE *bz_fuzz_log(void);

/* Print "fuzz oracle: MESSAGE" to bz_fuzz_log() and abort(). */
void bz_fuzz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* The error contract of base/error.h for a call that returned `status`:
 * BZ_OK, or a known code with a non-empty message. Aborts otherwise;
 * `what` names the call in the message. */
void bz_fuzz_check_status(int status, const bz_error *err, const char *what);

#endif

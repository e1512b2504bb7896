/* Shared helpers of the libFuzzer harnesses (fuzz_common.h). */
#include "fuzz_common.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <hdf5.h>

#include "io/h5.h"

static char scratch[4096];
static char path_buf[4096 + 256];
static FILE *log_stream;

/* Remove the scratch directory and the files the harness wrote there (it
 * writes no subdirectories). Runs at a normal exit (libFuzzer's
 * -max_total_time or -runs); after a crash the directory stays, under the
 * $TMPDIR that tests/fuzz/run.sh removes. */
static void remove_scratch(void)
{
    DIR *d = opendir(scratch);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[sizeof scratch + 256];
        snprintf(p, sizeof p, "%s/%s", scratch, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(scratch);
}

void bz_fuzz_init(void)
{
    int fd = dup(2);
    log_stream = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!log_stream) log_stream = stderr;
    setvbuf(log_stream, NULL, _IONBF, 0);

    gsl_set_error_handler_off();
    setenv("OMP_NUM_THREADS", "1", 0);           /* read by the OpenMP runtime at its first use */
    setenv("HDF5_USE_FILE_LOCKING", "FALSE", 0); /* a private scratch file needs no lock */
    bz_h5_skip_exit_cleanup();                   /* before any other HDF5 call: see io/h5.h */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    snprintf(scratch, sizeof scratch, "%s/bz-fuzz-XXXXXX", tmp);
    if (!mkdtemp(scratch)) bz_fuzz_fail("cannot create a scratch directory under %s", tmp);
    if (scratch[0] != '/') {
        char cwd[2048], rel[sizeof scratch];
        if (!getcwd(cwd, sizeof cwd)) bz_fuzz_fail("getcwd failed");
        snprintf(rel, sizeof rel, "%s", scratch);
        snprintf(scratch, sizeof scratch, "%.2047s/%.2047s", cwd, rel);
    }
    atexit(remove_scratch);
}

const char *bz_fuzz_dir(void)
{
    return scratch;
}

const char *bz_fuzz_path(const char *name)
{
    snprintf(path_buf, sizeof path_buf, "%s/%s", scratch, name);
    return path_buf;
}

void bz_fuzz_write_file(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) bz_fuzz_fail("cannot create %s", path);
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n <= 0) bz_fuzz_fail("cannot write %s", path);
        p += n;
        size -= (size_t)n;
    }
    if (close(fd) != 0) bz_fuzz_fail("cannot close %s", path);
}

char *bz_fuzz_text(const uint8_t *data, size_t size)
{
    if (size && memchr(data, '\0', size)) return NULL;
    char *s = malloc(size + 1);
    if (!s) bz_fuzz_fail("out of memory copying a %zu-byte input", size);
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

FILE *bz_fuzz_log(void)
{
    return log_stream ? log_stream : stderr;
}

void bz_fuzz_fail(const char *fmt, ...)
{
    FILE *f = bz_fuzz_log();
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz oracle: ", f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
    fflush(f);
    abort();
}

void bz_fuzz_check_status(int status, const bz_error *err, const char *what)
{
    if (status == BZ_OK) return;
    if (status < BZ_EINVAL || status > BZ_ETOOBIG)
        bz_fuzz_fail("%s returned %d, not a bz_error code", what, status);
    if (err->code != status)
        bz_fuzz_fail("%s returned %d but err->code is %d ('%s')", what, status, err->code,
                     err->msg);
    size_t n = strlen(err->msg);
    if (n == 0) bz_fuzz_fail("%s failed (%d) with an empty message", what, status);
    if (err->msg[n - 1] == '\n')
        bz_fuzz_fail("%s: the message ends in a newline: '%s'", what, err->msg);
}

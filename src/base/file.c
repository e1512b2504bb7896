/* Input and output files, checked before they are used (see file.h). */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a non-regular file is, for "PATH: is a ..., expected a regular file". */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
#ifdef S_ISSOCK
    if (S_ISSOCK(mode)) return "a socket";
#endif
    return "not a regular file";
}

/* The status of a failed stat()/open() on an input: missing, unusable
 * (the user can fix it: exit status 2) or a system failure. */
static int open_failure(bz_error *err, int e, const char *path)
{
    int code = BZ_EINVAL;
    if (e == ENOENT)
        code = BZ_ENOENT;
    else if (e == EIO || e == ENOMEM || e == EMFILE || e == ENFILE || e == EOVERFLOW)
        code = BZ_EIO;
    return bz_error_set(err, code, "cannot open '%s': %s", path, strerror(e));
}

static int check_mode(const struct stat *st, const char *path, bz_error *err)
{
    if (S_ISREG(st->st_mode)) return BZ_OK;
    const char *kind = kind_of(st->st_mode);
    if (kind[0] == 'n') return bz_error_set(err, BZ_EINVAL, "%s: %s", path, kind);
    return bz_error_set(err, BZ_EINVAL, "%s: is %s, expected a regular file", path, kind);
}

int bz_file_check_input(const char *path, bz_error *err)
{
    struct stat st;
    if (!path || !*path) return bz_error_set(err, BZ_EINVAL, "no file name given");
    if (stat(path, &st) != 0) return open_failure(err, errno, path);
    int status = check_mode(&st, path, err);
    if (status != BZ_OK) return status;
    if (access(path, R_OK) != 0) return open_failure(err, errno, path);
    return BZ_OK;
}

int bz_file_open_input(const char *path, FILE **f, uint64_t *size, bz_error *err)
{
    int status = BZ_OK, fd = -1;
    struct stat st;
    *f = NULL;
    BZ_CHECK(bz_file_check_input(path, err));
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) BZ_CHECK(open_failure(err, errno, path));
    if (fstat(fd, &st) != 0) BZ_CHECK(open_failure(err, errno, path));
    BZ_CHECK(check_mode(&st, path, err)); /* replaced since the stat() */
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
        BZ_FAIL(err, BZ_EIO, "cannot open '%s': %s", path, strerror(errno));
    if (!(*f = fdopen(fd, "rb")))
        BZ_FAIL(err, BZ_EIO, "cannot open '%s': %s", path, strerror(errno));
    fd = -1;
    if (size) *size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
cleanup:
    if (fd >= 0) close(fd);
    return status;
}

int bz_file_read_text(const char *path, size_t max_bytes, const char *what, char **text,
                      size_t *len, bz_error *err)
{
    int status = BZ_OK;
    FILE *f = NULL;
    char *buf = NULL;
    uint64_t size = 0;
    size_t n = 0;
    *text = NULL;
    BZ_CHECK(bz_file_open_input(path, &f, &size, err));
    /* The size is a first guess only: the file may change while it is read. */
    size_t cap = (size < max_bytes ? (size_t)size : max_bytes) + 2;
    if (!(buf = malloc(cap))) BZ_FAIL_OOM(err, NULL, cap, "reading '%s'", path);
    for (;;) {
        if (n + 1 == cap) {
            size_t ncap = cap > max_bytes / 2 ? max_bytes + 2 : 2 * cap;
            char *t = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!t) break; /* at max_bytes + 1: refused below */
            buf = t;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) BZ_FAIL(err, BZ_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (n > max_bytes)
        BZ_FAIL(err, BZ_EINVAL, "%s: file is larger than %zu MiB; not %s", path, max_bytes >> 20,
                what);
    buf[n] = '\0';
    if (strlen(buf) != n)
        BZ_FAIL(err, BZ_EINVAL, "%s: file contains NUL bytes; not %s", path, what);
    *text = buf;
    buf = NULL;
    if (len) *len = n;
cleanup:
    if (f) fclose(f);
    free(buf);
    return status;
}

int bz_file_check_output_dir(const char *dir, bz_error *err)
{
    struct stat st;
    if (!dir || !*dir) dir = ".";
    if (stat(dir, &st) != 0) return open_failure(err, errno, dir);
    if (!S_ISDIR(st.st_mode)) return bz_error_set(err, BZ_EINVAL, "%s: is not a directory", dir);
    size_t dl = strlen(dir);
    char *probe = malloc(dl + sizeof "/.buzzsim-probe-XXXXXX");
    if (!probe)
        return bz_error_oom(err, NULL, dl + sizeof "/.buzzsim-probe-XXXXXX", "checking '%s'", dir);
    memcpy(probe, dir, dl);
    memcpy(probe + dl, "/.buzzsim-probe-XXXXXX", sizeof "/.buzzsim-probe-XXXXXX");
    int fd = mkstemp(probe), status = BZ_OK;
    if (fd < 0) {
        int e = errno;
        status = bz_error_set(err, e == ENOSPC || e == EDQUOT ? BZ_EIO : BZ_EINVAL,
                              "cannot write to directory '%s': %s", dir, strerror(e));
    } else {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return status;
}

int bz_file_write_error(bz_error *err, int errnum, const char *what)
{
    char reason[256];
    snprintf(reason, sizeof reason, "%s", strerror(errnum ? errnum : EIO));
    if (reason[0] >= 'A' && reason[0] <= 'Z' && !(reason[1] >= 'A' && reason[1] <= 'Z'))
        reason[0] = (char)(reason[0] - 'A' + 'a');
    return bz_error_set(err, BZ_EIO, "%s writing %s", reason, what);
}

char *bz_file_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

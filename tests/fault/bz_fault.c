/* Fault injection for the crash-safety tests (tests/cli/test_crash.sh), as
 * an LD_PRELOAD shim: it counts the calls that change files (write, pwrite,
 * writev on descriptors above 2, fsync, fdatasync, ftruncate, rename,
 * renameat, unlink, unlinkat) and, driven by the environment,
 *   BZ_FAULT_KILL_AT=K   raises SIGKILL just before the K-th such call
 *   BZ_FAULT_TEAR=1      with KILL_AT on a write: writes half of it first
 *   BZ_FAULT_ENOSPC_AT=K fails the K-th and every later write, fsync and
 *                        rename with ENOSPC (a disk that filled up)
 *   BZ_FAULT_COUNT=FILE  writes the number of calls to FILE at exit
 * Standard input, output and error are not counted, so progress lines do
 * not shift the numbering. Test code only: never linked into buzzsim. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long calls, kill_at = -1, enospc_at = -1;
static int tear, configured;

static void configure(void)
{
    if (configured) return;
    configured = 1;
    const char *k = getenv("BZ_FAULT_KILL_AT"), *e = getenv("BZ_FAULT_ENOSPC_AT");
    const char *t = getenv("BZ_FAULT_TEAR");
    if (k && *k) kill_at = atol(k);
    if (e && *e) enospc_at = atol(e);
    tear = t && *t == '1';
}

/* 0: go on; 1: fail with ENOSPC; 2: tear this write then die. */
static int step(int is_write)
{
    configure();
    calls++;
    if (calls == kill_at) {
        if (is_write && tear) return 2;
        raise(SIGKILL);
    }
    if (enospc_at > 0 && calls >= enospc_at) return 1;
    return 0;
}

#define REAL(name, type)                                                                           \
    static type real_##name;                                                                       \
    if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*fd_fn)(int);
typedef int (*trunc_fn)(int, off_t);
typedef int (*rename_fn)(const char *, const char *);
typedef int (*renameat_fn)(int, const char *, int, const char *);
typedef int (*unlink_fn)(const char *);
typedef int (*unlinkat_fn)(int, const char *, int);

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, write_fn);
    if (fd > 2) {
        int s = step(1);
        if (s == 1) return errno = ENOSPC, -1;
        if (s == 2) {
            real_write(fd, buf, n / 2);
            raise(SIGKILL);
        }
    }
    return real_write(fd, buf, n);
}

static ssize_t do_pwrite(pwrite_fn real, int fd, const void *buf, size_t n, off_t off)
{
    if (fd > 2) {
        int s = step(1);
        if (s == 1) return errno = ENOSPC, -1;
        if (s == 2) {
            real(fd, buf, n / 2, off);
            raise(SIGKILL);
        }
    }
    return real(fd, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, pwrite_fn);
    return do_pwrite(real_pwrite, fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite64, pwrite_fn);
    return do_pwrite(real_pwrite64, fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(writev, writev_fn);
    if (fd > 2 && step(0) == 1) return errno = ENOSPC, -1;
    return real_writev(fd, iov, cnt);
}

/* A directory's fsync only writes metadata already allocated by the rename
 * before it: a full disk does not fail it (EIO would), so ENOSPC is not
 * injected there. */
static int is_dir(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

int fsync(int fd)
{
    REAL(fsync, fd_fn);
    if (step(0) == 1 && !is_dir(fd)) return errno = ENOSPC, -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync, fd_fn);
    if (step(0) == 1) return errno = ENOSPC, -1;
    return real_fdatasync(fd);
}

int ftruncate(int fd, off_t len)
{
    REAL(ftruncate, trunc_fn);
    step(0);
    return real_ftruncate(fd, len);
}

int rename(const char *a, const char *b)
{
    REAL(rename, rename_fn);
    if (step(0) == 1) return errno = ENOSPC, -1;
    return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b)
{
    REAL(renameat, renameat_fn);
    if (step(0) == 1) return errno = ENOSPC, -1;
    return real_renameat(da, a, db, b);
}

int unlink(const char *p)
{
    REAL(unlink, unlink_fn);
    step(0);
    return real_unlink(p);
}

int unlinkat(int d, const char *p, int flags)
{
    REAL(unlinkat, unlinkat_fn);
    step(0);
    return real_unlinkat(d, p, flags);
}

__attribute__((destructor)) static void report(void)
{
    const char *f = getenv("BZ_FAULT_COUNT");
    if (!f || !*f) return;
    FILE *out = fopen(f, "w");
    if (!out) return;
    fprintf(out, "%ld\n", calls);
    fclose(out);
}

/* Durable file writes (base/durable.h). */
#include "base/durable.h"

#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int bz_durable_fail(bz_error *err, const char *path, int e)
{
    char what[BZ_ERROR_MAX - 64];
    snprintf(what, sizeof what, "'%s'", path);
    return bz_file_write_error(err, e == EDQUOT ? ENOSPC : e, what);
}

int bz_durable_append(int fd, const char *path, const void *buf, size_t len, int sync,
                      bz_error *err)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return bz_durable_fail(err, path, errno);
        }
        if (w == 0) return bz_durable_fail(err, path, ENOSPC);
        p += w;
        len -= (size_t)w;
    }
    if (sync && fdatasync(fd) != 0) return bz_durable_fail(err, path, errno);
    return BZ_OK;
}

int bz_durable_sync_dir(const char *path, bz_error *err)
{
    int status = BZ_OK, fd = -1;
    char *dir = strdup(path);
    if (!dir) BZ_FAIL_OOM(err, NULL, strlen(path) + 1, "a copy of the path '%s'", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        BZ_FAIL(err, BZ_EIO, "cannot open directory '%s': %s", dir, strerror(errno));
    /* Some file systems (and FUSE mounts) refuse fsync on a directory: the
     * rename is then as durable as they can make it. */
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
        BZ_FAIL(err, BZ_EIO, "cannot sync directory '%s': %s", dir, strerror(errno));
cleanup:
    if (fd >= 0) close(fd);
    free(dir);
    return status;
}

int bz_durable_write(const char *path, const char *tmp, const void *buf, size_t len, bz_error *err)
{
    int status = BZ_OK, created = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        if (errno == ENOSPC || errno == EDQUOT) BZ_CHECK(bz_durable_fail(err, path, errno));
        BZ_FAIL(err, BZ_EIO, "cannot write '%s': cannot create '%s': %s", path, tmp,
                strerror(errno));
    }
    created = 1;
    /* Messages name the file the user asked for, not the temporary. */
    BZ_CHECK(bz_durable_append(fd, path, buf, len, 0, err));
    if (fsync(fd) != 0) BZ_CHECK(bz_durable_fail(err, path, errno));
    int closed = close(fd);
    fd = -1;
    if (closed != 0) BZ_CHECK(bz_durable_fail(err, path, errno));
    if (rename(tmp, path) != 0) {
        if (errno == ENOSPC || errno == EDQUOT) BZ_CHECK(bz_durable_fail(err, path, errno));
        BZ_FAIL(err, BZ_EIO, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
    }
    created = 0;
    BZ_CHECK(bz_durable_sync_dir(path, err));
cleanup:
    if (fd >= 0) close(fd);
    if (created) unlink(tmp);
    return status;
}

int bz_durable_remove(const char *path, bz_error *err)
{
    if (unlink(path) != 0) {
        if (errno == ENOENT) return BZ_OK;
        return bz_error_set(err, BZ_EIO, "cannot remove '%s': %s", path, strerror(errno));
    }
    return bz_durable_sync_dir(path, err);
}

#include "base/error.h"

#include <stdio.h>
#include <string.h>

void bz_error_clear(bz_error *err)
{
    if (!err) return;
    err->code = BZ_OK;
    err->msg[0] = '\0';
}

int bz_error_set(bz_error *err, int code, const char *fmt, ...)
{
    if (!err) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

int bz_error_prefix(bz_error *err, const char *fmt, ...)
{
    if (!err) return BZ_EINTERNAL;
    char head[BZ_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    /* Shift the old message right and put the head in front, truncating the
     * tail if the whole would not fit. */
    size_t hl = strlen(head), ol = strlen(err->msg);
    if (hl > BZ_ERROR_MAX - 1) hl = BZ_ERROR_MAX - 1;
    if (hl + ol > BZ_ERROR_MAX - 1) ol = BZ_ERROR_MAX - 1 - hl;
    memmove(err->msg + hl, err->msg, ol);
    memcpy(err->msg, head, hl);
    err->msg[hl + ol] = '\0';
    return err->code;
}

int bz_error_exit_code(int code)
{
    switch (code) {
    case BZ_OK:
        return 0;
    case BZ_EINVAL:
    case BZ_ENOENT:
    case BZ_EEXIST:
    case BZ_ETOOBIG:
        return 2;
    default:
        return 1;
    }
}

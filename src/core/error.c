#include "core/error.h"

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
    char old[BZ_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s%s", head, old);
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
        return 2;
    default:
        return 1;
    }
}

#include "base/error.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void bz_error_clear(bz_error *err)
{
    if (!err) return;
    err->code = BZ_OK;
    err->msg[0] = '\0';
    err->param[0] = '\0';
}

/* Message `head` then the formatted text, param emptied; returns code. */
static int set_v(bz_error *err, int code, const char *head, const char *fmt, va_list ap)
{
    if (!err) return code;
    int used = snprintf(err->msg, sizeof err->msg, "%s", head);
    if (used < 0 || (size_t)used >= sizeof err->msg) used = (int)sizeof err->msg - 1;
    vsnprintf(err->msg + used, sizeof err->msg - (size_t)used, fmt, ap);
    err->param[0] = '\0';
    err->code = code;
    return code;
}

int bz_error_set(bz_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(err, code, "", fmt, ap);
    va_end(ap);
    return code;
}

int bz_error_set_param(bz_error *err, int code, const char *param, const char *fmt, ...)
{
    char head[BZ_ERROR_MAX] = "";
    if (param && param[0]) snprintf(head, sizeof head, "%s: ", param);
    va_list ap;
    va_start(ap, fmt);
    set_v(err, code, head, fmt, ap);
    va_end(ap);
    if (err && param) snprintf(err->param, sizeof err->param, "%s", param);
    return code;
}

size_t bz_error_bytes(size_t n, size_t size)
{
    return size && n > SIZE_MAX / size ? SIZE_MAX : n * size;
}

int bz_error_oom(bz_error *err, const char *who, size_t bytes, const char *fmt, ...)
{
    static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    char what[BZ_ERROR_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *sep = who ? ": " : "";
    if (!who) who = "";
    if (bytes < 1024)
        return bz_error_set(err, BZ_ENOMEM, "%s%sout of memory for %s (%zu bytes)", who, sep, what,
                            bytes);
    double v = (double)bytes / 1024;
    int u = 0;
    while (v >= 1023.95 && u < 5) {
        v /= 1024;
        u++;
    }
    return bz_error_set(err, BZ_ENOMEM, "%s%sout of memory for %s (%.1f %s, %zu bytes)", who, sep,
                        what, v, unit[u], bytes);
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

/* Length of the well-formed UTF-8 sequence of 2 to 4 bytes at s (n bytes
 * left), 0 if there is none. C1 controls (U+0080 to U+009F) count as none:
 * terminals act on them. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;
    if (k == 0 || k > n) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (s[0] == 0xC2 && s[1] < 0xA0) return 0;  /* C1 controls */
    if (s[0] == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
    if (s[0] == 0xED && s[1] >= 0xA0) return 0; /* surrogates */
    if (s[0] == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
    if (s[0] == 0xF4 && s[1] >= 0x90) return 0; /* above U+10FFFF */
    return k;
}

const char *bz_error_quote(const char *text, size_t len, size_t max_chars, char *buf, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t i = 0, o = 0, shown = 0;
    if (!text) len = 0;
    while (i < len && shown < max_chars) {
        char tmp[4];
        size_t k = 1, w;
        const char *out = tmp;
        if (s[i] >= 0x20 && s[i] < 0x7F) {
            tmp[0] = (char)s[i];
            w = 1;
        } else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            tmp[0] = '\\';
            tmp[1] = s[i] == '\n' ? 'n' : s[i] == '\r' ? 'r' : 't';
            w = 2;
        } else if ((k = utf8_len(s + i, len - i)) != 0) {
            out = (const char *)s + i;
            w = k;
        } else {
            k = 1;
            tmp[0] = '\\';
            tmp[1] = 'x';
            tmp[2] = hex[s[i] >> 4];
            tmp[3] = hex[s[i] & 15];
            w = 4;
        }
        if (o + w + 4 > size) break; /* keep room for "..." and the NUL */
        memcpy(buf + o, out, w);
        o += w;
        i += k;
        shown++;
    }
    if (i < len && o + 4 <= size) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

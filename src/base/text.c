/* Text helpers (see text.h). */
#include "base/text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t bz_text_add(char *buf, size_t size, size_t used, const char *sep, const char *fmt, ...)
{
    if (!buf || size == 0) return 0;
    if (used == 0) buf[0] = '\0';
    if (used >= size - 1) return size - 1;
    if (used && sep) {
        int w = snprintf(buf + used, size - used, "%s", sep);
        used = w < 0 || (size_t)w >= size - used ? size - 1 : used + (size_t)w;
    }
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    return w < 0 || (size_t)w >= size - used ? size - 1 : used + (size_t)w;
}

const char *bz_text_join(char *buf, size_t size, const char *const *names, size_t n,
                         const char *last)
{
    size_t count = 0, used = 0;
    while (count < n && names && names[count])
        count++;
    if (size) buf[0] = '\0';
    for (size_t i = 0; i < count; i++)
        used = bz_text_add(buf, size, used, i + 1 == count ? last : ", ", "%s", names[i]);
    return buf;
}

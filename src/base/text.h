/* Text helpers shared by every layer: lists of names for messages ("a, b,
 * c"), built into a fixed buffer that is never overrun. */
#ifndef BZ_TEXT_H
#define BZ_TEXT_H

#include <stddef.h>

/* Append one formatted item to the list in buf[size] whose text so far is
 * `used` characters long (0: the list is empty and buf is reset first),
 * after `sep` when the list is not empty: a loop of
 *   used = bz_text_add(buf, sizeof buf, used, ", ", "%s", names[i]);
 * gives "a, b, c". The text is cut to fit (a cut list stays cut). Returns
 * the new length, at most size - 1. */
size_t bz_text_add(char *buf, size_t size, size_t used, const char *sep, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The n names (NULL-terminated when n is SIZE_MAX) as "a, b or c" (`last`
 * " or ") or "a, b, c" (`last` ", ") into buf[size]; returns buf. */
const char *bz_text_join(char *buf, size_t size, const char *const *names, size_t n,
                         const char *last);

#endif

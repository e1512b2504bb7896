/* Error reporting for every fallible buzzsim function.
 *
 * Contract: a function that can fail returns an int status (BZ_OK on
 * success) and, on failure, fills the caller's bz_error with one line that
 * names the parameter, file or key and the bad value. The message never ends
 * in a newline. Nothing outside src/cli/ prints or exits: the CLI maps the
 * status to the exit code with bz_error_exit_code().
 */
#ifndef BZ_ERROR_H
#define BZ_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum {
    BZ_OK = 0,
    BZ_EINVAL = 1, /* bad input from the user: config, argument, file content */
    BZ_ENOENT = 2, /* a named file or object does not exist */
    BZ_EEXIST = 3, /* output exists and overwriting was not allowed */
    BZ_ENOMEM = 4, /* allocation failed or estimate exceeds memory */
    BZ_EIO = 5,    /* read/write failure of an otherwise valid request */
    BZ_EINTERNAL = 6,
    BZ_ETOOBIG = 7 /* the request would not fit in memory (checked before allocating) */
};

#define BZ_ERROR_MAX 1024

typedef struct bz_error {
    int code;
    char msg[BZ_ERROR_MAX];
} bz_error;

/* Clear an error (code BZ_OK, empty message). Safe on NULL. */
void bz_error_clear(bz_error *err);

/* Format a message into err (err may be NULL) and return code, so callers can
 * write `return bz_error_set(err, BZ_EINVAL, "...", ...);`. */
int bz_error_set(bz_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with more context ("while building layer 'x': ").
 * Returns err->code. */
int bz_error_prefix(bz_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Quote `len` bytes of untrusted text (a config value, a line of a data
 * file) for a one-line message: printable ASCII and well-formed UTF-8 stay
 * as they are; \n, \r and \t are written as those escapes and every other
 * byte (controls, C1 controls, broken UTF-8, binary) as \xNN. At most
 * max_chars characters of the text are shown, then "..." when it was cut.
 * Always NUL-terminates buf (size >= 8). Returns buf. */
const char *bz_error_quote(const char *text, size_t len, size_t max_chars, char *buf, size_t size);

/* Process exit status for a failure code: 2 for bad input / usage / existing
 * output (the user can fix it), 1 for runtime failures. */
int bz_error_exit_code(int code);

/* Shorthand for propagating a status to a function's cleanup label. */
#define BZ_CHECK(expr)                                                                             \
    do {                                                                                           \
        status = (expr);                                                                           \
        if (status != BZ_OK) goto cleanup;                                                         \
    } while (0)

#define BZ_FAIL(err, code, ...)                                                                    \
    do {                                                                                           \
        status = bz_error_set((err), (code), __VA_ARGS__);                                         \
        goto cleanup;                                                                              \
    } while (0)

#endif

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
#define BZ_ERROR_PARAM_MAX 64 /* = BZ_NAME_MAX of base/params.h */

/* `param` names the parameter (a key of the map being checked: "at",
 * "mean_degree") whose value failed, or is empty when the failure is not
 * about one parameter. Only bz_error_set_param() sets it, and then the
 * message begins with "PARAM: " (a later bz_error_prefix() may put context
 * in front). The config layer uses it to place the message at that key's
 * line:col. Every other setter (bz_error_set, bz_error_oom, bz_error_clear)
 * empties it; bz_error_prefix leaves it. */
typedef struct bz_error {
    int code;
    char msg[BZ_ERROR_MAX];
    char param[BZ_ERROR_PARAM_MAX];
} bz_error;

/* Clear an error (code BZ_OK, empty message, empty param). Safe on NULL. */
void bz_error_clear(bz_error *err);

/* Format a message into err (err may be NULL) and return code, so callers can
 * write `return bz_error_set(err, BZ_EINVAL, "...", ...);`. Empties param. */
int bz_error_set(bz_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* bz_error_set for a failure of parameter `param`: the message is
 * "PARAM: " followed by the formatted text, and err->param is PARAM (cut to
 * BZ_ERROR_PARAM_MAX - 1 bytes). A NULL or empty param is bz_error_set. */
int bz_error_set_param(bz_error *err, int code, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An allocation of `bytes` failed: BZ_ENOMEM with "WHO: out of memory for
 * WHAT (N bytes)", or "(1.2 MiB, N bytes)" from 1 KiB up, where WHAT is the
 * formatted fmt ("4000 edge ids", "the series of 3 arms") and "WHO: " is
 * left out when who is NULL. Returns BZ_ENOMEM. */
int bz_error_oom(bz_error *err, const char *who, size_t bytes, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Bytes of n elements of `size` bytes for a message, SIZE_MAX when the
 * product does not fit. */
size_t bz_error_bytes(size_t n, size_t size);

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

/* BZ_FAIL with bz_error_oom(err, who, bytes, fmt, ...). */
#define BZ_FAIL_OOM(err, who, bytes, ...)                                                          \
    do {                                                                                           \
        status = bz_error_oom((err), (who), (bytes), __VA_ARGS__);                                 \
        goto cleanup;                                                                              \
    } while (0)

#endif

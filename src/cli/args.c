#include "cli/args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int bz_arg_value(int argc, char **argv, int *i, const char *name, const char *short_name,
                 const char **value)
{
    const char *a = argv[*i];
    size_t len = strlen(name);
    if (strncmp(a, name, len) == 0 && a[len] == '=') {
        *value = a + len + 1;
        return 1;
    }
    if (strcmp(a, name) == 0 || (short_name && strcmp(a, short_name) == 0)) {
        if (*i + 1 >= argc) return -1;
        *value = argv[++*i];
        return 1;
    }
    return 0;
}

int bz_arg_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!text || !*text || *text == '-' || *text == '+') return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

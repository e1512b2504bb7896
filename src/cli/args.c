#include "cli/args.h"

#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* If argv[*i] is `--name VALUE` or `--name=VALUE` (or `-x VALUE` when
 * short_name is given), store VALUE in *value, advance *i past it and
 * return 1; -1 if its value is missing, 0 for another argument. */
static int arg_value(int argc, char **argv, int *i, const char *name, const char *short_name,
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

int bz_arg_max_threads(void)
{
    int procs = omp_get_num_procs();
    return 8 * (procs > 0 ? procs : 1);
}

void bz_arg_cap_threads(int argc, char **argv)
{
    static char capped[2][32]; /* the rewritten values: argv points at them */
    const int cap = bz_arg_max_threads();
    if (omp_get_max_threads() > cap) {
        fprintf(stderr, "buzzsim: OMP_NUM_THREADS %d is more than 8 per processor: using %d\n",
                omp_get_max_threads(), cap);
        omp_set_num_threads(cap);
    }
    for (int i = 1, k = 0; i < argc && k < 2; i++) {
        const char *v = NULL;
        int r = arg_value(argc, argv, &i, "--threads", "-t", &v);
        uint64_t t;
        if (r <= 0 || bz_arg_u64(v, 1, 4096, &t) != 0 || t <= (uint64_t)cap) continue;
        fprintf(stderr, "buzzsim: --threads %s is more than 8 per processor: using %d\n", v, cap);
        if (argv[i] == v) {
            snprintf(capped[k], sizeof capped[k], "%d", cap);
            argv[i] = capped[k++];
        } else {
            snprintf(capped[k], sizeof capped[k], "--threads=%d", cap);
            argv[i] = capped[k++];
        }
    }
}

/* Optimize journals (format and contracts in optimize/journal.h). */
#include "optimize/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/durable.h"

#define MAGIC "# buzzsim optimize journal 2 "

struct bz_opt_journal {
    char *path;
    int fd;
    char *line; /* one record's text */
    size_t cap;
};

void bz_opt_evals_free(bz_opt_eval *evals, size_t n)
{
    for (size_t i = 0; evals && i < n; i++)
        bz_opt_eval_destroy(&evals[i]);
    free(evals);
}

static size_t series_len(const bz_opt_plan *pl)
{
    return pl->calibrate ? pl->n_obs : 0;
}

static void header_of(const bz_opt_plan *pl, char *buf, size_t size)
{
    snprintf(buf, size, MAGIC "%016" PRIx64 " %zu %zu %zu %zu\n", pl->id, pl->n_vars, pl->n_cons,
             series_len(pl), pl->n_campaigns);
}

/* Append "\t%.17g" to the line (grown as needed); 0 when out of memory. */
static int put(bz_opt_journal *j, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int put(bz_opt_journal *j, size_t *used, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(j->line + *used, j->cap - *used, fmt, ap);
        va_end(ap);
        if (n < 0) return 0;
        if ((size_t)n < j->cap - *used) {
            *used += (size_t)n;
            return 1;
        }
        size_t cap = 2 * j->cap + (size_t)n;
        char *l = realloc(j->line, cap);
        if (!l) return 0;
        j->line = l;
        j->cap = cap;
    }
}

int bz_opt_journal_append(bz_opt_journal *j, const bz_opt_plan *pl, const bz_opt_eval *e,
                          bz_error *err)
{
    size_t used = 17; /* the checksum and its tab go first */
    int ok = put(j, &used, "%d\t%d\t%u\t%.17g\t%.17g", e->phase, e->feasible, (unsigned)e->R,
                 e->objective, e->spend_max);
    for (size_t c = 0; ok && c < pl->n_cons; c++)
        ok = put(j, &used, "\t%.17g", e->cons[c]);
    for (size_t k = 0; ok && k < pl->n_campaigns; k++)
        ok = put(j, &used, "\t%.17g\t%.17g", e->camp_max[k], e->camp_mean[k]);
    for (size_t i = 0; ok && i < pl->n_vars; i++)
        ok = put(j, &used, "\t%.17g\t%.17g", e->u[i], e->value[i]);
    for (size_t o = 0; ok && o < series_len(pl); o++)
        ok = put(j, &used, "\t%.17g", e->series ? e->series[o] : 0);
    for (size_t i = 0; ok && i < pl->n_vars; i++)
        ok = put(j, &used, "\t%s", e->text[i]);
    ok = ok && put(j, &used, "\n");
    if (!ok) return bz_error_oom(err, NULL, j->cap * 2, "a journal record");
    char sum[18];
    snprintf(sum, sizeof sum, "%016" PRIx64 "\t",
             bz_opt_hash(0, j->line + 17, used - 18)); /* not the newline */
    memcpy(j->line, sum, 17);
    return bz_durable_append(j->fd, j->path, j->line, used, 1, err);
}

/* Parse one record (without its newline) into e; 0 if it is not one. */
static int parse_record(const bz_opt_plan *pl, char *line, bz_opt_eval *e)
{
    char *end;
    if (strlen(line) < 17 || line[16] != '\t') return 0;
    uint64_t sum = strtoull(line, &end, 16);
    if (end != line + 16 || sum != bz_opt_hash(0, line + 17, SIZE_MAX)) return 0;
    memset(e, 0, sizeof *e);
    char *p = line + 17;
    const size_t S = series_len(pl);
    e->phase = (int)strtol(p, &p, 10);
    e->feasible = (int)strtol(p, &p, 10);
    e->R = (uint32_t)strtoul(p, &p, 10);
    e->objective = strtod(p, &p);
    e->spend_max = strtod(p, &p);
    for (size_t c = 0; c < pl->n_cons; c++)
        e->cons[c] = strtod(p, &p);
    for (size_t k = 0; k < pl->n_campaigns; k++) {
        e->camp_max[k] = strtod(p, &p);
        e->camp_mean[k] = strtod(p, &p);
    }
    for (size_t i = 0; i < pl->n_vars; i++) {
        e->u[i] = strtod(p, &p);
        e->value[i] = strtod(p, &p);
    }
    if (S && !(e->series = malloc(S * sizeof *e->series))) return 0;
    for (size_t o = 0; o < S; o++)
        e->series[o] = strtod(p, &p);
    for (size_t i = 0; i < pl->n_vars; i++) {
        if (*p != '\t') return 0;
        p++;
        size_t n = strcspn(p, "\t");
        if (n >= BZ_OPT_VALUE_MAX) return 0;
        memcpy(e->text[i], p, n);
        e->text[i][n] = '\0';
        p += n;
    }
    return *p == '\0';
}

/* Read the records of an existing journal; *good is the length of its
 * valid part (the rest is cut by the caller). */
static int read_journal(const char *path, const bz_opt_plan *pl, bz_opt_eval **evals, size_t *n,
                        long *good, bz_error *err)
{
    int status = BZ_OK;
    char header[256], *line = NULL;
    size_t cap = 0, got = 0;
    FILE *f = fopen(path, "rb");
    if (!f) BZ_FAIL(err, BZ_EINVAL, "cannot read '%s': %s", path, strerror(errno));
    header_of(pl, header, sizeof header);
    ssize_t len = getline(&line, &cap, f);
    if (len < 0 || strncmp(line, MAGIC, sizeof MAGIC - 1) != 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: not an optimize journal", path);
    if (strcmp(line, header) != 0)
        BZ_FAIL(err, BZ_EINVAL,
                "%s: the journal of another plan, or of this plan before it or its base changed "
                "(use --force to start again)",
                path);
    *good = (long)len;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') break; /* torn */
        line[len - 1] = '\0';
        if (got % 64 == 0) {
            bz_opt_eval *ev = realloc(*evals, (got + 64) * sizeof *ev);
            if (!ev) BZ_FAIL_OOM(err, NULL, (got + 64) * sizeof *ev, "the journal's plans");
            *evals = ev;
        }
        if (!parse_record(pl, line, &(*evals)[got])) {
            bz_opt_eval_destroy(&(*evals)[got]);
            break;
        }
        got++;
        *good += (long)len;
    }
cleanup:
    *n = got;
    free(line);
    if (f) fclose(f);
    return status;
}

static int create(const char *path, const bz_opt_plan *pl, bz_error *err)
{
    char header[256], tmp[4200];
    header_of(pl, header, sizeof header);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    return bz_durable_write(path, tmp, header, strlen(header), err);
}

int bz_opt_journal_open(bz_opt_journal **out, const char *path, const bz_opt_plan *pl, int resume,
                        int force, bz_opt_eval **evals, size_t *n, bz_error *err)
{
    int status = BZ_OK;
    struct stat st;
    long good = 0;
    bz_opt_journal *j = calloc(1, sizeof *j);
    *out = NULL;
    *evals = NULL;
    *n = 0;
    if (!j) BZ_FAIL_OOM(err, NULL, sizeof *j, "a journal");
    j->fd = -1;
    if (!(j->path = strdup(path))) BZ_FAIL_OOM(err, NULL, strlen(path) + 1, "a journal's name");
    if (!(j->line = malloc(4096))) BZ_FAIL_OOM(err, NULL, 4096, "a journal record");
    j->cap = 4096;
    int exists = stat(path, &st) == 0;
    if (exists && !S_ISREG(st.st_mode))
        BZ_FAIL(err, BZ_EINVAL, "%s: not a regular file, expected an optimize journal", path);
    if (exists && !resume && !force)
        BZ_FAIL(err, BZ_EEXIST,
                "%s: the journal of an interrupted search: --resume goes on with it, --force "
                "starts again",
                path);
    if (exists && resume) {
        BZ_CHECK(read_journal(path, pl, evals, n, &good, err));
    } else {
        BZ_CHECK(create(path, pl, err));
        good = -1;
    }
    if ((j->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
        BZ_FAIL(err, BZ_EIO, "cannot open '%s' for writing: %s", path, strerror(errno));
    /* Cut a torn or corrupt tail so the next record starts on a line. */
    if (good >= 0 && fstat(j->fd, &st) == 0 && st.st_size != good &&
        (ftruncate(j->fd, good) != 0 || fsync(j->fd) != 0))
        BZ_CHECK(bz_durable_fail(err, path, errno));
    *out = j;
    j = NULL;
cleanup:
    if (status != BZ_OK) {
        bz_opt_evals_free(*evals, *n);
        *evals = NULL;
        *n = 0;
    }
    if (j) bz_opt_journal_close(j, 0, NULL);
    return status;
}

int bz_opt_journal_close(bz_opt_journal *j, int remove, bz_error *err)
{
    int status = BZ_OK;
    if (!j) return BZ_OK;
    if (j->fd >= 0) close(j->fd);
    if (remove) status = bz_durable_remove(j->path, err);
    free(j->path);
    free(j->line);
    free(j);
    return status;
}

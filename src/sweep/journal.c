/* Sweep journals (sweep/journal.h). */
#include "sweep/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/durable.h"
#include "sweep/sweep.h"

#define HEADER_BYTES 96
#define RECORD_MAGIC 0x31544e50u /* "PNT1" little-endian */
static const char header_magic[8] = {'B', 'Z', 'S', 'W', 'J', 'N', 'L', '1'};

struct bz_sweep_journal {
    int fd;
    char *path;
    double *buf; /* one record: 3 u64 words + payload + checksum */
    size_t payload;
};

static size_t payload_of(const bz_sweep_data *d)
{
    return (size_t)d->R * d->n_out + (d->series ? d->n_arms * d->T : 0);
}

static void put32(unsigned char *b, size_t off, uint32_t v)
{
    memcpy(b + off, &v, 4);
}

static void put64(unsigned char *b, size_t off, uint64_t v)
{
    memcpy(b + off, &v, 8);
}

static void header_of(const bz_sweep_data *d, unsigned char *h)
{
    memset(h, 0, HEADER_BYTES);
    memcpy(h, header_magic, 8);
    put32(h, 8, 1);
    put32(h, 12, HEADER_BYTES);
    memcpy(h + 16, d->id, strnlen(d->id, 23));
    put64(h, 40, d->P);
    put64(h, 48, d->n_out);
    put64(h, 56, d->n_arms);
    put32(h, 64, d->R);
    put32(h, 68, d->series ? d->T : 0);
    put32(h, 72, d->shard);
    put32(h, 76, d->n_shards);
    put64(h, HEADER_BYTES - 8, bz_sweep_hash(BZ_SWEEP_HASH_INIT, h, HEADER_BYTES - 8));
}

/* Check a header read from the file against d's. */
static int check_header(const char *path, const unsigned char *h, size_t got,
                        const bz_sweep_data *d, bz_error *err)
{
    unsigned char want[HEADER_BYTES];
    header_of(d, want);
    uint64_t sum;
    memcpy(&sum, h + HEADER_BYTES - 8, 8);
    if (got < HEADER_BYTES || memcmp(h, header_magic, 8) != 0 ||
        sum != bz_sweep_hash(BZ_SWEEP_HASH_INIT, h, HEADER_BYTES - 8))
        return bz_error_set(err, BZ_EINVAL,
                            "%s: not a buzzsim sweep journal (remove it, or use --force to start "
                            "the sweep over)",
                            path);
    if (memcmp(h + 16, want + 16, 24) != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: journal of another sweep (id %.16s, this sweep is %s): not "
                            "resuming; use --force to start over",
                            path, (const char *)h + 16, d->id);
    if (memcmp(h, want, HEADER_BYTES) != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: journal of this sweep but another shard or shape: not resuming",
                            path);
    return BZ_OK;
}

/* Take one record into d (checksum already verified). */
static int apply(const char *path, const double *rec, bz_sweep_data *d, bz_error *err)
{
    uint64_t point;
    memcpy(&point, rec + 1, 8);
    const double *v = rec + 3;
    const size_t no = (size_t)d->R * d->n_out, ns = d->series ? d->n_arms * d->T : 0;
    double *o = d->outcomes + point * no, *s = ns ? d->series + point * ns : NULL;
    if (d->done[point]) {
        if (memcmp(o, v, no * sizeof *v) != 0 || (s && memcmp(s, v + no, ns * sizeof *v) != 0))
            return bz_error_set(err, BZ_EINVAL,
                                "%s: point %llu differs from the one stored in the sweep file: "
                                "not resuming",
                                path, (unsigned long long)point);
        return BZ_OK;
    }
    memcpy(o, v, no * sizeof *v);
    if (s) memcpy(s, v + no, ns * sizeof *v);
    d->done[point] = 1;
    return BZ_OK;
}

/* Replay the open file f into d; *end is the offset after the last valid
 * record. */
static int replay(FILE *f, const char *path, bz_sweep_data *d, size_t *replayed, uint8_t *seen,
                  long *end, bz_error *err)
{
    int status = BZ_OK;
    unsigned char h[HEADER_BYTES];
    const size_t payload = payload_of(d), words = payload + 4;
    double *rec = malloc(words * sizeof *rec);
    size_t n = 0;
    if (!rec) BZ_FAIL_OOM(err, NULL, words * sizeof *rec, "a journal record");
    size_t got = fread(h, 1, HEADER_BYTES, f);
    BZ_CHECK(check_header(path, h, got, d, err));
    *end = HEADER_BYTES;
    for (;;) {
        if (fread(rec, sizeof *rec, words, f) != words) break; /* end, or a torn record */
        uint32_t magic;
        uint64_t point, count, sum;
        memcpy(&magic, rec, 4);
        memcpy(&point, rec + 1, 8);
        memcpy(&count, rec + 2, 8);
        memcpy(&sum, rec + words - 1, 8);
        if (magic != RECORD_MAGIC || count != payload || point >= d->P ||
            sum != bz_sweep_hash(BZ_SWEEP_HASH_INIT, rec + 1, (words - 2) * sizeof *rec))
            break; /* corrupt: nothing from here on is trusted */
        BZ_CHECK(apply(path, rec, d, err));
        if (seen) seen[point] = 1;
        n++;
        *end += (long)(words * sizeof *rec);
    }
    if (ferror(f)) BZ_FAIL(err, BZ_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (replayed) *replayed = n;
cleanup:
    free(rec);
    return status;
}

int bz_sweep_journal_read(const char *path, bz_sweep_data *d, size_t *replayed, uint8_t *seen,
                          bz_error *err)
{
    long end;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return bz_error_set(err, BZ_ENOENT, "%s: no journal", path);
        return bz_error_set(err, BZ_EINVAL, "cannot read '%s': %s", path, strerror(errno));
    }
    int status = replay(f, path, d, replayed, seen, &end, err);
    fclose(f);
    return status;
}

/* Write a new journal holding only the header (tmp, sync, rename). */
static int create(const char *path, const bz_sweep_data *d, bz_error *err)
{
    int status = BZ_OK;
    unsigned char h[HEADER_BYTES];
    size_t len = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(len);
    if (!tmp) BZ_FAIL_OOM(err, NULL, len, "the path '%s.tmp'", path);
    snprintf(tmp, len, "%s.tmp", path);
    header_of(d, h);
    BZ_CHECK(bz_durable_write(path, tmp, h, HEADER_BYTES, err));
cleanup:
    free(tmp);
    return status;
}

int bz_sweep_journal_open(bz_sweep_journal **out, const char *path, bz_sweep_data *d,
                          size_t *replayed, uint8_t *seen, bz_error *err)
{
    int status = BZ_OK;
    FILE *f = NULL;
    bz_sweep_journal *j = calloc(1, sizeof *j);
    *out = NULL;
    if (replayed) *replayed = 0;
    if (!j) BZ_FAIL_OOM(err, NULL, sizeof *j, "a journal");
    j->fd = -1;
    j->payload = payload_of(d);
    if (!(j->path = strdup(path)) || !(j->buf = malloc((j->payload + 4) * sizeof *j->buf)))
        BZ_FAIL_OOM(err, NULL, j->path ? (j->payload + 4) * sizeof *j->buf : strlen(path) + 1,
                    "a journal record");
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) BZ_FAIL(err, BZ_EINVAL, "cannot read '%s': %s", path, strerror(errno));
        BZ_CHECK(create(path, d, err));
    } else if (!S_ISREG(st.st_mode)) {
        BZ_FAIL(err, BZ_EINVAL, "%s: not a regular file, expected a sweep journal", path);
    }
    long end = HEADER_BYTES;
    if (!(f = fopen(path, "rb")))
        BZ_FAIL(err, BZ_EINVAL, "cannot read '%s': %s", path, strerror(errno));
    BZ_CHECK(replay(f, path, d, replayed, seen, &end, err));
    fclose(f);
    f = NULL;
    if ((j->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0)
        BZ_FAIL(err, BZ_EIO, "cannot open '%s' for writing: %s", path, strerror(errno));
    /* Cut a torn last record so the next one starts on a record boundary. */
    if (fstat(j->fd, &st) != 0) BZ_FAIL(err, BZ_EIO, "cannot stat '%s': %s", path, strerror(errno));
    if (st.st_size != end && (ftruncate(j->fd, end) != 0 || fsync(j->fd) != 0))
        BZ_CHECK(bz_durable_fail(err, path, errno));
    *out = j;
    j = NULL;
cleanup:
    if (f) fclose(f);
    bz_sweep_journal_free(j);
    return status;
}

int bz_sweep_journal_append(bz_sweep_journal *j, const bz_sweep_data *d, size_t p, bz_error *err)
{
    if (p >= d->P || !d->done[p] || payload_of(d) != j->payload)
        return bz_error_set(err, BZ_EINTERNAL, "journal: point %zu is not a done point", p);
    const size_t no = (size_t)d->R * d->n_out, ns = j->payload - no, words = j->payload + 4;
    double *rec = j->buf;
    uint32_t head[2] = {RECORD_MAGIC, 0};
    uint64_t point = p, count = j->payload;
    memcpy(rec, head, 8);
    memcpy(rec + 1, &point, 8);
    memcpy(rec + 2, &count, 8);
    memcpy(rec + 3, d->outcomes + p * no, no * sizeof *rec);
    if (ns) memcpy(rec + 3 + no, d->series + p * ns, ns * sizeof *rec);
    uint64_t sum = bz_sweep_hash(BZ_SWEEP_HASH_INIT, rec + 1, (words - 2) * sizeof *rec);
    memcpy(rec + words - 1, &sum, 8);
    return bz_durable_append(j->fd, j->path, rec, words * sizeof *rec, 1, err);
}

void bz_sweep_journal_free(bz_sweep_journal *j)
{
    if (!j) return;
    if (j->fd >= 0) close(j->fd);
    free(j->path);
    free(j->buf);
    free(j);
}

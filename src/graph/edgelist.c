/* Edge-list text files (see edgelist.h). */
#include "graph/edgelist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ID_MAX ((uint64_t)INT64_MAX) /* ids up to 2^63 - 1 */
#define MAX_AGENTS (UINT32_MAX - 1u)

/* ---- id -> first-appearance index map ------------------------------------
 * Open addressing with linear probing. The table holds index + 1 (0 = empty)
 * and the keys live once in `keys`, so a slot is 4 bytes: at load <= 1/2 the
 * map costs 8 bytes of table + 8 of keys per distinct id. */
typedef struct idmap {
    uint32_t *slot;
    uint64_t mask;
    uint64_t *keys; /* [count] ids in order of first appearance */
    uint64_t count, keys_cap;
} idmap;

static uint64_t mix64(uint64_t x) /* splitmix64 finaliser */
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static int idmap_grow(idmap *m)
{
    uint64_t cap = m->mask ? (m->mask + 1) * 2 : 1024;
    if (cap > SIZE_MAX / sizeof(uint32_t)) return BZ_ENOMEM;
    uint32_t *slot = calloc((size_t)cap, sizeof *slot);
    if (!slot) return BZ_ENOMEM;
    for (uint64_t i = 0; i < m->count; i++) {
        uint64_t h = mix64(m->keys[i]) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = (uint32_t)(i + 1);
    }
    free(m->slot);
    m->slot = slot;
    m->mask = cap - 1;
    return BZ_OK;
}

/* Index of `key`, inserting it if new. BZ_ENOMEM or BZ_EINVAL (too many). */
static int idmap_get(idmap *m, uint64_t key, uint32_t *index)
{
    uint64_t h = mix64(key) & m->mask;
    for (;;) {
        uint32_t s = m->slot[h];
        if (!s) break;
        if (m->keys[s - 1] == key) {
            *index = s - 1;
            return BZ_OK;
        }
        h = (h + 1) & m->mask;
    }
    if (m->count >= MAX_AGENTS) return BZ_EINVAL;
    if (m->count == m->keys_cap) {
        uint64_t cap = m->keys_cap ? m->keys_cap * 2 : 1024;
        uint64_t *k = realloc(m->keys, (size_t)cap * sizeof *k);
        if (!k) return BZ_ENOMEM;
        m->keys = k;
        m->keys_cap = cap;
    }
    m->keys[m->count] = key;
    m->slot[h] = (uint32_t)(m->count + 1);
    *index = (uint32_t)m->count++;
    if (m->count * 2 > m->mask + 1) return idmap_grow(m);
    return BZ_OK;
}

/* ---- Scanning --------------------------------------------------------- */
static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Parse a decimal id at *p (< end). 0 ok, 1 no digits, 2 out of range. */
static int scan_id(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int over = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        unsigned d = (unsigned)(*s - '0');
        if (v > (ID_MAX - d) / 10)
            over = 1;
        else
            v = v * 10 + d;
        s++;
    }
    if (s == *p) return 1;
    *p = s;
    *out = v;
    return over ? 2 : 0;
}

/* Skip a number like -1.5e3 (a weight column). Returns 0 if one was found. */
static int scan_number(const char **p, const char *end)
{
    const char *s = *p;
    int digits = 0;
    if (s < end && (*s == '+' || *s == '-')) s++;
    while (s < end && *s >= '0' && *s <= '9')
        s++, digits++;
    if (s < end && *s == '.') {
        s++;
        while (s < end && *s >= '0' && *s <= '9')
            s++, digits++;
    }
    if (!digits) return 1;
    if (s < end && (*s == 'e' || *s == 'E')) {
        const char *e = s + 1;
        if (e < end && (*e == '+' || *e == '-')) e++;
        if (e < end && *e >= '0' && *e <= '9') {
            while (e < end && *e >= '0' && *e <= '9')
                e++;
            s = e;
        }
    }
    *p = s;
    return 0;
}

/* Skip blanks, then at most one comma and the blanks after it. Returns 1 if
 * a separator was there (or the field ends the line), 0 otherwise. */
static int skip_separator(const char **p, const char *end, char comment)
{
    const char *s = *p;
    while (s < end && is_blank(*s))
        s++;
    if (s < end && *s == ',') {
        s++;
        while (s < end && is_blank(*s))
            s++;
    }
    int ok = s != *p || s == end || *s == comment;
    *p = s;
    return ok;
}

static int line_error(bz_error *err, const char *name, uint64_t line, const char *what,
                      const char *s, const char *e)
{
    while (e > s && is_blank(e[-1]))
        e--;
    size_t len = (size_t)(e - s);
    int cut = len > 60;
    return bz_error_set(err, BZ_EINVAL, "%s:%llu: %s, got '%.*s%s'", name, (unsigned long long)line,
                        what, (int)(cut ? 60 : len), s, cut ? "..." : "");
}

/* Sort (key, value) pairs by key: LSD radix, 8-bit digits, skipping digits
 * every key shares. O(n) per digit; needs a scratch copy. */
typedef struct kv {
    uint64_t key;
    uint64_t val;
} kv;

static int sort_kv(kv *a, size_t n)
{
    uint64_t all_or = 0, all_and = ~(uint64_t)0;
    for (size_t i = 0; i < n; i++)
        all_or |= a[i].key, all_and &= a[i].key;
    kv *tmp = malloc(n ? n * sizeof *tmp : 1);
    if (!tmp) return BZ_ENOMEM;
    kv *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        if ((((all_or ^ all_and) >> shift) & 0xFFu) == 0) continue; /* shared digit */
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((src[i].key >> shift) & 0xFFu) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i].key >> shift) & 0xFFu]++] = src[i];
        kv *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(tmp);
    return BZ_OK;
}

void bz_edgelist_destroy(bz_edgelist *el)
{
    if (!el) return;
    free(el->pairs);
    free(el->ids);
    memset(el, 0, sizeof *el);
}

int bz_edgelist_parse(bz_edgelist *el, const char *buf, size_t len, const char *name, char comment,
                      bz_error *err)
{
    int status = BZ_OK;
    idmap map = {0};
    kv *order = NULL;
    uint32_t *rank = NULL;
    uint64_t pairs_cap = 0;
    memset(el, 0, sizeof *el);
    if (!name) name = "(edge list)";
    if (idmap_grow(&map) != BZ_OK) goto nomem;

    const char *p = buf, *end = buf + len;
    uint64_t line = 0;
    while (p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        const char *s = p, *start = p;
        p = e < end ? e + 1 : end;
        line++;
        while (s < e && is_blank(*s))
            s++;
        if (s == e || *s == comment) continue;

        uint64_t id[2];
        for (int k = 0; k < 2; k++) {
            int r = scan_id(&s, e, &id[k]);
            if (r == 2)
                BZ_FAIL(err, BZ_EINVAL, "%s:%llu: node id out of range (0 to %llu) in '%.*s'", name,
                        (unsigned long long)line, (unsigned long long)ID_MAX,
                        (int)(e - start > 60 ? 60 : e - start), start);
            if (r == 1 || !skip_separator(&s, e, comment)) {
                status = line_error(err, name, line, "expected two integer node ids", start, e);
                goto cleanup;
            }
            if (k == 0 && (s == e || *s == comment)) {
                status = line_error(err, name, line, "expected two integer node ids", start, e);
                goto cleanup;
            }
        }
        if (s < e && *s != comment) { /* optional numeric weight */
            if (scan_number(&s, e) != 0 || !skip_separator(&s, e, comment) ||
                (s < e && *s != comment)) {
                status = line_error(err, name, line,
                                    "expected two integer node ids and an optional numeric weight",
                                    start, e);
                goto cleanup;
            }
        }

        if (el->n_edges == pairs_cap) {
            uint64_t cap = pairs_cap ? pairs_cap * 2 : 4096;
            uint32_t *np = realloc(el->pairs, (size_t)cap * 2 * sizeof *np);
            if (!np) goto nomem;
            el->pairs = np;
            pairs_cap = cap;
        }
        for (int k = 0; k < 2; k++) {
            int r = idmap_get(&map, id[k], &el->pairs[2 * el->n_edges + (uint64_t)k]);
            if (r == BZ_ENOMEM) goto nomem;
            if (r != BZ_OK)
                BZ_FAIL(err, BZ_EINVAL, "%s:%llu: more than %u distinct node ids", name,
                        (unsigned long long)line, (unsigned)MAX_AGENTS);
        }
        el->n_edges++;
    }
    el->lines = line;
    if (el->n_edges == 0 && line == 0)
        BZ_FAIL(err, BZ_EINVAL, "%s:1: no edges found (empty file)", name);
    if (el->n_edges == 0)
        BZ_FAIL(err, BZ_EINVAL, "%s:%llu: no edges found (only comments and blank lines)", name,
                (unsigned long long)line);

    /* Agents in ascending id order: rank[first-appearance index] = agent. */
    size_t n = (size_t)map.count;
    order = malloc(n * sizeof *order);
    rank = malloc(n * sizeof *rank);
    el->ids = malloc(n * sizeof *el->ids);
    if (!order || !rank || !el->ids) goto nomem;
    for (size_t i = 0; i < n; i++)
        order[i] = (kv){map.keys[i], i};
    if (sort_kv(order, n) != BZ_OK) goto nomem;
    for (size_t i = 0; i < n; i++) {
        el->ids[i] = order[i].key;
        rank[order[i].val] = (uint32_t)i;
    }
    for (uint64_t i = 0; i < 2 * el->n_edges; i++)
        el->pairs[i] = rank[el->pairs[i]];
    el->n = (uint32_t)n;
    uint32_t *shrunk = realloc(el->pairs, (size_t)el->n_edges * 2 * sizeof *shrunk);
    if (shrunk) el->pairs = shrunk;
    goto cleanup;

nomem:
    status = bz_error_set(err, BZ_ENOMEM, "%s: out of memory while reading the edge list", name);
cleanup:
    free(map.slot);
    free(map.keys);
    free(order);
    free(rank);
    if (status != BZ_OK) bz_edgelist_destroy(el);
    return status;
}

int bz_edgelist_read(bz_edgelist *el, const char *path, char comment, bz_error *err)
{
    int status = BZ_OK;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    memset(el, 0, sizeof *el);
    FILE *f = fopen(path, "rb");
    if (!f)
        return bz_error_set(err, errno == ENOENT ? BZ_ENOENT : BZ_EIO, "cannot open '%s': %s", path,
                            strerror(errno));
    struct stat st;
    cap = 1 << 16;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        cap = (size_t)st.st_size + 1; /* +1: seeing EOF takes one more read */
    buf = malloc(cap);
    if (!buf) BZ_FAIL(err, BZ_ENOMEM, "cannot read '%s': out of memory (%zu bytes)", path, cap);
    for (;;) {
        if (len == cap) {
            char *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
            if (!nb)
                BZ_FAIL(err, BZ_ENOMEM, "cannot read '%s': out of memory (%zu bytes)", path,
                        cap * 2);
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) BZ_FAIL(err, BZ_EIO, "cannot read '%s': %s", path, strerror(errno));
            break;
        }
    }
    status = bz_edgelist_parse(el, buf, len, path, comment, err);

cleanup:
    fclose(f);
    free(buf);
    return status;
}

/* ---- Writing ------------------------------------------------------------ */
static char *put_u32(char *p, uint32_t v)
{
    char tmp[10];
    int k = 0;
    do
        tmp[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (k)
        *p++ = tmp[--k];
    return p;
}

int bz_edgelist_write(const bz_layer *l, const char *path, bz_error *err)
{
    int status = BZ_OK;
    char *tmp_path = NULL, *buf = NULL;
    FILE *f = NULL;
    if (l->complete)
        return bz_error_set(err, BZ_EINVAL,
                            "layer '%s' is an implicit complete graph (%s): no edge list to save",
                            l->name, l->generator);
    size_t plen = strlen(path);
    tmp_path = malloc(plen + sizeof ".partial");
    enum { BUF = 1 << 20 };
    buf = malloc(BUF);
    if (!tmp_path || !buf) BZ_FAIL(err, BZ_ENOMEM, "cannot write '%s': out of memory", path);
    memcpy(tmp_path, path, plen);
    memcpy(tmp_path + plen, ".partial", sizeof ".partial");
    f = fopen(tmp_path, "wb");
    if (!f) BZ_FAIL(err, BZ_EIO, "cannot open '%s': %s", tmp_path, strerror(errno));

    int w = fprintf(f,
                    "# buzzsim edge list\n# layer: %s  generator: %s  directed: %s  agents: %u  "
                    "edges: %llu\n",
                    l->name, l->generator, l->directed ? "yes" : "no", l->n,
                    (unsigned long long)bz_layer_edges(l));
    if (w < 0) goto ioerr;
    char *p = buf;
    for (uint32_t u = 0; u < l->n; u++) {
        for (uint64_t i = l->offsets[u]; i < l->offsets[u + 1]; i++) {
            uint32_t v = l->targets[i];
            if (!l->directed && v < u) continue;
            if (p - buf > BUF - 32) {
                if (fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf)) goto ioerr;
                p = buf;
            }
            p = put_u32(p, u);
            *p++ = ' ';
            p = put_u32(p, v);
            *p++ = '\n';
        }
    }
    if (p > buf && fwrite(buf, 1, (size_t)(p - buf), f) != (size_t)(p - buf)) goto ioerr;
    FILE *fc = f;
    f = NULL;
    if (fclose(fc) != 0) goto ioerr;
    if (rename(tmp_path, path) != 0)
        BZ_FAIL(err, BZ_EIO, "cannot rename '%s' to '%s': %s", tmp_path, path, strerror(errno));
    goto cleanup;

ioerr:
    status = bz_error_set(err, BZ_EIO, "cannot write '%s': %s", tmp_path, strerror(errno));
cleanup:
    if (f) fclose(f);
    if (status != BZ_OK && tmp_path) remove(tmp_path);
    free(tmp_path);
    free(buf);
    return status;
}

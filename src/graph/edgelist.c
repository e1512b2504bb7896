/* Edge-list text files (see edgelist.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include "graph/edgelist.h"

#include <errno.h>
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <libdeflate.h>
#include <zlib.h>

#include "base/file.h"

#define ID_MAX ((uint64_t)INT64_MAX) /* ids up to 2^63 - 1 */
#define MAX_AGENTS (UINT32_MAX - 1u)

/* ---- id -> first-appearance index map ------------------------------------
 * Used only for sparse ids (see remap_sparse). Open addressing with linear
 * probing; a slot holds the key and index + 1 (0 = empty), so a lookup costs
 * one cache miss. At load <= 1/2: 32 bytes of table + 8 of keys per id. */
typedef struct idslot {
    uint64_t key;
    uint64_t index1;
} idslot;

typedef struct idmap {
    idslot *slot;
    uint64_t mask;
    uint64_t *keys; /* [count] ids in order of first appearance */
    uint64_t count, keys_cap;
    size_t want; /* bytes of the allocation that failed */
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
    m->want = bz_error_bytes((size_t)cap, sizeof(idslot));
    if (cap > SIZE_MAX / sizeof(idslot)) return BZ_ENOMEM;
    idslot *slot = calloc((size_t)cap, sizeof *slot);
    if (!slot) return BZ_ENOMEM;
    for (uint64_t i = 0; i < m->count; i++) {
        uint64_t h = mix64(m->keys[i]) & (cap - 1);
        while (slot[h].index1)
            h = (h + 1) & (cap - 1);
        slot[h] = (idslot){m->keys[i], i + 1};
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
        const idslot *sl = &m->slot[h];
        if (!sl->index1) break;
        if (sl->key == key) {
            *index = (uint32_t)(sl->index1 - 1);
            return BZ_OK;
        }
        h = (h + 1) & m->mask;
    }
    if (m->count >= MAX_AGENTS) return BZ_EINVAL;
    if (m->count == m->keys_cap) {
        uint64_t cap = m->keys_cap ? m->keys_cap * 2 : 1024;
        uint64_t *k = realloc(m->keys, (size_t)cap * sizeof *k);
        m->want = (size_t)cap * sizeof *k;
        if (!k) return BZ_ENOMEM;
        m->keys = k;
        m->keys_cap = cap;
    }
    m->keys[m->count] = key;
    m->slot[h] = (idslot){key, m->count + 1};
    *index = (uint32_t)m->count++;
    if (m->count * 2 > m->mask + 1) return idmap_grow(m);
    return BZ_OK;
}

/* ---- Scanning --------------------------------------------------------- */
static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Skip a number like -1.5e3 (a weight column). Returns 0 if one was found. */
static int scan_number(const char **p, const char *end)
{
    const char *s = *p;
    int digits = 0;
    if (s < end && (*s == '+' || *s == '-')) s++;
    while (s < end && is_digit(*s))
        s++, digits++;
    if (s < end && *s == '.') {
        s++;
        while (s < end && is_digit(*s))
            s++, digits++;
    }
    if (!digits) return 1;
    if (s < end && (*s == 'e' || *s == 'E')) {
        const char *e = s + 1;
        if (e < end && (*e == '+' || *e == '-')) e++;
        if (e < end && is_digit(*e)) {
            while (e < end && is_digit(*e))
                e++;
            s = e;
        }
    }
    *p = s;
    return 0;
}

/* Does the field that starts at s end there (blank, comma, line end, comment)? */
static int field_ends(const char *s, const char *end, char comment)
{
    return s == end || *s == '\n' || *s == ',' || *s == comment || is_blank(*s);
}

/* Skip blanks, then at most one comma and the blanks after it. */
static const char *skip_separator(const char *s, const char *end)
{
    while (s < end && is_blank(*s))
        s++;
    if (s < end && *s == ',') {
        s++;
        while (s < end && is_blank(*s))
            s++;
    }
    return s;
}

static int line_end(const char *s, const char *end, char comment)
{
    return s == end || *s == '\n' || *s == comment;
}

/* "NAME:LINE: WHAT, got 'LINE TEXT'": the text cut at LINE_SHOWN characters,
 * binary bytes and control characters escaped (\xNN), so a binary file gives
 * one short readable line. */
#define LINE_SHOWN 40
static int line_error(bz_error *err, const char *name, uint64_t line, const char *what,
                      const char *start, const char *end)
{
    char shown[4 * LINE_SHOWN + 8];
    const char *e = memchr(start, '\n', (size_t)(end - start));
    if (!e) e = end;
    while (e > start && is_blank(e[-1]))
        e--;
    return bz_error_set(
        err, BZ_EINVAL, "%s:%llu: %s, got '%s'", name, (unsigned long long)line, what,
        bz_error_quote(start, (size_t)(e - start), LINE_SHOWN, shown, sizeof shown));
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

/* Parse one data line starting at s (first non-blank character, not a line
 * end or comment): the two ids into id[], *weighted set if a third column
 * was there. Returns the position just after the line (past its '\n'), or
 * NULL with err filled. */
static const char *parse_line(const char *s, const char *end, const char *start, const char *name,
                              uint64_t line, char comment, unsigned flags, uint64_t id[2],
                              int *weighted, bz_error *err)
{
    for (int k = 0; k < 2; k++) {
        if (s == end || !is_digit(*s)) {
            if (k == 1 && line_end(s, end, comment)) {
                line_error(err, name, line, "only one column (expected two integer node ids)",
                           start, end);
                return NULL;
            }
            line_error(err, name, line, "expected two integer node ids (non-negative integers)",
                       start, end);
            return NULL;
        }
        uint64_t v = 0;
        int over = 0;
        while (s < end && is_digit(*s)) {
            unsigned d = (unsigned)(*s - '0');
            if (v > (ID_MAX - d) / 10)
                over = 1;
            else
                v = v * 10 + d;
            s++;
        }
        if (!field_ends(s, end, comment)) {
            line_error(err, name, line, "expected two integer node ids (non-negative integers)",
                       start, end);
            return NULL;
        }
        if (over) {
            line_error(err, name, line, "node id out of range (0 to 9223372036854775807)", start,
                       end);
            return NULL;
        }
        id[k] = v;
        s = skip_separator(s, end);
        if (k == 0 && line_end(s, end, comment)) {
            line_error(err, name, line, "only one column (expected two integer node ids)", start,
                       end);
            return NULL;
        }
    }
    *weighted = 0;
    if (!line_end(s, end, comment)) { /* a third column: the weight */
        if (flags & BZ_EDGELIST_REJECT_WEIGHTS) {
            line_error(err, name, line,
                       "a third column (weight) is not allowed with weights: error", start, end);
            return NULL;
        }
        if (scan_number(&s, end) != 0 || !field_ends(s, end, comment)) {
            line_error(err, name, line, "the third column (weight) is not a number", start, end);
            return NULL;
        }
        *weighted = 1;
        s = skip_separator(s, end);
        if (!line_end(s, end, comment)) {
            line_error(err, name, line,
                       "too many columns (expected two integer node ids and an optional weight)",
                       start, end);
            return NULL;
        }
    }
    if (s < end && *s == comment) {
        s = memchr(s, '\n', (size_t)(end - s));
        if (!s) s = end;
    }
    return s < end ? s + 1 : end;
}

/* One chunk of the text, parsed on its own (pass 1). */
typedef struct chunk {
    const char *begin, *end;
    uint64_t *raw; /* [2 m] ids as written, owned */
    uint64_t m, lines, weighted, max_id;
    size_t want; /* bytes of the allocation that failed (BZ_ENOMEM) */
    int status;
} chunk;

/* Parse the lines of ch (line numbers counted from line0 + 1). On a bad
 * line: BZ_EINVAL with err filled; BZ_ENOMEM without a message. */
static int parse_chunk(chunk *ch, const char *name, uint64_t line0, char comment, unsigned flags,
                       bz_error *err)
{
    const char *p = ch->begin, *end = ch->end;
    /* A first guess of the edge count (about 12 bytes a line) saves most of
     * the doubling copies on big files. */
    uint64_t cap = (uint64_t)(end - p) / 12 + 16, line = line0, m = 0;
    ch->want = (size_t)cap * 2 * sizeof *ch->raw;
    ch->raw = malloc(ch->want);
    if (!ch->raw) return BZ_ENOMEM;
    while (p < end) {
        const char *start = p, *s = p;
        line++;
        while (s < end && is_blank(*s))
            s++;
        if (line_end(s, end, comment)) { /* blank or comment line */
            if (s < end && *s != '\n') s = memchr(s, '\n', (size_t)(end - s));
            p = s && s < end ? s + 1 : end;
            continue;
        }
        if (m == cap) {
            uint64_t *nr =
                cap <= SIZE_MAX / 32 ? realloc(ch->raw, (size_t)cap * 4 * sizeof *nr) : NULL;
            ch->want = bz_error_bytes((size_t)cap * 4, sizeof *nr);
            if (!nr) return BZ_ENOMEM;
            ch->raw = nr;
            cap *= 2;
        }
        int weighted;
        uint64_t *id = &ch->raw[2 * m];
        p = parse_line(s, end, start, name, line, comment, flags, id, &weighted, err);
        if (!p) return BZ_EINVAL;
        if (id[0] > ch->max_id) ch->max_id = id[0];
        if (id[1] > ch->max_id) ch->max_id = id[1];
        ch->weighted += (uint64_t)weighted;
        m++;
    }
    ch->m = m;
    ch->lines = line - line0;
    return BZ_OK;
}

/* Dense ids (max id small against the edge count): a direct table
 * rank[id] gives agents in ascending id order with no hashing and no sort.
 * O(m + max_id); the final lookups run in parallel. On BZ_ENOMEM, *want is
 * the bytes that could not be had. */
static int remap_dense(bz_edgelist *el, const chunk *ch, int n_ch, uint64_t max_id, size_t *want)
{
    uint32_t *rank = calloc((size_t)max_id + 1, sizeof *rank);
    *want = ((size_t)max_id + 1) * sizeof *rank;
    if (!rank) return BZ_ENOMEM;
    for (int c = 0; c < n_ch; c++) { /* every thread writes the same 1: no order matters */
        const uint64_t *raw = ch[c].raw;
        const int64_t m2 = (int64_t)(2 * ch[c].m);
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < m2; i++) {
#pragma omp atomic write
            rank[raw[i]] = 1;
        }
    }
    uint64_t n = 0;
    for (uint64_t id = 0; id <= max_id; id++)
        n += rank[id];
    el->ids = malloc((size_t)n * sizeof *el->ids);
    *want = (size_t)n * sizeof *el->ids;
    if (!el->ids) {
        free(rank);
        return BZ_ENOMEM;
    }
    uint32_t next = 0;
    for (uint64_t id = 0; id <= max_id; id++)
        if (rank[id]) {
            el->ids[next] = id;
            rank[id] = next++;
        }
    uint64_t off = 0;
    for (int c = 0; c < n_ch; c++) {
        const uint64_t *raw = ch[c].raw;
        uint32_t *out = el->pairs + off;
        const int64_t m2 = (int64_t)(2 * ch[c].m);
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < m2; i++)
            out[i] = rank[raw[i]];
        off += 2 * ch[c].m;
    }
    el->n = (uint32_t)n;
    free(rank);
    return BZ_OK;
}

/* Sparse ids: hash map to first-appearance indices, then a radix sort of the
 * distinct ids turns them into ascending-id agents. BZ_EINVAL when there are
 * more than MAX_AGENTS distinct ids. O(m + n). *want as for remap_dense. */
static int remap_sparse(bz_edgelist *el, const chunk *ch, int n_ch, size_t *want)
{
    int status = BZ_OK;
    idmap map = {0};
    kv *order = NULL;
    uint32_t *rank = NULL;
    uint64_t m2 = 2 * el->n_edges, off = 0;
    if (idmap_grow(&map) != BZ_OK) {
        *want = map.want;
        return BZ_ENOMEM;
    }
    for (int c = 0; c < n_ch; c++)
        for (uint64_t i = 0; i < 2 * ch[c].m; i++) {
            status = idmap_get(&map, ch[c].raw[i], &el->pairs[off++]);
            *want = map.want;
            if (status != BZ_OK) goto cleanup;
        }
    size_t n = (size_t)map.count;
    *want = n * (sizeof *order + sizeof *rank + sizeof *el->ids);
    order = malloc(n * sizeof *order);
    rank = malloc(n * sizeof *rank);
    el->ids = malloc(n * sizeof *el->ids);
    if (!order || !rank || !el->ids) {
        status = BZ_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (kv){map.keys[i], i};
    *want = n ? n * sizeof *order : 1;
    if ((status = sort_kv(order, n)) != BZ_OK) goto cleanup;
    for (size_t i = 0; i < n; i++) {
        el->ids[i] = order[i].key;
        rank[order[i].val] = (uint32_t)i;
    }
    for (uint64_t i = 0; i < m2; i++)
        el->pairs[i] = rank[el->pairs[i]];
    el->n = (uint32_t)n;
cleanup:
    free(map.slot);
    free(map.keys);
    free(order);
    free(rank);
    return status;
}

#define MAX_CHUNKS 64
#define CHUNK_MIN_BYTES (4u << 20) /* smaller texts are parsed by one thread */

int bz_edgelist_parse(bz_edgelist *el, const char *buf, size_t len, const char *name, char comment,
                      unsigned flags, bz_error *err)
{
    int status = BZ_OK;
    chunk ch[MAX_CHUNKS];
    memset(ch, 0, sizeof ch);
    memset(el, 0, sizeof *el);
    if (!name) name = "(edge list)";

    /* Pass 1 in parallel: chunks cut after a '\n', one per thread. */
    int n_ch = omp_get_max_threads();
    if (n_ch > MAX_CHUNKS) n_ch = MAX_CHUNKS;
    if ((size_t)n_ch > len / CHUNK_MIN_BYTES) n_ch = (int)(len / CHUNK_MIN_BYTES);
    if (n_ch < 1) n_ch = 1;
    const char *at = buf, *end = buf + len;
    for (int c = 0; c < n_ch; c++) {
        const char *cut = c == n_ch - 1 ? end : buf + len / (size_t)n_ch * (size_t)(c + 1);
        if (cut < at) cut = at;
        if (cut < end) {
            const char *nl = memchr(cut, '\n', (size_t)(end - cut));
            cut = nl ? nl + 1 : end;
        }
        ch[c].begin = at;
        ch[c].end = cut;
        at = cut;
    }
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_ch)
    for (int c = 0; c < n_ch; c++) {
        bz_error local; /* messages are rebuilt below with global line numbers */
        ch[c].status = parse_chunk(&ch[c], name, 0, comment, flags, &local);
    }
    uint64_t line = 0, m = 0;
    size_t want = 0; /* bytes of the allocation that failed */
    for (int c = 0; c < n_ch; c++) {
        want = ch[c].want;
        if (ch[c].status == BZ_ENOMEM) goto nomem;
        if (ch[c].status != BZ_OK) { /* earlier chunks are complete: re-run for the message */
            free(ch[c].raw);
            memset(&ch[c].raw, 0, sizeof ch[c] - offsetof(chunk, raw));
            status = parse_chunk(&ch[c], name, line, comment, flags, err);
            want = ch[c].want;
            if (status == BZ_ENOMEM) goto nomem;
            goto cleanup;
        }
        line += ch[c].lines;
        m += ch[c].m;
        el->weighted += ch[c].weighted;
    }
    el->lines = line;
    el->n_edges = m;
    if (m == 0 && line == 0) BZ_FAIL(err, BZ_EINVAL, "%s:1: no edges found (empty file)", name);
    if (m == 0)
        BZ_FAIL(err, BZ_EINVAL, "%s:%llu: no edges found (only comments and blank lines)", name,
                (unsigned long long)line);

    /* Pass 2: ids -> agents 0..n-1 in ascending id order. */
    uint64_t max_id = 0;
    for (int c = 0; c < n_ch; c++)
        if (ch[c].max_id > max_id) max_id = ch[c].max_id;
    el->pairs = malloc((size_t)m * 2 * sizeof *el->pairs);
    want = (size_t)m * 2 * sizeof *el->pairs;
    if (!el->pairs) goto nomem;
    if (max_id < MAX_AGENTS && max_id / 4 <= m + (1u << 22))
        status = remap_dense(el, ch, n_ch, max_id, &want); /* rank <= 16 B an edge + 64 MiB */
    else
        status = remap_sparse(el, ch, n_ch, &want);
    if (status == BZ_ENOMEM) goto nomem;
    if (status != BZ_OK)
        BZ_FAIL(err, BZ_EINVAL, "%s: more than %u distinct node ids", name, (unsigned)MAX_AGENTS);
    goto cleanup;

nomem:
    status = bz_error_oom(err, name, want, "the edge list");
cleanup:
    for (int c = 0; c < n_ch; c++)
        free(ch[c].raw);
    if (status != BZ_OK) bz_edgelist_destroy(el);
    return status;
}

/* Inflate gzip data (one or more members) with zlib into a new malloc'ed
 * buffer *out: the fallback of gunzip() below. BZ_EINVAL for truncated or
 * corrupt data, BZ_ENOMEM. */
static int too_big(const char *path, uint64_t max_bytes, bz_error *err)
{
    return bz_error_set(err, BZ_EINVAL,
                        "%s: more than %llu bytes decompressed (limit: the edge_list key "
                        "max_bytes, %llu)",
                        path, (unsigned long long)max_bytes, (unsigned long long)max_bytes);
}

static int gunzip_zlib(const char *path, const unsigned char *in, size_t in_len, size_t max_len,
                       char **out, size_t *out_len, bz_error *err)
{
    int status = BZ_OK;
    z_stream z;
    memset(&z, 0, sizeof z);
    size_t cap = in_len < SIZE_MAX / 8 ? in_len * 4 + 4096 : in_len, len = 0;
    if (cap > max_len + 1) cap = max_len + 1;
    char *buf = malloc(cap);
    if (!buf) BZ_FAIL_OOM(err, NULL, cap, "reading '%s'", path);
    if (inflateInit2(&z, 15 + 16) != Z_OK) /* 15 + 16: gzip wrapper only */
        BZ_FAIL(err, BZ_ENOMEM, "cannot read '%s': zlib initialisation failed", path);
    size_t pos = 0;
    int done = 0;
    while (!done) {
        if (len == cap) {
            if (cap > max_len) {
                inflateEnd(&z);
                BZ_CHECK(too_big(path, max_len, err));
            }
            size_t ncap = cap <= max_len / 2 ? cap * 2 : max_len + 1;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                inflateEnd(&z);
                BZ_FAIL_OOM(err, NULL, ncap, "reading '%s'", path);
            }
            buf = nb;
            cap = ncap;
        }
        /* zlib counts in uInt: feed at most 1 GiB at a time. */
        size_t in_chunk = in_len - pos < (1u << 30) ? in_len - pos : (1u << 30);
        size_t out_chunk = cap - len < (1u << 30) ? cap - len : (1u << 30);
        z.next_in = (unsigned char *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)in_chunk;
        z.next_out = (unsigned char *)buf + len;
        z.avail_out = (uInt)out_chunk;
        int r = inflate(&z, Z_NO_FLUSH);
        pos += in_chunk - z.avail_in;
        len += out_chunk - z.avail_out;
        if (r == Z_STREAM_END) {
            /* Another member may follow (concatenated gzip files). */
            if (pos < in_len && in[pos] == 0x1f) {
                inflateReset(&z);
                continue;
            }
            done = 1;
        } else if (r == Z_BUF_ERROR && z.avail_out > 0 && pos == in_len) {
            break; /* input ended inside the stream: truncated */
        } else if (r != Z_OK && r != Z_BUF_ERROR) {
            break;
        }
    }
    inflateEnd(&z);
    if (!done) BZ_FAIL(err, BZ_EINVAL, "%s: truncated or corrupt gzip data", path);
    if (len > max_len) BZ_CHECK(too_big(path, max_len, err));
    *out = buf;
    *out_len = len;
    buf = NULL;
cleanup:
    free(buf);
    return status;
}

/* Inflate gzip data (one or more members) into *out, *out_len bytes: with
 * libdeflate (about 2.5 times zlib's speed here: the inflate is the one
 * serial step of loading a compressed file) into a reservation of address
 * space as large as any DEFLATE stream can expand (1032 : 1), whose pages
 * become memory only as they are written; *out_map is its size, for munmap.
 * Where the reservation is refused (vm.overcommit_memory = 2), zlib into a
 * growing malloc'ed buffer (*out_map = 0). BZ_EINVAL for truncated or
 * corrupt data, BZ_ENOMEM. */
static int gunzip(const char *path, const unsigned char *in, size_t in_len, size_t max_len,
                  char **out, size_t *out_len, size_t *out_map, bz_error *err)
{
    int status = BZ_OK;
    *out_map = 0;
    size_t cap = in_len < ((size_t)1 << 40) / 1032 ? in_len * 1032 + 4096 : (size_t)1 << 40;
    if (cap > max_len + 1) cap = max_len + 1; /* one byte more than allowed: then it is refused */
    char *buf =
        mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    struct libdeflate_decompressor *d = NULL;
    if (buf == MAP_FAILED) return gunzip_zlib(path, in, in_len, max_len, out, out_len, err);
    d = libdeflate_alloc_decompressor();
    if (!d) /* its size is libdeflate's own */
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for a libdeflate decompressor reading '%s'", path);
    size_t pos = 0, len = 0;
    for (;;) { /* one member at a time: concatenated gzip files are one file */
        size_t used_in = 0, used_out = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            d, in + pos, in_len - pos, buf + len, cap - len, &used_in, &used_out);
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE && cap > max_len)
            BZ_CHECK(too_big(path, max_len, err));
        if (r != LIBDEFLATE_SUCCESS)
            BZ_FAIL(err, BZ_EINVAL, "%s: truncated or corrupt gzip data", path);
        pos += used_in;
        len += used_out;
        if (len > max_len) BZ_CHECK(too_big(path, max_len, err));
        if (pos >= in_len || in[pos] != 0x1f) break;
    }
    *out = buf;
    *out_len = len;
    *out_map = cap;
    buf = NULL;
cleanup:
    libdeflate_free_decompressor(d);
    if (buf) munmap(buf, cap);
    return status;
}

/* A regular file's bytes, mapped read-only: no copy, and the page cache's
 * pages are mapped a few dozen at a time instead of fresh memory being
 * faulted in and filled (about twice the cost on this kind of machine).
 * NULL when the file cannot be mapped (a pipe, an empty file): the caller
 * reads it instead. */
static const char *map_file(FILE *f, size_t *len)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > SIZE_MAX)
        return NULL;
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fileno(f), 0);
    if (m == MAP_FAILED) return NULL;
    (void)posix_madvise(m, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
    *len = (size_t)st.st_size;
    return m;
}

int bz_edgelist_read(bz_edgelist *el, const char *path, char comment, unsigned flags,
                     uint64_t max_bytes, bz_error *err)
{
    int status = BZ_OK;
    char *buf = NULL, *text = NULL;
    const char *data = NULL, *mapped = NULL;
    size_t len = 0, cap = 0, map_len = 0, text_map = 0;
    uint64_t size = 0;
    FILE *f = NULL;
    memset(el, 0, sizeof *el);
    if (max_bytes == 0) max_bytes = BZ_EDGELIST_MAX_BYTES;
    if (max_bytes > SIZE_MAX / 2) max_bytes = SIZE_MAX / 2;
    const size_t max_len = (size_t)max_bytes;
    BZ_CHECK(bz_file_open_input(path, &f, &size, err)); /* a regular file, or refused */
    if (size > max_len)
        BZ_FAIL(err, BZ_EINVAL,
                "%s: %llu bytes, more than the limit of %llu (the edge_list key max_bytes)", path,
                (unsigned long long)size, (unsigned long long)max_len);
    mapped = map_file(f, &map_len);
    if (mapped) {
        data = mapped;
        len = map_len;
    } else { /* empty, or not mappable: read, at most max_len + 1 bytes */
        cap = 1 << 16;
        buf = malloc(cap);
        if (!buf) BZ_FAIL_OOM(err, NULL, cap, "reading '%s'", path);
        for (;;) {
            if (len == cap) {
                if (cap > max_len)
                    BZ_FAIL(err, BZ_EINVAL,
                            "%s: more than %llu bytes (limit: the edge_list key max_bytes)", path,
                            (unsigned long long)max_len);
                size_t ncap = cap <= max_len / 2 ? cap * 2 : max_len + 1;
                char *nb = realloc(buf, ncap);
                if (!nb) BZ_FAIL_OOM(err, NULL, ncap, "reading '%s'", path);
                buf = nb;
                cap = ncap;
            }
            size_t got = fread(buf + len, 1, cap - len, f);
            len += got;
            if (got == 0) {
                if (ferror(f)) BZ_FAIL(err, BZ_EIO, "cannot read '%s': %s", path, strerror(errno));
                break;
            }
        }
        if (len > max_len)
            BZ_FAIL(err, BZ_EINVAL, "%s: more than %llu bytes (limit: the edge_list key max_bytes)",
                    path, (unsigned long long)max_len);
        data = buf;
    }
    if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b) {
        size_t tlen = 0;
        BZ_CHECK(
            gunzip(path, (const unsigned char *)data, len, max_len, &text, &tlen, &text_map, err));
        data = text;
        len = tlen;
    }
    status = bz_edgelist_parse(el, data, len, path, comment, flags, err);

cleanup:
    if (mapped) munmap((void *)(uintptr_t)mapped, map_len);
    if (f) fclose(f);
    free(buf);
    if (text_map)
        munmap(text, text_map);
    else
        free(text);
    return status;
}

/* ---- Writing ------------------------------------------------------------ */

/* An output file: a regular file (existing or new) is written as
 * PATH.partial and renamed to PATH when complete, so readers never see half
 * of it; an existing device or FIFO (/dev/stdout, /dev/null) is written
 * directly. Every failure names PATH and the OS reason ("no space left on
 * device writing 'PATH'") and removes the partial file. */
typedef struct out_file {
    FILE *f;
    char *tmp; /* PATH.partial, NULL when writing PATH directly */
    const char *path;
} out_file;

static int out_open(out_file *o, const char *path, bz_error *err)
{
    struct stat st;
    memset(o, 0, sizeof *o);
    o->path = path;
    int direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
    if (direct && S_ISDIR(st.st_mode))
        return bz_error_set(err, BZ_EINVAL, "%s: is a directory, expected a file name", path);
    if (!direct) {
        size_t plen = strlen(path);
        if (!(o->tmp = malloc(plen + sizeof ".partial")))
            return bz_error_oom(err, NULL, plen + sizeof ".partial", "writing '%s'", path);
        memcpy(o->tmp, path, plen);
        memcpy(o->tmp + plen, ".partial", sizeof ".partial");
    }
    if (!(o->f = fopen(direct ? path : o->tmp, "wb")))
        return bz_error_set(err, BZ_EIO, "cannot open '%s': %s", direct ? path : o->tmp,
                            strerror(errno));
    return BZ_OK;
}

/* The error of a failed write or close of o, from errno. */
static int out_error(const out_file *o, bz_error *err)
{
    int e = errno;
    char what[4200];
    snprintf(what, sizeof what, "'%s'", o->path);
    return bz_file_write_error(err, e, what);
}

/* Close o: when status is BZ_OK, flush and check it, then rename the partial
 * file; otherwise (or if that fails) remove the partial file. Returns the
 * final status. */
static int out_close(out_file *o, int status, bz_error *err)
{
    if (o->f) {
        if (status == BZ_OK && (fflush(o->f) != 0 || ferror(o->f))) status = out_error(o, err);
        if (fclose(o->f) != 0 && status == BZ_OK) status = out_error(o, err);
        o->f = NULL;
    }
    if (status == BZ_OK && o->tmp && rename(o->tmp, o->path) != 0)
        status = bz_error_set(err, BZ_EIO, "cannot rename '%s' to '%s': %s", o->tmp, o->path,
                              strerror(errno));
    if (status != BZ_OK && o->tmp) remove(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return status;
}

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
    char *buf = NULL;
    out_file o = {NULL, NULL, path};
    if (l->complete)
        return bz_error_set(err, BZ_EINVAL,
                            "layer '%s' is an implicit complete graph (%s): no edge list to save",
                            l->name, l->generator);
    enum { BUF = 1 << 20 };
    if (!(buf = malloc(BUF))) BZ_FAIL_OOM(err, NULL, BUF, "writing '%s'", path);
    BZ_CHECK(out_open(&o, path, err));
    int w = fprintf(o.f,
                    "# buzzsim edge list\n# layer: %s  generator: %s  directed: %s  agents: %u  "
                    "edges: %llu\n",
                    l->name, l->generator, l->directed ? "yes" : "no", l->n,
                    (unsigned long long)bz_layer_edges(l));
    if (w < 0) BZ_CHECK(out_error(&o, err));
    char *p = buf;
    for (uint32_t u = 0; u < l->n; u++) {
        for (uint64_t i = l->offsets[u]; i < l->offsets[u + 1]; i++) {
            uint32_t v = l->targets[i];
            if (!l->directed && v < u) continue;
            if (p - buf > BUF - 32) {
                if (fwrite(buf, 1, (size_t)(p - buf), o.f) != (size_t)(p - buf))
                    BZ_CHECK(out_error(&o, err));
                p = buf;
            }
            p = put_u32(p, u);
            *p++ = ' ';
            p = put_u32(p, v);
            *p++ = '\n';
        }
    }
    if (p > buf && fwrite(buf, 1, (size_t)(p - buf), o.f) != (size_t)(p - buf))
        BZ_CHECK(out_error(&o, err));
cleanup:
    status = out_close(&o, status, err);
    free(buf);
    return status;
}

int bz_edgelist_write_mapping(const bz_edgelist *el, const char *path, bz_error *err)
{
    int status = BZ_OK;
    out_file o = {NULL, NULL, path};
    BZ_CHECK(out_open(&o, path, err));
    if (fputs("# agent original_id\n", o.f) < 0) BZ_CHECK(out_error(&o, err));
    for (uint32_t i = 0; i < el->n; i++)
        if (fprintf(o.f, "%u %llu\n", i, (unsigned long long)el->ids[i]) < 0)
            BZ_CHECK(out_error(&o, err));
cleanup:
    return out_close(&o, status, err);
}

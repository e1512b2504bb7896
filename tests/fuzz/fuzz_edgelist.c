/* libFuzzer harness: the edge-list parser (graph/edgelist.h), in memory, from
 * a plain file and from a gzip file of the same text.
 *
 * Input: byte 0 holds the options, the rest is edge-list text T.
 *   bit 0      BZ_EDGELIST_REJECT_WEIGHTS
 *   bits 1-2   the comment character: '#', '%', ';' or '/'
 *   bit 3      gzip T as two concatenated members, cut at byte (byte 0 >> 4)
 *              * len / 16 of T, instead of one
 *
 * Oracles (abort() on violation):
 *   - no crash, leak or sanitizer report;
 *   - failures fill err (fuzz_common.h); a success has n >= 1, n_edges >= 1,
 *     agent indices below n and ids strictly ascending (the remapping
 *     contract of edgelist.h);
 *   - the three readings agree exactly, success or failure (status, message,
 *     n, n_edges, lines, weighted, pairs, ids):
 *       1. bz_edgelist_parse(T) in memory,
 *       2. bz_edgelist_read of a plain file holding T (skipped when T itself
 *          starts with the gzip magic 1f 8b, which read() then inflates),
 *       3. bz_edgelist_read of a gzip file of T (zlib, made here).
 * Both files get the same path, which is also the name given to parse, so
 * even the messages must be equal.
 *
 * Not reachable from here: the multi-threaded pass 1 (texts of at least
 * 4 MiB per thread, far beyond -max_len) and the zlib fallback of gunzip
 * (used only where the address-space reservation is refused).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz_common.h"
#include "graph/edgelist.h"

static char path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bz_fuzz_init();
    snprintf(path, sizeof path, "%s", bz_fuzz_path("edges.txt"));
    return 0;
}

/* Append one gzip member of in[0, len) to out (grown as needed). */
static void gzip_member(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        bz_fuzz_fail("deflateInit2 failed");
    size_t bound = deflateBound(&z, (uLong)len) + 64;
    uint8_t *buf = realloc(*out, *out_len + bound);
    if (!buf) bz_fuzz_fail("out of memory");
    *out = buf;
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = buf + *out_len;
    z.avail_out = (uInt)bound;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) bz_fuzz_fail("deflate failed");
    *out_len += bound - z.avail_out;
    deflateEnd(&z);
}

typedef struct reading {
    int status;
    bz_error err;
    bz_edgelist el;
} reading;

static void check_one(const reading *r, const char *how)
{
    bz_fuzz_check_status(r->status, &r->err, how);
    if (r->status != BZ_OK) return;
    const bz_edgelist *el = &r->el;
    if (el->n == 0 || el->n_edges == 0 || !el->pairs || !el->ids)
        bz_fuzz_fail("%s: accepted an edge list with n = %u, %llu edges", how, (unsigned)el->n,
                     (unsigned long long)el->n_edges);
    for (uint64_t i = 0; i < 2 * el->n_edges; i++)
        if (el->pairs[i] >= el->n)
            bz_fuzz_fail("%s: agent %u of pair %llu is not below n = %u", how,
                         (unsigned)el->pairs[i], (unsigned long long)i / 2, (unsigned)el->n);
    for (uint32_t i = 1; i < el->n; i++)
        if (el->ids[i - 1] >= el->ids[i])
            bz_fuzz_fail("%s: ids not strictly ascending at agent %u", how, (unsigned)i);
    if (el->weighted > el->n_edges) bz_fuzz_fail("%s: more weighted lines than edges", how);
}

static void compare(const reading *a, const reading *b, const char *how)
{
    if (a->status != b->status)
        bz_fuzz_fail("%s: status %d, in memory %d ('%s' vs '%s')", how, b->status, a->status,
                     b->err.msg, a->err.msg);
    if (a->status != BZ_OK) {
        if (strcmp(a->err.msg, b->err.msg) != 0)
            bz_fuzz_fail("%s: message '%s', in memory '%s'", how, b->err.msg, a->err.msg);
        return;
    }
    const bz_edgelist *x = &a->el, *y = &b->el;
    if (x->n != y->n || x->n_edges != y->n_edges || x->lines != y->lines ||
        x->weighted != y->weighted)
        bz_fuzz_fail("%s: n %u edges %llu lines %llu weighted %llu, in memory %u %llu %llu %llu",
                     how, (unsigned)y->n, (unsigned long long)y->n_edges,
                     (unsigned long long)y->lines, (unsigned long long)y->weighted, (unsigned)x->n,
                     (unsigned long long)x->n_edges, (unsigned long long)x->lines,
                     (unsigned long long)x->weighted);
    if (memcmp(x->pairs, y->pairs, 2 * x->n_edges * sizeof *x->pairs) != 0 ||
        memcmp(x->ids, y->ids, x->n * sizeof *x->ids) != 0)
        bz_fuzz_fail("%s: different pairs or ids than in memory", how);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return -1;
    static const char comments[4] = {'#', '%', ';', '/'};
    const unsigned opt = data[0];
    const unsigned flags = opt & 1u ? BZ_EDGELIST_REJECT_WEIGHTS : 0u;
    const char comment = comments[(opt >> 1) & 3u];
    const uint8_t *text = data + 1;
    const size_t len = size - 1;

    reading mem, plain, gz;
    memset(&mem, 0, sizeof mem);
    memset(&plain, 0, sizeof plain);
    memset(&gz, 0, sizeof gz);

    mem.status =
        bz_edgelist_parse(&mem.el, (const char *)text, len, path, comment, flags, &mem.err);
    check_one(&mem, "bz_edgelist_parse");

    if (!(len >= 2 && text[0] == 0x1f && text[1] == 0x8b)) {
        bz_fuzz_write_file(path, text, len);
        plain.status = bz_edgelist_read(&plain.el, path, comment, flags, 0, &plain.err);
        check_one(&plain, "bz_edgelist_read (plain file)");
        compare(&mem, &plain, "plain file");
        bz_edgelist_destroy(&plain.el);
    }

    uint8_t *z = NULL;
    size_t zlen = 0;
    if (opt & 8u) {
        size_t cut = len / 16 * (opt >> 4);
        gzip_member(text, cut, &z, &zlen);
        gzip_member(text + cut, len - cut, &z, &zlen);
    } else {
        gzip_member(text, len, &z, &zlen);
    }
    bz_fuzz_write_file(path, z, zlen);
    free(z);
    gz.status = bz_edgelist_read(&gz.el, path, comment, flags, 0, &gz.err);
    check_one(&gz, "bz_edgelist_read (gzip file)");
    compare(&mem, &gz, "gzip file");

    bz_edgelist_destroy(&gz.el);
    bz_edgelist_destroy(&mem.el);
    return 0;
}

/* libFuzzer harness: bz_edgelist_read (graph/edgelist.h) on raw file bytes,
 * mostly damaged gzip files: the seeds are gzip files, so the mutations hit
 * the gzip header, the DEFLATE stream, the trailer and member boundaries.
 *
 * Input: the bytes of the file, written to SCRATCH/edges.gz and read with
 * the default options ('#' comments, weights ignored).
 *
 * Oracles (abort() on violation):
 *   - no crash, leak or sanitizer report;
 *   - failures fill err (fuzz_common.h);
 *   - when read() accepts a gzip file that zlib (in this harness, with the
 *     same member rule: another member follows when the next byte is 1f)
 *     also inflates, parsing zlib's text in memory gives the same edge list.
 *     Files that only one of the two inflaters accepts are not findings
 *     (libdeflate and zlib differ on some damaged headers), so the status
 *     is not compared.
 * Output size is bounded by DEFLATE's 1032:1 limit on -max_len bytes; the
 * read is capped at MAX_TEXT bytes of text (the edge_list key max_bytes),
 * below what 16 KiB can inflate to, so the cap's error path is reached.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "fuzz_common.h"
#include "graph/edgelist.h"

#define MAX_TEXT ((uint64_t)1 << 23)

static char path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bz_fuzz_init();
    snprintf(path, sizeof path, "%s", bz_fuzz_path("edges.gz"));
    return 0;
}

/* Inflate gzip members with zlib into a malloc'ed *out; 0 on success, -1
 * for data zlib refuses. */
static int zlib_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
    size_t cap = len * 4 + 4096, n = 0, pos = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) bz_fuzz_fail("out of memory");
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 15 + 16) != Z_OK) bz_fuzz_fail("inflateInit2 failed");
    int ok = 0;
    for (;;) {
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) bz_fuzz_fail("out of memory");
            buf = nb;
            cap *= 2;
        }
        z.next_in = (Bytef *)(uintptr_t)(in + pos);
        z.avail_in = (uInt)(len - pos);
        z.next_out = buf + n;
        z.avail_out = (uInt)(cap - n);
        int r = inflate(&z, Z_NO_FLUSH);
        pos = len - z.avail_in;
        n = cap - z.avail_out;
        if (r == Z_STREAM_END) {
            if (pos < len && in[pos] == 0x1f) {
                inflateReset(&z);
                continue;
            }
            ok = 1;
            break;
        }
        if (r == Z_OK || (r == Z_BUF_ERROR && z.avail_out == 0)) continue;
        break; /* corrupt, or the input ended inside a member */
    }
    inflateEnd(&z);
    if (!ok) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bz_fuzz_write_file(path, data, size);
    bz_edgelist el;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_edgelist_read(&el, path, '#', 0, MAX_TEXT, &err);
    bz_fuzz_check_status(st, &err, "bz_edgelist_read");
    if (st == BZ_OK && size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        uint8_t *text = NULL;
        size_t len = 0;
        if (zlib_gunzip(data, size, &text, &len) == 0) {
            bz_edgelist ref;
            bz_error rerr;
            bz_error_clear(&rerr);
            int rs = bz_edgelist_parse(&ref, (const char *)text, len, path, '#', 0, &rerr);
            if (rs != BZ_OK)
                bz_fuzz_fail("read() accepts a gzip file whose zlib inflation does not parse: %s",
                             rerr.msg);
            if (ref.n != el.n || ref.n_edges != el.n_edges ||
                memcmp(ref.pairs, el.pairs, 2 * el.n_edges * sizeof *el.pairs) != 0 ||
                memcmp(ref.ids, el.ids, el.n * sizeof *el.ids) != 0)
                bz_fuzz_fail("read() and zlib + parse() give different edge lists");
            bz_edgelist_destroy(&ref);
            free(text);
        }
    }
    if (st == BZ_OK) bz_edgelist_destroy(&el);
    return 0;
}

/* loader: the edge_list generator and src/graph/edgelist.c on the real
 * ego-Facebook network (SNAP) and on hand-written files: id remapping,
 * separators, comments, every error path, and write-then-read round trips.
 *
 * The network ships in the repository (tests/data/facebook_combined.txt.gz,
 * source and citation in tests/data/README.md); if it is missing the test
 * FAILS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <omp.h>
#include <zlib.h>

#include "bz_test.h"
#include "graph/edgelist.h"
#include "graph/generator.h"

static char tmpdir[256];

typedef struct el_params_view { /* filled through the parameter table */
    _Alignas(16) unsigned char bytes[512];
} el_params_view;

static const bz_netgen_type *edge_list(void)
{
    const bz_netgen_type *t = bz_netgen_find("edge_list");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    return t;
}

static void set_param(el_params_view *pv, const char *name, const char *value)
{
    const bz_netgen_type *t = edge_list();
    bz_error err;
    const bz_param *p = bz_params_find(t->params, t->n_params, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL_FATAL(bz_param_parse(p, value, pv->bytes, &err), BZ_OK);
}

/* Load `path` (relative to base_dir) as a layer of max(n, file agents). */
static int load(bz_layer *l, const char *base_dir, const char *path, uint32_t n, int directed,
                const char *comment, uint32_t *file_n, bz_error *err)
{
    const bz_netgen_type *t = edge_list();
    el_params_view pv;
    bz_error perr;
    CU_ASSERT_EQUAL_FATAL(bz_params_set_defaults(t->params, t->n_params, pv.bytes, &perr), BZ_OK);
    set_param(&pv, "path", path);
    if (comment) set_param(&pv, "comment", comment);
    bz_netgen_ctx ctx = {
        .n = n, .directed = directed, .seed = 1, .params = pv.bytes, .base_dir = base_dir};
    memset(l, 0, sizeof *l);
    int status = t->check(pv.bytes, n, directed, err);
    uint32_t agents = 0;
    if (status == BZ_OK) status = t->prepare(&ctx, &ctx.state, &agents, err);
    if (status == BZ_OK) {
        if (file_n) *file_n = agents;
        if (ctx.n < agents) ctx.n = agents;
        status = bz_layer_build(l, t, &ctx, "file", err);
    }
    t->release(ctx.state);
    return status;
}

/* The shipped copy of ego-Facebook lives in tests/data, gzip-compressed:
 * loading it also exercises the gzip path. */
static const char *data_dir(void)
{
    static char dir[4400];
    snprintf(dir, sizeof dir, "%.4096s/tests/data", bz_test_source_dir());
    return dir;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static int same_layer(const bz_layer *a, const bz_layer *b)
{
    if (a->n != b->n || a->m != b->m || a->directed != b->directed) return 0;
    if (memcmp(a->offsets, b->offsets, ((size_t)a->n + 1) * sizeof *a->offsets)) return 0;
    if (memcmp(a->targets, b->targets, (size_t)a->m * sizeof *a->targets)) return 0;
    return 1;
}

/* ---- ego-Facebook -------------------------------------------------------- */
static void test_facebook(void)
{
    const char *dir = data_dir();
    bz_layer l;
    bz_error err;
    uint32_t file_n = 0;
    CU_ASSERT_EQUAL_FATAL(load(&l, dir, "facebook_combined.txt.gz", 0, 0, NULL, &file_n, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL(file_n, 4039);
    CU_ASSERT_EQUAL(l.n, 4039);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 88234);
    CU_ASSERT_EQUAL(l.dropped_self_loops, 0);
    CU_ASSERT_EQUAL(l.dropped_duplicates, 0);
    uint64_t mx = 0, isolated = 0;
    for (uint32_t u = 0; u < l.n; u++) {
        uint64_t d = bz_layer_degree(&l, u);
        if (d > mx) mx = d;
        isolated += d == 0;
    }
    CU_ASSERT_EQUAL(mx, 1045);
    CU_ASSERT_EQUAL(isolated, 0);
    /* one connected component: breadth-first search from agent 0 */
    uint32_t *queue = malloc(l.n * sizeof *queue);
    unsigned char *seen = calloc(l.n, 1);
    uint32_t head = 0, tail = 0;
    queue[tail++] = 0;
    seen[0] = 1;
    while (head < tail) {
        uint32_t u = queue[head++];
        for (uint64_t i = l.offsets[u]; i < l.offsets[u + 1]; i++)
            if (!seen[l.targets[i]]) seen[l.targets[i]] = 1, queue[tail++] = l.targets[i];
    }
    CU_ASSERT_EQUAL(tail, l.n);
    free(queue);
    free(seen);

    /* write, read back: the identical CSR */
    char out[512];
    snprintf(out, sizeof out, "%s/fb_out.txt", tmpdir);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_write(&l, out, &err), BZ_OK);
    bz_layer r;
    CU_ASSERT_EQUAL_FATAL(load(&r, tmpdir, "fb_out.txt", 0, 0, NULL, NULL, &err), BZ_OK);
    CU_ASSERT(same_layer(&l, &r));
    bz_layer_destroy(&r);
    FILE *f = fopen(out, "r");
    char line[256] = "";
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    fclose(f);
    CU_ASSERT_EQUAL(strncmp(line, "# buzzsim edge list", 19), 0);
    snprintf(out, sizeof out, "%s/fb_out.txt.partial", tmpdir);
    CU_ASSERT_NOT_EQUAL(access(out, F_OK), 0); /* renamed away */

    /* A larger population: the extra agents are isolated. */
    bz_layer big;
    CU_ASSERT_EQUAL_FATAL(load(&big, dir, "facebook_combined.txt.gz", 5000, 0, NULL, NULL, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL(big.n, 5000);
    CU_ASSERT_EQUAL(big.m, l.m);
    CU_ASSERT_EQUAL(bz_layer_degree(&big, 4999), 0);
    CU_ASSERT_EQUAL(memcmp(big.targets, l.targets, l.m * sizeof *l.targets), 0);
    bz_layer_destroy(&big);

    /* Directed: each line is one arc u -> v. */
    bz_layer d;
    CU_ASSERT_EQUAL_FATAL(load(&d, dir, "facebook_combined.txt.gz", 0, 1, NULL, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.m, 88234);
    uint64_t in_sum = 0;
    for (uint32_t v = 0; v < d.n; v++)
        in_sum += d.in_degree[v];
    CU_ASSERT_EQUAL(in_sum, 88234);
    for (uint32_t u = 0; u < d.n; u++)
        CU_ASSERT_EQUAL(bz_layer_degree(&d, u) + d.in_degree[u], bz_layer_degree(&l, u));
    bz_layer_destroy(&d);
    bz_layer_destroy(&l);
}

/* ---- hand-written files ------------------------------------------------- */
static void test_formats_and_remap(void)
{
    write_file("mixed.txt", "# a comment\n"
                            "\n"
                            "1000000000000000, 7\r\n"
                            "  7\t42   # trailing comment\n"
                            "42 , 1000000000000000 3.5\n"
                            "\t\n"
                            "9223372036854775807 7 -2e-3\n"
                            "5 5\n"
                            "42,7\n");
    char path[512];
    snprintf(path, sizeof path, "%s/mixed.txt", tmpdir);
    bz_edgelist el;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&el, path, '#', 0, 0, &err), BZ_OK);
    /* ids sorted ascending: 5 7 42 10^15 2^63-1 -> agents 0..4 */
    static const uint64_t ids[] = {5, 7, 42, 1000000000000000ull, 9223372036854775807ull};
    static const uint32_t pairs[] = {3, 1, 1, 2, 2, 3, 4, 1, 0, 0, 2, 1};
    CU_ASSERT_EQUAL(el.n, 5);
    CU_ASSERT_EQUAL(el.n_edges, 6);
    CU_ASSERT_EQUAL(el.lines, 9);
    CU_ASSERT_EQUAL(el.weighted, 2); /* 3.5 and -2e-3 */
    CU_ASSERT_EQUAL(memcmp(el.ids, ids, sizeof ids), 0);
    CU_ASSERT_EQUAL(memcmp(el.pairs, pairs, sizeof pairs), 0);
    bz_edgelist_destroy(&el);
    bz_edgelist_destroy(&el); /* safe twice */

    bz_layer l;
    CU_ASSERT_EQUAL_FATAL(load(&l, tmpdir, "mixed.txt", 0, 0, NULL, NULL, &err), BZ_OK);
    static const uint64_t off[] = {0, 0, 3, 5, 7, 8};
    static const uint32_t tg[] = {2, 3, 4, 1, 3, 1, 2, 1};
    CU_ASSERT_EQUAL(l.m, 8);
    CU_ASSERT_EQUAL(memcmp(l.offsets, off, sizeof off), 0);
    CU_ASSERT_EQUAL(memcmp(l.targets, tg, sizeof tg), 0);
    CU_ASSERT_EQUAL(l.dropped_self_loops, 1); /* 5 5 */
    CU_ASSERT_EQUAL(l.dropped_duplicates, 1); /* 42,7 repeats 7 42 */
    bz_layer_destroy(&l);

    /* Another comment character; absolute path ignores base_dir. */
    write_file("pct.txt", "% header\n3 4\n%4 5\n4 6\n");
    snprintf(path, sizeof path, "%s/pct.txt", tmpdir);
    CU_ASSERT_EQUAL_FATAL(load(&l, "/nonexistent", path, 0, 0, "%", NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.n, 3);
    CU_ASSERT_EQUAL(bz_layer_edges(&l), 2);
    bz_layer_destroy(&l);
    /* ... and with '#' the '%' lines are malformed */
    CU_ASSERT_EQUAL(load(&l, tmpdir, "pct.txt", 0, 0, NULL, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "pct.txt:1:"));
    /* a comment character that could start a number is refused */
    CU_ASSERT_EQUAL(load(&l, tmpdir, "pct.txt", 0, 0, "1", NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "comment"));
}

/* A malformed file: code BZ_EINVAL, message "FILE:LINE: ..." quoting text. */
static void expect_bad(const char *name, const char *text, const char *where, const char *quote)
{
    write_file(name, text);
    bz_layer l;
    bz_error err = {0};
    int status = load(&l, tmpdir, name, 0, 0, NULL, NULL, &err);
    CU_ASSERT_EQUAL(status, BZ_EINVAL);
    char want[300];
    snprintf(want, sizeof want, "%s/%s", tmpdir, where);
    if (!strstr(err.msg, want) || (quote && !strstr(err.msg, quote)))
        fprintf(stderr, "\nunexpected message for %s: %s\n", name, err.msg);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
    if (quote) CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, quote));
    CU_ASSERT_PTR_NULL(l.offsets);
}

static void test_malformed(void)
{
    const char *ids = "expected two integer node ids";
    char want[200];
    expect_bad("x.txt", "1 2\n# ok\n1 x\n", "x.txt:3: expected two integer node ids", "'1 x'");
    expect_bad("one.txt", "1 2\n17\n", "one.txt:2: only one column", "'17'");
    expect_bad("onec.txt", "1 2\n17 # note\n", "onec.txt:2: only one column", "'17 # note'");
    expect_bad("neg.txt", "-1 2\n", "neg.txt:1:", "'-1 2'");
    expect_bad("neg2.txt", "1 -2\n", "neg2.txt:1:", "'1 -2'");
    snprintf(want, sizeof want, "neg3.txt:2: %s", ids);
    expect_bad("neg3.txt", "1 2\n3 -4\n", want, "'3 -4'");
    snprintf(want, sizeof want, "frac.txt:1: %s", ids);
    expect_bad("frac.txt", "1.5 2\n", want, "'1.5 2'");
    snprintf(want, sizeof want, "frac2.txt:2: %s", ids);
    expect_bad("frac2.txt", "0 1\n2 1.5\n", want, "'2 1.5'");
    expect_bad("glued.txt", "12x 3\n", "glued.txt:1:", "'12x 3'");
    expect_bad("big.txt", "1 2\n9223372036854775808 1\n", "big.txt:2: node id out of range", NULL);
    expect_bad("huge.txt", "1 99999999999999999999\n", "huge.txt:1: node id out of range",
               "'1 99999999999999999999'");
    expect_bad("word.txt", "1 2 heavy\n", "word.txt:1: the third column (weight) is not a number",
               "'1 2 heavy'");
    expect_bad("w2.txt", "1 2 0.5\n3 4 1.2.3\n", "w2.txt:2: the third column (weight)",
               "'3 4 1.2.3'");
    expect_bad("four.txt", "1 2 3 4\n", "four.txt:1: too many columns", "'1 2 3 4'");
    expect_bad("five.txt", "1 2\n\n1 2 3 x y\n", "five.txt:3: ", "'1 2 3 x y'");
    expect_bad("comma.txt", "1,\n", "comma.txt:1: only one column", NULL);
    expect_bad("empty.txt", "", "empty.txt:1: no edges found (empty file)", NULL);
    expect_bad("comments.txt", "# only\n\n# comments\n", "comments.txt:3: no edges", NULL);
    /* long lines are cut in the message */
    char longline[300];
    memset(longline, '7', 200);
    memcpy(longline + 200, " x\n", 4);
    expect_bad("long.txt", longline, "long.txt:1: ", "...'");
}

/* gzip files are recognised by their magic bytes, whatever their name; a
 * cut or damaged one is a clear error. */
static void test_gzip(void)
{
    char path[512], txt[512];
    snprintf(path, sizeof path, "%s/net.dat", tmpdir); /* no .gz on purpose */
    snprintf(txt, sizeof txt, "%s/net.txt", tmpdir);
    FILE *plain = fopen(txt, "wb");
    gzFile gz = gzopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
    CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
    uint64_t x = 12345;
    for (int i = 0; i < 20000; i++) { /* ~200 KB: several inflate buffer refills */
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned u = (unsigned)(x >> 40) % 5000, v = (unsigned)(x >> 20) % 5000;
        fprintf(plain, "%u %u\n", u, v);
        gzprintf(gz, "%u %u\n", u, v);
    }
    fclose(plain);
    CU_ASSERT_EQUAL_FATAL(gzclose(gz), Z_OK);
    bz_edgelist a, b;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&a, txt, '#', 0, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&b, path, '#', 0, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(a.n_edges, 20000);
    CU_ASSERT_EQUAL(b.n_edges, a.n_edges);
    CU_ASSERT_EQUAL(b.n, a.n);
    CU_ASSERT_EQUAL(memcmp(a.pairs, b.pairs, 2 * a.n_edges * sizeof *a.pairs), 0);
    CU_ASSERT_EQUAL(memcmp(a.ids, b.ids, a.n * sizeof *a.ids), 0);

    /* Two gzip members one after the other (cat a.gz b.gz) are one file. */
    char two[512];
    snprintf(two, sizeof two, "%s/two.gz", tmpdir);
    for (int part = 0; part < 2; part++) {
        gzFile g = gzopen(two, part ? "ab" : "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(g);
        for (uint64_t i = part ? a.n_edges / 2 : 0; i < (part ? a.n_edges : a.n_edges / 2); i++)
            gzprintf(g, "%llu %llu\n", (unsigned long long)a.ids[a.pairs[2 * i]],
                     (unsigned long long)a.ids[a.pairs[2 * i + 1]]);
        CU_ASSERT_EQUAL_FATAL(gzclose(g), Z_OK);
    }
    bz_edgelist c;
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&c, two, '#', 0, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(c.n_edges, a.n_edges);
    CU_ASSERT_EQUAL(c.n, a.n);
    CU_ASSERT_EQUAL(memcmp(a.pairs, c.pairs, 2 * a.n_edges * sizeof *a.pairs), 0);
    bz_edgelist_destroy(&c);
    bz_edgelist_destroy(&a);

    /* Truncate: keep the first half of the compressed bytes. */
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    char cut[512];
    snprintf(cut, sizeof cut, "%s/cut.gz", tmpdir);
    FILE *in = fopen(path, "rb"), *out = fopen(cut, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    unsigned char *bytes = malloc((size_t)st.st_size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bytes);
    CU_ASSERT_EQUAL_FATAL(fread(bytes, 1, (size_t)st.st_size, in), (size_t)st.st_size);
    fclose(in);
    fwrite(bytes, 1, (size_t)st.st_size / 2, out);
    fclose(out);
    char want[600];
    snprintf(want, sizeof want, "%s: truncated or corrupt gzip data", cut);
    CU_ASSERT_EQUAL(bz_edgelist_read(&a, cut, '#', 0, 0, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    CU_ASSERT_PTR_NULL(a.pairs);
    /* Only the 8-byte trailer missing (CRC and length): still truncated. */
    out = fopen(cut, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    fwrite(bytes, 1, (size_t)st.st_size - 4, out);
    fclose(out);
    CU_ASSERT_EQUAL(bz_edgelist_read(&a, cut, '#', 0, 0, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    /* Corrupt: flip bytes in the middle of the deflate data. */
    for (long i = st.st_size / 3; i < st.st_size / 3 + 16; i++)
        bytes[i] ^= 0x5a;
    out = fopen(cut, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    fwrite(bytes, 1, (size_t)st.st_size, out);
    fclose(out);
    CU_ASSERT_EQUAL(bz_edgelist_read(&a, cut, '#', 0, 0, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    /* Just the magic bytes. */
    write_file("magic.gz", "\x1f\x8b");
    snprintf(cut, sizeof cut, "%s/magic.gz", tmpdir);
    snprintf(want, sizeof want, "%s: truncated or corrupt gzip data", cut);
    CU_ASSERT_EQUAL(bz_edgelist_read(&a, cut, '#', 0, 0, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    free(bytes);

    /* Through the generator: a gzip file as a layer. */
    bz_layer l;
    CU_ASSERT_EQUAL_FATAL(load(&l, tmpdir, "net.dat", 0, 0, NULL, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(l.n, b.n);
    bz_layer_destroy(&l);
    bz_edgelist_destroy(&b);
}

/* weights: ignore | error, and the mapping file. */
static void test_weights_and_mapping(void)
{
    write_file("wt.txt", "10 20 0.5\n20 30\n30 10 2\n");
    bz_edgelist el;
    bz_error err;
    char path[512];
    snprintf(path, sizeof path, "%s/wt.txt", tmpdir);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_read(&el, path, '#', 0, 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(el.weighted, 2);
    CU_ASSERT_EQUAL(el.n_edges, 3);
    bz_edgelist_destroy(&el);
    CU_ASSERT_EQUAL(bz_edgelist_read(&el, path, '#', BZ_EDGELIST_REJECT_WEIGHTS, 0, &err),
                    BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "wt.txt:1: a third column (weight) is not allowed"));

    /* Through the generator's parameters. */
    const bz_netgen_type *t = edge_list();
    el_params_view pv;
    CU_ASSERT_EQUAL_FATAL(bz_params_set_defaults(t->params, t->n_params, pv.bytes, &err), BZ_OK);
    set_param(&pv, "path", "wt.txt");
    set_param(&pv, "weights", "error");
    bz_netgen_ctx ctx = {.n = 0, .params = pv.bytes, .base_dir = tmpdir};
    uint32_t agents = 0;
    CU_ASSERT_EQUAL(t->prepare(&ctx, &ctx.state, &agents, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "wt.txt:1:"));
    t->release(ctx.state);
    const bz_param *wp = bz_params_find(t->params, t->n_params, "weights");
    CU_ASSERT_PTR_NOT_NULL_FATAL(wp);
    CU_ASSERT_EQUAL(bz_param_parse(wp, "sum", pv.bytes, &err), BZ_EINVAL);

    /* mapping: "agent original_id", relative to base_dir, replaced atomically */
    set_param(&pv, "weights", "ignore");
    set_param(&pv, "mapping", "map.txt");
    char map[512];
    snprintf(map, sizeof map, "%s/map.txt", tmpdir);
    write_file("map.txt", "old contents\n");
    ctx.state = NULL;
    CU_ASSERT_EQUAL_FATAL(t->prepare(&ctx, &ctx.state, &agents, &err), BZ_OK);
    CU_ASSERT_EQUAL(agents, 3);
    t->release(ctx.state);
    FILE *f = fopen(map, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[100];
    CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, f));
    CU_ASSERT_EQUAL(line[0], '#');
    unsigned a;
    unsigned long long id;
    static const unsigned long long want_ids[] = {10, 20, 30};
    int rows = 0;
    while (fscanf(f, "%u %llu", &a, &id) == 2) {
        CU_ASSERT_EQUAL(a, (unsigned)rows);
        CU_ASSERT(rows < 3 && id == want_ids[rows]);
        rows++;
    }
    fclose(f);
    CU_ASSERT_EQUAL(rows, 3);
    char partial[600];
    snprintf(partial, sizeof partial, "%s.partial", map);
    CU_ASSERT_NOT_EQUAL(access(partial, F_OK), 0);
    /* an unwritable mapping path fails the load */
    set_param(&pv, "mapping", "/nonexistent/dir/map.txt");
    ctx.state = NULL;
    CU_ASSERT_EQUAL(t->prepare(&ctx, &ctx.state, &agents, &err), BZ_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/dir/map.txt"));
    CU_ASSERT_PTR_NULL(ctx.state);
    t->release(ctx.state);
}

static void test_missing_and_io(void)
{
    bz_layer l;
    bz_error err = {0};
    CU_ASSERT_EQUAL(load(&l, tmpdir, "no_such_file.txt", 0, 0, NULL, NULL, &err), BZ_ENOENT);
    char want[512];
    snprintf(want, sizeof want, "cannot open '%s/no_such_file.txt': No such file or directory",
             tmpdir);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    /* a directory, a device or a FIFO is not an edge-list file: bad input */
    CU_ASSERT_EQUAL(load(&l, "/", "tmp", 0, 0, NULL, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/tmp: is a directory, expected a regular file"));
    CU_ASSERT_EQUAL(load(&l, "/", "dev/zero", 0, 0, NULL, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(err.msg, "/dev/zero: is a character device, expected a regular file"));
    /* an empty path is refused by check() */
    CU_ASSERT_EQUAL(load(&l, tmpdir, "", 0, 0, NULL, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "path"));

    /* a layer smaller than the file is refused */
    write_file("three.txt", "0 1\n1 2\n");
    const bz_netgen_type *t = edge_list();
    el_params_view pv;
    CU_ASSERT_EQUAL_FATAL(bz_params_set_defaults(t->params, t->n_params, pv.bytes, &err), BZ_OK);
    set_param(&pv, "path", "three.txt");
    bz_netgen_ctx ctx = {.n = 2, .params = pv.bytes, .base_dir = tmpdir};
    uint32_t agents;
    CU_ASSERT_EQUAL_FATAL(t->prepare(&ctx, &ctx.state, &agents, &err), BZ_OK);
    CU_ASSERT_EQUAL(agents, 3);
    CU_ASSERT_EQUAL(bz_layer_build(&l, t, &ctx, "x", &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "3 agents"));
    t->release(ctx.state);
    t->release(NULL);

    /* writing: complete layers are refused, unwritable paths give BZ_EIO */
    bz_layer complete = {.complete = 1, .n = 10};
    CU_ASSERT_EQUAL(bz_edgelist_write(&complete, "/tmp/never.txt", &err), BZ_EINVAL);
    CU_ASSERT_EQUAL_FATAL(load(&l, tmpdir, "three.txt", 0, 0, NULL, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_edgelist_write(&l, "/nonexistent/dir/out.txt", &err), BZ_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent/dir/out.txt"));
    bz_layer_destroy(&l);
}

/* Directed round trip on a generated layer (all arcs written). */
static void test_round_trip_directed(void)
{
    const bz_netgen_type *ba = bz_netgen_find("barabasi_albert");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ba);
    _Alignas(16) unsigned char pb[256];
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_params_set_defaults(ba->params, ba->n_params, pb, &err), BZ_OK);
    bz_netgen_ctx ctx = {.n = 3000, .directed = 1, .seed = 8, .params = pb};
    bz_layer g, r;
    CU_ASSERT_EQUAL_FATAL(bz_layer_build(&g, ba, &ctx, "follow", &err), BZ_OK);
    char out[512];
    snprintf(out, sizeof out, "%s/ba.txt", tmpdir);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_write(&g, out, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(load(&r, tmpdir, "ba.txt", 0, 1, NULL, NULL, &err), BZ_OK);
    CU_ASSERT(same_layer(&g, &r));
    CU_ASSERT_EQUAL(memcmp(g.in_degree, r.in_degree, g.n * sizeof *g.in_degree), 0);
    bz_layer_destroy(&g);
    bz_layer_destroy(&r);
}

/* Texts above 8 MiB are parsed in chunks by several threads: the same
 * result as one thread, and errors keep their global line numbers. */
static void test_parallel_chunks(void)
{
    const uint64_t m = 1200000; /* ~12 MB of text: two or more chunks */
    size_t cap = (size_t)m * 24 + 64, len = 0;
    char *text = malloc(cap);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    uint64_t x = 99;
    for (uint64_t i = 0; i < m; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned long long u = (x >> 33) % 300000, v = (x >> 13) % 300000;
        if (i % 1000 == 0) len += (size_t)snprintf(text + len, cap - len, "# c\n\n");
        len += (size_t)snprintf(text + len, cap - len, "%llu %llu\n", u, v);
    }
    bz_edgelist a, b;
    bz_error err;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_parse(&a, text, len, "big", '#', 0, &err), BZ_OK);
    omp_set_num_threads(3);
    CU_ASSERT_EQUAL_FATAL(bz_edgelist_parse(&b, text, len, "big", '#', 0, &err), BZ_OK);
    CU_ASSERT_EQUAL(a.n_edges, m);
    CU_ASSERT_EQUAL(b.n_edges, m);
    CU_ASSERT_EQUAL(a.lines, m + 2 * (m / 1000));
    CU_ASSERT_EQUAL(b.lines, a.lines);
    CU_ASSERT_EQUAL_FATAL(b.n, a.n);
    CU_ASSERT_EQUAL(memcmp(a.pairs, b.pairs, 2 * m * sizeof *a.pairs), 0);
    CU_ASSERT_EQUAL(memcmp(a.ids, b.ids, a.n * sizeof *a.ids), 0);
    bz_edgelist_destroy(&a);
    bz_edgelist_destroy(&b);
    /* an error late in the text (in the last chunk), then one in the first */
    size_t at = len - 5;
    while (text[at - 1] != '\n')
        at--;
    text[at] = 'x'; /* the last line */
    char want[100];
    snprintf(want, sizeof want, "big:%llu: ", (unsigned long long)(m + 2 * (m / 1000)));
    CU_ASSERT_EQUAL(bz_edgelist_parse(&b, text, len, "big", '#', 0, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
    text[5] = '-'; /* line 3, after "# c\n\n": the first data line */
    CU_ASSERT_EQUAL(bz_edgelist_parse(&b, text, len, "big", '#', 0, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(strncmp(err.msg, "big:3: ", 7), 0);
    CU_ASSERT_PTR_NULL(b.pairs);
    omp_set_num_threads(saved);
    free(text);
}

static CU_TestInfo tests[] = {
    {"ego-Facebook: 4039 agents, 88234 edges, round trip", test_facebook},
    {"separators, comments, sparse ids remapped", test_formats_and_remap},
    {"malformed lines name FILE:LINE", test_malformed},
    {"parallel chunks: same result, global line numbers", test_parallel_chunks},
    {"gzip by magic bytes; truncated and corrupt gzip", test_gzip},
    {"weights: ignore|error; mapping file", test_weights_and_mapping},
    {"missing file, directory, small layer, write errors", test_missing_and_io},
    {"directed write-then-read round trip", test_round_trip_directed},
    CU_TEST_INFO_NULL,
};

static void remove_tmpdir(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bz_loader_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    int status = bz_test_main("loader", tests);
    remove_tmpdir();
    return status;
}

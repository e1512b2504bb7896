/* HDF5 results I/O: write/read round trip, overwrite protection, untrusted
 * files, and the export tables (values checked against numbers computed by
 * hand from the synthetic inputs below, not against the code's output). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>

#include "bz_test.h"
#include "engine/results.h"
#include "engine/compare.h"
#include "io/h5.h"

#define R_ 3
#define T_ 5

static char tmpdir[256];

static const char *tmp(const char *name)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Known values: adopters of arm a, replicate r at time t = (a+1) * t * m[r],
 * m = {1, 3, 8}; other series are distinct affine functions so a mix-up of
 * any two shows. */
static const int64_t mult[R_] = {1, 3, 8};

static int64_t val(int series, int a, int r, int t)
{
    return (int64_t)series * 100000 + (int64_t)a * 10000 + (int64_t)r * 100 + t;
}

static void fill(bz_results *res)
{
    CU_ASSERT_FATAL(bz_results_init(res, R_, T_, 2, 2, 2, 1, NULL) == BZ_OK);
    strcpy(res->state_names[0], "unaware");
    strcpy(res->state_names[1], "adopted");
    strcpy(res->channel_names[0], "advertising");
    strcpy(res->channel_names[1], "wechat");
    for (int t = 0; t < T_; t++)
        res->time_days[t] = 1.5 * t;
    const char *names[2] = {"baseline", "promo"};
    const double final[2][R_] = {{10, 20, 30}, {15, 27, 33}};
    for (int a = 0; a < 2; a++) {
        bz_arm_result *arm = &res->arms[a];
        strcpy(arm->name, names[a]);
        arm->campaigns_yaml = strdup(a ? "- {campaign: advertising, at: 1d}\n" : "[]");
        arm->cost = a ? 1234.5 : 0.0;
        for (int r = 0; r < R_; r++) {
            for (int t = 0; t < T_; t++) {
                size_t i = (size_t)r * T_ + t;
                arm->series[BZ_SER_ADOPTERS][i] = (int64_t)(a + 1) * t * mult[r];
                arm->series[BZ_SER_SALES][i] = val(1, a, r, t);
                arm->series[BZ_SER_STOCK][i] = -1;
                for (int k = 0; k < 2; k++) {
                    bz_series_row(arm->series[BZ_SER_STATES], R_, T_, k, r)[t] =
                        val(2 + k, a, r, t);
                    bz_series_row(arm->series[BZ_SER_EXPOSURES], R_, T_, k, r)[t] =
                        val(4 + k, a, r, t);
                    bz_series_row(arm->series[BZ_SER_ADOPTIONS_BY], R_, T_, k, r)[t] =
                        val(6 + k, a, r, t);
                }
            }
            bz_outcome *o = &arm->outcomes[r];
            for (int k = 0; k < BZ_N_OUTCOMES; k++)
                o->v[k] = 100.0 * a + 10.0 * r + k;
            o->v[BZ_OUT_FINAL_ADOPTERS] = final[a][r];
            o->v[BZ_OUT_SELLOUT_SECONDS] = NAN;
            o->v[BZ_OUT_CAMPAIGN_COST] = arm->cost;
            o->v[BZ_OUT_PEAK_TIME] = r + a;
            o->v[BZ_OUT_COST_PER_ADOPTER] = arm->cost / final[a][r];
        }
    }
    bz_layer_info *li = &res->layers[0];
    strcpy(li->name, "wechat");
    strcpy(li->generator, "sbm");
    li->directed = 0;
    li->agents = 100;
    li->edges = 321;
    li->hist_len = 4;
    li->degree_histogram = calloc(4, sizeof(int64_t));
    CU_ASSERT_FATAL(li->degree_histogram != NULL);
    for (int k = 0; k < 4; k++)
        li->degree_histogram[k] = 10 * k + 1;
    res->seed = 0xFEDCBA9876543210ull; /* above INT64_MAX: must stay unsigned */
    res->experiment_yaml = strdup("name: test\nseed: 1\n");
    res->command_line = strdup("buzzsim run test.yaml");
}

/* Open HDF5 files, groups, datasets, attributes and named types: a leak in
 * an error path shows here. */
static long open_handles(void)
{
    return (long)H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
}

static int same_double(double x, double y)
{
    return (isnan(x) && isnan(y)) || x == y;
}

static void assert_equal(const bz_results *x, const bz_results *y, int series)
{
    CU_ASSERT_EQUAL(x->R, y->R);
    CU_ASSERT_EQUAL(x->T, y->T);
    CU_ASSERT_EQUAL(x->n_states, y->n_states);
    CU_ASSERT_EQUAL(x->n_channels, y->n_channels);
    CU_ASSERT_EQUAL_FATAL(x->n_arms, y->n_arms);
    CU_ASSERT_EQUAL_FATAL(x->n_layers, y->n_layers);
    for (uint32_t t = 0; t < x->T; t++)
        CU_ASSERT(x->time_days[t] == y->time_days[t]);
    for (int s = 0; s < x->n_states; s++)
        CU_ASSERT_STRING_EQUAL(x->state_names[s], y->state_names[s]);
    for (int k = 0; k < x->n_channels; k++)
        CU_ASSERT_STRING_EQUAL(x->channel_names[k], y->channel_names[k]);
    const size_t RT = (size_t)x->R * x->T;
    for (size_t a = 0; a < x->n_arms; a++) {
        const bz_arm_result *p = &x->arms[a], *q = &y->arms[a];
        CU_ASSERT_STRING_EQUAL(p->name, q->name);
        CU_ASSERT_STRING_EQUAL(p->campaigns_yaml, q->campaigns_yaml);
        CU_ASSERT(p->cost == q->cost);
        for (uint32_t r = 0; r < x->R; r++)
            for (int k = 0; k < BZ_N_OUTCOMES; k++)
                CU_ASSERT(same_double(p->outcomes[r].v[k], q->outcomes[r].v[k]));
        for (int s = 0; s < BZ_N_SERIES; s++) {
            if (!series) {
                CU_ASSERT(q->series[s] == NULL);
                continue;
            }
            const size_t rows = (size_t)bz_results_series_rows(x, (bz_series_id)s);
            CU_ASSERT(memcmp(p->series[s], q->series[s], RT * 8 * rows) == 0);
        }
    }
    for (size_t i = 0; i < x->n_layers; i++) {
        const bz_layer_info *p = &x->layers[i], *q = &y->layers[i];
        CU_ASSERT_STRING_EQUAL(p->name, q->name);
        CU_ASSERT_STRING_EQUAL(p->generator, q->generator);
        CU_ASSERT_EQUAL(p->directed, q->directed);
        CU_ASSERT_EQUAL(p->agents, q->agents);
        CU_ASSERT_EQUAL(p->edges, q->edges);
        CU_ASSERT_EQUAL_FATAL(p->hist_len, q->hist_len);
        CU_ASSERT(memcmp(p->degree_histogram, q->degree_histogram, p->hist_len * 8) == 0);
    }
    CU_ASSERT(x->seed == y->seed);
    CU_ASSERT_STRING_EQUAL(x->experiment_yaml, y->experiment_yaml);
    CU_ASSERT_STRING_EQUAL(x->command_line, y->command_line);
}

/* Write the synthetic results to `name` in tmpdir (overwriting). */
static const char *write_fixture(const char *name)
{
    bz_results r;
    bz_error err;
    fill(&r);
    const char *path = tmp(name);
    int st = bz_h5_write(path, &r, 1, &err);
    CU_ASSERT_EQUAL(st, BZ_OK);
    if (st != BZ_OK) fprintf(stderr, "write: %s\n", err.msg);
    bz_results_destroy(&r);
    return path;
}

static void test_roundtrip(void)
{
    bz_results w, r, m;
    bz_error err;
    bz_h5_provenance prov;
    fill(&w);
    const char *path = tmp("sub/dir/round.h5"); /* parents are created */
    CU_ASSERT_EQUAL_FATAL(bz_h5_write(path, &w, 0, &err), BZ_OK);
    char partial[600];
    snprintf(partial, sizeof partial, "%s.partial", path);
    CU_ASSERT(exists(path));
    CU_ASSERT(!exists(partial));
    CU_ASSERT_EQUAL_FATAL(bz_h5_read(&r, path, &err), BZ_OK);
    assert_equal(&w, &r, 1);
    CU_ASSERT_EQUAL_FATAL(bz_h5_read_meta(&m, &prov, path, &err), BZ_OK);
    assert_equal(&w, &m, 0);
    CU_ASSERT_STRING_EQUAL(prov.version, BZ_VERSION);
    CU_ASSERT_EQUAL(strlen(prov.created), 20); /* 2024-01-02T03:04:05Z */
    CU_ASSERT_EQUAL(prov.created[19], 'Z');
    bz_results_destroy(&w);
    bz_results_destroy(&r);
    bz_results_destroy(&m);
    bz_results_destroy(&m); /* idempotent */
}

static void test_overwrite(void)
{
    bz_results w;
    bz_error err;
    struct stat before, after;
    fill(&w);
    const char *path = tmp("over.h5");
    CU_ASSERT_EQUAL_FATAL(bz_h5_write(path, &w, 0, &err), BZ_OK);
    CU_ASSERT_FATAL(stat(path, &before) == 0);
    CU_ASSERT_EQUAL(bz_h5_check_output(path, 0, &err), BZ_EEXIST);
    CU_ASSERT_EQUAL(bz_h5_write(path, &w, 0, &err), BZ_EEXIST);
    CU_ASSERT(strstr(err.msg, path) != NULL);
    CU_ASSERT(strstr(err.msg, "exists (use --force to overwrite)") != NULL);
    CU_ASSERT_FATAL(stat(path, &after) == 0);
    CU_ASSERT(before.st_ino == after.st_ino && before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    CU_ASSERT_EQUAL(bz_h5_check_output(path, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_h5_write(path, &w, 1, &err), BZ_OK);
    CU_ASSERT_FATAL(stat(path, &after) == 0);
    CU_ASSERT(before.st_ino != after.st_ino); /* replaced by rename */
    CU_ASSERT(!exists(tmp("over.h5.partial")));
    /* A directory cannot be an output, and a file cannot be a parent. */
    CU_ASSERT_EQUAL(bz_h5_check_output(tmpdir, 1, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_h5_check_output(tmp("over.h5/x.h5"), 1, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "over.h5") != NULL);
    bz_results_destroy(&w);
}

static void test_write_rejects_bad_names(void)
{
    bz_results w;
    bz_error err;
    fill(&w);
    strcpy(w.arms[1].name, "a/b");
    CU_ASSERT_EQUAL(bz_h5_write(tmp("bad.h5"), &w, 1, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "a/b") != NULL);
    strcpy(w.arms[1].name, "baseline");
    CU_ASSERT_EQUAL(bz_h5_write(tmp("bad.h5"), &w, 1, &err), BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, "baseline") != NULL);
    CU_ASSERT(!exists(tmp("bad.h5")));
    CU_ASSERT(!exists(tmp("bad.h5.partial")));
    bz_results_destroy(&w);
}

static void expect_einval(const char *path, const char *needle)
{
    bz_results r;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_h5_read(&r, path, &err);
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    CU_ASSERT(strstr(err.msg, path) != NULL);
    if (needle) CU_ASSERT(strstr(err.msg, needle) != NULL);
    if (st == BZ_EINVAL && ((needle && !strstr(err.msg, needle)) || !strstr(err.msg, path)))
        fprintf(stderr, "unexpected message: %s\n", err.msg);
    CU_ASSERT(r.arms == NULL && r.time_days == NULL); /* nothing leaks out */
}

static void copy_prefix(const char *src, const char *dst, long n)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    CU_ASSERT_FATAL(in && out);
    for (long i = 0; i < n; i++) {
        int ch = fgetc(in);
        if (ch == EOF) break;
        fputc(ch, out);
    }
    fclose(in);
    fclose(out);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Open `path` read-write and run `edit` on it (HDF5 surgery for bad files). */
static void edit_file(const char *path, void (*edit)(hid_t))
{
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    CU_ASSERT_FATAL(f >= 0);
    edit(f);
    CU_ASSERT(H5Fclose(f) >= 0);
}

static void set_int_attr(hid_t f, const char *name, int v)
{
    hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    CU_ASSERT(a >= 0);
    CU_ASSERT(H5Awrite(a, H5T_NATIVE_INT, &v) >= 0);
    H5Aclose(a);
}

static void edit_schema(hid_t f)
{
    set_int_attr(f, "buzzsim_schema", BZ_SCHEMA_VERSION + 1);
}

static void edit_incomplete(hid_t f)
{
    set_int_attr(f, "complete", 0);
}

static void edit_drop_sales(hid_t f)
{
    CU_ASSERT(H5Ldelete(f, "/arms/promo/sales", H5P_DEFAULT) >= 0);
}

static void edit_reshape_state(hid_t f)
{
    CU_ASSERT(H5Ldelete(f, "/arms/promo/states/adopted", H5P_DEFAULT) >= 0);
    hsize_t dims[2] = {R_, T_ - 1};
    int64_t zeros[R_ * (T_ - 1)] = {0};
    hid_t s = H5Screate_simple(2, dims, NULL);
    hid_t d = H5Dcreate2(f, "/arms/promo/states/adopted", H5T_STD_I64LE, s, H5P_DEFAULT,
                         H5P_DEFAULT, H5P_DEFAULT);
    CU_ASSERT(d >= 0);
    CU_ASSERT(H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros) >= 0);
    H5Dclose(d);
    H5Sclose(s);
}

static void edit_string_outcomes(hid_t f)
{
    CU_ASSERT(H5Ldelete(f, "/arms/baseline/outcomes", H5P_DEFAULT) >= 0);
    hsize_t n = R_;
    double x[R_] = {1, 2, 3};
    hid_t s = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(f, "/arms/baseline/outcomes", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT,
                         H5P_DEFAULT);
    CU_ASSERT(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
    H5Dclose(d);
    H5Sclose(s);
}

static void test_bad_files(void)
{
    bz_results r;
    bz_error err;
    /* Missing file. */
    CU_ASSERT_EQUAL(bz_h5_read(&r, tmp("nope.h5"), &err), BZ_ENOENT);
    CU_ASSERT(strstr(err.msg, "nope.h5") != NULL);
    /* Not HDF5. */
    const char *text = tmp("text.h5");
    FILE *f = fopen(text, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("name: not hdf5\n", f);
    fclose(f);
    expect_einval(text, "not an HDF5 file");
    /* Empty file. */
    const char *empty = tmp("empty.h5");
    fclose(fopen(empty, "w"));
    expect_einval(empty, NULL);
    /* Truncated copies of a good file. */
    const char *good = write_fixture("good.h5");
    long size = file_size(good);
    CU_ASSERT_FATAL(size > 1000);
    long cuts[] = {size / 2, size - 100, 600, 100};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        copy_prefix(good, tmp("trunc.h5"), cuts[i]);
        expect_einval(tmp("trunc.h5"), NULL);
    }
    /* Valid HDF5 but wrong content. */
    struct {
        void (*edit)(hid_t);
        const char *needle;
    } cases[] = {
        {edit_schema, "buzzsim_schema is 3"},
        {edit_incomplete, "incomplete"},
        {edit_drop_sales, "/arms/promo/sales: dataset is missing"},
        {edit_reshape_state, "/arms/promo/states/adopted: expected dims [3, 5], got [3, 4]"},
        {edit_string_outcomes, "/arms/baseline/outcomes: expected compound"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *p = write_fixture("edited.h5");
        edit_file(p, cases[i].edit);
        expect_einval(p, cases[i].needle);
    }
    /* A non-buzzsim HDF5 file. */
    hid_t h = H5Fcreate(tmp("other.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CU_ASSERT_FATAL(h >= 0);
    H5Fclose(h);
    expect_einval(tmp("other.h5"), "not a buzzsim results file");
}

/* Read and export a damaged file in a child process; its exit code is 0
 * (read back fine), 1 (rejected cleanly) or 2 (unexpected status). A crash
 * shows as a signal. The child leaves with _exit: HDF5 1.10 leaks a little
 * memory when an object header fails to decode, which must not reach the
 * test's own leak check or HDF5's exit-time cleanup. */
static int probe_damaged(const char *bad)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        bz_results r;
        bz_error err;
        int code = 0;
        int st = bz_h5_read(&r, bad, &err);
        if (st == BZ_OK)
            bz_results_destroy(&r);
        else
            code = (st == BZ_EINVAL || st == BZ_ENOMEM) ? 1 : 2;
        FILE *sink = fopen("/dev/null", "w");
        int xs = bz_h5_export(bad, "/arms/baseline/summary/adopters", BZ_EXPORT_TSV, sink, &err);
        if (xs != BZ_OK && xs != BZ_EINVAL && xs != BZ_ENOMEM) code = 2;
        if (sink) fclose(sink);
        _exit(code);
    }
    int wst = 0;
    if (pid < 0 || waitpid(pid, &wst, 0) != pid) return -1;
    return WIFEXITED(wst) ? WEXITSTATUS(wst) : -1;
}

/* Damage a good file at many offsets: reading and exporting must fail
 * cleanly or succeed, never crash (the ASan build checks memory safety). */
static void test_corrupt_bytes(void)
{
    const char *good = write_fixture("good2.h5");
    long size = file_size(good);
    CU_ASSERT_FATAL(size > 0);
    const char *bad = tmp("corrupt.h5");
    int rejected = 0;
    for (long off = 0; off < size; off += size / 37 + 1) {
        copy_prefix(good, bad, size);
        FILE *f = fopen(bad, "r+b");
        CU_ASSERT_FATAL(f != NULL);
        fseek(f, off, SEEK_SET);
        for (int i = 0; i < 48; i++)
            fputc(0xA5 ^ i, f);
        fclose(f);
        int code = probe_damaged(bad);
        CU_ASSERT(code == 0 || code == 1);
        if (code != 0 && code != 1) fprintf(stderr, "damage at %ld: child status %d\n", off, code);
        rejected += code == 1;
    }
    CU_ASSERT(rejected > 0); /* the damage is noticed at least sometimes */
}

/* Export `dataset` into a malloc'd string; returns the status. */
static int export_str(const char *path, const char *dataset, bz_export_format fmt, char **text,
                      bz_error *err)
{
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    CU_ASSERT_FATAL(f != NULL);
    int st = bz_h5_export(path, dataset, fmt, f, err);
    fclose(f);
    return st;
}

/* Split line `i` (0-based) of text into at most 16 fields on `sep`. */
static int fields(const char *text, int line, char sep, char out[32][64])
{
    const char *p = text;
    for (int i = 0; i < line && p; i++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || !*p) return 0;
    int n = 0;
    size_t k = 0;
    out[0][0] = '\0';
    for (; *p && *p != '\n'; p++) {
        if (*p == sep) {
            out[n][k] = '\0';
            if (++n == 32) return n;
            k = 0;
            continue;
        }
        if (k < 63) out[n][k++] = *p;
    }
    out[n][k] = '\0';
    return n + 1;
}

static int has_prefix(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

static void test_export_series(void)
{
    const char *path = write_fixture("exp.h5");
    char *text = NULL;
    bz_error err;
    char f[32][64];
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/arms/promo/adopters", BZ_EXPORT_TSV, &text, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL(count_lines(text), 1 + T_);
    CU_ASSERT(has_prefix(text, "# time_days\trep0\trep1\trep2\n"));
    for (int t = 0; t < T_; t++) {
        CU_ASSERT_EQUAL_FATAL(fields(text, 1 + t, '\t', f), 1 + R_);
        CU_ASSERT_DOUBLE_EQUAL(strtod(f[0], NULL), 1.5 * t, 1e-12);
        for (int r = 0; r < R_; r++)
            CU_ASSERT_EQUAL(strtoll(f[1 + r], NULL, 10), 2 * t * mult[r]);
    }
    free(text);
    /* Without the leading slash, CSV, a state series. */
    CU_ASSERT_EQUAL_FATAL(
        export_str(path, "arms/baseline/states/adopted", BZ_EXPORT_CSV, &text, &err), BZ_OK);
    CU_ASSERT(has_prefix(text, "time_days,rep0,rep1,rep2\n"));
    CU_ASSERT_EQUAL_FATAL(fields(text, 3, ',', f), 4); /* t = 2 */
    CU_ASSERT_EQUAL(strtoll(f[2], NULL, 10), val(3, 0, 1, 2));
    free(text);
    /* time and degree histogram */
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/arms/promo/time", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(text, "# time_days\n0\n1.5\n3\n4.5\n6\n");
    free(text);
    CU_ASSERT_EQUAL_FATAL(
        export_str(path, "/network/wechat/degree_histogram", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(text, "# degree\tcount\n0\t1\n1\t11\n2\t21\n3\t31\n");
    free(text);
}

static void test_export_summary(void)
{
    const char *path = write_fixture("exp.h5");
    char *text = NULL;
    bz_error err;
    char f[32][64];
    CU_ASSERT_EQUAL_FATAL(
        export_str(path, "/arms/baseline/summary/adopters", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT(has_prefix(text, "# time_days\tmean\tsd\tq05\tq50\tq95\n"));
    CU_ASSERT_EQUAL(count_lines(text), 1 + T_);
    /* t = 4: values 4, 12, 32. mean 16; sd = sqrt((144 + 16 + 256) / 2);
     * linear quantiles at positions 0.05*2 = 0.1 and 0.95*2 = 1.9. */
    CU_ASSERT_EQUAL_FATAL(fields(text, 5, '\t', f), 6);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[0], NULL), 6.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[1], NULL), 16.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[2], NULL), sqrt(208.0), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[3], NULL), 4.8, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[4], NULL), 12.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[5], NULL), 30.0, 1e-12);
    /* t = 0: all zero. */
    CU_ASSERT_EQUAL_FATAL(fields(text, 1, '\t', f), 6);
    for (int k = 1; k < 6; k++)
        CU_ASSERT(strtod(f[k], NULL) == 0.0);
    free(text);
    /* Every series family has a summary under its dotted name. */
    const char *names[] = {"sales",
                           "stock",
                           "states.unaware",
                           "states.adopted",
                           "exposures.advertising",
                           "exposures.wechat",
                           "adoptions_by.advertising",
                           "adoptions_by.wechat"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char ds[128];
        snprintf(ds, sizeof ds, "/arms/promo/summary/%s", names[i]);
        CU_ASSERT_EQUAL(export_str(path, ds, BZ_EXPORT_TSV, &text, &err), BZ_OK);
        free(text);
    }
    /* stock is -1 everywhere: q50 of the constant -1. */
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/arms/promo/summary/stock", BZ_EXPORT_TSV, &text, &err),
                          BZ_OK);
    CU_ASSERT_EQUAL_FATAL(fields(text, 2, '\t', f), 6);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[4], NULL), -1.0, 0);
    free(text);
}

static void test_export_outcomes(void)
{
    const char *path = write_fixture("exp.h5");
    char *text = NULL;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/arms/promo/outcomes", BZ_EXPORT_TSV, &text, &err),
                          BZ_OK);
    char header[4096] = "# replicate";
    for (int k = 0; k < BZ_N_OUTCOMES; k++) {
        strcat(header, "\t");
        strcat(header, bz_outcome_defs[k].name);
    }
    strcat(header, "\n");
    CU_ASSERT(has_prefix(text, header));
    CU_ASSERT_EQUAL(count_lines(text), 1 + R_);
    char g[32][64];
    CU_ASSERT_EQUAL_FATAL(fields(text, 2, '\t', g), 1 + BZ_N_OUTCOMES); /* replicate 1 */
    CU_ASSERT_STRING_EQUAL(g[0], "1");
    CU_ASSERT_DOUBLE_EQUAL(strtod(g[1 + BZ_OUT_FINAL_ADOPTERS], NULL), 27.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(strtod(g[1 + BZ_OUT_PEAK_TIME], NULL), 2.0, 0);
    CU_ASSERT_STRING_EQUAL(g[1 + BZ_OUT_SELLOUT_SECONDS], "nan");
    CU_ASSERT_DOUBLE_EQUAL(strtod(g[1 + BZ_OUT_COST_PER_ADOPTER], NULL), 1234.5 / 27.0, 1e-9);
    free(text);
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/arms/promo/outcomes", BZ_EXPORT_CSV, &text, &err),
                          BZ_OK);
    CU_ASSERT(has_prefix(text, "replicate,final_adopters,"));
    CU_ASSERT_EQUAL_FATAL(fields(text, 1, ',', g), 1 + BZ_N_OUTCOMES);
    CU_ASSERT_STRING_EQUAL(g[1 + BZ_OUT_SELLOUT_SECONDS], ""); /* NaN is an empty CSV field */
    free(text);
}

static void test_export_comparison(void)
{
    const char *path = write_fixture("exp.h5");
    char *text = NULL;
    bz_error err;
    char f[32][64];
    /* final_adopters: promo - baseline = {5, 7, 3}: mean 5, sd 2, se 2/sqrt(3);
     * the 97.5% t quantile with 2 df is 0.95 / sqrt(2 * 0.975 * 0.025). */
    const double tq = 0.95 / sqrt(2 * 0.975 * 0.025);
    const double half = tq * 2.0 / sqrt(3.0);
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/comparison/promo", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT(has_prefix(text, "# outcome\tmean\tci_low\tci_high\n"));
    CU_ASSERT_EQUAL(count_lines(text), 1 + BZ_N_CMP_ROWS); /* outcomes, then the ratios */
    CU_ASSERT_EQUAL_FATAL(fields(text, 1 + BZ_N_OUTCOMES, '\t', f), 4);
    CU_ASSERT_STRING_EQUAL(f[0], "cost_per_extra_adopter");
    CU_ASSERT_EQUAL_FATAL(fields(text, 2 + BZ_N_OUTCOMES, '\t', f), 4);
    CU_ASSERT_STRING_EQUAL(f[0], "return_on_spend");
    CU_ASSERT_EQUAL_FATAL(fields(text, 1, '\t', f), 4);
    CU_ASSERT_STRING_EQUAL(f[0], "final_adopters");
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[1], NULL), 5.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[2], NULL), 5.0 - half, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[3], NULL), 5.0 + half, 1e-9);
    CU_ASSERT_EQUAL_FATAL(fields(text, 1 + BZ_OUT_SELLOUT_SECONDS, '\t', f), 4); /* all NaN */
    CU_ASSERT_STRING_EQUAL(f[0], "sellout_seconds");
    CU_ASSERT_STRING_EQUAL(f[1], "nan");
    free(text);
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/comparison", BZ_EXPORT_CSV, &text, &err), BZ_OK);
    CU_ASSERT(has_prefix(text, "arm,outcome,mean,ci_low,ci_high\n"));
    CU_ASSERT_EQUAL(count_lines(text), 1 + BZ_N_CMP_ROWS); /* one arm besides the baseline */
    CU_ASSERT_EQUAL_FATAL(fields(text, 1 + BZ_OUT_PEAK_TIME, ',', f), 5);
    CU_ASSERT_STRING_EQUAL(f[0], "promo");
    CU_ASSERT_STRING_EQUAL(f[1], "peak_time");
    CU_ASSERT_DOUBLE_EQUAL(strtod(f[2], NULL), 1.0, 1e-12); /* r + 1 - r */
    free(text);
}

static void test_export_names_and_errors(void)
{
    const char *path = write_fixture("exp.h5");
    char *text = NULL;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(export_str(path, "arms", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(text, "baseline\npromo\n");
    free(text);
    CU_ASSERT_EQUAL_FATAL(export_str(path, "channels", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(text, "advertising\nwechat\n");
    free(text);
    CU_ASSERT_EQUAL(export_str(path, "/arms/nope/adopters", BZ_EXPORT_TSV, &text, &err), BZ_EINVAL);
    free(text);
    char want[700];
    snprintf(want, sizeof want, "%s: no dataset '/arms/nope/adopters' (try buzzsim info %s)", path,
             path);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    CU_ASSERT_EQUAL(export_str(path, "/arms/promo/summary", BZ_EXPORT_TSV, &text, &err), BZ_EINVAL);
    free(text);
    CU_ASSERT(strstr(err.msg, "is a group") != NULL);
    CU_ASSERT(strstr(err.msg, "states.adopted") != NULL);
    CU_ASSERT_EQUAL(export_str(tmp("missing.h5"), "arms", BZ_EXPORT_TSV, &text, &err), BZ_ENOENT);
    free(text);
}

static void test_single_arm(void)
{
    bz_results w, r;
    bz_error err;
    char *text = NULL;
    fill(&w);
    w.n_arms = 1; /* arm 1 stays allocated; destroy it by restoring n_arms */
    const char *path = tmp("single.h5");
    CU_ASSERT_EQUAL_FATAL(bz_h5_write(path, &w, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_h5_read(&r, path, &err), BZ_OK);
    CU_ASSERT_EQUAL(r.n_arms, 1);
    CU_ASSERT_EQUAL_FATAL(export_str(path, "/comparison", BZ_EXPORT_TSV, &text, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(text, "# arm\toutcome\tmean\tci_low\tci_high\n");
    free(text);
    w.n_arms = 2;
    bz_results_destroy(&w);
    bz_results_destroy(&r);
}

static void test_results_init(void)
{
    bz_results r;
    bz_error err;
    CU_ASSERT_EQUAL(bz_results_init(&r, 0, 5, 2, 2, 1, 0, &err), BZ_EINVAL);
    CU_ASSERT(r.arms == NULL);
    CU_ASSERT_EQUAL(bz_results_init(&r, 2, 5, 9, 2, 1, 0, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_results_init(&r, 2, 5, 2, BZ_CH_MAX + 1, 1, 0, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_results_init(&r, 2, 5, 2, 2, 0, 0, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL_FATAL(bz_results_init(&r, 2, 5, 2, 3, 2, 1, &err), BZ_OK);
    CU_ASSERT(r.arms[1].name[0] == '\0' && r.arms[1].campaigns_yaml == NULL);
    CU_ASSERT(r.arms[1].series[BZ_SER_EXPOSURES][3 * 2 * 5 - 1] == 0);
    CU_ASSERT(r.layers[0].degree_histogram == NULL);
    CU_ASSERT_EQUAL(bz_outcome_find("final_adopters"), BZ_OUT_FINAL_ADOPTERS);
    CU_ASSERT_EQUAL(bz_outcome_find("nope"), -1);
    for (int k = 0; k < BZ_N_OUTCOMES; k++) /* every row of the table is filled */
        CU_ASSERT(bz_outcome_defs[k].name && bz_outcome_defs[k].unit && bz_outcome_defs[k].desc);
    for (int k = 0; k < BZ_N_SERIES; k++)
        CU_ASSERT(bz_series_defs[k].name && bz_series_defs[k].unit && bz_series_defs[k].desc);
    bz_results_destroy(&r);
    CU_ASSERT(r.arms == NULL && r.n_arms == 0);
    bz_results_destroy(NULL);
}

static int setup_tmp(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/bz_h5_XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static void test_cleanup_tmp(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    CU_ASSERT(system(cmd) == 0);
}

/* Each test runs inside a check that it leaves no HDF5 identifier open. */
#define LEAK_CHECKED(fn)                                                                           \
    static void fn##_checked(void)                                                                 \
    {                                                                                              \
        long before = open_handles();                                                              \
        fn();                                                                                      \
        long after = open_handles();                                                               \
        CU_ASSERT_EQUAL(after, before);                                                            \
        if (after != before) fprintf(stderr, "%s leaked %ld HDF5 ids\n", #fn, after - before);     \
    }
LEAK_CHECKED(test_roundtrip)
LEAK_CHECKED(test_overwrite)
LEAK_CHECKED(test_write_rejects_bad_names)
LEAK_CHECKED(test_bad_files)
LEAK_CHECKED(test_corrupt_bytes)
LEAK_CHECKED(test_export_series)
LEAK_CHECKED(test_export_summary)
LEAK_CHECKED(test_export_outcomes)
LEAK_CHECKED(test_export_comparison)
LEAK_CHECKED(test_export_names_and_errors)
LEAK_CHECKED(test_single_arm)

static CU_TestInfo tests[] = {
    {"results_init", test_results_init},
    {"roundtrip", test_roundtrip_checked},
    {"overwrite", test_overwrite_checked},
    {"write_rejects_bad_names", test_write_rejects_bad_names_checked},
    {"bad_files", test_bad_files_checked},
    {"corrupt_bytes", test_corrupt_bytes_checked},
    {"export_series", test_export_series_checked},
    {"export_summary", test_export_summary_checked},
    {"export_outcomes", test_export_outcomes_checked},
    {"export_comparison", test_export_comparison_checked},
    {"export_names_and_errors", test_export_names_and_errors_checked},
    {"single_arm", test_single_arm_checked},
    {"cleanup", test_cleanup_tmp},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    if (setup_tmp() != 0) {
        perror("mkdtemp");
        return 1;
    }
    return bz_test_main("h5", tests);
}

/* Sweep result files (sweep/h5_sweep.h): written whole (built in memory,
 * then written, synced and renamed: io/h5_util.h bz_h5_mem_commit), read
 * back (untrusted). A running sweep's finished points are kept by its
 * journal (sweep/journal.h), not by rewriting this file in place. */
#include "sweep/h5_sweep.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "base/file.h"
#include "io/h5_util.h"

#define MAX_ELEMENTS (1ull << 31) /* outcomes/series elements accepted from a file */

typedef struct sobol_row {
    char outcome[BZ_SWEEP_COL_MAX];
    char dimension[BZ_AXIS_KEY_MAX];
    double first_order, total;
} sobol_row;

static hid_t str_type(size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return t;
    if (H5Tset_size(t, size) < 0 || H5Tset_strpad(t, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Outcome columns as a compound of doubles (memory or file layout). */
static hid_t outcome_type(const bz_sweep_data *d, int file)
{
    const char **names = malloc((d->n_out ? d->n_out : 1) * sizeof *names);
    if (!names) return H5I_INVALID_HID;
    for (size_t i = 0; i < d->n_out; i++)
        names[i] = d->out_names[i];
    hid_t t = bz_h5_doubles_type((const char *const *)names, (int)d->n_out, file);
    free(names);
    return t;
}

/* Params row: a double per numeric axis, a fixed string per word axis,
 * packed in axis order. *row_size is the byte size of one row. */
static hid_t params_type(const bz_sweep_data *d, int file, size_t *row_size)
{
    size_t size = 0;
    for (size_t a = 0; a < d->n_axes; a++)
        size += d->axis_word[a] ? BZ_SWEEP_STR : 8;
    hid_t t = H5Tcreate(H5T_COMPOUND, size ? size : 8), s = str_type(BZ_SWEEP_STR);
    if (t < 0 || s < 0) goto fail;
    size_t off = 0;
    for (size_t a = 0; a < d->n_axes; a++) {
        hid_t m = d->axis_word[a] ? s : (file ? H5T_IEEE_F64LE : H5T_NATIVE_DOUBLE);
        if (H5Tinsert(t, d->axis_names[a], off, m) < 0) goto fail;
        off += d->axis_word[a] ? BZ_SWEEP_STR : 8;
    }
    H5Tclose(s);
    *row_size = size;
    return t;
fail:
    if (t >= 0) H5Tclose(t);
    if (s >= 0) H5Tclose(s);
    return H5I_INVALID_HID;
}

static hid_t sobol_type(void)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(sobol_row));
    hid_t a = str_type(BZ_SWEEP_COL_MAX), b = str_type(BZ_AXIS_KEY_MAX);
    int ok =
        t >= 0 && a >= 0 && b >= 0 &&
        H5Tinsert(t, "outcome", offsetof(sobol_row, outcome), a) >= 0 &&
        H5Tinsert(t, "dimension", offsetof(sobol_row, dimension), b) >= 0 &&
        H5Tinsert(t, "first_order", offsetof(sobol_row, first_order), H5T_NATIVE_DOUBLE) >= 0 &&
        H5Tinsert(t, "total", offsetof(sobol_row, total), H5T_NATIVE_DOUBLE) >= 0;
    if (a >= 0) H5Tclose(a);
    if (b >= 0) H5Tclose(b);
    if (!ok && t >= 0) {
        H5Tclose(t);
        t = H5I_INVALID_HID;
    }
    return t;
}

static herr_t put_u64(hid_t obj, const char *name, uint64_t v)
{
    return bz_h5_put_scalar_attr(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, &v);
}

static void join(char *buf, size_t size, size_t n, const char *base, size_t stride)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", i ? "," : "", base + i * stride);
    }
}

static herr_t put_attrs(hid_t file, hid_t g, const bz_sweep_data *d)
{
    char shard[64], list[8192];
    int32_t complete = 0;
    snprintf(shard, sizeof shard, "%u/%u", (unsigned)d->shard + 1, (unsigned)d->n_shards);
    if (bz_h5_put_provenance(file, d->command_line) < 0 ||
        bz_h5_put_scalar_attr(file, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete) < 0)
        return -1;
    if (bz_h5_put_string_attr(g, "name", d->name) < 0 ||
        bz_h5_put_string_attr(g, "sweep_id", d->id) < 0 ||
        bz_h5_put_string_attr(g, "sweep_yaml", d->sweep_yaml) < 0 ||
        bz_h5_put_string_attr(g, "base_yaml", d->base_yaml) < 0 ||
        bz_h5_put_string_attr(g, "design", d->design) < 0 ||
        put_u64(g, "samples", d->samples) < 0 || put_u64(g, "seed", d->seed) < 0 ||
        put_u64(g, "replicates", d->R) < 0 || put_u64(g, "points", d->P) < 0 ||
        bz_h5_put_string_attr(g, "shard", shard) < 0)
        return -1;
    join(list, sizeof list, d->n_arms, (const char *)d->arm_names, sizeof *d->arm_names);
    if (bz_h5_put_string_attr(g, "arms", list) < 0) return -1;
    join(list, sizeof list, d->n_dims, (const char *)d->dim_names, sizeof *d->dim_names);
    return bz_h5_put_string_attr(g, "dimensions", list);
}

static int write_sobol(hid_t file, const char *path, const bz_sweep_data *d, bz_error *err)
{
    int status = BZ_OK;
    hid_t t = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    size_t n = d->n_out * d->n_dims;
    sobol_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) BZ_FAIL_OOM(err, NULL, (n ? n : 1) * sizeof *rows, "the rows of /sweep/sobol");
    for (size_t k = 0; k < d->n_out; k++)
        for (size_t j = 0; j < d->n_dims; j++) {
            sobol_row *r = &rows[k * d->n_dims + j];
            snprintf(r->outcome, sizeof r->outcome, "%s", d->out_names[k]);
            snprintf(r->dimension, sizeof r->dimension, "%s", d->dim_names[j]);
            r->first_order = d->s1[k * d->n_dims + j];
            r->total = d->st[k * d->n_dims + j];
        }
    hsize_t dims = n, chunk = n ? n : 1;
    if ((t = sobol_type()) < 0 ||
        (ds = bz_h5_make_dataset(file, "/sweep/sobol", 1, &dims, &chunk, t, t, rows)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/sobol"));
cleanup:
    if (ds >= 0) H5Dclose(ds);
    if (t >= 0) H5Tclose(t);
    free(rows);
    return status;
}

/* Every dataset and attribute of d into the open (in-memory) file. */
static int build(hid_t file, const char *path, const bz_sweep_data *d, bz_error *err)
{
    int status = BZ_OK;
    hid_t g = H5I_INVALID_HID, pm = H5I_INVALID_HID, pf = H5I_INVALID_HID;
    hid_t om = H5I_INVALID_HID, of = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    hid_t attr = H5I_INVALID_HID;
    char *rows = NULL;
    if ((g = H5Gcreate2(file, "sweep", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0 ||
        put_attrs(file, g, d) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep"));
    /* params: pack the rows */
    size_t row = 0;
    if ((pm = params_type(d, 0, &row)) < 0 || (pf = params_type(d, 1, &row)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/params"));
    if (!(rows = calloc(d->P ? d->P : 1, row)))
        BZ_FAIL_OOM(err, NULL, (d->P ? d->P : 1) * row, "the rows of /sweep/params");
    for (size_t p = 0; p < d->P; p++) {
        size_t off = 0;
        for (size_t a = 0; a < d->n_axes; a++) {
            char *dst = rows + p * row + off;
            if (d->axis_word[a]) {
                memcpy(dst, d->word[p * d->n_axes + a], BZ_SWEEP_STR);
                off += BZ_SWEEP_STR;
            } else {
                memcpy(dst, &d->num[p * d->n_axes + a], 8);
                off += 8;
            }
        }
    }
    hsize_t P = d->P, chunkP = d->P < 1024 ? (d->P ? d->P : 1) : 1024;
    if ((ds = bz_h5_make_dataset(g, "params", 1, &P, &chunkP, pf, pm, rows)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/params"));
    H5Dclose(ds);
    if ((om = outcome_type(d, 0)) < 0 || (of = outcome_type(d, 1)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/outcomes"));
    hsize_t dims2[2] = {d->P, d->R}, chunk2[2] = {1, d->R};
    if ((ds = bz_h5_make_dataset(g, "outcomes", 2, dims2, chunk2, of, om, d->outcomes)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/outcomes"));
    H5Dclose(ds);
    if ((ds = bz_h5_make_dataset(g, "done", 1, &P, &chunkP, H5T_STD_U8LE, H5T_NATIVE_UINT8,
                                 d->done)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/done"));
    H5Dclose(ds);
    ds = H5I_INVALID_HID;
    if (d->T) {
        hsize_t T = d->T, dims3[3] = {d->P, d->n_arms, d->T}, chunk3[3] = {1, d->n_arms, d->T};
        if ((ds = bz_h5_make_dataset(g, "time", 1, &T, &T, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                     d->time_days)) < 0)
            BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/time"));
        H5Dclose(ds);
        if ((ds = bz_h5_make_dataset(g, "series", 3, dims3, chunk3, H5T_IEEE_F64LE,
                                     H5T_NATIVE_DOUBLE, d->series)) < 0)
            BZ_CHECK(bz_h5_write_fail(err, path, "/sweep/series"));
        H5Dclose(ds);
        ds = H5I_INVALID_HID;
    }
    if (d->have_sobol) BZ_CHECK(write_sobol(file, path, d, err));
    int32_t complete = d->complete ? 1 : 0;
    if ((attr = H5Aopen(file, "complete", H5P_DEFAULT)) < 0 ||
        H5Awrite(attr, H5T_NATIVE_INT32, &complete) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/"));
cleanup:
    free(rows);
    hid_t types[] = {pm, pf, om, of};
    for (size_t i = 0; i < 4; i++)
        if (types[i] >= 0) H5Tclose(types[i]);
    if (ds >= 0) H5Dclose(ds);
    if (attr >= 0) H5Aclose(attr);
    if (g >= 0) H5Gclose(g);
    return status;
}

int bz_h5_sweep_save(const char *path, const char *tmp, const bz_sweep_data *d, bz_error *err)
{
    int status = BZ_OK;
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    bz_h5_mem mem = {H5I_INVALID_HID, NULL, 0};
    if (bz_h5_mem_create(&mem, path) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "(creating the file in memory)"));
    BZ_CHECK(build(mem.file, path, d, err));
    status = bz_h5_mem_commit(&mem, path, tmp, err);
cleanup:
    bz_h5_mem_discard(&mem);
    bz_h5_quiet_end(&quiet);
    return status;
}

int bz_h5_sweep_write(const char *path, const bz_sweep_data *d, int force, bz_error *err)
{
    int status = BZ_OK;
    char *partial = NULL;
    BZ_CHECK(bz_h5_check_output(path, force, err));
    size_t len = strlen(path) + sizeof ".partial";
    if (!(partial = malloc(len))) BZ_FAIL_OOM(err, NULL, len, "the path '%s.partial'", path);
    snprintf(partial, len, "%s.partial", path);
    BZ_CHECK(bz_h5_sweep_save(path, partial, d, err));
cleanup:
    free(partial);
    return status;
}

/* ------------------------------------------------------------------ reading */

typedef struct rctx {
    const char *path;
    hid_t file;
    bz_error *err;
} rctx;

static int rfail(rctx *c, const char *obj, const char *what)
{
    return bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "%s", what);
}

/* Dataset `name` with `rank` dims into dims; BZ_EINVAL if absent or another rank. */
static int open_ds(rctx *c, const char *name, int rank, hsize_t *dims, hid_t *ds)
{
    *ds = H5Dopen2(c->file, name, H5P_DEFAULT);
    if (*ds < 0) return rfail(c, name, "missing or unreadable dataset");
    hid_t sp = H5Dget_space(*ds);
    int r = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (r == rank) H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0) H5Sclose(sp);
    if (r != rank) {
        H5Dclose(*ds);
        *ds = H5I_INVALID_HID;
        return rfail(c, name, "dataset has the wrong number of dimensions");
    }
    return BZ_OK;
}

/* Split a comma-separated attribute into names of `width` bytes. */
static int split_names(rctx *c, const char *text, size_t width, char **out, size_t *n)
{
    size_t count = text[0] ? 1 : 0;
    for (const char *p = text; *p; p++)
        count += *p == ',';
    char *v = calloc(count ? count : 1, width);
    if (!v) return bz_error_oom(c->err, NULL, (count ? count : 1) * width, "%zu names", count);
    const char *p = text;
    for (size_t i = 0; i < count; i++) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= width) {
            free(v);
            return rfail(c, "/sweep", "bad name list attribute (arms or dimensions)");
        }
        memcpy(v + i * width, p, len);
        p += len + (p[len] == ',');
    }
    *out = v;
    *n = count;
    return BZ_OK;
}

static int read_attrs(rctx *c, bz_sweep_data *d, hid_t g)
{
    int status = BZ_OK;
    char *s = NULL;
    uint64_t v;
    int64_t complete = 0, schema = 0;
    BZ_CHECK(bz_h5_get_num_attr(c->file, c->path, "/", "buzzsim_schema", H5T_NATIVE_INT64, &schema,
                                c->err));
    if (schema != BZ_SCHEMA_VERSION) BZ_CHECK(rfail(c, "/", "unsupported buzzsim_schema"));
    BZ_CHECK(
        bz_h5_get_num_attr(c->file, c->path, "/", "complete", H5T_NATIVE_INT64, &complete, c->err));
    d->complete = complete == 1;
    BZ_CHECK(
        bz_h5_get_string_attr(c->file, c->path, "/", "command_line", &d->command_line, c->err));
    const char *names[] = {"created", "buzzsim_version"};
    char *dst[] = {d->created, d->version};
    for (int i = 0; i < 2; i++) {
        BZ_CHECK(bz_h5_get_string_attr(c->file, c->path, "/", names[i], &s, c->err));
        snprintf(dst[i], BZ_NAME_MAX, "%s", s);
        free(s);
        s = NULL;
    }
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", "sweep_yaml", &d->sweep_yaml, c->err));
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", "base_yaml", &d->base_yaml, c->err));
    const char *snames[] = {"name", "sweep_id", "design"};
    char *sdst[] = {d->name, d->id, d->design};
    size_t ssize[] = {sizeof d->name, sizeof d->id, sizeof d->design};
    for (int i = 0; i < 3; i++) {
        BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", snames[i], &s, c->err));
        snprintf(sdst[i], ssize[i], "%s", s);
        free(s);
        s = NULL;
    }
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, "/sweep", "samples", H5T_NATIVE_UINT64, &d->samples,
                                c->err));
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, "/sweep", "seed", H5T_NATIVE_UINT64, &d->seed, c->err));
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, "/sweep", "replicates", H5T_NATIVE_UINT64, &v, c->err));
    if (v == 0 || v > 100000) BZ_CHECK(rfail(c, "/sweep", "replicates out of range"));
    d->R = (uint32_t)v;
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", "shard", &s, c->err));
    unsigned si = 0, sn = 0;
    char extra;
    if (sscanf(s, "%u/%u%c", &si, &sn, &extra) != 2 || sn == 0 || si == 0 || si > sn)
        BZ_CHECK(rfail(c, "/sweep", "bad shard attribute (expected I/N)"));
    d->shard = si - 1;
    d->n_shards = sn;
    free(s);
    s = NULL;
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", "arms", &s, c->err));
    BZ_CHECK(split_names(c, s, BZ_NAME_MAX, (char **)&d->arm_names, &d->n_arms));
    free(s);
    s = NULL;
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, "/sweep", "dimensions", &s, c->err));
    BZ_CHECK(split_names(c, s, BZ_AXIS_KEY_MAX, (char **)&d->dim_names, &d->n_dims));
cleanup:
    free(s);
    return status;
}

/* One member of a compound dataset, converted to mtype, into buf. */
static herr_t read_member(hid_t ds, const char *name, hid_t mtype, size_t size, void *buf)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, size);
    herr_t rc = -1;
    if (t >= 0 && H5Tinsert(t, name, 0, mtype) >= 0)
        rc = H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
    if (t >= 0) H5Tclose(t);
    return rc;
}

static int read_params(rctx *c, bz_sweep_data *d)
{
    int status = BZ_OK;
    hsize_t dims[1];
    hid_t ds = H5I_INVALID_HID, ft = H5I_INVALID_HID, st = H5I_INVALID_HID;
    double *col = NULL;
    char(*words)[BZ_SWEEP_STR] = NULL;
    BZ_CHECK(open_ds(c, "/sweep/params", 1, dims, &ds));
    d->P = dims[0];
    if (d->P == 0 || d->P > MAX_ELEMENTS / d->R)
        BZ_CHECK(rfail(c, "/sweep/params", "point count out of range"));
    ft = H5Dget_type(ds);
    int n = ft >= 0 && H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
    if (n <= 0 || n > 4096) BZ_CHECK(rfail(c, "/sweep/params", "expected a compound of axes"));
    d->n_axes = (size_t)n;
    d->axis_names = calloc(d->n_axes, sizeof *d->axis_names);
    d->axis_word = calloc(d->n_axes, sizeof *d->axis_word);
    d->num = malloc(d->P * d->n_axes * sizeof *d->num);
    d->word = calloc(d->P * d->n_axes, sizeof *d->word);
    col = malloc(d->P * sizeof *col);
    words = calloc(d->P, sizeof *words);
    if (!d->axis_names || !d->axis_word || !d->num || !d->word || !col || !words)
        BZ_FAIL_OOM(c->err, NULL,
                    d->n_axes * (sizeof *d->axis_names + sizeof *d->axis_word) +
                        d->P * d->n_axes * (sizeof *d->num + sizeof *d->word) +
                        d->P * (sizeof *col + sizeof *words),
                    "reading the /sweep/params of '%s'", c->path);
    if ((st = str_type(BZ_SWEEP_STR)) < 0) BZ_CHECK(rfail(c, "/sweep/params", "string type"));
    for (size_t a = 0; a < d->n_axes; a++) {
        char *name = H5Tget_member_name(ft, (unsigned)a);
        H5T_class_t cls = H5Tget_member_class(ft, (unsigned)a);
        if (!name || strlen(name) >= BZ_AXIS_KEY_MAX || (cls != H5T_FLOAT && cls != H5T_STRING)) {
            if (name) H5free_memory(name);
            BZ_CHECK(rfail(c, "/sweep/params", "axis fields must be numbers or strings"));
        }
        snprintf(d->axis_names[a], BZ_AXIS_KEY_MAX, "%s", name);
        herr_t rc = cls == H5T_FLOAT ? read_member(ds, name, H5T_NATIVE_DOUBLE, sizeof(double), col)
                                     : read_member(ds, name, st, BZ_SWEEP_STR, words);
        H5free_memory(name);
        if (rc < 0) BZ_CHECK(rfail(c, "/sweep/params", "cannot read an axis field"));
        d->axis_word[a] = cls == H5T_STRING;
        for (size_t p = 0; p < d->P; p++) {
            d->num[p * d->n_axes + a] = cls == H5T_FLOAT ? col[p] : NAN;
            if (cls == H5T_STRING) {
                words[p][BZ_SWEEP_STR - 1] = '\0';
                memcpy(d->word[p * d->n_axes + a], words[p], BZ_SWEEP_STR);
            }
        }
    }
cleanup:
    free(col);
    free(words);
    if (st >= 0) H5Tclose(st);
    if (ft >= 0) H5Tclose(ft);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

static int read_outcomes(rctx *c, bz_sweep_data *d)
{
    int status = BZ_OK;
    hsize_t dims[2];
    hid_t ds = H5I_INVALID_HID, ft = H5I_INVALID_HID, mt = H5I_INVALID_HID;
    BZ_CHECK(open_ds(c, "/sweep/outcomes", 2, dims, &ds));
    if (dims[0] != d->P || dims[1] != d->R)
        BZ_CHECK(rfail(c, "/sweep/outcomes", "shape is not [points, replicates]"));
    ft = H5Dget_type(ds);
    int n = ft >= 0 && H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
    if (n <= 0 || n > 1024 || (uint64_t)n * d->P * d->R > MAX_ELEMENTS)
        BZ_CHECK(rfail(c, "/sweep/outcomes", "expected a compound of outcome columns"));
    d->n_out = (size_t)n;
    d->out_names = calloc(d->n_out, sizeof *d->out_names);
    d->outcomes = malloc(d->P * d->R * d->n_out * sizeof *d->outcomes);
    if (!d->out_names || !d->outcomes)
        BZ_FAIL_OOM(c->err, NULL,
                    d->n_out * sizeof *d->out_names + d->P * d->R * d->n_out * sizeof *d->outcomes,
                    "reading the /sweep/outcomes of '%s'", c->path);
    for (size_t k = 0; k < d->n_out; k++) {
        char *name = H5Tget_member_name(ft, (unsigned)k);
        int ok = name && strlen(name) < BZ_SWEEP_COL_MAX &&
                 H5Tget_member_class(ft, (unsigned)k) == H5T_FLOAT;
        if (ok) memcpy(d->out_names[k], name, strlen(name) + 1); /* fits: checked above */
        if (name) H5free_memory(name);
        if (!ok) BZ_CHECK(rfail(c, "/sweep/outcomes", "outcome columns must be numbers"));
    }
    if ((mt = outcome_type(d, 0)) < 0 ||
        H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->outcomes) < 0)
        BZ_CHECK(rfail(c, "/sweep/outcomes", "cannot read"));
cleanup:
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* done, and the optional time/series and sobol datasets. */
static int read_rest(rctx *c, bz_sweep_data *d)
{
    int status = BZ_OK;
    hsize_t dims[3];
    hid_t ds = H5I_INVALID_HID, t = H5I_INVALID_HID;
    sobol_row *rows = NULL;
    if (!(d->done = malloc(d->P))) BZ_FAIL_OOM(c->err, NULL, d->P, "reading /sweep/done");
    BZ_CHECK(open_ds(c, "/sweep/done", 1, dims, &ds));
    if (dims[0] != d->P ||
        H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->done) < 0)
        BZ_CHECK(rfail(c, "/sweep/done", "expected [points] flags"));
    H5Dclose(ds);
    ds = H5I_INVALID_HID;
    if (H5Lexists(c->file, "/sweep/series", H5P_DEFAULT) > 0) {
        BZ_CHECK(open_ds(c, "/sweep/time", 1, dims, &ds));
        if (dims[0] == 0 || dims[0] > 100000000) BZ_CHECK(rfail(c, "/sweep/time", "bad length"));
        d->T = (uint32_t)dims[0];
        if (!(d->time_days = malloc(d->T * sizeof *d->time_days)))
            BZ_FAIL_OOM(c->err, NULL, d->T * sizeof *d->time_days, "reading /sweep/time");
        if (H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->time_days) < 0)
            BZ_CHECK(rfail(c, "/sweep/time", "cannot read"));
        H5Dclose(ds);
        ds = H5I_INVALID_HID;
        BZ_CHECK(open_ds(c, "/sweep/series", 3, dims, &ds));
        if (dims[0] != d->P || dims[1] != d->n_arms || dims[2] != d->T ||
            d->P * d->n_arms * d->T > MAX_ELEMENTS)
            BZ_CHECK(rfail(c, "/sweep/series", "shape is not [points, arms, times]"));
        if (!(d->series = malloc(d->P * d->n_arms * d->T * sizeof *d->series)))
            BZ_FAIL_OOM(c->err, NULL, d->P * d->n_arms * d->T * sizeof *d->series,
                        "reading /sweep/series");
        if (H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, d->series) < 0)
            BZ_CHECK(rfail(c, "/sweep/series", "cannot read"));
        H5Dclose(ds);
        ds = H5I_INVALID_HID;
    }
    if (H5Lexists(c->file, "/sweep/sobol", H5P_DEFAULT) > 0) {
        BZ_CHECK(open_ds(c, "/sweep/sobol", 1, dims, &ds));
        size_t n = d->n_out * d->n_dims;
        if (dims[0] != n || n == 0)
            BZ_CHECK(rfail(c, "/sweep/sobol", "shape is not [outcomes x dimensions]"));
        rows = calloc(n, sizeof *rows);
        d->s1 = malloc(n * sizeof *d->s1);
        d->st = malloc(n * sizeof *d->st);
        if (!rows || !d->s1 || !d->st)
            BZ_FAIL_OOM(c->err, NULL, n * (sizeof *rows + sizeof *d->s1 + sizeof *d->st),
                        "reading /sweep/sobol");
        if ((t = sobol_type()) < 0 || H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0)
            BZ_CHECK(rfail(c, "/sweep/sobol", "cannot read"));
        for (size_t i = 0; i < n; i++) {
            d->s1[i] = rows[i].first_order;
            d->st[i] = rows[i].total;
        }
        d->have_sobol = 1;
    }
cleanup:
    free(rows);
    if (t >= 0) H5Tclose(t);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

int bz_h5_sweep_read(bz_sweep_data *d, const char *path, bz_error *err)
{
    int status = BZ_OK;
    memset(d, 0, sizeof *d);
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    rctx c = {path, H5I_INVALID_HID, err};
    hid_t g = H5I_INVALID_HID;
    BZ_CHECK(bz_file_check_input(path, err));
    if (H5Fis_hdf5(path) <= 0) BZ_FAIL(err, BZ_EINVAL, "%s: not an HDF5 file (or truncated)", path);
    if ((c.file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
        char why[256];
        bz_h5_last_error(why, sizeof why);
        BZ_FAIL(err, BZ_EINVAL, "%s: cannot open as HDF5 (corrupt or truncated?): %s", path, why);
    }
    if (H5Lexists(c.file, "sweep", H5P_DEFAULT) <= 0 ||
        (g = H5Gopen2(c.file, "sweep", H5P_DEFAULT)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: no /sweep group: not a sweep file", path);
    BZ_CHECK(read_attrs(&c, d, g));
    BZ_CHECK(read_params(&c, d));
    BZ_CHECK(read_outcomes(&c, d));
    BZ_CHECK(read_rest(&c, d));
cleanup:
    if (g >= 0) H5Gclose(g);
    if (c.file >= 0) H5Fclose(c.file);
    if (status != BZ_OK) bz_sweep_data_destroy(d);
    bz_h5_quiet_end(&quiet);
    return status;
}

int bz_h5_sweep_detect(const char *path)
{
    return bz_h5_has_group(path, "sweep");
}

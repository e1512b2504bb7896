/* Export of one dataset of a results file as a TSV or CSV table (io/h5.h).
 *
 * Shapes handled (anything else is BZ_EINVAL naming the object):
 *   [N] numeric            time -> "time_days"; degree_histogram -> "degree count";
 *                          others -> "time_days|index NAME"
 *   [N,M] numeric          one row per column index m (time), one column per row n:
 *                          "time_days rep0 .. repN-1" ([R,T] series)
 *   [N] compound           one column per member, led by time_days (summaries),
 *                          replicate (outcomes), nothing (/comparison/<arm>) or index
 *   [N,M] compound         led by two index columns (point replicate under /sweep)
 *   /comparison (group)    "arm outcome mean ci_low ci_high", every arm in order
 *   /arms/<arm>/states, exposures, adoptions_by (groups)
 *                          "time_days name..." means over replicates, one row per time
 *   arms, states, channels, layers (pseudo-datasets): names, one per line, no header
 *
 * Data are read in blocks (at most ~32 MiB), so memory does not grow with the
 * file. Tables are written by io/table.h (TSV or CSV, shortest round-trip
 * numbers).
 */
#include "io/h5.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "base/file.h"
#include "io/h5_util.h"
#include "io/table.h"
#include "base/text.h"

#define BLOCK_BYTES ((size_t)32 << 20)

typedef struct xctx {
    const char *path;
    hid_t file;
    bz_table t;
    bz_error *err;
} xctx;

/* The error for a failed write: "no space left on device writing standard
 * output" (the OS reason, and which output). */
static int write_fail(xctx *c)
{
    return bz_table_fail(&c->t, c->t.out == stdout ? "standard output" : "the exported table",
                         c->err);
}

/* Storage can hold at most this many bytes of data per byte (DEFLATE's
 * largest ratio, 1032:1), plus a small allowance. */
#define MAX_EXPAND 1032.0
#define EXPAND_SLACK ((double)(1 << 20))

/* A dataset must hold what it declares: a corrupt or forged file declaring
 * 10^12 rows whose chunks were never written (they read as fill values)
 * would stream for days. Refused when rows x cols x elem bytes exceed what
 * the dataset's storage (at most the file's size) can inflate to. */
static int check_declared(xctx *c, hid_t ds, const char *obj, hsize_t rows, hsize_t cols,
                          size_t elem)
{
    hsize_t fsize = 0;
    double stored = (double)H5Dget_storage_size(ds);
    if (H5Fget_filesize(c->file, &fsize) >= 0 && (double)fsize < stored) stored = (double)fsize;
    double declared = (double)rows * (double)cols * (double)elem;
    if (declared <= stored * MAX_EXPAND + EXPAND_SLACK) return BZ_OK;
    return bz_error_set(c->err, BZ_EINVAL,
                        "%s: %s: declares %llu x %llu values (%.3g bytes) but stores only %.0f "
                        "bytes, which no compression expands to that: corrupt, or not written "
                        "by buzzsim",
                        c->path, obj, (unsigned long long)rows, (unsigned long long)cols, declared,
                        stored);
}

static const char *basename_of(const char *obj)
{
    const char *s = strrchr(obj, '/');
    return s ? s + 1 : obj;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The time axis that goes with an object under /arms/<arm>/, or NULL when
 * there is none (or it is unusable: then rows get an index column). */
static double *find_time(xctx *c, const char *obj, hsize_t *n)
{
    char tpath[4 * BZ_NAME_MAX];
    double *time = NULL;
    hid_t ds = H5I_INVALID_HID, space = H5I_INVALID_HID, type = H5I_INVALID_HID;
    *n = 0;
    if (!starts_with(obj, "/arms/")) return NULL;
    const char *arm = obj + strlen("/arms/");
    const char *end = strchr(arm, '/');
    if (!end || (size_t)(end - arm) >= BZ_NAME_MAX) return NULL;
    snprintf(tpath, sizeof tpath, "/arms/%.*s/time", (int)(end - arm), arm);
    if (!bz_h5_exists(c->file, tpath)) return NULL;
    hsize_t dims[1];
    if ((ds = H5Dopen2(c->file, tpath, H5P_DEFAULT)) < 0 || (space = H5Dget_space(ds)) < 0 ||
        (type = H5Dget_type(ds)) < 0 || H5Sget_simple_extent_ndims(space) != 1 ||
        H5Sget_simple_extent_dims(space, dims, NULL) < 0 ||
        (H5Tget_class(type) != H5T_FLOAT && H5Tget_class(type) != H5T_INTEGER) || dims[0] == 0 ||
        dims[0] > SIZE_MAX / sizeof(double) / 4)
        goto cleanup;
    if ((time = malloc((size_t)dims[0] * sizeof *time)) &&
        H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, time) >= 0) {
        *n = dims[0];
    } else {
        free(time);
        time = NULL;
    }
cleanup:
    if (type >= 0) H5Tclose(type);
    if (space >= 0) H5Sclose(space);
    if (ds >= 0) H5Dclose(ds);
    return time;
}

/* Read elements [start, start+count) along each dim of a dataset with the
 * given rank into buf (row-major block). */
static herr_t read_block(hid_t ds, hid_t fspace, hid_t mtype, int rank, const hsize_t *start,
                         const hsize_t *count, void *buf)
{
    herr_t ret = -1;
    hid_t mspace = H5Screate_simple(rank, count, NULL);
    if (mspace < 0) return -1;
    if (H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
        H5Dread(ds, mtype, mspace, fspace, H5P_DEFAULT, buf) >= 0)
        ret = 0;
    H5Sclose(mspace);
    return ret;
}

/* ---- numeric datasets ---------------------------------------------------- */

static int export_numeric(xctx *c, hid_t ds, hid_t fspace, const char *obj, int rank,
                          const hsize_t *dims, int is_int)
{
    int status = BZ_OK;
    hsize_t nt = 0;
    double *time = find_time(c, obj, &nt);
    void *buf = NULL;
    const char *base = basename_of(obj);
    const hsize_t rows = rank == 1 ? dims[0] : dims[1]; /* output rows */
    const hsize_t cols = rank == 1 ? 1 : dims[0];
    const int is_time = rank == 1 && strcmp(base, "time") == 0;
    const int is_hist = rank == 1 && strcmp(base, "degree_histogram") == 0;
    const int use_time = !is_time && !is_hist && time && nt == rows;

    /* Header. */
    bz_table_header(&c->t);
    if (is_time) {
        bz_table_str(&c->t, "time_days");
    } else if (is_hist) {
        bz_table_str(&c->t, "degree");
        bz_table_str(&c->t, "count");
    } else {
        bz_table_str(&c->t, use_time ? "time_days" : "index");
        if (rank == 1) {
            bz_table_str(&c->t, base);
        } else {
            for (hsize_t j = 0; j < cols; j++) {
                char name[32];
                snprintf(name, sizeof name, "rep%llu", (unsigned long long)j);
                bz_table_str(&c->t, name);
            }
        }
    }
    if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
    if (rows == 0 || cols == 0) goto cleanup;

    /* Block over output rows: B rows x all columns per read. */
    hsize_t B = BLOCK_BYTES / 8 / cols;
    if (B == 0) B = 1;
    if (B > rows) B = rows;
    if (!(buf = malloc((size_t)(B * cols) * 8))) {
        bz_error_oom(c->err, NULL, (size_t)(B * cols) * 8, "a block of %llu rows",
                     (unsigned long long)B);
        status = bz_error_prefix(c->err, "%s: %s: ", c->path, obj);
        goto cleanup;
    }
    hid_t mtype = is_int ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
    for (hsize_t r0 = 0; r0 < rows; r0 += B) {
        hsize_t nb = rows - r0 < B ? rows - r0 : B;
        hsize_t start[2], count[2];
        if (rank == 1) {
            start[0] = r0;
            count[0] = nb;
        } else {
            start[0] = 0;
            count[0] = cols;
            start[1] = r0;
            count[1] = nb;
        }
        if (read_block(ds, fspace, mtype, rank, start, count, buf) < 0)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
        for (hsize_t i = 0; i < nb; i++) {
            hsize_t row = r0 + i;
            if (is_hist) bz_table_int(&c->t, (int64_t)row);
            if (!is_time && !is_hist) {
                if (use_time)
                    bz_table_num(&c->t, time[row]);
                else
                    bz_table_int(&c->t, (int64_t)row);
            }
            for (hsize_t j = 0; j < cols; j++) {
                size_t k = (size_t)(j * nb + i); /* block is [cols][nb] */
                if (is_int)
                    bz_table_int(&c->t, ((const int64_t *)buf)[k]);
                else
                    bz_table_num(&c->t, ((const double *)buf)[k]);
            }
            if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
        }
    }
cleanup:
    free(buf);
    free(time);
    return status;
}

/* ---- compound datasets --------------------------------------------------- */

enum { M_INT, M_DBL, M_FSTR, M_VSTR };

typedef struct member {
    char *name; /* H5free_memory */
    int kind;
    size_t offset;
} member;

typedef struct layout {
    int n;
    member *m;
    hid_t mtype;
    int has_vlen;
} layout;

static void layout_destroy(layout *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->m[i].name) H5free_memory(l->m[i].name);
    free(l->m);
    if (l->mtype >= 0) H5Tclose(l->mtype);
}

/* Memory layout converting each member: integers to int64, floats to
 * double, strings to NUL-terminated fixed or variable strings. */
static int build_layout(xctx *c, hid_t ftype, const char *obj, layout *l)
{
    int status = BZ_OK;
    hid_t mt = H5I_INVALID_HID;
    hid_t types[256];
    for (int i = 0; i < 256; i++)
        types[i] = H5I_INVALID_HID;
    l->n = 0;
    l->m = NULL;
    l->mtype = H5I_INVALID_HID;
    l->has_vlen = 0;
    int n = H5Tget_nmembers(ftype);
    if (n <= 0 || n > 256) {
        status = bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                            n <= 0 ? "compound has no members" : "too many compound members");
        goto cleanup;
    }
    if (!(l->m = calloc((size_t)n, sizeof *l->m)))
        BZ_FAIL_OOM(c->err, NULL, (size_t)n * sizeof *l->m, "%d compound members", n);
    l->n = n;
    size_t off = 0;
    for (int i = 0; i < n; i++) {
        member *m = &l->m[i];
        m->name = H5Tget_member_name(ftype, (unsigned)i);
        hid_t mft = H5Tget_member_type(ftype, (unsigned)i);
        if (!m->name || mft < 0) {
            if (mft >= 0) H5Tclose(mft);
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unreadable member %d", i));
        }
        H5T_class_t cls = H5Tget_class(mft);
        size_t size = 8;
        if (cls == H5T_INTEGER) {
            m->kind = M_INT;
            types[i] = H5Tcopy(H5T_NATIVE_INT64);
        } else if (cls == H5T_FLOAT) {
            m->kind = M_DBL;
            types[i] = H5Tcopy(H5T_NATIVE_DOUBLE);
        } else if (cls == H5T_STRING && H5Tis_variable_str(mft) > 0) {
            m->kind = M_VSTR;
            l->has_vlen = 1;
            types[i] = H5Tcopy(mft);
            size = sizeof(char *);
        } else if (cls == H5T_STRING) {
            m->kind = M_FSTR;
            size = H5Tget_size(mft) + 1;
            types[i] = H5Tcopy(mft);
            if (types[i] >= 0 && (H5Tset_size(types[i], size) < 0 ||
                                  H5Tset_strpad(types[i], H5T_STR_NULLTERM) < 0)) {
                H5Tclose(types[i]);
                types[i] = H5I_INVALID_HID;
            }
        }
        H5Tclose(mft);
        if (cls != H5T_INTEGER && cls != H5T_FLOAT && cls != H5T_STRING)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                                "member '%s' is not a number or a string", m->name));
        if (types[i] < 0) BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build a member type");
        off = (off + 7) & ~(size_t)7;
        m->offset = off;
        off += size;
    }
    off = (off + 7) & ~(size_t)7;
    if ((mt = H5Tcreate(H5T_COMPOUND, off)) < 0)
        BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build a compound type");
    for (int i = 0; i < n; i++)
        if (H5Tinsert(mt, l->m[i].name, l->m[i].offset, types[i]) < 0)
            BZ_CHECK(
                bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "duplicate member '%s'", l->m[i].name));
    l->mtype = mt;
    mt = H5I_INVALID_HID;
cleanup:
    for (int i = 0; i < 256; i++)
        if (types[i] >= 0) H5Tclose(types[i]);
    if (mt >= 0) H5Tclose(mt);
    return status;
}

static void put_member(bz_table *t, const member *m, const char *rec)
{
    const char *p = rec + m->offset;
    switch (m->kind) {
    case M_INT: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        bz_table_int(t, v);
        break;
    }
    case M_DBL: {
        double v;
        memcpy(&v, p, sizeof v);
        bz_table_num(t, v);
        break;
    }
    case M_FSTR:
        bz_table_str(t, p);
        break;
    default: {
        const char *s;
        memcpy(&s, p, sizeof s);
        bz_table_str(t, s ? s : "");
    }
    }
}

/* A compound dataset; `lead`/`lead_value` add a constant first column (the
 * arm in /comparison), `header` prints the header line. */
static int export_compound(xctx *c, hid_t ds, hid_t fspace, const char *obj, int rank,
                           const hsize_t *dims, const char *lead, const char *lead_value,
                           int header)
{
    int status = BZ_OK;
    hid_t ftype = H5I_INVALID_HID, mspace = H5I_INVALID_HID;
    layout l = {0, NULL, H5I_INVALID_HID, 0};
    char *buf = NULL;
    hsize_t nt = 0;
    double *time = NULL;
    const char *base = basename_of(obj);
    const int in_sweep = starts_with(obj, "/sweep/");
    const char *idx0 = NULL, *idx1 = NULL;
    if (rank == 1) {
        time = find_time(c, obj, &nt);
        if (starts_with(obj, "/comparison/") || starts_with(obj, "/cities_summary/"))
            idx0 = NULL;
        else if (strcmp(base, "outcomes") == 0)
            idx0 = "replicate";
        else if (time && nt == dims[0])
            idx0 = "time_days";
        else
            idx0 = in_sweep ? "point" : "index";
    } else if (strcmp(base, "windows") == 0) {
        idx0 = "replicate";
        idx1 = "window";
    } else if (strcmp(base, "cities") == 0) {
        idx0 = "replicate";
        idx1 = "city";
    } else if (strcmp(base, "campaign_spend") == 0) {
        idx0 = "replicate";
        idx1 = "campaign";
    } else {
        idx0 = in_sweep ? "point" : "i";
        idx1 = in_sweep ? "replicate" : "j";
    }
    if ((ftype = H5Dget_type(ds)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unreadable type"));
    BZ_CHECK(build_layout(c, ftype, obj, &l));
    if (header) {
        bz_table_header(&c->t);
        if (lead) bz_table_str(&c->t, lead);
        if (idx0) bz_table_str(&c->t, idx0);
        if (idx1) bz_table_str(&c->t, idx1);
        for (int i = 0; i < l.n; i++)
            bz_table_str(&c->t, l.m[i].name);
        if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
    }
    const hsize_t rows = dims[0], inner = rank == 2 ? dims[1] : 1;
    if (rows == 0 || inner == 0) goto cleanup;
    const size_t rec = H5Tget_size(l.mtype);
    hsize_t B = BLOCK_BYTES / rec / inner;
    if (B == 0) B = 1;
    if (B > rows) B = rows;
    if (!(buf = malloc((size_t)(B * inner) * rec))) {
        bz_error_oom(c->err, NULL, (size_t)(B * inner) * rec, "a block of %llu rows",
                     (unsigned long long)B);
        status = bz_error_prefix(c->err, "%s: %s: ", c->path, obj);
        goto cleanup;
    }
    for (hsize_t r0 = 0; r0 < rows; r0 += B) {
        hsize_t nb = rows - r0 < B ? rows - r0 : B;
        hsize_t start[2] = {r0, 0}, count[2] = {nb, inner};
        if (read_block(ds, fspace, l.mtype, rank, start, count, buf) < 0)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
        for (hsize_t i = 0; i < nb; i++)
            for (hsize_t j = 0; j < inner; j++) {
                const char *p = buf + (size_t)(i * inner + j) * rec;
                if (lead) bz_table_str(&c->t, lead_value);
                if (idx0 && strcmp(idx0, "time_days") == 0)
                    bz_table_num(&c->t, time[r0 + i]);
                else if (idx0)
                    bz_table_int(&c->t, (int64_t)(r0 + i));
                if (idx1) bz_table_int(&c->t, (int64_t)j);
                for (int k = 0; k < l.n; k++)
                    put_member(&c->t, &l.m[k], p);
                if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
            }
        if (l.has_vlen) {
            if ((mspace = H5Screate_simple(rank, count, NULL)) >= 0)
                H5Dvlen_reclaim(l.mtype, mspace, H5P_DEFAULT, buf);
            if (mspace >= 0) H5Sclose(mspace);
            mspace = H5I_INVALID_HID;
        }
    }
cleanup:
    free(buf);
    free(time);
    layout_destroy(&l);
    if (ftype >= 0) H5Tclose(ftype);
    return status;
}

/* ---- dispatch ------------------------------------------------------------ */

static int export_dataset(xctx *c, const char *obj, const char *lead, const char *lead_value,
                          int header)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID, type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hsize_t dims[2] = {0, 0};
    if ((ds = H5Dopen2(c->file, obj, H5P_DEFAULT)) < 0 || (type = H5Dget_type(ds)) < 0 ||
        (space = H5Dget_space(ds)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot open the dataset"));
    int rank = H5Sget_simple_extent_ndims(space);
    H5T_class_t cls = H5Tget_class(type);
    if (rank < 1 || rank > 2 || H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                            "cannot export a dataset of rank %d (only 1 or 2)", rank));
    BZ_CHECK(check_declared(c, ds, obj, dims[0], rank == 2 ? dims[1] : 1, H5Tget_size(type)));
    if (cls == H5T_COMPOUND)
        BZ_CHECK(export_compound(c, ds, space, obj, rank, dims, lead, lead_value, header));
    else if (cls == H5T_INTEGER || cls == H5T_FLOAT)
        BZ_CHECK(export_numeric(c, ds, space, obj, rank, dims, cls == H5T_INTEGER));
    else
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                            "cannot export this data type (numbers and compounds only)"));
cleanup:
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* /comparison as one table: arm outcome mean ci_low ci_high; the same for
 * /cities_summary (arm city agents ...), `group`. */
static int export_comparison(xctx *c, const char *group)
{
    int status = BZ_OK;
    bz_h5_names arms = {0, NULL};
    char obj[4 * BZ_NAME_MAX];
    BZ_CHECK(bz_h5_list(c->file, group, c->path, &arms, c->err));
    if (arms.n == 0) {
        bz_table_header(&c->t);
        const char *cols[] = {"arm", "outcome", "mean", "ci_low", "ci_high"};
        for (size_t i = 0; i < 5; i++)
            bz_table_str(&c->t, cols[i]);
        if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
    }
    for (size_t a = 0; a < arms.n; a++) {
        snprintf(obj, sizeof obj, "%s/%s", group, arms.v[a]);
        BZ_CHECK(export_dataset(c, obj, "arm", arms.v[a], a == 0));
    }
cleanup:
    bz_h5_names_destroy(&arms);
    return status;
}

/* A family of series (/arms/<arm>/states, exposures or adoptions_by) as one
 * table of means over replicates: "time_days name1 name2 ...", from the
 * summaries under /arms/<arm>/summary/<family>.<name>. For stacked-area
 * figures, which need every member on one row. O(T x members) memory. */
static int export_family_means(xctx *c, const char *obj, const char *arm, const char *family)
{
    int status = BZ_OK;
    bz_h5_names names = {0, NULL};
    double *time = NULL, *mean = NULL;
    hid_t mtype = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    hsize_t T = 0;
    char sobj[6 * BZ_NAME_MAX];
    BZ_CHECK(bz_h5_list(c->file, obj, c->path, &names, c->err));
    snprintf(sobj, sizeof sobj, "/arms/%s/summary", arm);
    if (!(time = find_time(c, sobj, &T)) || T == 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "no usable time axis for the arm"));
    if (names.n > 0 && !(mean = malloc(names.n * (size_t)T * sizeof *mean)))
        BZ_FAIL_OOM(c->err, NULL, names.n * (size_t)T * sizeof *mean, "exporting %s", obj);
    if ((mtype = H5Tcreate(H5T_COMPOUND, sizeof(double))) < 0 ||
        H5Tinsert(mtype, "mean", 0, H5T_NATIVE_DOUBLE) < 0)
        BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build the summary type");
    for (size_t k = 0; k < names.n; k++) {
        snprintf(sobj, sizeof sobj, "/arms/%s/summary/%s.%s", arm, family, names.v[k]);
        hsize_t dims[1] = {0};
        hid_t space = H5I_INVALID_HID;
        int ok = bz_h5_exists(c->file, sobj) && (ds = H5Dopen2(c->file, sobj, H5P_DEFAULT)) >= 0 &&
                 (space = H5Dget_space(ds)) >= 0 && H5Sget_simple_extent_ndims(space) == 1 &&
                 H5Sget_simple_extent_dims(space, dims, NULL) >= 0 && dims[0] == T &&
                 H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, mean + k * T) >= 0;
        if (space >= 0) H5Sclose(space);
        if (ds >= 0) H5Dclose(ds);
        ds = H5I_INVALID_HID;
        if (!ok)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, sobj,
                                "expected a [%llu] summary with a 'mean' field",
                                (unsigned long long)T));
    }
    bz_table_header(&c->t);
    bz_table_str(&c->t, "time_days");
    for (size_t k = 0; k < names.n; k++)
        bz_table_str(&c->t, names.v[k]);
    if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
    for (hsize_t i = 0; i < T; i++) {
        bz_table_num(&c->t, time[i]);
        for (size_t k = 0; k < names.n; k++)
            bz_table_num(&c->t, mean[k * T + i]);
        if (bz_table_end(&c->t) != 0) BZ_CHECK(write_fail(c));
    }
cleanup:
    if (mtype >= 0) H5Tclose(mtype);
    free(time);
    free(mean);
    bz_h5_names_destroy(&names);
    return status;
}

/* If obj is /arms/<arm>/<family> for a series family, its arm and family. */
static int family_of(const char *obj, char *arm, const char **family)
{
    static const char *const families[] = {"states", "exposures", "adoptions_by"};
    if (!starts_with(obj, "/arms/")) return 0;
    const char *a = obj + strlen("/arms/"), *slash = strchr(a, '/');
    if (!slash || (size_t)(slash - a) >= BZ_NAME_MAX) return 0;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(slash + 1, families[i]) == 0) {
            snprintf(arm, BZ_NAME_MAX, "%.*s", (int)(slash - a), a);
            *family = families[i];
            return 1;
        }
    return 0;
}

/* Pseudo-datasets listing names, one per line (for `words()` in gnuplot). */
static int export_names(xctx *c, const char *what, int *handled)
{
    int status = BZ_OK;
    bz_h5_names names = {0, NULL}, arms = {0, NULL};
    char group[4 * BZ_NAME_MAX];
    *handled = 1;
    if (strcmp(what, "arms") == 0) {
        snprintf(group, sizeof group, "/arms");
    } else if (strcmp(what, "layers") == 0) {
        snprintf(group, sizeof group, "/network");
    } else if (strcmp(what, "states") == 0 || strcmp(what, "channels") == 0) {
        BZ_CHECK(bz_h5_list(c->file, "/arms", c->path, &arms, c->err));
        if (arms.n == 0) BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, "/arms", "no arms"));
        snprintf(group, sizeof group, "/arms/%s/%s", arms.v[0],
                 what[0] == 's' ? "states" : "exposures");
    } else {
        *handled = 0;
        goto cleanup;
    }
    BZ_CHECK(bz_h5_list(c->file, group, c->path, &names, c->err));
    for (size_t i = 0; i < names.n; i++)
        if (fprintf(c->t.out, "%s\n", names.v[i]) < 0) {
            c->t.werr = errno ? errno : EIO;
            BZ_CHECK(write_fail(c));
        }
cleanup:
    bz_h5_names_destroy(&names);
    bz_h5_names_destroy(&arms);
    return status;
}

/* "FILE: 'G' is a group, not a dataset; it holds: a, b, c". */
static int group_error(xctx *c, const char *obj)
{
    bz_h5_names names = {0, NULL};
    char list[512] = "";
    size_t used = 0;
    if (bz_h5_list(c->file, obj, c->path, &names, NULL) == BZ_OK)
        for (size_t i = 0; i < names.n && used + 4 < sizeof list; i++)
            used = bz_text_add(list, sizeof list, used, ", ", "%s", names.v[i]);
    if (used >= sizeof list - 1) snprintf(list + sizeof list - 5, 5, "...");
    bz_h5_names_destroy(&names);
    return bz_error_set(c->err, BZ_EINVAL,
                        "%s: '%s' is a group, not a dataset; it holds: %s (try buzzsim info %s)",
                        c->path, obj, list[0] ? list : "nothing", c->path);
}

int bz_h5_export(const char *path, const char *dataset, bz_export_format fmt, FILE *out,
                 bz_error *err)
{
    int status = BZ_OK;
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    xctx c = {path, H5I_INVALID_HID, {out, fmt, 0, 0, 0}, err};
    bz_table_init(&c.t, out, fmt);
    hid_t obj = H5I_INVALID_HID;
    char *p = NULL;
    BZ_CHECK(bz_file_check_input(path, err)); /* before HDF5 opens it: a FIFO would block */
    BZ_CHECK(bz_h5_open_results(path, &c.file, err));
    int handled = 0;
    BZ_CHECK(export_names(&c, dataset, &handled));
    if (handled) goto cleanup;

    /* Normalise: leading '/', no trailing '/'. */
    size_t len = strlen(dataset);
    if (!(p = malloc(len + 2))) BZ_FAIL_OOM(err, NULL, len + 2, "the name '%s'", dataset);
    snprintf(p, len + 2, "%s%s", dataset[0] == '/' ? "" : "/", dataset);
    for (size_t n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
        p[n - 1] = '\0';
    if (!bz_h5_exists(c.file, p))
        BZ_FAIL(err, BZ_EINVAL, "%s: no dataset '%s' (try buzzsim info %s)", path, p, path);
    if ((obj = H5Oopen(c.file, p, H5P_DEFAULT)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: cannot open '%s' (corrupt file?)", path, p);
    H5I_type_t kind = H5Iget_type(obj);
    char fam_arm[BZ_NAME_MAX];
    const char *family = NULL;
    if (kind == H5I_GROUP && (strcmp(p, "/comparison") == 0 || strcmp(p, "/cities_summary") == 0))
        BZ_CHECK(export_comparison(&c, p));
    else if (kind == H5I_GROUP && family_of(p, fam_arm, &family))
        BZ_CHECK(export_family_means(&c, p, fam_arm, family));
    else if (kind == H5I_GROUP)
        BZ_CHECK(group_error(&c, p));
    else if (kind == H5I_DATASET)
        BZ_CHECK(export_dataset(&c, p, NULL, NULL, 1));
    else
        BZ_FAIL(err, BZ_EINVAL, "%s: '%s' is not a dataset", path, p);
cleanup:
    if (status == BZ_OK)
        status =
            bz_table_finish(&c.t, out == stdout ? "standard output" : "the exported table", err);
    free(p);
    if (obj >= 0) H5Oclose(obj);
    if (c.file >= 0) H5Fclose(c.file);
    bz_h5_quiet_end(&quiet);
    return status;
}

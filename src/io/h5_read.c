/* HDF5 reader, schema version 1 (io/h5.h, docs/output.md).
 *
 * Files are untrusted: every object is checked for existence, type class,
 * rank and dimensions before it is read, and any mismatch is BZ_EINVAL with
 * "FILE: /object/path: what is wrong". Array sizes come from the file only
 * through R (outcomes), T (time) and the histogram lengths, each bounded by
 * what the reader can allocate (BZ_ENOMEM otherwise).
 *
 * Names (arms, states, channels, layers) are read in creation order, which
 * bz_h5_write records; arms[0] is the baseline of the comparisons.
 */
#include "io/h5.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "base/file.h"
#include "config/experiment.h"
#include "io/h5_cities.h"
#include "io/h5_util.h"

typedef struct rctx {
    const char *path;
    hid_t file;
    bz_error *err;
} rctx;

static const char *class_name(H5T_class_t cls)
{
    switch (cls) {
    case H5T_INTEGER:
        return "integer";
    case H5T_FLOAT:
        return "float";
    case H5T_STRING:
        return "string";
    case H5T_COMPOUND:
        return "compound";
    default:
        return "other";
    }
}

/* Open dataset `obj` (absolute), check its numeric class and shape:
 * rank `rank` and, where want[i] != 0, dims[i] == want[i]. got (may be
 * NULL) receives the dims. */
static int open_checked(rctx *c, const char *obj, int want_compound, int rank, const hsize_t *want,
                        hsize_t *got, hid_t *ds_out)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID, type = H5I_INVALID_HID, space = H5I_INVALID_HID;
    hsize_t dims[2] = {0, 0};
    *ds_out = H5I_INVALID_HID;
    if (!bz_h5_exists(c->file, obj))
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "dataset is missing"));
    if ((ds = H5Dopen2(c->file, obj, H5P_DEFAULT)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "not a dataset"));
    if ((type = H5Dget_type(ds)) < 0 || (space = H5Dget_space(ds)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unreadable type or shape"));
    H5T_class_t cls = H5Tget_class(type);
    if (want_compound ? cls != H5T_COMPOUND : (cls != H5T_INTEGER && cls != H5T_FLOAT))
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "expected %s data, got %s",
                            want_compound ? "compound" : "numeric", class_name(cls)));
    int nd = H5Sget_simple_extent_ndims(space);
    if (nd != rank)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "expected rank %d, got %d", rank, nd));
    if (H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unreadable shape"));
    for (int i = 0; i < rank; i++)
        if (want && want[i] && dims[i] != want[i]) {
            if (rank == 1)
                BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                                    "expected [%llu] elements, got [%llu]",
                                    (unsigned long long)want[0], (unsigned long long)dims[0]));
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                                "expected dims [%llu, %llu], got [%llu, %llu]",
                                (unsigned long long)want[0], (unsigned long long)want[1],
                                (unsigned long long)dims[0], (unsigned long long)dims[1]));
        }
    if (got)
        for (int i = 0; i < rank; i++)
            got[i] = dims[i];
    *ds_out = ds;
    ds = H5I_INVALID_HID;
cleanup:
    if (space >= 0) H5Sclose(space);
    if (type >= 0) H5Tclose(type);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* Read a numeric dataset of exactly the given shape, converted to mtype. */
static int read_numeric(rctx *c, const char *obj, int rank, const hsize_t *dims, hid_t mtype,
                        void *buf)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID;
    BZ_CHECK(open_checked(c, obj, 0, rank, dims, NULL, &ds));
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    if (n > 0 && H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
cleanup:
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* Shape of a dataset without reading it: dims[0..rank) (0 = any). */
static int dataset_dims(rctx *c, const char *obj, int compound, int rank, hsize_t *dims)
{
    hid_t ds = H5I_INVALID_HID;
    int status = open_checked(c, obj, compound, rank, NULL, dims, &ds);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

static int read_outcomes(rctx *c, const char *obj, uint32_t R, bz_outcome *out)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID, ftype = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    hsize_t want = R;
    BZ_CHECK(open_checked(c, obj, 1, 1, &want, NULL, &ds));
    if ((ftype = H5Dget_type(ds)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unreadable type"));
    /* Compound conversion matches members by name and leaves missing ones
     * untouched: demand the outcomes of the first schema, and read the later
     * ones as NaN when an older file lacks them. */
    for (uint32_t i = 0; i < R; i++)
        for (int k = 0; k < BZ_N_OUTCOMES; k++)
            out[i].v[k] = NAN;
    for (int k = 0; k < BZ_N_OUTCOMES; k++) {
        if (!bz_outcome_defs[k].required) continue;
        int idx = H5Tget_member_index(ftype, bz_outcome_defs[k].name);
        H5T_class_t cls = idx >= 0 ? H5Tget_member_class(ftype, (unsigned)idx) : H5T_NO_CLASS;
        if (cls != H5T_FLOAT && cls != H5T_INTEGER)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "numeric field '%s' is missing",
                                bz_outcome_defs[k].name));
    }
    if ((mtype = bz_h5_defs_type(bz_outcome_defs, BZ_N_OUTCOMES, 0)) < 0)
        BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build the outcome type");
    if (H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
cleanup:
    if (mtype >= 0) H5Tclose(mtype);
    if (ftype >= 0) H5Tclose(ftype);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* /arms/<arm>/windows [R, W] (optional): flash-sale windows per replicate. */
static int read_windows(rctx *c, const char *obj, uint32_t R, bz_arm_result *arm)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID, space = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    bz_window_result *buf = NULL;
    hsize_t dims[2] = {0, 0};
    if ((ds = H5Dopen2(c->file, obj, H5P_DEFAULT)) < 0 || (space = H5Dget_space(ds)) < 0 ||
        H5Sget_simple_extent_ndims(space) != 2 || H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "expected a [R, windows] dataset"));
    if (dims[0] != R || dims[1] == 0 || dims[1] > BZ_RESULT_WINDOWS)
        BZ_CHECK(bz_h5_fail(
            c->err, BZ_EINVAL, c->path, obj, "expected [%u, 1..%d], got [%llu, %llu]", (unsigned)R,
            BZ_RESULT_WINDOWS, (unsigned long long)dims[0], (unsigned long long)dims[1]));
    if (!(buf = malloc((size_t)R * dims[1] * sizeof *buf)))
        BZ_FAIL_OOM(c->err, NULL, (size_t)R * dims[1] * sizeof *buf, "reading %s", obj);
    for (size_t i = 0; i < (size_t)R * dims[1]; i++)
        for (int k = 0; k < BZ_N_WINDOW_FIELDS; k++)
            buf[i].v[k] = NAN;
    if ((mtype = bz_h5_defs_type(bz_window_defs, BZ_N_WINDOW_FIELDS, 0)) < 0)
        BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build the window type");
    if (H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
    arm->n_windows = (uint32_t)dims[1];
    for (uint32_t i = 0; i < R; i++)
        memcpy(arm->windows + (size_t)i * BZ_RESULT_WINDOWS, buf + (size_t)i * dims[1],
               dims[1] * sizeof *buf);
cleanup:
    free(buf);
    if (mtype >= 0) H5Tclose(mtype);
    if (space >= 0) H5Sclose(space);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* /arms/<arm>/campaign_spend [R, K] (optional: files before it have none):
 * the attribute `campaigns` (K labels, one per line) and the figures of
 * bz_campaign_defs; a field the file lacks reads as NaN. */
static int read_campaign_spend(rctx *c, const bz_results *r, bz_arm_result *arm, const char *obj)
{
    int status = BZ_OK;
    hid_t ds = H5I_INVALID_HID, space = H5I_INVALID_HID, mtype = H5I_INVALID_HID;
    hid_t ftype = H5I_INVALID_HID;
    char *labels = NULL;
    hsize_t dims[2] = {0, 0};
    if ((ds = H5Dopen2(c->file, obj, H5P_DEFAULT)) < 0 || (space = H5Dget_space(ds)) < 0 ||
        H5Sget_simple_extent_ndims(space) != 2 || H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "expected a [R, campaigns] dataset"));
    if ((ftype = H5Dget_type(ds)) < 0 || H5Tget_class(ftype) != H5T_COMPOUND)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "expected a compound dataset"));
    BZ_CHECK(bz_h5_get_string_attr(ds, c->path, obj, "campaigns", &labels, c->err));
    uint32_t n = labels[0] ? 1 : 0;
    for (const char *p = labels; *p; p++)
        n += *p == '\n';
    if (dims[0] != r->R || dims[1] == 0 || dims[1] > UINT32_MAX || dims[1] != n)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                            "expected [%u, %u] (one column per label of 'campaigns'), got "
                            "[%llu, %llu]",
                            (unsigned)r->R, (unsigned)n, (unsigned long long)dims[0],
                            (unsigned long long)dims[1]));
    BZ_CHECK(bz_results_alloc_campaigns(r, arm, n, c->err));
    const char *p = labels;
    for (uint32_t k = 0; k < n; k++) {
        size_t len = strcspn(p, "\n");
        if (len >= BZ_NAME_MAX)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "campaign label too long"));
        memcpy(arm->campaign_names[k], p, len);
        p += len + (p[len] == '\n');
    }
    for (size_t i = 0; i < (size_t)r->R * n; i++)
        for (int f = 0; f < BZ_N_CAMPAIGN_FIELDS; f++)
            arm->campaign_spend[i].v[f] = NAN;
    if ((mtype = bz_h5_defs_type(bz_campaign_defs, BZ_N_CAMPAIGN_FIELDS, 0)) < 0)
        BZ_FAIL(c->err, BZ_EINTERNAL, "cannot build the campaign spend type");
    if (H5Dread(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, arm->campaign_spend) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "cannot read (corrupt data?)"));
cleanup:
    free(labels);
    if (ftype >= 0) H5Tclose(ftype);
    if (mtype >= 0) H5Tclose(mtype);
    if (space >= 0) H5Sclose(space);
    if (ds >= 0) H5Dclose(ds);
    return status;
}

/* /arms/<arm>/attribution (optional): method, players, shares. */
static int read_attribution(rctx *c, const bz_results *r, bz_arm_result *arm, const char *obj)
{
    int status = BZ_OK;
    hid_t g = H5I_INVALID_HID;
    char *method = NULL, *players = NULL;
    if ((g = H5Gopen2(c->file, obj, H5P_DEFAULT)) < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "not a group"));
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, obj, "method", &method, c->err));
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, obj, "players", &players, c->err));
    int m = -1;
    for (int k = 1; bz_attribution_names[k]; k++)
        if (strcmp(method, bz_attribution_names[k]) == 0) m = k;
    if (m < 0)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "unknown method '%.40s'", method));
    uint32_t n = players[0] ? 1 : 0;
    for (const char *p = players; *p; p++)
        n += *p == '\n';
    if (n > BZ_ATTRIB_MAX_PLAYERS)
        BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "%u players, at most %d", n,
                            BZ_ATTRIB_MAX_PLAYERS));
    BZ_CHECK(bz_results_alloc_attrib(r, arm, m, n, c->err));
    const char *p = players;
    for (uint32_t j = 0; j < n; j++) {
        size_t len = strcspn(p, "\n");
        if (len >= BZ_NAME_MAX)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "player label too long"));
        memcpy(arm->attrib.players[j], p, len);
        p += len + (p[len] == '\n');
    }
    const hsize_t dims[2] = {r->R, n};
    for (int o = 0; o < BZ_N_ATTRIB_OUT && n > 0; o++) {
        char d[5 * BZ_NAME_MAX];
        snprintf(d, sizeof d, "%s/%s", obj, bz_outcome_defs[bz_attrib_outcome[o]].name);
        BZ_CHECK(read_numeric(c, d, 2, dims, H5T_NATIVE_DOUBLE,
                              arm->attrib.share + (size_t)o * r->R * n));
    }
cleanup:
    free(method);
    free(players);
    if (g >= 0) H5Gclose(g);
    return status;
}

/* Open group `obj` for its attributes. */
static int open_group(rctx *c, const char *obj, hid_t *g)
{
    *g = H5I_INVALID_HID;
    if (!bz_h5_exists(c->file, obj))
        return bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "group is missing");
    if ((*g = H5Gopen2(c->file, obj, H5P_DEFAULT)) < 0)
        return bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "not a group");
    return BZ_OK;
}

static int copy_name(rctx *c, const char *obj, const char *what, char *dst, const char *src)
{
    if (strlen(src) >= BZ_NAME_MAX)
        return bz_h5_fail(c->err, BZ_EINVAL, c->path, obj, "%s is longer than %d characters", what,
                          BZ_NAME_MAX - 1);
    snprintf(dst, BZ_NAME_MAX, "%s", src);
    return BZ_OK;
}

static int read_layer(rctx *c, bz_layer_info *li, const char *name)
{
    int status = BZ_OK;
    char obj[4 * BZ_NAME_MAX];
    char *gen = NULL;
    hid_t g = H5I_INVALID_HID;
    int64_t directed = 0;
    hsize_t len = 0;
    snprintf(obj, sizeof obj, "/network/%s", name);
    snprintf(li->name, BZ_NAME_MAX, "%s", name);
    BZ_CHECK(open_group(c, obj, &g));
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, obj, "generator", &gen, c->err));
    BZ_CHECK(copy_name(c, obj, "generator", li->generator, gen));
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, obj, "directed", H5T_NATIVE_INT64, &directed, c->err));
    li->directed = directed != 0;
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, obj, "agents", H5T_NATIVE_UINT64, &li->agents, c->err));
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, obj, "edges", H5T_NATIVE_UINT64, &li->edges, c->err));
    snprintf(obj, sizeof obj, "/network/%s/degree_histogram", name);
    BZ_CHECK(dataset_dims(c, obj, 0, 1, &len));
    if (len > 0) {
        if (len > SIZE_MAX / sizeof(int64_t) ||
            !(li->degree_histogram = malloc((size_t)len * sizeof(int64_t)))) {
            bz_error_oom(c->err, NULL, bz_error_bytes((size_t)len, sizeof(int64_t)), "%llu entries",
                         (unsigned long long)len);
            status = bz_error_prefix(c->err, "%s: %s: ", c->path, obj);
            goto cleanup;
        }
        li->hist_len = (size_t)len;
        BZ_CHECK(read_numeric(c, obj, 1, &len, H5T_NATIVE_INT64, li->degree_histogram));
    }
cleanup:
    free(gen);
    if (g >= 0) H5Gclose(g);
    return status;
}

static int read_arm(rctx *c, bz_results *r, bz_arm_result *arm, int first, int with_series)
{
    int status = BZ_OK;
    char obj[4 * BZ_NAME_MAX];
    hid_t g = H5I_INVALID_HID;
    double *time = NULL;
    const hsize_t RT[2] = {r->R, r->T};
    const hsize_t T = r->T;
    snprintf(obj, sizeof obj, "/arms/%s", arm->name);
    BZ_CHECK(open_group(c, obj, &g));
    BZ_CHECK(bz_h5_get_string_attr(g, c->path, obj, "campaigns", &arm->campaigns_yaml, c->err));
    BZ_CHECK(bz_h5_get_num_attr(g, c->path, obj, "cost", H5T_NATIVE_DOUBLE, &arm->cost, c->err));

    /* Every arm has the same time axis; arms[0]'s is kept. */
    snprintf(obj, sizeof obj, "/arms/%s/time", arm->name);
    if (first) {
        BZ_CHECK(read_numeric(c, obj, 1, &T, H5T_NATIVE_DOUBLE, r->time_days));
    } else {
        if (!(time = malloc((size_t)T * sizeof *time)))
            BZ_FAIL_OOM(c->err, NULL, (size_t)T * sizeof *time, "reading %s", obj);
        BZ_CHECK(read_numeric(c, obj, 1, &T, H5T_NATIVE_DOUBLE, time));
        if (memcmp(time, r->time_days, (size_t)T * sizeof *time) != 0)
            BZ_CHECK(bz_h5_fail(c->err, BZ_EINVAL, c->path, obj,
                                "differs from the time axis of arm '%s'", r->arms[0].name));
    }
    snprintf(obj, sizeof obj, "/arms/%s/outcomes", arm->name);
    BZ_CHECK(read_outcomes(c, obj, r->R, arm->outcomes));
    snprintf(obj, sizeof obj, "/arms/%s/windows", arm->name);
    if (bz_h5_exists(c->file, obj)) BZ_CHECK(read_windows(c, obj, r->R, arm));
    snprintf(obj, sizeof obj, "/arms/%s/campaign_spend", arm->name);
    if (bz_h5_exists(c->file, obj)) BZ_CHECK(read_campaign_spend(c, r, arm, obj));
    snprintf(obj, sizeof obj, "/arms/%s/attribution", arm->name);
    if (bz_h5_exists(c->file, obj)) BZ_CHECK(read_attribution(c, r, arm, obj));
    if (!with_series) goto cleanup;

    if (bz_results_alloc_series(r, arm, c->err) != BZ_OK) {
        status = bz_error_prefix(c->err, "%s: ", c->path);
        goto cleanup;
    }
    for (int s = 0; s < BZ_N_SERIES; s++) {
        const bz_series_def *d = &bz_series_defs[s];
        const int rows = bz_results_series_rows(r, (bz_series_id)s);
        for (int k = 0; k < rows; k++) {
            if (d->family == BZ_FAM_ONE)
                snprintf(obj, sizeof obj, "/arms/%s/%s", arm->name, d->name);
            else
                snprintf(obj, sizeof obj, "/arms/%s/%s/%s", arm->name, d->name,
                         bz_results_row_name(r, (bz_series_id)s, k));
            BZ_CHECK(read_numeric(c, obj, 2, RT, H5T_NATIVE_INT64,
                                  bz_series_row(arm->series[s], r->R, r->T, k, 0)));
        }
    }
cleanup:
    free(time);
    if (g >= 0) H5Gclose(g);
    return status;
}

/* Names of a group's members into a fixed table of at most `max` names. */
static int read_names(rctx *c, const char *group, int max, char (*dst)[BZ_NAME_MAX], int *n)
{
    bz_h5_names names = {0, NULL};
    int status = bz_h5_list(c->file, group, c->path, &names, c->err);
    if (status != BZ_OK) return status;
    if (names.n > (size_t)max) {
        status = bz_h5_fail(c->err, BZ_EINVAL, c->path, group, "%zu members, at most %d allowed",
                            names.n, max);
    } else {
        for (size_t i = 0; i < names.n; i++)
            memcpy(dst[i], names.v[i], BZ_NAME_MAX);
        *n = (int)names.n;
    }
    bz_h5_names_destroy(&names);
    return status;
}

static int read_root(rctx *c, bz_results *r, bz_h5_provenance *prov)
{
    int status = BZ_OK;
    char *version = NULL, *created = NULL;
    BZ_CHECK(
        bz_h5_get_num_attr(c->file, c->path, "/", "seed", H5T_NATIVE_UINT64, &r->seed, c->err));
    BZ_CHECK(bz_h5_get_string_attr(c->file, c->path, "/", "experiment_yaml", &r->experiment_yaml,
                                   c->err));
    BZ_CHECK(
        bz_h5_get_string_attr(c->file, c->path, "/", "command_line", &r->command_line, c->err));
    BZ_CHECK(bz_h5_get_string_attr(c->file, c->path, "/", "buzzsim_version", &version, c->err));
    BZ_CHECK(bz_h5_get_string_attr(c->file, c->path, "/", "created", &created, c->err));
    if (prov) {
        snprintf(prov->version, sizeof prov->version, "%s", version);
        snprintf(prov->created, sizeof prov->created, "%s", created);
    }
cleanup:
    free(version);
    free(created);
    return status;
}

static int read_file(bz_results *r, bz_h5_provenance *prov, const char *path, int with_series,
                     bz_error *err)
{
    int status = BZ_OK;
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    rctx c = {path, H5I_INVALID_HID, err};
    bz_h5_names arms = {0, NULL}, layers = {0, NULL};
    char obj[4 * BZ_NAME_MAX];
    memset(r, 0, sizeof *r);
    if (prov) memset(prov, 0, sizeof *prov);

    BZ_CHECK(bz_file_check_input(path, err)); /* before HDF5 opens it: a FIFO would block */
    BZ_CHECK(bz_h5_open_results(path, &c.file, err));
    BZ_CHECK(bz_h5_list(c.file, "/network", path, &layers, err));
    if (layers.n > BZ_MAX_LAYERS)
        BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, "/network", "%zu layers, at most %d allowed",
                            layers.n, (int)BZ_MAX_LAYERS));
    if (H5Lexists(c.file, "arms", H5P_DEFAULT) == 0) {
        /* A network file (buzzsim graph --stats): layers and provenance only. */
        if (layers.n == 0) BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, "/arms", "group is missing"));
        if (!(r->layers = calloc(layers.n, sizeof *r->layers)))
            BZ_FAIL_OOM(err, path, layers.n * sizeof *r->layers, "%zu layers", layers.n);
        r->n_layers = layers.n;
        for (size_t i = 0; i < layers.n; i++)
            BZ_CHECK(read_layer(&c, &r->layers[i], layers.v[i]));
        BZ_CHECK(read_root(&c, r, prov));
        goto cleanup;
    }
    BZ_CHECK(bz_h5_list(c.file, "/arms", path, &arms, err));
    if (arms.n == 0) BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, "/arms", "no arms"));

    /* Shape from arms[0]: T from time, R from outcomes. */
    hsize_t T = 0, R = 0;
    snprintf(obj, sizeof obj, "/arms/%s/time", arms.v[0]);
    BZ_CHECK(dataset_dims(&c, obj, 0, 1, &T));
    snprintf(obj, sizeof obj, "/arms/%s/outcomes", arms.v[0]);
    BZ_CHECK(dataset_dims(&c, obj, 1, 1, &R));
    if (T == 0 || T > UINT32_MAX || R == 0 || R > UINT32_MAX)
        BZ_CHECK(bz_h5_fail(err, BZ_EINVAL, path, obj, "bad shape: %llu replicates, %llu times",
                            (unsigned long long)R, (unsigned long long)T));
    r->R = (uint32_t)R;
    r->T = (uint32_t)T;
    snprintf(obj, sizeof obj, "/arms/%s/states", arms.v[0]);
    BZ_CHECK(read_names(&c, obj, 8, r->state_names, &r->n_states));
    snprintf(obj, sizeof obj, "/arms/%s/exposures", arms.v[0]);
    BZ_CHECK(read_names(&c, obj, BZ_CH_MAX, r->channel_names, &r->n_channels));

    r->time_days = calloc(r->T, sizeof *r->time_days);
    r->arms = calloc(arms.n, sizeof *r->arms);
    if (layers.n > 0) r->layers = calloc(layers.n, sizeof *r->layers);
    if (!r->time_days || !r->arms || (layers.n > 0 && !r->layers))
        BZ_FAIL_OOM(err, path,
                    r->T * sizeof *r->time_days + arms.n * sizeof *r->arms +
                        layers.n * sizeof *r->layers,
                    "the results of %zu arms", arms.n);
    r->n_arms = arms.n;
    r->n_layers = layers.n;
    for (size_t a = 0; a < arms.n; a++) {
        bz_arm_result *arm = &r->arms[a];
        memcpy(arm->name, arms.v[a], BZ_NAME_MAX);
        if (!(arm->outcomes = calloc(r->R, sizeof *arm->outcomes)) ||
            !(arm->windows = calloc((size_t)r->R * BZ_RESULT_WINDOWS, sizeof *arm->windows)))
            BZ_FAIL_OOM(err, path,
                        r->R * (sizeof *arm->outcomes + BZ_RESULT_WINDOWS * sizeof *arm->windows),
                        "the outcomes of arm '%s'", arm->name);
        BZ_CHECK(read_arm(&c, r, arm, a == 0, with_series));
    }
    BZ_CHECK(bz_h5_read_cities(c.file, path, r, err));
    for (size_t i = 0; i < layers.n; i++)
        BZ_CHECK(read_layer(&c, &r->layers[i], layers.v[i]));
    BZ_CHECK(read_root(&c, r, prov));
cleanup:
    bz_h5_names_destroy(&arms);
    bz_h5_names_destroy(&layers);
    if (c.file >= 0) H5Fclose(c.file);
    if (status != BZ_OK) bz_results_destroy(r);
    bz_h5_quiet_end(&quiet);
    return status;
}

int bz_h5_read(bz_results *r, const char *path, bz_error *err)
{
    return read_file(r, NULL, path, 1, err);
}

int bz_h5_read_meta(bz_results *r, bz_h5_provenance *prov, const char *path, bz_error *err)
{
    return read_file(r, prov, path, 0, err);
}

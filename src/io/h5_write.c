/* HDF5 writer, schema version 1 (io/h5.h, docs/output.md).
 *
 * The file is built in memory (bz_h5_mem_create) with the root attribute
 * complete = 0, which is set to 1 as the last write; its image is then
 * written to "PATH.partial", synced and renamed to PATH (base/durable.h), so
 * a reader never sees a half-written PATH, a kill or a full disk leaves at
 * most a .partial file (removed here on any error we can observe), and the
 * previous PATH survives every failure.
 *
 * Cost: every series is written once and summarised once, O(arms x series x
 * R x T log R) for the quantiles; memory beyond the results is O(R + T).
 */
#include "io/h5.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "config/experiment.h"
#include "engine/compare.h"
#include "base/stats.h"
#include "io/h5_cities.h"
#include "io/h5_util.h"

#define CHUNK_T 4096 /* time points per chunk: one replicate's row for typical runs */

#define OUTCOME_STR 32 /* fixed-length string of /comparison/<arm> outcome names */

/* One row of /comparison/<arm>. */
typedef struct cmp_row {
    char outcome[OUTCOME_STR];
    double mean, ci_low, ci_high;
} cmp_row;

/* Handles and buffers shared by the pieces of one write. */
typedef struct wctx {
    const char *path; /* final path, for messages */
    const bz_results *r;
    hid_t file, gcpl;
    hid_t dcpl_series, dcpl_summary; /* chunked + shuffle + deflate */
    hid_t summary_mtype, summary_ftype, outcome_mtype, outcome_ftype;
    hid_t cmp_mtype, cmp_ftype, str_mtype, str_ftype;
    bz_summary *sum; /* [T] */
    double *work;    /* [R] */
    bz_error *err;
} wctx;

/* Report a failed HDF5 call on object `obj` with HDF5's own reason. */
static int wfail(wctx *c, const char *obj)
{
    char why[256];
    bz_h5_last_error(why, sizeof why);
    return bz_error_set(c->err, BZ_EIO, "cannot write '%s': %s: %s", c->path, obj, why);
}

/* A name becomes an HDF5 link name: it must be non-empty, not ".", no '/'. */
static int check_name(const char *what, const char *name, bz_error *err)
{
    if (name[0] == '\0' || strcmp(name, ".") == 0 || strchr(name, '/'))
        return bz_error_set(err, BZ_EINVAL,
                            "cannot write results: %s name '%s' must be non-empty, not '.', "
                            "and contain no '/'",
                            what, name);
    return BZ_OK;
}

static int check_unique(const char *what, const char *a, const char *b, bz_error *err)
{
    if (strcmp(a, b) == 0)
        return bz_error_set(err, BZ_EINVAL, "cannot write results: two %ss are named '%s'", what,
                            a);
    return BZ_OK;
}

static int validate(const bz_results *r, bz_error *err)
{
    int status = BZ_OK;
    const int network_only = r->n_arms == 0 && r->R == 0 && r->T == 0;
    if (!network_only && (r->R == 0 || r->T == 0 || r->n_arms == 0 || !r->arms || !r->time_days))
        BZ_FAIL(err, BZ_EINVAL, "cannot write results: empty (R=%u T=%u arms=%zu)", (unsigned)r->R,
                (unsigned)r->T, r->n_arms);
    if (r->n_states < 0 || r->n_states > 8 || r->n_channels < 0 || r->n_channels > BZ_CH_MAX)
        BZ_FAIL(err, BZ_EINVAL, "cannot write results: %d states / %d channels out of range",
                r->n_states, r->n_channels);
    if (r->n_layers > 0 && !r->layers)
        BZ_FAIL(err, BZ_EINVAL, "cannot write results: layer info missing");
    for (size_t a = 0; a < r->n_arms; a++) {
        const bz_arm_result *arm = &r->arms[a];
        BZ_CHECK(check_name("arm", arm->name, err));
        for (size_t b = 0; b < a; b++)
            BZ_CHECK(check_unique("arm", arm->name, r->arms[b].name, err));
        int missing = !arm->outcomes;
        for (int k = 0; k < BZ_N_SERIES; k++)
            missing |= bz_results_series_rows(r, (bz_series_id)k) > 0 && !arm->series[k];
        if (missing)
            BZ_FAIL(err, BZ_EINVAL, "cannot write results: arm '%s' has unallocated series",
                    arm->name);
    }
    for (int s = 0; s < r->n_states; s++) {
        BZ_CHECK(check_name("state", r->state_names[s], err));
        for (int t = 0; t < s; t++)
            BZ_CHECK(check_unique("state", r->state_names[s], r->state_names[t], err));
    }
    for (int k = 0; k < r->n_channels; k++) {
        BZ_CHECK(check_name("channel", r->channel_names[k], err));
        for (int j = 0; j < k; j++)
            BZ_CHECK(check_unique("channel", r->channel_names[k], r->channel_names[j], err));
    }
    for (size_t i = 0; i < r->n_layers; i++) {
        BZ_CHECK(check_name("layer", r->layers[i].name, err));
        for (size_t j = 0; j < i; j++)
            BZ_CHECK(check_unique("layer", r->layers[i].name, r->layers[j].name, err));
        if (r->layers[i].hist_len > 0 && !r->layers[i].degree_histogram)
            BZ_FAIL(err, BZ_EINVAL, "cannot write results: layer '%s' has no degree histogram",
                    r->layers[i].name);
    }
cleanup:
    return status;
}

static hid_t make_dcpl(int rank, const hsize_t *chunk)
{
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (dcpl < 0) return H5I_INVALID_HID;
    if (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
        H5Pset_deflate(dcpl, BZ_H5_DEFLATE_LEVEL) < 0) {
        H5Pclose(dcpl);
        return H5I_INVALID_HID;
    }
    return dcpl;
}

/* Create every type and property list once per file. */
static int setup(wctx *c)
{
    const bz_results *r = c->r;
    static const char *const summary_names[5] = {"mean", "sd", "q05", "q50", "q95"};
    /* A network file has T = R = 0: keep chunks and buffers non-empty. */
    hsize_t ct = r->T < CHUNK_T ? (r->T ? r->T : 1) : CHUNK_T;
    hsize_t chunk2[2] = {1, ct};
    if ((c->gcpl = bz_h5_ordered_gcpl()) < 0) return wfail(c, "(group properties)");
    if ((c->dcpl_series = make_dcpl(2, chunk2)) < 0) return wfail(c, "(dataset properties)");
    if ((c->dcpl_summary = make_dcpl(1, &ct)) < 0) return wfail(c, "(dataset properties)");
    if ((c->summary_mtype = bz_h5_doubles_type(summary_names, 5, 0)) < 0 ||
        (c->summary_ftype = bz_h5_doubles_type(summary_names, 5, 1)) < 0 ||
        (c->outcome_mtype = bz_h5_defs_type(bz_outcome_defs, BZ_N_OUTCOMES, 0)) < 0 ||
        (c->outcome_ftype = bz_h5_defs_type(bz_outcome_defs, BZ_N_OUTCOMES, 1)) < 0)
        return wfail(c, "(compound types)");
    /* HDF5 cannot convert between character sets: memory and file agree. */
    if ((c->str_mtype = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(c->str_mtype, OUTCOME_STR) < 0 ||
        H5Tset_strpad(c->str_mtype, H5T_STR_NULLTERM) < 0 ||
        H5Tset_cset(c->str_mtype, H5T_CSET_UTF8) < 0 || (c->str_ftype = H5Tcopy(c->str_mtype)) < 0)
        return wfail(c, "(string type)");
    if ((c->cmp_mtype = H5Tcreate(H5T_COMPOUND, sizeof(cmp_row))) < 0 ||
        H5Tinsert(c->cmp_mtype, "outcome", offsetof(cmp_row, outcome), c->str_mtype) < 0 ||
        H5Tinsert(c->cmp_mtype, "mean", offsetof(cmp_row, mean), H5T_NATIVE_DOUBLE) < 0 ||
        H5Tinsert(c->cmp_mtype, "ci_low", offsetof(cmp_row, ci_low), H5T_NATIVE_DOUBLE) < 0 ||
        H5Tinsert(c->cmp_mtype, "ci_high", offsetof(cmp_row, ci_high), H5T_NATIVE_DOUBLE) < 0)
        return wfail(c, "(comparison type)");
    const size_t fsize = OUTCOME_STR + 3 * 8;
    if ((c->cmp_ftype = H5Tcreate(H5T_COMPOUND, fsize)) < 0 ||
        H5Tinsert(c->cmp_ftype, "outcome", 0, c->str_ftype) < 0 ||
        H5Tinsert(c->cmp_ftype, "mean", OUTCOME_STR, H5T_IEEE_F64LE) < 0 ||
        H5Tinsert(c->cmp_ftype, "ci_low", OUTCOME_STR + 8, H5T_IEEE_F64LE) < 0 ||
        H5Tinsert(c->cmp_ftype, "ci_high", OUTCOME_STR + 16, H5T_IEEE_F64LE) < 0)
        return wfail(c, "(comparison type)");
    const size_t T = r->T ? r->T : 1, R = r->R ? r->R : 1;
    c->sum = malloc(T * sizeof *c->sum);
    c->work = malloc(R * sizeof *c->work);
    if (!c->sum || !c->work)
        return bz_error_oom(c->err, NULL, T * sizeof *c->sum + R * sizeof *c->work, "writing '%s'",
                            c->path);
    return BZ_OK;
}

/* Write a dataset of `rank` dims with memory type mtype, stored as ftype. */
static int write_dataset(wctx *c, hid_t loc, const char *name, const char *objpath, int rank,
                         const hsize_t *dims, hid_t ftype, hid_t mtype, hid_t dcpl,
                         const void *data)
{
    int status = BZ_OK;
    hid_t space = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    hsize_t n = 1;
    for (int i = 0; i < rank; i++)
        n *= dims[i];
    if ((space = H5Screate_simple(rank, dims, NULL)) < 0) BZ_CHECK(wfail(c, objpath));
    if ((ds = H5Dcreate2(loc, name, ftype, space, H5P_DEFAULT, n ? dcpl : H5P_DEFAULT,
                         H5P_DEFAULT)) < 0)
        BZ_CHECK(wfail(c, objpath));
    if (n > 0 && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        BZ_CHECK(wfail(c, objpath));
cleanup:
    if (ds >= 0 && H5Dclose(ds) < 0 && status == BZ_OK) status = wfail(c, objpath);
    if (space >= 0) H5Sclose(space);
    return status;
}

/* One [R,T] series at group/leaf and its summary at summary/<sname>. */
static int write_series(wctx *c, hid_t group, const char *gpath, const char *leaf, hid_t summary,
                        const char *sname, const char *arm, const int64_t *data)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    char obj[6 * BZ_NAME_MAX]; /* gpath (up to 4 names) + "/" + leaf */
    hsize_t dims[2] = {r->R, r->T};
    snprintf(obj, sizeof obj, "%s/%s", gpath, leaf);
    BZ_CHECK(write_dataset(c, group, leaf, obj, 2, dims, H5T_STD_I64LE, H5T_NATIVE_INT64,
                           c->dcpl_series, data));
    bz_stats_summarise(data, r->R, r->T, c->sum, c->work);
    snprintf(obj, sizeof obj, "/arms/%s/summary/%s", arm, sname);
    BZ_CHECK(write_dataset(c, summary, sname, obj, 1, &dims[1], c->summary_ftype, c->summary_mtype,
                           c->dcpl_summary, c->sum));
cleanup:
    return status;
}

static hid_t make_group(wctx *c, hid_t loc, const char *name, const char *objpath)
{
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, c->gcpl, H5P_DEFAULT);
    if (g < 0) wfail(c, objpath);
    return g;
}

/* Series s of an arm: one dataset /arms/<arm>/<name> with its summary, or a
 * group /arms/<arm>/<name>/ with one dataset per row (states, channels). */
static int write_series_def(wctx *c, hid_t arm_g, hid_t summary, const bz_arm_result *arm,
                            bz_series_id s)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    const bz_series_def *d = &bz_series_defs[s];
    char obj[4 * BZ_NAME_MAX];
    snprintf(obj, sizeof obj, "/arms/%s", arm->name);
    if (d->family == BZ_FAM_ONE)
        return write_series(c, arm_g, obj, d->name, summary, d->name, arm->name, arm->series[s]);
    snprintf(obj, sizeof obj, "/arms/%s/%s", arm->name, d->name);
    hid_t g = make_group(c, arm_g, d->name, obj);
    if (g < 0) return c->err->code;
    const int rows = bz_results_series_rows(r, s);
    for (int k = 0; k < rows; k++) {
        char sname[2 * BZ_NAME_MAX + 2];
        const char *leaf = bz_results_row_name(r, s, k);
        snprintf(sname, sizeof sname, "%s.%s", d->name, leaf);
        BZ_CHECK(write_series(c, g, obj, leaf, summary, sname, arm->name,
                              bz_series_row(arm->series[s], r->R, r->T, k, 0)));
    }
cleanup:
    if (H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, obj);
    return status;
}

/* /arms/<arm>/attribution: the method and players as attributes, the
 * shares of every replicate as [R, players] datasets, one per attributed
 * outcome. */
static int write_attribution(wctx *c, hid_t arm_g, const bz_arm_result *arm)
{
    int status = BZ_OK;
    const bz_attrib_result *at = &arm->attrib;
    char obj[4 * BZ_NAME_MAX];
    char *players = NULL;
    snprintf(obj, sizeof obj, "/arms/%s/attribution", arm->name);
    hid_t g = make_group(c, arm_g, "attribution", obj);
    if (g < 0) return c->err->code;
    /* Player labels, one per line (labels hold no line break). */
    const size_t len = (size_t)at->n_players * BZ_NAME_MAX + 1;
    if (!(players = calloc(len, 1))) BZ_FAIL_OOM(c->err, NULL, len, "writing %s", obj);
    size_t used = 0;
    for (uint32_t j = 0; j < at->n_players; j++)
        used += (size_t)snprintf(players + used, len - used, "%s%s", j ? "\n" : "", at->players[j]);
    if (bz_h5_put_string_attr(g, "method", bz_attribution_names[at->method]) < 0 ||
        bz_h5_put_string_attr(g, "players", players) < 0)
        BZ_CHECK(wfail(c, obj));
    const hsize_t dims[2] = {c->r->R, at->n_players};
    for (int o = 0; o < BZ_N_ATTRIB_OUT && at->n_players > 0; o++) {
        const char *name = bz_outcome_defs[bz_attrib_outcome[o]].name;
        char dobj[5 * BZ_NAME_MAX];
        snprintf(dobj, sizeof dobj, "%s/%s", obj, name);
        BZ_CHECK(write_dataset(c, g, name, dobj, 2, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                               H5P_DEFAULT, at->share + (size_t)o * c->r->R * at->n_players));
    }
cleanup:
    free(players);
    if (H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, obj);
    return status;
}

/* /arms/<arm>/campaign_spend: [R, campaigns] compound of bz_campaign_defs,
 * with attribute `campaigns` naming the columns, one label per line, in
 * the arm's order (engine/results.h). */
static int write_campaign_spend(wctx *c, hid_t arm_g, const bz_arm_result *arm)
{
    int status = BZ_OK;
    char obj[4 * BZ_NAME_MAX];
    char *labels = NULL;
    hid_t mt = H5I_INVALID_HID, ft = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    snprintf(obj, sizeof obj, "/arms/%s/campaign_spend", arm->name);
    /* Labels, one per line (labels hold no line break). */
    const size_t len = (size_t)arm->n_campaigns * BZ_NAME_MAX + 1;
    if (!(labels = calloc(len, 1))) BZ_FAIL_OOM(c->err, NULL, len, "writing %s", obj);
    size_t used = 0;
    for (uint32_t k = 0; k < arm->n_campaigns; k++)
        used += (size_t)snprintf(labels + used, len - used, "%s%s", k ? "\n" : "",
                                 arm->campaign_names[k]);
    if ((mt = bz_h5_defs_type(bz_campaign_defs, BZ_N_CAMPAIGN_FIELDS, 0)) < 0 ||
        (ft = bz_h5_defs_type(bz_campaign_defs, BZ_N_CAMPAIGN_FIELDS, 1)) < 0)
        BZ_CHECK(wfail(c, "(campaign spend type)"));
    const hsize_t RK[2] = {c->r->R, arm->n_campaigns};
    BZ_CHECK(write_dataset(c, arm_g, "campaign_spend", obj, 2, RK, ft, mt, H5P_DEFAULT,
                           arm->campaign_spend));
    if ((ds = H5Dopen2(arm_g, "campaign_spend", H5P_DEFAULT)) < 0 ||
        bz_h5_put_string_attr(ds, "campaigns", labels) < 0)
        BZ_CHECK(wfail(c, obj));
cleanup:
    if (ds >= 0 && H5Dclose(ds) < 0 && status == BZ_OK) status = wfail(c, obj);
    if (mt >= 0) H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    free(labels);
    return status;
}

static int write_arm(wctx *c, hid_t arms_g, const bz_arm_result *arm)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    char obj[4 * BZ_NAME_MAX];
    hid_t g = H5I_INVALID_HID, summary = H5I_INVALID_HID;
    hid_t wtype_m = H5I_INVALID_HID, wtype_f = H5I_INVALID_HID;
    bz_window_result *wins = NULL;
    snprintf(obj, sizeof obj, "/arms/%s", arm->name);
    if ((g = make_group(c, arms_g, arm->name, obj)) < 0) BZ_CHECK(c->err->code);
    if (bz_h5_put_string_attr(g, "campaigns", arm->campaigns_yaml) < 0 ||
        bz_h5_put_scalar_attr(g, "cost", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &arm->cost) < 0)
        BZ_CHECK(wfail(c, obj));
    hsize_t T = r->T, R = r->R;
    snprintf(obj, sizeof obj, "/arms/%s/time", arm->name);
    BZ_CHECK(write_dataset(c, g, "time", obj, 1, &T, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, H5P_DEFAULT,
                           r->time_days));
    snprintf(obj, sizeof obj, "/arms/%s/summary", arm->name);
    if ((summary = make_group(c, g, "summary", obj)) < 0) BZ_CHECK(c->err->code);
    for (int k = 0; k < BZ_N_SERIES; k++)
        BZ_CHECK(write_series_def(c, g, summary, arm, (bz_series_id)k));
    snprintf(obj, sizeof obj, "/arms/%s/outcomes", arm->name);
    BZ_CHECK(write_dataset(c, g, "outcomes", obj, 1, &R, c->outcome_ftype, c->outcome_mtype,
                           H5P_DEFAULT, arm->outcomes));
    if (arm->n_windows > 0) {
        /* [R, W]: the used part of each replicate's row. */
        const hsize_t RW[2] = {R, arm->n_windows};
        if (!(wins = malloc((size_t)R * arm->n_windows * sizeof *wins)))
            BZ_FAIL_OOM(c->err, NULL, (size_t)R * arm->n_windows * sizeof *wins,
                        "writing %llu x %zu flash-sale windows", (unsigned long long)R,
                        (size_t)arm->n_windows);
        for (hsize_t i = 0; i < R; i++)
            memcpy(wins + i * arm->n_windows, arm->windows + i * BZ_RESULT_WINDOWS,
                   arm->n_windows * sizeof *wins);
        if ((wtype_m = bz_h5_defs_type(bz_window_defs, BZ_N_WINDOW_FIELDS, 0)) < 0 ||
            (wtype_f = bz_h5_defs_type(bz_window_defs, BZ_N_WINDOW_FIELDS, 1)) < 0)
            BZ_CHECK(wfail(c, "(window type)"));
        snprintf(obj, sizeof obj, "/arms/%s/windows", arm->name);
        BZ_CHECK(write_dataset(c, g, "windows", obj, 2, RW, wtype_f, wtype_m, H5P_DEFAULT, wins));
    }
    if (arm->n_campaigns > 0 && arm->campaign_spend && arm->campaign_names)
        BZ_CHECK(write_campaign_spend(c, g, arm));
    if (arm->attrib.method != BZ_ATTRIB_NONE) BZ_CHECK(write_attribution(c, g, arm));
cleanup:
    free(wins);
    if (wtype_m >= 0) H5Tclose(wtype_m);
    if (wtype_f >= 0) H5Tclose(wtype_f);
    if (summary >= 0 && H5Gclose(summary) < 0 && status == BZ_OK) status = wfail(c, obj);
    if (g >= 0 && H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, obj);
    return status;
}

/* /attribution/<arm>: per player of an arm with attribution, the mean share
 * of each attributed outcome with its 95% interval (for plots and export),
 * one compound row per player, and a last row "sum". */
typedef struct attrib_row {
    char campaign[BZ_NAME_MAX];
    double v[3 * BZ_N_ATTRIB_OUT]; /* mean, ci_low, ci_high per outcome */
} attrib_row;

static int write_attribution_summary(wctx *c, const bz_comparison *cmp)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    hid_t g = H5I_INVALID_HID, mtype = H5I_INVALID_HID, ftype = H5I_INVALID_HID;
    hid_t smt = H5I_INVALID_HID;
    attrib_row *rows = NULL;
    int any = 0;
    for (size_t a = 1; a < r->n_arms; a++)
        any |= cmp->attrib[a].n_players > 0;
    if (!any) return BZ_OK;
    if ((smt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(smt, BZ_NAME_MAX) < 0 ||
        H5Tset_strpad(smt, H5T_STR_NULLTERM) < 0 || H5Tset_cset(smt, H5T_CSET_UTF8) < 0)
        BZ_CHECK(wfail(c, "(string type)"));
    const size_t fsize = BZ_NAME_MAX + 3 * BZ_N_ATTRIB_OUT * 8;
    if ((mtype = H5Tcreate(H5T_COMPOUND, sizeof(attrib_row))) < 0 ||
        (ftype = H5Tcreate(H5T_COMPOUND, fsize)) < 0 ||
        H5Tinsert(mtype, "campaign", offsetof(attrib_row, campaign), smt) < 0 ||
        H5Tinsert(ftype, "campaign", 0, smt) < 0)
        BZ_CHECK(wfail(c, "(attribution type)"));
    static const char *const part[3] = {"", "_low", "_high"};
    for (int o = 0; o < BZ_N_ATTRIB_OUT; o++)
        for (int q = 0; q < 3; q++) {
            char name[BZ_NAME_MAX];
            snprintf(name, sizeof name, "%s%s", bz_outcome_defs[bz_attrib_outcome[o]].name,
                     part[q]);
            const int k = 3 * o + q;
            if (H5Tinsert(mtype, name, offsetof(attrib_row, v) + (size_t)k * sizeof(double),
                          H5T_NATIVE_DOUBLE) < 0 ||
                H5Tinsert(ftype, name, BZ_NAME_MAX + (size_t)k * 8, H5T_IEEE_F64LE) < 0)
                BZ_CHECK(wfail(c, "(attribution type)"));
        }
    if ((g = make_group(c, c->file, "attribution", "/attribution")) < 0) BZ_CHECK(c->err->code);
    if (!(rows = calloc(BZ_CMP_MAX_PLAYERS + 1, sizeof *rows)))
        BZ_FAIL_OOM(c->err, NULL, (BZ_CMP_MAX_PLAYERS + 1) * sizeof *rows, "writing /attribution");
    for (size_t a = 1; a < r->n_arms; a++) {
        const bz_cmp_attrib *ca = &cmp->attrib[a];
        if (ca->n_players == 0) continue;
        for (uint32_t j = 0; j <= ca->n_players; j++) {
            const int sum = j == ca->n_players;
            snprintf(rows[j].campaign, BZ_NAME_MAX, "%s",
                     sum ? "sum" : r->arms[a].attrib.players[j]);
            for (int o = 0; o < BZ_N_ATTRIB_OUT; o++) {
                const bz_compare x = sum ? ca->sum[o] : ca->share[o][j];
                rows[j].v[3 * o] = x.mean;
                rows[j].v[3 * o + 1] = x.ci_low;
                rows[j].v[3 * o + 2] = x.ci_high;
            }
        }
        char obj[4 * BZ_NAME_MAX];
        snprintf(obj, sizeof obj, "/attribution/%s", r->arms[a].name);
        hsize_t n = ca->n_players + 1;
        BZ_CHECK(write_dataset(c, g, r->arms[a].name, obj, 1, &n, ftype, mtype, H5P_DEFAULT, rows));
    }
cleanup:
    free(rows);
    if (g >= 0 && H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, "/attribution");
    if (mtype >= 0) H5Tclose(mtype);
    if (ftype >= 0) H5Tclose(ftype);
    if (smt >= 0) H5Tclose(smt);
    return status;
}

/* /comparison/<arm>: every row of engine/compare.h for every arm but the
 * baseline. */
static int write_comparison(wctx *c)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    char obj[4 * BZ_NAME_MAX];
    bz_comparison cmp = {0, NULL, NULL};
    hid_t g = H5I_INVALID_HID;
    BZ_CHECK(bz_comparison_compute(r, &cmp, c->err));
    if ((g = make_group(c, c->file, "comparison", "/comparison")) < 0) BZ_CHECK(c->err->code);
    for (size_t a = 1; a < r->n_arms; a++) {
        cmp_row rows[BZ_N_CMP_ROWS];
        memset(rows, 0, sizeof rows);
        for (int k = 0; k < BZ_N_CMP_ROWS; k++) {
            snprintf(rows[k].outcome, OUTCOME_STR, "%s", bz_cmp_row_name(k));
            rows[k].mean = cmp.rows[a][k].mean;
            rows[k].ci_low = cmp.rows[a][k].ci_low;
            rows[k].ci_high = cmp.rows[a][k].ci_high;
        }
        hsize_t n = BZ_N_CMP_ROWS;
        snprintf(obj, sizeof obj, "/comparison/%s", r->arms[a].name);
        BZ_CHECK(write_dataset(c, g, r->arms[a].name, obj, 1, &n, c->cmp_ftype, c->cmp_mtype,
                               H5P_DEFAULT, rows));
    }
    BZ_CHECK(write_attribution_summary(c, &cmp));
cleanup:
    bz_comparison_destroy(&cmp);
    if (g >= 0 && H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, "/comparison");
    return status;
}

/* Structure statistics of a layer: scalar attributes plus the in-degree and
 * core-number histograms and the top agents by PageRank. */
static int write_stats(wctx *c, hid_t layer, const bz_layer_info *li)
{
    const bz_layer_stats *s = &li->stats;
    char obj[4 * BZ_NAME_MAX];
    snprintf(obj, sizeof obj, "/network/%s", li->name);
    uint32_t max_core = s->max_core;
    if (bz_h5_put_scalar_attr(layer, "components", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                              &s->components) < 0 ||
        bz_h5_put_scalar_attr(layer, "giant_component", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                              &s->giant) < 0)
        return wfail(c, obj);
    if (s->computed >= 2 &&
        (bz_h5_put_scalar_attr(layer, "clustering_avg", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                               &s->clustering_avg) < 0 ||
         bz_h5_put_scalar_attr(layer, "clustering_global", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                               &s->clustering_global) < 0 ||
         bz_h5_put_scalar_attr(layer, "clustering_stderr", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                               &s->clustering_stderr) < 0 ||
         bz_h5_put_scalar_attr(layer, "clustering_samples", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                               &s->clustering_samples) < 0 ||
         bz_h5_put_scalar_attr(layer, "assortativity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                               &s->assortativity) < 0 ||
         bz_h5_put_scalar_attr(layer, "max_core", H5T_STD_U32LE, H5T_NATIVE_UINT32, &max_core) < 0))
        return wfail(c, obj);
    int status = BZ_OK;
    hsize_t n;
    if (s->in_degree_histogram) {
        n = s->in_hist_len;
        snprintf(obj, sizeof obj, "/network/%s/in_degree_histogram", li->name);
        BZ_CHECK(write_dataset(c, layer, "in_degree_histogram", obj, 1, &n, H5T_STD_I64LE,
                               H5T_NATIVE_INT64, H5P_DEFAULT, s->in_degree_histogram));
    }
    if (s->core_histogram) {
        n = s->core_hist_len;
        snprintf(obj, sizeof obj, "/network/%s/core_histogram", li->name);
        BZ_CHECK(write_dataset(c, layer, "core_histogram", obj, 1, &n, H5T_STD_I64LE,
                               H5T_NATIVE_INT64, H5P_DEFAULT, s->core_histogram));
    }
    if (s->n_top > 0) {
        n = (hsize_t)s->n_top;
        snprintf(obj, sizeof obj, "/network/%s/pagerank_top_agents", li->name);
        BZ_CHECK(write_dataset(c, layer, "pagerank_top_agents", obj, 1, &n, H5T_STD_U32LE,
                               H5T_NATIVE_UINT32, H5P_DEFAULT, s->top_agents));
        snprintf(obj, sizeof obj, "/network/%s/pagerank_top_values", li->name);
        BZ_CHECK(write_dataset(c, layer, "pagerank_top_values", obj, 1, &n, H5T_IEEE_F64LE,
                               H5T_NATIVE_DOUBLE, H5P_DEFAULT, s->top_pagerank));
    }
cleanup:
    return status;
}

static int write_network(wctx *c)
{
    int status = BZ_OK;
    const bz_results *r = c->r;
    char obj[4 * BZ_NAME_MAX];
    hid_t layer = H5I_INVALID_HID;
    hid_t g = make_group(c, c->file, "network", "/network");
    if (g < 0) return c->err->code;
    for (size_t i = 0; i < r->n_layers; i++) {
        const bz_layer_info *li = &r->layers[i];
        int32_t directed = li->directed ? 1 : 0;
        snprintf(obj, sizeof obj, "/network/%s", li->name);
        if ((layer = make_group(c, g, li->name, obj)) < 0) BZ_CHECK(c->err->code);
        if (bz_h5_put_string_attr(layer, "generator", li->generator) < 0 ||
            bz_h5_put_scalar_attr(layer, "directed", H5T_STD_I32LE, H5T_NATIVE_INT32, &directed) <
                0 ||
            bz_h5_put_scalar_attr(layer, "agents", H5T_STD_U64LE, H5T_NATIVE_UINT64, &li->agents) <
                0 ||
            bz_h5_put_scalar_attr(layer, "edges", H5T_STD_U64LE, H5T_NATIVE_UINT64, &li->edges) < 0)
            BZ_CHECK(wfail(c, obj));
        hsize_t n = li->hist_len;
        snprintf(obj, sizeof obj, "/network/%s/degree_histogram", li->name);
        BZ_CHECK(write_dataset(c, layer, "degree_histogram", obj, 1, &n, H5T_STD_I64LE,
                               H5T_NATIVE_INT64, H5P_DEFAULT, li->degree_histogram));
        if (li->stats.computed) BZ_CHECK(write_stats(c, layer, li));
        if (H5Gclose(layer) < 0) {
            layer = H5I_INVALID_HID;
            BZ_CHECK(wfail(c, obj));
        }
        layer = H5I_INVALID_HID;
    }
cleanup:
    if (layer >= 0) H5Gclose(layer);
    if (H5Gclose(g) < 0 && status == BZ_OK) status = wfail(c, "/network");
    return status;
}

static int write_root(wctx *c)
{
    const bz_results *r = c->r;
    int32_t complete = 0;
    if (bz_h5_put_provenance(c->file, r->command_line) < 0 ||
        bz_h5_put_string_attr(c->file, "experiment_yaml", r->experiment_yaml) < 0 ||
        bz_h5_put_scalar_attr(c->file, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &r->seed) < 0 ||
        bz_h5_put_scalar_attr(c->file, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete) < 0)
        return wfail(c, "/");
    return BZ_OK;
}

/* The last write: mark the file complete. */
static int mark_complete(wctx *c)
{
    int status = BZ_OK;
    int32_t one = 1;
    hid_t attr = H5Aopen(c->file, "complete", H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, H5T_NATIVE_INT32, &one) < 0) status = wfail(c, "/");
    if (attr >= 0 && H5Aclose(attr) < 0 && status == BZ_OK) status = wfail(c, "/");
    return status;
}

static void close_ctx(wctx *c)
{
    hid_t types[] = {c->summary_mtype, c->summary_ftype, c->outcome_mtype, c->outcome_ftype,
                     c->cmp_mtype,     c->cmp_ftype,     c->str_mtype,     c->str_ftype};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i] >= 0) H5Tclose(types[i]);
    hid_t plists[] = {c->gcpl, c->dcpl_series, c->dcpl_summary};
    for (size_t i = 0; i < sizeof plists / sizeof plists[0]; i++)
        if (plists[i] >= 0) H5Pclose(plists[i]);
    free(c->sum);
    free(c->work);
}

int bz_h5_write(const char *path, const bz_results *r, int force, bz_error *err)
{
    int status = BZ_OK;
    bz_h5_quiet quiet;
    bz_h5_quiet_begin(&quiet);
    wctx c = {.path = path,
              .r = r,
              .file = H5I_INVALID_HID,
              .gcpl = H5I_INVALID_HID,
              .dcpl_series = H5I_INVALID_HID,
              .dcpl_summary = H5I_INVALID_HID,
              .summary_mtype = H5I_INVALID_HID,
              .summary_ftype = H5I_INVALID_HID,
              .outcome_mtype = H5I_INVALID_HID,
              .outcome_ftype = H5I_INVALID_HID,
              .cmp_mtype = H5I_INVALID_HID,
              .cmp_ftype = H5I_INVALID_HID,
              .str_mtype = H5I_INVALID_HID,
              .str_ftype = H5I_INVALID_HID,
              .err = err};
    bz_error local;
    if (!c.err) c.err = &local; /* wfail() reads err->code back */
    hid_t arms_g = H5I_INVALID_HID;
    char *partial = NULL;
    bz_h5_mem mem = {H5I_INVALID_HID, NULL, 0};

    BZ_CHECK(validate(r, c.err));
    BZ_CHECK(bz_h5_check_output(path, force, c.err));
    size_t len = strlen(path) + sizeof ".partial";
    if (!(partial = malloc(len))) BZ_FAIL_OOM(c.err, NULL, len, "the path '%s.partial'", path);
    snprintf(partial, len, "%s.partial", path);
    BZ_CHECK(setup(&c));
    if (bz_h5_mem_create(&mem, path) < 0) {
        char why[256];
        bz_h5_last_error(why, sizeof why);
        BZ_FAIL(c.err, BZ_EIO, "cannot create '%s' in memory: %s", path, why);
    }
    c.file = mem.file;
    BZ_CHECK(write_root(&c));
    BZ_CHECK(write_network(&c));
    if (r->n_arms == 0) goto complete; /* a network file (buzzsim graph) */
    if ((arms_g = make_group(&c, c.file, "arms", "/arms")) < 0) BZ_CHECK(c.err->code);
    for (size_t a = 0; a < r->n_arms; a++)
        BZ_CHECK(write_arm(&c, arms_g, &r->arms[a]));
    if (H5Gclose(arms_g) < 0) {
        arms_g = H5I_INVALID_HID;
        BZ_CHECK(wfail(&c, "/arms"));
    }
    arms_g = H5I_INVALID_HID;
    BZ_CHECK(write_comparison(&c));
    BZ_CHECK(bz_h5_write_cities(c.file, path, r, c.err));
complete:
    BZ_CHECK(mark_complete(&c));
    /* Someone may have created PATH while we were computing. */
    BZ_CHECK(bz_h5_check_output(path, force, c.err));
    c.file = H5I_INVALID_HID;
    status = bz_h5_mem_commit(&mem, path, partial, c.err);
cleanup:
    if (arms_g >= 0) H5Gclose(arms_g);
    bz_h5_mem_discard(&mem);
    free(partial);
    close_ctx(&c);
    bz_h5_quiet_end(&quiet);
    return status;
}

/* Optimize results files (optimize/h5_optimize.h). */
#include "optimize/h5_optimize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "base/file.h"
#include "base/text.h"
#include "io/h5.h"
#include "io/h5_util.h"

#define COLS_MAX (BZ_OPT_VARS_MAX + BZ_OPT_CONS_MAX + 2 * BZ_OPT_CAMPAIGNS_MAX + 8)

typedef struct table {
    size_t n_cols;
    char names[COLS_MAX][BZ_OPT_KEY_MAX + 16];
    const char *ptr[COLS_MAX];
} table;

static void columns(const bz_opt_plan *pl, int final, table *t)
{
    size_t n = 0;
    snprintf(t->names[n++], sizeof t->names[0], "evaluation");
    snprintf(t->names[n++], sizeof t->names[0], "phase");
    for (size_t i = 0; i < pl->n_vars; i++)
        snprintf(t->names[n++], sizeof t->names[0], "%s", pl->vars[i].key);
    snprintf(t->names[n++], sizeof t->names[0], "objective");
    snprintf(t->names[n++], sizeof t->names[0], "spend_max");
    snprintf(t->names[n++], sizeof t->names[0], "feasible");
    for (size_t c = 0; c < pl->n_cons; c++)
        snprintf(t->names[n++], sizeof t->names[0], "constraint.%s",
                 bz_outcome_defs[pl->cons[c].outcome].name);
    if (final) {
        snprintf(t->names[n++], sizeof t->names[0], "vs_base_mean");
        snprintf(t->names[n++], sizeof t->names[0], "vs_base_ci_low");
        snprintf(t->names[n++], sizeof t->names[0], "vs_base_ci_high");
    }
    /* Each campaign's spend (cost + the discounts of its sales): the
     * largest over the replicates (what a cap bounds) and the mean (the
     * budget split). */
    for (size_t k = 0; k < pl->n_campaigns; k++) {
        snprintf(t->names[n++], sizeof t->names[0], "spend_max.%zu.%s", k, pl->campaign[k]);
        snprintf(t->names[n++], sizeof t->names[0], "spend_mean.%zu.%s", k, pl->campaign[k]);
    }
    t->n_cols = n;
    for (size_t k = 0; k < n; k++)
        t->ptr[k] = t->names[k];
}

/* One row of a candidate table. */
static void row(const bz_opt_plan *pl, const bz_opt_eval *e, double index, const bz_opt_eval *base,
                int final, double *out)
{
    size_t n = 0;
    out[n++] = index;
    out[n++] = e->phase;
    for (size_t i = 0; i < pl->n_vars; i++)
        out[n++] = e->value[i];
    out[n++] = e->objective;
    out[n++] = e->spend_max;
    out[n++] = e->feasible;
    for (size_t c = 0; c < pl->n_cons; c++)
        out[n++] = e->cons[c];
    if (final) {
        bz_compare d = {NAN, NAN, NAN};
        if (base && e != base && e->per_rep && base->per_rep)
            d = bz_stats_paired(e->per_rep, base->per_rep, e->R);
        else if (e == base)
            d.mean = d.ci_low = d.ci_high = 0;
        out[n++] = d.mean;
        out[n++] = d.ci_low;
        out[n++] = d.ci_high;
    }
    for (size_t k = 0; k < pl->n_campaigns; k++) {
        out[n++] = e->camp_max[k];
        out[n++] = e->camp_mean[k];
    }
}

/* A table dataset of rows x n_cols doubles. */
static int put_table(hid_t g, const char *name, const table *t, size_t rows, const double *data,
                     const char *path, bz_error *err)
{
    hid_t ft = bz_h5_doubles_type(t->ptr, (int)t->n_cols, 1);
    hid_t mt = bz_h5_doubles_type(t->ptr, (int)t->n_cols, 0);
    hsize_t dims = rows, chunk = rows ? rows : 1;
    hid_t ds =
        ft >= 0 && mt >= 0 ? bz_h5_make_dataset(g, name, 1, &dims, &chunk, ft, mt, data) : -1;
    int status = ds >= 0 ? BZ_OK : bz_h5_write_fail(err, path, name);
    if (ds >= 0) H5Dclose(ds);
    if (ft >= 0) H5Tclose(ft);
    if (mt >= 0) H5Tclose(mt);
    return status;
}

/* Calibration: /optimize/fit (per variable: estimate, low, high, se_u,
 * at_edge, then corr.KEY per variable: the estimates' correlations; the
 * keys in the attribute `variables`) and /optimize/observed
 * (time_days, observed, fitted). rows holds enough doubles. */
static int put_fit(hid_t g, const bz_opt_plan *pl, const bz_opt_result *res, double *rows,
                   const char *path, bz_error *err)
{
    table t;
    static const char *const fit_cols[] = {"estimate", "low", "high", "se_u", "at_edge"};
    static const char *const obs_cols[] = {"time_days", "observed", "fitted"};
    t.n_cols = 5 + pl->n_vars;
    for (size_t c = 0; c < 5; c++)
        t.ptr[c] = fit_cols[c];
    for (size_t j = 0; j < pl->n_vars; j++) {
        snprintf(t.names[5 + j], sizeof t.names[5 + j], "corr.%s", pl->vars[j].key);
        t.ptr[5 + j] = t.names[5 + j];
    }
    const bz_opt_eval *f = res->chosen >= 0 ? &res->final[res->chosen] : NULL;
    for (size_t i = 0; i < pl->n_vars; i++) {
        double *r = rows + i * t.n_cols;
        r[0] = f ? f->value[i] : NAN;
        r[1] = res->fit_low[i];
        r[2] = res->fit_high[i];
        r[3] = res->se_u[i];
        r[4] = res->at_edge[i];
        for (size_t j = 0; j < pl->n_vars; j++)
            r[5 + j] = res->fit_corr[i][j];
    }
    int status = put_table(g, "fit", &t, pl->n_vars, rows, path, err);
    if (status != BZ_OK) return status;
    t.n_cols = 3;
    for (size_t c = 0; c < t.n_cols; c++)
        t.ptr[c] = obs_cols[c];
    for (size_t o = 0; o < pl->n_obs; o++) {
        rows[3 * o] = pl->obs_t[o];
        rows[3 * o + 1] = pl->obs_v[o];
        rows[3 * o + 2] = res->fitted ? res->fitted[o] : NAN;
    }
    return put_table(g, "observed", &t, pl->n_obs, rows, path, err);
}

static herr_t put_num(hid_t obj, const char *name, double v)
{
    return bz_h5_put_scalar_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &v);
}

static herr_t put_attrs(hid_t file, hid_t g, const bz_opt_plan *pl, const bz_opt_result *res,
                        const char *command_line)
{
    char objective[4800] = "";
    if (pl->calibrate) /* the loss, not an outcome: plan.c leaves the terms at profit */
        snprintf(objective, sizeof objective,
                 "least squares on the increments of '%s' at %zu observations of %s",
                 pl->observed_series == BZ_SER_SALES ? "sales" : "adopters", pl->n_obs,
                 pl->observed_path);
    else
        for (size_t t = 0; t < pl->n_terms; t++) {
            size_t used = strlen(objective);
            snprintf(objective + used, sizeof objective - used, "%s%g %s", t ? " + " : "",
                     pl->terms[t].weight, bz_outcome_defs[pl->terms[t].outcome].name);
        }
    char caps[2048] = "";
    size_t used = 0;
    for (size_t k = 0; k < pl->n_campaigns; k++)
        if (isfinite(pl->cap[k]))
            used = bz_text_add(caps, sizeof caps, used, "\n", "%zu %s %.17g", k, pl->campaign[k],
                               pl->cap[k]);
    int32_t complete = 1;
    if (bz_h5_put_provenance(file, command_line) < 0 ||
        bz_h5_put_scalar_attr(file, "complete", H5T_STD_I32LE, H5T_NATIVE_INT32, &complete) < 0)
        return -1;
    if (bz_h5_put_string_attr(g, "name", pl->name) < 0 ||
        bz_h5_put_string_attr(g, "plan_path", pl->path) < 0 ||
        bz_h5_put_string_attr(g, "base_path", pl->base_path) < 0 ||
        bz_h5_put_string_attr(g, "arm", pl->arm) < 0 ||
        bz_h5_put_string_attr(g, "kind", pl->calibrate ? "calibrate" : "optimize") < 0 ||
        bz_h5_put_string_attr(g, "method",
                              pl->calibrate ? "direct+levenberg-marquardt"
                                            : bz_opt_method_names[pl->method]) < 0 ||
        bz_h5_put_string_attr(g, "objective", objective) < 0 ||
        put_num(g, "relative", pl->relative) < 0 || put_num(g, "budget", pl->budget) < 0 ||
        bz_h5_put_string_attr(g, "caps", caps) < 0 || put_num(g, "seed", (double)pl->seed) < 0 ||
        put_num(g, "final_seed", (double)res->final_seed) < 0 ||
        put_num(g, "evaluations", (double)res->n_evals) < 0 ||
        put_num(g, "simulations", (double)res->simulations) < 0 ||
        put_num(g, "seconds", res->seconds) < 0 || put_num(g, "chosen", (double)res->chosen) < 0 ||
        (pl->calibrate && (put_num(g, "sse", res->sse_min) < 0 ||
                           put_num(g, "bootstrap", (double)res->bootstrap_done) < 0)) ||
        bz_h5_put_string_attr(g, "recommended_yaml", res->plan_yaml) < 0)
        return -1;
    return 0;
}

static int build(hid_t file, const char *path, const bz_opt_plan *pl, const bz_opt_result *res,
                 const char *command_line, bz_error *err)
{
    int status = BZ_OK;
    double *rows = NULL;
    hid_t g = H5I_INVALID_HID, ds = H5I_INVALID_HID;
    table t;
    const size_t n_final = res->n_final + 1, R = res->base.R;
    size_t n_rows = res->n_evals > n_final ? res->n_evals : n_final;
    if (n_rows < n_final * R) n_rows = n_final * R;
    if (n_rows < pl->n_obs) n_rows = pl->n_obs;   /* /optimize/observed: 3 columns */
    if (n_rows < pl->n_vars) n_rows = pl->n_vars; /* /optimize/fit: 5 + n_vars columns */
    rows = malloc((n_rows ? n_rows : 1) * COLS_MAX * sizeof *rows);
    if (!rows)
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for the optimize tables (%zu bytes)",
                n_rows * COLS_MAX * sizeof *rows);
    if ((g = H5Gcreate2(file, "optimize", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/optimize"));
    if (put_attrs(file, g, pl, res, command_line) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/optimize"));
    columns(pl, 0, &t);
    for (size_t k = 0; k < res->n_evals; k++)
        row(pl, &res->evals[k], (double)k, NULL, 0, rows + k * t.n_cols);
    BZ_CHECK(put_table(g, "candidates", &t, res->n_evals, rows, path, err));
    columns(pl, 1, &t);
    row(pl, &res->base, -1, &res->base, 1, rows);
    for (size_t k = 0; k < res->n_final; k++)
        row(pl, &res->final[k], (double)k, &res->base, 1, rows + (k + 1) * t.n_cols);
    BZ_CHECK(put_table(g, "final", &t, n_final, rows, path, err));
    for (size_t k = 0; k < n_final; k++) {
        const bz_opt_eval *e = k ? &res->final[k - 1] : &res->base;
        for (size_t r = 0; r < R; r++)
            rows[k * R + r] = e->per_rep ? e->per_rep[r] : NAN;
    }
    if (pl->calibrate) BZ_CHECK(put_fit(g, pl, res, rows, path, err));
    hsize_t dims[2] = {n_final, R}, chunk[2] = {n_final, R ? R : 1};
    if ((ds = bz_h5_make_dataset(g, "replicates", 2, dims, chunk, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                 rows)) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "/optimize/replicates"));
cleanup:
    if (ds >= 0) H5Dclose(ds);
    if (g >= 0) H5Gclose(g);
    free(rows);
    return status;
}

int bz_h5_optimize_write(const char *path, const bz_opt_plan *pl, const bz_opt_result *res,
                         const char *command_line, int force, bz_error *err)
{
    int status = BZ_OK;
    char *partial = NULL;
    bz_h5_quiet quiet;
    bz_h5_mem mem = {H5I_INVALID_HID, NULL, 0};
    bz_h5_quiet_begin(&quiet);
    BZ_CHECK(bz_h5_check_output(path, force, err));
    size_t len = strlen(path) + sizeof ".partial";
    if (!(partial = malloc(len)))
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for a file name (%zu bytes)", len);
    snprintf(partial, len, "%s.partial", path);
    if (bz_h5_mem_create(&mem, path) < 0)
        BZ_CHECK(bz_h5_write_fail(err, path, "(creating the file in memory)"));
    BZ_CHECK(build(mem.file, path, pl, res, command_line, err));
    status = bz_h5_mem_commit(&mem, path, partial, err);
cleanup:
    bz_h5_mem_discard(&mem);
    bz_h5_quiet_end(&quiet);
    free(partial);
    return status;
}

int bz_h5_optimize_detect(const char *path)
{
    return bz_h5_has_group(path, "optimize");
}

void bz_h5_optimize_summary_destroy(bz_h5_optimize_summary *s)
{
    if (!s) return;
    free(s->kind);
    free(s->name);
    free(s->arm);
    free(s->method);
    free(s->objective);
    free(s->recommended_yaml);
    memset(s, 0, sizeof *s);
}

int bz_h5_optimize_read_summary(const char *path, bz_h5_optimize_summary *s, bz_error *err)
{
    int status = BZ_OK;
    hid_t file = H5I_INVALID_HID, g = H5I_INVALID_HID;
    bz_h5_quiet quiet;
    memset(s, 0, sizeof *s);
    bz_h5_quiet_begin(&quiet);
    BZ_CHECK(bz_h5_open_results(path, &file, err));
    if ((g = H5Gopen2(file, "optimize", H5P_DEFAULT)) < 0)
        BZ_FAIL(err, BZ_EINVAL, "%s: /optimize: cannot open the group", path);
    char **strs[] = {&s->kind, &s->name, &s->arm, &s->method, &s->objective, &s->recommended_yaml};
    const char *snames[] = {"kind", "name", "arm", "method", "objective", "recommended_yaml"};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        BZ_CHECK(bz_h5_get_string_attr(g, path, "/optimize", snames[i], strs[i], err));
    double *nums[] = {&s->budget, &s->evaluations, &s->simulations, &s->seconds, &s->chosen};
    const char *nnames[] = {"budget", "evaluations", "simulations", "seconds", "chosen"};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        BZ_CHECK(
            bz_h5_get_num_attr(g, path, "/optimize", nnames[i], H5T_NATIVE_DOUBLE, nums[i], err));
    s->sse = s->bootstrap = NAN;
    if (strcmp(s->kind, "calibrate") == 0) {
        BZ_CHECK(bz_h5_get_num_attr(g, path, "/optimize", "sse", H5T_NATIVE_DOUBLE, &s->sse, err));
        BZ_CHECK(bz_h5_get_num_attr(g, path, "/optimize", "bootstrap", H5T_NATIVE_DOUBLE,
                                    &s->bootstrap, err));
    }
cleanup:
    if (g >= 0) H5Gclose(g);
    if (file >= 0) H5Fclose(file);
    bz_h5_quiet_end(&quiet);
    if (status != BZ_OK) bz_h5_optimize_summary_destroy(s);
    return status;
}

/* `buzzsim export SWEEP.h5 /sweep...`: flat tables of a sweep file for
 * gnuplot and spreadsheets (sweep/h5_sweep.h), written by io/table.h like
 * every export. Only done points are written; the first failed write stops
 * the table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "io/table.h"
#include "sweep/h5_sweep.h"

/* A header field: the first of a line makes it the header line. */
static void put_head(bz_table *t, const char *name)
{
    if (t->col == 0) bz_table_header(t);
    bz_table_str(t, name);
}

static void put_axes(bz_table *t, const bz_sweep_data *d, size_t p)
{
    for (size_t a = 0; a < d->n_axes; a++) {
        if (d->axis_word[a])
            bz_table_str(t, d->word[p * d->n_axes + a]);
        else
            bz_table_num(t, d->num[p * d->n_axes + a]);
    }
}

static void head_axes(bz_table *t, const bz_sweep_data *d)
{
    put_head(t, "point");
    for (size_t a = 0; a < d->n_axes; a++)
        put_head(t, d->axis_names[a]);
}

static int table_rows(bz_table *t, const bz_sweep_data *d)
{
    head_axes(t, d);
    put_head(t, "replicate");
    for (size_t k = 0; k < d->n_out; k++)
        put_head(t, d->out_names[k]);
    if (bz_table_end(t)) return -1;
    for (size_t p = 0; p < d->P; p++) {
        if (!d->done[p]) continue;
        for (uint32_t r = 0; r < d->R; r++) {
            bz_table_num(t, (double)p);
            put_axes(t, d, p);
            bz_table_num(t, (double)r);
            for (size_t k = 0; k < d->n_out; k++)
                bz_table_num(t, d->outcomes[(p * d->R + r) * d->n_out + k]);
            if (bz_table_end(t)) return -1;
        }
    }
    return 0;
}

static int table_summary(bz_table *t, const bz_sweep_data *d, bz_error *err)
{
    static const char *const stat[] = {"mean", "sd", "q05", "q50", "q95"};
    double *x = malloc(d->R * sizeof *x), *work = malloc(d->R * sizeof *work);
    if (!x || !work) {
        free(x);
        free(work);
        return bz_error_oom(err, NULL, 2 * d->R * sizeof *x, "the statistics of %zu replicates",
                            (size_t)d->R);
    }
    head_axes(t, d);
    for (size_t k = 0; k < d->n_out; k++)
        for (int s = 0; s < 5; s++) {
            char name[BZ_SWEEP_COL_MAX + 8];
            snprintf(name, sizeof name, "%s.%s", d->out_names[k], stat[s]);
            put_head(t, name);
        }
    bz_table_end(t);
    for (size_t p = 0; p < d->P; p++) {
        if (!d->done[p]) continue;
        bz_table_num(t, (double)p);
        put_axes(t, d, p);
        for (size_t k = 0; k < d->n_out; k++) {
            for (uint32_t r = 0; r < d->R; r++)
                x[r] = d->outcomes[(p * d->R + r) * d->n_out + k];
            bz_summary sm = bz_stats_summary(x, d->R, work);
            double v[5] = {sm.mean, sm.sd, sm.q05, sm.q50, sm.q95};
            for (int s = 0; s < 5; s++)
                bz_table_num(t, v[s]);
        }
        if (bz_table_end(t)) break;
    }
    free(x);
    free(work);
    return BZ_OK;
}

static int table_sobol(bz_table *t, const bz_sweep_data *d, const char *path, bz_error *err)
{
    if (!d->have_sobol)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: /sweep/sobol: no sensitivity indices (only a complete sobol "
                            "design has them; this is a %s design%s)",
                            path, d->design, d->complete ? "" : ", incomplete");
    put_head(t, "outcome");
    put_head(t, "dimension");
    put_head(t, "first_order");
    put_head(t, "total");
    bz_table_end(t);
    for (size_t k = 0; k < d->n_out; k++)
        for (size_t j = 0; j < d->n_dims; j++) {
            bz_table_str(t, d->out_names[k]);
            bz_table_str(t, d->dim_names[j]);
            bz_table_num(t, d->s1[k * d->n_dims + j]);
            bz_table_num(t, d->st[k * d->n_dims + j]);
            if (bz_table_end(t)) break;
        }
    return BZ_OK;
}

static int table_series(bz_table *t, const bz_sweep_data *d, const char *arm, const char *path,
                        bz_error *err)
{
    size_t a = 0;
    while (a < d->n_arms && strcmp(d->arm_names[a], arm) != 0)
        a++;
    if (!d->series)
        return bz_error_set(err, BZ_EINVAL, "%s: /sweep/series: not kept (keep_series: true)",
                            path);
    if (a == d->n_arms)
        return bz_error_set(err, BZ_EINVAL, "%s: /sweep/series/%s: no such arm", path, arm);
    put_head(t, "time_h");
    for (size_t p = 0; p < d->P; p++) {
        if (!d->done[p]) continue;
        char name[32];
        snprintf(name, sizeof name, "point%zu", p);
        put_head(t, name);
    }
    bz_table_end(t);
    for (uint32_t i = 0; i < d->T; i++) {
        bz_table_num(t, d->time_days[i]);
        for (size_t p = 0; p < d->P; p++)
            if (d->done[p]) bz_table_num(t, d->series[(p * d->n_arms + a) * d->T + i]);
        if (bz_table_end(t)) break;
    }
    return BZ_OK;
}

int bz_h5_sweep_export(const char *path, const char *dataset, bz_export_format fmt, FILE *out,
                       bz_error *err)
{
    bz_sweep_data d;
    int status = bz_h5_sweep_read(&d, path, err);
    if (status != BZ_OK) return status;
    bz_table t;
    bz_table_init(&t, out, fmt);
    if (!strcmp(dataset, "/sweep") || !strcmp(dataset, "/sweep/outcomes") ||
        !strcmp(dataset, "sweep"))
        table_rows(&t, &d);
    else if (!strcmp(dataset, "/sweep/summary") || !strcmp(dataset, "/sweep/means"))
        status = table_summary(&t, &d, err);
    else if (!strcmp(dataset, "/sweep/sobol"))
        status = table_sobol(&t, &d, path, err);
    else if (!strncmp(dataset, "/sweep/series/", 14))
        status = table_series(&t, &d, dataset + 14, path, err);
    else
        status = bz_error_set(err, BZ_EINVAL,
                              "%s: %s: not a sweep table (expected /sweep, /sweep/summary, "
                              "/sweep/sobol or /sweep/series/ARM)",
                              path, dataset);
    bz_sweep_data_destroy(&d);
    if (status == BZ_OK)
        status = bz_table_finish(&t, out == stdout ? "standard output" : "the exported table", err);
    return status;
}

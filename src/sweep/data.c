/* In-memory sweep results (sweep/data.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep/data.h"

static const char *const design_names[] = {"grid", "lhs", "sobol"};

int bz_sweep_data_init(bz_sweep_data *d, const bz_sweep *sw, uint32_t shard, uint32_t n_shards,
                       const char *command_line, bz_error *err)
{
    int status = BZ_OK;
    memset(d, 0, sizeof *d);
    const size_t P = bz_sweep_points(sw), A = sw->n_axes;
    d->P = P;
    d->R = sw->replicates;
    d->n_axes = A;
    d->n_out = sw->n_out;
    d->n_arms = sw->n_arms;
    d->n_dims = sw->design.n_dims;
    d->T = sw->keep_series ? sw->T : 0;
    d->seed = sw->seed;
    d->samples = sw->samples;
    d->shard = shard;
    d->n_shards = n_shards ? n_shards : 1;
    snprintf(d->name, sizeof d->name, "%s", sw->name);
    snprintf(d->id, sizeof d->id, "%s", sw->id);
    snprintf(d->design, sizeof d->design, "%s", design_names[sw->design_kind]);
    d->sweep_yaml = strdup(sw->text);
    d->base_yaml = strdup(sw->base_yaml);
    d->command_line = strdup(command_line ? command_line : "");
    d->axis_names = calloc(A, sizeof *d->axis_names);
    d->axis_word = calloc(A, sizeof *d->axis_word);
    d->num = calloc(P * A, sizeof *d->num);
    d->word = calloc(P * A, sizeof *d->word);
    d->out_names = calloc(d->n_out, sizeof *d->out_names);
    d->outcomes = malloc(P * d->R * d->n_out * sizeof *d->outcomes);
    d->done = calloc(P, 1);
    d->arm_names = calloc(d->n_arms, sizeof *d->arm_names);
    d->dim_names = calloc(d->n_dims ? d->n_dims : 1, sizeof *d->dim_names);
    if (!d->sweep_yaml || !d->base_yaml || !d->command_line || !d->axis_names || !d->axis_word ||
        !d->num || !d->word || !d->out_names || !d->outcomes || !d->done || !d->arm_names ||
        !d->dim_names)
        BZ_FAIL_OOM(
            err, NULL,
            strlen(sw->text) + strlen(sw->base_yaml) + strlen(command_line ? command_line : "") +
                3 + A * (sizeof *d->axis_names + sizeof *d->axis_word) +
                P * A * (sizeof *d->num + sizeof *d->word) + d->n_out * sizeof *d->out_names +
                P * d->R * d->n_out * sizeof *d->outcomes + P + d->n_arms * sizeof *d->arm_names +
                (d->n_dims ? d->n_dims : 1) * sizeof *d->dim_names,
            "the results of %zu sweep points", P);
    if (d->T) {
        d->time_days = malloc(d->T * sizeof *d->time_days);
        d->series = malloc(P * d->n_arms * d->T * sizeof *d->series);
        if (!d->time_days || !d->series)
            BZ_FAIL_OOM(err, NULL,
                        d->T * sizeof *d->time_days + P * d->n_arms * d->T * sizeof *d->series,
                        "the series of %zu sweep points", P);
        memcpy(d->time_days, sw->time_days, d->T * sizeof *d->time_days);
        for (size_t i = 0; i < P * d->n_arms * d->T; i++)
            d->series[i] = NAN;
    }
    for (size_t a = 0; a < A; a++) {
        snprintf(d->axis_names[a], sizeof d->axis_names[a], "%s", sw->axes[a].key);
        d->axis_word[a] = sw->axis_word[a];
    }
    for (size_t p = 0; p < P; p++)
        for (size_t a = 0; a < A; a++) {
            /* A word axis has words only (NaN numbers, data.h), even where
             * one of its values reads as a number: as the file's reader. */
            d->num[p * A + a] = d->axis_word[a] ? NAN : sw->design.num[p * A + a];
            if (d->axis_word[a])
                snprintf(d->word[p * A + a], BZ_SWEEP_STR, "%s", sw->design.value[p * A + a]);
        }
    for (size_t i = 0; i < P * d->R * d->n_out; i++)
        d->outcomes[i] = NAN;
    memcpy(d->out_names, sw->out_names, d->n_out * sizeof *d->out_names);
    memcpy(d->arm_names, sw->arm_names, d->n_arms * sizeof *d->arm_names);
    if (d->n_dims) memcpy(d->dim_names, sw->dim_names, d->n_dims * sizeof *d->dim_names);
cleanup:
    if (status != BZ_OK) bz_sweep_data_destroy(d);
    return status;
}

void bz_sweep_data_destroy(bz_sweep_data *d)
{
    if (!d) return;
    free(d->sweep_yaml);
    free(d->base_yaml);
    free(d->command_line);
    free(d->axis_names);
    free(d->axis_word);
    free(d->num);
    free(d->word);
    free(d->out_names);
    free(d->outcomes);
    free(d->done);
    free(d->arm_names);
    free(d->time_days);
    free(d->series);
    free(d->dim_names);
    free(d->s1);
    free(d->st);
    memset(d, 0, sizeof *d);
}

void bz_sweep_data_count(const bz_sweep_data *d, size_t *in_shard, size_t *done)
{
    size_t n = 0, k = 0;
    for (size_t p = 0; p < d->P; p++) {
        if (!bz_sweep_in_shard(p, d->shard, d->n_shards)) continue;
        n++;
        k += d->done[p] != 0;
    }
    if (in_shard) *in_shard = n;
    if (done) *done = k;
}

int bz_sweep_data_sobol(bz_sweep_data *d, bz_error *err)
{
    if (strcmp(d->design, "sobol") != 0) return BZ_OK;
    /* The estimators need only the Saltelli layout: A, B, AB_1..AB_k blocks
     * of N = samples points each. */
    bz_design design;
    memset(&design, 0, sizeof design);
    design.kind = BZ_DESIGN_SOBOL;
    design.n_dims = d->n_dims;
    design.sobol_base = (size_t)d->samples;
    design.n_points = d->P;
    if (d->n_dims == 0 || d->samples == 0 || d->P != (size_t)d->samples * (d->n_dims + 2))
        return bz_error_set(err, BZ_EINVAL,
                            "sobol indices: %zu points do not form a sobol design of %llu base "
                            "points and %zu dimensions",
                            d->P, (unsigned long long)d->samples, d->n_dims);
    int status = BZ_OK;
    double *y = malloc(d->P * sizeof *y);
    free(d->s1);
    free(d->st);
    d->s1 = malloc(d->n_out * d->n_dims * sizeof *d->s1);
    d->st = malloc(d->n_out * d->n_dims * sizeof *d->st);
    if (!y || !d->s1 || !d->st)
        BZ_FAIL_OOM(err, NULL, d->P * sizeof *y + 2 * d->n_out * d->n_dims * sizeof *d->s1,
                    "the Sobol indices of %zu outcomes x %zu dimensions", d->n_out, d->n_dims);
    for (size_t k = 0; k < d->n_out; k++) {
        bz_sweep_point_means(d->outcomes, d->P, d->R, d->n_out, k, y);
        bz_error e;
        if (bz_design_sobol_indices(&design, y, d->s1 + k * d->n_dims, d->st + k * d->n_dims, &e) !=
            BZ_OK)
            for (size_t j = 0; j < d->n_dims; j++) /* e.g. an outcome that never varies */
                d->s1[k * d->n_dims + j] = d->st[k * d->n_dims + j] = NAN;
    }
    d->have_sobol = 1;
cleanup:
    free(y);
    return status;
}

/* Same sweep and same shape, or a message naming both files. */
static int same_sweep(const bz_sweep_data *a, const char *fa, const bz_sweep_data *b,
                      const char *fb, bz_error *err)
{
    if (strcmp(a->id, b->id) != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: from another sweep (id %s) than '%s' (id %s): refusing to merge",
                            fb, b->id, fa, a->id);
    int same = a->P == b->P && a->R == b->R && a->n_axes == b->n_axes && a->n_out == b->n_out &&
               a->n_arms == b->n_arms && a->T == b->T && a->n_dims == b->n_dims &&
               !memcmp(a->num, b->num, a->P * a->n_axes * sizeof *a->num) &&
               !memcmp(a->word, b->word, a->P * a->n_axes * sizeof *a->word) &&
               !memcmp(a->out_names, b->out_names, a->n_out * sizeof *a->out_names);
    if (!same)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: same sweep id as '%s' but other points or columns: refusing "
                            "to merge",
                            fb, fa);
    return BZ_OK;
}

int bz_sweep_data_merge(bz_sweep_data *m, const char *m_name, const bz_sweep_data *in,
                        const char *in_name, const char **owner, bz_error *err)
{
    int status = same_sweep(m, m_name, in, in_name, err);
    if (status != BZ_OK) return status;
    const size_t row = in->R * in->n_out, srow = in->n_arms * in->T;
    for (size_t p = 0; p < in->P; p++) {
        if (!in->done[p]) continue;
        const double *o = in->outcomes + p * row;
        const double *s = in->series ? in->series + p * srow : NULL;
        if (m->done[p]) {
            /* Bitwise: NaN equals NaN, and "equal" means bit-identical. */
            if (memcmp(m->outcomes + p * row, o, row * sizeof *o) != 0 ||
                (s && m->series && memcmp(m->series + p * srow, s, srow * sizeof *s) != 0))
                return bz_error_set(err, BZ_EINVAL,
                                    "point %zu differs between '%s' and '%s': refusing to merge", p,
                                    owner && owner[p] ? owner[p] : m_name, in_name);
            continue;
        }
        memcpy(m->outcomes + p * row, o, row * sizeof *o);
        if (s && m->series) memcpy(m->series + p * srow, s, srow * sizeof *s);
        m->done[p] = 1;
        if (owner) owner[p] = in_name;
    }
    return BZ_OK;
}

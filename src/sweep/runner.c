/* Running sweep points (sweep/sweep.h): one point at a time, the engine's
 * OpenMP inside it (bz_run_experiment picks replicate- or agent-parallel
 * from the population size), a checkpoint after each.
 *
 * Why points run one after another rather than several at once: a point
 * already uses every thread, and running them in order keeps the file's
 * checkpoints simple (at most one point in flight to lose). */
#include "sweep/sweep.h"
#include "base/clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/run.h"
#include "sweep/data.h"

int bz_sweep_run_point(const bz_sweep *sw, size_t point, double *outcomes, double *series,
                       bz_error *err)
{
    int status = BZ_OK, loaded = 0, have_res = 0;
    bz_experiment x;
    bz_results res;
    memset(&res, 0, sizeof res);
    BZ_CHECK(bz_sweep_load_point(sw, point, &x, err));
    loaded = 1;
    bz_run_opts opts = {NULL, NULL, 0, 0};
    have_res = 1;
    BZ_CHECK(bz_run_experiment(&x, &opts, &res, err));
    if (res.R != sw->replicates || res.n_arms != sw->n_arms || (series && res.T != sw->T))
        BZ_FAIL(err, BZ_EINTERNAL,
                "sweep point %zu: results of %u replicates x %zu arms x %u times, expected "
                "%u x %zu x %u",
                point, (unsigned)res.R, res.n_arms, (unsigned)res.T, (unsigned)sw->replicates,
                sw->n_arms, (unsigned)sw->T);
    const size_t nk = (size_t)sw->n_kept;
    for (uint32_t r = 0; r < res.R; r++)
        for (size_t a = 0; a < res.n_arms; a++)
            for (size_t k = 0; k < nk; k++)
                outcomes[(size_t)r * sw->n_out + a * nk + k] =
                    res.arms[a].outcomes[r].v[sw->kept[k]];
    if (series) {
        /* Integer sums are exact, so the mean does not depend on order. */
        for (size_t a = 0; a < res.n_arms; a++)
            for (uint32_t t = 0; t < res.T; t++) {
                int64_t sum = 0;
                for (uint32_t r = 0; r < res.R; r++)
                    sum += res.arms[a].series[BZ_SER_ADOPTERS][(size_t)r * res.T + t];
                series[a * res.T + t] = (double)sum / (double)res.R;
            }
    }
cleanup:
    if (have_res) bz_results_destroy(&res);
    if (loaded) bz_experiment_destroy(&x);
    if (status != BZ_OK) bz_error_prefix(err, "sweep point %zu: ", point);
    return status;
}

void bz_sweep_point_means(const double *outcomes, size_t P, uint32_t R, size_t n_out, size_t col,
                          double *means)
{
    for (size_t p = 0; p < P; p++) {
        double sum = 0;
        uint32_t n = 0;
        for (uint32_t r = 0; r < R; r++) {
            double v = outcomes[(p * R + r) * n_out + col];
            if (!isnan(v)) sum += v, n++;
        }
        means[p] = n ? sum / n : NAN;
    }
}

int bz_sweep_run(const bz_sweep *sw, bz_sweep_data *data, const bz_sweep_run_opts *o, size_t *ran,
                 bz_error *err)
{
    int status = BZ_OK;
    const size_t P = bz_sweep_points(sw), n_out = sw->n_out, T = sw->T, A = sw->n_arms;
    const uint32_t R = sw->replicates;
    uint32_t shard = o ? o->shard : 0, n_shards = o ? o->n_shards : 1;
    double *outc = malloc((size_t)R * n_out * sizeof *outc);
    double *series = sw->keep_series ? malloc(A * T * sizeof *series) : NULL;
    *ran = 0;
    if (!outc || (sw->keep_series && !series))
        BZ_FAIL_OOM(err, NULL,
                    (size_t)R * n_out * sizeof *outc +
                        (sw->keep_series ? A * T * sizeof *series : 0),
                    "a point's results");
    if (data->P != P || data->R != R || data->n_out != n_out)
        BZ_FAIL(err, BZ_EINTERNAL, "sweep data does not match the sweep");
    for (size_t p = 0; p < P; p++) {
        if (!bz_sweep_in_shard(p, shard, n_shards) || data->done[p]) continue;
        if (o && o->stop && *o->stop) break;
        double t0 = bz_clock_seconds();
        BZ_CHECK(bz_sweep_run_point(sw, p, outc, series, err));
        memcpy(data->outcomes + p * R * n_out, outc, (size_t)R * n_out * sizeof *outc);
        if (series && data->series)
            memcpy(data->series + p * A * T, series, A * T * sizeof *series);
        data->done[p] = 1;
        if (o && o->writing) *o->writing = 1;
        status = o && o->checkpoint ? o->checkpoint(o->ctx, data, p, bz_clock_seconds() - t0, err)
                                    : BZ_OK;
        if (o && o->writing) *o->writing = 0;
        if (status != BZ_OK) goto cleanup;
        (*ran)++;
    }
cleanup:
    free(outc);
    free(series);
    return status;
}

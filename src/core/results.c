/* Results container: allocation and release (contracts in core/results.h). */
#include "core/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const bz_outcome_names[BZ_N_OUTCOMES] = {
    "final_adopters", "peak_step", "sellout_seconds", "cost",     "cost_per_adopter",
    "purchases",      "revenue",   "acceleration",    "expansion"};

const char *const bz_window_field_names[BZ_N_WINDOW_FIELDS] = {
    "start_days", "end_days", "stock", "sold", "sellout_seconds", "price"};

/* Zeroed array of n * size bytes, or NULL on overflow / out of memory.
 * n == 0 yields NULL too, which callers treat as "nothing to store" (a model
 * with no channels has no exposure series). */
static void *zalloc(size_t n, size_t size, int *failed)
{
    if (n == 0) return NULL;
    if (size != 0 && n > SIZE_MAX / size) {
        *failed = 1;
        return NULL;
    }
    void *p = calloc(n, size);
    if (!p) *failed = 1;
    return p;
}

#define NOMEM_FMT "out of memory for results of %zu arms x %u replicates x %u times"

int bz_results_init(bz_results *r, uint32_t R, uint32_t T, int n_states, int n_channels,
                    size_t n_arms, size_t n_layers, bz_error *err)
{
    int status = BZ_OK;
    int failed = 0;
    memset(r, 0, sizeof *r);
    if (R == 0 || T == 0)
        BZ_FAIL(err, BZ_EINVAL, "results need at least one replicate and one time, got R=%u T=%u",
                (unsigned)R, (unsigned)T);
    if (n_states < 0 || n_states > 8)
        BZ_FAIL(err, BZ_EINVAL, "results: number of states must be in [0, 8], got %d", n_states);
    if (n_channels < 0 || n_channels > BZ_CH_MAX)
        BZ_FAIL(err, BZ_EINVAL, "results: number of channels must be in [0, %d], got %d",
                (int)BZ_CH_MAX, n_channels);
    if (n_arms == 0) BZ_FAIL(err, BZ_EINVAL, "results need at least one arm");

    const size_t RT = (size_t)R * T; /* no overflow: both < 2^32 and size_t is 64-bit */
    r->R = R;
    r->T = T;
    r->n_states = n_states;
    r->n_channels = n_channels;
    r->time_hours = zalloc(T, sizeof *r->time_hours, &failed);
    r->arms = zalloc(n_arms, sizeof *r->arms, &failed);
    if (failed) BZ_FAIL(err, BZ_ENOMEM, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
    r->n_arms = n_arms;
    for (size_t a = 0; a < n_arms; a++) {
        bz_arm_result *arm = &r->arms[a];
        arm->states = zalloc((size_t)n_states * RT, sizeof(int64_t), &failed);
        arm->adopters = zalloc(RT, sizeof(int64_t), &failed);
        arm->sales = zalloc(RT, sizeof(int64_t), &failed);
        arm->stock = zalloc(RT, sizeof(int64_t), &failed);
        arm->exposures = zalloc((size_t)n_channels * RT, sizeof(int64_t), &failed);
        arm->adoptions = zalloc((size_t)n_channels * RT, sizeof(int64_t), &failed);
        arm->outcomes = zalloc(R, sizeof(bz_outcome), &failed);
        arm->windows = zalloc((size_t)R * BZ_RESULT_WINDOWS, sizeof(bz_window_result), &failed);
        if (failed) BZ_FAIL(err, BZ_ENOMEM, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
    }
    if (n_layers > 0) {
        r->layers = zalloc(n_layers, sizeof *r->layers, &failed);
        if (failed) BZ_FAIL(err, BZ_ENOMEM, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
        r->n_layers = n_layers;
    }
cleanup:
    if (status != BZ_OK) bz_results_destroy(r);
    return status;
}

/* Release everything r owns and zero it. Safe on a zeroed or partly built
 * struct and on NULL. Cannot fail. */
int bz_results_init_network(bz_results *r, size_t n_layers, bz_error *err)
{
    memset(r, 0, sizeof *r);
    if (n_layers == 0) return BZ_OK;
    r->layers = calloc(n_layers, sizeof *r->layers);
    if (!r->layers) return bz_error_set(err, BZ_ENOMEM, "out of memory for %zu layers", n_layers);
    r->n_layers = n_layers;
    return BZ_OK;
}

void bz_results_decompose(bz_results *r, double step_days)
{
    const uint32_t R = r->R, T = r->T;
    for (size_t a = 0; a < r->n_arms; a++)
        for (uint32_t rep = 0; rep < R; rep++) {
            const int64_t *A = bz_series_row(r->arms[a].adopters, R, T, 0, rep);
            const int64_t *B = bz_series_row(r->arms[0].adopters, R, T, 0, rep);
            const double NB = (double)B[T - 1];
            double acc = 0, exp = 0, pa = 0, pe = 0;
            for (uint32_t t = 0; t < T; t++) {
                double at = (double)A[t], bt = (double)B[t];
                double ca = fmin(at, NB) - bt, ce = fmax(at - NB, 0.0);
                if (t > 0) {
                    acc += 0.5 * (pa + ca) * step_days;
                    exp += 0.5 * (pe + ce) * step_days;
                }
                pa = ca;
                pe = ce;
            }
            r->arms[a].outcomes[rep].acceleration = a == 0 ? 0.0 : acc;
            r->arms[a].outcomes[rep].expansion = a == 0 ? 0.0 : exp;
        }
}

void bz_results_destroy(bz_results *r)
{
    if (!r) return;
    if (r->arms) {
        for (size_t a = 0; a < r->n_arms; a++) {
            bz_arm_result *arm = &r->arms[a];
            free(arm->campaigns_yaml);
            free(arm->states);
            free(arm->adopters);
            free(arm->sales);
            free(arm->stock);
            free(arm->exposures);
            free(arm->adoptions);
            free(arm->outcomes);
            free(arm->windows);
        }
        free(r->arms);
    }
    if (r->layers) {
        for (size_t i = 0; i < r->n_layers; i++) {
            free(r->layers[i].degree_histogram);
            free(r->layers[i].stats.in_degree_histogram);
            free(r->layers[i].stats.core_histogram);
        }
        free(r->layers);
    }
    free(r->time_hours);
    free(r->experiment_yaml);
    free(r->command_line);
    memset(r, 0, sizeof *r);
}

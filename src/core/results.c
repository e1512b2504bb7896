/* Results container: allocation and release (contracts in core/results.h). */
#include "core/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const bz_series_def bz_series_defs[BZ_N_SERIES] = {
    [BZ_SER_ADOPTERS] = {"adopters", BZ_FAM_ONE, "agents",
                         "agents in an adopted state of the diffusion model"},
    [BZ_SER_SALES] = {"sales", BZ_FAM_ONE, "units",
                      "cumulative units bought (every adoption for models that do not buy)"},
    [BZ_SER_STOCK] = {"stock", BZ_FAM_ONE, "units", "units left on sale; -1 = unlimited"},
    [BZ_SER_STATES] = {"states", BZ_FAM_STATES, "agents",
                       "agents in each state of the diffusion model"},
    [BZ_SER_EXPOSURES] = {"exposures", BZ_FAM_CHANNELS, "exposures per step",
                          "exposures delivered during the step ending at t, by channel"},
    [BZ_SER_ADOPTIONS_BY] = {"adoptions_by", BZ_FAM_CHANNELS, "adoptions per step",
                             "adoptions during the step ending at t, by the channel of the "
                             "exposure that last touched the adopter (descriptive)"},
};

const bz_outcome_def bz_outcome_defs[BZ_N_OUTCOMES] = {
    [BZ_OUT_FINAL_ADOPTERS] = {"final_adopters", "agents", "adopters at the horizon", 1},
    [BZ_OUT_PEAK_STEP] = {"peak_step", "steps",
                          "time index with the most new adopters (x step length = time of the "
                          "peak)",
                          1},
    [BZ_OUT_SELLOUT_SECONDS] = {"sellout_seconds", "seconds",
                                "from sale start to the first sell-out; NaN if stock never ran "
                                "out",
                                1},
    [BZ_OUT_COST] = {"cost", "currency", "total campaign cost of the arm in this replicate", 1},
    [BZ_OUT_COST_PER_ADOPTER] = {"cost_per_adopter", "currency",
                                 "cost / final adopters; NaN with no adopters", 1},
    [BZ_OUT_PURCHASES] = {"purchases", "units",
                          "units bought through the market (KOL gifts excluded; all adoptions "
                          "for models that do not buy)",
                          0},
    [BZ_OUT_REVENUE] = {"revenue", "currency",
                        "sum of the prices paid (a window's discounted price while it is open)", 0},
    [BZ_OUT_ACCELERATION] = {"acceleration", "adopter-days",
                             "gain over the baseline from adopters it also has, adopting "
                             "earlier (docs/campaigns.md); 0 for the baseline",
                             0},
    [BZ_OUT_EXPANSION] = {"expansion", "adopter-days",
                          "gain from adopters the baseline never has; 0 for the baseline", 0},
};

const bz_outcome_def bz_window_defs[BZ_N_WINDOW_FIELDS] = {
    [BZ_WIN_START_DAYS] = {"start_days", "days", "opening of the window", 1},
    [BZ_WIN_END_DAYS] = {"end_days", "days", "end of the window", 1},
    [BZ_WIN_STOCK] = {"stock", "units", "units the window brought", 1},
    [BZ_WIN_SOLD] = {"sold", "units", "units bought while it was open", 1},
    [BZ_WIN_SELLOUT_SECONDS] = {"sellout_seconds", "seconds",
                                "from its opening to its sell-out; NaN if it did not sell out", 1},
    [BZ_WIN_PRICE] = {"price", "currency", "price of a unit in the window", 1},
};

int bz_outcome_find(const char *name)
{
    for (int k = 0; k < BZ_N_OUTCOMES; k++)
        if (strcmp(bz_outcome_defs[k].name, name) == 0) return k;
    return -1;
}

int bz_results_series_rows(const bz_results *r, bz_series_id s)
{
    switch (bz_series_defs[s].family) {
    case BZ_FAM_STATES:
        return r->n_states;
    case BZ_FAM_CHANNELS:
        return r->n_channels;
    default:
        return 1;
    }
}

const char *bz_results_row_name(const bz_results *r, bz_series_id s, int k)
{
    switch (bz_series_defs[s].family) {
    case BZ_FAM_STATES:
        return r->state_names[k];
    case BZ_FAM_CHANNELS:
        return r->channel_names[k];
    default:
        return "";
    }
}

uint64_t bz_results_series_bytes(uint32_t R, uint32_t T, int S, int C)
{
    uint64_t rows = 0;
    for (int s = 0; s < BZ_N_SERIES; s++)
        rows += bz_series_defs[s].family == BZ_FAM_STATES     ? (uint64_t)S
                : bz_series_defs[s].family == BZ_FAM_CHANNELS ? (uint64_t)C
                                                              : 1;
    return rows * R * T * sizeof(int64_t);
}

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
        if (bz_results_alloc_series(r, arm, err) != BZ_OK) {
            status = BZ_ENOMEM;
            goto cleanup;
        }
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

int bz_results_alloc_series(bz_results *r, bz_arm_result *arm, bz_error *err)
{
    int failed = 0;
    const size_t RT = (size_t)r->R * r->T;
    for (int s = 0; s < BZ_N_SERIES; s++) {
        size_t rows = (size_t)bz_results_series_rows(r, (bz_series_id)s);
        if (rows > 0 && RT > SIZE_MAX / sizeof(int64_t) / rows) failed = 1;
        if (!failed) arm->series[s] = zalloc(rows * RT, sizeof(int64_t), &failed);
    }
    if (failed)
        return bz_error_set(err, BZ_ENOMEM,
                            "out of memory for the series of %u replicates x %u times",
                            (unsigned)r->R, (unsigned)r->T);
    return BZ_OK;
}

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
            const int64_t *A = bz_series_row(r->arms[a].series[BZ_SER_ADOPTERS], R, T, 0, rep);
            const int64_t *B = bz_series_row(r->arms[0].series[BZ_SER_ADOPTERS], R, T, 0, rep);
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
            r->arms[a].outcomes[rep].v[BZ_OUT_ACCELERATION] = a == 0 ? 0.0 : acc;
            r->arms[a].outcomes[rep].v[BZ_OUT_EXPANSION] = a == 0 ? 0.0 : exp;
        }
}

void bz_results_destroy(bz_results *r)
{
    if (!r) return;
    if (r->arms) {
        for (size_t a = 0; a < r->n_arms; a++) {
            bz_arm_result *arm = &r->arms[a];
            free(arm->campaigns_yaml);
            for (int s = 0; s < BZ_N_SERIES; s++)
                free(arm->series[s]);
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

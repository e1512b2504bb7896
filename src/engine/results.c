/* Results container: allocation and release (contracts in engine/results.h). */
#include "engine/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const bz_series_def bz_series_defs[BZ_N_SERIES] = {
    [BZ_SER_ADOPTERS] = {"adopters", BZ_FAM_ONE, "agents",
                         "agents in an adopted state of the diffusion model (bought or gifted)", 0},
    [BZ_SER_SALES] = {"sales", BZ_FAM_ONE, "units",
                      "cumulative units bought (every adoption after the start for models that "
                      "do not buy)",
                      0},
    [BZ_SER_STOCK] = {"stock", BZ_FAM_ONE, "units", "units left on sale; -1 = unlimited", 0},
    [BZ_SER_UNMET] = {"unmet", BZ_FAM_ONE, "agents",
                      "buyers refused for want of stock and still waiting (unmet demand)", 0},
    [BZ_SER_LOST] = {"lost", BZ_FAM_ONE, "agents",
                     "cumulative buyers who gave up waiting for stock (lost sales)", 0},
    [BZ_SER_STATES] = {"states", BZ_FAM_STATES, "agents",
                       "agents in each state of the diffusion model", 0},
    [BZ_SER_EXPOSURES] = {"exposures", BZ_FAM_CHANNELS, "exposures per interval",
                          "exposures delivered since the previous sample, by channel", 1},
    [BZ_SER_ADOPTIONS_BY] = {"adoptions_by", BZ_FAM_CHANNELS, "adoptions per interval",
                             "adoptions since the previous sample, by the channel that last "
                             "touched the adopter (descriptive, not causal)",
                             1},
};

const bz_outcome_def bz_outcome_defs[BZ_N_OUTCOMES] = {
    [BZ_OUT_FINAL_ADOPTERS] = {"final_adopters", "agents",
                               "adopters at the horizon (bought or gifted)", 1},
    [BZ_OUT_PURCHASES] = {"purchases", "units",
                          "units bought through the market (gifts excluded; every adoption after "
                          "the start for models that do not buy)",
                          1},
    [BZ_OUT_GIFTED] = {"gifted", "units",
                       "units given away: KOLs and initial seeds made adopters by the seed lever",
                       1},
    [BZ_OUT_PEAK_TIME] = {"peak_time", "days",
                          "middle of the 1/120 of the horizon with the most new adopters "
                          "(adoptions at time 0 left out)",
                          1},
    [BZ_OUT_SELLOUT_SECONDS] = {"sellout_seconds", "seconds",
                                "from its window's opening (or the start of sale) to the first "
                                "sell-out; NaN if stock never ran out",
                                1},
    [BZ_OUT_REVENUE] = {"revenue", "currency", "sum of the prices paid", 1},
    [BZ_OUT_DISCOUNT] = {"discount", "currency",
                         "revenue given away: list price - price paid, summed over units", 1},
    [BZ_OUT_CAMPAIGN_COST] = {"campaign_cost", "currency", "what the arm's campaigns cost", 1},
    [BZ_OUT_UNIT_COSTS] = {"unit_costs", "currency", "market.unit_cost x (purchases + gifted)", 1},
    [BZ_OUT_FIXED_COSTS] = {"fixed_costs", "currency", "market.fixed_cost (every arm alike)", 1},
    [BZ_OUT_PROFIT] = {"profit", "currency", "revenue - unit_costs - campaign_cost - fixed_costs",
                       1},
    [BZ_OUT_SPEND] = {"spend", "currency",
                      "campaign_cost + discount: the money a campaign puts in, discounts "
                      "included",
                      1},
    [BZ_OUT_COST_PER_ADOPTER] = {"cost_per_adopter", "currency",
                                 "spend / final adopters; NaN with no adopters", 1},
    [BZ_OUT_UNMET_DEMAND] = {"unmet_demand", "agents",
                             "buyers refused for want of stock still waiting at the horizon", 1},
    [BZ_OUT_LOST_SALES] = {"lost_sales", "agents",
                           "buyers who found the stock gone and gave up (market.patience)", 1},
    [BZ_OUT_PRICED_OUT] = {"priced_out", "agents",
                           "agents who wanted one at the horizon but not at its price (their "
                           "willingness to pay is lower)",
                           1},
    [BZ_OUT_CONVERTED] = {"converted", "agents",
                          "adopt in this arm, not in the baseline (same replicate, agent by "
                          "agent)",
                          1},
    [BZ_OUT_DISPLACED] = {"displaced", "agents",
                          "adopt in the baseline, not in this arm (e.g. stock taken by others)", 1},
    [BZ_OUT_ACCELERATED] = {"accelerated", "agents", "adopt in both, earlier in this arm", 1},
    [BZ_OUT_DAYS_EARLIER] = {"days_earlier", "days",
                             "mean over agents who adopt in both of (baseline time - time here)",
                             1},
    [BZ_OUT_ACCELERATION] = {"acceleration", "adopter-days",
                             "sum over agents who adopt in both of (baseline time - time here)", 1},
    [BZ_OUT_EVENTS] = {"events", "events",
                       "events the engine processed, stale ones included: what the run cost, "
                       "not an effect to compare",
                       0},
    [BZ_OUT_EXPANSION] = {"expansion", "adopter-days",
                          "adopter-days of the converted to the horizon minus those of the "
                          "displaced; acceleration + expansion = integral of the adopter "
                          "difference",
                          1},
};

const bz_outcome_def bz_window_defs[BZ_N_WINDOW_FIELDS] = {
    [BZ_WIN_START_DAYS] = {"start_days", "days", "opening of the window", 1},
    [BZ_WIN_END_DAYS] = {"end_days", "days", "end of the window", 1},
    [BZ_WIN_STOCK] = {"stock", "units", "units the window brought", 1},
    [BZ_WIN_SOLD] = {"sold", "units", "units bought while it was open", 1},
    [BZ_WIN_SELLOUT_SECONDS] = {"sellout_seconds", "seconds",
                                "from its opening to its sell-out; NaN if it did not sell out", 1},
    [BZ_WIN_PRICE] = {"price", "currency", "market.price x (1 - discount)", 1},
    [BZ_WIN_DISCOUNT] = {"discount", "fraction", "off the list price inside the window", 1},
};

static void *zalloc(size_t n, size_t size, size_t *failed);

const bz_outcome_def bz_city_defs[BZ_N_CITY_FIELDS] = {
    [BZ_CITY_ADOPTERS] = {"adopters", "agents",
                          "adopters at the horizon living in the city (bought or gifted)", 1},
    [BZ_CITY_PURCHASES] = {"purchases", "units",
                           "units bought by its residents (every adoption after the start for "
                           "models that do not buy)",
                           1},
    [BZ_CITY_GIFTED] = {"gifted", "units", "units given to its residents (KOLs, seeds)", 1},
    [BZ_CITY_REVENUE] = {"revenue", "currency",
                         "prices its residents paid (the city's list price, market.local)", 1},
    [BZ_CITY_UNMET] = {"unmet_demand", "agents",
                       "its residents refused for want of stock still waiting at the horizon", 1},
};

const bz_outcome_def bz_campaign_defs[BZ_N_CAMPAIGN_FIELDS] = {
    [BZ_CAMP_COST] = {"cost", "currency", "what the campaign cost (its part of campaign_cost)", 1},
    [BZ_CAMP_DISCOUNT] = {"discount", "currency",
                          "list price - price paid over the units sold in its flash-sale "
                          "windows (its part of the discount outcome)",
                          1},
    [BZ_CAMP_SPEND] = {"spend", "currency", "cost + discount: the money the campaign put in", 1},
};

int bz_results_alloc_campaigns(const bz_results *r, bz_arm_result *arm, uint32_t n_campaigns,
                               bz_error *err)
{
    size_t failed = 0;
    if (n_campaigns == 0) return BZ_OK;
    arm->campaign_names = zalloc(n_campaigns, sizeof *arm->campaign_names, &failed);
    arm->campaign_spend = zalloc((size_t)r->R * n_campaigns, sizeof *arm->campaign_spend, &failed);
    if (failed) {
        free(arm->campaign_names);
        free(arm->campaign_spend);
        arm->campaign_names = NULL;
        arm->campaign_spend = NULL;
        return bz_error_oom(err, NULL, failed, "the spend of %u campaigns x %u replicates",
                            n_campaigns, (unsigned)r->R);
    }
    arm->n_campaigns = n_campaigns;
    return BZ_OK;
}

void bz_results_city_compare(const bz_results *r, size_t arm, uint32_t c, int f, double *work,
                             bz_compare *level, bz_compare *extra)
{
    const uint32_t R = r->R, C = r->n_cities;
    double *a = work, *b = work + R;
    for (uint32_t i = 0; i < R; i++) {
        a[i] = r->arms[arm].cities[(size_t)i * C + c].v[f];
        b[i] = 0;
    }
    *level = bz_stats_paired(a, b, R);
    if (arm == 0) {
        *extra = (bz_compare){NAN, NAN, NAN};
        return;
    }
    for (uint32_t i = 0; i < R; i++)
        b[i] = r->arms[0].cities[(size_t)i * C + c].v[f];
    *extra = bz_stats_paired(a, b, R);
}

int bz_results_alloc_cities(bz_results *r, uint32_t n_cities, bz_error *err)
{
    size_t failed = 0;
    r->n_cities = n_cities;
    r->city_names = zalloc(n_cities, sizeof *r->city_names, &failed);
    r->city_agents = zalloc(n_cities, sizeof *r->city_agents, &failed);
    for (size_t a = 0; a < r->n_arms && !failed; a++)
        r->arms[a].cities = zalloc((size_t)r->R * n_cities, sizeof *r->arms[a].cities, &failed);
    if (failed)
        return bz_error_oom(err, NULL, failed, "the results of %u cities x %u replicates", n_cities,
                            (unsigned)r->R);
    return BZ_OK;
}

const int bz_attrib_outcome[BZ_N_ATTRIB_OUT] = {BZ_OUT_FINAL_ADOPTERS, BZ_OUT_PROFIT};

int bz_results_alloc_attrib(const bz_results *r, bz_arm_result *arm, int method, uint32_t n_players,
                            bz_error *err)
{
    const size_t cells = (size_t)BZ_N_ATTRIB_OUT * r->R * (n_players ? n_players : 1);
    arm->attrib.players = calloc(n_players ? n_players : 1, sizeof *arm->attrib.players);
    arm->attrib.share = malloc(cells * sizeof *arm->attrib.share);
    if (!arm->attrib.players || !arm->attrib.share) {
        free(arm->attrib.players);
        free(arm->attrib.share);
        arm->attrib.players = NULL;
        arm->attrib.share = NULL;
        return bz_error_oom(err, NULL,
                            (n_players ? n_players : 1) * sizeof *arm->attrib.players +
                                cells * sizeof *arm->attrib.share,
                            "the attribution of arm '%s'", arm->name);
    }
    for (size_t i = 0; i < cells; i++)
        arm->attrib.share[i] = NAN;
    arm->attrib.method = method;
    arm->attrib.n_players = n_players;
    return BZ_OK;
}

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

/* Zeroed array of n * size bytes, or NULL on overflow / out of memory; then
 * *failed is the bytes asked for (SIZE_MAX on overflow) unless an earlier
 * failure set it. n == 0 yields NULL too, which callers treat as "nothing
 * to store" (a model with no channels has no exposure series). */
static void *zalloc(size_t n, size_t size, size_t *failed)
{
    if (n == 0) return NULL;
    void *p = size != 0 && n > SIZE_MAX / size ? NULL : calloc(n, size);
    if (!p && !*failed) *failed = bz_error_bytes(n, size);
    return p;
}

#define NOMEM_FMT "results of %zu arms x %u replicates x %u times"

int bz_results_init(bz_results *r, uint32_t R, uint32_t T, int n_states, int n_channels,
                    size_t n_arms, size_t n_layers, bz_error *err)
{
    int status = BZ_OK;
    size_t failed = 0;
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
    r->time_days = zalloc(T, sizeof *r->time_days, &failed);
    r->arms = zalloc(n_arms, sizeof *r->arms, &failed);
    if (failed) BZ_FAIL_OOM(err, NULL, failed, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
    r->n_arms = n_arms;
    for (size_t a = 0; a < n_arms; a++) {
        bz_arm_result *arm = &r->arms[a];
        if (bz_results_alloc_series(r, arm, err) != BZ_OK) {
            status = BZ_ENOMEM;
            goto cleanup;
        }
        arm->outcomes = zalloc(R, sizeof(bz_outcome), &failed);
        arm->windows = zalloc((size_t)R * BZ_RESULT_WINDOWS, sizeof(bz_window_result), &failed);
        if (failed) BZ_FAIL_OOM(err, NULL, failed, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
    }
    if (n_layers > 0) {
        r->layers = zalloc(n_layers, sizeof *r->layers, &failed);
        if (failed) BZ_FAIL_OOM(err, NULL, failed, NOMEM_FMT, n_arms, (unsigned)R, (unsigned)T);
        r->n_layers = n_layers;
    }
cleanup:
    if (status != BZ_OK) bz_results_destroy(r);
    return status;
}

int bz_results_alloc_series(bz_results *r, bz_arm_result *arm, bz_error *err)
{
    size_t failed = 0;
    const size_t RT = (size_t)r->R * r->T;
    for (int s = 0; s < BZ_N_SERIES; s++) {
        size_t rows = (size_t)bz_results_series_rows(r, (bz_series_id)s);
        if (rows > 0 && RT > SIZE_MAX / sizeof(int64_t) / rows) failed = SIZE_MAX;
        if (!failed) arm->series[s] = zalloc(rows * RT, sizeof(int64_t), &failed);
    }
    if (failed)
        return bz_error_oom(err, NULL, failed, "the series of %u replicates x %u times",
                            (unsigned)r->R, (unsigned)r->T);
    return BZ_OK;
}

int bz_results_init_network(bz_results *r, size_t n_layers, bz_error *err)
{
    memset(r, 0, sizeof *r);
    if (n_layers == 0) return BZ_OK;
    r->layers = calloc(n_layers, sizeof *r->layers);
    if (!r->layers)
        return bz_error_oom(err, NULL, n_layers * sizeof *r->layers, "the results of %zu layers",
                            n_layers);
    r->n_layers = n_layers;
    return BZ_OK;
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
            free(arm->attrib.players);
            free(arm->attrib.share);
            free(arm->outcomes);
            free(arm->windows);
            free(arm->cities);
            free(arm->campaign_names);
            free(arm->campaign_spend);
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
    free(r->city_names);
    free(r->city_agents);
    free(r->time_days);
    free(r->experiment_yaml);
    free(r->command_line);
    memset(r, 0, sizeof *r);
}

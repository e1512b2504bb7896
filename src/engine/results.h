/* Results of one experiment run: every recorded series and outcome, per arm.
 * Filled by the simulation (engine/run.c), written by io/h5_write.c, read back by
 * io/h5_read.c for `info`, `export` and `merge`.
 *
 * What is recorded is declared once, in two tables (results.c):
 *   bz_series_defs   the [R, T] int64 time series of an arm (adopters, sales,
 *                    states/<state>, ...), T = n_steps + 1 (index 0 is the
 *                    initial state before the first step);
 *   bz_outcome_defs  the numbers of one (arm, replicate): final adopters,
 *                    revenue, costs, ...
 * Each entry has its name (the HDF5 name), unit and description. The tables
 * drive allocation (bz_results_init), the HDF5 writer and reader, the memory
 * estimate, `buzzsim models --outputs` and docs/output.md. Adding a series
 * or an outcome: one enum entry and one table row here, and the line of
 * engine/run.c that computes it.
 */
#ifndef BZ_RESULTS_H
#define BZ_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/channels.h"
#include "base/error.h"
#include "base/params.h"
#include "base/stats.h"
#include "graph/netstats.h"

/* ---- series ------------------------------------------------------------- */

/* How many rows a series has: one, one per model state, one per channel. */
typedef enum bz_series_family { BZ_FAM_ONE, BZ_FAM_STATES, BZ_FAM_CHANNELS } bz_series_family;

typedef enum bz_series_id {
    BZ_SER_ADOPTERS,
    BZ_SER_SALES,
    BZ_SER_STOCK,
    BZ_SER_UNMET,
    BZ_SER_LOST,
    BZ_SER_STATES,
    BZ_SER_EXPOSURES,
    BZ_SER_ADOPTIONS_BY,
    BZ_N_SERIES
} bz_series_id;

typedef struct bz_series_def {
    const char *name; /* HDF5 dataset (BZ_FAM_ONE) or group of one dataset per member */
    int family;       /* bz_series_family */
    const char *unit;
    const char *desc;
    int per_interval; /* 1: a tally since the previous sample (0 where nothing happened) */
} bz_series_def;

extern const bz_series_def bz_series_defs[BZ_N_SERIES];

/* ---- outcomes ----------------------------------------------------------- */

/* Money adds up, per replicate:
 *   profit = revenue - unit_costs - campaign_cost - fixed_costs
 *   spend  = campaign_cost + discount   (a discount is money given away)
 *   unit_costs = unit_cost x (purchases + gifted)
 * and, for models that buy, final_adopters = purchases + gifted;
 * campaign_cost and discount are the sums of the arm's campaigns' (in
 * campaign order, bz_campaign_result below).
 *
 * The causal outcomes compare every agent with the same agent in the
 * baseline arm's run of the same replicate (common random numbers; 0 for
 * the baseline itself, NaN when there is no baseline run to compare with):
 *   converted     adopts here, not in the baseline
 *   displaced     adopts in the baseline, not here (stock taken by others)
 *   accelerated   adopts in both, earlier here
 *   days_earlier  mean over the agents that adopt in both of t_base - t_here
 *   acceleration  sum over those agents of t_base - t_here (adopter-days)
 *   expansion     sum over converted of (H - t_here) - over displaced of
 *                 (H - t_base) (adopter-days), H the horizon
 * so converted - displaced is the paired difference of final adopters and
 * acceleration + expansion is the integral of A(t) - B(t), the adopters
 * here and in the baseline (Libai, Muller & Peres 2013, person by person). */
typedef enum bz_outcome_id {
    BZ_OUT_FINAL_ADOPTERS,
    BZ_OUT_PURCHASES,
    BZ_OUT_GIFTED,
    BZ_OUT_PEAK_TIME,
    BZ_OUT_SELLOUT_SECONDS,
    BZ_OUT_REVENUE,
    BZ_OUT_DISCOUNT,
    BZ_OUT_CAMPAIGN_COST,
    BZ_OUT_UNIT_COSTS,
    BZ_OUT_FIXED_COSTS,
    BZ_OUT_PROFIT,
    BZ_OUT_SPEND,
    BZ_OUT_COST_PER_ADOPTER,
    BZ_OUT_UNMET_DEMAND,
    BZ_OUT_LOST_SALES,
    BZ_OUT_PRICED_OUT,
    BZ_OUT_CONVERTED,
    BZ_OUT_DISPLACED,
    BZ_OUT_ACCELERATED,
    BZ_OUT_DAYS_EARLIER,
    BZ_OUT_ACCELERATION,
    BZ_OUT_EXPANSION,
    BZ_OUT_EVENTS,
    BZ_N_OUTCOMES
} bz_outcome_id;

typedef struct bz_outcome_def {
    const char *name;
    const char *unit;
    const char *desc;
    int required; /* a results file must have it; others read as NaN when absent */
} bz_outcome_def;

extern const bz_outcome_def bz_outcome_defs[BZ_N_OUTCOMES];

/* One (arm, replicate): v[BZ_OUT_*], NaN where undefined (no sell-out, no
 * adopters for cost per adopter). */
typedef struct bz_outcome {
    double v[BZ_N_OUTCOMES];
} bz_outcome;

/* Index of the outcome named `name`, or -1. */
int bz_outcome_find(const char *name);

/* ---- flash-sale windows --------------------------------------------------- */

/* One flash-sale window of one replicate. */
typedef enum bz_window_field {
    BZ_WIN_START_DAYS,
    BZ_WIN_END_DAYS,
    BZ_WIN_STOCK,           /* units it brought */
    BZ_WIN_SOLD,            /* units bought while it was open */
    BZ_WIN_SELLOUT_SECONDS, /* from its opening to its sell-out, NaN if it did not sell out */
    BZ_WIN_PRICE,
    BZ_WIN_DISCOUNT,
    BZ_N_WINDOW_FIELDS
} bz_window_field;

typedef struct bz_window_result {
    double v[BZ_N_WINDOW_FIELDS];
} bz_window_result;

extern const bz_outcome_def bz_window_defs[BZ_N_WINDOW_FIELDS];
#define BZ_RESULT_WINDOWS 64 /* windows recorded per replicate (later ones are dropped) */

/* ---- cities ----------------------------------------------------------------- */

/* One city of one (arm, replicate): where the adopters, the units and the
 * money are. Agent v counts in its city (population.cities). They add up
 * exactly to the outcomes, per replicate:
 *   sum of adopters     = final_adopters
 *   sum of purchases    = purchases
 *   sum of gifted       = gifted
 *   sum of revenue      = revenue (the outcome is this sum, in city order)
 *   sum of unmet_demand = unmet_demand
 * and purchases + gifted = adopters in each city for models that buy. */
typedef enum bz_city_field {
    BZ_CITY_ADOPTERS,
    BZ_CITY_PURCHASES,
    BZ_CITY_GIFTED,
    BZ_CITY_REVENUE,
    BZ_CITY_UNMET,
    BZ_N_CITY_FIELDS
} bz_city_field;

typedef struct bz_city_result {
    double v[BZ_N_CITY_FIELDS];
} bz_city_result;

extern const bz_outcome_def bz_city_defs[BZ_N_CITY_FIELDS];

/* ---- campaigns ---------------------------------------------------------------- */

/* What one campaign of an arm spent in one replicate (currency of the
 * experiment, like the outcomes). Campaign k of an arm is the k-th campaign
 * of the arm as written in the experiment file (bz_arm_spec.campaigns[k],
 * the simulation's slot k); an attribution sub-arm records none. Per
 * campaign k:
 *   cost     = its accrued cost (bz_campaign_run.cost at the horizon)
 *   discount = list price - price paid, summed over the units sold in the
 *              flash-sale windows it registered (bz_market_campaign_discount;
 *              0 for a campaign without windows)
 *   spend    = cost + discount (this one addition, so it holds exactly)
 * and, exactly (==, bit for bit), per (arm, replicate):
 *   outcome campaign_cost = cost_0 + cost_1 + ... (in campaign order)
 *   outcome discount      = discount_0 + discount_1 + ... (in campaign order)
 * because the outcomes are these sums: a sale outside every window is at
 * the list price and every window belongs to a campaign, so no discount
 * belongs to none. The sum of the spends equals the spend outcome
 * (campaign_cost + discount) only to rounding: derive totals from the
 * outcomes, caps per campaign from these. */
typedef enum bz_campaign_field {
    BZ_CAMP_COST,
    BZ_CAMP_DISCOUNT,
    BZ_CAMP_SPEND,
    BZ_N_CAMPAIGN_FIELDS
} bz_campaign_field;

typedef struct bz_campaign_result {
    double v[BZ_N_CAMPAIGN_FIELDS];
} bz_campaign_result;

extern const bz_outcome_def bz_campaign_defs[BZ_N_CAMPAIGN_FIELDS];

/* ---- attribution ---------------------------------------------------------- */

/* The outcomes whose paired difference attribution splits among an arm's
 * campaigns. */
typedef enum bz_attrib_out { BZ_ATTRIB_ADOPTERS, BZ_ATTRIB_PROFIT, BZ_N_ATTRIB_OUT } bz_attrib_out;
extern const int bz_attrib_outcome[BZ_N_ATTRIB_OUT]; /* bz_outcome_id of each */

/* An arm's attribution (config/experiment.h, attribution:). Players are
 * the positions where its campaigns differ from the baseline's. Shapley:
 * share[o][r][p] is player p's Shapley value of outcome o in replicate r,
 * and the shares of a replicate sum to the arm's paired difference in it.
 * leave_one_out: the arm's outcome minus that of the arm without p. */
typedef struct bz_attrib_result {
    int method; /* bz_attribution; BZ_ATTRIB_NONE: nothing below */
    uint32_t n_players;
    char (*players)[BZ_NAME_MAX]; /* [n_players] labels, owned */
    double *share;                /* [BZ_N_ATTRIB_OUT][R][n_players], owned */
} bz_attrib_result;

/* ---- results -------------------------------------------------------------- */

typedef struct bz_arm_result {
    char name[BZ_NAME_MAX];
    char *campaigns_yaml;         /* owned copy */
    double cost;                  /* mean campaign cost over replicates */
    int64_t *series[BZ_N_SERIES]; /* [rows][R][T] each (bz_results_series_rows) */
    bz_outcome *outcomes;         /* [R] */
    uint32_t n_windows;           /* flash-sale windows per replicate (same in all) */
    bz_window_result *windows;    /* [R][BZ_RESULT_WINDOWS], first n_windows used */
    bz_attrib_result attrib;
    bz_city_result *cities; /* [R][n_cities] (bz_results.n_cities), NULL when 0 */
    /* Per-campaign spend (bz_campaign_result above): row-major [R][n_campaigns],
     * replicate rep's campaign k at campaign_spend[rep * n_campaigns + k]
     * (bz_arm_campaign). n_campaigns 0 and both NULL for an arm without
     * campaigns, or read from a file written before them. */
    uint32_t n_campaigns;
    char (*campaign_names)[BZ_NAME_MAX]; /* [n_campaigns] labels: the campaign's type,
                                          * "flash_sale #2" (its position) when the arm
                                          * has that type more than once */
    bz_campaign_result *campaign_spend;  /* [R][n_campaigns], owned */
} bz_arm_result;

typedef struct bz_results {
    uint32_t R, T;
    double *time_days; /* [T] */
    int n_states;
    char state_names[8][BZ_NAME_MAX];
    int n_channels;
    char channel_names[BZ_CH_MAX][BZ_NAME_MAX];
    size_t n_arms;
    bz_arm_result *arms;
    size_t n_layers;
    bz_layer_info *layers;
    uint32_t n_cities;               /* 0: no per-city results (files before them) */
    char (*city_names)[BZ_NAME_MAX]; /* [n_cities] population names, or the index */
    double *city_agents;             /* [n_cities] agents living there */
    /* provenance */
    uint64_t seed;
    char *experiment_yaml; /* owned */
    char *command_line;    /* owned */
} bz_results;

/* Rows of series s in r: 1, r->n_states or r->n_channels. */
int bz_results_series_rows(const bz_results *r, bz_series_id s);

/* Name of row k of series s ("adopted" for a state, "weibo" for a channel,
 * "" for a one-row series). */
const char *bz_results_row_name(const bz_results *r, bz_series_id s, int k);

/* Bytes of every series of one arm for R replicates, T times, S states and C
 * channels (the memory estimate). */
uint64_t bz_results_series_bytes(uint32_t R, uint32_t T, int S, int C);

/* Allocate every array for R replicates, T times, n_arms arms (names and
 * layer info are filled by the caller), the series zeroed (the run writes
 * only their non-zero values). BZ_ENOMEM on failure (r left empty). */
int bz_results_init(bz_results *r, uint32_t R, uint32_t T, int n_states, int n_channels,
                    size_t n_arms, size_t n_layers, bz_error *err);

/* Allocate the series of one arm of r (R, T, n_states, n_channels set);
 * BZ_ENOMEM. Used by bz_results_init and by the HDF5 reader. */
int bz_results_alloc_series(bz_results *r, bz_arm_result *arm, bz_error *err);

/* Allocate arm->attrib for n_players players of r (labels empty, shares
 * NaN). BZ_ENOMEM. */
int bz_results_alloc_attrib(const bz_results *r, bz_arm_result *arm, int method, uint32_t n_players,
                            bz_error *err);

/* Field f of city c over the replicates of arm `arm`: its mean with a 95%
 * interval (level) and, for arms after the baseline, the paired difference
 * with the baseline (extra; NaN for the baseline). work: 2 R doubles.
 * r->arms[arm].cities must be allocated (r->n_cities > 0). */
void bz_results_city_compare(const bz_results *r, size_t arm, uint32_t c, int f, double *work,
                             bz_compare *level, bz_compare *extra);

/* Allocate arm->campaign_names and arm->campaign_spend for n_campaigns
 * campaigns of r's R replicates (names empty, figures 0) and set
 * arm->n_campaigns; nothing for 0. BZ_ENOMEM (arm left without them). */
int bz_results_alloc_campaigns(const bz_results *r, bz_arm_result *arm, uint32_t n_campaigns,
                               bz_error *err);

/* Campaign k of arm a in replicate rep (k < a->n_campaigns, rep < R). */
static inline bz_campaign_result *bz_arm_campaign(const bz_arm_result *a, uint32_t rep, uint32_t k)
{
    return a->campaign_spend + (size_t)rep * a->n_campaigns + k;
}

/* Allocate the per-city results of every arm of r (arms, R set) for
 * n_cities cities: names empty, agents and fields 0. BZ_ENOMEM. */
int bz_results_alloc_cities(bz_results *r, uint32_t n_cities, bz_error *err);

/* Release everything r owns and zero it. Safe on a zeroed or partly built
 * struct and on NULL. Cannot fail. */
void bz_results_destroy(bz_results *r);

/* Results that hold only network information (layers), no arms: what
 * `buzzsim graph` writes. R = T = 0, n_arms = 0. */
int bz_results_init_network(bz_results *r, size_t n_layers, bz_error *err);

static inline int64_t *bz_series_row(int64_t *base, uint32_t R, uint32_t T, int k, uint32_t rep)
{
    return base + ((size_t)k * R + rep) * T;
}

#endif

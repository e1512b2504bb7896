/* The paired comparison of every arm against the baseline (arms[0]).
 *
 * The one place it is computed: the printed tables (cli/report.c), `buzzsim
 * info`, the HDF5 writer's /comparison/<arm> (which `export` and the plots
 * read) all take it from bz_comparison_compute().
 *
 * Rows, declared once in bz_cmp_defs: first one per outcome (engine/results.h),
 * the mean over replicates of arm - baseline in the same replicate with its
 * 95% Student-t interval (arms share each replicate's network and random
 * streams, so the difference is the campaigns' effect); then the ratio rows,
 * ratios of two paired mean differences with a delta-method interval
 * (bz_stats_paired_ratio; NaN when the denominator is not surely positive).
 */
#ifndef BZ_COMPARE_H
#define BZ_COMPARE_H

#include <stddef.h>

#include "base/error.h"
#include "engine/results.h"
#include "base/stats.h"

typedef enum bz_cmp_ratio_id {
    BZ_CMP_COST_PER_EXTRA_ADOPTER,
    BZ_CMP_RETURN_ON_SPEND,
    BZ_N_CMP_RATIOS
} bz_cmp_ratio_id;

#define BZ_N_CMP_ROWS (BZ_N_OUTCOMES + BZ_N_CMP_RATIOS)
#define BZ_CMP_ROW_RATIO(k) (BZ_N_OUTCOMES + (k)) /* row index of ratio k */

typedef struct bz_cmp_ratio_def {
    const char *name, *unit, *desc;
    int num, den; /* outcome ids of numerator and denominator */
} bz_cmp_ratio_def;

extern const bz_cmp_ratio_def bz_cmp_ratio_defs[BZ_N_CMP_RATIOS];

/* Name of comparison row k: the outcome's for k < BZ_N_OUTCOMES, else the
 * ratio's; NULL out of range. */
const char *bz_cmp_row_name(int k);

/* An arm's attribution over replicates: each player's share with its 95%
 * interval, and their sum (Shapley: the arm's paired difference). */
#define BZ_CMP_MAX_PLAYERS 24
typedef struct bz_cmp_attrib {
    uint32_t n_players;
    bz_compare share[BZ_N_ATTRIB_OUT][BZ_CMP_MAX_PLAYERS];
    bz_compare sum[BZ_N_ATTRIB_OUT];
} bz_cmp_attrib;

typedef struct bz_comparison {
    size_t n_arms;
    bz_compare (*rows)[BZ_N_CMP_ROWS]; /* [n_arms]; arm 0 (the baseline) is all NaN */
    bz_cmp_attrib *attrib;             /* [n_arms]; n_players 0 without attribution */
} bz_comparison;

/* Compute every row for every arm of r. BZ_ENOMEM; bz_comparison_destroy
 * either way. O(arms x rows x R). */
int bz_comparison_compute(const bz_results *r, bz_comparison *c, bz_error *err);
void bz_comparison_destroy(bz_comparison *c);

#endif

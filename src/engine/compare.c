/* Paired comparison against the baseline (see engine/compare.h). */
#include "engine/compare.h"

#include <math.h>
#include <stdlib.h>

const bz_cmp_ratio_def bz_cmp_ratio_defs[BZ_N_CMP_RATIOS] = {
    [BZ_CMP_COST_PER_EXTRA_ADOPTER] = {"cost_per_extra_adopter", "currency per agent",
                                       "extra spend (campaign costs and discounts) per extra "
                                       "adopter: paired mean difference of spend / of final "
                                       "adopters; NaN unless the extra adopters are surely > 0",
                                       BZ_OUT_SPEND, BZ_OUT_FINAL_ADOPTERS},
    [BZ_CMP_RETURN_ON_SPEND] = {"return_on_spend", "currency per currency",
                                "extra profit per unit of extra spend: paired mean difference "
                                "of profit / of spend; NaN unless the extra spend is surely > 0",
                                BZ_OUT_PROFIT, BZ_OUT_SPEND},
};

const char *bz_cmp_row_name(int k)
{
    if (k < 0 || k >= BZ_N_CMP_ROWS) return NULL;
    return k < BZ_N_OUTCOMES ? bz_outcome_defs[k].name : bz_cmp_ratio_defs[k - BZ_N_OUTCOMES].name;
}

/* Outcome k of every replicate of arm a into x. */
static void column(const bz_results *r, size_t a, int k, double *x)
{
    for (uint32_t i = 0; i < r->R; i++)
        x[i] = r->arms[a].outcomes[i].v[k];
}

int bz_comparison_compute(const bz_results *r, bz_comparison *c, bz_error *err)
{
    int status = BZ_OK;
    const size_t R = r->R ? r->R : 1;
    double *a = malloc(4 * R * sizeof *a);
    c->n_arms = r->n_arms;
    c->rows = calloc(r->n_arms ? r->n_arms : 1, sizeof *c->rows);
    c->attrib = calloc(r->n_arms ? r->n_arms : 1, sizeof *c->attrib);
    if (!a || !c->rows || !c->attrib)
        BZ_FAIL_OOM(err, NULL,
                    4 * R * sizeof *a +
                        (r->n_arms ? r->n_arms : 1) * (sizeof *c->rows + sizeof *c->attrib),
                    "comparing %zu arms", r->n_arms);
    double *b = a + R, *p = a + 2 * R, *q = a + 3 * R;
    for (int k = 0; k < BZ_N_CMP_ROWS; k++)
        c->rows[0][k] = (bz_compare){NAN, NAN, NAN};
    for (size_t arm = 1; arm < r->n_arms; arm++) {
        for (int k = 0; k < BZ_N_OUTCOMES; k++) {
            column(r, arm, k, a);
            column(r, 0, k, b);
            c->rows[arm][k] = bz_stats_paired(a, b, r->R);
        }
        for (int k = 0; k < BZ_N_CMP_RATIOS; k++) {
            column(r, arm, bz_cmp_ratio_defs[k].num, a);
            column(r, 0, bz_cmp_ratio_defs[k].num, b);
            column(r, arm, bz_cmp_ratio_defs[k].den, p);
            column(r, 0, bz_cmp_ratio_defs[k].den, q);
            c->rows[arm][BZ_CMP_ROW_RATIO(k)] = bz_stats_paired_ratio(a, b, p, q, r->R);
        }
        /* Attribution: the mean share over replicates with its interval
         * (a paired difference against 0), and the mean of their sums. */
        const bz_attrib_result *at = &r->arms[arm].attrib;
        if (at->method == 0 || !at->share) continue;
        bz_cmp_attrib *ca = &c->attrib[arm];
        ca->n_players = at->n_players < BZ_CMP_MAX_PLAYERS ? at->n_players : BZ_CMP_MAX_PLAYERS;
        for (uint32_t i = 0; i < r->R; i++)
            b[i] = 0;
        for (int o = 0; o < BZ_N_ATTRIB_OUT; o++) {
            for (uint32_t j = 0; j < ca->n_players; j++) {
                for (uint32_t i = 0; i < r->R; i++)
                    a[i] = at->share[((size_t)o * r->R + i) * at->n_players + j];
                ca->share[o][j] = bz_stats_paired(a, b, r->R);
            }
            for (uint32_t i = 0; i < r->R; i++) {
                a[i] = 0;
                for (uint32_t j = 0; j < at->n_players; j++)
                    a[i] += at->share[((size_t)o * r->R + i) * at->n_players + j];
            }
            ca->sum[o] = bz_stats_paired(a, b, r->R);
        }
    }
cleanup:
    free(a);
    if (status != BZ_OK) bz_comparison_destroy(c);
    return status;
}

void bz_comparison_destroy(bz_comparison *c)
{
    if (!c) return;
    free(c->rows);
    free(c->attrib);
    c->rows = NULL;
    c->attrib = NULL;
    c->n_arms = 0;
}

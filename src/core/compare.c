/* Paired comparison against the baseline (see core/compare.h). */
#include "core/compare.h"

#include <math.h>
#include <stdlib.h>

const bz_cmp_ratio_def bz_cmp_ratio_defs[BZ_N_CMP_RATIOS] = {
    [BZ_CMP_COST_PER_EXTRA_ADOPTER] = {"cost_per_extra_adopter", "currency per agent",
                                       "campaign cost bought per extra adopter: mean paired "
                                       "difference of cost / of final adopters",
                                       BZ_OUT_COST, BZ_OUT_FINAL_ADOPTERS},
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
    if (!a || !c->rows) BZ_FAIL(err, BZ_ENOMEM, "out of memory comparing %zu arms", r->n_arms);
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
    c->rows = NULL;
    c->n_arms = 0;
}

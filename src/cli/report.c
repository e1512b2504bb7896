#include "cli/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "core/compare.h"
#include "core/stats.h"

const char *bz_report_number(double v, char *buf, size_t size)
{
    if (isnan(v)) {
        snprintf(buf, size, "-");
        return buf;
    }
    if (!isfinite(v) || fabs(v) >= 1e15) {
        snprintf(buf, size, "%.3g", v);
        return buf;
    }
    if (fabs(v) < 1000 && v != floor(v)) {
        snprintf(buf, size, "%.3g", v);
        return buf;
    }
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", fabs(v));
    size_t len = strlen(raw), o = 0;
    if (v < 0 && o + 1 < size) buf[o++] = '-';
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i && (len - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}

/* "mean [lo, hi]" of x[R] with a 95% t interval into buf. */
static const char *mean_ci(const double *x, uint32_t R, double *work, char *buf, size_t size)
{
    char m[64], lo[64], hi[64];
    bz_summary s = bz_stats_summary(x, R, work);
    double half = R > 1 ? gsl_cdf_tdist_Pinv(0.975, R - 1.0) * s.sd / sqrt((double)R) : NAN;
    if (isnan(half) || s.sd == 0)
        snprintf(buf, size, "%s", bz_report_number(s.mean, m, sizeof m));
    else
        snprintf(buf, size, "%s [%s, %s]", bz_report_number(s.mean, m, sizeof m),
                 bz_report_number(s.mean - half, lo, sizeof lo),
                 bz_report_number(s.mean + half, hi, sizeof hi));
    return buf;
}

/* "+d [lo, hi]" of a paired comparison into buf. */
static const char *paired_cell(bz_compare c, char *buf, size_t size)
{
    char m[64], lo[64], hi[64];
    if (isnan(c.mean)) return snprintf(buf, size, "-"), buf;
    if (isnan(c.ci_low))
        snprintf(buf, size, "%s%s", c.mean >= 0 ? "+" : "", bz_report_number(c.mean, m, sizeof m));
    else
        snprintf(buf, size, "%s%s [%s, %s]", c.mean >= 0 ? "+" : "",
                 bz_report_number(c.mean, m, sizeof m), bz_report_number(c.ci_low, lo, sizeof lo),
                 bz_report_number(c.ci_high, hi, sizeof hi));
    return buf;
}

/* Outcome k of every replicate of arm a into x. */
static void column(const bz_results *r, size_t a, int k, double *x)
{
    for (uint32_t i = 0; i < r->R; i++)
        x[i] = r->arms[a].outcomes[i].v[k];
}

void bz_report_comparison(FILE *f, const bz_results *r)
{
    const uint32_t R = r->R;
    double *a = malloc(R * sizeof *a), *b = malloc(R * sizeof *b), *w = malloc(R * sizeof *w);
    double *c = malloc(R * sizeof *c), *d = malloc(R * sizeof *d);
    bz_comparison cmp = {0, NULL};
    if (!a || !b || !w || !c || !d || bz_comparison_compute(r, &cmp, NULL) != BZ_OK) goto cleanup;
    char c1[160], c2[160], c3[160], c4[160], c5[160], c6[160];

    fprintf(f,
            "Adoption (mean over %u replicates, 95%% CI; differences paired with the "
            "baseline '%s';\n acceleration = days earlier per baseline adopter, expansion "
            "share = part of the gain in adopter-days from extra adopters)\n",
            (unsigned)R, r->arms[0].name);
    fprintf(f, "%-14s %-28s %-28s %-24s %s\n", "arm", "adopters", "vs baseline",
            "acceleration (days)", "expansion share");
    for (size_t k = 0; k < r->n_arms; k++) {
        column(r, k, BZ_OUT_FINAL_ADOPTERS, a);
        column(r, 0, BZ_OUT_FINAL_ADOPTERS, b);
        mean_ci(a, R, w, c1, sizeof c1);
        if (k == 0) {
            snprintf(c2, sizeof c2, "(baseline)");
            snprintf(c3, sizeof c3, "-");
            snprintf(c4, sizeof c4, "-");
        } else {
            paired_cell(cmp.rows[k][BZ_OUT_FINAL_ADOPTERS], c2, sizeof c2);
            /* Acceleration per baseline adopter: how many days earlier, on
             * average, the adopters the baseline also gets adopt. */
            column(r, k, BZ_OUT_ACCELERATION, c);
            column(r, k, BZ_OUT_EXPANSION, d);
            double sa = 0, se = 0;
            for (uint32_t i = 0; i < R; i++) {
                if (isfinite(c[i]) && isfinite(d[i])) sa += c[i], se += d[i];
                c[i] = b[i] > 0 ? c[i] / b[i] : NAN;
            }
            mean_ci(c, R, w, c3, sizeof c3);
            if (sa + se > 0 && sa >= 0 && se >= 0)
                snprintf(c4, sizeof c4, "%.0f%%", 100.0 * se / (sa + se));
            else
                snprintf(c4, sizeof c4, "-");
        }
        fprintf(f, "%-14s %-28s %-28s %-24s %s\n", r->arms[k].name, c1, c2, c3, c4);
    }

    fprintf(f, "\nSales and money (mean, 95%% CI)\n");
    fprintf(f, "%-14s %-26s %-14s %-12s %-12s %-30s %s\n", "arm", "units bought", "revenue", "cost",
            "per adopter", "cost per extra adopter", "sell-out (s)");
    for (size_t k = 0; k < r->n_arms; k++) {
        const bz_arm_result *arm = &r->arms[k];
        column(r, k, BZ_OUT_PURCHASES, a);
        mean_ci(a, R, w, c1, sizeof c1);
        column(r, k, BZ_OUT_REVENUE, a);
        bz_report_number(bz_stats_summary(a, R, w).mean, c2, sizeof c2);
        bz_report_number(arm->cost, c3, sizeof c3);
        column(r, k, BZ_OUT_FINAL_ADOPTERS, a);
        double ad = bz_stats_summary(a, R, w).mean;
        bz_report_number(ad > 0 ? arm->cost / ad : NAN, c4, sizeof c4);
        if (k == 0) {
            snprintf(c5, sizeof c5, "-");
        } else {
            bz_compare q = cmp.rows[k][BZ_CMP_ROW_RATIO(BZ_CMP_COST_PER_EXTRA_ADOPTER)];
            if (isnan(q.mean))
                snprintf(c5, sizeof c5, "- (no significant gain)");
            else
                paired_cell(q, c5, sizeof c5), memmove(c5, c5 + (c5[0] == '+'), strlen(c5));
        }
        column(r, k, BZ_OUT_SELLOUT_SECONDS, a);
        size_t sold_out = 0;
        for (uint32_t i = 0; i < R; i++)
            sold_out += !isnan(a[i]);
        if (sold_out == 0)
            snprintf(c6, sizeof c6, "-");
        else {
            char m[64];
            snprintf(c6, sizeof c6, "%s (%zu/%u sold out)",
                     bz_report_number(bz_stats_summary(a, R, w).mean, m, sizeof m), sold_out,
                     (unsigned)R);
        }
        fprintf(f, "%-14s %-26s %-14s %-12s %-12s %-30s %s\n", arm->name, c1, c2, c3, c4, c5, c6);
    }

    /* Last-touch attribution: share of adoptions tipped by each channel that
     * tipped any (series may be absent when a file was read without them). */
    int used[BZ_CH_MAX] = {0}, n_used = 0;
    for (int ch = 0; ch < r->n_channels; ch++)
        for (size_t k = 0; k < r->n_arms && !used[ch]; k++) {
            if (!r->arms[k].series[BZ_SER_ADOPTIONS_BY]) continue;
            const int64_t *row =
                bz_series_row(r->arms[k].series[BZ_SER_ADOPTIONS_BY], R, r->T, ch, 0);
            for (size_t i = 0; i < (size_t)R * r->T && !used[ch]; i++)
                used[ch] = row[i] != 0;
        }
    for (int ch = 0; ch < r->n_channels; ch++)
        n_used += used[ch];
    if (n_used == 0) goto cleanup;
    fprintf(f, "\nAdoptions by tipping channel (last touch, %% of the arm's adoptions)\n%-14s",
            "arm");
    for (int ch = 0; ch < r->n_channels; ch++)
        if (used[ch]) fprintf(f, " %12.12s", r->channel_names[ch]);
    fputc('\n', f);
    for (size_t k = 0; k < r->n_arms; k++) {
        double tot[BZ_CH_MAX] = {0}, all = 0;
        for (int ch = 0; ch < r->n_channels; ch++) {
            if (!r->arms[k].series[BZ_SER_ADOPTIONS_BY]) continue;
            const int64_t *row =
                bz_series_row(r->arms[k].series[BZ_SER_ADOPTIONS_BY], R, r->T, ch, 0);
            for (size_t i = 0; i < (size_t)R * r->T; i++)
                tot[ch] += (double)row[i];
            all += tot[ch];
        }
        fprintf(f, "%-14s", r->arms[k].name);
        for (int ch = 0; ch < r->n_channels; ch++)
            if (used[ch]) fprintf(f, " %11.1f%%", all > 0 ? 100.0 * tot[ch] / all : 0.0);
        fputc('\n', f);
    }
cleanup:
    bz_comparison_destroy(&cmp);
    free(a);
    free(b);
    free(w);
    free(c);
    free(d);
}

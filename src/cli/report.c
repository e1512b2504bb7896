#include "cli/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

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

void bz_report_comparison(FILE *f, const bz_results *r)
{
    const uint32_t R = r->R;
    double *a = malloc(R * sizeof *a), *b = malloc(R * sizeof *b), *w = malloc(R * sizeof *w);
    if (!a || !b || !w) goto cleanup;
    const double tq = R > 1 ? gsl_cdf_tdist_Pinv(0.975, R - 1.0) : NAN;
    char s1[64], s2[64], s3[64], s4[64], s5[64], s6[64], cell1[160], cell2[160];
    fprintf(f, "%-14s %-32s %-34s %12s %14s\n", "arm", "adopters (mean, 95% CI)",
            "vs baseline (paired, 95% CI)", "cost", "per extra");
    for (size_t k = 0; k < r->n_arms; k++) {
        const bz_arm_result *arm = &r->arms[k];
        for (uint32_t i = 0; i < R; i++) {
            a[i] = arm->outcomes[i].final_adopters;
            b[i] = r->arms[0].outcomes[i].final_adopters;
        }
        bz_summary s = bz_stats_summary(a, R, w);
        double half = R > 1 ? tq * s.sd / sqrt((double)R) : NAN;
        snprintf(cell1, sizeof cell1, "%s [%s, %s]", bz_report_number(s.mean, s1, sizeof s1),
                 bz_report_number(s.mean - half, s2, sizeof s2),
                 bz_report_number(s.mean + half, s3, sizeof s3));
        double per_extra = NAN;
        if (k == 0) {
            snprintf(cell2, sizeof cell2, "(baseline)");
        } else {
            bz_compare c = bz_stats_paired(a, b, R);
            snprintf(cell2, sizeof cell2, "%s%s [%s, %s]", c.mean >= 0 ? "+" : "",
                     bz_report_number(c.mean, s4, sizeof s4),
                     bz_report_number(c.ci_low, s5, sizeof s5),
                     bz_report_number(c.ci_high, s6, sizeof s6));
            if (c.mean > 0) per_extra = (arm->cost - r->arms[0].cost) / c.mean;
        }
        char cost[64], pe[64];
        fprintf(f, "%-14s %-32s %-34s %12s %14s\n", arm->name, cell1, cell2,
                bz_report_number(arm->cost, cost, sizeof cost),
                bz_report_number(per_extra, pe, sizeof pe));
    }
cleanup:
    free(a);
    free(b);
    free(w);
}

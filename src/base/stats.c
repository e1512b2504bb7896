#include "base/stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

bz_summary bz_stats_summary(const double *x, size_t R, double *work)
{
    bz_summary s = {NAN, NAN, NAN, NAN, NAN};
    size_t k = 0;
    for (size_t i = 0; i < R; i++)
        if (isfinite(x[i])) work[k++] = x[i];
    if (k == 0) return s;
    s.mean = gsl_stats_mean(work, 1, k);
    s.sd = k > 1 ? gsl_stats_sd_m(work, 1, k, s.mean) : 0.0;
    gsl_sort(work, 1, k);
    s.q05 = gsl_stats_quantile_from_sorted_data(work, 1, k, 0.05);
    s.q50 = gsl_stats_quantile_from_sorted_data(work, 1, k, 0.50);
    s.q95 = gsl_stats_quantile_from_sorted_data(work, 1, k, 0.95);
    return s;
}

void bz_stats_summarise(const int64_t *series, uint32_t R, uint32_t T, bz_summary *out,
                        double *work)
{
    for (uint32_t t = 0; t < T; t++) {
        for (uint32_t r = 0; r < R; r++)
            work[r] = (double)series[(size_t)r * T + t];
        /* Integer data has no NaN: summarise in place. */
        bz_summary s;
        s.mean = gsl_stats_mean(work, 1, R);
        s.sd = R > 1 ? gsl_stats_sd_m(work, 1, R, s.mean) : 0.0;
        gsl_sort(work, 1, R);
        s.q05 = gsl_stats_quantile_from_sorted_data(work, 1, R, 0.05);
        s.q50 = gsl_stats_quantile_from_sorted_data(work, 1, R, 0.50);
        s.q95 = gsl_stats_quantile_from_sorted_data(work, 1, R, 0.95);
        out[t] = s;
    }
}

bz_compare bz_stats_paired(const double *a, const double *b, size_t R)
{
    bz_compare c = {NAN, NAN, NAN};
    double sum = 0, sumsq = 0;
    size_t k = 0;
    for (size_t i = 0; i < R; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i])) continue;
        sum += a[i] - b[i];
        k++;
    }
    if (k == 0) return c;
    c.mean = sum / (double)k;
    if (k < 2) return c;
    for (size_t i = 0; i < R; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i])) continue;
        double d = a[i] - b[i] - c.mean;
        sumsq += d * d;
    }
    double se = sqrt(sumsq / (double)(k - 1) / (double)k);
    double tq = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1));
    c.ci_low = c.mean - tq * se;
    c.ci_high = c.mean + tq * se;
    return c;
}

bz_compare bz_stats_paired_ratio(const double *num_a, const double *num_b, const double *den_a,
                                 const double *den_b, size_t R)
{
    bz_compare c = {NAN, NAN, NAN};
    double sn = 0, sd = 0;
    size_t k = 0;
#define BZ_PAIR_OK(i)                                                                              \
    (isfinite(num_a[i]) && isfinite(num_b[i]) && isfinite(den_a[i]) && isfinite(den_b[i]))
    for (size_t i = 0; i < R; i++) {
        if (!BZ_PAIR_OK(i)) continue;
        sn += num_a[i] - num_b[i];
        sd += den_a[i] - den_b[i];
        k++;
    }
    if (k < 2) return c;
    const double mn = sn / (double)k, md = sd / (double)k;
    double vn = 0, vd = 0, cv = 0;
    for (size_t i = 0; i < R; i++) {
        if (!BZ_PAIR_OK(i)) continue;
        double dn = num_a[i] - num_b[i] - mn, dd = den_a[i] - den_b[i] - md;
        vn += dn * dn;
        vd += dd * dd;
        cv += dn * dd;
    }
#undef BZ_PAIR_OK
    vn /= (double)(k - 1);
    vd /= (double)(k - 1);
    cv /= (double)(k - 1);
    const double tq = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1));
    if (!(md - tq * sqrt(vd / (double)k) > 0)) return c; /* no extra adopters for sure */
    const double ratio = mn / md;
    const double var = (vn - 2 * ratio * cv + ratio * ratio * vd) / (md * md) / (double)k;
    const double half = tq * sqrt(var > 0 ? var : 0);
    c.mean = ratio;
    c.ci_low = ratio - half;
    c.ci_high = ratio + half;
    return c;
}

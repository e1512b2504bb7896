/* Statistics over replicates: per-time summaries and paired comparisons. */
#ifndef BZ_STATS_H
#define BZ_STATS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bz_summary {
    double mean, sd, q05, q50, q95;
} bz_summary;

typedef struct bz_compare {
    double mean, ci_low, ci_high; /* paired difference arm - baseline, 95% t interval */
} bz_compare;

/* Summaries over R replicates of an int64 [R][T] series, one per time.
 * `work` must hold R doubles. sd is the sample sd (0 for R = 1); quantiles by
 * GSL's linear interpolation (gsl_stats_quantile_from_sorted_data). */
void bz_stats_summarise(const int64_t *series, uint32_t R, uint32_t T, bz_summary *out,
                        double *work);

/* Summary of R doubles (NaN entries skipped; all-NaN gives NaN fields). */
bz_summary bz_stats_summary(const double *x, size_t R, double *work);

/* Paired difference a[i] - b[i] over the pairs where both are finite:
 * mean and 95% Student-t confidence interval. Fewer than 2 pairs: interval
 * is NaN (mean may still be defined). */
bz_compare bz_stats_paired(const double *a, const double *b, size_t R);

/* Ratio of paired mean differences, e.g. cost per extra adopter:
 *   mean(num_a - num_b) / mean(den_a - den_b)
 * over the pairs where all four are finite, with a 95% interval by the delta
 * method (Student t, k - 1 degrees of freedom). The ratio is NaN (not
 * estimable) when the denominator's own 95% interval contains zero or lies
 * below it: the arm then adds no adopters distinguishable from chance, and
 * "cost per extra adopter" has no meaning. */
bz_compare bz_stats_paired_ratio(const double *num_a, const double *num_b, const double *den_a,
                                 const double *den_b, size_t R);

#endif

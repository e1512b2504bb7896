/* Human-readable reports of results (the table `run` and `info` print). */
#ifndef BZ_CLI_REPORT_H
#define BZ_CLI_REPORT_H

#include <stdio.h>

#include "core/results.h"

/* The arm comparison tables: (1) adoption: final adopters with a 95% CI,
 * the paired difference against the first arm, and the split of the gain
 * into acceleration and expansion (core/results.h); (2) sales and money:
 * units bought, revenue, cost, cost per adopter, cost per extra adopter
 * (ratio of paired differences with a delta-method CI; "-" when the arm's
 * extra adopters are not significantly above zero) and the mean sell-out
 * time; (3) last-touch attribution shares per channel, when series exist. */
void bz_report_comparison(FILE *f, const bz_results *r);

/* v for a table cell into buf: counts grouped by thousands ("12,345"),
 * fractions to three significant digits, "-" for NaN. Returns buf. */
const char *bz_report_number(double v, char *buf, size_t size);

#endif

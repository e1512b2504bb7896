/* Human-readable reports of results (the table `run` and `info` print). */
#ifndef BZ_CLI_REPORT_H
#define BZ_CLI_REPORT_H

#include <stdio.h>

#include "core/results.h"

/* The arm comparison table: per arm the mean final adopters with a 95% CI,
 * the paired difference against the first arm with its 95% CI, mean cost and
 * cost per extra adopter (difference of mean costs over difference of mean
 * adopters; "-" when the arm adds no adopters). */
void bz_report_comparison(FILE *f, const bz_results *r);

/* v for a table cell into buf: counts grouped by thousands ("12,345"),
 * fractions to three significant digits, "-" for NaN. Returns buf. */
const char *bz_report_number(double v, char *buf, size_t size);

#endif

/* Human-readable reports of results (the table `run` and `info` print). */
#ifndef BZ_CLI_REPORT_H
#define BZ_CLI_REPORT_H

#include <stdio.h>

#include "engine/results.h"

/* The arm comparison tables: (1) the decision: adopters, extra adopters,
 * extra profit, return on spend and spend per extra adopter, each paired
 * with the first arm (engine/compare.h); (2) person by person: converted,
 * displaced, accelerated, days earlier, expansion share, gifted; (3) money:
 * every term of profit, when the product is priced; (4) demand not served
 * (sell-out, unmet demand, lost sales, priced out), when there is any; (5)
 * attribution, for arms that have it; (6) with several cities, the cities
 * where each arm adds the most adopters; (7) last-touch shares per
 * channel, labelled descriptive, when series exist. */
void bz_report_comparison(FILE *f, const bz_results *r);

/* v for a table cell into buf: counts grouped by thousands ("12,345"),
 * fractions to three significant digits, "-" for NaN. Returns buf. */
const char *bz_report_number(double v, char *buf, size_t size);

#endif

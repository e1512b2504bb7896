/* The comparison tables `run` and `info` print (cli/report.h). Every paired
 * figure comes from engine/compare.h; this file only lays them out. */
#include "cli/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "engine/compare.h"
#include "base/stats.h"

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

/* Compact money: 12,345,678 -> "12.3M", 45,600 -> "45.6k", small as is. */
static const char *money(double v, char *buf, size_t size)
{
    const double a = fabs(v);
    if (isnan(v)) return snprintf(buf, size, "-"), buf;
    if (a >= 1e9) return snprintf(buf, size, "%.3gG", v / 1e9), buf;
    if (a >= 1e6) return snprintf(buf, size, "%.3gM", v / 1e6), buf;
    if (a >= 1e4) return snprintf(buf, size, "%.3gk", v / 1e3), buf;
    return bz_report_number(v, buf, size);
}

typedef const char *(*fmt_fn)(double, char *, size_t);

/* Days to the hundredth: 0.00 for less than about 7 minutes either way
 * (adoption times are stored as floats, a few seconds apart at most). */
static const char *days(double v, char *buf, size_t size)
{
    if (isnan(v)) return snprintf(buf, size, "-"), buf;
    if (fabs(v) < 0.005) return snprintf(buf, size, "0.00"), buf;
    if (fabs(v) < 100) return snprintf(buf, size, "%.2f", v), buf;
    return bz_report_number(v, buf, size);
}

/* "mean [lo, hi]" of x[R] with a 95% t interval. */
static const char *mean_ci(const double *x, uint32_t R, double *work, fmt_fn fmt, char *buf,
                           size_t size)
{
    char m[48], lo[48], hi[48]; /* a formatted number is short; 3 fit the 160-byte cells */
    bz_summary s = bz_stats_summary(x, R, work);
    double half = R > 1 ? gsl_cdf_tdist_Pinv(0.975, R - 1.0) * s.sd / sqrt((double)R) : NAN;
    if (isnan(half) || s.sd == 0)
        snprintf(buf, size, "%s", fmt(s.mean, m, sizeof m));
    else
        snprintf(buf, size, "%s [%s, %s]", fmt(s.mean, m, sizeof m),
                 fmt(s.mean - half, lo, sizeof lo), fmt(s.mean + half, hi, sizeof hi));
    return buf;
}

/* "+d [lo, hi]" of a paired comparison (sign shown when `sign`). */
static const char *paired_cell(bz_compare c, int sign, fmt_fn fmt, char *buf, size_t size)
{
    char m[48], lo[48], hi[48]; /* a formatted number is short; 3 fit the 160-byte cells */
    if (isnan(c.mean)) return snprintf(buf, size, "-"), buf;
    const char *plus = sign && c.mean >= 0 ? "+" : "";
    if (isnan(c.ci_low))
        snprintf(buf, size, "%s%s", plus, fmt(c.mean, m, sizeof m));
    else
        snprintf(buf, size, "%s%s [%s, %s]", plus, fmt(c.mean, m, sizeof m),
                 fmt(c.ci_low, lo, sizeof lo), fmt(c.ci_high, hi, sizeof hi));
    return buf;
}

/* Outcome k of every replicate of arm a into x. */
static void column(const bz_results *r, size_t a, int k, double *x)
{
    for (uint32_t i = 0; i < r->R; i++)
        x[i] = r->arms[a].outcomes[i].v[k];
}

/* Mean of outcome k of arm a (NaN entries skipped). */
static double mean_of(const bz_results *r, size_t a, int k, double *x, double *work)
{
    column(r, a, k, x);
    return bz_stats_summary(x, r->R, work).mean;
}

/* Some replicate of some arm has outcome k != 0. */
static int any_nonzero(const bz_results *r, int k)
{
    for (size_t a = 0; a < r->n_arms; a++)
        for (uint32_t i = 0; i < r->R; i++)
            if (r->arms[a].outcomes[i].v[k] != 0 && !isnan(r->arms[a].outcomes[i].v[k])) return 1;
    return 0;
}

/* The cities where each arm adds the most adopters against the baseline
 * (when there are several cities): the top BZ_REPORT_CITIES of every arm
 * after the baseline, by mean extra adopters, ties to the lower index. */
#define BZ_REPORT_CITIES 3
static void report_cities(FILE *f, const bz_results *r, int aw, int priced)
{
    const uint32_t C = r->n_cities, R = r->R;
    if (C < 2 || r->n_arms < 2 || !r->arms[0].cities) return;
    double *work = malloc(2 * (size_t)R * sizeof *work), *extra = malloc(C * sizeof *extra);
    if (!work || !extra) goto cleanup;
    fprintf(f,
            "\nWhere the extra adopters are: the %d cities of each arm with the most, paired "
            "with the\n baseline (mean per replicate, 95%% CI; every city: buzzsim export FILE "
            "/cities_summary)\n",
            BZ_REPORT_CITIES);
    fprintf(f, "%-*s %-16s %-10s %-26s %s\n", aw, "arm", "city", "agents", "extra adopters",
            priced ? "extra revenue" : "");
    for (size_t a = 1; a < r->n_arms; a++) {
        bz_compare lv, ex;
        for (uint32_t c = 0; c < C; c++) {
            bz_results_city_compare(r, a, c, BZ_CITY_ADOPTERS, work, &lv, &ex);
            extra[c] = isnan(ex.mean) ? -INFINITY : ex.mean;
        }
        uint32_t top[BZ_REPORT_CITIES];
        int n = 0;
        for (; n < BZ_REPORT_CITIES && n < (int)C; n++) {
            long best = -1;
            for (uint32_t c = 0; c < C; c++) {
                int taken = 0;
                for (int q = 0; q < n; q++)
                    taken |= top[q] == c;
                if (!taken && (best < 0 || extra[c] > extra[best])) best = (long)c;
            }
            top[n] = (uint32_t)best;
        }
        for (int q = 0; q < n; q++) {
            char c1[160], c2[160], c3[64];
            bz_results_city_compare(r, a, top[q], BZ_CITY_ADOPTERS, work, &lv, &ex);
            paired_cell(ex, 1, bz_report_number, c1, sizeof c1);
            bz_results_city_compare(r, a, top[q], BZ_CITY_REVENUE, work, &lv, &ex);
            paired_cell(ex, 1, money, c2, sizeof c2);
            fprintf(f, "%-*s %-16.16s %-10s %-26s %s\n", aw, q ? "" : r->arms[a].name,
                    r->city_names[top[q]], bz_report_number(r->city_agents[top[q]], c3, sizeof c3),
                    c1, priced ? c2 : "");
        }
    }
cleanup:
    free(work);
    free(extra);
}

void bz_report_comparison(FILE *f, const bz_results *r)
{
    const uint32_t R = r->R;
    double *x = malloc(R * sizeof *x), *w = malloc(R * sizeof *w);
    bz_comparison cmp = {0, NULL, NULL};
    if (!x || !w || bz_comparison_compute(r, &cmp, NULL) != BZ_OK) goto cleanup;
    char c1[160], c2[160], c3[160], c4[160], c5[160], c6[160];
    const int priced = any_nonzero(r, BZ_OUT_REVENUE) || any_nonzero(r, BZ_OUT_CAMPAIGN_COST);
    int aw = 14; /* the arm column: the longest name, at least 14 */
    for (size_t k = 0; k < r->n_arms; k++)
        if ((int)strlen(r->arms[k].name) + 1 > aw) aw = (int)strlen(r->arms[k].name) + 1;

    /* 1. The decision: extra adopters and what they earn. */
    fprintf(f,
            "What each arm does, paired with the baseline '%s' (mean over %u replicates, 95%% "
            "CI;\n"
            " spend = campaign costs + discounts; return = extra profit per unit of extra "
            "spend)\n",
            r->arms[0].name, (unsigned)R);
    fprintf(f, "%-*s %-26s %-26s %-24s %-26s %s\n", aw, "arm", "adopters", "extra adopters",
            priced ? "extra profit" : "", priced ? "return on spend" : "",
            priced ? "spend per extra adopter" : "");
    for (size_t k = 0; k < r->n_arms; k++) {
        column(r, k, BZ_OUT_FINAL_ADOPTERS, x);
        mean_ci(x, R, w, bz_report_number, c1, sizeof c1);
        if (k == 0) {
            snprintf(c2, sizeof c2, "(baseline)");
            c3[0] = c4[0] = c5[0] = '\0';
        } else {
            paired_cell(cmp.rows[k][BZ_OUT_FINAL_ADOPTERS], 1, bz_report_number, c2, sizeof c2);
            paired_cell(cmp.rows[k][BZ_OUT_PROFIT], 1, money, c3, sizeof c3);
            paired_cell(cmp.rows[k][BZ_CMP_ROW_RATIO(BZ_CMP_RETURN_ON_SPEND)], 0, bz_report_number,
                        c4, sizeof c4);
            bz_compare q = cmp.rows[k][BZ_CMP_ROW_RATIO(BZ_CMP_COST_PER_EXTRA_ADOPTER)];
            if (isnan(q.mean))
                snprintf(c5, sizeof c5, "- (no sure gain)");
            else
                paired_cell(q, 0, bz_report_number, c5, sizeof c5);
            if (!priced) c3[0] = c4[0] = c5[0] = '\0';
        }
        fprintf(f, "%-*s %-26s %-26s %-24s %-26s %s\n", aw, r->arms[k].name, c1, c2, c3, c4, c5);
    }

    /* 2. Who: person by person against the baseline's same replicate. */
    fprintf(f,
            "\nPerson by person against the baseline (mean per replicate): converted = adopt "
            "here\n"
            " only, displaced = adopt in the baseline only, accelerated = adopt in both, "
            "earlier here;\n"
            " expansion share = part of the adopter-days gained that comes from the converted\n");
    fprintf(f, "%-*s %-12s %-12s %-12s %-24s %-16s %s\n", aw, "arm", "converted", "displaced",
            "accelerated", "days earlier (both)", "expansion share", "gifted");
    for (size_t k = 0; k < r->n_arms; k++) {
        if (k == 0) {
            fprintf(f, "%-*s %-12s %-12s %-12s %-24s %-16s %s\n", aw, r->arms[k].name, "-", "-",
                    "-", "-", "-",
                    bz_report_number(mean_of(r, 0, BZ_OUT_GIFTED, x, w), c6, sizeof c6));
            continue;
        }
        bz_report_number(mean_of(r, k, BZ_OUT_CONVERTED, x, w), c1, sizeof c1);
        bz_report_number(mean_of(r, k, BZ_OUT_DISPLACED, x, w), c2, sizeof c2);
        bz_report_number(mean_of(r, k, BZ_OUT_ACCELERATED, x, w), c3, sizeof c3);
        column(r, k, BZ_OUT_DAYS_EARLIER, x);
        mean_ci(x, R, w, days, c4, sizeof c4);
        const double acc = mean_of(r, k, BZ_OUT_ACCELERATION, x, w);
        const double exp = mean_of(r, k, BZ_OUT_EXPANSION, x, w);
        if (acc + exp > 0) /* above 100% when those in both adopt later here */
            snprintf(c5, sizeof c5, "%.0f%%", 100.0 * exp / (acc + exp));
        else
            snprintf(c5, sizeof c5, "-");
        bz_report_number(mean_of(r, k, BZ_OUT_GIFTED, x, w), c6, sizeof c6);
        fprintf(f, "%-*s %-12s %-12s %-12s %-24s %-16s %s\n", aw, r->arms[k].name, c1, c2, c3, c4,
                c5, c6);
    }

    /* 3. Money: every term of profit. */
    if (priced) {
        fprintf(f, "\nMoney (mean per replicate): profit = revenue - unit costs - campaign costs "
                   "- fixed costs\n");
        fprintf(f, "%-*s %-24s %-10s %-10s %-10s %-10s %-10s %s\n", aw, "arm", "units bought",
                "revenue", "discount", "campaigns", "unit cost", "fixed", "profit [CI]");
        for (size_t k = 0; k < r->n_arms; k++) {
            char m1[64], m2[64], m3[64], m4[64], m5[64];
            column(r, k, BZ_OUT_PURCHASES, x);
            mean_ci(x, R, w, bz_report_number, c1, sizeof c1);
            money(mean_of(r, k, BZ_OUT_REVENUE, x, w), m1, sizeof m1);
            money(mean_of(r, k, BZ_OUT_DISCOUNT, x, w), m2, sizeof m2);
            money(mean_of(r, k, BZ_OUT_CAMPAIGN_COST, x, w), m3, sizeof m3);
            money(mean_of(r, k, BZ_OUT_UNIT_COSTS, x, w), m4, sizeof m4);
            money(mean_of(r, k, BZ_OUT_FIXED_COSTS, x, w), m5, sizeof m5);
            column(r, k, BZ_OUT_PROFIT, x);
            mean_ci(x, R, w, money, c2, sizeof c2);
            fprintf(f, "%-*s %-24s %-10s %-10s %-10s %-10s %-10s %s\n", aw, r->arms[k].name, c1, m1,
                    m2, m3, m4, m5, c2);
        }
    }

    /* 4. Stock: demand that could not be served. */
    if (any_nonzero(r, BZ_OUT_UNMET_DEMAND) || any_nonzero(r, BZ_OUT_LOST_SALES) ||
        any_nonzero(r, BZ_OUT_PRICED_OUT) || any_nonzero(r, BZ_OUT_SELLOUT_SECONDS)) {
        fprintf(f, "\nDemand not served (mean per replicate): unmet = refused for want of stock "
                   "and still waiting;\n lost = gave up waiting; priced out = would buy at a "
                   "lower price\n");
        fprintf(f, "%-*s %-26s %-12s %-12s %s\n", aw, "arm", "first sell-out (s)", "unmet", "lost",
                "priced out");
        for (size_t k = 0; k < r->n_arms; k++) {
            column(r, k, BZ_OUT_SELLOUT_SECONDS, x);
            size_t sold_out = 0;
            for (uint32_t i = 0; i < R; i++)
                sold_out += !isnan(x[i]);
            if (sold_out == 0)
                snprintf(c1, sizeof c1, "-");
            else
                snprintf(c1, sizeof c1, "%s (%zu/%u sold out)",
                         bz_report_number(bz_stats_summary(x, R, w).mean, c6, sizeof c6), sold_out,
                         (unsigned)R);
            bz_report_number(mean_of(r, k, BZ_OUT_UNMET_DEMAND, x, w), c2, sizeof c2);
            bz_report_number(mean_of(r, k, BZ_OUT_LOST_SALES, x, w), c3, sizeof c3);
            bz_report_number(mean_of(r, k, BZ_OUT_PRICED_OUT, x, w), c4, sizeof c4);
            fprintf(f, "%-*s %-26s %-12s %-12s %s\n", aw, r->arms[k].name, c1, c2, c3, c4);
        }
    }

    /* 5. Attribution: which campaign of an arm caused what. */
    for (size_t k = 1; k < r->n_arms; k++) {
        const bz_attrib_result *at = &r->arms[k].attrib;
        const bz_cmp_attrib *ca = &cmp.attrib[k];
        if (!at->method || ca->n_players == 0) continue;
        const int shapley = at->method == 1;
        fprintf(f, "\n%s of arm '%s' (mean per replicate, 95%% CI): %s\n",
                shapley ? "Shapley attribution" : "Leave-one-out effects", r->arms[k].name,
                shapley ? "each campaign's share of the arm's\n effect; the shares add up to the "
                          "arm's paired difference with the baseline"
                        : "the arm minus the arm\n without each campaign; they need not add up "
                          "(interactions)");
        fprintf(f, "%-40s %-30s %s\n", "campaign", "extra adopters", priced ? "extra profit" : "");
        for (uint32_t j = 0; j < ca->n_players; j++) {
            paired_cell(ca->share[BZ_ATTRIB_ADOPTERS][j], 1, bz_report_number, c1, sizeof c1);
            paired_cell(ca->share[BZ_ATTRIB_PROFIT][j], 1, money, c2, sizeof c2);
            fprintf(f, "%-40s %-30s %s\n", at->players[j], c1, priced ? c2 : "");
        }
        paired_cell(ca->sum[BZ_ATTRIB_ADOPTERS], 1, bz_report_number, c1, sizeof c1);
        paired_cell(ca->sum[BZ_ATTRIB_PROFIT], 1, money, c2, sizeof c2);
        fprintf(f, "%-40s %-30s %s\n", shapley ? "sum (= the arm's effect)" : "sum", c1,
                priced ? c2 : "");
        if (!shapley) {
            paired_cell(cmp.rows[k][BZ_OUT_FINAL_ADOPTERS], 1, bz_report_number, c1, sizeof c1);
            paired_cell(cmp.rows[k][BZ_OUT_PROFIT], 1, money, c2, sizeof c2);
            fprintf(f, "%-40s %-30s %s\n", "the arm's effect", c1, priced ? c2 : "");
        }
    }

    report_cities(f, r, aw, priced);

    /* 6. Last touch: descriptive shares of the channel that last reached
     * each adopter (series may be absent when a file was read without them). */
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
    fprintf(f,
            "\nLast touch (descriptive, not causal: %% of the arm's adoptions by the channel "
            "that last\n reached the adopter; what a campaign caused is the person-by-person "
            "table above)\n%-*s",
            aw, "arm");
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
        fprintf(f, "%-*s", aw, r->arms[k].name);
        for (int ch = 0; ch < r->n_channels; ch++)
            if (used[ch]) fprintf(f, " %11.1f%%", all > 0 ? 100.0 * tot[ch] / all : 0.0);
        fputc('\n', f);
    }
cleanup:
    bz_comparison_destroy(&cmp);
    free(x);
    free(w);
}

/* Parameter tables: parsing, defaults, formatting (see params.h).
 *
 * Conventions kept by every function here:
 * - Numeric text is strict: optional sign, digits, optional fraction and
 *   exponent. "inf", "nan", hex floats and trailing garbage are rejected, so a
 *   typo never becomes a silent value.
 * - Bounds: a table entry with min == max == 0 has no table bounds (only the
 *   natural ones: probabilities in [0, 1], rates and durations >= 0); any
 *   other pair is an inclusive range. A fixed value of 0 is never a useful
 *   parameter, so the zero pair is free to mean "unbounded".
 * - bz_param_format() writes the shortest text that bz_param_parse() reads
 *   back to the bit-identical value (verified by parsing it), so resolved
 *   experiments round-trip exactly and stay readable ("1h", not
 *   "0.041666666666666664d").
 */
#include "base/params.h"
#include "base/text.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ECHO_MAX 80
#define ECHO_SIZE (4 * ECHO_MAX + 8) /* every character may be an escape \xNN */

/* `text` quoted for a one-line message: at most ECHO_MAX characters, control
 * characters and binary bytes escaped (bz_error_quote). */
static const char *echo(const char *text, char *buf, size_t size)
{
    return bz_error_quote(text, text ? strlen(text) : 0, ECHO_MAX, buf, size);
}

/* Text without leading/trailing blanks, copied into buf (truncated). */
static const char *trim(const char *text, char *buf, size_t size)
{
    while (*text == ' ' || *text == '\t')
        text++;
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len >= size) len = size - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    return buf;
}

/* Why a numeric text was refused: its syntax, or a value that a double
 * cannot hold (too large, or a nonzero value too close to 0: it would be
 * stored as 0 or lose its precision as a subnormal). */
enum { NUM_OK = 0, NUM_SYNTAX, NUM_OVERFLOW, NUM_UNDERFLOW };

/* NUM_OVERFLOW / NUM_UNDERFLOW / NUM_OK for the double v that text whose
 * digits were `nonzero` (some digit other than 0) gave. */
static int num_range(double v, int nonzero)
{
    if (!isfinite(v)) return NUM_OVERFLOW;
    if ((v == 0 && nonzero) || fpclassify(v) == FP_SUBNORMAL) return NUM_UNDERFLOW;
    return NUM_OK;
}

/* Scan a strict decimal number at s; returns the number of characters it
 * spans (0 if none) and stores the value into *out, *range (NUM_OK, or
 * NUM_OVERFLOW / NUM_UNDERFLOW when a double cannot hold it). */
static size_t scan_number(const char *s, double *out, int *range)
{
    size_t i = 0;
    size_t digits = 0;
    int nonzero = 0;
    if (s[i] == '+' || s[i] == '-') i++;
    while (s[i] >= '0' && s[i] <= '9')
        nonzero |= s[i] != '0', i++, digits++;
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            nonzero |= s[i] != '0', i++, digits++;
    }
    if (digits == 0) return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-') j++;
        size_t exp_digits = 0;
        while (s[j] >= '0' && s[j] <= '9')
            j++, exp_digits++;
        if (exp_digits) i = j;
    }
    char tmp[128];
    if (i >= sizeof tmp) return 0;
    memcpy(tmp, s, i);
    tmp[i] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + i) return 0;
    *range = num_range(v, nonzero);
    *out = v;
    return i;
}

/* A whole string that is exactly one strict number: NUM_OK and *out, or
 * why not. */
static int parse_real_text(const char *text, double *out)
{
    double v = 0;
    int range = NUM_OK;
    size_t n = scan_number(text, &v, &range);
    if (n == 0 || text[n] != '\0') return NUM_SYNTAX;
    if (range != NUM_OK) return range;
    *out = v;
    return NUM_OK;
}

/* "NAME: 'TEXT' is too large ..." for a range failure (name may be NULL). */
static int range_error(const char *name, const char *text, int why, bz_error *err)
{
    char eb[ECHO_SIZE];
    if (why == NUM_OVERFLOW)
        return bz_error_set_param(err, BZ_EINVAL, name,
                                  "'%s' is too large to be represented (the largest number is "
                                  "about 1.8e308)",
                                  echo(text, eb, sizeof eb));
    return bz_error_set_param(
        err, BZ_EINVAL, name,
        "'%s' is too close to 0 to be represented (it underflows: "
        "magnitudes below about 2.2e-308 are not kept); write 0 if you mean zero",
        echo(text, eb, sizeof eb));
}

/* Units for durations and rates, in preference order for formatting. */
typedef struct unit_def {
    char c;
    double per_day; /* how many of this unit make one day */
    double days;    /* days in one unit when that is a whole number > 1 (w, y), else 0 */
} unit_def;

/* A year is 365 days (rates per year are meta-analytic figures such as
 * Bass's p = 0.03/y). */
static const unit_def units[] = {{'d', 1.0, 0},         {'h', 24.0, 0},
                                 {'m', 1440.0, 0},      {'s', 86400.0, 0},
                                 {'w', 1.0 / 7.0, 7.0}, {'y', 1.0 / 365.0, 365.0}};
#define N_UNITS (sizeof units / sizeof units[0])

static const unit_def *find_unit(char c)
{
    for (size_t i = 0; i < N_UNITS; i++)
        if (units[i].c == c) return &units[i];
    return NULL;
}

/* Convert x of a unit to days. Weeks and years multiply (exact for
 * integers); the others divide, so "90s" is 90/86400 rather than 90 *
 * (1/86400). */
static double unit_to_days(double x, const unit_def *u)
{
    return u->days > 0 ? x * u->days : x / u->per_day;
}

/* Rate "x per unit" converted to per day. */
static double rate_to_per_day(double x, const unit_def *u)
{
    return u->days > 0 ? x / u->days : x * u->per_day;
}

/* The number >= 0 that starts a duration or rate text, and the text after
 * it and its blanks (NULL if there is no such number); *range as
 * scan_number's. */
static const char *leading_amount(const char *t, double *v, int *range)
{
    size_t n = scan_number(t, v, range);
    if (n == 0 || *v < 0) return NULL;
    const char *rest = t + n;
    while (*rest == ' ')
        rest++;
    return rest;
}

/* The unit of a one-letter text ("d"), NULL for anything else. */
static const unit_def *unit_text(const char *rest)
{
    return (rest[0] && !rest[1]) ? find_unit(rest[0]) : NULL;
}

/* v in a unit converted by `to` (unit_to_days, rate_to_per_day) into *out:
 * NUM_OK or the range failure of the amount or of the result. */
static int convert_amount(double v, int range, const unit_def *u,
                          double (*to)(double, const unit_def *), double *out)
{
    if (range != NUM_OK) return range;
    double r = u ? to(v, u) : v;
    if ((range = num_range(r, v != 0)) != NUM_OK) return range;
    *out = r;
    return NUM_OK;
}

/* A trimmed duration text as days: NUM_OK or why not. */
static int duration_value(const char *t, double *days)
{
    double v = 0;
    int range = NUM_OK;
    const char *rest = leading_amount(t, &v, &range);
    if (!rest) return NUM_SYNTAX;
    if (*rest == '\0' && v == 0 && range == NUM_OK) {
        *days = 0.0;
        return NUM_OK;
    }
    const unit_def *u = unit_text(rest);
    if (!u) return NUM_SYNTAX;
    return convert_amount(v, range, u, unit_to_days, days);
}

/* A trimmed rate text as per day: NUM_OK or why not. */
static int rate_value(const char *t, double *per_day)
{
    double v = 0;
    int range = NUM_OK;
    const char *rest = leading_amount(t, &v, &range);
    if (!rest) return NUM_SYNTAX;
    const unit_def *u = NULL;
    if (*rest == '/') {
        rest++;
        while (*rest == ' ')
            rest++;
        if (!(u = unit_text(rest))) return NUM_SYNTAX;
    } else if (*rest) {
        return NUM_SYNTAX;
    }
    return convert_amount(v, range, u, rate_to_per_day, per_day);
}

int bz_parse_duration(const char *text, double *days, bz_error *err)
{
    char buf[128], eb[ECHO_SIZE];
    int why = duration_value(trim(text ? text : "", buf, sizeof buf), days);
    if (why == NUM_OK) return BZ_OK;
    if (why != NUM_SYNTAX) return range_error(NULL, text, why, err);
    return bz_error_set(err, BZ_EINVAL,
                        "expected a duration >= 0 with a unit (s, m, h, d, w), got '%s'",
                        echo(text, eb, sizeof eb));
}

int bz_parse_rate(const char *text, double *per_day, bz_error *err)
{
    char buf[128], eb[ECHO_SIZE];
    int why = rate_value(trim(text ? text : "", buf, sizeof buf), per_day);
    if (why == NUM_OK) return BZ_OK;
    if (why != NUM_SYNTAX) return range_error(NULL, text, why, err);
    return bz_error_set(
        err, BZ_EINVAL,
        "expected a rate >= 0 per day or per unit (e.g. 0.02, 0.5/h, 3/w, 0.03/y), got '%s'",
        echo(text, eb, sizeof eb));
}

const bz_param *bz_params_find(const bz_param *table, size_t n, const char *name)
{
    if (!table || !name) return NULL;
    for (size_t i = 0; i < n; i++)
        if (table[i].name && strcmp(table[i].name, name) == 0) return &table[i];
    return NULL;
}

const char *bz_ptype_describe(bz_ptype t)
{
    switch (t) {
    case BZ_PT_INT:
        return "integer";
    case BZ_PT_REAL:
        return "number";
    case BZ_PT_PROB:
        return "probability in [0, 1]";
    case BZ_PT_RATE:
        return "rate per day (e.g. 0.5/h)";
    case BZ_PT_DURATION:
        return "duration with a unit (s, m, h, d, w)";
    case BZ_PT_BOOL:
        return "boolean (true/false, yes/no, on/off, 1/0)";
    case BZ_PT_ENUM:
        return "one of a fixed set of names";
    case BZ_PT_STRING:
        return "string";
    case BZ_PT_CITIES:
        return "set of cities (all, {top: N} or a list of city indices)";
    default:
        return "unknown type";
    }
}

/* First "%.*g" precision worth trying for x: enough digits for the integer
 * part, so 100 prints as "100" rather than the equally short "1e+02". */
static int first_prec(double x)
{
    double a = fabs(x);
    if (!(a >= 1) || a >= 1e17) return 1;
    return (int)floor(log10(a)) + 1;
}

/* Shortest "%.*g" text of v that strtod reads back to v exactly. */
static void format_real(double v, char *buf, size_t size)
{
    for (int prec = first_prec(v); prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
    snprintf(buf, size, "%.17g", v);
}

/* Shortest "NUMBERsuffix" text for which `back(text) == v` exactly, trying
 * each unit; returns 0 if none. x is v expressed in the unit. */
static int shortest_with_unit(double v, double x, const char *suffix, int is_rate, char *out,
                              size_t size)
{
    if (!isfinite(x)) return 0;
    for (int prec = first_prec(x); prec <= 17; prec++) {
        char cand[64];
        snprintf(cand, sizeof cand, "%.*g%s", prec, x, suffix);
        double back = 0;
        int rc = is_rate ? bz_parse_rate(cand, &back, NULL) : bz_parse_duration(cand, &back, NULL);
        if (rc == BZ_OK && back == v) {
            snprintf(out, size, "%s", cand);
            return 1;
        }
    }
    return 0;
}

/* Duration (days) as the shortest text that parses back exactly, trying
 * each unit; "%.17gd" always round-trips because days convert by identity.
 * Ties go to the earlier unit in `units` (days first). */
static void format_duration(double days, char *buf, size_t size)
{
    char best[64], cand[64];
    snprintf(best, sizeof best, "%.17gd", days);
    for (size_t i = 0; i < N_UNITS; i++) {
        const unit_def *u = &units[i];
        double x = u->c == 'w' ? days / 7.0 : days * u->per_day;
        char suffix[2] = {u->c, '\0'};
        if (shortest_with_unit(days, x, suffix, 0, cand, sizeof cand) &&
            strlen(cand) < strlen(best))
            snprintf(best, sizeof best, "%s", cand);
    }
    snprintf(buf, size, "%s", best);
}

/* Rate (per day) as a plain number, or "x/unit" when that is shorter and
 * still exact ("0.1/h" rather than "2.4000000000000004"). */
static void format_rate(double per_day, char *buf, size_t size)
{
    char best[64], cand[64];
    format_real(per_day, best, sizeof best);
    for (size_t i = 0; i < N_UNITS; i++) {
        const unit_def *u = &units[i];
        if (u->c == 'd') continue;
        double x = u->c == 'w' ? per_day * 7.0 : per_day / u->per_day;
        char suffix[3] = {'/', u->c, '\0'};
        if (shortest_with_unit(per_day, x, suffix, 1, cand, sizeof cand) &&
            strlen(cand) < strlen(best))
            snprintf(best, sizeof best, "%s", cand);
    }
    snprintf(buf, size, "%s", best);
}

static int has_table_bounds(const bz_param *p)
{
    return !(p->min == 0 && p->max == 0);
}

/* Effective inclusive bounds of a numeric parameter. */
static void bounds_of(const bz_param *p, double *lo, double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    if (p->type == BZ_PT_PROB) {
        *lo = 0;
        *hi = 1;
    } else if (p->type == BZ_PT_RATE || p->type == BZ_PT_DURATION) {
        *lo = 0;
    }
    if (has_table_bounds(p)) {
        if (p->min > *lo) *lo = p->min;
        if (p->max < *hi) *hi = p->max;
    }
}

static void format_bound(const bz_param *p, double v, char *buf, size_t size)
{
    if (p->type == BZ_PT_INT)
        snprintf(buf, size, "%.0f", v);
    else if (p->type == BZ_PT_DURATION)
        format_duration(v, buf, size);
    else
        format_real(v, buf, size);
}

/* "an integer in [1, 1000000]", "a duration >= 1h", ... */
static void describe_expected(const bz_param *p, char *buf, size_t size)
{
    const char *what = "a number";
    switch (p->type) {
    case BZ_PT_INT:
        what = "an integer";
        break;
    case BZ_PT_PROB:
        what = "a probability";
        break;
    case BZ_PT_RATE:
        what = "a rate per day";
        break;
    case BZ_PT_DURATION:
        what = "a duration";
        break;
    default:
        break;
    }
    double lo, hi;
    bounds_of(p, &lo, &hi);
    char a[64], b[64];
    format_bound(p, lo, a, sizeof a);
    format_bound(p, hi, b, sizeof b);
    if (isfinite(lo) && isfinite(hi))
        snprintf(buf, size, "%s in [%s, %s]", what, a, b);
    else if (isfinite(lo))
        snprintf(buf, size, "%s >= %s", what, a);
    else if (isfinite(hi))
        snprintf(buf, size, "%s <= %s", what, b);
    else
        snprintf(buf, size, "%s", what);
}

static int fail_expected(const bz_param *p, const char *text, bz_error *err)
{
    char what[256], eb[ECHO_SIZE];
    describe_expected(p, what, sizeof what);
    return bz_error_set_param(err, BZ_EINVAL, p->name, "expected %s, got '%s'", what,
                              echo(text, eb, sizeof eb));
}

static int parse_bool(const char *t, int *out)
{
    static const char *const yes[] = {"true", "yes", "on",   "1",   "True",
                                      "Yes",  "On",  "TRUE", "YES", "ON"};
    static const char *const no[] = {"false", "no",  "off",   "0",  "False",
                                     "No",    "Off", "FALSE", "NO", "OFF"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(t, yes[i]) == 0) {
            *out = 1;
            return 1;
        }
        if (strcmp(t, no[i]) == 0) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

/* Parse an unsigned 32-bit integer at *s (skipping blanks), advancing *s. */
static int scan_u32(const char **s, uint32_t *out)
{
    const char *p = *s;
    while (*p == ' ')
        p++;
    if (*p < '0' || *p > '9') return 0;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (uint64_t)(*p - '0');
        if (v > UINT32_MAX) return 0;
        p++;
    }
    while (*p == ' ')
        p++;
    *out = (uint32_t)v;
    *s = p;
    return 1;
}

/* "all", "N" (top N), "{top: N}" or "[i, j, ...]" into a cityset. */
static int parse_cities(const char *t, bz_cityset *cs)
{
    memset(cs, 0, sizeof *cs);
    if (strcmp(t, "all") == 0) {
        cs->mode = BZ_CITIES_ALL;
        return 1;
    }
    const char *s = t;
    uint32_t v = 0;
    if (t[0] >= '0' && t[0] <= '9') {
        if (!scan_u32(&s, &v) || *s || v == 0) return 0;
        cs->mode = BZ_CITIES_TOP;
        cs->top = v;
        return 1;
    }
    if (t[0] == '{') {
        s = t + 1;
        while (*s == ' ')
            s++;
        if (strncmp(s, "top", 3) != 0) return 0;
        s += 3;
        while (*s == ' ')
            s++;
        if (*s++ != ':') return 0;
        if (!scan_u32(&s, &v) || *s++ != '}' || *s || v == 0) return 0;
        cs->mode = BZ_CITIES_TOP;
        cs->top = v;
        return 1;
    }
    if (t[0] == '[') {
        s = t + 1;
        cs->mode = BZ_CITIES_LIST;
        while (1) {
            if (cs->n >= BZ_CITYSET_MAX || !scan_u32(&s, &v)) return 0;
            for (uint32_t i = 0; i < cs->n; i++)
                if (cs->ids[i] == v) return 0; /* duplicates are almost surely typos */
            cs->ids[cs->n++] = v;
            if (*s == ',') {
                s++;
                continue;
            }
            if (*s == ']' && s[1] == '\0') return 1;
            return 0;
        }
    }
    return 0;
}

int bz_param_parse(const bz_param *p, const char *text, void *dst, bz_error *err)
{
    char buf[512], eb[ECHO_SIZE];
    if (!p || !dst) return bz_error_set(err, BZ_EINTERNAL, "bz_param_parse: NULL argument");
    if (!text) text = "";
    char *field = (char *)dst + p->offset;
    const char *t = trim(text, buf, sizeof buf);
    if (strlen(text) >= sizeof buf && p->type != BZ_PT_STRING) return fail_expected(p, text, err);
    /* ' 2000' (a quoted YAML string, a --set value) is a string that looks
     * like a number, not a number: refused rather than trimmed. */
    size_t tl = strlen(text);
    if (p->type != BZ_PT_STRING && tl &&
        (strchr(" \t\r\n\v\f", text[0]) || strchr(" \t\r\n\v\f", text[tl - 1]))) {
        char what[256];
        if (p->type <= BZ_PT_DURATION)
            describe_expected(p, what, sizeof what);
        else
            snprintf(what, sizeof what, "a %s", bz_ptype_describe(p->type));
        return bz_error_set_param(err, BZ_EINVAL, p->name,
                                  "expected %s without spaces around it, got '%s'", what,
                                  echo(text, eb, sizeof eb));
    }

    switch (p->type) {
    case BZ_PT_INT: {
        const char *q = t;
        if (*q == '+' || *q == '-') q++;
        if (*q < '0' || *q > '9') return fail_expected(p, text, err);
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q) return fail_expected(p, text, err);
        errno = 0;
        long long v = strtoll(t, NULL, 10);
        double lo, hi;
        bounds_of(p, &lo, &hi);
        if (errno == ERANGE || (double)v < lo || (double)v > hi) return fail_expected(p, text, err);
        int64_t iv = (int64_t)v;
        memcpy(field, &iv, sizeof iv);
        return BZ_OK;
    }
    case BZ_PT_REAL:
    case BZ_PT_PROB:
    case BZ_PT_RATE:
    case BZ_PT_DURATION: {
        double v = 0;
        int why;
        if (p->type == BZ_PT_RATE) {
            why = rate_value(t, &v);
            if (why == NUM_SYNTAX)
                return bz_error_set_param(err, BZ_EINVAL, p->name,
                                          "expected a rate per day or per unit (e.g. 0.02, 0.5/h, "
                                          "3/w), got '%s'",
                                          echo(text, eb, sizeof eb));
        } else if (p->type == BZ_PT_DURATION) {
            why = duration_value(t, &v);
            if (why == NUM_SYNTAX)
                return bz_error_set_param(
                    err, BZ_EINVAL, p->name,
                    "expected a duration with a unit (s, m, h, d, w), got '%s'",
                    echo(text, eb, sizeof eb));
        } else {
            why = parse_real_text(t, &v);
        }
        double lo, hi;
        bounds_of(p, &lo, &hi);
        /* Too large for a double: the bounds say it when there are some. */
        if (why == NUM_UNDERFLOW || (why == NUM_OVERFLOW && !(isfinite(lo) && isfinite(hi))))
            return range_error(p->name, text, why, err);
        if (why != NUM_OK || v < lo || v > hi) return fail_expected(p, text, err);
        memcpy(field, &v, sizeof v);
        return BZ_OK;
    }
    case BZ_PT_BOOL: {
        int b = 0;
        if (!parse_bool(t, &b))
            return bz_error_set_param(err, BZ_EINVAL, p->name,
                                      "expected true or false (or yes/no, on/off, 1/0), got '%s'",
                                      echo(text, eb, sizeof eb));
        memcpy(field, &b, sizeof b);
        return BZ_OK;
    }
    case BZ_PT_ENUM: {
        char list[512];
        size_t used = 0;
        list[0] = '\0';
        for (int i = 0; p->choices && p->choices[i]; i++) {
            if (strcmp(t, p->choices[i]) == 0) {
                memcpy(field, &i, sizeof i);
                return BZ_OK;
            }
            used = bz_text_add(list, sizeof list, used, ", ", "%s", p->choices[i]);
        }
        return bz_error_set_param(err, BZ_EINVAL, p->name, "expected one of (%s), got '%s'", list,
                                  echo(text, eb, sizeof eb));
    }
    case BZ_PT_STRING: {
        size_t len = strlen(text);
        if (len >= BZ_NAME_MAX)
            return bz_error_set_param(err, BZ_EINVAL, p->name,
                                      "expected a string of at most %d characters, got '%s'",
                                      BZ_NAME_MAX - 1, echo(text, eb, sizeof eb));
        memset(field, 0, BZ_NAME_MAX);
        memcpy(field, text, len);
        return BZ_OK;
    }
    case BZ_PT_CITIES: {
        bz_cityset cs;
        if (!parse_cities(t, &cs))
            return bz_error_set_param(err, BZ_EINVAL, p->name,
                                      "expected 'all', {top: N} with N >= 1, or a list of 1 to %d "
                                      "distinct city indices, got '%s'",
                                      BZ_CITYSET_MAX, echo(text, eb, sizeof eb));
        memcpy(field, &cs, sizeof cs);
        return BZ_OK;
    }
    default:
        return bz_error_set_param(err, BZ_EINTERNAL, p->name, "unknown parameter type %d",
                                  (int)p->type);
    }
}

/* Size of the stored field of a parameter type. */
static size_t field_size(bz_ptype t)
{
    switch (t) {
    case BZ_PT_INT:
        return sizeof(int64_t);
    case BZ_PT_REAL:
    case BZ_PT_PROB:
    case BZ_PT_RATE:
    case BZ_PT_DURATION:
        return sizeof(double);
    case BZ_PT_BOOL:
    case BZ_PT_ENUM:
        return sizeof(int);
    case BZ_PT_STRING:
        return BZ_NAME_MAX;
    case BZ_PT_CITIES:
        return sizeof(bz_cityset);
    default:
        return 0;
    }
}

int bz_params_set_defaults(const bz_param *table, size_t n, void *dst, bz_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const bz_param *p = &table[i];
        if (!p->def) {
            memset((char *)dst + p->offset, 0, field_size(p->type));
            continue;
        }
        int status = bz_param_parse(p, p->def, dst, err);
        if (status != BZ_OK) {
            bz_error_prefix(err, "invalid default in parameter table: ");
            return BZ_EINTERNAL;
        }
    }
    return BZ_OK;
}

static void format_cities(const bz_cityset *cs, char *buf, size_t size)
{
    if (cs->mode == BZ_CITIES_TOP) {
        snprintf(buf, size, "{top: %" PRIu32 "}", cs->top);
        return;
    }
    if (cs->mode != BZ_CITIES_LIST) {
        snprintf(buf, size, "all");
        return;
    }
    size_t used = bz_text_add(buf, size, 0, "", "[");
    for (uint32_t i = 0; i < cs->n && i < BZ_CITYSET_MAX; i++)
        used = bz_text_add(buf, size, used, i ? ", " : "", "%" PRIu32, cs->ids[i]);
    bz_text_add(buf, size, used, "", "]");
}

char *bz_param_format(const bz_param *p, const void *src, char *buf, size_t size)
{
    if (!buf || size == 0) return buf;
    buf[0] = '\0';
    if (!p || !src) return buf;
    const char *field = (const char *)src + p->offset;
    double d;
    int i;
    switch (p->type) {
    case BZ_PT_INT: {
        int64_t v;
        memcpy(&v, field, sizeof v);
        snprintf(buf, size, "%" PRId64, v);
        break;
    }
    case BZ_PT_REAL:
    case BZ_PT_PROB:
        memcpy(&d, field, sizeof d);
        format_real(d, buf, size);
        break;
    case BZ_PT_RATE:
        memcpy(&d, field, sizeof d);
        format_rate(d, buf, size);
        break;
    case BZ_PT_DURATION:
        memcpy(&d, field, sizeof d);
        format_duration(d, buf, size);
        break;
    case BZ_PT_BOOL:
        memcpy(&i, field, sizeof i);
        snprintf(buf, size, "%s", i ? "true" : "false");
        break;
    case BZ_PT_ENUM: {
        memcpy(&i, field, sizeof i);
        int n = 0;
        while (p->choices && p->choices[n])
            n++;
        snprintf(buf, size, "%s", (i >= 0 && i < n) ? p->choices[i] : "");
        break;
    }
    case BZ_PT_STRING:
        snprintf(buf, size, "%.*s", BZ_NAME_MAX - 1, field);
        break;
    case BZ_PT_CITIES: {
        bz_cityset cs;
        memcpy(&cs, field, sizeof cs);
        format_cities(&cs, buf, size);
        break;
    }
    default:
        break;
    }
    return buf;
}

int bz_cityset_mark(const bz_cityset *cs, uint32_t n_cities, uint8_t *out, bz_error *err)
{
    memset(out, 0, n_cities);
    switch (cs->mode) {
    case BZ_CITIES_ALL:
        memset(out, 1, n_cities);
        return BZ_OK;
    case BZ_CITIES_TOP:
        for (uint32_t k = 0; k < cs->top && k < n_cities; k++)
            out[k] = 1;
        return BZ_OK;
    default:
        for (uint32_t i = 0; i < cs->n; i++) {
            if (cs->ids[i] >= n_cities)
                return bz_error_set(err, BZ_EINVAL,
                                    "cities: city %u does not exist (population has %u cities)",
                                    cs->ids[i], n_cities);
            out[cs->ids[i]] = 1;
        }
        return BZ_OK;
    }
}

uint32_t bz_cityset_count(const uint8_t *marks, uint32_t n_cities)
{
    uint32_t k = 0;
    for (uint32_t c = 0; c < n_cities; c++)
        k += marks[c] != 0;
    return k;
}

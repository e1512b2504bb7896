/* Parameter tables: durations, rates, bounds, every type, defaults, and the
 * format -> parse round trip that resolved experiments rely on. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bz_test.h"
#include "base/params.h"

typedef struct tp {
    int64_t count;
    double x;
    double prob;
    double rate;
    double at;
    int flag;
    int strategy;
    char label[BZ_NAME_MAX];
    bz_cityset cities;
    double free_real;
    int64_t big;
    double slow;
} tp;

static const char *const strategies[] = {"random", "degree", "pagerank", NULL};

static const bz_param table[] = {
    {"count", BZ_PT_INT, 1, 1000000, "10", "agents", "test int", offsetof(tp, count), NULL},
    {"x", BZ_PT_REAL, -1, 2.5, "0.5", NULL, "test real", offsetof(tp, x), NULL},
    {"prob", BZ_PT_PROB, 0, 1, "0.1", NULL, "test prob", offsetof(tp, prob), NULL},
    {"rate", BZ_PT_RATE, 0, 100, "0.02", "per day", "test rate", offsetof(tp, rate), NULL},
    {"at", BZ_PT_DURATION, 0, 30, "7d", "days", "test duration", offsetof(tp, at), NULL},
    {"flag", BZ_PT_BOOL, 0, 0, "yes", NULL, "test bool", offsetof(tp, flag), NULL},
    {"strategy", BZ_PT_ENUM, 0, 0, "degree", NULL, "test enum", offsetof(tp, strategy), strategies},
    {"label", BZ_PT_STRING, 0, 0, "hello", NULL, "test string", offsetof(tp, label), NULL},
    {"cities", BZ_PT_CITIES, 0, 0, "{top: 3}", NULL, "test cities", offsetof(tp, cities), NULL},
    {"free_real", BZ_PT_REAL, 0, 0, NULL, NULL, "required, unbounded", offsetof(tp, free_real),
     NULL},
    {"big", BZ_PT_INT, 0, 0, "0", NULL, "unbounded int", offsetof(tp, big), NULL},
    {"slow", BZ_PT_RATE, 0, 0, "1/w", NULL, "unbounded rate", offsetof(tp, slow), NULL},
};
#define N_TABLE BZ_PARAMS_COUNT(table)

static const bz_param *P(const char *name)
{
    const bz_param *p = bz_params_find(table, N_TABLE, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

static int close_rel(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1.0, fabs(b));
}

static void test_durations(void)
{
    struct {
        const char *text;
        double days;
    } ok[] = {{"90s", 90.0 / 86400.0},
              {"10m", 10.0 / 1440.0},
              {"1h", 1.0 / 24.0},
              {"7d", 7.0},
              {"2w", 14.0},
              {"0", 0.0},
              {"0.5d", 0.5},
              {"1.5h", 1.5 / 24.0},
              {"3 d", 3.0},
              {"1e1d", 10.0},
              {"0s", 0.0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double d = -1;
        bz_error err;
        CU_ASSERT_EQUAL(bz_parse_duration(ok[i].text, &d, &err), BZ_OK);
        CU_ASSERT(close_rel(d, ok[i].days));
    }
    const char *bad[] = {"7",   "1h30m", "-1d",   "d",   "",     "abc",   "7x",
                         "inf", "nand",  "0x10d", "5dd", "1.d.", "3 days"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double d = 42;
        bz_error err;
        bz_error_clear(&err);
        CU_ASSERT_EQUAL(bz_parse_duration(bad[i], &d, &err), BZ_EINVAL);
        CU_ASSERT_EQUAL(d, 42);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unit"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i]));
    }
    double d;
    CU_ASSERT_EQUAL(bz_parse_duration("nope", &d, NULL), BZ_EINVAL); /* NULL err is allowed */
    /* Out of a double's range: too large, or a nonzero value that underflows
     * (to 0 or a subnormal, also after the unit's conversion). */
    const char *range[] = {"1e400d", "1e-400d", "1e-310d", "1e-305s", "1e308w"};
    for (size_t i = 0; i < sizeof range / sizeof range[0]; i++) {
        bz_error err;
        d = 42;
        CU_ASSERT_EQUAL(bz_parse_duration(range[i], &d, &err), BZ_EINVAL);
        CU_ASSERT_EQUAL(d, 42);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "to be represented"));
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, range[i]));
    }
    CU_ASSERT_EQUAL(bz_parse_duration("0e-400d", &d, NULL), BZ_OK); /* zero is zero */
    CU_ASSERT_EQUAL(d, 0);
}

static void test_rates(void)
{
    struct {
        const char *text;
        double per_day;
    } ok[] = {{"0.02", 0.02},     {"0.5/h", 12.0}, {"3/w", 3.0 / 7.0}, {"1/m", 1440.0},
              {"10/s", 864000.0}, {"2/d", 2.0},    {"0", 0.0},         {"4 / h", 96.0}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double r = -1;
        bz_error err;
        CU_ASSERT_EQUAL(bz_parse_rate(ok[i].text, &r, &err), BZ_OK);
        CU_ASSERT(close_rel(r, ok[i].per_day));
    }
    const char *bad[] = {"-1", "1/x", "/h", "abc", "1/hh", "", "1/", "nan", "2h"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double r = 42;
        bz_error err;
        CU_ASSERT_EQUAL(bz_parse_rate(bad[i], &r, &err), BZ_EINVAL);
        CU_ASSERT_EQUAL(r, 42);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rate"));
    }
}

static void test_int_bounds(void)
{
    tp v;
    bz_error err;
    memset(&v, 0, sizeof v);
    v.count = 77;
    CU_ASSERT_EQUAL(bz_param_parse(P("count"), "5", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.count, 5);
    CU_ASSERT_EQUAL(bz_param_parse(P("count"), "1000000", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.count, 1000000);
    CU_ASSERT_EQUAL(bz_param_parse(P("count"), "1", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.count, 1);

    CU_ASSERT_EQUAL(bz_param_parse(P("count"), "-3", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "count: expected an integer in [1, 1000000], got '-3'");
    CU_ASSERT_EQUAL(v.count, 1); /* unchanged on failure */
    const char *bad[] = {
        "1.5", "abc", "99999999999999999999", "1e3", "", "0", "1000001", "12abc", "0x10",
        "+",   "- 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bz_error_clear(&err);
        CU_ASSERT_EQUAL(bz_param_parse(P("count"), bad[i], &v, &err), BZ_EINVAL);
        CU_ASSERT_EQUAL(err.code, BZ_EINVAL);
        CU_ASSERT_EQUAL(strncmp(err.msg, "count: expected an integer in [1, 1000000], got '",
                                strlen("count: expected an integer in [1, 1000000], got '")),
                        0);
        CU_ASSERT_EQUAL(v.count, 1);
    }
    /* unbounded int: any int64, overflow still rejected */
    CU_ASSERT_EQUAL(bz_param_parse(P("big"), "-9223372036854775808", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.big, INT64_MIN);
    CU_ASSERT_EQUAL(bz_param_parse(P("big"), "9223372036854775808", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "big: expected an integer, got '9223372036854775808'");
}

static void test_real_prob_rate_duration_bounds(void)
{
    tp v;
    bz_error err;
    memset(&v, 0, sizeof v);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "2.5", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.x, 2.5);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "-1", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.x, -1.0);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "2.6", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "x: expected a number in [-1, 2.5], got '2.6'");
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "nan", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "inf", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "1,5", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(v.x, -1.0);

    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "1.5", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "prob: expected a probability in [0, 1], got '1.5'");
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "-0.1", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "1", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.prob, 1.0);
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "0", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.prob, 0.0);

    CU_ASSERT_EQUAL(bz_param_parse(P("rate"), "100", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_param_parse(P("rate"), "4/h", &v, &err), BZ_OK);
    CU_ASSERT(close_rel(v.rate, 96.0));
    CU_ASSERT_EQUAL(bz_param_parse(P("rate"), "5/h", &v, &err), BZ_EINVAL); /* 120 per day */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rate: expected a rate per day in [0, 100]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got '5/h'"));
    CU_ASSERT_EQUAL(bz_param_parse(P("rate"), "fast", &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "0.5/h"));
    CU_ASSERT(close_rel(v.rate, 96.0));

    CU_ASSERT_EQUAL(bz_param_parse(P("at"), "30d", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.at, 30.0);
    CU_ASSERT_EQUAL(bz_param_parse(P("at"), "31d", &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at: expected a duration in [0"));
    CU_ASSERT_EQUAL(bz_param_parse(P("at"), "5w", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_param_parse(P("at"), "7", &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at: expected a duration with a unit"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got '7'"));
    CU_ASSERT_EQUAL(v.at, 30.0);

    /* Underflow is an error like overflow: 1e-400 would be stored as 0. */
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "1e-400", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "prob: '1e-400' is too close to 0 to be represented (it "
                                    "underflows: magnitudes below about 2.2e-308 are not kept); "
                                    "write 0 if you mean zero");
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "-1e-310", &v, &err), BZ_EINVAL); /* subnormal */
    CU_ASSERT_EQUAL(bz_param_parse(P("rate"), "1e-330/h", &v, &err), BZ_EINVAL);
    CU_ASSERT_EQUAL(bz_param_parse(P("x"), "0.000e-999", &v, &err), BZ_OK); /* a zero */
    CU_ASSERT_EQUAL(v.x, 0.0);
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "1e400", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "prob: expected a probability in [0, 1], got '1e400'");
    CU_ASSERT_EQUAL(bz_param_parse(P("prob"), "2.2250738585072014e-308", &v, &err), BZ_OK);

    /* Surrounding spaces (a quoted " 2000") are refused, not trimmed. */
    const char *spaced[] = {" 2", "2 ", "\t2", "2\n"};
    for (size_t i = 0; i < sizeof spaced / sizeof spaced[0]; i++) {
        CU_ASSERT_EQUAL(bz_param_parse(P("x"), spaced[i], &v, &err), BZ_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "x: expected a number in [-1, 2.5] without spaces"));
    }
    CU_ASSERT_EQUAL(bz_param_parse(P("at"), "3 d", &v, &err), BZ_OK); /* inside: allowed */
}

static void test_bool_enum_string(void)
{
    tp v;
    bz_error err;
    memset(&v, 0, sizeof v);
    const char *yes[] = {"true", "yes", "on", "1", "True", "YES"};
    const char *no[] = {"false", "no", "off", "0", "False", "OFF"};
    for (size_t i = 0; i < 6; i++) {
        v.flag = 0;
        CU_ASSERT_EQUAL(bz_param_parse(P("flag"), yes[i], &v, &err), BZ_OK);
        CU_ASSERT_EQUAL(v.flag, 1);
        CU_ASSERT_EQUAL(bz_param_parse(P("flag"), no[i], &v, &err), BZ_OK);
        CU_ASSERT_EQUAL(v.flag, 0);
    }
    CU_ASSERT_EQUAL(bz_param_parse(P("flag"), "maybe", &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "flag: expected true or false"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'maybe'"));

    CU_ASSERT_EQUAL(bz_param_parse(P("strategy"), "pagerank", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.strategy, 2);
    CU_ASSERT_EQUAL(bz_param_parse(P("strategy"), "random", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.strategy, 0);
    CU_ASSERT_EQUAL(bz_param_parse(P("strategy"), "hubs", &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "strategy: expected one of"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "random, degree, pagerank"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "got 'hubs'"));
    CU_ASSERT_EQUAL(v.strategy, 0);

    char s63[64], s64[65];
    memset(s63, 'a', 63);
    s63[63] = '\0';
    memset(s64, 'b', 64);
    s64[64] = '\0';
    CU_ASSERT_EQUAL(bz_param_parse(P("label"), s63, &v, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(v.label, s63);
    CU_ASSERT_EQUAL(bz_param_parse(P("label"), s64, &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at most 63 characters"));
    CU_ASSERT_STRING_EQUAL(v.label, s63);
    CU_ASSERT_EQUAL(bz_param_parse(P("label"), "", &v, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(v.label, "");
}

static void test_cities(void)
{
    tp v;
    bz_error err;
    memset(&v, 0, sizeof v);
    CU_ASSERT_EQUAL(bz_param_parse(P("cities"), "all", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.cities.mode, BZ_CITIES_ALL);
    CU_ASSERT_EQUAL(bz_param_parse(P("cities"), "5", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.cities.mode, BZ_CITIES_TOP);
    CU_ASSERT_EQUAL(v.cities.top, 5);
    CU_ASSERT_EQUAL(bz_param_parse(P("cities"), "{top: 12}", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.cities.mode, BZ_CITIES_TOP);
    CU_ASSERT_EQUAL(v.cities.top, 12);
    CU_ASSERT_EQUAL(bz_param_parse(P("cities"), "[1, 2, 7]", &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.cities.mode, BZ_CITIES_LIST);
    CU_ASSERT_EQUAL(v.cities.n, 3);
    CU_ASSERT_EQUAL(v.cities.ids[2], 7);
    const char *bad[] = {"[1, 1]", "[]",          "{top: 0}", "none", "0",
                         "[1, x]", "{bottom: 3}", "[1, 2",    "-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(bz_param_parse(P("cities"), bad[i], &v, &err), BZ_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cities: expected 'all'"));
    }
    CU_ASSERT_EQUAL(v.cities.n, 3);
    /* more than BZ_CITYSET_MAX entries */
    char big[4096];
    size_t used = (size_t)snprintf(big, sizeof big, "[");
    for (int i = 0; i <= BZ_CITYSET_MAX; i++)
        used += (size_t)snprintf(big + used, sizeof big - used, "%s%d", i ? ", " : "", i);
    snprintf(big + used, sizeof big - used, "]");
    CU_ASSERT_EQUAL(bz_param_parse(P("cities"), big, &v, &err), BZ_EINVAL);
}

static void test_defaults_and_find(void)
{
    tp v;
    bz_error err;
    memset(&v, 0xAB, sizeof v);
    CU_ASSERT_EQUAL(bz_params_set_defaults(table, N_TABLE, &v, &err), BZ_OK);
    CU_ASSERT_EQUAL(v.count, 10);
    CU_ASSERT_EQUAL(v.x, 0.5);
    CU_ASSERT_EQUAL(v.prob, 0.1);
    CU_ASSERT_EQUAL(v.rate, 0.02);
    CU_ASSERT_EQUAL(v.at, 7.0);
    CU_ASSERT_EQUAL(v.flag, 1);
    CU_ASSERT_EQUAL(v.strategy, 1);
    CU_ASSERT_STRING_EQUAL(v.label, "hello");
    CU_ASSERT_EQUAL(v.cities.mode, BZ_CITIES_TOP);
    CU_ASSERT_EQUAL(v.cities.top, 3);
    CU_ASSERT_EQUAL(v.free_real, 0.0); /* required: zeroed */
    CU_ASSERT(close_rel(v.slow, 1.0 / 7.0));

    CU_ASSERT_PTR_EQUAL(bz_params_find(table, N_TABLE, "rate"), &table[3]);
    CU_ASSERT_PTR_NULL(bz_params_find(table, N_TABLE, "nope"));
    CU_ASSERT_PTR_NULL(bz_params_find(NULL, 0, "rate"));

    /* a broken table is reported, not ignored */
    static const bz_param broken[] = {
        {"n", BZ_PT_INT, 1, 5, "9", NULL, "default out of bounds", 0, NULL}};
    int64_t n = 0;
    CU_ASSERT_NOT_EQUAL(bz_params_set_defaults(broken, 1, &n, &err), BZ_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "n: expected an integer in [1, 5], got '9'"));
}

static void test_describe(void)
{
    for (int t = 0; t < BZ_PT__COUNT; t++) {
        const char *d = bz_ptype_describe((bz_ptype)t);
        CU_ASSERT_PTR_NOT_NULL_FATAL(d);
        CU_ASSERT(strlen(d) > 3);
        for (int u = 0; u < t; u++)
            CU_ASSERT_STRING_NOT_EQUAL(d, bz_ptype_describe((bz_ptype)u));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(bz_ptype_describe(BZ_PT_PROB), "[0, 1]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(bz_ptype_describe(BZ_PT_DURATION), "s, m, h, d, w"));
}

/* format(value) must parse back to the bit-identical value. */
static void roundtrip_field(const bz_param *p, const tp *src)
{
    char buf[4096];
    tp back;
    bz_error err;
    memset(&back, 0, sizeof back);
    bz_param_format(p, src, buf, sizeof buf);
    int rc = bz_param_parse(p, buf, &back, &err);
    CU_ASSERT_EQUAL(rc, BZ_OK);
    if (rc != BZ_OK) fprintf(stderr, "\nround trip of %s failed: %s\n", p->name, err.msg);
    size_t size = p->type == BZ_PT_CITIES                            ? sizeof(bz_cityset)
                  : p->type == BZ_PT_STRING                          ? BZ_NAME_MAX
                  : (p->type == BZ_PT_BOOL || p->type == BZ_PT_ENUM) ? sizeof(int)
                                                                     : 8;
    int same = memcmp((const char *)src + p->offset, (const char *)&back + p->offset, size) == 0;
    CU_ASSERT(same);
    if (!same) fprintf(stderr, "\nround trip of %s changed the value (text '%s')\n", p->name, buf);
}

static uint64_t next_u64(uint64_t *s) /* splitmix64: deterministic test values */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_format_roundtrip(void)
{
    tp v;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_params_set_defaults(table, N_TABLE, &v, &err), BZ_OK);
    for (size_t i = 0; i < N_TABLE; i++)
        roundtrip_field(&table[i], &v);

    /* Readable forms the documentation promises. */
    char buf[256];
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("at"), &v, buf, sizeof buf), "7d");
    v.at = 1.0 / 24.0;
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("at"), &v, buf, sizeof buf), "1h");
    v.at = 10.0 / 1440.0;
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("at"), &v, buf, sizeof buf), "10m");
    v.rate = 12.0;
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("rate"), &v, buf, sizeof buf), "12");
    v.prob = 0.1;
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("prob"), &v, buf, sizeof buf), "0.1");
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("cities"), &v, buf, sizeof buf), "{top: 3}");
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("strategy"), &v, buf, sizeof buf), "degree");
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("flag"), &v, buf, sizeof buf), "true");
    v.count = 123456;
    CU_ASSERT_STRING_EQUAL(bz_param_format(P("count"), &v, buf, sizeof buf), "123456");

    /* Awkward doubles: thirds, tiny, huge, from unit conversions. */
    const double reals[] = {1.0 / 3.0,  1e-300,         123456.789, 0.1 + 0.2, 2.0 / 3.0 * 1e-7,
                            1.0 / 24.0, 90.0 / 86400.0, 3.0 / 7.0,  0.0};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        v.free_real = reals[i];
        v.at = fmin(reals[i], 30.0);
        v.rate = fmin(reals[i], 100.0);
        v.slow = reals[i];
        roundtrip_field(P("free_real"), &v);
        roundtrip_field(P("at"), &v);
        roundtrip_field(P("rate"), &v);
        roundtrip_field(P("slow"), &v);
    }
    /* Many pseudo-random values over wide ranges. */
    uint64_t s = 2013;
    for (int i = 0; i < 2000; i++) {
        double u = (double)(next_u64(&s) >> 11) / 9007199254740992.0; /* [0, 1) */
        double e = (double)(next_u64(&s) % 40) - 20;
        v.free_real = u * pow(10, e);
        v.slow = v.free_real;
        v.at = u * 30.0;
        v.rate = u * 100.0;
        v.prob = u;
        v.x = -1 + 3.5 * u > 2.5 ? 2.5 : -1 + 3.5 * u;
        v.big = (int64_t)next_u64(&s);
        roundtrip_field(P("free_real"), &v);
        roundtrip_field(P("slow"), &v);
        roundtrip_field(P("at"), &v);
        roundtrip_field(P("rate"), &v);
        roundtrip_field(P("prob"), &v);
        roundtrip_field(P("x"), &v);
        roundtrip_field(P("big"), &v);
    }
    /* City lists and strings. */
    v.cities.mode = BZ_CITIES_LIST;
    v.cities.n = 4;
    v.cities.top = 0;
    v.cities.ids[0] = 9;
    v.cities.ids[1] = 0;
    v.cities.ids[2] = 4294967295u;
    v.cities.ids[3] = 17;
    memset(v.cities.ids + 4, 0, sizeof v.cities.ids - 4 * sizeof v.cities.ids[0]);
    roundtrip_field(P("cities"), &v);
    memset(v.label, 0, sizeof v.label);
    snprintf(v.label, sizeof v.label, "a b: c # d");
    roundtrip_field(P("label"), &v);
}

static void test_messages_one_line(void)
{
    tp v;
    bz_error err;
    char text[3000];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    text[5] = '\n';
    CU_ASSERT_EQUAL(bz_param_parse(P("count"), text, &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
    CU_ASSERT(strlen(err.msg) < 300);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "..."));
    CU_ASSERT_EQUAL(bz_param_parse(P("label"), text, &v, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NULL(strchr(err.msg, '\n'));
}

/* bz_error_quote: binary bytes as \xNN, UTF-8 kept, cut with "...". */
static void test_quote(void)
{
    char buf[64];
    CU_ASSERT_STRING_EQUAL(bz_error_quote("a\x01\x1b[2J\tb\n", 9, 40, buf, sizeof buf),
                           "a\\x01\\x1b[2J\\tb\\n");
    CU_ASSERT_STRING_EQUAL(bz_error_quote("caf\xc3\xa9 \xff\xc3", 8, 40, buf, sizeof buf),
                           "caf\xc3\xa9 \\xff\\xc3");
    CU_ASSERT_STRING_EQUAL(bz_error_quote("\xc2\x9b"
                                          "1m",
                                          4, 40, buf, sizeof buf), /* C1 CSI */
                           "\\xc2\\x9b1m");
    CU_ASSERT_STRING_EQUAL(bz_error_quote("0123456789", 10, 4, buf, sizeof buf), "0123...");
    CU_ASSERT_STRING_EQUAL(bz_error_quote(NULL, 3, 4, buf, sizeof buf), "");
    char zeros[100] = {0};
    bz_error_quote(zeros, sizeof zeros, 40, buf, sizeof buf); /* buf too small: cut early */
    CU_ASSERT(strlen(buf) < sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\\x00..."));
}

static CU_TestInfo tests[] = {
    {"quoting of untrusted text", test_quote},
    {"durations", test_durations},
    {"rates", test_rates},
    {"int bounds", test_int_bounds},
    {"real, prob, rate, duration bounds", test_real_prob_rate_duration_bounds},
    {"bool, enum, string", test_bool_enum_string},
    {"cities", test_cities},
    {"defaults and find", test_defaults_and_find},
    {"describe", test_describe},
    {"format/parse round trip", test_format_roundtrip},
    {"messages stay one line", test_messages_one_line},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("params", tests);
}

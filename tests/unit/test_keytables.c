/* The generated key tables of docs/config.md and docs/cluster.md
 * (config/tables.h, sweep/sweep.h): the type column in words, one row per
 * key of every section, unknown names refused, '|' escaped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "config/convert.h"
#include "config/tables.h"
#include "sweep/sweep.h"

static void expect_type(bz_ptype t, double min, double max, const char *unit,
                        const char *const *choices, const char *want)
{
    const bz_param p = {"x", t, min, max, "0", unit, "a key", 0, choices};
    char got[200];
    bz_config_param_type(&p, got, sizeof got);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want)) fprintf(stderr, "  got '%s', expected '%s'\n", got, want);
}

static void test_types(void)
{
    static const char *const abc[] = {"a", "b", "c", NULL};
    expect_type(BZ_PT_INT, 1, 100000, NULL, NULL, "integer in [1, 100000]");
    expect_type(BZ_PT_INT, 0, INFINITY, NULL, NULL, "integer ≥ 0");
    expect_type(BZ_PT_INT, 0, 4294967294.0, "agents", NULL, "integer in [0, 4294967294] (agents)");
    expect_type(BZ_PT_INT, 1, 1e8, NULL, NULL, "integer in [1, 1e8]");
    expect_type(BZ_PT_REAL, 0, 0, NULL, NULL, "number");
    expect_type(BZ_PT_REAL, 0, 1e15, "currency", NULL, "number in [0, 1e15] (currency)");
    expect_type(BZ_PT_REAL, -INFINITY, 0.5, NULL, NULL, "number ≤ 0.5");
    expect_type(BZ_PT_PROB, 0, 1, "probability", NULL, "probability");
    expect_type(BZ_PT_PROB, 0.1, 1, NULL, NULL, "probability ≥ 0.1");
    expect_type(BZ_PT_RATE, 0, INFINITY, "per day", NULL, "rate");
    expect_type(BZ_PT_RATE, 0, 1e9, "posts per day", NULL, "rate ≤ 1e9 per day (posts per day)");
    expect_type(BZ_PT_DURATION, 0, 1e7, "days", NULL, "duration ≤ 1e7d");
    expect_type(BZ_PT_DURATION, 1, 7, "days", NULL, "duration in [1, 7]d");
    expect_type(BZ_PT_BOOL, 0, 0, NULL, NULL, "boolean");
    expect_type(BZ_PT_ENUM, 0, 0, NULL, abc, "one of `a`, `b`, `c`");
    expect_type(BZ_PT_STRING, 0, 0, NULL, NULL, "string");
    expect_type(BZ_PT_CITIES, 0, 0, "cities", NULL, "city set (cities)");
}

/* A row "| `key` |" of every key in text. */
static void expect_row(const char *table, const char *text, const char *key)
{
    char row[120];
    snprintf(row, sizeof row, "\n| `%s` |", key);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, row));
    if (!strstr(text, row)) fprintf(stderr, "  table %s has no row for '%s'\n", table, key);
}

static size_t count_rows(const char *text)
{
    size_t n = 0;
    for (const char *p = strstr(text, "\n| `"); p; p = strstr(p + 1, "\n| `"))
        n++;
    return n;
}

static void test_experiment_tables(void)
{
    bz_error err;
    bz_error_clear(&err);
    size_t n = 0;
    for (; bz_config_table_names[n]; n++) {
        const char *name = bz_config_table_names[n];
        char *text = NULL;
        CU_ASSERT_EQUAL_FATAL(bz_config_key_table(name, &text, &err), BZ_OK);
        CU_ASSERT(strncmp(text, "| key | type | default | meaning |\n|---|---|---|---|\n", 52) ==
                  0);
        const bz_cfg_keys *s = bz_cfg_find_section(strcmp(name, "top") ? name : "");
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        size_t keys = 0;
        for (size_t i = 0; i < s->n_params; i++, keys++)
            expect_row(name, text, s->params[i].name);
        for (size_t i = 0; s->extra && s->extra[i]; i++) {
            expect_row(name, text, s->extra[i]);
            keys += bz_params_find(s->params, s->n_params, s->extra[i]) == NULL;
        }
        CU_ASSERT_EQUAL(count_rows(text), keys);
        free(text);
    }
    CU_ASSERT(n >= 8);
    char *text = (char *)"unchanged";
    CU_ASSERT_EQUAL(bz_config_key_table("diffusion.nope", &text, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NULL(text);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no key table named 'diffusion.nope' (known: top, "));
}

static void test_sweep_tables(void)
{
    bz_error err;
    bz_error_clear(&err);
    char name[160];
    const char *want[] = {"top", "axes[]", "design", "output"};
    size_t n = 0;
    for (; bz_sweep_table_name(n, name, sizeof name); n++) {
        if (n < 4) CU_ASSERT_STRING_EQUAL(name, want[n]);
        char *text = NULL;
        CU_ASSERT_EQUAL_FATAL(bz_sweep_key_table(name, &text, &err), BZ_OK);
        CU_ASSERT(count_rows(text) >= 1);
        free(text);
    }
    CU_ASSERT_EQUAL(n, 4);
    char *text = NULL;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_key_table("top", &text, &err), BZ_OK);
    for (const bz_sweep_key *k = bz_sweep_keys; k->param.name; k++)
        expect_row("top", text, k->param.name);
    /* Placeholder defaults are not shown, required keys say so. */
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `replicates` | integer in [1, 100000] |  |"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `axes` | list of 1 or more mappings | required |"));
    free(text);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_key_table("axes[]", &text, &err), BZ_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(exactly one of `values`, `range`, `dist`)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "(with `range`)"));
    free(text);
    CU_ASSERT_EQUAL(bz_sweep_key_table("axes", &text, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NULL(text);
}

static void test_escaped(void)
{
    const bz_param p = {"k", BZ_PT_STRING, 0, 0, "a|b", NULL, "x | y", 0, NULL};
    bz_md_table t;
    bz_error err;
    char *text = NULL;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(bz_md_table_begin(&t, &err), BZ_OK);
    bz_md_table_param(&t, &p, 1, "(z)");
    bz_md_table_row(&t, "r", "mapping", "", 0, "m");
    bz_md_table_row(&t, "q", "mapping", NULL, 1, "n");
    CU_ASSERT_EQUAL_FATAL(bz_md_table_end(&t, "a test table", &text, &err), BZ_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `k` | string | `a\\|b` | x \\| y (z) |\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `r` | mapping | `\"\"` | m |\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "| `q` | mapping | required | n |\n"));
    bz_md_table_discard(&t);
    free(text);
}

static CU_TestInfo tests[] = {
    {"type column in words", test_types},
    {"experiment tables: a row per key", test_experiment_tables},
    {"sweep tables: a row per key", test_sweep_tables},
    {"cells escaped, defaults", test_escaped},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("keytables", tests);
}

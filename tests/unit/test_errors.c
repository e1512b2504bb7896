/* bz_error as fields: the parameter a check failure names (err.param) and
 * where the config loader puts it, and out-of-memory messages that say what
 * was being allocated and how many bytes. */
#include <math.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bz_test.h"
#include "base/params.h"
#include "base/population.h"
#include "config/experiment.h"
#include "engine/campaign.h"
#include "engine/results.h"
#include "graph/graph.h"

/* Under ASan a failed malloc must return NULL, as it does without. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

static const char CFG[] = "name: errs\n"
                          "seed: 1\n"
                          "time: { step: 1h, horizon: 30d }\n"
                          "replicates: 1\n"
                          "population: { agents: 500, cities: 2 }\n"
                          "network:\n"
                          "  layers:\n"
                          "    - name: mixing\n"
                          "      share: 0.5/h\n"
                          "      generator: { model: well_mixed }\n"
                          "diffusion: { model: bass, p: 0.01, response: 0.1 }\n"
                          "arms:\n"
                          "  ads:\n"
                          "    - campaign: advertising\n"
                          "      reach: 0.5/h\n"
                          "      at: 40d\n"
                          "output: { file: out/errs.h5 }\n";

/* 1-based "line:col" of the first `needle` in text. */
static void pos_of(const char *text, const char *needle, char *buf, size_t size)
{
    const char *at = strstr(text, needle);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    int line = 1, col = 1;
    for (const char *p = text; p < at; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(buf, size, "%d:%d", line, col);
}

static void test_set_param_and_clear(void)
{
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_STRING_EQUAL(err.param, "");
    CU_ASSERT_EQUAL(bz_error_set_param(&err, BZ_EINVAL, "at", "%d days is late", 40), BZ_EINVAL);
    CU_ASSERT_EQUAL(err.code, BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.msg, "at: 40 days is late");
    CU_ASSERT_STRING_EQUAL(err.param, "at");
    bz_error_prefix(&err, "arm 'x': ");
    CU_ASSERT_STRING_EQUAL(err.msg, "arm 'x': at: 40 days is late");
    CU_ASSERT_STRING_EQUAL(err.param, "at"); /* a prefix keeps it */
    bz_error_set(&err, BZ_EIO, "cannot write");
    CU_ASSERT_STRING_EQUAL(err.param, ""); /* any other setter empties it */
    bz_error_set_param(&err, BZ_EINVAL, "at", "late");
    bz_error_clear(&err);
    CU_ASSERT_EQUAL(err.code, BZ_OK);
    CU_ASSERT_STRING_EQUAL(err.msg, "");
    CU_ASSERT_STRING_EQUAL(err.param, "");
    bz_error_set_param(&err, BZ_EINVAL, NULL, "no parameter");
    CU_ASSERT_STRING_EQUAL(err.msg, "no parameter");
    CU_ASSERT_STRING_EQUAL(err.param, "");
    CU_ASSERT_EQUAL(bz_error_set_param(NULL, BZ_EINVAL, "at", "x"), BZ_EINVAL);
}

/* The parameter layer and a model's check name the failing parameter. */
static void test_checks_set_param(void)
{
    bz_error err;
    bz_error_clear(&err);
    static const bz_param t[] = {
        {"share", BZ_PT_PROB, 0, 1, "0.5", NULL, "test", 0, NULL},
    };
    double v = 0;
    CU_ASSERT_EQUAL(bz_param_parse(&t[0], "2", &v, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.param, "share");
    CU_ASSERT_EQUAL(strncmp(err.msg, "share: expected ", 16), 0);

    bz_dist d = {BZ_DIST_NORMAL, {NAN, 1.0}};
    CU_ASSERT_EQUAL(bz_dist_check(&d, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.param, "mean");
    CU_ASSERT_STRING_EQUAL(err.msg, "mean: expected a finite number, got nan");

    const bz_campaign_type *ad = bz_campaign_find("advertising");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ad);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ad->check);
    bz_experiment x;
    bz_error_clear(&err);
    char *text = strdup(CFG);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    strstr(text, "at: 40d")[4] = '1'; /* at: 10d, a valid experiment */
    CU_ASSERT_EQUAL_FATAL(bz_experiment_load_string(&x, text, "t.yaml", NULL, 0, &err), BZ_OK);
    const bz_campaign_spec *s = &x.arms[0].campaigns[0];
    x.horizon = 5; /* now 10d is after the horizon */
    CU_ASSERT_EQUAL(ad->check(s->params, &x, &err), BZ_EINVAL);
    CU_ASSERT_STRING_EQUAL(err.param, "at");
    CU_ASSERT_STRING_EQUAL(err.msg, "at: 10 days is not before the horizon (5 days)");
    bz_experiment_destroy(&x);
    free(text);
}

/* The loader puts a check failure at the line:col of the key's value and
 * drops the "NAME: " its path already says. */
static void test_loader_places_param(void)
{
    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL(bz_experiment_load_string(&x, CFG, "t.yaml", NULL, 0, &err), BZ_EINVAL);
    char pos[32], want[256];
    pos_of(CFG, "40d", pos, sizeof pos);
    snprintf(want, sizeof want,
             "t.yaml:%s: arms.ads.0.at: 40 days is not before the horizon (30 days)", pos);
    CU_ASSERT_STRING_EQUAL(err.msg, want);
    if (strcmp(err.msg, want) != 0) fprintf(stderr, "\n  want %s\n  got  %s\n", want, err.msg);
}

static void test_oom_format(void)
{
    bz_error err;
    bz_error_clear(&err);
    CU_ASSERT_EQUAL(bz_error_oom(&err, NULL, 32000, "%d edge ids", 4000), BZ_ENOMEM);
    CU_ASSERT_EQUAL(err.code, BZ_ENOMEM);
    CU_ASSERT_STRING_EQUAL(err.msg, "out of memory for 4000 edge ids (31.2 KiB, 32000 bytes)");
    bz_error_oom(&err, NULL, 1258291, "the series of %d arms", 3);
    CU_ASSERT_STRING_EQUAL(err.msg,
                           "out of memory for the series of 3 arms (1.2 MiB, 1258291 bytes)");
    bz_error_oom(&err, "influence", 1000, "RR sets");
    CU_ASSERT_STRING_EQUAL(err.msg, "influence: out of memory for RR sets (1000 bytes)");
    CU_ASSERT_STRING_EQUAL(err.param, "");
    bz_error_oom(&err, NULL, 1023ull << 30, "x");
    CU_ASSERT_STRING_EQUAL(err.msg, "out of memory for x (1023.0 GiB, 1098437885952 bytes)");
    bz_error_oom(&err, NULL, (1ull << 40) - 1, "x");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "(1.0 TiB, 1099511627775 bytes)"));
    CU_ASSERT_EQUAL(bz_error_bytes(SIZE_MAX / 2, 3), SIZE_MAX);
    CU_ASSERT_EQUAL(bz_error_bytes(7, 3), 21);
    CU_ASSERT_EQUAL(bz_error_oom(NULL, NULL, 1, "x"), BZ_ENOMEM);
}

/* rc is BZ_ENOMEM and the message "... out of memory for WHAT (N bytes)"
 * names `what`. */
static void expect_oom(int rc, const bz_error *err, const char *what)
{
    regex_t re;
    CU_ASSERT_EQUAL_FATAL(regcomp(&re,
                                  "out of memory for .+ \\(([0-9]+\\.[0-9] [KMGTPE]iB, )?[0-9]+ "
                                  "bytes\\)$",
                                  REG_EXTENDED | REG_NOSUB),
                          0);
    CU_ASSERT_EQUAL(rc, BZ_ENOMEM);
    CU_ASSERT_EQUAL(err->code, BZ_ENOMEM);
    int ok = regexec(&re, err->msg, 0, NULL, 0) == 0 && strstr(err->msg, what) != NULL;
    CU_ASSERT(ok);
    if (!ok) fprintf(stderr, "\n  want: ...%s... (N bytes)\n  got:  %s\n", what, err->msg);
    regfree(&re);
}

/* Allocation failures made certain: the address space capped just above
 * its current size, then requests of gigabytes. */
static void test_oom_forced(void)
{
    bz_error err;
    bz_error_clear(&err);

    bz_network net;
    expect_oom(bz_network_init(&net, 10, (size_t)1 << 40, &err), &err, "1099511627776 layers");

    struct rlimit old;
    CU_ASSERT_EQUAL_FATAL(bz_test_cap_memory(&old), 0);

    bz_population pop;
    int rc_pop = bz_population_init(&pop, 100000000u, 4, 0.5, 1, &err);
    bz_error e_pop = err;
    bz_results res;
    int rc_res = bz_results_init(&res, 1000, 1000000, 4, 4, 1, 0, &err);
    bz_error e_res = err;
    setrlimit(RLIMIT_AS, &old);

    expect_oom(rc_pop, &e_pop, "a population of 100000000 agents");
    CU_ASSERT_PTR_NOT_NULL(strstr(e_pop.msg, "GiB, 2400000"));
    expect_oom(rc_res, &e_res, "the series of 1000 replicates x 1000000 times");
    if (rc_pop == BZ_OK) bz_population_destroy(&pop);
}

static CU_TestInfo tests[] = {
    {"out-of-memory messages: what and bytes", test_oom_format},
    {"forced allocation failures name their bytes", test_oom_forced},
    {"set_param, prefix, set and clear", test_set_param_and_clear},
    {"checks name the failing parameter", test_checks_set_param},
    {"the loader places a check failure at its key", test_loader_places_param},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("errors", tests);
}

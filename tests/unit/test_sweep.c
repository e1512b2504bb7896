/* Sweeps: sweep file parsing and its error messages, the point -> --set
 * mapping, tiny sweeps run in-process (against bz_run_experiment called
 * directly), shards, the stop flag, the sweep file round trip, resume, and
 * Sobol indices wired from outcome columns.
 *
 * Uses the registered models erdos_renyi (network) and bass (diffusion). */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bz_test.h"
#include "engine/run.h"
#include "sweep/data.h"
#include "sweep/h5_sweep.h"
#include "sweep/journal.h"
#include "sweep/sweep.h"

/* A tiny base experiment, inline, after the sweep's own keys. */
static const char HEAD[] = "name: t\n"
                           "replicates: 2\n";
static const char BASE[] = "base:\n"
                           "  name: tiny\n"
                           "  seed: 5\n"
                           "  time: { step: 1d, horizon: 6d }\n"
                           "  replicates: 3\n"
                           "  population: { agents: 150, cities: 2 }\n"
                           "  network:\n"
                           "    layers:\n"
                           "      - { name: f, directed: false,\n"
                           "          generator: { model: erdos_renyi, mean_degree: 4 } }\n"
                           "  diffusion: { model: bass, p: 0.02, q: 0.3 }\n"
                           "  arms:\n"
                           "    baseline: []\n";
static const char AXES[] = "axes:\n"
                           "  - { key: diffusion.q, values: [0.1, 0.5] }\n"
                           "  - { key: diffusion.p, values: [0.01, 0.02, 0.04] }\n";

static char *cat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* 1-based line and column of needle in text, computed from the text. */
static void pos_of(const char *text, const char *needle, int *line, int *col)
{
    const char *at = strstr(text, needle);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    *line = 1;
    const char *bol = text;
    for (const char *p = text; p < at; p++)
        if (*p == '\n') (*line)++, bol = p + 1;
    *col = (int)(at - bol) + 1;
}

/* Loading (and checking every point of) text fails with a message that
 * starts "t.yaml:L:C: what" where L:C is the position of `at` in text. */
static void expect_error(const char *text, const char *at, const char *what)
{
    bz_sweep sw;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_sweep_load_string(&sw, text, "t.yaml", &err);
    if (st == BZ_OK) {
        st = bz_sweep_check_points(&sw, &err);
        bz_sweep_destroy(&sw);
    }
    CU_ASSERT_EQUAL(st, BZ_EINVAL);
    int line, col;
    pos_of(text, at, &line, &col);
    char want[512];
    snprintf(want, sizeof want, "t.yaml:%d:%d: %s", line, col, what);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fprintf(stderr, "\n  got:  %s\n  want: %s...\n", err.msg, want);
    CU_ASSERT_EQUAL(strncmp(err.msg, want, strlen(want)), 0);
}

static void load_ok(bz_sweep *sw, const char *text)
{
    bz_error err;
    bz_error_clear(&err);
    int st = bz_sweep_load_string(sw, text, "t.yaml", &err);
    if (st != BZ_OK) fprintf(stderr, "\n  %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(st, BZ_OK);
}

/* ------------------------------------------------------------------ tests */

static void test_grid_sets(void)
{
    char *text = cat3(HEAD, BASE, AXES);
    bz_sweep sw;
    load_ok(&sw, text);
    CU_ASSERT_EQUAL(bz_sweep_points(&sw), 6);
    CU_ASSERT_EQUAL(sw.replicates, 2); /* the sweep's, not the base's 3 */
    CU_ASSERT_EQUAL(sw.seed, 5);       /* the base's: the sweep gives none */
    CU_ASSERT_EQUAL(sw.n_out, BZ_N_OUTCOMES);
    CU_ASSERT_STRING_EQUAL(sw.out_names[0], "final_adopters"); /* one arm: bare names */
    char sets[4][BZ_SWEEP_SET_MAX];
    bz_error err;
    CU_ASSERT_EQUAL(bz_sweep_n_sets(&sw), 4);
    /* Grid: the last axis varies fastest. */
    CU_ASSERT_EQUAL_FATAL(bz_sweep_point_sets(&sw, 4, sets, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(sets[0], "diffusion.q=0.5");
    CU_ASSERT_STRING_EQUAL(sets[1], "diffusion.p=0.02");
    CU_ASSERT_STRING_EQUAL(sets[2], "seed=5");
    CU_ASSERT_STRING_EQUAL(sets[3], "replicates=2");
    CU_ASSERT_EQUAL(bz_sweep_point_sets(&sw, 6, sets, &err), BZ_EINVAL);
    /* A point is the base loaded with those sets. */
    bz_experiment x;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_load_point(&sw, 4, &x, &err), BZ_OK);
    CU_ASSERT_EQUAL(x.replicates, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x.resolved_yaml, "q: 0.5"));
    bz_experiment_destroy(&x);
    CU_ASSERT_EQUAL(bz_sweep_check_points(&sw, &err), BZ_OK);
    bz_sweep_destroy(&sw);
    free(text);
}

static void test_tie_and_id(void)
{
    char *text = cat3(HEAD, BASE,
                      "axes:\n"
                      "  - { key: diffusion.q, values: [0.1, 0.5], tie: t }\n"
                      "  - { key: diffusion.p, values: [0.01, 0.03], tie: t }\n"
                      "seed: 9\n"
                      "outcomes: [peak_time, final_adopters]\n");
    bz_sweep a, b, c;
    load_ok(&a, text);
    CU_ASSERT_EQUAL(bz_sweep_points(&a), 2); /* tied: one dimension */
    CU_ASSERT_EQUAL(a.design.n_dims, 1);
    CU_ASSERT_STRING_EQUAL(a.dim_names[0], "t");
    CU_ASSERT_EQUAL(a.seed, 9);
    CU_ASSERT_EQUAL(a.n_out, 2);
    CU_ASSERT_STRING_EQUAL(a.out_names[0], "peak_time");
    char sets[4][BZ_SWEEP_SET_MAX];
    bz_error err;
    CU_ASSERT_EQUAL(bz_sweep_point_sets(&a, 1, sets, &err), BZ_OK);
    CU_ASSERT_STRING_EQUAL(sets[0], "diffusion.q=0.5");
    CU_ASSERT_STRING_EQUAL(sets[1], "diffusion.p=0.03");
    /* The id ignores comments and formatting, not the seed. */
    char *commented = cat3("# a comment\n", text, "");
    load_ok(&b, commented);
    CU_ASSERT_STRING_EQUAL(a.id, b.id);
    char *reseeded = strdup(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(reseeded);
    *strstr(reseeded, "seed: 9") = '#';
    load_ok(&c, reseeded);
    CU_ASSERT_STRING_NOT_EQUAL(a.id, c.id);
    bz_sweep_destroy(&a);
    bz_sweep_destroy(&b);
    bz_sweep_destroy(&c);
    free(text);
    free(commented);
    free(reseeded);
}

static void test_errors(void)
{
    char *t;
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.qq, values: [1] }\n");
    expect_error(t, "{ key: diffusion.qq", "diffusion.qq: unknown key");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, range: [3, 1], levels: 2 }\n");
    expect_error(t, "[3, 1]", "diffusion.q: empty range");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, values: [] }\n");
    expect_error(t, "[] }", "diffusion.q: expected a non-empty list");
    free(t);
    /* The second value is out of [0, 1]: found by loading point 1. */
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.response, values: [0.5, 2] }\n");
    expect_error(t, "{ key: diffusion.response", "diffusion.response: expected a probability");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, values: [1] }\nreplicate: 2\n");
    expect_error(t, "replicate:", "replicate: unknown key");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, range: [1, 2] }\n");
    expect_error(t, "[1, 2]", "diffusion.q: a range on a grid design needs 'levels'");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, values: [1] }\ndesign: { kind: cube }\n");
    expect_error(t, "cube", "design.kind: expected grid, lhs or sobol");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, values: [1] }\ndesign: { kind: lhs }\n");
    expect_error(t, "{ kind: lhs", "design: an lhs or sobol design needs 'samples'");
    free(t);
    t = cat3(
        HEAD, BASE,
        "axes:\n  - { key: diffusion.q, values: [1] }\n  - { key: diffusion.q, values: [2] }\n");
    expect_error(t, "diffusion.q, values: [2]", "axes.1.key: axis 'diffusion.q' is given twice");
    free(t);
    t = cat3(HEAD, BASE, "axes:\n  - { key: diffusion.q, values: [1] }\noutcomes: [sales]\n");
    expect_error(t, "sales",
                 "outcomes.0: expected an outcome (final_adopters, purchases, gifted, peak_time");
    free(t);
    t = cat3(HEAD, BASE, "axes: [ ]\n");
    expect_error(t, "[ ]", "axes: expected a non-empty list of axes");
    free(t);
    /* An error inside the inline base carries the sweep file's position. */
    char *b = strdup(BASE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    memcpy(strstr(b, "q: 0.3"), "q: abc", 6);
    t = cat3(HEAD, b, AXES);
    expect_error(t, "abc", "diffusion.q: expected a rate");
    free(t);
    free(b);
    /* A missing base file. */
    bz_sweep sw;
    bz_error err;
    CU_ASSERT_EQUAL(bz_sweep_load_string(&sw,
                                         "base: /nonexistent/x.yaml\naxes:\n  - { key: a, "
                                         "values: [1] }\n",
                                         "t.yaml", &err),
                    BZ_ENOENT);
}

/* Run a point by hand: base + sets through bz_run_experiment. */
static void expected_point(const bz_sweep *sw, size_t p, double *outc, double *series)
{
    char sets[8][BZ_SWEEP_SET_MAX];
    const char *setp[8];
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_point_sets(sw, p, sets, &err), BZ_OK);
    for (size_t i = 0; i < bz_sweep_n_sets(sw); i++)
        setp[i] = sets[i];
    bz_experiment x;
    bz_results res;
    CU_ASSERT_EQUAL_FATAL(
        bz_experiment_load_string(&x, sw->base_text, "b", setp, bz_sweep_n_sets(sw), &err), BZ_OK);
    bz_run_opts opts = {NULL, NULL, 0, 0};
    CU_ASSERT_EQUAL_FATAL(bz_run_experiment(&x, &opts, &res, &err), BZ_OK);
    for (uint32_t r = 0; r < res.R; r++) {
        outc[r * 2 + 0] = res.arms[0].outcomes[r].v[BZ_OUT_FINAL_ADOPTERS];
        outc[r * 2 + 1] = res.arms[0].outcomes[r].v[BZ_OUT_PEAK_TIME];
    }
    for (uint32_t t = 0; t < res.T; t++) {
        double s = 0;
        for (uint32_t r = 0; r < res.R; r++)
            s += (double)res.arms[0].series[BZ_SER_ADOPTERS][r * res.T + t];
        series[t] = s / res.R;
    }
    bz_results_destroy(&res);
    bz_experiment_destroy(&x);
}

static void test_run_point(void)
{
    char *text = cat3(HEAD, BASE,
                      "axes:\n  - { key: diffusion.q, values: [0.2, 0.9] }\n"
                      "outcomes: [final_adopters, peak_time]\nkeep_series: true\n");
    bz_sweep sw;
    load_ok(&sw, text);
    CU_ASSERT_EQUAL_FATAL(sw.T, 7);
    double got[4], again[4], want[4], s_got[7], s_want[7];
    bz_error err;
    for (size_t p = 0; p < 2; p++) {
        CU_ASSERT_EQUAL_FATAL(bz_sweep_run_point(&sw, p, got, s_got, &err), BZ_OK);
        CU_ASSERT_EQUAL_FATAL(bz_sweep_run_point(&sw, p, again, NULL, &err), BZ_OK);
        expected_point(&sw, p, want, s_want);
        CU_ASSERT_EQUAL(memcmp(got, want, sizeof got), 0);
        CU_ASSERT_EQUAL(memcmp(got, again, sizeof got), 0);
        for (int t = 0; t < 7; t++)
            CU_ASSERT_DOUBLE_EQUAL(s_got[t], s_want[t], 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(s_got[6], (got[0] + got[2]) / 2, 1e-12); /* adopters at the end */
    }
    CU_ASSERT_EQUAL(bz_sweep_run_point(&sw, 2, got, NULL, &err), BZ_EINVAL);
    bz_sweep_destroy(&sw);
    free(text);
}

/* Shards 0/2 and 1/2 together equal the serial run; a stop flag stops. */
static void test_run_shards_stop(void)
{
    char *text = cat3(HEAD, BASE, AXES);
    bz_sweep sw;
    load_ok(&sw, text);
    bz_sweep_data all, s0, s1;
    bz_error err;
    size_t ran;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&all, &sw, 0, 1, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&s0, &sw, 0, 2, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&s1, &sw, 1, 2, NULL, &err), BZ_OK);
    volatile sig_atomic_t stop = 1;
    bz_sweep_run_opts o = {0, 1, &stop, NULL, NULL, NULL};
    CU_ASSERT_EQUAL(bz_sweep_run(&sw, &all, &o, &ran, &err), BZ_OK);
    CU_ASSERT_EQUAL(ran, 0);
    stop = 0;
    CU_ASSERT_EQUAL(bz_sweep_run(&sw, &all, &o, &ran, &err), BZ_OK);
    CU_ASSERT_EQUAL(ran, 6);
    o.n_shards = 2;
    CU_ASSERT_EQUAL(bz_sweep_run(&sw, &s0, &o, &ran, &err), BZ_OK);
    CU_ASSERT_EQUAL(ran, 3);
    o.shard = 1;
    CU_ASSERT_EQUAL(bz_sweep_run(&sw, &s1, &o, &ran, &err), BZ_OK);
    CU_ASSERT_EQUAL(ran, 3);
    size_t row = all.R * all.n_out;
    for (size_t p = 0; p < 6; p++) {
        const bz_sweep_data *s = p % 2 ? &s1 : &s0, *other = p % 2 ? &s0 : &s1;
        CU_ASSERT(s->done[p] && !other->done[p]);
        CU_ASSERT_EQUAL(memcmp(all.outcomes + p * row, s->outcomes + p * row, row * 8), 0);
    }
    size_t n, done;
    bz_sweep_data_count(&s1, &n, &done);
    CU_ASSERT(n == 3 && done == 3);
    /* Replicate outcomes differ between points (the axis matters). */
    CU_ASSERT(memcmp(all.outcomes, all.outcomes + 5 * row, row * 8) != 0);
    bz_sweep_data_destroy(&all);
    bz_sweep_data_destroy(&s0);
    bz_sweep_data_destroy(&s1);
    bz_sweep_destroy(&sw);
    free(text);
}

static int journal_checkpoint(void *ctx, const bz_sweep_data *d, size_t p, double seconds,
                              bz_error *err)
{
    (void)seconds;
    return bz_sweep_journal_append(ctx, d, p, err);
}

/* Snapshot with one point done, read back; resume through a journal;
 * finish and read back. */
static void test_file_round_trip(void)
{
    char *text = cat3(HEAD, BASE,
                      "axes:\n  - { key: diffusion.q, values: [0.1, 0.5] }\n"
                      "  - { key: network.layers.0.generator.model, values: [erdos_renyi] }\n"
                      "keep_series: true\n");
    bz_sweep sw;
    load_ok(&sw, text);
    CU_ASSERT_EQUAL(sw.axis_word[0], 0);
    CU_ASSERT_EQUAL(sw.axis_word[1], 1);
    char path[] = "/tmp/bz_test_sweepXXXXXX", tmp[64], jpath[64];
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    bz_sweep_data d, back;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&d, &sw, 0, 1, "cmd", &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(
        bz_sweep_run_point(&sw, 1, d.outcomes + d.R * d.n_out, d.series + d.n_arms * d.T, &err),
        BZ_OK);
    d.done[1] = 1;
    CU_ASSERT_EQUAL(bz_h5_sweep_save(path, tmp, &d, &err), BZ_OK);
    CU_ASSERT_NOT_EQUAL(access(tmp, F_OK), 0); /* renamed away */
    /* Incomplete file: point 1 done, point 0 not. */
    CU_ASSERT_EQUAL_FATAL(bz_h5_sweep_read(&back, path, &err), BZ_OK);
    CU_ASSERT_EQUAL(back.complete, 0);
    CU_ASSERT(back.done[1] == 1 && back.done[0] == 0);
    CU_ASSERT_STRING_EQUAL(back.id, sw.id);
    CU_ASSERT_STRING_EQUAL(back.word[1 * 2 + 1], "erdos_renyi");
    CU_ASSERT_DOUBLE_EQUAL(back.num[1 * 2 + 0], 0.5, 0);
    CU_ASSERT(isnan(back.outcomes[0]));
    CU_ASSERT_EQUAL(
        memcmp(back.outcomes + d.R * d.n_out, d.outcomes + d.R * d.n_out, d.R * d.n_out * 8), 0);
    CU_ASSERT_EQUAL(back.T, sw.T);
    /* Resume: the journal records what the snapshot lacks and the rest. */
    bz_sweep_journal *j = NULL;
    size_t replayed = 9, ran;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_journal_open(&j, jpath, &back, &replayed, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(replayed, 0);
    CU_ASSERT_EQUAL(bz_sweep_journal_append(j, &back, 1, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_journal_append(j, &back, 0, &err), BZ_EINTERNAL); /* not done */
    bz_sweep_run_opts o = {0, 1, NULL, NULL, journal_checkpoint, j};
    CU_ASSERT_EQUAL(bz_sweep_run(&sw, &back, &o, &ran, &err), BZ_OK);
    CU_ASSERT_EQUAL(ran, 1);
    bz_sweep_journal_free(j);
    /* A fresh data replays both points from the journal alone. */
    bz_sweep_data fresh;
    uint8_t seen[2] = {0, 0};
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&fresh, &sw, 0, 1, "cmd", &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_journal_read(jpath, &fresh, &replayed, seen, &err), BZ_OK);
    CU_ASSERT(replayed == 2 && seen[0] && seen[1] && fresh.done[0] && fresh.done[1]);
    CU_ASSERT_EQUAL(memcmp(fresh.outcomes, back.outcomes, d.P * d.R * d.n_out * 8), 0);
    CU_ASSERT_EQUAL(memcmp(fresh.series, back.series, d.P * d.n_arms * d.T * 8), 0);
    bz_sweep_data_destroy(&fresh);
    back.complete = 1;
    CU_ASSERT_EQUAL(bz_h5_sweep_save(path, tmp, &back, &err), BZ_OK);
    bz_sweep_data_destroy(&back);
    CU_ASSERT_EQUAL_FATAL(bz_h5_sweep_read(&back, path, &err), BZ_OK);
    CU_ASSERT(back.complete == 1 && back.done[0] == 1);
    CU_ASSERT_EQUAL(
        memcmp(back.outcomes + d.R * d.n_out, d.outcomes + d.R * d.n_out, d.R * d.n_out * 8), 0);
    bz_sweep_data_destroy(&back);
    remove(jpath);
    /* Not a sweep file. */
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("not hdf5\n", f);
    fclose(f);
    CU_ASSERT_EQUAL(bz_h5_sweep_detect(path), 0);
    CU_ASSERT_EQUAL(bz_h5_sweep_read(&back, path, &err), BZ_EINVAL);
    remove(path);
    CU_ASSERT_EQUAL(bz_h5_sweep_read(&back, path, &err), BZ_ENOENT);
    bz_sweep_data_destroy(&d);
    bz_sweep_destroy(&sw);
    free(text);
}

/* A word axis has NaN numbers in memory, as in the file, even for its
 * values that read as numbers (fuzzing finding K3). */
static void test_word_axis_num(void)
{
    char *text = cat3(HEAD, BASE, "axes:\n  - { key: name, values: [7, seven] }\n");
    bz_sweep sw;
    load_ok(&sw, text);
    CU_ASSERT_EQUAL(sw.axis_word[0], 1);
    bz_sweep_data d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&d, &sw, 0, 1, NULL, &err), BZ_OK);
    CU_ASSERT(isnan(d.num[0]) && isnan(d.num[1]));
    CU_ASSERT_STRING_EQUAL(d.word[0], "7");
    CU_ASSERT_STRING_EQUAL(d.word[1], "seven");
    bz_sweep_data_destroy(&d);
    bz_sweep_destroy(&sw);
    free(text);
}

/* Journals: a torn last record is cut off and only its point is lost; a
 * corrupt record ends the journal; another sweep's journal, a foreign file
 * and a point that differs from the sweep file are refused. */
static void test_journal_damage(void)
{
    char *text = cat3(HEAD, BASE, AXES);
    bz_sweep sw;
    load_ok(&sw, text);
    char path[] = "/tmp/bz_test_journalXXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    remove(path);
    bz_sweep_data d, r;
    bz_error err;
    bz_sweep_journal *j = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&d, &sw, 0, 1, NULL, &err), BZ_OK);
    for (size_t p = 0; p < d.P; p++)
        for (size_t k = 0; k < d.R * d.n_out; k++)
            d.outcomes[p * d.R * d.n_out + k] = (double)(p * 100 + k);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_journal_open(&j, path, &d, &n, NULL, &err), BZ_OK);
    for (size_t p = 0; p < 3; p++) {
        d.done[p] = 1;
        CU_ASSERT_EQUAL(bz_sweep_journal_append(j, &d, p, &err), BZ_OK);
    }
    bz_sweep_journal_free(j);
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
    const off_t rec = (st.st_size - 96) / 3;
    CU_ASSERT_EQUAL(rec, (off_t)(d.R * d.n_out + 4) * 8);
    /* Torn: the last record loses its last 5 bytes. */
    CU_ASSERT_EQUAL_FATAL(truncate(path, st.st_size - 5), 0);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&r, &sw, 0, 1, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_journal_open(&j, path, &r, &n, NULL, &err), BZ_OK);
    CU_ASSERT(n == 2 && r.done[0] && r.done[1] && !r.done[2]);
    /* Appending after the cut gives a journal of whole records again. */
    r.done[2] = 1;
    memcpy(r.outcomes + 2 * r.R * r.n_out, d.outcomes + 2 * d.R * d.n_out, d.R * d.n_out * 8);
    CU_ASSERT_EQUAL(bz_sweep_journal_append(j, &r, 2, &err), BZ_OK);
    bz_sweep_journal_free(j);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_size, 96 + 3 * rec);
    bz_sweep_data_destroy(&r);
    /* Corrupt: one flipped byte in the second record ends the journal there. */
    FILE *f = fopen(path, "r+b");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fseek(f, 96 + rec + 30, SEEK_SET);
    fputc(0x5a, f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&r, &sw, 0, 1, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_journal_read(path, &r, &n, NULL, &err), BZ_OK);
    CU_ASSERT(n == 1 && r.done[0] && !r.done[1] && !r.done[2]);
    /* A point that disagrees with what is already done. */
    bz_sweep_data_destroy(&r);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&r, &sw, 0, 1, NULL, &err), BZ_OK);
    r.done[0] = 1;
    r.outcomes[0] = -1;
    CU_ASSERT_EQUAL(bz_sweep_journal_read(path, &r, &n, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "point 0 differs"));
    bz_sweep_data_destroy(&r);
    /* Another sweep (id) or shard; a file that is not a journal. */
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&r, &sw, 1, 2, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_journal_read(path, &r, &n, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "another shard"));
    r.id[0] = r.id[0] == 'a' ? 'b' : 'a';
    CU_ASSERT_EQUAL(bz_sweep_journal_read(path, &r, &n, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "another sweep"));
    bz_sweep_data_destroy(&r);
    f = fopen(path, "wb");
    fputs("hello, not a journal at all, but long enough to hold a header of 96 bytes: "
          "0123456789012345678901234567890123456789",
          f);
    fclose(f);
    CU_ASSERT_EQUAL(bz_sweep_journal_open(&j, path, &d, &n, NULL, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not a buzzsim sweep journal"));
    CU_ASSERT_PTR_NULL(j);
    remove(path);
    CU_ASSERT_EQUAL(bz_sweep_journal_read(path, &d, &n, NULL, &err), BZ_ENOENT);
    bz_sweep_data_destroy(&d);
    bz_sweep_destroy(&sw);
    free(text);
}

/* Sobol indices from the outcome columns: y = 4 x1 + x2 (x uniform on [0,1])
 * has S1 = ST = 16/17 for x1 and 1/17 for x2; y = x2 only depends on x2. */
static void test_sobol_wiring(void)
{
    char *text = cat3(HEAD, BASE,
                      "axes:\n  - { key: diffusion.q, range: [0, 1] }\n"
                      "  - { key: diffusion.p, range: [0, 1] }\n"
                      "design: { kind: sobol, samples: 1024 }\n"
                      "outcomes: [final_adopters, peak_time]\n");
    bz_sweep sw;
    load_ok(&sw, text);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_points(&sw), 1024 * 4);
    bz_sweep_data d;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&d, &sw, 0, 1, NULL, &err), BZ_OK);
    for (size_t p = 0; p < d.P; p++)
        for (uint32_t r = 0; r < d.R; r++) {
            double x1 = d.num[p * 2], x2 = d.num[p * 2 + 1];
            d.outcomes[(p * d.R + r) * 2 + 0] = 4 * x1 + x2 + (r ? 0.5 : -0.5); /* mean 4x1+x2 */
            d.outcomes[(p * d.R + r) * 2 + 1] = x2;
        }
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_sobol(&d, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.have_sobol, 1);
    CU_ASSERT_DOUBLE_EQUAL(d.s1[0], 16.0 / 17, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(d.st[0], 16.0 / 17, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(d.s1[1], 1.0 / 17, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(d.s1[2], 0, 0.05);
    CU_ASSERT_DOUBLE_EQUAL(d.st[3], 1, 0.05);
    /* A grid has no indices; a wrong layout is refused. */
    snprintf(d.design, sizeof d.design, "grid");
    free(d.s1);
    free(d.st);
    d.s1 = d.st = NULL;
    d.have_sobol = 0;
    CU_ASSERT_EQUAL(bz_sweep_data_sobol(&d, &err), BZ_OK);
    CU_ASSERT_EQUAL(d.have_sobol, 0);
    snprintf(d.design, sizeof d.design, "sobol");
    d.samples = 1000;
    CU_ASSERT_EQUAL(bz_sweep_data_sobol(&d, &err), BZ_EINVAL);
    bz_sweep_data_destroy(&d);
    bz_sweep_destroy(&sw);
    free(text);
}

/* Merging shards: the union of their done points, equal to a serial run's;
 * a point that differs, another sweep or another shape is refused. */
static void test_merge(void)
{
    char *text = cat3(HEAD, BASE, AXES);
    bz_sweep sw;
    load_ok(&sw, text);
    bz_sweep_data a, b, m;
    bz_error err;
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&a, &sw, 0, 2, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&b, &sw, 1, 2, NULL, &err), BZ_OK);
    CU_ASSERT_EQUAL_FATAL(bz_sweep_data_init(&m, &sw, 0, 1, NULL, &err), BZ_OK);
    const size_t row = a.R * a.n_out;
    for (size_t p = 0; p < a.P; p++) {
        bz_sweep_data *d = p % 2 ? &b : &a;
        for (size_t k = 0; k < row; k++)
            d->outcomes[p * row + k] = (double)(p * 1000 + k);
        d->done[p] = 1;
    }
    const char *owner[6] = {NULL};
    CU_ASSERT_EQUAL_FATAL(a.P, 6);
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &a, "a.h5", owner, &err), BZ_OK);
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &b, "b.h5", owner, &err), BZ_OK);
    size_t n, done;
    bz_sweep_data_count(&m, &n, &done);
    CU_ASSERT(n == 6 && done == 6);
    for (size_t p = 0; p < 6; p++) {
        CU_ASSERT_STRING_EQUAL(owner[p], p % 2 ? "b.h5" : "a.h5");
        CU_ASSERT_DOUBLE_EQUAL(m.outcomes[p * row + 1], (double)(p * 1000 + 1), 0);
    }
    /* Merging a again is a no-op (equal points); a changed point is refused. */
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &a, "a.h5", owner, &err), BZ_OK);
    a.outcomes[2 * row] += 1;
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &a, "a2.h5", owner, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "point 2 differs between 'a.h5' and 'a2.h5'"));
    /* Another sweep id; other columns. */
    a.id[0] = a.id[0] == 'a' ? 'b' : 'a';
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &a, "a.h5", owner, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "from another sweep"));
    b.out_names[0][0] = '#';
    CU_ASSERT_EQUAL(bz_sweep_data_merge(&m, "m", &b, "b.h5", owner, &err), BZ_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "other points or columns"));
    bz_sweep_data_destroy(&a);
    bz_sweep_data_destroy(&b);
    bz_sweep_data_destroy(&m);
    bz_sweep_destroy(&sw);
    free(text);
}

static CU_TestInfo tests[] = {
    {"grid: points and their --set strings", test_grid_sets},
    {"ties, defaults and the sweep id", test_tie_and_id},
    {"errors name FILE:LINE:COL and the key", test_errors},
    {"run_point == bz_run_experiment with the sets", test_run_point},
    {"shards and the stop flag", test_run_shards_stop},
    {"file: snapshot, journal resume, read back", test_file_round_trip},
    {"word axes: NaN numbers in memory as in the file", test_word_axis_num},
    {"journal: torn, corrupt, foreign, disagreeing", test_journal_damage},
    {"merge: union of shards, conflicts refused", test_merge},
    {"sobol indices from outcome columns", test_sobol_wiring},
    CU_TEST_INFO_NULL,
};

int main(void)
{
    return bz_test_main("sweep", tests);
}

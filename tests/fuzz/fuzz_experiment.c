/* libFuzzer harness: the experiment loader (config/experiment.h).
 *
 * Input: the YAML text of an experiment file (docs/config.md), loaded with
 * bz_experiment_load_string under the name SCRATCH/fuzz.yaml. Leading lines
 *     #@set KEY.PATH=VALUE        (at most MAX_SETS)
 *     #@arms A,B
 * become --set overrides and an arm selection (bz_experiment_select_arms),
 * as `buzzsim run --set ... --arms ...` would give; to the YAML parser they
 * are comments.
 *
 * Oracles (abort() on violation):
 *   - no crash, leak or sanitizer report, whatever the text;
 *   - a failed load or selection fills err (fuzz_common.h);
 *   - round trip: the resolved text of an accepted experiment (x.resolved_yaml,
 *     written by config/resolve.c after the overrides and the selection)
 *     loads again, with no overrides, to an experiment whose resolved text
 *     is byte-identical (config/resolve.h: "loading resolved_yaml again
 *     gives an identical experiment").
 * The one failure of the reload that is not a finding is the series memory
 * check (config/experiment.c check_series_memory), which compares with the
 * memory available at the time: the same text may pass once and not the
 * next time when it asks for about all of it.
 *
 * Findings fixed since (docs/testing.md, reproducers in tests/fuzz/crashes/):
 *   K1  --arms listing another arm before `baseline` changed the reference
 *       on reload; K2  city shares normalised twice changed their last
 *       digits; K4  a default city set above population.cities made the
 *       resolved text fail to load.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/experiment.h"
#include "fuzz_common.h"

#define MAX_SETS 8

static char name[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bz_fuzz_init();
    snprintf(name, sizeof name, "%s", bz_fuzz_path("fuzz.yaml"));
    return 0;
}

/* The #@ directives at the start of text: pointers into the copy `dirs`
 * (lines cut at their '\n'). */
typedef struct directives {
    char *buf;
    const char *sets[MAX_SETS];
    size_t n_sets;
    const char *arms; /* NULL: every arm */
} directives;

static void read_directives(const char *text, directives *d)
{
    memset(d, 0, sizeof *d);
    if (strncmp(text, "#@", 2) != 0) return;
    d->buf = strdup(text);
    if (!d->buf) bz_fuzz_fail("out of memory");
    char *line = d->buf;
    while (line && strncmp(line, "#@", 2) == 0) {
        char *next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (!strncmp(line, "#@set ", 6) && d->n_sets < MAX_SETS)
            d->sets[d->n_sets++] = line + 6;
        else if (!strncmp(line, "#@arms ", 7))
            d->arms = line + 7;
        line = next;
    }
}

/* Dump both texts for the report of a failed round trip. */
static void show(const char *label, const char *s)
{
    fprintf(bz_fuzz_log(), "---- %s ----\n%s\n", label, s ? s : "(null)");
}

/* The resolved text of x reloads to the same resolved text. */
static void round_trip(const bz_experiment *x, const char *text)
{
    bz_experiment y;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_experiment_load_string(&y, x->resolved_yaml, name, NULL, 0, &err);
    bz_fuzz_check_status(st, &err, "bz_experiment_load_string (resolved text)");
    if (st != BZ_OK) {
        if (strstr(err.msg, "GiB available")) return; /* the memory check: see above */
        show("input", text);
        show("resolved", x->resolved_yaml);
        bz_fuzz_fail("the resolved text of an accepted experiment does not load: %s", err.msg);
    }
    if (!y.resolved_yaml || strcmp(x->resolved_yaml, y.resolved_yaml) != 0) {
        show("input", text);
        show("resolved", x->resolved_yaml);
        show("resolved again", y.resolved_yaml);
        bz_fuzz_fail("round trip: resolving the resolved text changes it");
    }
    bz_experiment_destroy(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = bz_fuzz_text(data, size);
    if (!text) return -1; /* a NUL byte: not added to the corpus */
    directives d;
    read_directives(text, &d);

    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_experiment_load_string(&x, text, name, d.sets, d.n_sets, &err);
    bz_fuzz_check_status(st, &err, "bz_experiment_load_string");
    if (st == BZ_OK && d.arms) {
        bz_error_clear(&err);
        int sa = bz_experiment_select_arms(&x, d.arms, &err);
        bz_fuzz_check_status(sa, &err, "bz_experiment_select_arms");
    }
    if (st == BZ_OK) {
        if (!x.resolved_yaml) bz_fuzz_fail("accepted experiment without resolved_yaml");
        round_trip(&x, text);
        bz_experiment_destroy(&x);
    }
    free(d.buf);
    free(text);
    return 0;
}

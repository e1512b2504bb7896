/* libFuzzer harness: the sweep loader (sweep/sweep.h) and, for small
 * accepted sweeps, the sweep results file writer and reader
 * (sweep/h5_sweep.h).
 *
 * Input: the YAML text of a sweep file, loaded with bz_sweep_load_string
 * under the name SCRATCH/sweep.yaml. The scratch directory is empty, so a
 * base given as a file name fails to load (BZ_ENOENT: an error, not a
 * finding) and the deep paths are reached through inline bases.
 *
 * Oracles (abort() on violation):
 *   - no crash, leak or sanitizer report;
 *   - failures fill err (fuzz_common.h);
 *   - an accepted sweep has at least one point, and the --set strings of its
 *     first points can be formed;
 *   - loading is a pure function of the text: the same text loads again to
 *     the same id, points and resolved base (sweep.h: results depend only
 *     on the sweep file and the point);
 *   - for a small sweep (at most SMALL_POINTS points and SMALL_VALUES
 *     outcome values), the empty results (bz_sweep_data_init) written with
 *     bz_h5_sweep_write read back with bz_h5_sweep_read to the same
 *     description: a file `buzzsim sweep` writes must be readable by
 *     `--resume`, `merge`, `info` and `export`.
 *
 * Findings fixed since (docs/testing.md, reproducers in tests/fuzz/crashes/):
 *   K3  word axes kept their numeric values in bz_sweep_data_init's num.
 *
 * Work per input is bounded by those limits and by loading at most
 * LOAD_POINTS points (each one is a full config load).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sweep/h5_sweep.h"
#include "sweep/sweep.h"

#define LOAD_POINTS 2
#define SET_POINTS 16
#define SMALL_POINTS 256
#define SMALL_VALUES 4096

static char name[4096], h5path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    bz_fuzz_init();
    snprintf(name, sizeof name, "%s", bz_fuzz_path("sweep.yaml"));
    snprintf(h5path, sizeof h5path, "%s", bz_fuzz_path("sweep.h5"));
    return 0;
}

/* The --set strings of the first points, and loading the first few. */
static void check_points(const bz_sweep *sw)
{
    const size_t P = bz_sweep_points(sw);
    if (P == 0) bz_fuzz_fail("an accepted sweep has no points");
    char(*sets)[BZ_SWEEP_SET_MAX] = malloc(bz_sweep_n_sets(sw) * sizeof *sets);
    if (!sets) bz_fuzz_fail("out of memory");
    bz_error err;
    for (size_t p = 0; p < P && p < SET_POINTS; p++) {
        bz_error_clear(&err);
        int st = bz_sweep_point_sets(sw, p, sets, &err);
        bz_fuzz_check_status(st, &err, "bz_sweep_point_sets");
    }
    free(sets);
    for (size_t p = 0; p < P && p < LOAD_POINTS; p++) {
        bz_experiment x;
        bz_error_clear(&err);
        int st = bz_sweep_load_point(sw, p, &x, &err);
        bz_fuzz_check_status(st, &err, "bz_sweep_load_point");
        if (p == 0 && st != BZ_OK)
            bz_fuzz_fail("point 0 of an accepted sweep does not load: %s", err.msg);
        if (st == BZ_OK) bz_experiment_destroy(&x);
    }
}

/* Same text, same sweep. */
static void check_again(const bz_sweep *sw, const char *text)
{
    bz_sweep again;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_sweep_load_string(&again, text, name, &err);
    bz_fuzz_check_status(st, &err, "bz_sweep_load_string (again)");
    if (st != BZ_OK) bz_fuzz_fail("an accepted sweep fails to load a second time: %s", err.msg);
    if (strcmp(sw->id, again.id) != 0 || bz_sweep_points(sw) != bz_sweep_points(&again) ||
        strcmp(sw->base_yaml, again.base_yaml) != 0 || sw->seed != again.seed ||
        sw->replicates != again.replicates || sw->n_out != again.n_out)
        bz_fuzz_fail("loading the same sweep text twice gives different sweeps (id %s vs %s)",
                     sw->id, again.id);
    bz_sweep_destroy(&again);
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* What bz_h5_sweep_read gives back must describe what was written. */
static void compare_data(const bz_sweep_data *w, const bz_sweep_data *r)
{
#define SAME(cond, what)                                                                           \
    do {                                                                                           \
        if (!(cond)) bz_fuzz_fail("sweep file round trip: %s differs", what);                      \
    } while (0)
    SAME(!strcmp(w->name, r->name), "name");
    SAME(!strcmp(w->id, r->id), "sweep_id");
    SAME(!strcmp(w->design, r->design), "design");
    SAME(w->samples == r->samples && w->seed == r->seed, "samples or seed");
    SAME(w->R == r->R && w->P == r->P, "replicates or points");
    SAME(w->shard == r->shard && w->n_shards == r->n_shards, "shard");
    SAME(!strcmp(w->sweep_yaml, r->sweep_yaml), "sweep_yaml");
    SAME(!strcmp(w->base_yaml, r->base_yaml), "base_yaml");
    SAME(w->n_axes == r->n_axes, "the axis count");
    for (size_t a = 0; a < w->n_axes; a++) {
        SAME(!strcmp(w->axis_names[a], r->axis_names[a]), "an axis name");
        SAME(w->axis_word[a] == r->axis_word[a], "an axis kind (word or number)");
    }
    for (size_t i = 0; i < w->P * w->n_axes; i++) {
        SAME(same_num(w->num[i], r->num[i]), "an axis value");
        SAME(!strcmp(w->word[i], r->word[i]), "a word axis value");
    }
    SAME(w->n_out == r->n_out, "the outcome column count");
    for (size_t k = 0; k < w->n_out; k++)
        SAME(!strcmp(w->out_names[k], r->out_names[k]), "an outcome column name");
    for (size_t i = 0; i < w->P * w->R * w->n_out; i++)
        SAME(isnan(r->outcomes[i]), "an outcome of a point not run");
    for (size_t p = 0; p < w->P; p++)
        SAME(r->done[p] == 0, "a done flag");
    SAME(w->n_arms == r->n_arms, "the arm count");
    for (size_t a = 0; a < w->n_arms; a++)
        SAME(!strcmp(w->arm_names[a], r->arm_names[a]), "an arm name");
    SAME(w->T == r->T, "the series length");
    for (uint32_t t = 0; t < w->T; t++)
        SAME(same_num(w->time_days[t], r->time_days[t]), "a series time");
    SAME(w->n_dims == r->n_dims, "the design dimension count");
    for (size_t j = 0; j < w->n_dims; j++)
        SAME(!strcmp(w->dim_names[j], r->dim_names[j]), "a design dimension name");
#undef SAME
}

static void check_file_round_trip(const bz_sweep *sw)
{
    const size_t P = bz_sweep_points(sw);
    if (P > SMALL_POINTS || P * sw->replicates * (sw->n_out ? sw->n_out : 1) > SMALL_VALUES ||
        P * sw->n_arms * (sw->keep_series ? sw->T : 0) > SMALL_VALUES)
        return;
    bz_sweep_data w, r;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_sweep_data_init(&w, sw, 0, 1, "buzzsim sweep fuzz", &err);
    bz_fuzz_check_status(st, &err, "bz_sweep_data_init");
    if (st != BZ_OK) return;
    bz_error_clear(&err);
    st = bz_h5_sweep_write(h5path, &w, 1, &err);
    bz_fuzz_check_status(st, &err, "bz_h5_sweep_write");
    if (st != BZ_OK) bz_fuzz_fail("cannot write the results file of a small sweep: %s", err.msg);
    bz_error_clear(&err);
    st = bz_h5_sweep_read(&r, h5path, &err);
    bz_fuzz_check_status(st, &err, "bz_h5_sweep_read");
    if (st != BZ_OK)
        bz_fuzz_fail("the sweep results file just written does not read back: %s", err.msg);
    compare_data(&w, &r);
    bz_sweep_data_destroy(&r);
    bz_sweep_data_destroy(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = bz_fuzz_text(data, size);
    if (!text) return -1; /* a NUL byte: not added to the corpus */
    bz_sweep sw;
    bz_error err;
    bz_error_clear(&err);
    int st = bz_sweep_load_string(&sw, text, name, &err);
    bz_fuzz_check_status(st, &err, "bz_sweep_load_string");
    if (st == BZ_OK) {
        check_points(&sw);
        check_again(&sw, text);
        check_file_round_trip(&sw);
        bz_sweep_destroy(&sw);
    }
    free(text);
    return 0;
}

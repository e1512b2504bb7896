/* MPI sweep driver (sweep/mpi.h), run under mpirun with 2 or more ranks
 * (CTest: 3, label mpi; only in the -DBUZZSIM_MPI=ON build):
 *   - every point run by the workers, stored and checkpointed by rank 0, is
 *     bit-identical to the serial bz_sweep_run, in memory and in the file;
 *   - a shard (2 of 2) runs exactly its points, with the serial values;
 *   - a stop request before the start hands out nothing, and the workers
 *     still return (no rank is left waiting).
 * Not CUnit: the checks run on rank 0 between collective calls that every
 * rank must make in the same order, which CUnit's runner cannot interleave.
 * Exit status 0 when every check held on rank 0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mpi.h>

#include "sweep/h5_sweep.h"
#include "sweep/journal.h"
#include "sweep/mpi.h"
#include "sweep/sweep.h"

static int failures;
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* Two word-free continuous axes, a distribution, two kept arms and series,
 * so every part of a result message travels. */
static const char *sweep_text = "name: mpi_test\n"
                                "base: bass.yaml\n"
                                "axes:\n"
                                "  - { key: population.agents, values: [600] }\n"
                                "  - { key: time.horizon, values: [10d] }\n"
                                "  - { key: diffusion.q, range: [0.05, 0.4] }\n"
                                "  - { key: diffusion.p, dist: uniform, params: [0.0002, 0.002] }\n"
                                "design: { kind: lhs, samples: 7 }\n"
                                "replicates: 2\n"
                                "arms: [baseline, kol]\n"
                                "outcomes: [final_adopters, peak_time]\n"
                                "keep_series: true\n";

static int journal_checkpoint(void *ctx, const bz_sweep_data *d, size_t p, double seconds,
                              bz_error *err)
{
    (void)seconds;
    return bz_sweep_journal_append(ctx, d, p, err);
}

static void fail_all(const char *what, const bz_error *err)
{
    fprintf(stderr, "%s: %s\n", what, err->msg);
    bz_sweep_mpi_abort(1);
}

int main(int argc, char **argv)
{
    int rank = 0, size = 1;
    if (bz_sweep_mpi_init(&argc, &argv, &rank, &size) != BZ_OK) return 1;
    bz_error err;
    bz_error_clear(&err);
    char name[4096], file[256];
    snprintf(name, sizeof name, "%s/configs/mpi_test.yaml", BZ_SOURCE_DIR);
    bz_sweep sw;
    if (bz_sweep_load_string(&sw, sweep_text, name, &err) != BZ_OK) fail_all("load", &err);
    const size_t P = bz_sweep_points(&sw);
    const size_t n_oc = sw.replicates * sw.n_out, n_se = sw.n_arms * sw.T;
    if (rank == 0) {
        CHECK(size >= 2);
        CHECK(P == 7 && sw.n_out == 4 && sw.keep_series);
    }

    /* 1. The whole sweep under MPI, checkpointed to a file. */
    bz_sweep_data dm, ds;
    bz_sweep_journal *j = NULL;
    char jfile[300], tmp[300];
    size_t ran = 0;
    if (rank == 0) {
        snprintf(file, sizeof file, "/tmp/bz-test-sweep-mpi-%ld.h5", (long)getpid());
        snprintf(jfile, sizeof jfile, "%s.journal", file);
        snprintf(tmp, sizeof tmp, "%s.tmp", file);
        remove(jfile);
        if (bz_sweep_data_init(&dm, &sw, 0, 1, "test", &err) != BZ_OK ||
            bz_sweep_journal_open(&j, jfile, &dm, NULL, NULL, &err) != BZ_OK)
            fail_all("create", &err);
    }
    bz_sweep_run_opts oj = {0, 1, NULL, NULL, journal_checkpoint, j};
    int st = bz_sweep_run_mpi(&sw, rank == 0 ? &dm : NULL, &oj, &ran, &err);
    if (st != BZ_OK) fail_all("run_mpi", &err);
    if (rank == 0) {
        CHECK(ran == P);
        bz_sweep_journal_free(j);
        /* Every point reached the journal. */
        bz_sweep_data dj;
        size_t replayed = 0;
        if (bz_sweep_data_init(&dj, &sw, 0, 1, "test", &err) != BZ_OK ||
            bz_sweep_journal_read(jfile, &dj, &replayed, NULL, &err) != BZ_OK)
            fail_all("journal", &err);
        CHECK(replayed == P && !memcmp(dj.outcomes, dm.outcomes, P * n_oc * sizeof(double)));
        bz_sweep_data_destroy(&dj);
        remove(jfile);
        dm.complete = 1;
        if (bz_h5_sweep_save(file, tmp, &dm, &err) != BZ_OK) fail_all("save", &err);
        /* The serial reference on rank 0 alone. */
        if (bz_sweep_data_init(&ds, &sw, 0, 1, "test", &err) != BZ_OK) fail_all("init", &err);
        size_t ran_s = 0;
        if (bz_sweep_run(&sw, &ds, NULL, &ran_s, &err) != BZ_OK) fail_all("serial", &err);
        CHECK(ran_s == P);
        for (size_t p = 0; p < P; p++)
            CHECK(dm.done[p] == 1);
        CHECK(!memcmp(dm.outcomes, ds.outcomes, P * n_oc * sizeof(double)));
        CHECK(!memcmp(dm.series, ds.series, P * n_se * sizeof(double)));
        /* Not vacuous: the points differ from each other. */
        CHECK(memcmp(ds.outcomes, ds.outcomes + n_oc, n_oc * sizeof(double)) != 0);
        bz_sweep_data rd;
        if (bz_h5_sweep_read(&rd, file, &err) != BZ_OK) fail_all("read", &err);
        CHECK(rd.complete == 1 && rd.P == P);
        CHECK(!memcmp(rd.outcomes, ds.outcomes, P * n_oc * sizeof(double)));
        CHECK(!memcmp(rd.series, ds.series, P * n_se * sizeof(double)));
        for (size_t p = 0; p < P; p++)
            CHECK(rd.done[p] == 1);
        bz_sweep_data_destroy(&rd);
        bz_sweep_data_destroy(&dm);
        remove(file);
    }

    /* 2. Shard 2 of 2 (0-based 1): the odd points only. */
    bz_sweep_run_opts o = {1, 2, NULL, NULL, NULL, NULL};
    if (rank == 0 && bz_sweep_data_init(&dm, &sw, 1, 2, "test", &err) != BZ_OK)
        fail_all("init", &err);
    if (bz_sweep_run_mpi(&sw, rank == 0 ? &dm : NULL, &o, &ran, &err) != BZ_OK)
        fail_all("run_mpi shard", &err);
    if (rank == 0) {
        CHECK(ran == P / 2);
        for (size_t p = 0; p < P; p++) {
            CHECK(dm.done[p] == (p % 2 == 1));
            if (p % 2 == 1)
                CHECK(
                    !memcmp(dm.outcomes + p * n_oc, ds.outcomes + p * n_oc, n_oc * sizeof(double)));
            else
                CHECK(isnan(dm.outcomes[p * n_oc]));
        }
        bz_sweep_data_destroy(&dm);
    }

    /* 3. Stopped before the start: nothing handed out, everyone returns. */
    volatile sig_atomic_t stop = 1;
    bz_sweep_run_opts os = {0, 1, &stop, NULL, NULL, NULL};
    if (rank == 0 && bz_sweep_data_init(&dm, &sw, 0, 1, "test", &err) != BZ_OK)
        fail_all("init", &err);
    if (bz_sweep_run_mpi(&sw, rank == 0 ? &dm : NULL, &os, &ran, &err) != BZ_OK)
        fail_all("run_mpi stop", &err);
    CHECK(ran == 0);
    if (rank == 0) {
        for (size_t p = 0; p < P; p++)
            CHECK(dm.done[p] == 0);
        bz_sweep_data_destroy(&dm);
        bz_sweep_data_destroy(&ds);
    }

    bz_sweep_destroy(&sw);
    /* Every rank's verdict counts: a worker's failed check fails the test. */
    int total = 0;
    MPI_Allreduce(&failures, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (rank == 0)
        printf("test_sweep_mpi: %d ranks, %zu points: %s\n", size, P,
               total ? "FAILED" : "all checks passed");
    bz_sweep_mpi_finalize();
    return total ? 1 : 0;
}

/* buzzsim sweep SWEEP.yaml [options]: see bz_sweep_command below.
 *
 * Order of work: load the sweep and every point (exit 2 on any bad axis
 * before anything is written), pick the shard and the output, refuse to
 * overwrite, then run the points one after another, checkpointing each into
 * OUT.partial; rename it to OUT when every point of the shard is done.
 *
 * Shards: --shard I/N (1-based: 1/3, 2/3, 3/3) runs the points p with
 * p % N == I - 1 and writes OUT with ".I-of-N" before its extension
 * (out.h5 -> out.2-of-3.h5), so the tasks of a job array never collide.
 * Without --shard, a Slurm job array (SLURM_ARRAY_TASK_COUNT set) gives
 * I = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP + 1
 * and N = SLURM_ARRAY_TASK_COUNT, so `--array=0-2` and `--array=1-3` both work.
 *
 * Signals: the first SIGINT/SIGTERM lets the point in flight finish, then the
 * file is flushed and left incomplete and resumable (exit 130 / 143); a
 * second one drops the point in flight at once (the file on disk holds every
 * point finished before it; a checkpoint being written is completed first).
 */
#include <errno.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/report.h"
#include "engine/run.h"
#include "base/stats.h"
#include "base/durable.h"
#include "io/h5.h"
#include "sweep/h5_sweep.h"
#include "sweep/journal.h"
#include "sweep/sweep.h"
#ifdef BZ_HAVE_MPI
#include "sweep/mpi.h"
#endif

/* Signal state: the only globals, because a handler can reach nothing else. */
static volatile sig_atomic_t sig_count, sig_last, sig_writing;
static char sig_msg[9000]; /* written before the handlers are installed */

static void on_signal(int sig)
{
    sig_last = sig;
    sig_count++;
    if (sig_count >= 2 && !sig_writing) {
        /* Drop the point in flight: every finished point is already on disk. */
        ssize_t w = write(STDERR_FILENO, sig_msg, strlen(sig_msg));
        (void)w;
        _exit(128 + sig);
    }
}

static int install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL);
}

typedef struct progress {
    int quiet;
    size_t done, total, P;
} progress;

static void point_done(void *ctx, size_t point, double seconds)
{
    progress *pr = ctx;
    pr->done++;
    if (!pr->quiet)
        fprintf(stderr, "point %zu done (%.2f s) [%zu/%zu]\n", point, seconds, pr->done, pr->total);
}

/* "--shard I/N", or the Slurm array variables; 0-based shard out. */
static int pick_shard(const char *text, uint32_t *shard, uint32_t *n, char *msg, size_t size)
{
    *shard = 0;
    *n = 1;
    if (text) {
        unsigned i = 0, k = 0;
        char extra;
        if (sscanf(text, "%u/%u%c", &i, &k, &extra) != 2 || k == 0 || i == 0 || i > k ||
            k > 1000000) {
            snprintf(msg, size, "--shard: expected I/N with 1 <= I <= N (1-based), got '%s'", text);
            return -1;
        }
        *shard = i - 1;
        *n = k;
        return 0;
    }
    const char *count = getenv("SLURM_ARRAY_TASK_COUNT"), *id = getenv("SLURM_ARRAY_TASK_ID");
    if (!count || !*count) return 0;
    const char *min = getenv("SLURM_ARRAY_TASK_MIN"), *step = getenv("SLURM_ARRAY_TASK_STEP");
    uint64_t c = 0, t = 0, m = 0, s = 1;
    if (bz_arg_u64(count, 1, 1000000, &c) || !id || bz_arg_u64(id, 0, UINT32_MAX, &t) ||
        (min && *min && bz_arg_u64(min, 0, UINT32_MAX, &m)) ||
        (step && *step && bz_arg_u64(step, 1, UINT32_MAX, &s)) || t < m || (t - m) % s ||
        (t - m) / s >= c) {
        snprintf(msg, size,
                 "SLURM_ARRAY_TASK_ID=%s, SLURM_ARRAY_TASK_MIN=%s, SLURM_ARRAY_TASK_STEP=%s and "
                 "SLURM_ARRAY_TASK_COUNT=%s do not give a shard (use --shard I/N)",
                 id ? id : "(unset)", min ? min : "(unset)", step ? step : "(unset)", count);
        return -1;
    }
    *shard = (uint32_t)((t - m) / s);
    *n = (uint32_t)c;
    return 0;
}

/* OUT with ".I-of-N" before the extension when sharded. */
static void shard_path(const char *out, uint32_t shard, uint32_t n, char *buf, size_t size)
{
    if (n <= 1) {
        snprintf(buf, size, "%s", out);
        return;
    }
    const char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
    if (!dot || (slash && dot < slash) || dot == out || (slash && dot == slash + 1)) dot = NULL;
    size_t stem = dot ? (size_t)(dot - out) : strlen(out);
    snprintf(buf, size, "%.*s.%u-of-%u%s", (int)stem, out, (unsigned)shard + 1, (unsigned)n,
             dot ? dot : "");
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ------------------------------------------------------------- reporting */

void bz_cli_sweep_sobol(FILE *f, const bz_sweep_data *d)
{
    if (!d->have_sobol) return;
    fprintf(f, "\nSobol sensitivity indices (Saltelli 2010 first order, Jansen total; over "
               "replicate means)\n");
    fprintf(f, "%-28s %-28s %12s %12s\n", "outcome", "dimension", "first_order", "total");
    for (size_t k = 0; k < d->n_out; k++)
        for (size_t j = 0; j < d->n_dims; j++)
            fprintf(f, "%-28s %-28s %12.4f %12.4f\n", j ? "" : d->out_names[k], d->dim_names[j],
                    d->s1[k * d->n_dims + j], d->st[k * d->n_dims + j]);
}

/* Per done point: axis values and the replicate mean of every column (at
 * most `max_rows` rows); columns as wide as their names. */
static int width(const char *name, int min)
{
    int w = (int)strlen(name);
    return w < min ? min : w > 40 ? 40 : w;
}

static void print_points(FILE *f, const bz_sweep_data *d, size_t max_rows)
{
    char num[64];
    fprintf(f, "%6s", "point");
    for (size_t a = 0; a < d->n_axes; a++)
        fprintf(f, "  %*.40s", width(d->axis_names[a], 10), d->axis_names[a]);
    for (size_t k = 0; k < d->n_out; k++)
        fprintf(f, "  %*.40s", width(d->out_names[k], 10), d->out_names[k]);
    fprintf(f, "\n");
    size_t rows = 0;
    for (size_t p = 0; p < d->P; p++) {
        if (!d->done[p]) continue;
        if (rows++ == max_rows) {
            fprintf(f, "... (buzzsim export FILE /sweep/summary prints every point)\n");
            break;
        }
        fprintf(f, "%6zu", p);
        for (size_t a = 0; a < d->n_axes; a++) {
            int w = width(d->axis_names[a], 10);
            if (d->axis_word[a])
                fprintf(f, "  %*.40s", w, d->word[p * d->n_axes + a]);
            else
                fprintf(f, "  %*.6g", w, d->num[p * d->n_axes + a]);
        }
        for (size_t k = 0; k < d->n_out; k++) {
            double m;
            bz_sweep_point_means(d->outcomes + p * d->R * d->n_out, 1, d->R, d->n_out, k, &m);
            fprintf(f, "  %*s", width(d->out_names[k], 10),
                    isnan(m) ? "-" : bz_report_number(m, num, sizeof num));
        }
        fprintf(f, "\n");
    }
}

int bz_cli_sweep_info(const char *path)
{
    bz_sweep_data d;
    bz_error err;
    bz_error_clear(&err);
    size_t n, done, journaled = 0;
    if (bz_cli_sweep_load(path, &d, &journaled, &err) != BZ_OK) return bz_cli_fail(&err);
    bz_sweep_data_count(&d, &n, &done);
    printf("%-11s%s\n", "file", path);
    printf("%-11s%s by buzzsim %s\n", "written", d.created, d.version);
    if (d.command_line[0]) printf("%-11s%s\n", "command", d.command_line);
    printf("%-11s%s (id %s)\n", "sweep", d.name, d.id);
    printf("%-11s%s", "design", d.design);
    if (d.samples) printf(", %llu samples", (unsigned long long)d.samples);
    printf(", %zu points x %u replicates, seed %llu\n", d.P, (unsigned)d.R,
           (unsigned long long)d.seed);
    for (size_t a = 0; a < d.n_axes; a++) {
        printf("%-11s%s: ", a ? "" : "axes", d.axis_names[a]);
        if (d.axis_word[a]) {
            printf("words");
        } else {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t p = 0; p < d.P; p++) {
                double v = d.num[p * d.n_axes + a];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            printf("%g to %g", lo, hi);
        }
        printf("\n");
    }
    printf("%-11s", "arms");
    for (size_t a = 0; a < d.n_arms; a++)
        printf("%s%s", a ? ", " : "", d.arm_names[a]);
    printf("\n%-11s%u/%u%s\n", "shard", (unsigned)d.shard + 1, (unsigned)d.n_shards,
           d.n_shards > 1 ? " (merge the shards with buzzsim merge)" : "");
    printf("%-11s%zu of %zu points done%s", "progress", done, n,
           d.complete ? ", complete" : ", incomplete (buzzsim sweep SWEEP.yaml --resume)");
    if (journaled) printf(" (%zu recorded in the journal)", journaled);
    printf("\n");
    printf("\noutcome means over done points and replicates\n");
    char m[64], s[64];
    const size_t bytes = d.P * d.R * sizeof(double);
    double *x = malloc(bytes), *work = malloc(bytes);
    if (!x || !work) {
        free(x);
        free(work);
        bz_sweep_data_destroy(&d);
        bz_error_set(&err, BZ_ENOMEM,
                     "out of memory for the outcomes of %zu points x %u replicates (2 x %zu bytes)",
                     d.P, (unsigned)d.R, bytes);
        return bz_cli_fail(&err);
    }
    for (size_t k = 0; k < d.n_out; k++) {
        size_t c = 0;
        for (size_t p = 0; p < d.P; p++)
            for (uint32_t r = 0; d.done[p] && r < d.R; r++)
                x[c++] = d.outcomes[(p * d.R + r) * d.n_out + k];
        bz_summary sm = bz_stats_summary(x, c, work);
        printf("  %-28s %s", d.out_names[k],
               isnan(sm.mean) ? "-" : bz_report_number(sm.mean, m, sizeof m));
        if (!isnan(sm.sd)) printf(" ± %s", bz_report_number(sm.sd, s, sizeof s));
        printf("\n");
    }
    free(x);
    free(work);
    printf("\n");
    print_points(stdout, &d, 20);
    bz_cli_sweep_sobol(stdout, &d);
    bz_sweep_data_destroy(&d);
    return 0;
}

/* ------------------------------------------------------------------ run */

typedef struct sweep_opts {
    const char *path, *out, *shard;
    int resume, force, quiet;
    uint64_t threads;
} sweep_opts;

static const bz_positional sweep_positionals[] = {
    {"SWEEP.yaml", "the sweep file (docs/cluster.md)", offsetof(sweep_opts, path),
     .missing = "missing SWEEP.yaml", .complete = "*.yaml"},
    {0},
};

static const bz_option sweep_options[] = {
    BZ_OPTION_OUTPUT(sweep_opts, out,
                     "write the sweep here (default: the sweep's output, else "
                     "results/NAME.h5)"),
    {"--shard", 0, BZ_OPT_STRING, "I/N",
     "run only the points p with p % N == I-1 (1-based; default: from SLURM_ARRAY_TASK_* when "
     "set) into OUT.I-of-N.h5 (join them with buzzsim merge)",
     .offset = offsetof(sweep_opts, shard)},
    {"--resume", 0, BZ_OPT_FLAG, NULL,
     "continue an interrupted sweep from its journal and checkpoint", offsetof(sweep_opts, resume),
     .conflicts = "--force"},
    BZ_OPTION_FORCE(sweep_opts, force),
    BZ_OPTION_THREADS(sweep_opts, threads),
    {"--quiet", 'q', BZ_OPT_FLAG, NULL, "print no progress or summary (errors only)",
     .offset = offsetof(sweep_opts, quiet)},
    {0},
};

const bz_opts_command bz_sweep_command = {
    .summary = "run a parameter sweep (grid, lhs, sobol): checkpointed, resumable, in shards, "
               "under mpirun",
    .options = sweep_options,
    .positionals = sweep_positionals,
    .extra = "one sweep file expected, got '%s' too",
    .size = sizeof(sweep_opts),
};

/* The file to resume must be of this sweep and shard. */
static int check_resumable(const char *file, const bz_sweep_data *have, const bz_sweep_data *want,
                           bz_error *err)
{
    if (strcmp(have->id, want->id) != 0)
        return bz_error_set(err, BZ_EINVAL,
                            "%s: written by another sweep (id %s, this sweep is %s): not "
                            "resuming; use --force to start over",
                            file, have->id, want->id);
    if (have->shard != want->shard || have->n_shards != want->n_shards || have->P != want->P ||
        have->R != want->R || have->n_out != want->n_out || have->T != want->T)
        return bz_error_set(err, BZ_EINVAL, "%s: shard %u/%u, this run is shard %u/%u", file,
                            (unsigned)have->shard + 1, (unsigned)have->n_shards,
                            (unsigned)want->shard + 1, (unsigned)want->n_shards);
    return BZ_OK;
}

/* MPI (built with -DBUZZSIM_MPI=ON and started under mpirun with more than
 * one rank): rank 0 does everything below and hands points out through
 * bz_sweep_run_mpi (src/sweep/mpi.h); the other ranks only compute. Without
 * MPI, or with one rank, this is the serial sweep. */
static int run_points(int mpi_size, const bz_sweep *sw, bz_sweep_data *d,
                      const bz_sweep_run_opts *o, size_t *ran, bz_error *err)
{
#ifdef BZ_HAVE_MPI
    if (mpi_size > 1) return bz_sweep_run_mpi(sw, d, o, ran, err);
#else
    (void)mpi_size;
#endif
    return bz_sweep_run(sw, d, o, ran, err);
}

static int sweep_main(int argc, char **argv, int mpi_rank, int mpi_size);

int bz_cmd_sweep(int argc, char **argv)
{
#ifdef BZ_HAVE_MPI
    int rank = 0, size = 1;
    if (bz_sweep_mpi_init(&argc, &argv, &rank, &size) != BZ_OK) {
        fprintf(stderr, "buzzsim: cannot initialise MPI\n");
        return 1;
    }
    int rc = sweep_main(argc, argv, rank, size);
    /* A rank that failed must not leave the others waiting for it. */
    if (size > 1 && rc != 0 && rc != 130 && rc != 143) bz_sweep_mpi_abort(rc);
    bz_sweep_mpi_finalize();
    return rc;
#else
    return sweep_main(argc, argv, 0, 1);
#endif
}

/* A worker rank: the same sweep and shard, no file, results go to rank 0. */
static int sweep_worker(const bz_sweep *sw, uint32_t shard, uint32_t n_shards, int mpi_size)
{
    bz_error err;
    bz_error_clear(&err);
    bz_sweep_run_opts opts = {shard, n_shards, NULL, NULL, NULL, NULL};
    size_t ran = 0;
    if (run_points(mpi_size, sw, NULL, &opts, &ran, &err) != BZ_OK) return bz_cli_fail(&err);
    return 0;
}

/* The files of one sweep output OUT (docs/cluster.md, "Checkpoints"):
 *   OUT.journal  every finished point, appended and synced (sweep/journal.h)
 *   OUT.partial  a snapshot in the sweep file format (complete = 0), written
 *                at the start and when the sweep stops early
 *   OUT.tmp      what is being written before it is renamed
 * A point is done once its journal record is on disk; OUT appears only
 * whole. */
typedef struct outputs {
    char out[4300], partial[4400], journal[4400], tmp[4400];
} outputs;

static void outputs_of(outputs *o, const char *out)
{
    snprintf(o->out, sizeof o->out, "%s", out);
    snprintf(o->partial, sizeof o->partial, "%s.partial", out);
    snprintf(o->journal, sizeof o->journal, "%s.journal", out);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp", out);
}

/* Per-point checkpoint: the journal record first, then the progress line,
 * so a printed point is always a durable one. */
typedef struct checkpoint_ctx {
    bz_sweep_journal *journal;
    progress pr;
} checkpoint_ctx;

static int on_checkpoint(void *ctx, const bz_sweep_data *d, size_t point, double seconds,
                         bz_error *err)
{
    checkpoint_ctx *c = ctx;
    int status = bz_sweep_journal_append(c->journal, d, point, err);
    if (status == BZ_OK) point_done(&c->pr, point, seconds);
    return status;
}

/* Take the done points of the sweep file `file` (OUT or OUT.partial) into d
 * after checking it is of this sweep and shard. *complete says whether the
 * file is a finished one. */
static int take_file(const char *file, bz_sweep_data *d, int *complete, bz_error *err)
{
    bz_sweep_data old;
    int status = bz_h5_sweep_read(&old, file, err);
    if (status != BZ_OK) return status;
    status = check_resumable(file, &old, d, err);
    if (status == BZ_OK) {
        const size_t row = (size_t)d->R * d->n_out, srow = d->n_arms * d->T;
        for (size_t p = 0; p < d->P; p++) {
            if (!old.done[p] || d->done[p]) continue;
            memcpy(d->outcomes + p * row, old.outcomes + p * row, row * sizeof *d->outcomes);
            if (d->series && old.series)
                memcpy(d->series + p * srow, old.series + p * srow, srow * sizeof *d->series);
            d->done[p] = 1;
        }
        *complete = old.complete;
    }
    bz_sweep_data_destroy(&old);
    return status;
}

int bz_cli_sweep_load(const char *path, bz_sweep_data *d, size_t *from_journal, bz_error *err)
{
    char journal[4400];
    size_t n = strlen(path), replayed = 0;
    const size_t suffix = sizeof ".partial" - 1;
    if (n > suffix && !strcmp(path + n - suffix, ".partial")) n -= suffix;
    snprintf(journal, sizeof journal, "%.*s.journal", (int)n, path);
    int status = bz_h5_sweep_read(d, path, err);
    if (status != BZ_OK) return status;
    status = bz_sweep_journal_read(journal, d, &replayed, NULL, err);
    if (status == BZ_ENOENT) status = BZ_OK, bz_error_clear(err);
    if (status != BZ_OK) bz_sweep_data_destroy(d);
    if (from_journal) *from_journal = replayed;
    return status;
}

/* Resume: gather the done points of OUT (an incomplete merge), OUT.partial
 * and OUT.journal into d, then open the journal and record in it every
 * point it lacks, so that from here on the journal alone is enough.
 * *finished: OUT exists and is complete (nothing to do). */
static int resume_state(const outputs *f, bz_sweep_data *d, bz_sweep_journal **journal,
                        int *replace_out, int *finished, bz_error *err)
{
    int status = BZ_OK, complete = 0;
    uint8_t *seen = calloc(d->P ? d->P : 1, 1);
    *finished = 0;
    if (!seen)
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for the journal flags of %zu points (%zu bytes)",
                d->P, d->P ? d->P : 1);
    if (exists(f->out)) {
        BZ_CHECK(take_file(f->out, d, &complete, err));
        if (complete) {
            *finished = 1;
            goto cleanup;
        }
        *replace_out = 1; /* an incomplete file of this sweep (merge --partial) */
    }
    if (exists(f->partial)) BZ_CHECK(take_file(f->partial, d, &complete, err));
    BZ_CHECK(bz_sweep_journal_open(journal, f->journal, d, NULL, seen, err));
    for (size_t p = 0; p < d->P; p++)
        if (d->done[p] && !seen[p]) BZ_CHECK(bz_sweep_journal_append(*journal, d, p, err));
cleanup:
    free(seen);
    return status;
}

/* A finished OUT with leftovers of the run that wrote it (killed between
 * writing OUT and removing them): remove them. */
static int remove_leftovers(const outputs *f, bz_error *err)
{
    int status = BZ_OK;
    BZ_CHECK(bz_durable_remove(f->partial, err));
    BZ_CHECK(bz_durable_remove(f->tmp, err));
    BZ_CHECK(bz_durable_remove(f->journal, err));
cleanup:
    return status;
}

/* One sweep (or shard of one) being run by rank 0. */
typedef struct sweep_job {
    const sweep_opts *o;
    const bz_sweep *sw;
    bz_sweep_data d;
    uint32_t shard, n_shards;
    char out[4300]; /* OUT, with .I-of-N when sharded */
    outputs f;
    checkpoint_ctx ck;
    size_t n_shard, done_before; /* points of the shard, done before this run */
    int replace_out;             /* OUT is an incomplete file of this sweep */
} sweep_job;

/* Refuse a sweep whose first point cannot fit in memory (unless
 * BUZZSIM_NO_MEMORY_CHECK). */
static int check_memory(const bz_sweep *sw, bz_error *err)
{
    if (getenv("BUZZSIM_NO_MEMORY_CHECK")) return BZ_OK;
    bz_experiment x;
    bz_mem_estimate est;
    int status = bz_sweep_load_point(sw, 0, &x, err);
    if (status != BZ_OK) return status;
    status = bz_mem_estimate_compute(&x, omp_get_max_threads(), &est, err);
    if (status == BZ_OK) status = bz_mem_estimate_check(&est, err);
    bz_experiment_destroy(&x);
    return status;
}

/* The files before the run: with --resume, gather every done point and
 * set *finished when OUT is complete already; else refuse leftovers of an
 * interrupted sweep and an existing OUT (without --force), and start a new
 * journal. Then the snapshot, which names the sweep for `info` and merge
 * while it runs. */
static int prepare_files(sweep_job *j, int *finished, bz_error *err)
{
    const outputs *f = &j->f;
    int status = BZ_OK;
    *finished = 0;
    if (j->o->resume) {
        BZ_CHECK(bz_h5_make_parents(j->out, err));
        BZ_CHECK(resume_state(f, &j->d, &j->ck.journal, &j->replace_out, finished, err));
        bz_sweep_data_count(&j->d, &j->n_shard, &j->done_before);
        if (*finished) {
            BZ_CHECK(remove_leftovers(f, err));
            goto cleanup;
        }
    } else {
        if (!j->o->force && (exists(f->partial) || exists(f->journal)))
            BZ_FAIL(err, BZ_EEXIST,
                    "'%s' holds an interrupted sweep: use --resume to continue it or "
                    "--force to start over",
                    exists(f->journal) ? f->journal : f->partial);
        BZ_CHECK(bz_h5_check_output(j->out, j->o->force, err));
        BZ_CHECK(bz_durable_remove(f->journal, err));
        BZ_CHECK(bz_durable_remove(f->partial, err));
        BZ_CHECK(bz_sweep_journal_open(&j->ck.journal, f->journal, &j->d, NULL, NULL, err));
        bz_sweep_data_count(&j->d, &j->n_shard, &j->done_before);
    }
    BZ_CHECK(bz_h5_sweep_save(f->partial, f->tmp, &j->d, err));
cleanup:
    return status;
}

/* Every point of the shard is done: OUT whole, then the journal and
 * snapshot go (a kill in between leaves a complete OUT whose leftovers the
 * next --resume removes), then the summary. */
static int finish(sweep_job *j, size_t ran, double seconds, bz_error *err)
{
    int status = BZ_OK;
    BZ_CHECK(bz_h5_check_output(j->out, j->o->force || j->replace_out, err));
    BZ_CHECK(bz_h5_sweep_save(j->out, j->f.tmp, &j->d, err));
    bz_sweep_journal_free(j->ck.journal);
    j->ck.journal = NULL;
    BZ_CHECK(remove_leftovers(&j->f, err));
    if (!j->o->quiet) {
        printf("\n%s: %zu points x %u replicates (%s design), shard %u/%u: ran %zu points in "
               "%.1f s (%zu were done before)\n\n",
               j->sw->name, j->d.P, (unsigned)j->d.R, j->d.design, (unsigned)j->shard + 1,
               (unsigned)j->n_shards, ran, seconds, j->done_before);
        print_points(stdout, &j->d, 30);
        bz_cli_sweep_sobol(stdout, &j->d);
        printf("\nwrote %s\n", j->out);
    }
cleanup:
    return status;
}

/* Run the points of the shard with the signal handlers installed; *rc is
 * 128 + the signal when one stopped the sweep (the snapshot saved, one line
 * printed). */
static int run_shard(sweep_job *j, int mpi_size, int *rc, bz_error *err)
{
    const sweep_opts *o = j->o;
    int status = BZ_OK;
    snprintf(sig_msg, sizeof sig_msg,
             "buzzsim: interrupted twice: dropped the point in flight; every finished point "
             "is in '%s' (buzzsim sweep %s --resume)\n",
             j->f.journal, o->path);
    if (install_handlers())
        BZ_FAIL(err, BZ_EINTERNAL, "cannot install signal handlers: %s", strerror(errno));
    j->ck.pr = (progress){o->quiet, j->done_before, j->n_shard, j->d.P};
    if (!o->quiet)
        fprintf(stderr,
                "%s: %zu points (%s design) x %u replicates, shard %u/%u: %zu to run, %zu "
                "done, %d threads\n",
                j->sw->name, j->d.P, j->d.design, (unsigned)j->d.R, (unsigned)j->shard + 1,
                (unsigned)j->n_shards, j->n_shard - j->done_before, j->done_before,
                omp_get_max_threads());
    bz_sweep_run_opts opts = {j->shard,     j->n_shards,   &sig_count,
                              &sig_writing, on_checkpoint, &j->ck};
    size_t ran = 0, done_now;
    double t0 = bz_clock_seconds();
    status = run_points(mpi_size, j->sw, &j->d, &opts, &ran, err);
    sig_writing = 1; /* from here on only finishing writes: a second signal must wait */
    bz_sweep_data_count(&j->d, NULL, &done_now);
    j->d.complete = status == BZ_OK && done_now == j->n_shard;
    if (j->d.complete && j->n_shards == 1) status = bz_sweep_data_sobol(&j->d, err);
    if (status != BZ_OK) {
        bz_error serr;
        bz_h5_sweep_save(j->f.partial, j->f.tmp, &j->d,
                         &serr); /* best effort: the journal has it all */
        goto cleanup;
    }
    if (j->d.complete) {
        status = finish(j, ran, bz_clock_seconds() - t0, err);
        goto cleanup;
    }
    BZ_CHECK(bz_h5_sweep_save(j->f.partial, j->f.tmp, &j->d, err));
    int sig = sig_last ? (int)sig_last : SIGINT;
    fprintf(stderr,
            "buzzsim: interrupted by %s: %zu of %zu points done (%zu run now); '%s' is "
            "resumable (buzzsim sweep %s --resume)\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", done_now, j->n_shard, ran, j->f.partial,
            o->path);
    *rc = 128 + sig;
cleanup:
    return status;
}

static int sweep_main(int argc, char **argv, int mpi_rank, int mpi_size)
{
    sweep_opts o;
    int rc = bz_opts_parse(&bz_sweep_command, argc, argv, &o), status = BZ_OK, loaded = 0,
        have_data = 0, finished = 0;
    if (rc != BZ_OPTS_CONTINUE) return rc;
    bz_sweep sw;
    bz_error err;
    bz_error_clear(&err);
    char msg[1024], outbuf[4200];
    sweep_job j;
    memset(&j, 0, sizeof j);
    j.o = &o;
    j.sw = &sw;
    j.ck.pr.quiet = o.quiet;

    BZ_CHECK(bz_sweep_load(&sw, o.path, &err));
    loaded = 1;
    BZ_CHECK(bz_sweep_check_points(&sw, &err));
    if (pick_shard(o.shard, &j.shard, &j.n_shards, msg, sizeof msg)) {
        rc = bz_cli_usage("sweep", "%s", msg);
        goto cleanup;
    }
    if (o.threads) omp_set_num_threads((int)o.threads);
    if (mpi_rank != 0) {
        rc = sweep_worker(&sw, j.shard, j.n_shards, mpi_size);
        goto cleanup;
    }
    if (!o.out && sw.output[0]) o.out = sw.output;
    if (!o.out) {
        snprintf(outbuf, sizeof outbuf, "results/%s.h5", sw.name);
        o.out = outbuf;
    }
    shard_path(o.out, j.shard, j.n_shards, j.out, sizeof j.out);
    outputs_of(&j.f, j.out);
    BZ_CHECK(bz_sweep_data_init(&j.d, &sw, j.shard, j.n_shards, bz_cli_command_line(), &err));
    have_data = 1;
    BZ_CHECK(check_memory(&sw, &err));
    BZ_CHECK(prepare_files(&j, &finished, &err));
    if (finished) {
        if (!o.quiet) printf("%s: all %zu points already done\n", j.out, j.n_shard);
        goto cleanup;
    }
    BZ_CHECK(run_shard(&j, mpi_size, &rc, &err));
cleanup:
    if (rc == BZ_OPTS_CONTINUE) rc = status == BZ_OK ? 0 : bz_cli_fail(&err);
    bz_sweep_journal_free(j.ck.journal);
    if (have_data) bz_sweep_data_destroy(&j.d);
    if (loaded) bz_sweep_destroy(&sw);
    return rc;
}

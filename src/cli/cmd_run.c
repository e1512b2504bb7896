/* buzzsim run EXPERIMENT.yaml [options]: see bz_run_command below.
 *
 * Order of work, so that nothing is lost or half-written: parse and validate
 * everything (exit 2 on any bad input, before any output exists), refuse an
 * existing output without --force, simulate, write NAME.partial and rename. */
#include <omp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "cli/report.h"
#include "config/experiment.h"
#include "engine/run.h"
#include "io/h5.h"

typedef struct progress {
    double start;
    int last_pct;
} progress;

static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    int pct = total ? (int)(100 * done / total) : 100;
    if (pct == p->last_pct) return;
    p->last_pct = pct;
    double el = bz_clock_seconds() - p->start;
    double eta = done ? el * (double)(total - done) / (double)done : 0;
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%%  %llu/%llu runs  %.0fs elapsed, ETA %.0fs ", bar, pct,
            (unsigned long long)done, (unsigned long long)total, el, eta);
    if (done == total) fputc('\n', stderr);
    fflush(stderr);
}

typedef struct run_opts {
    const char *path, *out, *arms;
    bz_opt_list sets; /* --set, --replicates and --seed, in command-line order */
    uint64_t threads;
    int force, quiet, progress;
} run_opts;

static const bz_positional run_positionals[] = {
    {"EXPERIMENT.yaml", "the experiment file (docs/config.md)", offsetof(run_opts, path),
     .missing = "missing EXPERIMENT.yaml", .complete = "*.yaml"},
    {0},
};

static const bz_option run_options[] = {
    BZ_OPTION_OUTPUT(run_opts, out,
                     "write the results here (default: the experiment's output, else "
                     "results/NAME.h5)"),
    BZ_OPTION_SET(run_opts, sets),
    {"--replicates", 0, BZ_OPT_UINT, "R", "replicates of every arm (--set replicates=R)",
     offsetof(run_opts, sets), 1, 100000, .set_key = "replicates"},
    {"--seed", 0, BZ_OPT_UINT, "S", "the master seed (--set seed=S)", offsetof(run_opts, sets), 0,
     UINT64_MAX, .set_key = "seed"},
    BZ_OPTION_THREADS(run_opts, threads),
    {"--arms", 0, BZ_OPT_STRING, "a,b",
     "run only these arms, in this order (the baseline, when listed, stays first)",
     .offset = offsetof(run_opts, arms)},
    BZ_OPTION_FORCE(run_opts, force),
    {"--quiet", 'q', BZ_OPT_FLAG, NULL,
     "print no progress, attribution note or comparison (errors only)", offsetof(run_opts, quiet),
     .conflicts = "--progress"},
    {"--progress", 0, BZ_OPT_FLAG, NULL,
     "show the progress bar even when standard error is not a terminal",
     .offset = offsetof(run_opts, progress)},
    {0},
};

const bz_opts_command bz_run_command = {
    .summary = "run an experiment: every arm, every replicate; print the comparison, write HDF5",
    .options = run_options,
    .positionals = run_positionals,
    .extra = "one experiment file expected, got '%s' too",
    .size = sizeof(run_opts),
};

/* Load the experiment with the overrides and keep the arms asked for. */
static int load(const run_opts *o, bz_experiment *x, bz_error *err)
{
    int status = bz_experiment_load(x, o->path, (const char *const *)o->sets.items, o->sets.n, err);
    if (status != BZ_OK) return status;
    if (o->arms && (status = bz_experiment_select_arms(x, o->arms, err)) != BZ_OK)
        bz_experiment_destroy(x);
    return status;
}

/* Refuse a run that cannot fit in memory (unless BUZZSIM_NO_MEMORY_CHECK). */
static int check_memory(const bz_experiment *x, bz_error *err)
{
    if (getenv("BUZZSIM_NO_MEMORY_CHECK")) return BZ_OK;
    bz_mem_estimate est;
    int status = bz_mem_estimate_compute(x, omp_get_max_threads(), &est, err);
    return status == BZ_OK ? bz_mem_estimate_check(&est, err) : status;
}

/* On standard error before the work starts: the shape of the run when the
 * progress bar shows, and what attribution multiplies it by. */
static void announce(const bz_experiment *x, int show, int quiet)
{
    if (show)
        fprintf(stderr, "%s: %zu arms x %u replicates, %u samples of %g h, %d threads\n", x->name,
                x->n_arms, x->replicates, x->n_steps, x->step * 24, omp_get_max_threads());
    const uint64_t subs = bz_run_sub_arms(x);
    if (!subs || quiet) return;
    fprintf(stderr, "%s: attribution", x->name);
    for (size_t a = 1; a < x->n_arms; a++) {
        if (x->arms[a].attribution == BZ_ATTRIB_NONE) continue;
        uint32_t pos[BZ_ATTRIB_MAX_PLAYERS];
        size_t k = bz_experiment_players(x, a, pos, BZ_ATTRIB_MAX_PLAYERS);
        fprintf(stderr, " %s on '%s' (%zu campaigns)", bz_attribution_names[x->arms[a].attribution],
                x->arms[a].name, k);
    }
    fprintf(stderr, ": %llu sub-arms x %u replicates = %llu more simulations (%llu in all)\n",
            (unsigned long long)subs, x->replicates, (unsigned long long)(subs * x->replicates),
            (unsigned long long)((subs + x->n_arms) * x->replicates));
}

/* Simulate every arm and replicate, write `out` whole, print the
 * comparison. */
static int simulate(const run_opts *o, const bz_experiment *x, const char *out, bz_error *err)
{
    bz_results res;
    memset(&res, 0, sizeof res);
    progress prog = {bz_clock_seconds(), -1};
    int show = o->progress || (!o->quiet && isatty(STDERR_FILENO));
    bz_run_opts opts = {show ? show_progress : NULL, &prog, 0, 0};
    announce(x, show, o->quiet);
    int status = bz_run_experiment(x, &opts, &res, err);
    if (status != BZ_OK) goto cleanup;
    double elapsed = bz_clock_seconds() - prog.start;
    const char *line = bz_cli_command_line();
    if (!(res.command_line = strdup(line)))
        BZ_FAIL(err, BZ_ENOMEM, "out of memory for the command line (%zu bytes)", strlen(line) + 1);
    BZ_CHECK(bz_h5_write(out, &res, o->force, err));
    if (!o->quiet) {
        printf("\n%s: %zu arms, %u replicates, %u agents, %g days (%.1f s)\n\n", x->name, x->n_arms,
               x->replicates, res.layers && res.n_layers ? (unsigned)res.layers[0].agents : 0u,
               x->horizon, elapsed);
        bz_report_comparison(stdout, &res);
        printf("\nwrote %s\n", out);
    }
cleanup:
    bz_results_destroy(&res);
    return status;
}

int bz_cmd_run(int argc, char **argv)
{
    run_opts o;
    int rc = bz_opts_parse(&bz_run_command, argc, argv, &o), status = BZ_OK, loaded = 0;
    if (rc != BZ_OPTS_CONTINUE) return rc;
    bz_experiment x;
    bz_error err;
    bz_error_clear(&err);
    char outbuf[4200];
    BZ_CHECK(load(&o, &x, &err));
    loaded = 1;
    const char *out = o.out;
    if (!out && x.output[0]) out = x.output;
    if (!out) {
        snprintf(outbuf, sizeof outbuf, "results/%s.h5", x.name);
        out = outbuf;
    }
    BZ_CHECK(bz_h5_check_output(out, o.force, &err));
    if (o.threads) omp_set_num_threads((int)o.threads);
    BZ_CHECK(check_memory(&x, &err));
    BZ_CHECK(simulate(&o, &x, out, &err));
cleanup:
    rc = status == BZ_OK ? 0 : bz_cli_fail(&err);
    if (loaded) bz_experiment_destroy(&x);
    bz_opts_free(&bz_run_command, &o);
    return rc;
}
